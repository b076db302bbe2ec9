//! Notes (便签) on records, with @mentions. A note is read by whoever may read its record;
//! written, changed and deleted (softly: `deleted_at`) by its author, or an admin. Each user
//! mentioned must be able to see the record — a note never carries a customer to someone
//! who may not see it — and is notified once per note.

use std::collections::BTreeSet;

use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    Set, TransactionTrait,
};
use uuid::Uuid;

use kedao_api_types::ListPage;
use kedao_api_types::notes::{NOTE_BODY_MAX, NoteCreate, NoteUpdate, NoteView, RecordType};
use kedao_api_types::notifications::NotificationKind;
use kedao_domain::text;

use crate::auth::Principal;
use crate::error::{ApiError, rule};
use crate::store::entities::notes::{self as entity, Column};
use crate::store::fields::{save_versioned, save_versioned_model};
use crate::store::notifications::{self, NewNotification};
use crate::store::paging::{self, Paging, SortField, SortKind};
use crate::store::record_access::{self, VisibleRecord};
use crate::store::{new_id, now, string_list};

pub const SORT_FIELDS: [SortField<Column>; 1] = [SortField {
    name: "created_at",
    column: Column::CreatedAt,
    kind: SortKind::Time,
}];

/// How much of a note a mention's notification quotes.
const QUOTE_CHARS: usize = 140;

fn view(m: entity::Model) -> NoteView {
    NoteView {
        id: m.id,
        record_type: RecordType::parse(&m.record_type).unwrap_or(RecordType::Account),
        record_id: m.record_id,
        account_id: m.account_id,
        author_id: m.author_id,
        body: m.body,
        mentions: string_list(&m.mentions)
            .iter()
            .filter_map(|s| Uuid::parse_str(s).ok())
            .collect(),
        created_at: m.created_at,
        updated_at: m.updated_at,
        version: m.version,
    }
}

fn body(value: &str) -> Result<String, ApiError> {
    text::optional_text(value, NOTE_BODY_MAX)
        .map_err(|e| rule("body", "invalid", e))?
        .ok_or_else(|| ApiError::field("body", "required", "a note says something"))
}

/// The record, or — when the caller cannot see it — a 404 naming it.
async fn visible<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    record_type: RecordType,
    id: Uuid,
) -> Result<VisibleRecord, ApiError> {
    record_access::check_kind(record_type)?;
    record_access::find(db, principal, record_type, id).await
}

/// The mentioned users, each active and able to see the record; 422 naming `mentions`.
async fn check_mentions<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    record: &VisibleRecord,
    mentions: &[Uuid],
) -> Result<BTreeSet<Uuid>, ApiError> {
    let wanted: BTreeSet<Uuid> = mentions.iter().copied().collect();
    for user in &wanted {
        let Some(them) = record_access::principal_of(db, *user, now(), principal.time_zone).await?
        else {
            return Err(ApiError::field(
                "mentions",
                "unknown-user",
                format!("no active user has the id {user}"),
            ));
        };
        match record_access::find(db, &them, record.record_type, record.id).await {
            Ok(_) => {}
            Err(ApiError::NotFound(_) | ApiError::Forbidden(_)) => {
                return Err(ApiError::field(
                    "mentions",
                    "cannot-see-record",
                    format!(
                        "the user {user} may not see this {}",
                        record.record_type.as_str()
                    ),
                ));
            }
            Err(e) => return Err(e),
        }
    }
    Ok(wanted)
}

/// Notifies each mentioned user (but the author) once per note.
async fn notify_mentions<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    record: &VisibleRecord,
    note: &entity::Model,
    mentioned: &BTreeSet<Uuid>,
) -> Result<(), ApiError> {
    let quote: String = note.body.chars().take(QUOTE_CHARS).collect();
    let rows = mentioned
        .iter()
        .filter(|u| **u != principal.user_id)
        .map(|user| NewNotification {
            user_id: *user,
            kind: NotificationKind::Mention,
            title: format!("You were mentioned on {}", record.name),
            summary: quote.clone(),
            record: Some((record.record_type, record.id)),
            occurrence_key: format!("mention:{}:{user}", note.id),
            source: None,
            params: vec![("record", record.name.clone()), ("quote", quote.clone())],
        })
        .collect();
    notifications::notify_many(db, rows, note.updated_at).await?;
    Ok(())
}

fn mention_json(users: &BTreeSet<Uuid>) -> serde_json::Value {
    serde_json::Value::from(users.iter().map(Uuid::to_string).collect::<Vec<_>>())
}

pub async fn create(
    db: &DatabaseConnection,
    principal: &Principal,
    input: NoteCreate,
) -> Result<NoteView, ApiError> {
    let text = body(&input.body)?;
    let txn = db.begin().await?;
    let record = visible(&txn, principal, input.record_type, input.record_id).await?;
    let mentioned = check_mentions(&txn, principal, &record, &input.mentions).await?;
    let at = now();
    let note = entity::ActiveModel {
        id: Set(new_id()),
        record_type: Set(record.record_type.as_str().to_owned()),
        record_id: Set(record.id),
        account_id: Set(record.account_id),
        author_id: Set(principal.user_id),
        body: Set(text),
        mentions: Set(mention_json(&mentioned)),
        created_at: Set(at),
        updated_at: Set(at),
        deleted_at: Set(None),
        version: Set(1),
    }
    .insert(&txn)
    .await?;
    notify_mentions(&txn, principal, &record, &note, &mentioned).await?;
    txn.commit().await?;
    Ok(view(note))
}

/// The record's notes, newest first.
pub async fn list<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    record_type: RecordType,
    record_id: Uuid,
    paging: Paging<Column>,
) -> Result<ListPage<NoteView>, ApiError> {
    let record = visible(db, principal, record_type, record_id).await?;
    let select = entity::Entity::find()
        .filter(Column::RecordType.eq(record.record_type.as_str()))
        .filter(Column::RecordId.eq(record.id))
        .filter(Column::DeletedAt.is_null());
    paging::page(db, select, &paging, Column::Id, |m| m.id, view).await
}

/// A live note whose record the caller can see, and which they may change (its author or an
/// admin), at the version they read.
async fn writable<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    id: Uuid,
    expected_version: i32,
) -> Result<(entity::Model, VisibleRecord), ApiError> {
    let note = entity::Entity::find_by_id(id)
        .filter(Column::DeletedAt.is_null())
        .one(db)
        .await?
        .ok_or(ApiError::NotFound("note"))?;
    let record_type = RecordType::parse(&note.record_type).ok_or(ApiError::NotFound("note"))?;
    let record = match record_access::find(db, principal, record_type, note.record_id).await {
        Err(ApiError::NotFound(_) | ApiError::Forbidden(_)) => {
            return Err(ApiError::NotFound("note"));
        }
        other => other?,
    };
    if note.author_id != principal.user_id && !principal.is_admin() {
        return Err(ApiError::Forbidden(
            "only a note's author (or an admin) changes it".to_owned(),
        ));
    }
    if note.version != expected_version {
        return Err(ApiError::PreconditionFailed {
            current_version: note.version,
        });
    }
    Ok((note, record))
}

pub async fn update(
    db: &DatabaseConnection,
    principal: &Principal,
    id: Uuid,
    expected_version: i32,
    input: NoteUpdate,
) -> Result<NoteView, ApiError> {
    let text = body(&input.body)?;
    let txn = db.begin().await?;
    let (current, record) = writable(&txn, principal, id, expected_version).await?;
    let mut model: entity::ActiveModel = current.clone().into();
    let mentioned = match &input.mentions {
        Some(users) => {
            let checked = check_mentions(&txn, principal, &record, users).await?;
            model.mentions = Set(mention_json(&checked));
            Some(checked)
        }
        None => None,
    };
    model.body = Set(text);
    model.updated_at = Set(now());
    model.version = Set(current.version + 1);
    let saved = save_versioned_model(
        &txn,
        model,
        Column::Id,
        Column::Version,
        id,
        current.version,
    )
    .await?;
    if let Some(users) = mentioned {
        // Those mentioned before were told already: the key is per note and user.
        notify_mentions(&txn, principal, &record, &saved, &users).await?;
    }
    txn.commit().await?;
    Ok(view(saved))
}

pub async fn delete(
    db: &DatabaseConnection,
    principal: &Principal,
    id: Uuid,
    expected_version: i32,
) -> Result<(), ApiError> {
    let txn = db.begin().await?;
    let (current, _) = writable(&txn, principal, id, expected_version).await?;
    let mut model: entity::ActiveModel = current.clone().into();
    let at = now();
    model.deleted_at = Set(Some(at));
    model.updated_at = Set(at);
    model.version = Set(current.version + 1);
    save_versioned(
        &txn,
        model,
        Column::Id,
        Column::Version,
        id,
        current.version,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}
