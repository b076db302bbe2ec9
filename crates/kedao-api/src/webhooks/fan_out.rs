//! The `webhook.event` job: one delivery (row and job) per active subscription to the event's
//! type — every admin subscription, and the subscriptions of the record's dealer.

use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, TransactionTrait};
use serde_json::{Value, json};

use crate::jobs::enqueue;
use crate::jobs::handlers::{JobError, payload};
use crate::jobs::worker::JobContext;
use crate::store::entities::jobs::Model as Job;
use crate::store::entities::webhook_subscriptions::{Column, Entity, Model as Subscription};
use crate::webhooks::{DELIVER_JOB, Event, deliveries};

/// Fields a dealer's staff never see (see `store::masking`): left out of what their
/// subscriptions receive.
const INTERNAL_FIELDS: [&str; 3] = ["internal_notes", "cost", "margin_percent"];

/// Whether the subscription wants this event.
fn wants(subscription: &Subscription, event: &Event) -> bool {
    subscription
        .events
        .split_whitespace()
        .any(|e| e == event.event_type)
}

/// The record without the company's internal fields, at any depth.
fn without_internal(mut value: Value) -> Value {
    match &mut value {
        Value::Object(map) => {
            for field in INTERNAL_FIELDS {
                map.remove(field);
            }
            for v in map.values_mut() {
                *v = without_internal(v.take());
            }
        }
        Value::Array(items) => {
            for v in items.iter_mut() {
                *v = without_internal(v.take());
            }
        }
        _ => {}
    }
    value
}

/// The body a subscription receives: `{id, type, created_at, data}`.
pub fn body(event: &Event, subscription: &Subscription) -> String {
    let data = match subscription.dealer_id {
        Some(_) => without_internal(event.resource.clone()),
        None => event.resource.clone(),
    };
    json!({
        "id": event.id,
        "type": event.event_type,
        "created_at": event.occurred_at,
        "data": data,
    })
    .to_string()
}

pub async fn run(ctx: &JobContext, job: &Job) -> Result<(), JobError> {
    let event: Event = payload(job)?;
    let mut audience = Condition::any().add(Column::DealerId.is_null());
    if let Some(dealer) = event.dealer_id {
        audience = audience.add(Column::DealerId.eq(dealer));
    }
    let subscriptions = Entity::find()
        .filter(Column::Active.eq(true))
        .filter(audience)
        .all(&ctx.db)
        .await?;
    for subscription in subscriptions.iter().filter(|s| wants(s, &event)) {
        // Row and job together; both deduped, so a fan-out that is run again adds nothing.
        let txn = ctx.db.begin().await?;
        let delivery_id = deliveries::insert_once(
            &txn,
            subscription.id,
            event.id,
            &event.event_type,
            &body(&event, subscription),
        )
        .await?;
        let job = deliveries::deliver_job(delivery_id, ctx.settings.webhook_max_attempts)?
            .unique(format!("{DELIVER_JOB}:{}:{}", event.id, subscription.id));
        enqueue(&txn, job).await?;
        txn.commit().await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_fields_are_left_out_at_any_depth() {
        let v =
            json!({"name": "x", "internal_notes": "secret", "lines": [{"cost": "1", "qty": 2}]});
        assert_eq!(
            without_internal(v),
            json!({"name": "x", "lines": [{"qty": 2}]})
        );
    }
}
