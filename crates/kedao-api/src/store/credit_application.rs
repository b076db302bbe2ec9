//! Spending an account's unapplied credit (未核销预收) on its open installments: whatever a
//! payment left over is applied, oldest payment first, to the installments oldest due first
//! (`kedao_domain::credit::apply_credit`), as soon as there is something to apply it to — a
//! new order's plan, a replaced plan, a voided payment or a cancelled order reopening or
//! freeing amounts. Each step is an allocation row like a payment's own.
//!
//! Rows are changed in the global lock order (payments by id, then installments by id), each
//! update guarded so that a concurrent change makes it a lost race (retried by the caller).

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use uuid::Uuid;

use kedao_domain::credit::{Credit, apply_credit};
use kedao_domain::money::decimal_to_storage;

use crate::error::{ApiError, rule};
use crate::store::entities::{allocations, payments};
use crate::store::new_id;
use crate::store::receivables::{add_paid_many, as_plan, decimal, open_installments};
use crate::store::retry::lost_race;

/// The payments of an account in one currency with credit left, oldest first.
pub async fn credits_of<C: ConnectionTrait>(
    db: &C,
    account_id: Uuid,
    currency: &str,
) -> Result<Vec<payments::Model>, ApiError> {
    Ok(payments::Entity::find()
        .filter(payments::Column::AccountId.eq(account_id))
        .filter(payments::Column::Currency.eq(currency))
        .filter(payments::Column::Unapplied.gt(0))
        .filter(payments::Column::VoidedAt.is_null())
        .order_by_asc(payments::Column::ReceivedOn)
        .order_by_asc(payments::Column::CreatedAt)
        .order_by_asc(payments::Column::Id)
        .all(db)
        .await?)
}

/// Changes a payment's unapplied credit by `units` (negative: spent), never below 0 and only
/// while it is not voided.
pub async fn add_unapplied<C: ConnectionTrait>(
    db: &C,
    payment_id: Uuid,
    units: i64,
) -> Result<(), ApiError> {
    let done = payments::Entity::update_many()
        .col_expr(
            payments::Column::Unapplied,
            Expr::col(payments::Column::Unapplied).add(units),
        )
        .filter(payments::Column::Id.eq(payment_id))
        .filter(payments::Column::VoidedAt.is_null())
        .filter(Expr::col(payments::Column::Unapplied).add(units).gte(0))
        .exec(db)
        .await?;
    if done.rows_affected == 0 {
        return Err(lost_race());
    }
    Ok(())
}

fn units(amount: Decimal) -> Result<i64, ApiError> {
    decimal_to_storage(amount).map_err(|e| rule("amount", "invalid", e))
}

/// Applies the account's unapplied credit in `currency` to its open installments.
pub async fn apply_account_credit<C: ConnectionTrait>(
    db: &C,
    account_id: Uuid,
    currency: &str,
    at: DateTime<Utc>,
) -> Result<(), ApiError> {
    let payments = credits_of(db, account_id, currency).await?;
    apply_credits(db, &payments, account_id, currency, at).await
}

/// Applies `payments` — the account's credit in `currency` as `credits_of` read it in this
/// transaction, after the account lock — to its open installments. A caller that has already
/// read them (the credit check of a new order) so saves reading them again.
pub async fn apply_credits<C: ConnectionTrait>(
    db: &C,
    payments: &[payments::Model],
    account_id: Uuid,
    currency: &str,
    at: DateTime<Utc>,
) -> Result<(), ApiError> {
    if payments.is_empty() {
        return Ok(());
    }
    let open = open_installments(db, account_id, currency, None).await?;
    if open.is_empty() {
        return Ok(());
    }
    let credits: Vec<Credit<Uuid>> = payments
        .iter()
        .map(|p| Credit {
            payment: p.id,
            unapplied: decimal(p.unapplied, &p.currency),
        })
        .collect();
    let spent = apply_credit(&credits, &as_plan(&open));
    let mut by_payment: BTreeMap<Uuid, i64> = BTreeMap::new();
    let mut by_installment: BTreeMap<Uuid, i64> = BTreeMap::new();
    for a in &spent {
        let x = units(a.amount)?;
        *by_payment.entry(a.payment).or_default() += x;
        *by_installment.entry(a.installment).or_default() += x;
    }
    for (payment, x) in by_payment {
        add_unapplied(db, payment, -x).await?;
    }
    let by_installment: Vec<(Uuid, i64)> = by_installment.into_iter().collect();
    add_paid_many(db, &by_installment, at).await?;
    for a in spent {
        allocations::ActiveModel {
            id: Set(new_id()),
            payment_id: Set(a.payment),
            installment_id: Set(a.installment),
            amount: Set(units(a.amount)?),
            created_at: Set(at),
        }
        .insert(db)
        .await?;
    }
    Ok(())
}
