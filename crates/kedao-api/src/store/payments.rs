//! Payments (回款): recorded against an account (optionally one order), applied in the same
//! transaction to the open installments oldest due first (`kedao_domain::receivable`), the
//! rest kept as the account's unapplied credit; voided by reversing exactly its allocations.
//!
//! Concurrency: every change to `installments.paid` is a conditional update whose WHERE keeps
//! `0 ≤ paid ≤ amount`, made in installment id order (see `retry`); when a concurrent payment
//! got there first the whole transaction is rolled back and retried on fresh rows, and after a
//! few tries it is a 409, never a 500.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
    QueryTrait, TransactionTrait,
};
use uuid::Uuid;

use kedao_api_types::ListPage;
use kedao_api_types::orders::OrderStatus;
use kedao_api_types::receivables::{AllocationView, PaymentCreate, PaymentMethod, PaymentView};
use kedao_domain::access::{Action, Resource};
use kedao_domain::money::{Money, decimal_to_storage};
use kedao_domain::receivable::apply_payment;

use crate::auth::Principal;
use crate::error::{ApiError, rule};
use crate::store::credit_application::apply_account_credit;
use crate::store::entities::payments::{self as entity, Column};
use crate::store::entities::{allocations, installments, orders};
use crate::store::fields::line;
use crate::store::opportunity_moves::visible_account_locked;
use crate::store::paging::{self, Paging, SortField, SortKind};
use crate::store::products::currency_of;
use crate::store::receivables::{
    add_paid_many, add_paid_update, as_plan, decimal, open_installments, paid_every_row,
};
use crate::store::retry::retrying;
use crate::store::write_batch::WriteBatch;
use crate::store::{credit, new_id, now, scope};
use crate::webhooks;

fn storage(amount: Decimal) -> Result<i64, ApiError> {
    decimal_to_storage(amount).map_err(|e| rule("amount", "invalid", e))
}

/// The wire form of a payment and its allocations.
pub fn view(
    m: entity::Model,
    rows: Vec<allocations::Model>,
    orders_of: &[installments::Model],
) -> PaymentView {
    let currency = currency_of(&m.currency);
    let money = |units: i64| Money::from_storage(units, currency).amount();
    PaymentView {
        id: m.id,
        dealer_id: m.dealer_id,
        account_id: m.account_id,
        order_id: m.order_id,
        currency,
        amount: money(m.amount),
        unapplied: money(m.unapplied),
        received_on: m.received_on,
        method: PaymentMethod::parse(&m.method).unwrap_or(PaymentMethod::Other),
        reference: m.reference,
        allocations: rows
            .into_iter()
            .map(|a| AllocationView {
                installment_id: a.installment_id,
                order_id: orders_of
                    .iter()
                    .find(|i| i.id == a.installment_id)
                    .map(|i| i.order_id)
                    .unwrap_or_default(),
                amount: money(a.amount),
            })
            .collect(),
        voided_at: m.voided_at,
        voided_by: m.voided_by,
        created_by: m.created_by,
        created_at: m.created_at,
        version: m.version,
    }
}

/// A payment with its allocations read alongside.
async fn view_of<C: ConnectionTrait>(db: &C, m: entity::Model) -> Result<PaymentView, ApiError> {
    let rows = allocations::Entity::find()
        .filter(allocations::Column::PaymentId.eq(m.id))
        .order_by_asc(allocations::Column::CreatedAt)
        .order_by_asc(allocations::Column::Id)
        .all(db)
        .await?;
    let insts = installments_by_id(db, rows.iter().map(|a| a.installment_id).collect()).await?;
    Ok(view(m, rows, &insts))
}

/// The installments with these ids (no statement for none).
async fn installments_by_id<C: ConnectionTrait>(
    db: &C,
    ids: Vec<Uuid>,
) -> Result<Vec<installments::Model>, ApiError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(installments::Entity::find()
        .filter(installments::Column::Id.is_in(ids))
        .all(db)
        .await?)
}

/// The payment if the caller may see its account's receivables; `NotFound` otherwise.
pub async fn find<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    id: Uuid,
) -> Result<entity::Model, ApiError> {
    let reach = principal.reach(Resource::Receivables, Action::Read)?;
    entity::Entity::find_by_id(id)
        .filter(scope::account_filter(principal, reach, Column::AccountId))
        .one(db)
        .await?
        .ok_or(ApiError::NotFound("payment"))
}

pub async fn get<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    id: Uuid,
) -> Result<PaymentView, ApiError> {
    let m = find(db, principal, id).await?;
    view_of(db, m).await
}

/// Records a payment and applies it, oldest due first.
pub async fn create(
    db: &DatabaseConnection,
    principal: &Principal,
    input: PaymentCreate,
) -> Result<PaymentView, ApiError> {
    principal.reach(Resource::Receivables, Action::Write)?;
    if input.amount <= Decimal::ZERO {
        return Err(ApiError::field(
            "amount",
            "not-positive",
            "a payment must be greater than 0",
        ));
    }
    let money =
        Money::new(input.amount, input.currency).map_err(|e| rule("amount", "invalid", e))?;
    let units = money
        .to_storage()
        .map_err(|e| rule("amount", "invalid", e))?;
    let reference = line(input.reference.as_deref(), 200, "reference")?;
    retrying(async || try_create(db, principal, &input, units, reference.clone()).await).await
}

/// One attempt, in one transaction (rolled back when it loses a race).
async fn try_create(
    db: &DatabaseConnection,
    principal: &Principal,
    input: &PaymentCreate,
    units: i64,
    reference: Option<String>,
) -> Result<PaymentView, ApiError> {
    let txn = db.begin().await?;
    let account = visible_account_locked(&txn, principal, input.account_id, "account_id").await?;
    let currency = input.currency.code();
    if let Some(order_id) = input.order_id {
        let reach = principal.reach(Resource::Receivables, Action::Read)?;
        let order = orders::Entity::find_by_id(order_id)
            .filter(scope::owned_or_shared(
                principal,
                reach,
                orders::Column::OwnerId,
                orders::Column::AccountId,
                orders::Column::DealerId,
            ))
            .one(&txn)
            .await?
            .filter(|o| o.account_id == account.id)
            .ok_or_else(|| {
                ApiError::field(
                    "order_id",
                    "unknown-order",
                    "no order of this account you can see has this id",
                )
            })?;
        if order.currency != currency {
            return Err(ApiError::field(
                "currency",
                "currency-mismatch",
                format!("the order is in {}", order.currency),
            ));
        }
        if order.status == OrderStatus::Cancelled.as_str() {
            return Err(ApiError::conflict(
                "order-cancelled",
                "a cancelled order takes no payments",
            ));
        }
    }
    let rows = open_installments(&txn, account.id, currency, input.order_id).await?;
    let app = apply_payment(&as_plan(&rows), decimal(units, currency));
    let at = now();
    let payment = entity::Model {
        id: new_id(),
        account_id: account.id,
        order_id: input.order_id,
        amount: units,
        currency: currency.to_owned(),
        received_on: input.received_on,
        method: input.method.as_str().to_owned(),
        reference,
        unapplied: storage(app.unapplied)?,
        voided_at: None,
        voided_by: None,
        created_by: principal.user_id,
        created_at: at,
        version: 1,
        // The dealer serving the account when the money came in.
        dealer_id: account.dealer_id,
    };
    // Installments in id order: the global lock order that keeps payments from deadlocking.
    let mut by_id: Vec<(Uuid, i64)> = Vec::with_capacity(app.allocations.len());
    let mut rows_written = Vec::with_capacity(app.allocations.len());
    for a in &app.allocations {
        let amount = storage(a.amount)?;
        by_id.push((a.installment, amount));
        rows_written.push(allocations::Model {
            id: new_id(),
            payment_id: payment.id,
            installment_id: a.installment,
            amount,
            created_at: at,
        });
    }
    by_id.sort_unstable();
    // The payment, what it pays, its allocations and its event in one round trip (see
    // `write_batch`), the answer built from what was written.
    let mut batch = WriteBatch::new();
    batch.insert(entity::Entity::insert(entity::ActiveModel::from(payment.clone())).into_query());
    let paid = add_paid_update(&by_id, at).map(|update| batch.update(update));
    if !rows_written.is_empty() {
        batch.insert(
            allocations::Entity::insert_many(
                rows_written
                    .iter()
                    .cloned()
                    .map(allocations::ActiveModel::from),
            )
            .into_query(),
        );
    }
    let recorded = view(payment, rows_written, &rows);
    batch.insert(webhooks::emit_insert(
        "payment.recorded",
        recorded.dealer_id,
        &recorded,
    )?);
    let written = batch.run(&txn).await?;
    if let Some(paid) = paid {
        paid_every_row(written.of(paid), &by_id)?;
    }
    txn.commit().await?;
    Ok(recorded)
}

/// Voids a payment at the version the caller read: reverses exactly its allocations.
pub async fn void(
    db: &DatabaseConnection,
    principal: &Principal,
    id: Uuid,
    expected_version: i32,
) -> Result<PaymentView, ApiError> {
    principal.reach(Resource::Receivables, Action::Write)?;
    retrying(async || try_void(db, principal, id, expected_version).await).await
}

/// One attempt at a void, in one transaction.
async fn try_void(
    db: &DatabaseConnection,
    principal: &Principal,
    id: Uuid,
    expected_version: i32,
) -> Result<PaymentView, ApiError> {
    let txn = db.begin().await?;
    let current = find(&txn, principal, id).await?;
    credit::lock_account(&txn, current.account_id).await?;
    if current.voided_at.is_some() {
        return Err(ApiError::conflict(
            "payment-voided",
            "this payment has already been voided",
        ));
    }
    if current.version != expected_version {
        return Err(ApiError::PreconditionFailed {
            current_version: current.version,
        });
    }
    let at = now();
    let done = entity::Entity::update_many()
        .col_expr(Column::VoidedAt, Expr::value(Some(at)))
        .col_expr(Column::VoidedBy, Expr::value(Some(principal.user_id)))
        .col_expr(Column::Version, Expr::col(Column::Version).add(1))
        .filter(Column::Id.eq(current.id))
        .filter(Column::Version.eq(expected_version))
        .filter(Column::VoidedAt.is_null())
        .exec(&txn)
        .await?;
    if done.rows_affected == 0 {
        return Err(ApiError::conflict(
            "payment-voided",
            "this payment was changed or voided at the same moment",
        ));
    }
    let rows = allocations::Entity::find()
        .filter(allocations::Column::PaymentId.eq(current.id))
        .order_by_asc(allocations::Column::CreatedAt)
        .order_by_asc(allocations::Column::Id)
        .all(&txn)
        .await?;
    // What the payment still holds on each installment (credit released by a cancelled order
    // nets to 0), taken back in installment id order.
    let mut held: BTreeMap<Uuid, i64> = BTreeMap::new();
    for a in &rows {
        *held.entry(a.installment_id).or_default() += a.amount;
    }
    let taken_back: Vec<(Uuid, i64)> = held
        .iter()
        .filter(|(_, x)| **x > 0)
        .map(|(&installment, &x)| (installment, -x))
        .collect();
    add_paid_many(&txn, &taken_back, at).await?;
    // Other credit of the account may cover what the void reopened.
    apply_account_credit(&txn, current.account_id, &current.currency, at).await?;
    // The answer from what was written: the voided payment keeps its allocations (the record
    // of where it had gone), and only the installments' orders are read.
    let insts = installments_by_id(&txn, held.into_keys().collect()).await?;
    let voided = entity::Model {
        voided_at: Some(at),
        voided_by: Some(principal.user_id),
        version: current.version + 1,
        ..current
    };
    let out = view(voided, rows, &insts);
    webhooks::emit(&txn, "payment.voided", out.dealer_id, &out).await?;
    txn.commit().await?;
    Ok(out)
}

pub const SORT_FIELDS: [SortField<Column>; 2] = [
    SortField {
        name: "created_at",
        column: Column::CreatedAt,
        kind: SortKind::Time,
    },
    SortField {
        name: "received_on",
        column: Column::ReceivedOn,
        kind: SortKind::Date,
    },
];

/// Payments the caller may see, optionally of one account or order, with their allocations.
pub async fn list<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    account_id: Option<Uuid>,
    order_id: Option<Uuid>,
    paging: Paging<Column>,
) -> Result<ListPage<PaymentView>, ApiError> {
    let reach = principal.reach(Resource::Receivables, Action::Read)?;
    let mut select =
        entity::Entity::find().filter(scope::account_filter(principal, reach, Column::AccountId));
    if let Some(a) = account_id {
        select = select.filter(Column::AccountId.eq(a));
    }
    if let Some(o) = order_id {
        select = select.filter(Column::OrderId.eq(o));
    }
    let page = paging::page(db, select, &paging, Column::Id, |m| m.id, |m| m).await?;
    // Allocations and their installments for the whole page at once.
    let ids: Vec<Uuid> = page.items.iter().map(|p| p.id).collect();
    let allocs = if ids.is_empty() {
        Vec::new()
    } else {
        allocations::Entity::find()
            .filter(allocations::Column::PaymentId.is_in(ids))
            .order_by_asc(allocations::Column::CreatedAt)
            .order_by_asc(allocations::Column::Id)
            .all(db)
            .await?
    };
    let insts = installments_by_id(db, allocs.iter().map(|a| a.installment_id).collect()).await?;
    let items = page
        .items
        .into_iter()
        .map(|p| {
            let mine = allocs
                .iter()
                .filter(|a| a.payment_id == p.id)
                .cloned()
                .collect();
            view(p, mine, &insts)
        })
        .collect();
    Ok(ListPage {
        items,
        next_cursor: page.next_cursor,
        total: page.total,
    })
}
