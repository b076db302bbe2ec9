//! `/attachments`: files on records. The upload is the raw file as the request body (any
//! `Content-Type`: the type is sniffed from the bytes), read as a stream that stops at
//! `KEDAO_MAX_ATTACHMENT_BYTES` — the JSON body limit does not apply here.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, delete, get, post, web};
use futures_util::StreamExt;
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use kedao_api_types::ListPage;
use kedao_api_types::attachments::{AttachmentUpload, AttachmentView};
use kedao_api_types::notes::RecordQuery;

use crate::auth::Principal;
use crate::error::ApiError;
use crate::extract::ValidQuery;
use crate::routes::AppState;
use crate::routes::notes::record_paging;
use crate::routes::responses::{ListErrors, ReadErrors, UploadErrors};
use crate::store::attachment_files::content_disposition;
use crate::store::attachments::{self, SORT_FIELDS};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list)
        .service(upload)
        .service(get_one)
        .service(content)
        .service(remove);
}

/// A record's attachments, newest first (404 when the caller cannot see the record).
#[utoipa::path(tag = "attachments", params(RecordQuery), responses((status = 200, body = ListPage<AttachmentView>), ListErrors), security(("bearer" = [])))]
#[get("/attachments")]
pub async fn list(
    state: web::Data<AppState>,
    principal: Principal,
    ValidQuery(query): ValidQuery<RecordQuery>,
) -> Result<HttpResponse, ApiError> {
    let paging = record_paging(&query, &SORT_FIELDS)?;
    let page = attachments::list(
        &state.db,
        &principal,
        query.record_type,
        query.record_id,
        paging,
    )
    .await?;
    Ok(HttpResponse::Ok().json(page))
}

/// The body, read up to `limit` bytes; 413 naming the limit as soon as it is passed (or
/// announced by `Content-Length`), without reading the rest.
async fn read_limited(
    req: &HttpRequest,
    mut payload: web::Payload,
    limit: u64,
) -> Result<Vec<u8>, ApiError> {
    let too_large = || ApiError::PayloadTooLarge(usize::try_from(limit).unwrap_or(usize::MAX));
    let announced = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if announced.is_some_and(|n| n > limit) {
        return Err(too_large());
    }
    let mut bytes =
        Vec::with_capacity(usize::try_from(announced.unwrap_or(0).min(limit)).unwrap_or_default());
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|e| {
            ApiError::bad_request("unreadable-body", format!("the upload broke off: {e}"))
        })?;
        if (bytes.len() + chunk.len()) as u64 > limit {
            return Err(too_large());
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(bytes)
}

/// Attach a file to a record the caller can see: the raw file is the body. PDF, PNG, JPEG,
/// GIF, WebP, Office (docx/xlsx/pptx), CSV and plain text are accepted, known by their bytes.
#[utoipa::path(tag = "attachments", params(AttachmentUpload), request_body(content = Vec<u8>, content_type = "application/octet-stream", description = "The file"), responses((status = 201, body = AttachmentView), UploadErrors), security(("bearer" = [])))]
#[post("/attachments")]
pub async fn upload(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    ValidQuery(query): ValidQuery<AttachmentUpload>,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let target = attachments::prepare_upload(&state.db, &principal, &query).await?;
    let bytes = read_limited(&req, payload, state.settings.max_attachment_bytes).await?;
    let saved = attachments::save(
        &state.db,
        &principal,
        &state.settings.data_dir,
        target,
        bytes,
    )
    .await?;
    Ok(HttpResponse::Created()
        .insert_header((
            header::LOCATION,
            format!("/api/v1/attachments/{}", saved.id),
        ))
        .json(saved))
}

/// An attachment's metadata.
#[utoipa::path(tag = "attachments", params(("id" = Uuid, Path)), responses((status = 200, body = AttachmentView), ReadErrors), security(("bearer" = [])))]
#[get("/attachments/{id}")]
pub async fn get_one(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(attachments::get(&state.db, &principal, id.into_inner()).await?))
}

/// The file, as a download of its sniffed type.
#[utoipa::path(tag = "attachments", params(("id" = Uuid, Path)), responses((status = 200, description = "The file's bytes, with its sniffed type", content_type = "application/octet-stream"), ReadErrors), security(("bearer" = [])))]
#[get("/attachments/{id}/content")]
pub async fn content(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let (meta, bytes) = attachments::content(
        &state.db,
        &principal,
        &state.settings.data_dir,
        id.into_inner(),
    )
    .await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, meta.content_type.as_str()))
        .insert_header((
            header::CONTENT_DISPOSITION,
            content_disposition(&meta.file_name),
        ))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .insert_header((header::CACHE_CONTROL, "private, no-store"))
        .body(bytes))
}

/// Delete an attachment: its uploader or an admin.
#[utoipa::path(tag = "attachments", params(("id" = Uuid, Path)), responses((status = 204, description = "Deleted"), ReadErrors), security(("bearer" = [])))]
#[delete("/attachments/{id}")]
pub async fn remove(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    attachments::delete(
        &state.db,
        &principal,
        &state.settings.data_dir,
        id.into_inner(),
    )
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
