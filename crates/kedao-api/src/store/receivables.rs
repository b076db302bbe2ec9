//! Payment plans (应收计划): each order's installments. A new order gets one installment of
//! its whole total, due `KEDAO_DEFAULT_PAYMENT_TERMS_DAYS` after the order date. Payments and
//! their application are in `payments`.
//!
//! "Today" is the company's date (`Principal::today`, in the configured time zone).

use chrono::{DateTime, Days, NaiveDate, Utc};
use rust_decimal::Decimal;
use sea_orm::sea_query::{Expr, ExprTrait, InsertStatement, UpdateStatement};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QueryTrait, Set, TransactionTrait,
};
use uuid::Uuid;

use kedao_api_types::orders::OrderStatus;
use kedao_api_types::receivables::{InstallmentView, PlanReplace, PlanView};
use kedao_domain::access::{Action, Resource};
use kedao_domain::money::Money;
use kedao_domain::receivable::{Day, Installment, InstallmentStatus, check_plan, status};

use crate::auth::Principal;
use crate::error::{ApiError, rule};
use crate::store::credit_application::apply_account_credit;
use crate::store::entities::installments::{self as entity, Column};
use crate::store::entities::{allocations, orders};
use crate::store::products::currency_of;
use crate::store::retry::{lost_race, retrying};
use crate::store::{new_id, now, scope};

/// A date as the domain's day number (days since 1970-01-01).
pub fn day(d: NaiveDate) -> Day {
    (d - NaiveDate::default()).num_days()
}

/// A stored amount as a decimal in its currency.
pub fn decimal(units: i64, currency: &str) -> Decimal {
    Money::from_storage(units, currency_of(currency)).amount()
}

/// The open installments (something outstanding, order not cancelled) of an account in one
/// currency, optionally of one order, oldest due first: the order payments are applied in.
pub async fn open_installments<C: ConnectionTrait>(
    db: &C,
    account_id: Uuid,
    currency: &str,
    order_id: Option<Uuid>,
) -> Result<Vec<entity::Model>, ApiError> {
    let mut select = entity::Entity::find()
        .filter(Column::AccountId.eq(account_id))
        .filter(Column::Currency.eq(currency))
        .filter(is_open());
    if let Some(order_id) = order_id {
        select = select.filter(Column::OrderId.eq(order_id));
    }
    Ok(select
        .order_by_asc(Column::DueDate)
        .order_by_asc(Column::Seq)
        .order_by_asc(Column::Id)
        .all(db)
        .await?)
}

/// An installment still owed: not cancelled, not fully paid.
pub fn is_open() -> Condition {
    Condition::all()
        .add(Column::CancelledAt.is_null())
        .add(Expr::col(Column::Paid).lt(Expr::col(Column::Amount)))
}

/// Installments as the domain's allocator sees them.
pub fn as_plan(rows: &[entity::Model]) -> Vec<Installment<Uuid>> {
    rows.iter()
        .map(|m| Installment {
            id: m.id,
            due: day(m.due_date),
            amount: decimal(m.amount, &m.currency),
            paid: decimal(m.paid, &m.currency),
        })
        .collect()
}

/// Adds to each installment's `paid` its change (negative to take back), each id once, in one
/// statement: the change is picked by a CASE on the id, and the WHERE keeps `0 ≤ paid ≤ amount`.
/// Unless every row passed its guard, another transaction changed one first: a lost race.
/// Callers hold the account's lock, so that only happens to one that skipped it.
pub async fn add_paid_many<C: ConnectionTrait>(
    db: &C,
    changes: &[(Uuid, i64)],
    at: DateTime<Utc>,
) -> Result<(), ApiError> {
    let Some(update) = add_paid_update(changes, at) else {
        return Ok(());
    };
    let done = db.execute(&update).await?;
    paid_every_row(done.rows_affected(), changes)
}

/// Whether the update of `changes` passed every row's guard (`rows` updated); a lost race
/// otherwise.
pub fn paid_every_row(rows: u64, changes: &[(Uuid, i64)]) -> Result<(), ApiError> {
    if rows != changes.len() as u64 {
        return Err(lost_race());
    }
    Ok(())
}

/// The statement of [`add_paid_many`] (none for no change), for a caller that sends it with
/// other writes and then checks its count with [`paid_every_row`].
pub fn add_paid_update(changes: &[(Uuid, i64)], at: DateTime<Utc>) -> Option<UpdateStatement> {
    let (first, rest) = changes.split_first()?;
    // `paid + change` for each row, the change chosen by id.
    let change = Expr::case(Column::Id.eq(first.0), Expr::val(first.1));
    let change = rest
        .iter()
        .fold(change, |case, (id, units)| {
            case.case(Column::Id.eq(*id), Expr::val(*units))
        })
        .finally(Expr::val(0_i64));
    let change: Expr = change.into();
    let paid_after = Expr::col(Column::Paid).add(change);
    Some(
        entity::Entity::update_many()
            .col_expr(Column::Paid, paid_after.clone())
            .col_expr(Column::Version, Expr::col(Column::Version).add(1))
            .col_expr(Column::UpdatedAt, Expr::value(at))
            .filter(Column::Id.is_in(changes.iter().map(|(id, _)| *id)))
            .filter(paid_after.clone().lte(Expr::col(Column::Amount)))
            .filter(paid_after.gte(0))
            .into_query(),
    )
}

/// An order's default plan: the whole total in one installment, due `terms_days` after the
/// order date (the company's today).
pub fn default_plan(
    order: &orders::Model,
    order_date: NaiveDate,
    terms_days: u32,
) -> InsertStatement {
    let at = now();
    let due = order_date
        .checked_add_days(Days::new(u64::from(terms_days)))
        .unwrap_or(NaiveDate::MAX);
    entity::Entity::insert(entity::ActiveModel {
        id: Set(new_id()),
        order_id: Set(order.id),
        account_id: Set(order.account_id),
        owner_id: Set(order.owner_id),
        dealer_id: Set(order.dealer_id),
        seq: Set(1),
        due_date: Set(due),
        amount: Set(order.grand_total),
        paid: Set(0),
        currency: Set(order.currency.clone()),
        created_at: Set(at),
        updated_at: Set(at),
        version: Set(1),
        cancelled_at: Set(None),
    })
    .into_query()
}

/// The wire form of an installment as of `today`.
pub fn view(m: &entity::Model, today: Day) -> InstallmentView {
    let amount = decimal(m.amount, &m.currency);
    let paid = decimal(m.paid, &m.currency);
    InstallmentView {
        id: m.id,
        dealer_id: m.dealer_id,
        order_id: m.order_id,
        seq: m.seq,
        due_date: m.due_date,
        currency: currency_of(&m.currency),
        amount,
        paid,
        outstanding: if m.cancelled_at.is_some() {
            decimal(0, &m.currency)
        } else {
            amount - paid
        },
        status: if m.cancelled_at.is_some() {
            InstallmentStatus::Cancelled
        } else {
            status(amount, paid, day(m.due_date), today)
        },
    }
}

/// The order's installments, in sequence.
pub async fn installments_of<C: ConnectionTrait>(
    db: &C,
    order_id: Uuid,
) -> Result<Vec<entity::Model>, ApiError> {
    Ok(entity::Entity::find()
        .filter(Column::OrderId.eq(order_id))
        .order_by_asc(Column::Seq)
        .all(db)
        .await?)
}

/// The order's plan, if the caller may see the order's receivables.
pub async fn plan<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    order_id: Uuid,
) -> Result<PlanView, ApiError> {
    let reach = principal.reach(Resource::Receivables, Action::Read)?;
    let order = orders::Entity::find_by_id(order_id)
        .filter(scope::owned_or_shared(
            principal,
            reach,
            orders::Column::OwnerId,
            orders::Column::AccountId,
            orders::Column::DealerId,
        ))
        .one(db)
        .await?
        .ok_or(ApiError::NotFound("order"))?;
    let rows = installments_of(db, order.id).await?;
    let t = day(principal.today);
    Ok(PlanView {
        order_id: order.id,
        order_version: order.version,
        currency: currency_of(&order.currency),
        installments: rows.iter().map(|m| view(m, t)).collect(),
    })
}

/// Replaces the order's plan at the order's version, only while nothing was ever applied to
/// it: the amounts must add up exactly to the order total, in the order's currency.
pub async fn replace(
    db: &DatabaseConnection,
    principal: &Principal,
    order_id: Uuid,
    expected_version: i32,
    input: PlanReplace,
) -> Result<PlanView, ApiError> {
    retrying(async || try_replace(db, principal, order_id, expected_version, &input).await).await
}

/// One attempt at replacing a plan, in one transaction.
async fn try_replace(
    db: &DatabaseConnection,
    principal: &Principal,
    order_id: Uuid,
    expected_version: i32,
    input: &PlanReplace,
) -> Result<PlanView, ApiError> {
    let reach = principal.reach(Resource::Receivables, Action::Write)?;
    let txn = db.begin().await?;
    let order = orders::Entity::find_by_id(order_id)
        .filter(scope::owner_filter(
            principal,
            reach,
            orders::Column::OwnerId,
            orders::Column::DealerId,
        ))
        .one(&txn)
        .await?
        .ok_or(ApiError::NotFound("order"))?;
    if order.version != expected_version {
        return Err(ApiError::PreconditionFailed {
            current_version: order.version,
        });
    }
    if order.status == OrderStatus::Cancelled.as_str() {
        return Err(ApiError::conflict(
            "order-cancelled",
            "a cancelled order owes nothing: its plan cannot be replaced",
        ));
    }
    let currency = currency_of(&order.currency);
    let mut amounts = Vec::with_capacity(input.installments.len());
    for (i, inst) in input.installments.iter().enumerate() {
        let money = Money::new(inst.amount, currency)
            .map_err(|e| rule(&format!("installments[{i}].amount"), "invalid", e))?;
        amounts.push(money.amount());
    }
    check_plan(&amounts, decimal(order.grand_total, &order.currency))
        .map_err(|e| rule("installments", "invalid-plan", e))?;
    let current = installments_of(&txn, order.id).await?;
    let ids: Vec<Uuid> = current.iter().map(|m| m.id).collect();
    let applied = if ids.is_empty() {
        0
    } else {
        allocations::Entity::find()
            .filter(allocations::Column::InstallmentId.is_in(ids.clone()))
            .count(&txn)
            .await?
    };
    let has_payments = || {
        ApiError::conflict(
            "plan-has-payments",
            "payments were applied to this plan; void them before replacing it",
        )
    };
    if applied > 0 || current.iter().any(|m| m.paid != 0) {
        return Err(has_payments());
    }
    // Only rows still unpaid are deleted: a payment that got there first makes this a 409.
    let deleted = entity::Entity::delete_many()
        .filter(Column::OrderId.eq(order.id))
        .filter(Column::Paid.eq(0))
        .exec(&txn)
        .await?;
    if deleted.rows_affected != current.len() as u64 {
        return Err(has_payments());
    }
    let at = now();
    let bumped = orders::Entity::update_many()
        .col_expr(
            orders::Column::Version,
            Expr::col(orders::Column::Version).add(1),
        )
        .col_expr(orders::Column::UpdatedAt, Expr::value(at))
        .filter(orders::Column::Id.eq(order.id))
        .filter(orders::Column::Version.eq(expected_version))
        .exec(&txn)
        .await?;
    if bumped.rows_affected == 0 {
        return Err(ApiError::PreconditionFailed {
            current_version: expected_version + 1,
        });
    }
    for (i, (inst, amount)) in input.installments.iter().zip(&amounts).enumerate() {
        entity::ActiveModel {
            id: Set(new_id()),
            order_id: Set(order.id),
            account_id: Set(order.account_id),
            owner_id: Set(order.owner_id),
            dealer_id: Set(order.dealer_id),
            seq: Set(i32::try_from(i + 1).unwrap_or(i32::MAX)),
            due_date: Set(inst.due_date),
            amount: Set(Money::new(*amount, currency)
                .and_then(Money::to_storage)
                .map_err(|e| rule("installments", "invalid", e))?),
            paid: Set(0),
            currency: Set(order.currency.clone()),
            created_at: Set(at),
            updated_at: Set(at),
            version: Set(1),
            cancelled_at: Set(None),
        }
        .insert(&txn)
        .await?;
    }
    // Credit the account already has goes to the new installments.
    apply_account_credit(&txn, order.account_id, &order.currency, at).await?;
    let rows = installments_of(&txn, order.id).await?;
    txn.commit().await?;
    let t = day(principal.today);
    Ok(PlanView {
        order_id: order.id,
        order_version: expected_version + 1,
        currency,
        installments: rows.iter().map(|m| view(m, t)).collect(),
    })
}
