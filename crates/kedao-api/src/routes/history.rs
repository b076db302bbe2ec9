//! `/{resource}/{id}/history`: the key-field changes of a record, oldest first.

use actix_web::{HttpResponse, get, web};
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use kedao_api_types::ListPage;
use kedao_api_types::history::{FieldChangeView, HistoryQuery};
use kedao_domain::access::Resource;

use crate::auth::Principal;
use crate::error::ApiError;
use crate::extract::ValidQuery;
use crate::routes::AppState;
use crate::routes::responses::ReadErrors;
use crate::store::history::{self, SORT_FIELDS};
use crate::store::paging::Paging;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(accounts_history)
        .service(leads_history)
        .service(opportunities_history)
        .service(quotes_history)
        .service(orders_history)
        .service(products_history)
        .service(dealers_history);
}

async fn answer(
    state: &AppState,
    principal: &Principal,
    resource: Resource,
    id: Uuid,
    query: HistoryQuery,
) -> Result<HttpResponse, ApiError> {
    let paging = Paging::parse(
        query.sort.as_deref(),
        query.limit,
        query.cursor.as_deref(),
        query.include_total,
        &SORT_FIELDS,
        "at",
    )?;
    let page = history::list(&state.db, principal, resource, id, paging).await?;
    Ok(HttpResponse::Ok().json(page))
}

/// Changes to the account's key fields: who (user or token), when, old and new value. Readable
/// by whoever may read the account; kept when it is deleted (then readable by admins).
#[utoipa::path(tag = "accounts", params(("id" = Uuid, Path), HistoryQuery), responses((status = 200, body = ListPage<FieldChangeView>), ReadErrors), security(("bearer" = [])))]
#[get("/accounts/{id}/history")]
pub async fn accounts_history(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<Uuid>,
    ValidQuery(query): ValidQuery<HistoryQuery>,
) -> Result<HttpResponse, ApiError> {
    answer(
        &state,
        &principal,
        Resource::Accounts,
        id.into_inner(),
        query,
    )
    .await
}

/// Changes to the lead's key fields: who (user or token), when, old and new value. Readable
/// by whoever may read the lead; kept when it is deleted (then readable by admins).
#[utoipa::path(tag = "leads", params(("id" = Uuid, Path), HistoryQuery), responses((status = 200, body = ListPage<FieldChangeView>), ReadErrors), security(("bearer" = [])))]
#[get("/leads/{id}/history")]
pub async fn leads_history(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<Uuid>,
    ValidQuery(query): ValidQuery<HistoryQuery>,
) -> Result<HttpResponse, ApiError> {
    answer(&state, &principal, Resource::Leads, id.into_inner(), query).await
}

/// Changes to the opportunity's key fields: who (user or token), when, old and new value. Readable
/// by whoever may read the opportunity; kept when it is deleted (then readable by admins).
#[utoipa::path(tag = "opportunities", params(("id" = Uuid, Path), HistoryQuery), responses((status = 200, body = ListPage<FieldChangeView>), ReadErrors), security(("bearer" = [])))]
#[get("/opportunities/{id}/history")]
pub async fn opportunities_history(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<Uuid>,
    ValidQuery(query): ValidQuery<HistoryQuery>,
) -> Result<HttpResponse, ApiError> {
    answer(
        &state,
        &principal,
        Resource::Opportunities,
        id.into_inner(),
        query,
    )
    .await
}

/// Changes to the quote's key fields: who (user or token), when, old and new value. Readable
/// by whoever may read the quote; kept when it is deleted (then readable by admins).
#[utoipa::path(tag = "quotes", params(("id" = Uuid, Path), HistoryQuery), responses((status = 200, body = ListPage<FieldChangeView>), ReadErrors), security(("bearer" = [])))]
#[get("/quotes/{id}/history")]
pub async fn quotes_history(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<Uuid>,
    ValidQuery(query): ValidQuery<HistoryQuery>,
) -> Result<HttpResponse, ApiError> {
    answer(&state, &principal, Resource::Quotes, id.into_inner(), query).await
}

/// Changes to the order's key fields: who (user or token), when, old and new value. Readable
/// by whoever may read the order; kept when it is deleted (then readable by admins).
#[utoipa::path(tag = "orders", params(("id" = Uuid, Path), HistoryQuery), responses((status = 200, body = ListPage<FieldChangeView>), ReadErrors), security(("bearer" = [])))]
#[get("/orders/{id}/history")]
pub async fn orders_history(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<Uuid>,
    ValidQuery(query): ValidQuery<HistoryQuery>,
) -> Result<HttpResponse, ApiError> {
    answer(&state, &principal, Resource::Orders, id.into_inner(), query).await
}

/// Changes to the product's key fields: who (user or token), when, old and new value. Readable
/// by whoever may read the product; kept when it is deleted (then readable by admins).
#[utoipa::path(tag = "products", params(("id" = Uuid, Path), HistoryQuery), responses((status = 200, body = ListPage<FieldChangeView>), ReadErrors), security(("bearer" = [])))]
#[get("/products/{id}/history")]
pub async fn products_history(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<Uuid>,
    ValidQuery(query): ValidQuery<HistoryQuery>,
) -> Result<HttpResponse, ApiError> {
    answer(
        &state,
        &principal,
        Resource::Products,
        id.into_inner(),
        query,
    )
    .await
}

/// Changes to the dealer's key fields: who (user or token), when, old and new value. Readable
/// by whoever may read the dealer; kept when it is deleted (then readable by admins).
#[utoipa::path(tag = "dealers", params(("id" = Uuid, Path), HistoryQuery), responses((status = 200, body = ListPage<FieldChangeView>), ReadErrors), security(("bearer" = [])))]
#[get("/dealers/{id}/history")]
pub async fn dealers_history(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<Uuid>,
    ValidQuery(query): ValidQuery<HistoryQuery>,
) -> Result<HttpResponse, ApiError> {
    answer(
        &state,
        &principal,
        Resource::Dealers,
        id.into_inner(),
        query,
    )
    .await
}
