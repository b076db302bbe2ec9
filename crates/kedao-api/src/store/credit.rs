//! Credit control (信用控制): accounts' credit limits, the check a new order goes through
//! (`kedao_domain::credit::hold_reasons`), and where an account stands.
//!
//! Two orders for one account placed at the same moment must not both slip under its limit,
//! so the check locks the account row first (PostgreSQL; SQLite runs one writer at a time).

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use sea_orm::sea_query::{Expr, ExprTrait, Query, SelectStatement};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, FromQueryResult, PaginatorTrait,
    QueryFilter, QuerySelect, TransactionTrait,
};
use uuid::Uuid;

use kedao_api_types::credit::{AccountCreditView, CreditBalance, CreditLimitSet};
use kedao_domain::Currency;
use kedao_domain::access::{Action, Resource};
use kedao_domain::credit::{CreditPosition, CreditStatus, HoldReason, hold_reasons};
use kedao_domain::money::{Money, round_to_minor, storage_sum_to_decimal};

use crate::auth::Principal;
use crate::error::{ApiError, rule};
use crate::store::credit_application::credits_of;
use crate::store::entities::accounts::{self, Column};
use crate::store::entities::{installments, orders, payments};
use crate::store::products::currency_of;
use crate::store::receivables::{day, decimal, is_open};
use crate::store::{history, now, scope, sum_units};

/// The account's open (not cancelled, not fully paid) installments, every currency.
async fn open_rows<C: ConnectionTrait>(
    db: &C,
    account_id: Uuid,
) -> Result<Vec<installments::Model>, ApiError> {
    Ok(installments::Entity::find()
        .filter(installments::Column::AccountId.eq(account_id))
        .filter(is_open())
        .all(db)
        .await?)
}

/// Days the oldest open installment, due `oldest_due`, is past due on `today`.
fn overdue_days(oldest_due: Option<NaiveDate>, today: NaiveDate) -> Option<i64> {
    oldest_due
        .map(|due| day(today) - day(due))
        .filter(|days| *days > 0)
}

/// The account's limit, if set.
fn limit_of(account: &accounts::Model) -> Option<Money> {
    limit_from(account.credit_limit, account.credit_currency.as_deref())
}

/// A limit from its stored columns.
fn limit_from(units: Option<i64>, currency: Option<&str>) -> Option<Money> {
    Some(Money::from_storage(
        units?,
        currency_of(currency.unwrap_or("CNY")),
    ))
}

/// What the check for a new order needs of its account, in one statement.
#[derive(Debug, FromQueryResult)]
struct CreditStanding {
    credit_limit: Option<i64>,
    credit_currency: Option<String>,
    /// Outstanding in the order's currency, as text: a sum is NUMERIC on PostgreSQL.
    outstanding: String,
    /// The earliest due date of an open installment, any currency.
    oldest_open_due: Option<NaiveDate>,
    /// Whether the account has unapplied credit in the order's currency (rarely: only then
    /// are those payments read).
    has_credit: bool,
}

/// The account's standing for an order in `currency`. Read after its row is locked, by a
/// statement of its own: a statement sees what was committed when it began, so one that took
/// the lock itself would read, once it got the lock, the installments as they were before the
/// order it waited for (a test places concurrent orders against a limit to prove it).
async fn standing<C: ConnectionTrait>(
    db: &C,
    account_id: Uuid,
    currency: &str,
) -> Result<CreditStanding, ApiError> {
    use installments::Column as I;
    let open = |q: &mut SelectStatement| {
        q.from(installments::Entity)
            .and_where(I::AccountId.eq(account_id))
            .cond_where(is_open());
    };
    let mut outstanding = Query::select();
    outstanding
        .expr(Expr::cust(
            "CAST(COALESCE(SUM(installments.amount - installments.paid), 0) AS TEXT)",
        ))
        .and_where(I::Currency.eq(currency));
    open(&mut outstanding);
    let mut oldest = Query::select();
    oldest.expr(Expr::col((installments::Entity, I::DueDate)).min());
    open(&mut oldest);
    let credit = Query::select()
        .expr(Expr::val(1))
        .from(payments::Entity)
        .and_where(payments::Column::AccountId.eq(account_id))
        .and_where(payments::Column::Currency.eq(currency))
        .and_where(payments::Column::Unapplied.gt(0))
        .and_where(payments::Column::VoidedAt.is_null())
        .to_owned();
    accounts::Entity::find_by_id(account_id)
        .select_only()
        .column(Column::CreditLimit)
        .column(Column::CreditCurrency)
        .expr_as(
            Expr::SubQuery(None, Box::new(outstanding.into())),
            "outstanding",
        )
        .expr_as(
            Expr::SubQuery(None, Box::new(oldest.into())),
            "oldest_open_due",
        )
        .expr_as(Expr::exists(credit), "has_credit")
        .into_model::<CreditStanding>()
        .one(db)
        .await?
        .ok_or(ApiError::NotFound("account"))
}

/// Where the account stands for an order in `currency`, and its payments with unapplied
/// credit in that currency (oldest first), all read under the account's lock, which this takes
/// (to the end of the transaction; a no-op on SQLite, whose single writer already serialises
/// these transactions).
async fn position<C: ConnectionTrait>(
    db: &C,
    account_id: Uuid,
    currency: &str,
    today: NaiveDate,
) -> Result<(CreditPosition, Vec<payments::Model>), ApiError> {
    lock_account(db, account_id).await?;
    let standing = standing(db, account_id, currency).await?;
    let credits = if standing.has_credit {
        credits_of(db, account_id, currency).await?
    } else {
        Vec::new()
    };
    let unapplied_credit = credits.iter().map(|p| decimal(p.unapplied, currency)).sum();
    let outstanding =
        storage_sum_to_decimal(sum_units(&standing.outstanding)?, currency_of(currency));
    let limit = limit_from(standing.credit_limit, standing.credit_currency.as_deref())
        // A limit in another currency does not bound this order: no exchange rates are kept.
        .filter(|l| l.currency().code() == currency)
        .map(Money::amount);
    let position = CreditPosition {
        limit,
        outstanding,
        unapplied_credit,
        oldest_overdue_days: overdue_days(standing.oldest_open_due, today),
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
    let (p, credits) = position(db, account_id, currency, today).await?;
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
        oldest_overdue_days: overdue_days(rows.iter().map(|m| m.due_date).min(), today),
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
