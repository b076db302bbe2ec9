//! Attachments (附件): files on records. Seen (listed, described, downloaded) by whoever may
//! see the record — anyone else gets a 404, so a dealer cannot even learn that another
//! dealer's customer has files — and deleted by their uploader or an admin.
//!
//! The type is sniffed from the bytes (`kedao_domain::file_type`) and only allowed types are
//! kept; the bytes go to `attachment_files`, stored once per content.

use std::path::{Path, PathBuf};

use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use uuid::Uuid;

use kedao_api_types::ListPage;
use kedao_api_types::attachments::{AttachmentUpload, AttachmentView, RecordType};
use kedao_domain::file_type;

use crate::auth::Principal;
use crate::error::ApiError;
use crate::store::attachment_files;
use crate::store::entities::attachments::{self as entity, Column};
use crate::store::paging::{self, Paging, SortField, SortKind};
use crate::store::record_access::{self, VisibleRecord};
use crate::store::{new_id, now};

pub const SORT_FIELDS: [SortField<Column>; 1] = [SortField {
    name: "created_at",
    column: Column::CreatedAt,
    kind: SortKind::Time,
}];

fn view(m: entity::Model) -> AttachmentView {
    AttachmentView {
        id: m.id,
        record_type: RecordType::parse(&m.record_type).unwrap_or(RecordType::Account),
        record_id: m.record_id,
        account_id: m.account_id,
        file_name: m.file_name,
        content_type: m.content_type,
        size_bytes: m.size_bytes,
        sha256: m.sha256,
        uploaded_by: m.uploaded_by,
        created_at: m.created_at,
    }
}

/// An upload, checked before its body is read: the record is one the caller can see (else
/// 404) and the name leaves something to show.
pub struct UploadTarget {
    record: VisibleRecord,
    file_name: String,
}

pub async fn prepare_upload<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    input: &AttachmentUpload,
) -> Result<UploadTarget, ApiError> {
    record_access::check_kind(input.record_type)?;
    let file_name = attachment_files::display_name(&input.file_name)
        .ok_or_else(|| ApiError::field("file_name", "invalid", "the file needs a name to show"))?;
    let record = record_access::find(db, principal, input.record_type, input.record_id).await?;
    Ok(UploadTarget { record, file_name })
}

/// Keeps the uploaded bytes (already read within the size limit) and records the attachment;
/// 415 naming what the bytes are when that is not an accepted type.
pub async fn save<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    data_dir: &Path,
    target: UploadTarget,
    bytes: Vec<u8>,
) -> Result<AttachmentView, ApiError> {
    let kind =
        file_type::sniff(&bytes, &target.file_name).map_err(ApiError::UnsupportedFileType)?;
    let size = i64::try_from(bytes.len()).map_err(|e| ApiError::Internal(e.into()))?;
    let dir = PathBuf::from(data_dir);
    // The directory's lock is held until the row exists (see `attachment_files`).
    let (sha, lock) = actix_web::web::block(move || attachment_files::store_locked(&dir, &bytes))
        .await
        .map_err(|e| ApiError::Internal(anyhow::anyhow!("storing an attachment: {e}")))?
        .map_err(|e| ApiError::Internal(anyhow::anyhow!("storing an attachment: {e}")))?;
    let saved = entity::ActiveModel {
        id: Set(new_id()),
        record_type: Set(target.record.record_type.as_str().to_owned()),
        record_id: Set(target.record.id),
        account_id: Set(target.record.account_id),
        file_name: Set(target.file_name),
        content_type: Set(kind.mime().to_owned()),
        size_bytes: Set(size),
        sha256: Set(sha),
        uploaded_by: Set(principal.user_id),
        created_at: Set(now()),
    }
    .insert(db)
    .await?;
    drop(lock);
    Ok(view(saved))
}

/// The record's attachments, newest first.
pub async fn list<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    record_type: RecordType,
    record_id: Uuid,
    paging: Paging<Column>,
) -> Result<ListPage<AttachmentView>, ApiError> {
    record_access::check_kind(record_type)?;
    let record = record_access::find(db, principal, record_type, record_id).await?;
    let select = entity::Entity::find()
        .filter(Column::RecordType.eq(record.record_type.as_str()))
        .filter(Column::RecordId.eq(record.id));
    paging::page(db, select, &paging, Column::Id, |m| m.id, view).await
}

/// The attachment, if the caller may see its record; 404 otherwise.
async fn find<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    id: Uuid,
) -> Result<entity::Model, ApiError> {
    let row = entity::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(ApiError::NotFound("attachment"))?;
    let record_type =
        RecordType::parse(&row.record_type).ok_or(ApiError::NotFound("attachment"))?;
    match record_access::find(db, principal, record_type, row.record_id).await {
        Ok(_) => Ok(row),
        Err(ApiError::NotFound(_) | ApiError::Forbidden(_)) => {
            Err(ApiError::NotFound("attachment"))
        }
        Err(e) => Err(e),
    }
}

pub async fn get<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    id: Uuid,
) -> Result<AttachmentView, ApiError> {
    find(db, principal, id).await.map(view)
}

/// The attachment and its bytes.
pub async fn content<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    data_dir: &Path,
    id: Uuid,
) -> Result<(AttachmentView, Vec<u8>), ApiError> {
    let row = find(db, principal, id).await?;
    let dir = PathBuf::from(data_dir);
    let sha = row.sha256.clone();
    let bytes = actix_web::web::block(move || attachment_files::read(&dir, &sha))
        .await
        .map_err(|e| ApiError::Internal(anyhow::anyhow!("reading an attachment: {e}")))?
        .map_err(|e| ApiError::Internal(anyhow::anyhow!("reading an attachment: {e}")))?;
    Ok((view(row), bytes))
}

/// Deletes the attachment (its uploader or an admin), and its bytes unless another
/// attachment has the same content.
pub async fn delete<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    data_dir: &Path,
    id: Uuid,
) -> Result<(), ApiError> {
    let row = find(db, principal, id).await?;
    if row.uploaded_by != principal.user_id && !principal.is_admin() {
        return Err(ApiError::Forbidden(
            "only the uploader (or an admin) deletes an attachment".to_owned(),
        ));
    }
    entity::Entity::delete_by_id(row.id).exec(db).await?;
    attachment_files::remove_if_unreferenced(db, data_dir, &row.sha256).await?;
    Ok(())
}
