//! What the statement sums up in the database: per currency, the entries certainly before the
//! period (see the parent module for "certainly"), and the account's unapplied credit. Each
//! query filters on `account_id` first, so it runs on the account indexes and reads one
//! account's rows, never the table.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::ExprTrait;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, JoinType, QueryFilter, QuerySelect,
    RelationDef, Select,
};
use uuid::Uuid;

use kedao_api_types::orders::OrderStatus;
use kedao_domain::Currency;

use crate::error::ApiError;
use crate::store::entities::{order_events, orders, payments};
use crate::store::products::currency_of;

/// Per currency: how many entries were summed up, and their balance in storage units.
pub type Sums = BTreeMap<Currency, (i64, i128)>;

/// The balance of every entry certainly before the period: orders and voids before `lo`,
/// less cancellations before `lo` and payments received before `from`.
pub async fn brought_forward<C: ConnectionTrait>(
    db: &C,
    account: Uuid,
    only: Option<Currency>,
    from: NaiveDate,
    lo: DateTime<Utc>,
) -> Result<Sums, ApiError> {
    let mut out = Sums::new();
    for (sums, sign) in [
        (order_sums(db, account, only, lo).await?, 1),
        (cancellation_sums(db, account, only, lo).await?, -1),
        (payment_sums(db, account, only, from).await?, -1),
        (void_sums(db, account, only, lo).await?, 1),
    ] {
        for (currency, (n, units)) in sums {
            let slot = out.entry(currency).or_default();
            slot.0 += n;
            slot.1 += sign * units;
        }
    }
    Ok(out)
}

/// Rows of one account, optionally in one currency.
pub fn of_account<C: ColumnTrait>(
    account_col: C,
    currency_col: C,
    account: Uuid,
    only: Option<Currency>,
) -> Condition {
    let mut cond = Condition::all().add(account_col.eq(account));
    if let Some(c) = only {
        cond = cond.add(currency_col.eq(c.code()));
    }
    cond
}

/// Count and sum of `amount` per currency over `select` (sums come back as text: PostgreSQL
/// sums BIGINT into NUMERIC, and text reads the same on both databases).
async fn sums<E: EntityTrait, C: ConnectionTrait>(
    db: &C,
    select: Select<E>,
    currency: impl ColumnTrait,
    amount: impl ColumnTrait,
) -> Result<Sums, ApiError> {
    let rows: Vec<(String, i64, String)> = select
        .select_only()
        .column(currency)
        .expr_as(amount.into_expr().count(), "n")
        .expr_as(amount.into_expr().sum().cast_as("TEXT"), "total")
        .group_by(currency)
        .into_tuple()
        .all(db)
        .await?;
    let mut out = Sums::new();
    for (code, n, total) in rows {
        // PostgreSQL may write an integral NUMERIC with a zero fraction.
        let digits = total.split('.').next().unwrap_or(&total).trim();
        let units: i128 = digits
            .parse()
            .map_err(|e| ApiError::Internal(anyhow::anyhow!("statement sum `{total}`: {e}")))?;
        out.insert(currency_of(&code), (n, units));
    }
    Ok(out)
}

async fn order_sums<C: ConnectionTrait>(
    db: &C,
    account: Uuid,
    only: Option<Currency>,
    before: DateTime<Utc>,
) -> Result<Sums, ApiError> {
    use orders::Column as O;
    let select = orders::Entity::find()
        .filter(of_account(O::AccountId, O::Currency, account, only))
        .filter(O::CreatedAt.lt(before));
    sums(db, select, O::Currency, O::GrandTotal).await
}

/// The cancellation events of the account's orders, joined to their orders. Only a move
/// into `cancelled` from another status counts: the status is final, so each cancelled order
/// has exactly one, whatever other events (holds, releases) its timeline records.
pub fn cancellations(account: Uuid, only: Option<Currency>) -> Select<order_events::Entity> {
    use orders::Column as O;
    let to_order: RelationDef = order_events::Entity::belongs_to(orders::Entity)
        .from(order_events::Column::OrderId)
        .to(O::Id)
        .into();
    order_events::Entity::find()
        .join(JoinType::InnerJoin, to_order)
        .filter(of_account(O::AccountId, O::Currency, account, only))
        .filter(order_events::Column::ToStatus.eq(OrderStatus::Cancelled.as_str()))
        .filter(order_events::Column::FromStatus.ne(OrderStatus::Cancelled.as_str()))
}

async fn cancellation_sums<C: ConnectionTrait>(
    db: &C,
    account: Uuid,
    only: Option<Currency>,
    before: DateTime<Utc>,
) -> Result<Sums, ApiError> {
    let select = cancellations(account, only).filter(order_events::Column::At.lt(before));
    sums(
        db,
        select,
        orders::Column::Currency,
        orders::Column::GrandTotal,
    )
    .await
}

async fn payment_sums<C: ConnectionTrait>(
    db: &C,
    account: Uuid,
    only: Option<Currency>,
    before: NaiveDate,
) -> Result<Sums, ApiError> {
    use payments::Column as P;
    let select = payments::Entity::find()
        .filter(of_account(P::AccountId, P::Currency, account, only))
        .filter(P::ReceivedOn.lt(before));
    sums(db, select, P::Currency, P::Amount).await
}

async fn void_sums<C: ConnectionTrait>(
    db: &C,
    account: Uuid,
    only: Option<Currency>,
    before: DateTime<Utc>,
) -> Result<Sums, ApiError> {
    use payments::Column as P;
    let select = payments::Entity::find()
        .filter(of_account(P::AccountId, P::Currency, account, only))
        .filter(P::VoidedAt.lt(before));
    sums(db, select, P::Currency, P::Amount).await
}

/// The account's credit now: what its standing payments left unapplied.
pub async fn unapplied_sums<C: ConnectionTrait>(
    db: &C,
    account: Uuid,
    only: Option<Currency>,
) -> Result<Sums, ApiError> {
    use payments::Column as P;
    let select = payments::Entity::find()
        .filter(of_account(P::AccountId, P::Currency, account, only))
        .filter(P::VoidedAt.is_null());
    sums(db, select, P::Currency, P::Unapplied).await
}
