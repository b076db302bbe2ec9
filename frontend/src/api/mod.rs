//! Calls to the Kedao API, typed with the shared wire types of `kedao-api-types`.

pub mod client;
pub mod files;

pub use client::{Fetched, get, get_text, patch, post, post_public, post_versioned, put};

/// The `If-Match` value for a record read at `version` from a list (lists carry versions, not
/// ETags; the server's ETag is the quoted version).
pub fn etag_of(version: i32) -> String {
    format!("\"{version}\"")
}

/// `path?key=value&…` with the present values percent-encoded.
pub fn with_query(path: &str, params: &[(&str, Option<&str>)]) -> String {
    let query: Vec<String> = params
        .iter()
        .filter_map(|(key, value)| {
            value
                .filter(|v| !v.is_empty())
                .map(|v| format!("{key}={}", crate::route::encode_component(v)))
        })
        .collect();
    if query.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{}", query.join("&"))
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn an_etag_is_the_quoted_version() {
        assert_eq!(super::etag_of(7), "\"7\"");
    }

    #[test]
    fn query_keeps_present_values_encoded() {
        assert_eq!(
            super::with_query(
                "/x",
                &[
                    ("status", Some("new")),
                    ("q", Some("云 杉")),
                    ("cursor", None),
                    ("e", Some(""))
                ]
            ),
            "/x?status=new&q=%E4%BA%91%20%E6%9D%89"
        );
        assert_eq!(super::with_query("/x", &[]), "/x");
    }
}
