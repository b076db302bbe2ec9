//! An order's fulfilment: status changes checked by `kedao_domain::order`, each leaving a row in
//! the order's timeline in the same transaction.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, Set, TransactionTrait,
};
use uuid::Uuid;

use kedao_api_types::orders::{OrderEventView, OrderStatus, OrderStatusChange, OrderView};
use kedao_domain::access::Resource;

use crate::auth::Principal;
use crate::error::ApiError;
use crate::store::entities::order_events;
use crate::store::entities::orders::{self as entity, Column};
use crate::store::fields::{note, save_versioned};
use crate::store::orders::{find, get};
use crate::store::{new_id, now, scope};

/// Records one step of an order's timeline (`from` is `None` for the status it began in).
pub async fn record_event<C: ConnectionTrait>(
    db: &C,
    order_id: Uuid,
    from: Option<OrderStatus>,
    to: OrderStatus,
    actor: Uuid,
    note: Option<String>,
    at: DateTime<Utc>,
) -> Result<(), ApiError> {
    order_events::ActiveModel {
        id: Set(new_id()),
        order_id: Set(order_id),
        from_status: Set(from.map(|s| s.as_str().to_owned())),
        to_status: Set(to.as_str().to_owned()),
        actor_id: Set(actor),
        note: Set(note),
        at: Set(at),
    }
    .insert(db)
    .await?;
    Ok(())
}

fn stored(s: &str) -> OrderStatus {
    OrderStatus::parse(s).unwrap_or(OrderStatus::Confirmed)
}

/// Moves an order one step, at the version the caller read.
pub async fn change(
    db: &DatabaseConnection,
    principal: &Principal,
    id: Uuid,
    expected_version: i32,
    input: OrderStatusChange,
) -> Result<OrderView, ApiError> {
    let txn = db.begin().await?;
    let current = find(&txn, principal, id).await?;
    scope::check_writable(&txn, principal, Resource::Orders, current.owner_id).await?;
    if current.version != expected_version {
        return Err(ApiError::PreconditionFailed {
            current_version: current.version,
        });
    }
    let from = stored(&current.status);
    let to = from
        .move_to(input.status)
        .map_err(|e| ApiError::conflict("invalid-transition", e.to_string()))?;
    let text = note(input.note.as_deref(), "note")?;
    let at = now();
    let mut model: entity::ActiveModel = current.clone().into();
    model.status = Set(to.as_str().to_owned());
    model.version = Set(current.version + 1);
    model.updated_at = Set(at);
    save_versioned(
        &txn,
        model,
        Column::Id,
        Column::Version,
        id,
        current.version,
    )
    .await?;
    record_event(&txn, id, Some(from), to, principal.user_id, text, at).await?;
    let view = get(&txn, principal, id).await?;
    txn.commit().await?;
    Ok(view)
}

/// Every step of the order's timeline, oldest first.
pub async fn timeline<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    id: Uuid,
) -> Result<Vec<OrderEventView>, ApiError> {
    let order = find(db, principal, id).await?;
    let rows = order_events::Entity::find()
        .filter(order_events::Column::OrderId.eq(order.id))
        .order_by_asc(order_events::Column::At)
        .order_by_asc(order_events::Column::Id)
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|e| OrderEventView {
            id: e.id,
            from_status: e.from_status.as_deref().map(stored),
            to_status: stored(&e.to_status),
            actor_id: e.actor_id,
            note: e.note,
            at: e.at,
        })
        .collect())
}
