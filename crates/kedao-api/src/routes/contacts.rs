//! `/contacts`: the people at the accounts the caller may see.

use actix_web::{HttpResponse, delete, get, patch, post, web};
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use kedao_api_types::ListPage;
use kedao_api_types::contacts::{ContactCreate, ContactListQuery, ContactUpdate, ContactView};

use crate::auth::Principal;
use crate::error::ApiError;
use crate::extract::{IfMatch, ValidJson, ValidQuery};
use crate::routes::responses::{CreateErrors, DeleteErrors, ListErrors, ReadErrors, UpdateErrors};
use crate::routes::{AppState, created, ok_versioned};
use crate::store::contacts::{self, ContactFilter, SORT_FIELDS};
use crate::store::paging::Paging;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list)
        .service(create)
        .service(get_one)
        .service(update)
        .service(remove);
}

/// Contacts of the accounts the caller may see, filtered, sorted and paged by cursor.
#[utoipa::path(tag = "contacts", params(ContactListQuery), responses((status = 200, body = ListPage<ContactView>), ListErrors), security(("bearer" = [])))]
#[get("/contacts")]
pub async fn list(
    state: web::Data<AppState>,
    principal: Principal,
    ValidQuery(query): ValidQuery<ContactListQuery>,
) -> Result<HttpResponse, ApiError> {
    let paging = Paging::parse(
        query.sort.as_deref(),
        query.limit,
        query.cursor.as_deref(),
        query.include_total,
        &SORT_FIELDS,
        "-created_at",
    )?;
    let filter = ContactFilter {
        account_id: query.account_id,
        q: query.q,
    };
    Ok(HttpResponse::Ok().json(contacts::list(&state.db, &principal, filter, paging).await?))
}

/// Create a contact at an account the caller may change (422 `unknown-account` for one they
/// cannot see).
#[utoipa::path(tag = "contacts", request_body = ContactCreate, responses((status = 201, body = ContactView), CreateErrors), security(("bearer" = [])))]
#[post("/contacts")]
pub async fn create(
    state: web::Data<AppState>,
    principal: Principal,
    ValidJson(body): ValidJson<ContactCreate>,
) -> Result<HttpResponse, ApiError> {
    let contact = contacts::create(&state.db, &principal, body).await?;
    Ok(created(
        &contact,
        contact.version,
        format!("/api/v1/contacts/{}", contact.id),
    ))
}

/// One contact.
#[utoipa::path(tag = "contacts", params(("id" = Uuid, Path)), responses((status = 200, body = ContactView), ReadErrors), security(("bearer" = [])))]
#[get("/contacts/{id}")]
pub async fn get_one(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let contact = contacts::get(&state.db, &principal, id.into_inner()).await?;
    Ok(ok_versioned(&contact, contact.version))
}

/// Change a contact; `is_primary: true` takes the flag off the account's other contacts.
#[utoipa::path(tag = "contacts", params(("id" = Uuid, Path), ("If-Match" = String, Header, description = "ETag of the version you read")), request_body = ContactUpdate, responses((status = 200, body = ContactView), UpdateErrors), security(("bearer" = [])))]
#[patch("/contacts/{id}")]
pub async fn update(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<Uuid>,
    if_match: IfMatch,
    ValidJson(body): ValidJson<ContactUpdate>,
) -> Result<HttpResponse, ApiError> {
    let contact =
        contacts::update(&state.db, &principal, id.into_inner(), if_match.0, body).await?;
    Ok(ok_versioned(&contact, contact.version))
}

/// Delete a contact (opportunities that named it keep going without one).
#[utoipa::path(tag = "contacts", params(("id" = Uuid, Path), ("If-Match" = String, Header, description = "ETag of the version you read")), responses((status = 204, description = "Deleted"), DeleteErrors), security(("bearer" = [])))]
#[delete("/contacts/{id}")]
pub async fn remove(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<Uuid>,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    contacts::delete(&state.db, &principal, id.into_inner(), if_match.0).await?;
    Ok(HttpResponse::NoContent().finish())
}
