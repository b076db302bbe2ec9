//! An order's fulfilment: status changes checked by `kedao_domain::order`, each leaving a row in
//! the order's timeline in the same transaction; the credit hold that stops an order moving
//! towards fulfilment, and its release by finance or a manager.
//!
//! Cancelling an order cancels its installments (no longer owed) and gives what payments had
//! paid on them back to those payments as unapplied credit — recorded as negative allocations,
//! nothing deleted — which is then spent on the account's other open installments.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, InsertStatement};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, QueryTrait, Set, TransactionTrait,
};
use uuid::Uuid;

use kedao_api_types::orders::{
    CreditHoldRelease, CreditStatus, OrderEventKind, OrderEventView, OrderStatus,
    OrderStatusChange, OrderView,
};
use kedao_domain::access::{Action, Resource};

use crate::auth::Principal;
use crate::error::ApiError;
use crate::store::credit_application::{add_unapplied, apply_account_credit};
use crate::store::entities::orders::{self as entity, Column};
use crate::store::entities::{allocations, installments, order_events, payments};
use crate::store::fields::{note, save_versioned};
use crate::store::orders::{self, find, get};
use crate::store::receivables::add_paid_many;
use crate::store::retry::retrying;
use crate::store::{history, new_id, now, scope};
use crate::webhooks;

/// One step of an order's timeline.
#[derive(Debug, Clone)]
pub struct OrderEvent {
    pub order_id: Uuid,
    pub kind: OrderEventKind,
    /// `None` for the status the order began in.
    pub from: Option<OrderStatus>,
    pub to: OrderStatus,
    pub actor: Uuid,
    pub note: Option<String>,
    pub at: DateTime<Utc>,
}

/// Records one step of an order's timeline.
pub async fn record_event<C: ConnectionTrait>(db: &C, e: OrderEvent) -> Result<(), ApiError> {
    db.execute(&event_insert(e)).await?;
    Ok(())
}

/// The insert of [`record_event`], for a caller that sends it with other writes.
pub fn event_insert(e: OrderEvent) -> InsertStatement {
    order_events::Entity::insert(order_events::ActiveModel {
        id: Set(new_id()),
        order_id: Set(e.order_id),
        from_status: Set(e.from.map(|s| s.as_str().to_owned())),
        to_status: Set(e.to.as_str().to_owned()),
        actor_id: Set(e.actor),
        note: Set(e.note),
        at: Set(e.at),
        kind: Set(e.kind.as_str().to_owned()),
    })
    .into_query()
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
    scope::check_writable_on(
        &txn,
        principal,
        Resource::Orders,
        scope::Held::new(current.owner_id, current.dealer_id),
        current.account_id,
    )
    .await?;
    if current.version != expected_version {
        return Err(ApiError::PreconditionFailed {
            current_version: current.version,
        });
    }
    let from = stored(&current.status);
    let to = from
        .move_to(input.status)
        .map_err(|e| ApiError::conflict("invalid-transition", e.to_string()))?;
    if current.credit_status == CreditStatus::OnHold.as_str() && to != OrderStatus::Cancelled {
        return Err(ApiError::conflict(
            "credit-hold",
            "the order is on credit hold: finance or a manager must release it before it moves on",
        ));
    }
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
    record_event(
        &txn,
        OrderEvent {
            order_id: id,
            kind: OrderEventKind::Status,
            from: Some(from),
            to,
            actor: principal.user_id,
            note: text,
            at,
        },
    )
    .await?;
    if to == OrderStatus::Cancelled {
        cancel_receivables(&txn, &current, at).await?;
    }
    let view = get(&txn, principal, id).await?;
    // History compares key fields only, never lines: the order before needs no lines read.
    let before = orders::view(current.clone(), Vec::new());
    history::track(&txn, principal, Resource::Orders, id, &before, &view, at).await?;
    webhooks::emit(&txn, "order.status_changed", view.dealer_id, &view).await?;
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
            kind: OrderEventKind::parse(&e.kind),
            from_status: e.from_status.as_deref().map(stored),
            to_status: stored(&e.to_status),
            actor_id: e.actor_id,
            note: e.note,
            at: e.at,
        })
        .collect())
}

/// An order's installments stop being owed: each is marked cancelled, and what payments had
/// paid on them goes back to those payments as credit (a negative allocation each), then to
/// the account's other open installments. Lock order: payments, then installments, by id.
async fn cancel_receivables<C: ConnectionTrait>(
    db: &C,
    order: &entity::Model,
    at: DateTime<Utc>,
) -> Result<(), ApiError> {
    let rows = installments::Entity::find()
        .filter(installments::Column::OrderId.eq(order.id))
        .filter(installments::Column::CancelledAt.is_null())
        .all(db)
        .await?;
    let ids: Vec<Uuid> = rows.iter().map(|m| m.id).collect();
    if ids.is_empty() {
        return Ok(());
    }
    let allocs = allocations::Entity::find()
        .filter(allocations::Column::InstallmentId.is_in(ids.clone()))
        .all(db)
        .await?;
    // What each payment still holds on each installment.
    let mut held: BTreeMap<(Uuid, Uuid), i64> = BTreeMap::new();
    for a in allocs {
        *held.entry((a.payment_id, a.installment_id)).or_default() += a.amount;
    }
    held.retain(|_, x| *x > 0);
    let voided: Vec<Uuid> = payments::Entity::find()
        .filter(payments::Column::Id.is_in(held.keys().map(|k| k.0).collect::<Vec<_>>()))
        .filter(payments::Column::VoidedAt.is_not_null())
        .all(db)
        .await?
        .into_iter()
        .map(|p| p.id)
        .collect();
    // A voided payment's allocations were already taken back when it was voided.
    held.retain(|k, _| !voided.contains(&k.0));
    let mut by_payment: BTreeMap<Uuid, i64> = BTreeMap::new();
    let mut by_installment: BTreeMap<Uuid, i64> = BTreeMap::new();
    for ((payment, installment), x) in &held {
        *by_payment.entry(*payment).or_default() += x;
        *by_installment.entry(*installment).or_default() += x;
    }
    for (payment, x) in by_payment {
        add_unapplied(db, payment, x).await?;
    }
    let taken_back: Vec<(Uuid, i64)> = by_installment.into_iter().map(|(i, x)| (i, -x)).collect();
    add_paid_many(db, &taken_back, at).await?;
    for ((payment, installment), x) in held {
        allocations::ActiveModel {
            id: Set(new_id()),
            payment_id: Set(payment),
            installment_id: Set(installment),
            amount: Set(-x),
            created_at: Set(at),
        }
        .insert(db)
        .await?;
    }
    installments::Entity::update_many()
        .col_expr(installments::Column::CancelledAt, Expr::value(Some(at)))
        .col_expr(
            installments::Column::Version,
            Expr::col(installments::Column::Version).add(1),
        )
        .col_expr(installments::Column::UpdatedAt, Expr::value(at))
        .filter(installments::Column::Id.is_in(ids))
        .exec(db)
        .await?;
    apply_account_credit(db, order.account_id, &order.currency, at).await
}

/// Releases an order's credit hold, at the version the caller read: finance, or a manager
/// of the order's owner (the `credit` permissions). The release is added to the timeline.
pub async fn release_hold(
    db: &DatabaseConnection,
    principal: &Principal,
    id: Uuid,
    expected_version: i32,
    input: CreditHoldRelease,
) -> Result<OrderView, ApiError> {
    principal.reach(Resource::Credit, Action::Write)?;
    let text = note(input.note.as_deref(), "note")?;
    retrying(async || {
        let txn = db.begin().await?;
        let current = find(&txn, principal, id).await?;
        scope::check_writable(
            &txn,
            principal,
            Resource::Credit,
            scope::Held::new(current.owner_id, current.dealer_id),
        )
        .await?;
        if current.version != expected_version {
            return Err(ApiError::PreconditionFailed {
                current_version: current.version,
            });
        }
        if current.credit_status != CreditStatus::OnHold.as_str() {
            return Err(ApiError::conflict(
                "not-on-hold",
                "the order is not on credit hold",
            ));
        }
        let at = now();
        let mut model: entity::ActiveModel = current.clone().into();
        model.credit_status = Set(CreditStatus::Released.as_str().to_owned());
        model.credit_released_by = Set(Some(principal.user_id));
        model.credit_released_at = Set(Some(at));
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
        let status = stored(&current.status);
        record_event(
            &txn,
            OrderEvent {
                order_id: id,
                kind: OrderEventKind::CreditReleased,
                from: Some(status),
                to: status,
                actor: principal.user_id,
                note: text.clone(),
                at,
            },
        )
        .await?;
        let view = get(&txn, principal, id).await?;
        let before = orders::view(current.clone(), Vec::new());
        history::track(&txn, principal, Resource::Orders, id, &before, &view, at).await?;
        txn.commit().await?;
        Ok(view)
    })
    .await
}
