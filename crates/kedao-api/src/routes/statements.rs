//! Statement of account (对账单) of one account over a period, as JSON and as a printable page.

use actix_web::{HttpResponse, get, web};
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use kedao_api_types::statements::{StatementQuery, StatementView};

use crate::auth::Principal;
use crate::error::ApiError;
use crate::extract::ValidQuery;
use crate::routes::responses::{ListErrors, ReadErrors};
use crate::routes::{AppState, html_page};
use crate::store::{statement_document, statements};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(account_statement)
        .service(account_statement_document);
}

/// The account's statement from `from` to `to` (company calendar; default this month up to
/// today): per currency, the opening balance, each order, cancellation, payment and void with
/// the running balance, the period's totals, the closing balance and the unapplied credit.
/// Balances are debits − credits (negative: the customer is in credit). Needs read access to
/// receivables and to the account; a period over 3660 days, or `from` after `to`, is a 422
/// naming `from`.
#[utoipa::path(tag = "statements", params(("id" = Uuid, Path), StatementQuery), responses((status = 200, body = StatementView), ListErrors, ReadErrors), security(("bearer" = [])))]
#[get("/accounts/{id}/statement")]
pub async fn account_statement(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<Uuid>,
    ValidQuery(query): ValidQuery<StatementQuery>,
) -> Result<HttpResponse, ApiError> {
    let view = statements::statement_of(&state.db, &principal, id.into_inner(), query).await?;
    Ok(HttpResponse::Ok().json(view))
}

/// The same statement as a printable HTML page (company header, customer, one table per
/// currency).
#[utoipa::path(tag = "statements", params(("id" = Uuid, Path), StatementQuery), responses((status = 200, description = "Printable statement of account", content_type = "text/html; charset=utf-8", body = String), ListErrors, ReadErrors), security(("bearer" = [])))]
#[get("/accounts/{id}/statement/document")]
pub async fn account_statement_document(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<Uuid>,
    ValidQuery(query): ValidQuery<StatementQuery>,
) -> Result<HttpResponse, ApiError> {
    let html = statement_document::document(
        &state.db,
        &principal,
        id.into_inner(),
        query,
        &state.settings.company,
    )
    .await?;
    Ok(html_page(html))
}
