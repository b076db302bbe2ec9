//! `GET /api-docs/openapi.json`: the spec. Without credentials, all of it; with a bearer
//! token, only the operations that token may call — for an API token its scopes within its
//! user's role, for a staff session the role's — so an integrator sees exactly their API.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use serde_json::Value;

use crate::auth::gate;
use crate::auth::scopes::filtered_spec;
use crate::error::ApiError;

/// Where the spec is served (also what the `/docs` explorer loads).
pub const SPEC_PATH: &str = "/api-docs/openapi.json";

/// The full spec as served, built once at start.
pub struct SpecDocument(pub Value);

pub async fn openapi_json(
    req: HttpRequest,
    spec: web::Data<SpecDocument>,
) -> Result<HttpResponse, ApiError> {
    // The answer depends on the token: caches must keep one copy per Authorization.
    let vary = (header::VARY, "Authorization");
    if !req.headers().contains_key(header::AUTHORIZATION) {
        return Ok(HttpResponse::Ok().insert_header(vary).json(&spec.0));
    }
    // A token that does not check out gets 401, not the full spec: a client that sent one
    // expects an answer about it.
    let caller = gate::identify(&req).await?;
    let mine = filtered_spec(&spec.0, |requirement| caller.may_call(requirement));
    Ok(HttpResponse::Ok().insert_header(vary).json(mine))
}
