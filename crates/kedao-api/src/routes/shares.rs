//! `/accounts/{id}/shares`: sharing an account with a user or a team.

use actix_web::{HttpResponse, get, post, web};
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use kedao_api_types::ListPage;
use kedao_api_types::shares::{ShareCreate, ShareView};

use crate::auth::Principal;
use crate::error::ApiError;
use crate::extract::ValidJson;
use crate::routes::AppState;
use crate::routes::responses::{CreateErrors, ReadErrors, UpdateErrors};
use crate::store::shares;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list).service(create).service(revoke);
}

/// The account's shares (revoked ones included), for whoever sees the account.
#[utoipa::path(tag = "accounts", params(("id" = Uuid, Path)), responses((status = 200, body = ListPage<ShareView>), ReadErrors), security(("bearer" = [])))]
#[get("/accounts/{id}/shares")]
pub async fn list(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let page = shares::list(&state.db, &principal, id.into_inner()).await?;
    Ok(HttpResponse::Ok().json(page))
}

/// Share the account (its contacts, opportunities, quotes, orders and receivables) with a
/// user or a team, to read or to read and write: its owner, a manager above them, an admin.
#[utoipa::path(tag = "accounts", params(("id" = Uuid, Path)), request_body = ShareCreate, responses((status = 201, body = ShareView), CreateErrors), security(("bearer" = [])))]
#[post("/accounts/{id}/shares")]
pub async fn create(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<Uuid>,
    ValidJson(body): ValidJson<ShareCreate>,
) -> Result<HttpResponse, ApiError> {
    let share = shares::create(&state.db, &principal, id.into_inner(), body).await?;
    Ok(HttpResponse::Created().json(share))
}

/// Revoke a share; it takes effect on the very next request.
#[utoipa::path(tag = "accounts", params(("id" = Uuid, Path), ("share_id" = Uuid, Path)), responses((status = 200, body = ShareView), UpdateErrors), security(("bearer" = [])))]
#[post("/accounts/{id}/shares/{share_id}/revoke")]
pub async fn revoke(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<(Uuid, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (id, share_id) = path.into_inner();
    let share = shares::revoke(&state.db, &principal, id, share_id).await?;
    Ok(HttpResponse::Ok().json(share))
}
