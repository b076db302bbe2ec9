//! `/api-tokens`: integration API tokens, managed by admins (and dealer admins for their
//! dealer) from a signed-in session — an API token cannot manage tokens (`auth::scopes`).

use actix_web::{HttpResponse, get, post, web};
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use kedao_api_types::ListPage;
use kedao_api_types::api_tokens::{
    ApiTokenCreate, ApiTokenIssued, ApiTokenListQuery, ApiTokenView,
};

use crate::auth::{Principal, TokenKeys};
use crate::error::ApiError;
use crate::extract::{ValidJson, ValidQuery};
use crate::routes::AppState;
use crate::routes::responses::{CreateErrors, ListErrors, ReadErrors};
use crate::store::api_tokens::{self, SORT_FIELDS};
use crate::store::paging::Paging;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list)
        .service(create)
        .service(get_one)
        .service(revoke)
        .service(rotate);
}

fn created(issued: &ApiTokenIssued) -> HttpResponse {
    HttpResponse::Created()
        .insert_header((
            actix_web::http::header::LOCATION,
            format!("/api/v1/api-tokens/{}", issued.api_token.id),
        ))
        // The answer holds a credential: no cache may keep it.
        .insert_header((actix_web::http::header::CACHE_CONTROL, "no-store"))
        .json(issued)
}

/// API tokens (admins: all; dealer admins: their dealer's), newest first. Values are never
/// shown again after create and rotate.
#[utoipa::path(tag = "api-tokens", params(ApiTokenListQuery), responses((status = 200, body = ListPage<ApiTokenView>), ListErrors), security(("bearer" = [])))]
#[get("/api-tokens")]
pub async fn list(
    state: web::Data<AppState>,
    principal: Principal,
    ValidQuery(query): ValidQuery<ApiTokenListQuery>,
) -> Result<HttpResponse, ApiError> {
    let paging = Paging::parse(
        query.sort.as_deref(),
        query.limit,
        query.cursor.as_deref(),
        query.include_total,
        &SORT_FIELDS,
        "-created_at",
    )?;
    let page = api_tokens::list(&state.db, &principal, query.revoked, paging).await?;
    Ok(HttpResponse::Ok().json(page))
}

/// Create a token acting as the caller, limited to the given scopes (each one the caller's
/// role has). The answer is the only time the token's value is shown.
#[utoipa::path(tag = "api-tokens", request_body = ApiTokenCreate, responses((status = 201, body = ApiTokenIssued), CreateErrors), security(("bearer" = [])))]
#[post("/api-tokens")]
pub async fn create(
    state: web::Data<AppState>,
    keys: web::Data<TokenKeys>,
    principal: Principal,
    ValidJson(body): ValidJson<ApiTokenCreate>,
) -> Result<HttpResponse, ApiError> {
    let issued = api_tokens::create(&state.db, &keys, &principal, body).await?;
    Ok(created(&issued))
}

/// One API token (without its value).
#[utoipa::path(tag = "api-tokens", params(("id" = Uuid, Path)), responses((status = 200, body = ApiTokenView), ReadErrors), security(("bearer" = [])))]
#[get("/api-tokens/{id}")]
pub async fn get_one(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let token = api_tokens::get(&state.db, &principal, id.into_inner()).await?;
    Ok(HttpResponse::Ok().json(token))
}

/// Revoke a token: its next request is refused with 401. Revoking twice changes nothing.
#[utoipa::path(tag = "api-tokens", params(("id" = Uuid, Path)), responses((status = 200, body = ApiTokenView), ReadErrors), security(("bearer" = [])))]
#[post("/api-tokens/{id}/revoke")]
pub async fn revoke(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let token = api_tokens::revoke(&state.db, &principal, id.into_inner()).await?;
    Ok(HttpResponse::Ok().json(token))
}

/// Rotate a token: a new one with the same name, scopes, dealer and lifetime, acting as the
/// same user; the old one is revoked. A revoked token cannot be rotated (409).
#[utoipa::path(tag = "api-tokens", params(("id" = Uuid, Path)), responses((status = 201, body = ApiTokenIssued), CreateErrors), security(("bearer" = [])))]
#[post("/api-tokens/{id}/rotate")]
pub async fn rotate(
    state: web::Data<AppState>,
    keys: web::Data<TokenKeys>,
    principal: Principal,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let issued = api_tokens::rotate(&state.db, &keys, &principal, id.into_inner()).await?;
    Ok(created(&issued))
}
