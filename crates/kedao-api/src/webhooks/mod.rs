//! Outbound webhooks: subscriptions of URLs to events, and the delivery of each event to
//! every matching subscription, signed, through the job queue.
//!
//! The path of an event:
//! 1. A write path calls [`emit`] inside its transaction: one `webhook.event` job carrying
//!    the event (id, type, time, the record's dealer, the record as the API shows it).
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
use sea_orm::ConnectionTrait;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::ApiError;
use crate::jobs::{NewJob, enqueue};
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
    enqueue(conn, event_job(event_type, dealer_id, resource)?).await?;
    Ok(())
}

/// [`emit`], but only once for `key` (e.g. an installment and a day).
pub async fn emit_once<C: ConnectionTrait>(
    conn: &C,
    event_type: &'static str,
    dealer_id: Option<Uuid>,
    resource: &impl Serialize,
    key: String,
) -> Result<bool, ApiError> {
    enqueue(
        conn,
        event_job(event_type, dealer_id, resource)?.unique(key),
    )
    .await
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
