//! `/quotes`: quotes (报价), their approval, sending, rejection, revisions and printable form.

use actix_web::{HttpResponse, delete, get, patch, post, web};
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use kedao_api_types::ListPage;
use kedao_api_types::orders::OrderView;
use kedao_api_types::quotes::{
    ApprovalRequested, QuoteCreate, QuoteListQuery, QuoteUpdate, QuoteView,
};

use crate::auth::Principal;
use crate::error::ApiError;
use crate::extract::{IfMatch, ValidJson, ValidQuery};
use crate::routes::responses::{CreateErrors, DeleteErrors, ListErrors, ReadErrors, UpdateErrors};
use crate::routes::{AppState, created, html_page, ok_versioned};
use crate::store::paging::Paging;
use crate::store::quote_list::{self, QuoteFilter, SORT_FIELDS};
use crate::store::retry::retrying;
use crate::store::{quote_accept, quote_approval_request, quote_document, quote_status, quotes};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list)
        .service(create)
        .service(get_one)
        .service(update)
        .service(remove)
        .service(send)
        .service(approve)
        .service(request_approval)
        .service(reject)
        .service(revise)
        .service(accept)
        .service(revisions)
        .service(document);
}

/// Quotes the caller may see (the latest revision of each unless `include_superseded`),
/// filtered, sorted and paged by cursor.
#[utoipa::path(tag = "quotes", params(QuoteListQuery), responses((status = 200, body = ListPage<QuoteView>), ListErrors), security(("bearer" = [])))]
#[get("/quotes")]
pub async fn list(
    state: web::Data<AppState>,
    principal: Principal,
    ValidQuery(query): ValidQuery<QuoteListQuery>,
) -> Result<HttpResponse, ApiError> {
    let paging = Paging::parse(
        query.sort.as_deref(),
        query.limit,
        query.cursor.as_deref(),
        query.include_total,
        &SORT_FIELDS,
        "-created_at",
    )?;
    let filter = QuoteFilter {
        opportunity_id: query.opportunity_id,
        account_id: query.account_id,
        status: query.status,
        owner_id: query.owner_id,
        q: query.q,
        include_superseded: query.include_superseded.unwrap_or(false),
    };
    Ok(HttpResponse::Ok().json(quote_list::list(&state.db, &principal, filter, paging).await?))
}

/// Write a quote for an opportunity: revision 1 of a new number, in draft, priced by the
/// server.
#[utoipa::path(tag = "quotes", request_body = QuoteCreate, responses((status = 201, body = QuoteView), CreateErrors), security(("bearer" = [])))]
#[post("/quotes")]
pub async fn create(
    state: web::Data<AppState>,
    principal: Principal,
    ValidJson(body): ValidJson<QuoteCreate>,
) -> Result<HttpResponse, ApiError> {
    let threshold = state.settings.quote_approval_discount_percent;
    let quote = quotes::create(&state.db, &principal, body, threshold).await?;
    Ok(created(
        &quote,
        quote.version,
        format!("/api/v1/quotes/{}", quote.id),
    ))
}

/// One quote with its lines and totals.
#[utoipa::path(tag = "quotes", params(("id" = Uuid, Path)), responses((status = 200, body = QuoteView), ReadErrors), security(("bearer" = [])))]
#[get("/quotes/{id}")]
pub async fn get_one(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let quote = quotes::get(&state.db, &principal, id.into_inner()).await?;
    Ok(ok_versioned(&quote, quote.version))
}

/// Change a draft (new `lines` replace all); re-priced, and any approval is cleared.
#[utoipa::path(tag = "quotes", params(("id" = Uuid, Path), ("If-Match" = String, Header, description = "ETag of the version you read")), request_body = QuoteUpdate, responses((status = 200, body = QuoteView), UpdateErrors), security(("bearer" = [])))]
#[patch("/quotes/{id}")]
pub async fn update(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<Uuid>,
    if_match: IfMatch,
    ValidJson(body): ValidJson<QuoteUpdate>,
) -> Result<HttpResponse, ApiError> {
    let threshold = state.settings.quote_approval_discount_percent;
    let quote = quotes::update(
        &state.db,
        &principal,
        id.into_inner(),
        if_match.0,
        body,
        threshold,
    )
    .await?;
    Ok(ok_versioned(&quote, quote.version))
}

/// Delete a draft (first revision only) and its lines.
#[utoipa::path(tag = "quotes", params(("id" = Uuid, Path), ("If-Match" = String, Header, description = "ETag of the version you read")), responses((status = 204, description = "Deleted"), DeleteErrors), security(("bearer" = [])))]
#[delete("/quotes/{id}")]
pub async fn remove(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<Uuid>,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    quotes::delete(&state.db, &principal, id.into_inner(), if_match.0).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Send a draft to the customer (approved first if its discount needs it; `valid_until` not
/// passed).
#[utoipa::path(tag = "quotes", params(("id" = Uuid, Path), ("If-Match" = String, Header, description = "ETag of the version you read")), responses((status = 200, body = QuoteView), UpdateErrors), security(("bearer" = [])))]
#[post("/quotes/{id}/send")]
pub async fn send(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<Uuid>,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    let quote = quote_status::send(&state.db, &principal, id.into_inner(), if_match.0).await?;
    Ok(ok_versioned(&quote, quote.version))
}

/// Approve a draft whose discount is above the threshold: a manager of the owner's team or an
/// admin.
#[utoipa::path(tag = "quotes", params(("id" = Uuid, Path), ("If-Match" = String, Header, description = "ETag of the version you read")), responses((status = 200, body = QuoteView), UpdateErrors), security(("bearer" = [])))]
#[post("/quotes/{id}/approve")]
pub async fn approve(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<Uuid>,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    let quote = quote_status::approve(&state.db, &principal, id.into_inner(), if_match.0).await?;
    Ok(ok_versioned(&quote, quote.version))
}

/// Ask for the discount approval a draft needs: the managers above the quote's owner (or the
/// admins, when there is none) are notified, once per version of the quote.
#[utoipa::path(tag = "quotes", params(("id" = Uuid, Path), ("If-Match" = String, Header, description = "ETag of the version you read")), responses((status = 200, body = ApprovalRequested), UpdateErrors), security(("bearer" = [])))]
#[post("/quotes/{id}/request-approval")]
pub async fn request_approval(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<Uuid>,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    let asked = quote_approval_request::request_approval(
        &state.db,
        &principal,
        id.into_inner(),
        if_match.0,
    )
    .await?;
    Ok(HttpResponse::Ok().json(asked))
}

/// Record that the customer turned down a sent quote.
#[utoipa::path(tag = "quotes", params(("id" = Uuid, Path), ("If-Match" = String, Header, description = "ETag of the version you read")), responses((status = 200, body = QuoteView), UpdateErrors), security(("bearer" = [])))]
#[post("/quotes/{id}/reject")]
pub async fn reject(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<Uuid>,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    let quote = quote_status::reject(&state.db, &principal, id.into_inner(), if_match.0).await?;
    Ok(ok_versioned(&quote, quote.version))
}

/// Open the next revision of the latest revision: a draft with the same number and lines; the
/// old revision becomes `superseded`.
#[utoipa::path(tag = "quotes", params(("id" = Uuid, Path), ("If-Match" = String, Header, description = "ETag of the version you read")), responses((status = 201, body = QuoteView), UpdateErrors), security(("bearer" = [])))]
#[post("/quotes/{id}/revise")]
pub async fn revise(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<Uuid>,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    let threshold = state.settings.quote_approval_discount_percent;
    let quote = quote_status::revise(
        &state.db,
        &principal,
        id.into_inner(),
        if_match.0,
        threshold,
    )
    .await?;
    Ok(created(
        &quote,
        quote.version,
        format!("/api/v1/quotes/{}", quote.id),
    ))
}

/// Accept the latest revision of a sent, still valid quote: the quote becomes `accepted`, its
/// opportunity moves to the first won stage, and an order is created with its lines and totals.
#[utoipa::path(tag = "quotes", params(("id" = Uuid, Path), ("If-Match" = String, Header, description = "ETag of the version you read")), responses((status = 201, body = OrderView), UpdateErrors), security(("bearer" = [])))]
#[post("/quotes/{id}/accept")]
pub async fn accept(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<Uuid>,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let terms = state.settings.order_terms();
    // A race lost while spending the account's credit on the new plan is retried whole.
    let order =
        retrying(async || quote_accept::accept(&state.db, &principal, id, if_match.0, terms).await)
            .await?;
    Ok(created(
        &order,
        order.version,
        format!("/api/v1/orders/{}", order.id),
    ))
}

/// Every revision of the quote's number, oldest first.
#[utoipa::path(tag = "quotes", params(("id" = Uuid, Path)), responses((status = 200, body = ListPage<QuoteView>), ReadErrors), security(("bearer" = [])))]
#[get("/quotes/{id}/revisions")]
pub async fn revisions(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let all = quotes::revisions(&state.db, &principal, id.into_inner()).await?;
    Ok(HttpResponse::Ok().json(ListPage::complete(all)))
}

/// The quote as a printable HTML page (company header, customer, lines, totals).
#[utoipa::path(tag = "quotes", params(("id" = Uuid, Path)), responses((status = 200, description = "Printable quote", content_type = "text/html; charset=utf-8", body = String), ReadErrors), security(("bearer" = [])))]
#[get("/quotes/{id}/document")]
pub async fn document(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let html = quote_document::document(
        &state.db,
        &principal,
        id.into_inner(),
        &state.settings.company,
    )
    .await?;
    Ok(html_page(html))
}
