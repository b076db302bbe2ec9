//! Credit control (信用控制): accounts' credit limits, the check a new order goes through
//! (`kedao_domain::credit::hold_reasons`), and where an account stands.
//!
//! Two orders for one account placed at the same moment must not both slip under its limit,
//! so the check locks the account row first (PostgreSQL; SQLite runs one writer at a time).

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
    QuerySelect, TransactionTrait,
};
use uuid::Uuid;

use kedao_api_types::credit::{AccountCreditView, CreditBalance, CreditLimitSet};
use kedao_domain::Currency;
use kedao_domain::access::{Action, Resource};
use kedao_domain::credit::{CreditPosition, CreditStatus, HoldReason, hold_reasons};
use kedao_domain::money::{Money, round_to_minor};

use crate::auth::Principal;
use crate::error::{ApiError, rule};
use crate::store::credit_application::credits_of;
use crate::store::entities::accounts::{self, Column};
use crate::store::entities::{installments, orders, payments};
use crate::store::products::currency_of;
use crate::store::receivables::{day, decimal};
use crate::store::{history, now, scope};

/// The account's open (not cancelled, not fully paid) installments, every currency.
async fn open_rows<C: ConnectionTrait>(
    db: &C,
    account_id: Uuid,
) -> Result<Vec<installments::Model>, ApiError> {
    Ok(installments::Entity::find()
        .filter(installments::Column::AccountId.eq(account_id))
        .filter(installments::Column::CancelledAt.is_null())
        .filter(Expr::col(installments::Column::Paid).lt(Expr::col(installments::Column::Amount)))
        .all(db)
        .await?)
}

/// Days the oldest of these installments is past due on `today`.
fn oldest_overdue_days(rows: &[installments::Model], today: NaiveDate) -> Option<i64> {
    rows.iter()
        .map(|m| day(today) - day(m.due_date))
        .filter(|days| *days > 0)
        .max()
}

/// The account's limit, if set.
fn limit_of(account: &accounts::Model) -> Option<Money> {
    let units = account.credit_limit?;
    let currency = currency_of(account.credit_currency.as_deref().unwrap_or("CNY"));
    Some(Money::from_storage(units, currency))
}

/// Where the account stands in `currency` before a new order in it, and the payments whose
/// unapplied credit that counts.
async fn position<C: ConnectionTrait>(
    db: &C,
    account: &accounts::Model,
    currency: &str,
    today: NaiveDate,
) -> Result<(CreditPosition, Vec<payments::Model>), ApiError> {
    let rows = open_rows(db, account.id).await?;
    let outstanding = rows
        .iter()
        .filter(|m| m.currency == currency)
        .map(|m| decimal(m.amount - m.paid, currency))
        .sum();
    let credits = credits_of(db, account.id, currency).await?;
    let unapplied_credit = credits.iter().map(|p| decimal(p.unapplied, currency)).sum();
    // A limit in another currency does not bound this order: no exchange rates are kept.
    let limit = limit_of(account)
        .filter(|l| l.currency().code() == currency)
        .map(Money::amount);
    let position = CreditPosition {
        limit,
        outstanding,
        unapplied_credit,
        oldest_overdue_days: oldest_overdue_days(&rows, today),
    };
    Ok((position, credits))
}

/// Locks the account's row to the end of the transaction: the first lock every money
/// transaction takes (then payments by id, then installments by id). Payments, voids and new
/// orders of one account so run one after another, and the unapplied credit one leaves is
/// seen by the next — a void can never reopen an installment beside credit it did not see.
/// A no-op on SQLite, whose single writer already serialises them.
pub async fn lock_account<C: ConnectionTrait>(db: &C, account_id: Uuid) -> Result<(), ApiError> {
    accounts::Entity::find_by_id(account_id)
        .lock_exclusive()
        .one(db)
        .await?
        .ok_or(ApiError::NotFound("account"))?;
    Ok(())
}

/// The credit check's decision for a new order.
pub struct OrderCreditCheck {
    /// Why to hold the order; empty: it is clear.
    pub reasons: Vec<HoldReason>,
    /// The reasons as a sentence for the timeline.
    pub why: String,
    /// The account's payments with unapplied credit in the order's currency, oldest first, as
    /// read under the account lock: what the order's plan is paid from at once.
    pub credits: Vec<payments::Model>,
}

/// The decision for a new order of `total` (storage units) in `currency`. Reads the account
/// with a row lock held to the end of the transaction (a no-op on SQLite, whose single writer
/// already serialises these transactions), so two orders cannot both slip under the limit.
pub async fn check_new_order<C: ConnectionTrait>(
    db: &C,
    account_id: Uuid,
    currency: &str,
    total: i64,
    today: NaiveDate,
    max_overdue_days: u32,
) -> Result<OrderCreditCheck, ApiError> {
    let account = accounts::Entity::find_by_id(account_id)
        .lock_exclusive()
        .one(db)
        .await?
        .ok_or(ApiError::NotFound("account"))?;
    let (p, credits) = position(db, &account, currency, today).await?;
    let total = decimal(total, currency);
    let reasons = hold_reasons(&p, total, max_overdue_days);
    let why = reasons
        .iter()
        .map(|r| match r {
            HoldReason::OverLimit => format!(
                "the account would owe {} {currency} against a credit limit of {}",
                p.exposure_with(total),
                p.limit.unwrap_or_default()
            ),
            HoldReason::Overdue => format!(
                "an installment is {} days overdue (more than {max_overdue_days} holds new orders)",
                p.oldest_overdue_days.unwrap_or_default()
            ),
        })
        .collect::<Vec<_>>()
        .join("; ");
    Ok(OrderCreditCheck {
        reasons,
        why,
        credits,
    })
}

/// The account if the caller's credit reach covers it; `NotFound` otherwise.
async fn visible<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    account_id: Uuid,
    action: Action,
) -> Result<accounts::Model, ApiError> {
    let reach = principal.reach(Resource::Credit, action)?;
    accounts::Entity::find_by_id(account_id)
        .filter(scope::owner_filter(
            principal,
            reach,
            Column::OwnerId,
            Column::DealerId,
        ))
        .one(db)
        .await?
        .ok_or(ApiError::NotFound("account"))
}

/// The account's limit, what it owes per currency, and what it may still order.
pub async fn view<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    account_id: Uuid,
    hold_after_overdue_days: u32,
) -> Result<AccountCreditView, ApiError> {
    let account = visible(db, principal, account_id, Action::Read).await?;
    credit_view(db, &account, principal.today, hold_after_overdue_days).await
}

async fn credit_view<C: ConnectionTrait>(
    db: &C,
    account: &accounts::Model,
    today: NaiveDate,
    hold_after_overdue_days: u32,
) -> Result<AccountCreditView, ApiError> {
    let rows = open_rows(db, account.id).await?;
    let credits = payments::Entity::find()
        .filter(payments::Column::AccountId.eq(account.id))
        .filter(payments::Column::Unapplied.gt(0))
        .filter(payments::Column::VoidedAt.is_null())
        .all(db)
        .await?;
    // Per currency: (outstanding, overdue, credit), in storage units.
    let mut sums: BTreeMap<String, (i64, i64, i64)> = BTreeMap::new();
    for m in &rows {
        let e = sums.entry(m.currency.clone()).or_default();
        e.0 += m.amount - m.paid;
        if m.due_date < today {
            e.1 += m.amount - m.paid;
        }
    }
    for p in &credits {
        sums.entry(p.currency.clone()).or_default().2 += p.unapplied;
    }
    let limit = limit_of(account);
    let available = match limit {
        Some(l) => {
            let code = l.currency().code();
            let (owed, _, credit) = sums.get(code).copied().unwrap_or_default();
            let p = CreditPosition {
                limit: Some(l.amount()),
                outstanding: decimal(owed, code),
                unapplied_credit: decimal(credit, code),
                oldest_overdue_days: None,
            };
            p.available().map(|x| round_to_minor(x, l.currency()))
        }
        None => None,
    };
    let orders_on_hold = orders::Entity::find()
        .filter(orders::Column::AccountId.eq(account.id))
        .filter(orders::Column::CreditStatus.eq(CreditStatus::OnHold.as_str()))
        .count(db)
        .await?;
    Ok(AccountCreditView {
        account_id: account.id,
        limit: limit.map(Money::amount),
        currency: limit.map(|l| l.currency()),
        available,
        oldest_overdue_days: oldest_overdue_days(&rows, today),
        hold_after_overdue_days,
        orders_on_hold,
        balances: sums
            .into_iter()
            .map(|(code, (owed, overdue, credit))| CreditBalance {
                currency: currency_of(&code),
                outstanding: decimal(owed, &code),
                overdue: decimal(overdue, &code),
                unapplied_credit: decimal(credit, &code),
            })
            .collect(),
        version: account.version,
    })
}

/// The credit terms as the account's history keeps them.
fn limit_fields(account: &accounts::Model) -> serde_json::Value {
    let limit = limit_of(account);
    serde_json::json!({
        "credit_limit": limit.map(|l| l.amount().to_string()),
        "credit_currency": limit.map(|l| l.currency().code()),
    })
}

/// Sets or removes the account's credit limit at the account's version.
pub async fn set_limit(
    db: &DatabaseConnection,
    principal: &Principal,
    account_id: Uuid,
    expected_version: i32,
    input: CreditLimitSet,
    hold_after_overdue_days: u32,
) -> Result<AccountCreditView, ApiError> {
    let currency = input.currency.unwrap_or(Currency::Cny);
    let units = match input.limit {
        Some(l) if l < Decimal::ZERO => {
            return Err(ApiError::field(
                "limit",
                "negative",
                "a credit limit must be 0 or more",
            ));
        }
        Some(l) => Some(
            Money::new(l, currency)
                .and_then(Money::to_storage)
                .map_err(|e| rule("limit", "invalid", e))?,
        ),
        None => None,
    };
    let txn = db.begin().await?;
    let account = visible(&txn, principal, account_id, Action::Write).await?;
    if account.version != expected_version {
        return Err(ApiError::PreconditionFailed {
            current_version: account.version,
        });
    }
    let done = accounts::Entity::update_many()
        .col_expr(Column::CreditLimit, Expr::value(units))
        .col_expr(
            Column::CreditCurrency,
            Expr::value(units.map(|_| currency.code().to_owned())),
        )
        .col_expr(Column::Version, Expr::col(Column::Version).add(1))
        .col_expr(Column::UpdatedAt, Expr::value(now()))
        .filter(Column::Id.eq(account.id))
        .filter(Column::Version.eq(expected_version))
        .exec(&txn)
        .await?;
    if done.rows_affected == 0 {
        return Err(ApiError::PreconditionFailed {
            current_version: expected_version + 1,
        });
    }
    let saved = accounts::Entity::find_by_id(account.id)
        .one(&txn)
        .await?
        .ok_or(ApiError::NotFound("account"))?;
    history::track(
        &txn,
        principal,
        Resource::Accounts,
        account.id,
        &limit_fields(&account),
        &limit_fields(&saved),
        saved.updated_at,
    )
    .await?;
    let out = credit_view(&txn, &saved, principal.today, hold_after_overdue_days).await?;
    txn.commit().await?;
    Ok(out)
}
