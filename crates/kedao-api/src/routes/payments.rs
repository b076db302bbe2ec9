//! `/payments`: payments received (回款), applied oldest due first, and their voids.

use actix_web::{HttpResponse, get, post, web};
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use kedao_api_types::ListPage;
use kedao_api_types::receivables::{PaymentCreate, PaymentListQuery, PaymentView};

use crate::auth::Principal;
use crate::error::ApiError;
use crate::extract::{IfMatch, ValidJson, ValidQuery};
use crate::routes::responses::{CreateErrors, ListErrors, ReadErrors, UpdateErrors};
use crate::routes::{AppState, created, ok_versioned};
use crate::store::paging::Paging;
use crate::store::payments::{self, SORT_FIELDS};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list)
        .service(create)
        .service(get_one)
        .service(void);
}

/// Payments the caller may see (of accounts in their reach), newest first, paged by cursor.
#[utoipa::path(tag = "payments", params(PaymentListQuery), responses((status = 200, body = ListPage<PaymentView>), ListErrors), security(("bearer" = [])))]
#[get("/payments")]
pub async fn list(
    state: web::Data<AppState>,
    principal: Principal,
    ValidQuery(query): ValidQuery<PaymentListQuery>,
) -> Result<HttpResponse, ApiError> {
    let paging = Paging::parse(
        query.sort.as_deref(),
        query.limit,
        query.cursor.as_deref(),
        query.include_total,
        &SORT_FIELDS,
        "-created_at",
    )?;
    let page = payments::list(
        &state.db,
        &principal,
        query.account_id,
        query.order_id,
        paging,
    )
    .await?;
    Ok(HttpResponse::Ok().json(page))
}

/// Record a payment from an account: applied in one transaction to the open installments (of
/// `order_id`, else all the account's in that currency), oldest due first; the rest is kept as
/// the account's unapplied credit.
#[utoipa::path(tag = "payments", request_body = PaymentCreate, responses((status = 201, body = PaymentView), CreateErrors), security(("bearer" = [])))]
#[post("/payments")]
pub async fn create(
    state: web::Data<AppState>,
    principal: Principal,
    ValidJson(body): ValidJson<PaymentCreate>,
) -> Result<HttpResponse, ApiError> {
    let payment = payments::create(&state.db, &principal, body).await?;
    Ok(created(
        &payment,
        payment.version,
        format!("/api/v1/payments/{}", payment.id),
    ))
}

/// One payment with its allocations.
#[utoipa::path(tag = "payments", params(("id" = Uuid, Path)), responses((status = 200, body = PaymentView), ReadErrors), security(("bearer" = [])))]
#[get("/payments/{id}")]
pub async fn get_one(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let payment = payments::get(&state.db, &principal, id.into_inner()).await?;
    Ok(ok_versioned(&payment, payment.version))
}

/// Void a payment: reverses exactly its allocations; nothing is deleted. Twice is a 409.
#[utoipa::path(tag = "payments", params(("id" = Uuid, Path), ("If-Match" = String, Header, description = "ETag of the version you read")), responses((status = 200, body = PaymentView), UpdateErrors), security(("bearer" = [])))]
#[post("/payments/{id}/void")]
pub async fn void(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<Uuid>,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    let payment = payments::void(&state.db, &principal, id.into_inner(), if_match.0).await?;
    Ok(ok_versioned(&payment, payment.version))
}
