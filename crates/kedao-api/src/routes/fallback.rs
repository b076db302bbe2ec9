//! Answers for requests no route takes: 405 with `Allow` when the path exists but not for this
//! method, 404 otherwise. The table of paths and methods is read from the OpenAPI document,
//! which route registration produces, so it always matches the routes.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, ResponseError, web};
use utoipa::openapi::OpenApi;

use crate::error::ApiError;

/// Path templates (split into segments) and the methods each accepts.
pub struct RouteTable {
    routes: Vec<(Vec<String>, Vec<String>)>,
}

impl RouteTable {
    pub fn from_spec(spec: &OpenApi) -> Self {
        let routes = spec
            .paths
            .paths
            .iter()
            .map(|(path, item)| {
                let segments = path.split('/').map(str::to_owned).collect();
                let json = serde_json::to_value(item).unwrap_or_default();
                let mut methods: Vec<String> = ["get", "post", "put", "patch", "delete"]
                    .iter()
                    .filter(|m| json.get(**m).is_some())
                    .map(|m| m.to_uppercase())
                    .collect();
                if methods.iter().any(|m| m == "GET") {
                    methods.push("HEAD".to_owned());
                }
                (segments, methods)
            })
            .collect();
        RouteTable { routes }
    }

    /// The methods allowed on a concrete path, if any template matches it.
    pub fn allowed(&self, path: &str) -> Option<&[String]> {
        let parts: Vec<&str> = path.split('/').collect();
        self.routes
            .iter()
            .find(|(template, _)| {
                template.len() == parts.len()
                    && template
                        .iter()
                        .zip(&parts)
                        .all(|(t, p)| (t.starts_with('{') && !p.is_empty()) || t == p)
            })
            .map(|(_, methods)| methods.as_slice())
    }
}

/// The default service.
pub async fn unmatched(req: HttpRequest, table: web::Data<RouteTable>) -> HttpResponse {
    match table.allowed(req.path()) {
        Some(methods) if !methods.iter().any(|m| m == req.method().as_str()) => {
            let mut response = ApiError::MethodNotAllowed(methods.join(", ")).error_response();
            if let Ok(value) = header::HeaderValue::from_str(&methods.join(", ")) {
                response.headers_mut().insert(header::ALLOW, value);
            }
            response
        }
        _ => ApiError::NotFound("route").error_response(),
    }
}
