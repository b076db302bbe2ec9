//! Payments (回款): recorded against an account (optionally one order), applied in the same
//! transaction to the open installments oldest due first (`kedao_domain::receivable`), the
//! rest kept as the account's unapplied credit; voided by reversing exactly its allocations.
//!
//! Concurrency: every change to `installments.paid` is a conditional update whose WHERE keeps
//! `0 ≤ paid ≤ amount`; when a concurrent payment got there first the whole transaction is
//! rolled back and retried on fresh rows, and after a few tries it is a 409, never a 500.

use rust_decimal::Decimal;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, Set, TransactionTrait,
};
use uuid::Uuid;

use kedao_api_types::ListPage;
use kedao_api_types::orders::OrderStatus;
use kedao_api_types::receivables::{AllocationView, PaymentCreate, PaymentMethod, PaymentView};
use kedao_domain::access::{Action, Resource};
use kedao_domain::money::{Money, decimal_to_storage};
use kedao_domain::receivable::{Installment, apply_payment};

use crate::auth::Principal;
use crate::error::{ApiError, rule};
use crate::store::entities::payments::{self as entity, Column};
use crate::store::entities::{allocations, installments, orders};
use crate::store::fields::line;
use crate::store::opportunity_moves::visible_account;
use crate::store::paging::{self, Paging, SortField, SortKind};
use crate::store::products::currency_of;
use crate::store::receivables::{day, decimal};
use crate::store::{new_id, now, scope};

/// How many times a payment is retried when concurrent payments changed its installments.
const ATTEMPTS: usize = 8;

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
    let ids: Vec<Uuid> = rows.iter().map(|a| a.installment_id).collect();
    let insts = if ids.is_empty() {
        Vec::new()
    } else {
        installments::Entity::find()
            .filter(installments::Column::Id.is_in(ids))
            .all(db)
            .await?
    };
    Ok(view(m, rows, &insts))
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
    for _ in 0..ATTEMPTS {
        if let Some(done) = try_create(db, principal, &input, units, reference.clone()).await? {
            return Ok(done);
        }
    }
    Err(ApiError::conflict(
        "concurrent-payments",
        "other payments changed these installments at the same moment; try again",
    ))
}

/// One attempt; `None` when a concurrent payment changed an installment first (rolled back).
async fn try_create(
    db: &DatabaseConnection,
    principal: &Principal,
    input: &PaymentCreate,
    units: i64,
    reference: Option<String>,
) -> Result<Option<PaymentView>, ApiError> {
    let txn = db.begin().await?;
    let account = visible_account(&txn, principal, input.account_id, "account_id").await?;
    let currency = input.currency.code();
    let mut open = installments::Entity::find()
        .filter(installments::Column::AccountId.eq(account.id))
        .filter(installments::Column::Currency.eq(currency))
        .filter(Expr::col(installments::Column::Paid).lt(Expr::col(installments::Column::Amount)));
    if let Some(order_id) = input.order_id {
        let reach = principal.reach(Resource::Receivables, Action::Read)?;
        let order = orders::Entity::find_by_id(order_id)
            .filter(scope::owner_filter(
                principal,
                reach,
                orders::Column::OwnerId,
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
        open = open.filter(installments::Column::OrderId.eq(order.id));
    }
    let rows = open
        .order_by_asc(installments::Column::DueDate)
        .order_by_asc(installments::Column::Seq)
        .order_by_asc(installments::Column::Id)
        .all(&txn)
        .await?;
    let plan: Vec<Installment<Uuid>> = rows
        .iter()
        .map(|m| Installment {
            id: m.id,
            due: day(m.due_date),
            amount: decimal(m.amount, &m.currency),
            paid: decimal(m.paid, &m.currency),
        })
        .collect();
    let app = apply_payment(&plan, decimal(units, currency));
    let at = now();
    let payment = entity::ActiveModel {
        id: Set(new_id()),
        account_id: Set(account.id),
        order_id: Set(input.order_id),
        amount: Set(units),
        currency: Set(currency.to_owned()),
        received_on: Set(input.received_on),
        method: Set(input.method.as_str().to_owned()),
        reference: Set(reference),
        unapplied: Set(storage(app.unapplied)?),
        voided_at: Set(None),
        voided_by: Set(None),
        created_by: Set(principal.user_id),
        created_at: Set(at),
        version: Set(1),
    }
    .insert(&txn)
    .await?;
    for a in &app.allocations {
        let x = storage(a.amount)?;
        let guarded = installments::Entity::update_many()
            .col_expr(
                installments::Column::Paid,
                Expr::col(installments::Column::Paid).add(x),
            )
            .col_expr(
                installments::Column::Version,
                Expr::col(installments::Column::Version).add(1),
            )
            .col_expr(installments::Column::UpdatedAt, Expr::value(at))
            .filter(installments::Column::Id.eq(a.installment))
            .filter(
                Expr::col(installments::Column::Paid)
                    .add(x)
                    .lte(Expr::col(installments::Column::Amount)),
            )
            .exec(&txn)
            .await?;
        if guarded.rows_affected == 0 {
            txn.rollback().await?;
            return Ok(None);
        }
        allocations::ActiveModel {
            id: Set(new_id()),
            payment_id: Set(payment.id),
            installment_id: Set(a.installment),
            amount: Set(x),
            created_at: Set(at),
        }
        .insert(&txn)
        .await?;
    }
    let out = view_of(&txn, payment).await?;
    txn.commit().await?;
    Ok(Some(out))
}

/// Voids a payment at the version the caller read: reverses exactly its allocations.
pub async fn void(
    db: &DatabaseConnection,
    principal: &Principal,
    id: Uuid,
    expected_version: i32,
) -> Result<PaymentView, ApiError> {
    principal.reach(Resource::Receivables, Action::Write)?;
    let txn = db.begin().await?;
    let current = find(&txn, principal, id).await?;
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
        .all(&txn)
        .await?;
    for a in rows {
        let reversed = installments::Entity::update_many()
            .col_expr(
                installments::Column::Paid,
                Expr::col(installments::Column::Paid).sub(a.amount),
            )
            .col_expr(
                installments::Column::Version,
                Expr::col(installments::Column::Version).add(1),
            )
            .col_expr(installments::Column::UpdatedAt, Expr::value(at))
            .filter(installments::Column::Id.eq(a.installment_id))
            .filter(installments::Column::Paid.gte(a.amount))
            .exec(&txn)
            .await?;
        if reversed.rows_affected == 0 {
            return Err(ApiError::Internal(anyhow::anyhow!(
                "installment {} paid less than allocation {}",
                a.installment_id,
                a.id
            )));
        }
    }
    let m = find(&txn, principal, current.id).await?;
    let out = view_of(&txn, m).await?;
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
    let inst_ids: Vec<Uuid> = allocs.iter().map(|a| a.installment_id).collect();
    let insts = if inst_ids.is_empty() {
        Vec::new()
    } else {
        installments::Entity::find()
            .filter(installments::Column::Id.is_in(inst_ids))
            .all(db)
            .await?
    };
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
