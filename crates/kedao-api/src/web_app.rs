//! Serves the built browser app (the `kedao-web` bundle in `KEDAO_WEB_DIR`) at `/`, from the
//! same origin as the API, so the app needs no CORS.
//!
//! The bundle is a handful of files, read once at start: a request never touches the file
//! system, so no path can escape the directory. Content-hashed files (`app-<16 hex>.wasm`)
//! are cached for a year (a new build has new names); `index.html` is revalidated on every
//! load, so a new build is picked up at once. A GET for any other path outside `/api` and
//! `/docs` that does not name a file is a client-side route and gets `index.html`. Everything
//! else falls through to the API's problem+json 404/405.

use std::collections::HashMap;
use std::path::Path;

use actix_web::http::{Method, header};
use actix_web::web::{self, Bytes};
use actix_web::{HttpRequest, HttpResponse};

use crate::routes::fallback::{self, RouteTable};

/// The bundle, in memory.
#[derive(Default)]
pub struct WebApp {
    files: HashMap<String, Bytes>,
}

const INDEX: &str = "index.html";

impl WebApp {
    /// Reads the files of `dir` (and its subdirectories: wasm-bindgen's `snippets/`); an
    /// absent or incomplete bundle serves nothing (and says so).
    pub fn load(dir: &Path) -> WebApp {
        let mut files = HashMap::new();
        read_tree(dir, "", &mut files);
        if files.contains_key(INDEX) {
            tracing::info!(dir = %dir.display(), "serving the browser app at /");
        } else {
            tracing::warn!(
                dir = %dir.display(),
                "no browser app there (build it with `just web`, or set KEDAO_WEB_DIR): serving the API only"
            );
        }
        WebApp { files }
    }

    /// The answer for a request no route took, if it is the app's.
    pub fn answer(&self, req: &HttpRequest) -> Option<HttpResponse> {
        if !(req.method() == Method::GET || req.method() == Method::HEAD) || is_api(req.path()) {
            return None;
        }
        let name = req.path().trim_start_matches('/');
        if let Some(body) = self.files.get(name).filter(|_| name != INDEX) {
            return Some(file_response(name, body.clone()));
        }
        let last_segment = name.rsplit('/').next().unwrap_or_default();
        if last_segment.contains('.') {
            // Names a file the bundle does not have: a real 404, not the app.
            return None;
        }
        self.files
            .get(INDEX)
            .map(|body| file_response(INDEX, body.clone()))
    }
}

/// Adds the files under `dir` keyed by their path below the bundle root (`snippets/x/a.js`).
fn read_tree(dir: &Path, prefix: &str, files: &mut HashMap<String, Bytes>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        let key = format!("{prefix}{name}");
        if path.is_dir() {
            read_tree(&path, &format!("{key}/"), files);
        } else if let Ok(content) = std::fs::read(&path) {
            files.insert(key, Bytes::from(content));
        }
    }
}

/// Paths that belong to the API and its documentation, never to the app.
fn is_api(path: &str) -> bool {
    ["/api", "/docs"].iter().any(|prefix| {
        path.strip_prefix(prefix)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('/') || rest.starts_with('-'))
    })
}

fn file_response(name: &str, body: Bytes) -> HttpResponse {
    let cache = if is_content_hashed(name) {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    HttpResponse::Ok()
        .content_type(content_type(name))
        .insert_header((header::CACHE_CONTROL, cache))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .body(body)
}

fn content_type(name: &str) -> &'static str {
    match name.rsplit_once('.').map(|(_, ext)| ext) {
        Some("wasm") => "application/wasm",
        Some("js") => "text/javascript; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("html") => "text/html; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("ico") => "image/x-icon",
        Some("json") => "application/json",
        Some("txt") => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// `stem-<16 hex digits>.ext`, the names `kedao-web` gives files whose content never changes.
fn is_content_hashed(name: &str) -> bool {
    let Some((stem, _ext)) = name.rsplit_once('.') else {
        return false;
    };
    stem.rsplit_once('-')
        .is_some_and(|(_, hash)| hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// The default service: the app's file or page, else the API's 404/405.
pub async fn app_or_unmatched(
    req: HttpRequest,
    app: web::Data<WebApp>,
    table: web::Data<RouteTable>,
) -> HttpResponse {
    match app.answer(&req) {
        Some(response) => response,
        None => fallback::unmatched(req, table).await,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_and_docs_paths_are_never_the_app() {
        for path in [
            "/api",
            "/api/v1/x",
            "/api-docs/x",
            "/docs",
            "/docs/index.html",
        ] {
            assert!(is_api(path), "{path}");
        }
        for path in ["/", "/leads", "/apis", "/documents/1"] {
            assert!(!is_api(path), "{path}");
        }
    }

    #[test]
    fn only_hashed_names_are_immutable() {
        assert!(is_content_hashed("app-0123456789abcdef.wasm"));
        assert!(!is_content_hashed("index.html"));
        assert!(!is_content_hashed("app-0123.wasm"));
        assert!(!is_content_hashed("app-0123456789abcdeg.js"));
    }

    #[test]
    fn content_types_by_extension() {
        assert_eq!(content_type("a.wasm"), "application/wasm");
        assert!(content_type("a.js").starts_with("text/javascript"));
        assert!(content_type("a.css").starts_with("text/css"));
    }
}
