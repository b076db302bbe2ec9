//! Notifications (通知): producers call `notify` (or `notify_many`) inside their own
//! transaction; each row carries an occurrence key unique per user, and the insert is one
//! `INSERT … ON CONFLICT (user_id, occurrence_key) DO NOTHING`, so however often — and on
//! however many replicas — a producer runs, each occurrence reaches each user once.
//!
//! A user reads and marks only their own notifications: another user's is a 404.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::{Expr, OnConflict, Query};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter};
use uuid::Uuid;

use kedao_api_types::ListPage;
use kedao_api_types::notifications::{
    MarkedRead, NotificationKind, NotificationView, RecordType, UnreadCount,
};
use kedao_domain::access::{Action, Resource};

use crate::auth::Principal;
use crate::error::ApiError;
use crate::store::entities::notifications::{self as entity, Column};
use crate::store::paging::{self, Paging, SortField, SortKind};
use crate::store::{new_id, now};

/// The longest title and summary kept, in characters (longer ones are cut).
const TITLE_MAX: usize = 200;
const SUMMARY_MAX: usize = 1000;
/// Rows per insert statement (well under either database's bind-parameter limit).
const BATCH: usize = 500;

/// A notification to insert.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewNotification {
    pub user_id: Uuid,
    pub kind: NotificationKind,
    pub title: String,
    pub summary: String,
    pub record: Option<(RecordType, Uuid)>,
    /// Unique per user: the same key again is the same occurrence, and is not inserted.
    pub occurrence_key: String,
    /// For reminders: the task or installment and the due date reminded of (see `reminders`).
    pub source: Option<(Uuid, NaiveDate)>,
    /// The values the title and summary are made of, by name, for clients that word the
    /// notification in the reader's language (the title and summary are the English wording).
    pub params: Vec<(&'static str, String)>,
}

/// `params` as stored: a JSON object of strings.
fn params_json(params: &[(&'static str, String)]) -> Option<String> {
    (!params.is_empty()).then(|| {
        serde_json::Value::Object(
            params
                .iter()
                .map(|(k, v)| ((*k).to_owned(), serde_json::Value::from(v.clone())))
                .collect(),
        )
        .to_string()
    })
}

fn cut(text: &str, max: usize) -> String {
    text.chars().take(max).collect()
}

/// Inserts the notification unless its user already has one with its occurrence key; true
/// when it was inserted.
pub async fn notify<C: ConnectionTrait>(
    conn: &C,
    notification: NewNotification,
) -> Result<bool, ApiError> {
    Ok(notify_many(conn, vec![notification], now()).await? == 1)
}

/// `notify` for many, in a few statements; the number actually inserted.
pub async fn notify_many<C: ConnectionTrait>(
    conn: &C,
    notifications: Vec<NewNotification>,
    at: DateTime<Utc>,
) -> Result<u64, ApiError> {
    let mut inserted = 0;
    for chunk in notifications.chunks(BATCH) {
        let mut insert = Query::insert();
        insert
            .into_table(entity::Entity)
            .columns([
                Column::Id,
                Column::UserId,
                Column::Kind,
                Column::Title,
                Column::Summary,
                Column::RecordType,
                Column::RecordId,
                Column::OccurrenceKey,
                Column::SourceId,
                Column::SourceDate,
                Column::CreatedAt,
                Column::Params,
            ])
            .on_conflict(
                OnConflict::columns([Column::UserId, Column::OccurrenceKey])
                    .do_nothing()
                    .to_owned(),
            );
        for n in chunk {
            insert
                .values([
                    new_id().into(),
                    n.user_id.into(),
                    n.kind.as_str().into(),
                    cut(&n.title, TITLE_MAX).into(),
                    cut(&n.summary, SUMMARY_MAX).into(),
                    n.record.map(|(t, _)| t.as_str()).into(),
                    n.record.map(|(_, id)| id).into(),
                    n.occurrence_key.clone().into(),
                    n.source.map(|(id, _)| id).into(),
                    n.source.map(|(_, day)| day).into(),
                    at.into(),
                    params_json(&n.params).into(),
                ])
                .map_err(|e| ApiError::Internal(e.into()))?;
        }
        inserted += conn.execute(&insert).await?.rows_affected();
    }
    Ok(inserted)
}

/// Tells the new owner of a record that it was handed to them — unless they took it
/// themselves or nothing changed. Called in the transaction of the change; `at` (the change's
/// time) makes each hand-over its own occurrence.
#[expect(
    clippy::too_many_arguments,
    reason = "one call per producer, each naming the record and both owners"
)]
pub async fn reassigned<C: ConnectionTrait>(
    conn: &C,
    principal: &Principal,
    record_type: RecordType,
    record_id: Uuid,
    name: &str,
    old_owner: Uuid,
    new_owner: Uuid,
    at: DateTime<Utc>,
) -> Result<(), ApiError> {
    if new_owner == old_owner || new_owner == principal.user_id {
        return Ok(());
    }
    notify(
        conn,
        NewNotification {
            user_id: new_owner,
            kind: NotificationKind::Reassigned,
            title: format!("Assigned to you: {} {name}", record_type.as_str()),
            summary: format!("This {} is now yours.", record_type.as_str()),
            record: Some((record_type, record_id)),
            occurrence_key: format!(
                "reassigned:{}:{record_id}:{}",
                record_type.as_str(),
                at.timestamp_micros()
            ),
            source: None,
            params: vec![("name", name.to_owned())],
        },
    )
    .await?;
    Ok(())
}

pub const SORT_FIELDS: [SortField<Column>; 1] = [SortField {
    name: "created_at",
    column: Column::CreatedAt,
    kind: SortKind::Time,
}];

fn view(m: entity::Model) -> NotificationView {
    NotificationView {
        id: m.id,
        kind: NotificationKind::parse(&m.kind).unwrap_or(NotificationKind::Mention),
        title: m.title,
        summary: m.summary,
        record_type: m.record_type.as_deref().and_then(RecordType::parse),
        record_id: m.record_id,
        created_at: m.created_at,
        read_at: m.read_at,
        params: m
            .params
            .as_deref()
            .and_then(|p| serde_json::from_str(p).ok())
            .unwrap_or_default(),
    }
}

/// The caller's notifications (only the unread ones if asked), newest first.
pub async fn list<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    unread_only: bool,
    paging: Paging<Column>,
) -> Result<ListPage<NotificationView>, ApiError> {
    principal.reach(Resource::Notifications, Action::Read)?;
    let mut select = entity::Entity::find().filter(Column::UserId.eq(principal.user_id));
    if unread_only {
        select = select.filter(Column::ReadAt.is_null());
    }
    paging::page(db, select, &paging, Column::Id, |m| m.id, view).await
}

pub async fn unread_count<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
) -> Result<UnreadCount, ApiError> {
    principal.reach(Resource::Notifications, Action::Read)?;
    let unread = entity::Entity::find()
        .filter(Column::UserId.eq(principal.user_id))
        .filter(Column::ReadAt.is_null())
        .count(db)
        .await?;
    Ok(UnreadCount { unread })
}

/// Marks one of the caller's notifications read (again: keeps the first time).
pub async fn mark_read<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    id: Uuid,
) -> Result<NotificationView, ApiError> {
    principal.reach(Resource::Notifications, Action::Write)?;
    entity::Entity::update_many()
        .col_expr(Column::ReadAt, Expr::value(now()))
        .filter(Column::Id.eq(id))
        .filter(Column::UserId.eq(principal.user_id))
        .filter(Column::ReadAt.is_null())
        .exec(db)
        .await?;
    entity::Entity::find_by_id(id)
        .filter(Column::UserId.eq(principal.user_id))
        .one(db)
        .await?
        .map(view)
        .ok_or(ApiError::NotFound("notification"))
}

/// Marks all the caller's unread notifications read.
pub async fn mark_all_read<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
) -> Result<MarkedRead, ApiError> {
    principal.reach(Resource::Notifications, Action::Write)?;
    let done = entity::Entity::update_many()
        .col_expr(Column::ReadAt, Expr::value(now()))
        .filter(Column::UserId.eq(principal.user_id))
        .filter(Column::ReadAt.is_null())
        .exec(db)
        .await?;
    Ok(MarkedRead {
        marked: done.rows_affected,
    })
}
