//! `/notes`: notes (便签) on records, with @mentions.

use actix_web::{HttpResponse, delete, get, patch, post, web};
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use kedao_api_types::ListPage;
use kedao_api_types::notes::{NoteCreate, NoteUpdate, NoteView, RecordQuery};

use crate::auth::Principal;
use crate::error::ApiError;
use crate::extract::{IfMatch, ValidJson, ValidQuery};
use crate::routes::responses::{CreateErrors, DeleteErrors, ListErrors, UpdateErrors};
use crate::routes::{AppState, created, ok_versioned};
use crate::store::notes::{self, SORT_FIELDS};
use crate::store::paging::{Paging, SortField};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list)
        .service(create)
        .service(update)
        .service(remove);
}

/// A record's notes, newest first (404 when the caller cannot see the record).
#[utoipa::path(tag = "notes", params(RecordQuery), responses((status = 200, body = ListPage<NoteView>), ListErrors), security(("bearer" = [])))]
#[get("/notes")]
pub async fn list(
    state: web::Data<AppState>,
    principal: Principal,
    ValidQuery(query): ValidQuery<RecordQuery>,
) -> Result<HttpResponse, ApiError> {
    let paging = record_paging(&query, &SORT_FIELDS)?;
    let page = notes::list(
        &state.db,
        &principal,
        query.record_type,
        query.record_id,
        paging,
    )
    .await?;
    Ok(HttpResponse::Ok().json(page))
}

/// Write a note on a record the caller can see, mentioning colleagues who can see it too;
/// each is notified once.
#[utoipa::path(tag = "notes", request_body = NoteCreate, responses((status = 201, body = NoteView), CreateErrors), security(("bearer" = [])))]
#[post("/notes")]
pub async fn create(
    state: web::Data<AppState>,
    principal: Principal,
    ValidJson(body): ValidJson<NoteCreate>,
) -> Result<HttpResponse, ApiError> {
    let note = notes::create(&state.db, &principal, body).await?;
    Ok(created(
        &note,
        note.version,
        format!("/api/v1/notes/{}", note.id),
    ))
}

/// Change a note's text (and mentions): its author or an admin.
#[utoipa::path(tag = "notes", params(("id" = Uuid, Path), ("If-Match" = String, Header, description = "ETag of the version you read")), request_body = NoteUpdate, responses((status = 200, body = NoteView), UpdateErrors), security(("bearer" = [])))]
#[patch("/notes/{id}")]
pub async fn update(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<Uuid>,
    if_match: IfMatch,
    ValidJson(body): ValidJson<NoteUpdate>,
) -> Result<HttpResponse, ApiError> {
    let note = notes::update(&state.db, &principal, id.into_inner(), if_match.0, body).await?;
    Ok(ok_versioned(&note, note.version))
}

/// Delete a note: its author or an admin.
#[utoipa::path(tag = "notes", params(("id" = Uuid, Path), ("If-Match" = String, Header, description = "ETag of the version you read")), responses((status = 204, description = "Deleted"), DeleteErrors), security(("bearer" = [])))]
#[delete("/notes/{id}")]
pub async fn remove(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<Uuid>,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    notes::delete(&state.db, &principal, id.into_inner(), if_match.0).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Paging of what hangs on one record (notes, attachments): newest first, no other order.
pub(crate) fn record_paging<C: Copy>(
    query: &RecordQuery,
    fields: &[SortField<C>],
) -> Result<Paging<C>, ApiError> {
    Paging::parse(
        None,
        query.limit,
        query.cursor.as_deref(),
        query.include_total,
        fields,
        "-created_at",
    )
}
