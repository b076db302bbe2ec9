//! The delivery log: one row per event and subscription, updated after each attempt, and
//! redelivering one on request.

use sea_orm::sea_query::{Expr, ExprTrait, OnConflict, Query};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    TransactionTrait,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use kedao_api_types::ListPage;
use kedao_api_types::webhooks::{DeliveryStatus, DeliveryView};
use kedao_domain::access::Action;

use crate::auth::Principal;
use crate::error::ApiError;
use crate::jobs::{NewJob, enqueue};
use crate::store::entities::webhook_deliveries::{self as entity, Column, Entity, Model};
use crate::store::paging::{self, Paging, SortField, SortKind};
use crate::store::{new_id, now};
use crate::webhooks::{DELIVER_JOB, subscriptions};

pub const SORT_FIELDS: [SortField<Column>; 1] = [SortField {
    name: "created_at",
    column: Column::CreatedAt,
    kind: SortKind::Time,
}];

/// The payload of a `webhook.deliver` job.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DeliverJob {
    pub delivery_id: Uuid,
}

pub fn view(m: Model) -> DeliveryView {
    DeliveryView {
        id: m.id,
        subscription_id: m.subscription_id,
        event_id: m.event_id,
        event_type: m.event_type,
        status: DeliveryStatus::parse(&m.status).unwrap_or(DeliveryStatus::Pending),
        attempts: m.attempts,
        response_code: m.response_code,
        latency_ms: m.latency_ms,
        error: m.error,
        created_at: m.created_at,
        delivered_at: m.delivered_at,
    }
}

/// Adds the delivery of an event to a subscription, once (a repeated fan-out adds nothing),
/// and returns its id.
pub async fn insert_once<C: ConnectionTrait>(
    conn: &C,
    subscription_id: Uuid,
    event_id: Uuid,
    event_type: &str,
    body: &str,
) -> Result<Uuid, ApiError> {
    let mut insert = Query::insert();
    insert
        .into_table(Entity)
        .columns([
            Column::Id,
            Column::SubscriptionId,
            Column::EventId,
            Column::EventType,
            Column::Payload,
            Column::Status,
            Column::Attempts,
            Column::CreatedAt,
        ])
        .values([
            new_id().into(),
            subscription_id.into(),
            event_id.into(),
            event_type.into(),
            body.into(),
            DeliveryStatus::Pending.as_str().into(),
            0_i32.into(),
            now().into(),
        ])
        .map_err(|e| ApiError::Internal(anyhow::Error::new(e)))?
        .on_conflict(
            OnConflict::columns([Column::EventId, Column::SubscriptionId])
                .do_nothing()
                .to_owned(),
        );
    conn.execute(&insert).await?;
    Entity::find()
        .filter(Column::EventId.eq(event_id))
        .filter(Column::SubscriptionId.eq(subscription_id))
        .one(conn)
        .await?
        .map(|d| d.id)
        .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("delivery of event {event_id} vanished")))
}

/// The job that sends a delivery.
pub fn deliver_job(delivery_id: Uuid, max_attempts: u32) -> Result<NewJob, ApiError> {
    Ok(NewJob::now(DELIVER_JOB, DeliverJob { delivery_id })?.max_attempts(max_attempts))
}

/// What one attempt found.
#[derive(Debug, Clone)]
pub struct Attempt {
    pub status: DeliveryStatus,
    pub response_code: Option<i32>,
    pub latency_ms: Option<i64>,
    pub error: Option<String>,
}

/// Logs an attempt on the delivery row.
pub async fn record_attempt<C: ConnectionTrait>(
    conn: &C,
    id: Uuid,
    attempt: Attempt,
) -> Result<(), ApiError> {
    let delivered = attempt.status == DeliveryStatus::Delivered;
    Entity::update_many()
        .col_expr(Column::Status, Expr::value(attempt.status.as_str()))
        .col_expr(Column::Attempts, Expr::col(Column::Attempts).add(1))
        .col_expr(Column::ResponseCode, Expr::value(attempt.response_code))
        .col_expr(Column::LatencyMs, Expr::value(attempt.latency_ms))
        .col_expr(Column::Error, Expr::value(attempt.error))
        .col_expr(Column::DeliveredAt, Expr::value(delivered.then(now)))
        .filter(Column::Id.eq(id))
        .exec(conn)
        .await?;
    Ok(())
}

/// A subscription's deliveries, newest first.
pub async fn list<C: ConnectionTrait>(
    conn: &C,
    principal: &Principal,
    subscription_id: Uuid,
    status: Option<DeliveryStatus>,
    paging: Paging<Column>,
) -> Result<ListPage<DeliveryView>, ApiError> {
    let subscription = subscriptions::find(conn, principal, subscription_id, Action::Read).await?;
    let mut cond = Condition::all().add(Column::SubscriptionId.eq(subscription.id));
    if let Some(status) = status {
        cond = cond.add(Column::Status.eq(status.as_str()));
    }
    paging::page(
        conn,
        Entity::find().filter(cond),
        &paging,
        Column::Id,
        |m| m.id,
        view,
    )
    .await
}

/// Sends a delivery again (the same event id and body, signed anew), whatever became of it.
pub async fn redeliver(
    db: &DatabaseConnection,
    principal: &Principal,
    subscription_id: Uuid,
    delivery_id: Uuid,
    max_attempts: u32,
) -> Result<DeliveryView, ApiError> {
    // The status and the job together: never a pending delivery without a job to send it.
    let txn = db.begin().await?;
    let conn = &txn;
    let subscription = subscriptions::find(conn, principal, subscription_id, Action::Write).await?;
    let delivery = Entity::find_by_id(delivery_id)
        .filter(Column::SubscriptionId.eq(subscription.id))
        .one(conn)
        .await?
        .ok_or(ApiError::NotFound("delivery"))?;
    if delivery.status == DeliveryStatus::Pending.as_str() {
        return Err(ApiError::conflict(
            "delivery-pending",
            "this delivery is still being attempted",
        ));
    }
    Entity::update_many()
        .col_expr(
            Column::Status,
            Expr::value(DeliveryStatus::Pending.as_str()),
        )
        .filter(Column::Id.eq(delivery.id))
        .exec(conn)
        .await?;
    enqueue(conn, deliver_job(delivery.id, max_attempts)?).await?;
    txn.commit().await?;
    tracing::info!(webhook = %subscription.id, delivery = %delivery.id, "redelivery queued");
    Ok(view(entity::Model {
        status: DeliveryStatus::Pending.as_str().to_owned(),
        ..delivery
    }))
}
