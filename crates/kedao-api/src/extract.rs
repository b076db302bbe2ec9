//! Request extractors that answer every client mistake with a precise problem+json:
//! `ValidJson` (content type, size limit, syntax, types, unknown fields, `validator` rules, each
//! naming the field), `ValidQuery`, and `IfMatch` for optimistic concurrency.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, web};
use futures_util::StreamExt;
use kedao_api_types::FieldError;
use serde::de::DeserializeOwned;
use validator::{Validate, ValidationErrors, ValidationErrorsKind};

use crate::error::ApiError;

/// The body size limit, set once in app data.
#[derive(Debug, Clone, Copy)]
pub struct BodyLimit(pub usize);

/// A JSON body that parsed and passed its shape rules.
pub struct ValidJson<T>(pub T);

impl<T: DeserializeOwned + Validate + 'static> FromRequest for ValidJson<T> {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let limit = req.app_data::<BodyLimit>().map_or(1024 * 1024, |l| l.0);
        let content_type_ok = is_json(req);
        let declared_length = req
            .headers()
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<usize>().ok());
        let mut payload = payload.take();
        Box::pin(async move {
            if !content_type_ok {
                return Err(ApiError::UnsupportedMediaType);
            }
            if declared_length.is_some_and(|n| n > limit) {
                return Err(ApiError::PayloadTooLarge(limit));
            }
            let mut body = web::BytesMut::new();
            while let Some(chunk) = payload.next().await {
                let chunk =
                    chunk.map_err(|e| ApiError::bad_request("unreadable-body", e.to_string()))?;
                if body.len() + chunk.len() > limit {
                    return Err(ApiError::PayloadTooLarge(limit));
                }
                body.extend_from_slice(&chunk);
            }
            let value = parse_json::<T>(&body)?;
            value
                .validate()
                .map_err(|e| ApiError::Validation(field_errors(&e)))?;
            Ok(ValidJson(value))
        })
    }
}

fn is_json(req: &HttpRequest) -> bool {
    let Some(ct) = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let mime = ct
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    mime == "application/json" || (mime.starts_with("application/") && mime.ends_with("+json"))
}

/// Parses JSON, telling syntax errors (400) from type and field errors (422, with the path).
pub fn parse_json<T: DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    let de = &mut serde_json::Deserializer::from_slice(body);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        use serde_json::error::Category;
        match inner.classify() {
            Category::Syntax | Category::Eof | Category::Io => ApiError::bad_request(
                "malformed-json",
                format!("the body is not valid JSON: {inner}"),
            ),
            Category::Data => data_error(&path, &inner.to_string()),
        }
    })
}

/// A serde data error as a field error. Serde reports missing and unknown fields at the parent
/// path, naming the field in the message; those are lifted to the field itself.
fn data_error(path: &str, message: &str) -> ApiError {
    let message = strip_position(message);
    let named = |prefix: &str| {
        message
            .strip_prefix(prefix)
            .and_then(|rest| rest.split('`').next())
            .map(|name| {
                if path.is_empty() || path == "." {
                    name.to_owned()
                } else if path == name || path.ends_with(&format!(".{name}")) {
                    path.to_owned()
                } else {
                    format!("{path}.{name}")
                }
            })
    };
    if let Some(field) = named("missing field `") {
        return ApiError::field(field, "required", "is required");
    }
    if let Some(field) = named("unknown field `") {
        return ApiError::field(field, "unknown-field", message);
    }
    let field = if path.is_empty() || path == "." {
        "body".to_owned()
    } else {
        path.to_owned()
    };
    ApiError::field(field, "invalid", message)
}

fn strip_position(message: &str) -> String {
    match message.find(" at line ") {
        Some(i) => message[..i].to_owned(),
        None => message.to_owned(),
    }
}

/// Flattens `validator` errors into field errors with dotted paths.
pub fn field_errors(errors: &ValidationErrors) -> Vec<FieldError> {
    let mut out = Vec::new();
    collect(errors, "", &mut out);
    out
}

fn collect(errors: &ValidationErrors, prefix: &str, out: &mut Vec<FieldError>) {
    for (field, kind) in errors.errors() {
        let path = if prefix.is_empty() {
            field.to_string()
        } else {
            format!("{prefix}.{field}")
        };
        match kind {
            ValidationErrorsKind::Field(list) => {
                for e in list {
                    let (code, message) = describe(e);
                    out.push(FieldError::new(path.clone(), code, message));
                }
            }
            ValidationErrorsKind::Struct(inner) => collect(inner, &path, out),
            ValidationErrorsKind::List(items) => {
                for (i, inner) in items {
                    collect(inner, &format!("{path}[{i}]"), out);
                }
            }
        }
    }
}

fn describe(e: &validator::ValidationError) -> (String, String) {
    let param = |name: &str| e.params.get(name).map(|v| v.to_string());
    match e.code.as_ref() {
        "length" => {
            let message = match (param("min"), param("max")) {
                (Some(min), Some(max)) => format!("length must be between {min} and {max}"),
                (Some(min), None) => format!("length must be at least {min}"),
                (None, Some(max)) => format!("length must be at most {max}"),
                _ => "has the wrong length".to_owned(),
            };
            ("length".to_owned(), message)
        }
        "range" => ("out-of-range".to_owned(), "is out of range".to_owned()),
        code => (
            code.to_owned(),
            e.message
                .as_ref()
                .map_or_else(|| format!("is invalid ({code})"), |m| m.to_string()),
        ),
    }
}

/// Query parameters that parsed, with the offending parameter named on failure.
pub struct ValidQuery<T>(pub T);

impl<T: DeserializeOwned + 'static> FromRequest for ValidQuery<T> {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        std::future::ready(parse_query(req.query_string()).map(ValidQuery))
    }
}

pub fn parse_query<T: DeserializeOwned>(query: &str) -> Result<T, ApiError> {
    let de = serde_urlencoded::Deserializer::new(form_urlencoded_parse(query));
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let message = e.into_inner().to_string();
        let field = if path.is_empty() || path == "." {
            message
                .split('`')
                .nth(1)
                .map_or_else(|| "query".to_owned(), str::to_owned)
        } else {
            path
        };
        ApiError::Validation(vec![FieldError::new(field, "invalid-parameter", message)])
    })
}

fn form_urlencoded_parse(query: &str) -> form_urlencoded::Parse<'_> {
    form_urlencoded::parse(query.as_bytes())
}

/// The version named by `If-Match` (`"3"` or `W/"3"`); required on every update and delete.
pub struct IfMatch(pub i32);

impl FromRequest for IfMatch {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let result = match req.headers().get(header::IF_MATCH) {
            None => Err(ApiError::PreconditionRequired),
            Some(v) => v
                .to_str()
                .ok()
                .and_then(parse_etag)
                .map(IfMatch)
                .ok_or_else(|| {
                    ApiError::bad_request("bad-if-match", "If-Match must be an ETag such as \"3\"")
                }),
        };
        std::future::ready(result)
    }
}

fn parse_etag(value: &str) -> Option<i32> {
    let v = value.trim();
    let v = v.strip_prefix("W/").unwrap_or(v);
    v.strip_prefix('"')?.strip_suffix('"')?.parse().ok()
}

/// The ETag header value for a version.
pub fn etag(version: i32) -> (header::HeaderName, String) {
    (header::ETAG, format!("\"{version}\""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn etags_parse_strong_and_weak() {
        assert_eq!(parse_etag("\"3\""), Some(3));
        assert_eq!(parse_etag("W/\"12\""), Some(12));
        assert_eq!(parse_etag("3"), None);
        assert_eq!(parse_etag("\"x\""), None);
    }

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[expect(dead_code, reason = "only parsed")]
    struct Sample {
        name: String,
        n: i64,
    }

    #[test]
    fn json_errors_name_the_field() {
        let problem = |body: &str| {
            parse_json::<Sample>(body.as_bytes())
                .err()
                .map(|e| e.problem())
        };
        let p = problem("{\"name\":\"x\"}").unwrap();
        assert_eq!(
            (
                p.status,
                p.errors[0].field.as_str(),
                p.errors[0].code.as_str()
            ),
            (422, "n", "required")
        );
        let p = problem("{\"name\":\"x\",\"n\":\"one\"}").unwrap();
        assert_eq!((p.status, p.errors[0].field.as_str()), (422, "n"));
        let p = problem("{\"name\":\"x\",\"n\":1,\"zz\":2}").unwrap();
        assert_eq!((p.status, p.errors[0].field.as_str()), (422, "zz"));
        let p = problem("{\"name\":").unwrap();
        assert_eq!((p.status, p.code.as_str()), (400, "malformed-json"));
    }
}
