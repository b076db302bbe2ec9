//! `/orders`: orders (订单), their fulfilment status and timeline.

use actix_web::{HttpResponse, get, post, web};
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use kedao_api_types::ListPage;
use kedao_api_types::orders::{
    CreditHoldRelease, OrderCreate, OrderEventView, OrderListQuery, OrderStatusChange, OrderView,
};

use crate::auth::Principal;
use crate::error::ApiError;
use crate::extract::{IfMatch, ValidJson, ValidQuery};
use crate::routes::responses::{CreateErrors, ListErrors, ReadErrors, UpdateErrors};
use crate::routes::{AppState, created, html_page, ok_versioned};
use crate::store::order_document;
use crate::store::order_status;
use crate::store::orders::{self, OrderFilter, SORT_FIELDS};
use crate::store::paging::Paging;
use crate::store::retry::retrying;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list)
        .service(create)
        .service(get_one)
        .service(change_status)
        .service(release_hold)
        .service(timeline)
        .service(document);
}

/// Orders the caller may see, filtered, sorted and paged by cursor.
#[utoipa::path(tag = "orders", params(OrderListQuery), responses((status = 200, body = ListPage<OrderView>), ListErrors), security(("bearer" = [])))]
#[get("/orders")]
pub async fn list(
    state: web::Data<AppState>,
    principal: Principal,
    ValidQuery(query): ValidQuery<OrderListQuery>,
) -> Result<HttpResponse, ApiError> {
    let paging = Paging::parse(
        query.sort.as_deref(),
        query.limit,
        query.cursor.as_deref(),
        query.include_total,
        &SORT_FIELDS,
        "-created_at",
    )?;
    let filter = OrderFilter {
        status: query.status,
        credit_status: query.credit_status,
        account_id: query.account_id,
        owner_id: query.owner_id,
        q: query.q,
    };
    Ok(HttpResponse::Ok().json(orders::list(&state.db, &principal, filter, paging).await?))
}

/// Enter an order directly (without a quote), priced by the server; it starts `confirmed`.
#[utoipa::path(tag = "orders", request_body = OrderCreate, responses((status = 201, body = OrderView), CreateErrors), security(("bearer" = [])))]
#[post("/orders")]
pub async fn create(
    state: web::Data<AppState>,
    principal: Principal,
    ValidJson(body): ValidJson<OrderCreate>,
) -> Result<HttpResponse, ApiError> {
    let terms = state.settings.order_terms();
    // A race lost while spending the account's credit on the new plan is retried whole.
    let order =
        retrying(async || orders::create(&state.db, &principal, body.clone(), terms).await).await?;
    Ok(created(
        &order,
        order.version,
        format!("/api/v1/orders/{}", order.id),
    ))
}

/// One order with its lines (at the prices sold) and totals.
#[utoipa::path(tag = "orders", params(("id" = Uuid, Path)), responses((status = 200, body = OrderView), ReadErrors), security(("bearer" = [])))]
#[get("/orders/{id}")]
pub async fn get_one(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let order = orders::get(&state.db, &principal, id.into_inner()).await?;
    Ok(ok_versioned(&order, order.version))
}

/// Move the order one step: confirmed → in_fulfilment → shipped → delivered → completed, or
/// cancelled before it ships. Each change is added to the timeline.
#[utoipa::path(tag = "orders", params(("id" = Uuid, Path), ("If-Match" = String, Header, description = "ETag of the version you read")), request_body = OrderStatusChange, responses((status = 200, body = OrderView), UpdateErrors), security(("bearer" = [])))]
#[post("/orders/{id}/status")]
pub async fn change_status(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<Uuid>,
    if_match: IfMatch,
    ValidJson(body): ValidJson<OrderStatusChange>,
) -> Result<HttpResponse, ApiError> {
    let order =
        order_status::change(&state.db, &principal, id.into_inner(), if_match.0, body).await?;
    Ok(ok_versioned(&order, order.version))
}

/// Release the order's credit hold so it can move towards fulfilment: finance, or a manager
/// of the order's owner. The release and its note are added to the timeline.
#[utoipa::path(tag = "credit", params(("id" = Uuid, Path), ("If-Match" = String, Header, description = "ETag of the version you read")), request_body = CreditHoldRelease, responses((status = 200, body = OrderView), UpdateErrors), security(("bearer" = [])))]
#[post("/orders/{id}/release-hold")]
pub async fn release_hold(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<Uuid>,
    if_match: IfMatch,
    ValidJson(body): ValidJson<CreditHoldRelease>,
) -> Result<HttpResponse, ApiError> {
    let order =
        order_status::release_hold(&state.db, &principal, id.into_inner(), if_match.0, body)
            .await?;
    Ok(ok_versioned(&order, order.version))
}

/// The order's status changes, oldest first, with who made each and when.
#[utoipa::path(tag = "orders", params(("id" = Uuid, Path)), responses((status = 200, body = ListPage<OrderEventView>), ReadErrors), security(("bearer" = [])))]
#[get("/orders/{id}/timeline")]
pub async fn timeline(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let events = order_status::timeline(&state.db, &principal, id.into_inner()).await?;
    Ok(HttpResponse::Ok().json(ListPage::complete(events)))
}

/// The order confirmation (订单确认书) as a printable HTML page: company header, customer,
/// status, the lines as sold, totals, and the payment plan's installments.
#[utoipa::path(tag = "orders", params(("id" = Uuid, Path)), responses((status = 200, description = "Printable order confirmation", content_type = "text/html; charset=utf-8", body = String), ReadErrors), security(("bearer" = [])))]
#[get("/orders/{id}/document")]
pub async fn document(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let html = order_document::document(
        &state.db,
        &principal,
        id.into_inner(),
        &state.settings.company,
    )
    .await?;
    Ok(html_page(html))
}
