//! Outbound webhooks: subscriptions of URLs to events, and the delivery of each event to
//! every matching subscription, signed, through the job queue.
//!
//! The path of an event:
//! 1. A write path calls [`emit`] inside its transaction: one `webhook.event` job carrying
//!    the event (id, type, time, the record's dealer, the record as the API shows it) — added
//!    by one statement, and only when an active subscription may want it, so that writes
//!    nobody subscribed to cost no background work.
//! 2. A worker fans it out ([`fan_out`]): one delivery row and one `webhook.deliver` job per
//!    active subscription to that type (of the record's dealer, or of no dealer), each
//!    deduped by event and subscription.
//! 3. A worker delivers ([`deliver`]): checks the address ([`guard`]), posts the signed body,
//!    logs the attempt on the delivery row; a failure is retried by the queue with backoff.
//!    A subscription whose deliveries keep failing is disabled ([`subscriptions::disable`]).

pub mod deliver;
pub mod deliveries;
pub mod fan_out;
pub mod guard;
pub mod overdue;
pub mod signature;
pub mod subscriptions;

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, InsertStatement, Query, SelectStatement};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::ApiError;
use crate::jobs::{NewJob, enqueue_if_exists, job_insert};
use crate::store::entities::webhook_subscriptions::{
    self as subscription_rows, Column as SubscriptionColumn,
};
use crate::store::{new_id, now};

/// The job fanning an event out to its subscriptions.
pub const EVENT_JOB: &str = "webhook.event";
/// The job sending one event to one subscription.
pub const DELIVER_JOB: &str = "webhook.deliver";

/// Something that happened, as carried by a `webhook.event` job.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Event {
    pub id: Uuid,
    #[serde(rename = "type")]
    pub event_type: String,
    pub occurred_at: DateTime<Utc>,
    /// The dealer of the record: its events also go to that dealer's subscriptions.
    pub dealer_id: Option<Uuid>,
    /// The record as the API answers with it.
    pub resource: serde_json::Value,
}

/// Announces an event to the subscribed webhooks, in one statement on `conn` (the caller's
/// transaction: no event for a change that rolls back, none lost for one that commits).
pub async fn emit<C: ConnectionTrait>(
    conn: &C,
    event_type: &'static str,
    dealer_id: Option<Uuid>,
    resource: &impl Serialize,
) -> Result<(), ApiError> {
    enqueue_if_exists(
        conn,
        event_job(event_type, dealer_id, resource)?,
        audience(event_type, dealer_id),
    )
    .await?;
    Ok(())
}

/// The one statement of [`emit`], for a caller that sends it with other writes.
pub fn emit_insert(
    event_type: &'static str,
    dealer_id: Option<Uuid>,
    resource: &impl Serialize,
) -> Result<InsertStatement, ApiError> {
    job_insert(
        event_job(event_type, dealer_id, resource)?,
        Some(audience(event_type, dealer_id)),
    )
}

/// [`emit`], but only once for `key` (e.g. an installment and a day).
pub async fn emit_once<C: ConnectionTrait>(
    conn: &C,
    event_type: &'static str,
    dealer_id: Option<Uuid>,
    resource: &impl Serialize,
    key: String,
) -> Result<bool, ApiError> {
    enqueue_if_exists(
        conn,
        event_job(event_type, dealer_id, resource)?.unique(key),
        audience(event_type, dealer_id),
    )
    .await
}

/// The active subscriptions that may want an event of this type and dealer: the admins' and
/// the dealer's own. The type is matched loosely (a substring of the space-separated list);
/// the fan-out matches it exactly.
fn audience(event_type: &str, dealer_id: Option<Uuid>) -> SelectStatement {
    let mut whose = Condition::any().add(SubscriptionColumn::DealerId.is_null());
    if let Some(dealer) = dealer_id {
        whose = whose.add(SubscriptionColumn::DealerId.eq(dealer));
    }
    Query::select()
        .expr(Expr::value(1))
        .from(subscription_rows::Entity)
        .cond_where(
            Condition::all()
                .add(SubscriptionColumn::Active.eq(true))
                .add(SubscriptionColumn::Events.like(format!("%{event_type}%")))
                .add(whose),
        )
        .to_owned()
}

fn event_job(
    event_type: &'static str,
    dealer_id: Option<Uuid>,
    resource: &impl Serialize,
) -> Result<NewJob, ApiError> {
    debug_assert!(kedao_domain::webhooks::is_event_type(event_type));
    let event = Event {
        id: new_id(),
        event_type: event_type.to_owned(),
        occurred_at: now(),
        dealer_id,
        resource: serde_json::to_value(resource).map_err(anyhow::Error::new)?,
    };
    NewJob::now(EVENT_JOB, event)
}
