//! Receivables (应收款): an order's payment plan and the receivables reports. "Today" is the
//! company's date (`KEDAO_TIME_ZONE`).

use actix_web::{HttpResponse, get, put, web};
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use kedao_api_types::ListPage;
use kedao_api_types::receivables::{
    AgingReport, OverdueQuery, OverdueView, PlanReplace, PlanView, ReceivablesReportQuery,
    SummaryReport,
};

use crate::auth::Principal;
use crate::error::ApiError;
use crate::extract::{IfMatch, ValidJson, ValidQuery};
use crate::routes::responses::{ListErrors, ReadErrors, UpdateErrors};
use crate::routes::{AppState, ok_versioned};
use crate::store::paging::Paging;
use crate::store::receivable_reports::{self, OVERDUE_SORT};
use crate::store::receivables;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(plan)
        .service(replace_plan)
        .service(aging)
        .service(summary)
        .service(overdue);
}

/// The order's payment plan: each installment with amount, paid, outstanding and its status
/// as of today. The ETag is the order's.
#[utoipa::path(tag = "receivables", params(("id" = Uuid, Path)), responses((status = 200, body = PlanView), ReadErrors), security(("bearer" = [])))]
#[get("/orders/{id}/plan")]
pub async fn plan(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let view = receivables::plan(&state.db, &principal, id.into_inner()).await?;
    Ok(ok_versioned(&view, view.order_version))
}

/// Replace the order's payment plan (If-Match of the order) while nothing has been applied to
/// it (409 `plan-has-payments`); the amounts must add up exactly to the order total.
#[utoipa::path(tag = "receivables", params(("id" = Uuid, Path), ("If-Match" = String, Header, description = "ETag of the order version you read")), request_body = PlanReplace, responses((status = 200, body = PlanView), UpdateErrors), security(("bearer" = [])))]
#[put("/orders/{id}/plan")]
pub async fn replace_plan(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<Uuid>,
    if_match: IfMatch,
    ValidJson(body): ValidJson<PlanReplace>,
) -> Result<HttpResponse, ApiError> {
    let view =
        receivables::replace(&state.db, &principal, id.into_inner(), if_match.0, body).await?;
    Ok(ok_versioned(&view, view.order_version))
}

/// Outstanding receivables by account, owner or owner's team, and currency, in aging buckets
/// (not due, 1–30, 31–60, 61–90, over 90 days past due as of the company's today). Only what
/// the caller may see; installments of cancelled orders are not counted. Rows by currency,
/// then total descending, then group id (the row without a team or dealer last); by account,
/// a page at a time (`limit`, `cursor`) in account order.
#[utoipa::path(tag = "receivables", params(ReceivablesReportQuery), responses((status = 200, body = AgingReport), ListErrors), security(("bearer" = [])))]
#[get("/receivables/aging")]
pub async fn aging(
    state: web::Data<AppState>,
    principal: Principal,
    ValidQuery(query): ValidQuery<ReceivablesReportQuery>,
) -> Result<HttpResponse, ApiError> {
    let report = receivable_reports::aging(
        &state.db,
        &principal,
        query.group_by.unwrap_or_default(),
        query.limit,
        query.cursor.as_deref(),
    )
    .await?;
    Ok(HttpResponse::Ok().json(report))
}

/// Outstanding and overdue totals by account, owner or owner's team, and currency. Only what
/// the caller may see; installments of cancelled orders are not counted. Rows by currency,
/// then outstanding descending, then group id (the row without a team or dealer last); by
/// account, a page at a time (`limit`, `cursor`) in account order.
#[utoipa::path(tag = "receivables", params(ReceivablesReportQuery), responses((status = 200, body = SummaryReport), ListErrors), security(("bearer" = [])))]
#[get("/receivables/summary")]
pub async fn summary(
    state: web::Data<AppState>,
    principal: Principal,
    ValidQuery(query): ValidQuery<ReceivablesReportQuery>,
) -> Result<HttpResponse, ApiError> {
    let report = receivable_reports::summary(
        &state.db,
        &principal,
        query.group_by.unwrap_or_default(),
        query.limit,
        query.cursor.as_deref(),
    )
    .await?;
    Ok(HttpResponse::Ok().json(report))
}

/// Overdue installments the caller may see (not those of cancelled orders), most days overdue
/// first (then by id), paged by cursor.
#[utoipa::path(tag = "receivables", params(OverdueQuery), responses((status = 200, body = ListPage<OverdueView>), ListErrors), security(("bearer" = [])))]
#[get("/receivables/overdue")]
pub async fn overdue(
    state: web::Data<AppState>,
    principal: Principal,
    ValidQuery(query): ValidQuery<OverdueQuery>,
) -> Result<HttpResponse, ApiError> {
    let paging = Paging::parse(
        None,
        query.limit,
        query.cursor.as_deref(),
        query.include_total,
        &OVERDUE_SORT,
        "due_date",
    )?;
    let page = receivable_reports::overdue(&state.db, &principal, paging).await?;
    Ok(HttpResponse::Ok().json(page))
}
