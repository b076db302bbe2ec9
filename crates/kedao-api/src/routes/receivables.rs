//! Receivables (应收款): an order's payment plan and the receivables reports. "Today" is the
//! company's date (`KEDAO_TIME_ZONE`).

use actix_web::{HttpResponse, get, put, web};
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use kedao_api_types::ListPage;
use kedao_api_types::receivables::{
    AgingReport, AgingRow, OverdueExportQuery, OverdueQuery, OverdueView, PlanReplace, PlanView,
    ReceivablesExportQuery, ReceivablesGroupBy, ReceivablesReportQuery, SummaryReport, SummaryRow,
};

use crate::auth::Principal;
use crate::error::ApiError;
use crate::extract::{IfMatch, ValidJson, ValidQuery};
use crate::routes::csv::{Cell, download};
use crate::routes::responses::{ListErrors, ReadErrors, UpdateErrors};
use crate::routes::{AppState, ok_versioned};
use crate::store::paging::Paging;
use crate::store::receivable_exports::{whole_aging, whole_overdue, whole_summary};
use crate::store::receivable_reports::{self, OVERDUE_SORT};
use crate::store::receivables;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(plan)
        .service(replace_plan)
        .service(aging)
        .service(aging_export)
        .service(summary)
        .service(summary_export)
        .service(overdue)
        .service(overdue_export);
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

/// The whole aging report as CSV for a spreadsheet (every page of a by-account report, read
/// as one snapshot): columns `group_id, group_name, currency, not_due, d1_30, d31_60, d61_90,
/// over_90, total`, as in the JSON report and in its order. UTF-8 with a byte-order mark; a
/// name a spreadsheet would run as a formula starts with `'`.
#[utoipa::path(tag = "receivables", params(ReceivablesExportQuery), responses((status = 200, description = "The report as CSV", content_type = "text/csv; charset=utf-8", body = String), ListErrors), security(("bearer" = [])))]
#[get("/receivables/aging/export")]
pub async fn aging_export(
    state: web::Data<AppState>,
    principal: Principal,
    ValidQuery(query): ValidQuery<ReceivablesExportQuery>,
) -> Result<HttpResponse, ApiError> {
    let by = query.group_by.unwrap_or_default();
    let report = whole_aging(&state.db, &principal, by).await?;
    let rows: Vec<Vec<Cell>> = report.rows.iter().map(aging_cells).collect();
    Ok(download(
        &export_name("aging", by, report.as_of),
        &[
            "group_id",
            "group_name",
            "currency",
            "not_due",
            "d1_30",
            "d31_60",
            "d61_90",
            "over_90",
            "total",
        ],
        &rows,
    ))
}

/// The whole per-group summary as CSV: columns `group_id, group_name, currency, outstanding,
/// overdue`, as in the JSON report and in its order (see the aging export for the format).
#[utoipa::path(tag = "receivables", params(ReceivablesExportQuery), responses((status = 200, description = "The report as CSV", content_type = "text/csv; charset=utf-8", body = String), ListErrors), security(("bearer" = [])))]
#[get("/receivables/summary/export")]
pub async fn summary_export(
    state: web::Data<AppState>,
    principal: Principal,
    ValidQuery(query): ValidQuery<ReceivablesExportQuery>,
) -> Result<HttpResponse, ApiError> {
    let by = query.group_by.unwrap_or_default();
    let report = whole_summary(&state.db, &principal, by).await?;
    let rows: Vec<Vec<Cell>> = report.rows.iter().map(summary_cells).collect();
    Ok(download(
        &export_name("summary", by, report.as_of),
        &[
            "group_id",
            "group_name",
            "currency",
            "outstanding",
            "overdue",
        ],
        &rows,
    ))
}

/// `receivables-aging-by-owner-2026-11-25.csv`.
fn export_name(report: &str, by: ReceivablesGroupBy, as_of: chrono::NaiveDate) -> String {
    format!("receivables-{report}-by-{}-{as_of}.csv", by.as_str())
}

/// A group's id, name and currency: the first three columns of both exports.
fn group_cells(id: Option<uuid::Uuid>, name: Option<&str>, currency: &str) -> Vec<Cell> {
    vec![
        Cell::Plain(id.map(|i| i.to_string()).unwrap_or_default()),
        Cell::Text(name.unwrap_or_default().to_owned()),
        Cell::Plain(currency.to_owned()),
    ]
}

fn aging_cells(r: &AgingRow) -> Vec<Cell> {
    let mut cells = group_cells(r.group_id, r.group_name.as_deref(), r.currency.code());
    for figure in [r.not_due, r.d1_30, r.d31_60, r.d61_90, r.over_90, r.total] {
        cells.push(Cell::Plain(figure.to_string()));
    }
    cells
}

fn summary_cells(r: &SummaryRow) -> Vec<Cell> {
    let mut cells = group_cells(r.group_id, r.group_name.as_deref(), r.currency.code());
    for figure in [r.outstanding, r.overdue] {
        cells.push(Cell::Plain(figure.to_string()));
    }
    cells
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

/// The whole overdue list as CSV, the collection list for a spreadsheet (most days overdue
/// first, read as one snapshot): columns `due_date, days_overdue, account_name,
/// order_number, seq, currency, amount, paid, outstanding, owner_name, account_id, order_id,
/// installment_id`. Same format as the aging export.
#[utoipa::path(tag = "receivables", responses((status = 200, description = "The overdue list as CSV", content_type = "text/csv; charset=utf-8", body = String), ListErrors), security(("bearer" = [])))]
#[get("/receivables/overdue/export")]
pub async fn overdue_export(
    state: web::Data<AppState>,
    principal: Principal,
    // Refuses any parameter: the export is always the whole list.
    _no_parameters: ValidQuery<OverdueExportQuery>,
) -> Result<HttpResponse, ApiError> {
    let rows = whole_overdue(&state.db, &principal).await?;
    let cells: Vec<Vec<Cell>> = rows.iter().map(overdue_cells).collect();
    Ok(download(
        &format!("receivables-overdue-{}.csv", principal.today),
        &[
            "due_date",
            "days_overdue",
            "account_name",
            "order_number",
            "seq",
            "currency",
            "amount",
            "paid",
            "outstanding",
            "owner_name",
            "account_id",
            "order_id",
            "installment_id",
        ],
        &cells,
    ))
}

fn overdue_cells(o: &OverdueView) -> Vec<Cell> {
    let i = &o.installment;
    vec![
        Cell::Plain(i.due_date.to_string()),
        Cell::Plain(o.days_overdue.to_string()),
        Cell::Text(o.account_name.clone()),
        Cell::Plain(o.order_number.clone()),
        Cell::Plain(i.seq.to_string()),
        Cell::Plain(i.currency.code().to_owned()),
        Cell::Plain(i.amount.to_string()),
        Cell::Plain(i.paid.to_string()),
        Cell::Plain(i.outstanding.to_string()),
        Cell::Text(o.owner_name.clone()),
        Cell::Plain(o.account_id.to_string()),
        Cell::Plain(i.order_id.to_string()),
        Cell::Plain(i.id.to_string()),
    ]
}
