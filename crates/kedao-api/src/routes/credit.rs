//! `/accounts/{id}/credit`: an account's credit limit and where it stands against it.

use actix_web::{HttpResponse, get, put, web};
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use kedao_api_types::credit::{AccountCreditView, CreditLimitSet};

use crate::auth::Principal;
use crate::error::ApiError;
use crate::extract::{IfMatch, ValidJson};
use crate::routes::responses::{ReadErrors, UpdateErrors};
use crate::routes::{AppState, ok_versioned};
use crate::store::credit;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(get_credit).service(set_limit);
}

/// The account's credit limit, what it owes and has in credit per currency, how much more it
/// may order before new orders go on hold, its oldest overdue installment and its held orders.
#[utoipa::path(tag = "credit", params(("id" = Uuid, Path)), responses((status = 200, body = AccountCreditView), ReadErrors), security(("bearer" = [])))]
#[get("/accounts/{id}/credit")]
pub async fn get_credit(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let view = credit::view(
        &state.db,
        &principal,
        id.into_inner(),
        state.settings.credit_hold_overdue_days,
    )
    .await?;
    Ok(ok_versioned(&view, view.version))
}

/// Set (or, with `limit: null`, remove) the account's credit limit: finance, or a manager of
/// the account's owner. New orders that would take the account over it go on credit hold.
#[utoipa::path(tag = "credit", params(("id" = Uuid, Path), ("If-Match" = String, Header, description = "ETag of the account version you read")), request_body = CreditLimitSet, responses((status = 200, body = AccountCreditView), UpdateErrors), security(("bearer" = [])))]
#[put("/accounts/{id}/credit")]
pub async fn set_limit(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<Uuid>,
    if_match: IfMatch,
    ValidJson(body): ValidJson<CreditLimitSet>,
) -> Result<HttpResponse, ApiError> {
    let view = credit::set_limit(
        &state.db,
        &principal,
        id.into_inner(),
        if_match.0,
        body,
        state.settings.credit_hold_overdue_days,
    )
    .await?;
    Ok(ok_versioned(&view, view.version))
}
