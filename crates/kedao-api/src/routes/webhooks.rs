//! `/webhooks`: outbound webhook subscriptions (admins; dealer admins for their dealer's
//! events) and their delivery logs.

use actix_web::{HttpResponse, delete, get, patch, post, web};
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use kedao_api_types::ListPage;
use kedao_api_types::webhooks::{
    DeliveryListQuery, DeliveryView, WebhookCreate, WebhookListQuery, WebhookUpdate, WebhookView,
    WebhookWithSecret,
};

use crate::auth::Principal;
use crate::error::ApiError;
use crate::extract::{IfMatch, ValidJson, ValidQuery};
use crate::routes::responses::{CreateErrors, ListErrors, ReadErrors, UpdateErrors};
use crate::routes::{AppState, created, ok_versioned};
use crate::store::paging::Paging;
use crate::webhooks::{deliveries, subscriptions};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list)
        .service(create)
        .service(get_one)
        .service(update)
        .service(remove)
        .service(rotate_secret)
        .service(list_deliveries)
        .service(redeliver);
}

/// Subscriptions the caller manages (admins: all; dealer admins: their dealer's), newest
/// first. Secrets are never listed.
#[utoipa::path(tag = "webhooks", params(WebhookListQuery), responses((status = 200, body = ListPage<WebhookView>), ListErrors), security(("bearer" = [])))]
#[get("/webhooks")]
pub async fn list(
    state: web::Data<AppState>,
    principal: Principal,
    ValidQuery(query): ValidQuery<WebhookListQuery>,
) -> Result<HttpResponse, ApiError> {
    let paging = Paging::parse(
        None,
        query.limit,
        query.cursor.as_deref(),
        query.include_total,
        &subscriptions::SORT_FIELDS,
        "-created_at",
    )?;
    let page = subscriptions::list(&state.db, &principal, query.active, paging).await?;
    Ok(HttpResponse::Ok().json(page))
}

/// Subscribe a URL to events. The answer carries the signing secret, shown this once. The
/// URL must be http(s) on a public address (see `KEDAO_WEBHOOK_ALLOW_PRIVATE`).
#[utoipa::path(tag = "webhooks", request_body = WebhookCreate, responses((status = 201, body = WebhookWithSecret), CreateErrors), security(("bearer" = [])))]
#[post("/webhooks")]
pub async fn create(
    state: web::Data<AppState>,
    principal: Principal,
    ValidJson(body): ValidJson<WebhookCreate>,
) -> Result<HttpResponse, ApiError> {
    let allow_private = state.settings.webhook_allow_private;
    let created_hook = subscriptions::create(&state.db, &principal, allow_private, body).await?;
    let (id, version) = (created_hook.webhook.id, created_hook.webhook.version);
    Ok(created(
        &created_hook,
        version,
        format!("/api/v1/webhooks/{id}"),
    ))
}

/// One subscription (without its secret).
#[utoipa::path(tag = "webhooks", params(("id" = Uuid, Path)), responses((status = 200, body = WebhookView), ReadErrors), security(("bearer" = [])))]
#[get("/webhooks/{id}")]
pub async fn get_one(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let hook = subscriptions::get(&state.db, &principal, id.into_inner()).await?;
    Ok(ok_versioned(&hook, hook.version))
}

/// Change the URL or events, or disable or enable it (enabling clears its failures).
#[utoipa::path(tag = "webhooks", params(("id" = Uuid, Path), ("If-Match" = String, Header, description = "ETag of the version you read")), request_body = WebhookUpdate, responses((status = 200, body = WebhookView), UpdateErrors), security(("bearer" = [])))]
#[patch("/webhooks/{id}")]
pub async fn update(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<Uuid>,
    if_match: IfMatch,
    ValidJson(body): ValidJson<WebhookUpdate>,
) -> Result<HttpResponse, ApiError> {
    let allow_private = state.settings.webhook_allow_private;
    let hook = subscriptions::update(
        &state.db,
        &principal,
        allow_private,
        id.into_inner(),
        if_match.0,
        body,
    )
    .await?;
    Ok(ok_versioned(&hook, hook.version))
}

/// Delete a subscription and its delivery log.
#[utoipa::path(tag = "webhooks", params(("id" = Uuid, Path)), responses((status = 204, description = "Deleted"), ReadErrors), security(("bearer" = [])))]
#[delete("/webhooks/{id}")]
pub async fn remove(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    subscriptions::delete(&state.db, &principal, id.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Replace the signing secret; the answer carries the new one, shown this once.
#[utoipa::path(tag = "webhooks", params(("id" = Uuid, Path)), responses((status = 200, body = WebhookWithSecret), ReadErrors), security(("bearer" = [])))]
#[post("/webhooks/{id}/rotate-secret")]
pub async fn rotate_secret(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let hook = subscriptions::rotate_secret(&state.db, &principal, id.into_inner()).await?;
    Ok(HttpResponse::Ok().json(hook))
}

/// The subscription's deliveries, newest first: status, attempts, last response code and
/// latency.
#[utoipa::path(tag = "webhooks", params(("id" = Uuid, Path), DeliveryListQuery), responses((status = 200, body = ListPage<DeliveryView>), ListErrors, ReadErrors), security(("bearer" = [])))]
#[get("/webhooks/{id}/deliveries")]
pub async fn list_deliveries(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<Uuid>,
    ValidQuery(query): ValidQuery<DeliveryListQuery>,
) -> Result<HttpResponse, ApiError> {
    let paging = Paging::parse(
        None,
        query.limit,
        query.cursor.as_deref(),
        query.include_total,
        &deliveries::SORT_FIELDS,
        "-created_at",
    )?;
    let page =
        deliveries::list(&state.db, &principal, id.into_inner(), query.status, paging).await?;
    Ok(HttpResponse::Ok().json(page))
}

/// Send a delivery again: the same event (id and body), signed anew (409 while it is still
/// being attempted).
#[utoipa::path(tag = "webhooks", params(("id" = Uuid, Path), ("delivery_id" = Uuid, Path)), responses((status = 202, body = DeliveryView), CreateErrors), security(("bearer" = [])))]
#[post("/webhooks/{id}/deliveries/{delivery_id}/redeliver")]
pub async fn redeliver(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<(Uuid, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (id, delivery_id) = path.into_inner();
    let delivery = deliveries::redeliver(
        &state.db,
        &principal,
        id,
        delivery_id,
        state.settings.webhook_max_attempts,
    )
    .await?;
    Ok(HttpResponse::Accepted().json(delivery))
}
