//! Orders (订单): read, list, and create — directly, or from an accepted quote (see
//! `quote_accept`). Status changes and the timeline are in `order_status`.
//!
//! An order keeps the lines and figures it was sold at: they are copied, never looked up
//! again, so a later change to the price book does not touch it.

use std::collections::HashMap;

use chrono::{DateTime, Datelike, Utc};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter,
    QueryOrder, QueryTrait, SqlErr, TransactionTrait,
};
use uuid::Uuid;

use kedao_api_types::ListPage;
use kedao_api_types::orders::{
    CreditStatus, HoldReason, OrderCreate, OrderEventKind, OrderStatus, OrderView,
};
use kedao_domain::Currency;
use kedao_domain::access::{Action, Resource};
use kedao_domain::money::Money;

use crate::auth::Principal;
use crate::error::ApiError;
use crate::store::credit;
use crate::store::credit_application::apply_credits;
use crate::store::entities::orders::{self as entity, Column};
use crate::store::entities::{order_lines, payments, quote_lines};
use crate::store::fields::note;
use crate::store::opportunity_moves::visible_account;
use crate::store::order_status::{OrderEvent, event_insert};
use crate::store::paging::{self, Paging, SortField, SortKind};
use crate::store::products::currency_of;
use crate::store::quote_lines::{self as lines, units};
use crate::store::quote_numbers;
use crate::store::receivables;
use crate::store::write_batch::WriteBatch;
use crate::store::{new_id, now, scope, search};

/// A new order number for the year of `at`: `O-2026-000042`.
pub async fn next_order_number<C: ConnectionTrait>(
    db: &C,
    at: DateTime<Utc>,
) -> Result<String, ApiError> {
    let year = at.year();
    let n = quote_numbers::next(db, &format!("order-{year}")).await?;
    Ok(format!("O-{year}-{n:06}"))
}

/// An order line has the columns of a quote line, so it is shown the same way.
fn line_view(l: order_lines::Model, currency: Currency) -> kedao_api_types::quotes::QuoteLineView {
    lines::view(
        quote_lines::Model {
            id: l.id,
            quote_id: l.order_id,
            position: l.position,
            product_id: l.product_id,
            description: l.description,
            quantity: l.quantity,
            unit_price: l.unit_price,
            discount_bp: l.discount_bp,
            tax_rate_bp: l.tax_rate_bp,
            gross: l.gross,
            discount: l.discount,
            net: l.net,
            tax: l.tax,
            total: l.total,
        },
        currency,
    )
}

/// The wire form of an order and its lines.
pub fn view(m: entity::Model, rows: Vec<order_lines::Model>) -> OrderView {
    let currency = currency_of(&m.currency);
    let money = |units: i64| Money::from_storage(units, currency).amount();
    OrderView {
        id: m.id,
        dealer_id: m.dealer_id,
        number: m.number,
        quote_id: m.quote_id,
        opportunity_id: m.opportunity_id,
        account_id: m.account_id,
        owner_id: m.owner_id,
        status: OrderStatus::parse(&m.status).unwrap_or(OrderStatus::Confirmed),
        currency,
        lines: rows.into_iter().map(|l| line_view(l, currency)).collect(),
        subtotal: money(m.subtotal),
        discount: money(m.discount),
        net: money(m.net),
        tax: money(m.tax),
        grand_total: money(m.grand_total),
        notes: m.notes,
        credit_status: CreditStatus::parse(&m.credit_status).unwrap_or(CreditStatus::Clear),
        credit_hold_reasons: m
            .credit_hold_reasons
            .as_deref()
            .unwrap_or_default()
            .split(',')
            .filter_map(HoldReason::parse)
            .collect(),
        credit_released_by: m.credit_released_by,
        credit_released_at: m.credit_released_at,
        created_by: m.created_by,
        created_at: m.created_at,
        updated_at: m.updated_at,
        version: m.version,
    }
}

/// Orders the caller may see: owner-scoped by their read reach.
pub fn read_scope(principal: &Principal) -> Result<Condition, ApiError> {
    let reach = principal.reach(Resource::Orders, Action::Read)?;
    Ok(scope::owned_or_shared(
        principal,
        reach,
        Column::OwnerId,
        Column::AccountId,
        Column::DealerId,
    ))
}

/// The order if the caller may see it; `NotFound` otherwise (the two look the same).
pub async fn find<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    id: Uuid,
) -> Result<entity::Model, ApiError> {
    entity::Entity::find_by_id(id)
        .filter(read_scope(principal)?)
        .one(db)
        .await?
        .ok_or(ApiError::NotFound("order"))
}

/// The lines of the given orders, in order.
pub async fn lines_of<C: ConnectionTrait>(
    db: &C,
    order_ids: Vec<Uuid>,
) -> Result<Vec<order_lines::Model>, ApiError> {
    if order_ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(order_lines::Entity::find()
        .filter(order_lines::Column::OrderId.is_in(order_ids))
        .order_by_asc(order_lines::Column::OrderId)
        .order_by_asc(order_lines::Column::Position)
        .all(db)
        .await?)
}

/// The wire form of a stored order, with its lines read alongside.
pub async fn view_of<C: ConnectionTrait>(db: &C, m: entity::Model) -> Result<OrderView, ApiError> {
    let rows = lines_of(db, vec![m.id]).await?;
    Ok(view(m, rows))
}

pub async fn get<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    id: Uuid,
) -> Result<OrderView, ApiError> {
    let m = find(db, principal, id).await?;
    view_of(db, m).await
}

/// What a new order is made of, whichever way it comes.
pub struct NewOrder {
    /// Drawn with `next_order_number` in the order's transaction: on PostgreSQL a sequence,
    /// which locks nothing; on SQLite a counter row, whose lock costs nothing more on its one
    /// connection.
    pub number: String,
    pub quote_id: Option<Uuid>,
    pub opportunity_id: Option<Uuid>,
    pub account_id: Uuid,
    pub owner_id: Uuid,
    /// The dealer placing the order (the quote's, or the account's for a direct order).
    pub dealer_id: Option<Uuid>,
    pub currency: String,
    pub subtotal: i64,
    pub discount: i64,
    pub net: i64,
    pub tax: i64,
    pub grand_total: i64,
    pub notes: Option<String>,
    /// The lines as sold (their `quote_id` is ignored).
    pub lines: Vec<quote_lines::Model>,
    pub terms: OrderTerms,
}

/// The company's terms every new order is placed under (from the settings).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OrderTerms {
    /// The default plan's single installment is due this many days after the order date.
    pub payment_terms_days: u32,
    /// A new order is held while the account has an installment more overdue than this.
    pub credit_hold_overdue_days: u32,
}

/// Inserts an order in `confirmed` with its lines, its payment plan and its first timeline
/// event, through the credit check (a failed check puts it on hold, with a timeline entry
/// saying why), then spends the account's unapplied credit on the new plan. A second order
/// for the same quote hits the unique index and is a 409, never a 500.
pub async fn insert<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    new: NewOrder,
) -> Result<OrderView, ApiError> {
    let mut planned = plan(db, principal, new).await?;
    let mut batch = WriteBatch::new();
    planned.write_into(&mut batch);
    batch.run(db).await.map_err(|e| planned.insert_error(e))?;
    planned.finish(db).await?;
    Ok(planned.view())
}

/// An order through the credit check, its rows built and not yet written: a caller that
/// writes more in the same transaction sends them together (see `write_batch`).
pub struct PlannedOrder {
    order: entity::Model,
    lines: Vec<order_lines::Model>,
    writes: WriteBatch,
    /// The account's unapplied credit, read (under the account's lock) by the check.
    credits: Vec<payments::Model>,
}

/// Runs the credit check (it locks the account) and builds the order's rows: the order, its
/// lines, its default plan and its timeline events.
pub async fn plan<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    new: NewOrder,
) -> Result<PlannedOrder, ApiError> {
    let credit::OrderCreditCheck {
        reasons,
        why,
        credits,
    } = credit::check_new_order(
        db,
        new.account_id,
        &new.currency,
        new.grand_total,
        principal.today,
        new.terms.credit_hold_overdue_days,
    )
    .await?;
    let credit_status = if reasons.is_empty() {
        CreditStatus::Clear
    } else {
        CreditStatus::OnHold
    };
    let at = now();
    let order = entity::Model {
        id: new_id(),
        number: new.number,
        quote_id: new.quote_id,
        opportunity_id: new.opportunity_id,
        account_id: new.account_id,
        owner_id: new.owner_id,
        status: OrderStatus::Confirmed.as_str().to_owned(),
        currency: new.currency,
        subtotal: new.subtotal,
        discount: new.discount,
        net: new.net,
        tax: new.tax,
        grand_total: new.grand_total,
        notes: new.notes,
        created_by: principal.user_id,
        created_at: at,
        updated_at: at,
        version: 1,
        dealer_id: new.dealer_id,
        credit_status: credit_status.as_str().to_owned(),
        credit_hold_reasons: (!reasons.is_empty()).then(|| {
            reasons
                .iter()
                .map(|r| r.as_str())
                .collect::<Vec<_>>()
                .join(",")
        }),
        credit_released_by: None,
        credit_released_at: None,
    };
    let lines: Vec<order_lines::Model> = new
        .lines
        .into_iter()
        .map(|l| order_lines::Model {
            id: new_id(),
            order_id: order.id,
            position: l.position,
            product_id: l.product_id,
            description: l.description,
            quantity: l.quantity,
            unit_price: l.unit_price,
            discount_bp: l.discount_bp,
            tax_rate_bp: l.tax_rate_bp,
            gross: l.gross,
            discount: l.discount,
            net: l.net,
            tax: l.tax,
            total: l.total,
        })
        .collect();
    // Parents first: on SQLite the writes run in this order, foreign keys checked at once.
    let mut writes = WriteBatch::new();
    writes.insert(entity::Entity::insert(entity::ActiveModel::from(order.clone())).into_query());
    if !lines.is_empty() {
        writes.insert(
            order_lines::Entity::insert_many(
                lines.iter().cloned().map(order_lines::ActiveModel::from),
            )
            .into_query(),
        );
    }
    writes.insert(receivables::default_plan(
        &order,
        principal.today,
        new.terms.payment_terms_days,
    ));
    let event = OrderEvent {
        order_id: order.id,
        kind: OrderEventKind::Status,
        from: None,
        to: OrderStatus::Confirmed,
        actor: principal.user_id,
        note: None,
        at,
    };
    writes.insert(event_insert(event.clone()));
    if credit_status == CreditStatus::OnHold {
        writes.insert(event_insert(OrderEvent {
            kind: OrderEventKind::CreditHold,
            from: Some(OrderStatus::Confirmed),
            note: Some(format!("credit hold: {why}")),
            ..event
        }));
    }
    Ok(PlannedOrder {
        order,
        lines,
        writes,
        credits,
    })
}

impl PlannedOrder {
    /// The order as it will be answered.
    pub fn view(&self) -> OrderView {
        view(self.order.clone(), self.lines.clone())
    }

    /// Moves the order's writes to the end of `batch`.
    pub fn write_into(&mut self, batch: &mut WriteBatch) {
        batch.append(&mut self.writes);
    }

    /// What a failed batch with the order's writes means: a second order for the quote (or
    /// a number taken at the same moment) is a 409.
    pub fn insert_error(&self, e: DbErr) -> ApiError {
        if !matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) {
            return e.into();
        }
        match self.order.quote_id {
            Some(_) => ApiError::conflict(
                "quote-already-ordered",
                "this quote has already been accepted into an order",
            ),
            None => ApiError::conflict(
                "order-number-taken",
                "another order took this number at the same moment; try again",
            ),
        }
    }

    /// Once the writes are done: spends the account's unapplied credit on the new plan (the
    /// credit read by the check is still the account's: its row is locked).
    pub async fn finish<C: ConnectionTrait>(&self, db: &C) -> Result<(), ApiError> {
        let o = &self.order;
        apply_credits(db, &self.credits, o.account_id, &o.currency, o.created_at).await
    }
}

/// Enters an order directly (no quote): for an account the caller can see, lines priced like a
/// quote's, owned by the caller unless `owner_id` names someone they may assign it to.
pub async fn create(
    db: &DatabaseConnection,
    principal: &Principal,
    input: OrderCreate,
    terms: OrderTerms,
) -> Result<OrderView, ApiError> {
    principal.reach(Resource::Orders, Action::Write)?;
    let txn = db.begin().await?;
    let number = next_order_number(&txn, now()).await?;
    let account = visible_account(&txn, principal, input.account_id, "account_id").await?;
    let owner = input.owner_id.unwrap_or(principal.user_id);
    scope::check_assignable(&txn, principal, Resource::Orders, owner, "owner_id").await?;
    let currency = input.currency.unwrap_or(Currency::Cny);
    let (checked, totals) = lines::check(&txn, principal, &input.lines, currency).await?;
    let notes = note(input.notes.as_deref(), "notes")?;
    // Priced into the same rows a quote stores, then copied as the order's lines.
    let mut priced = Vec::with_capacity(checked.len());
    for (position, (line, figures)) in checked.iter().zip(&totals.lines).enumerate() {
        priced.push(quote_lines::Model {
            id: new_id(),
            quote_id: Uuid::nil(),
            position: i32::try_from(position).unwrap_or(i32::MAX),
            product_id: line.product_id,
            description: line.description.clone(),
            quantity: units(line.input.quantity)?,
            unit_price: units(line.input.unit_price)?,
            discount_bp: lines::bp(line.input.discount_percent)?,
            tax_rate_bp: lines::bp(line.input.tax_rate_percent)?,
            gross: units(figures.gross)?,
            discount: units(figures.discount)?,
            net: units(figures.net)?,
            tax: units(figures.tax)?,
            total: units(figures.total)?,
        });
    }
    let order = insert(
        &txn,
        principal,
        NewOrder {
            number,
            quote_id: None,
            opportunity_id: None,
            account_id: account.id,
            owner_id: owner,
            dealer_id: account.dealer_id,
            currency: currency.code().to_owned(),
            subtotal: units(totals.subtotal)?,
            discount: units(totals.discount)?,
            net: units(totals.net)?,
            tax: units(totals.tax)?,
            grand_total: units(totals.grand_total)?,
            notes,
            lines: priced,
            terms,
        },
    )
    .await?;
    txn.commit().await?;
    Ok(order)
}

/// Filters of the order list.
#[derive(Debug, Default, Clone)]
pub struct OrderFilter {
    pub status: Option<OrderStatus>,
    pub credit_status: Option<CreditStatus>,
    pub account_id: Option<Uuid>,
    pub owner_id: Option<Uuid>,
    pub q: Option<String>,
}

pub const SORT_FIELDS: [SortField<Column>; 3] = [
    SortField {
        name: "created_at",
        column: Column::CreatedAt,
        kind: SortKind::Time,
    },
    SortField {
        name: "number",
        column: Column::Number,
        kind: SortKind::Text,
    },
    SortField {
        name: "grand_total",
        column: Column::GrandTotal,
        kind: SortKind::Int,
    },
];

pub async fn list<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    filter: OrderFilter,
    paging: Paging<Column>,
) -> Result<ListPage<OrderView>, ApiError> {
    let mut cond = read_scope(principal)?;
    if let Some(s) = filter.status {
        cond = cond.add(Column::Status.eq(s.as_str()));
    }
    if let Some(c) = filter.credit_status {
        cond = cond.add(Column::CreditStatus.eq(c.as_str()));
    }
    if let Some(a) = filter.account_id {
        cond = cond.add(Column::AccountId.eq(a));
    }
    if let Some(o) = filter.owner_id {
        cond = cond.add(Column::OwnerId.eq(o));
    }
    if let Some(q) = search::text_filter(filter.q.as_deref(), &[Column::Number])? {
        cond = cond.add(q);
    }
    let page = paging::page(
        db,
        entity::Entity::find().filter(cond),
        &paging,
        Column::Id,
        |m| m.id,
        |m| m,
    )
    .await?;
    // Lines are read for the whole page at once, after the page is cut.
    let mut by_order: HashMap<Uuid, Vec<order_lines::Model>> = HashMap::new();
    for line in lines_of(db, page.items.iter().map(|o| o.id).collect()).await? {
        by_order.entry(line.order_id).or_default().push(line);
    }
    let items = page
        .items
        .into_iter()
        .map(|o| {
            let mine = by_order.remove(&o.id).unwrap_or_default();
            view(o, mine)
        })
        .collect();
    Ok(ListPage {
        items,
        next_cursor: page.next_cursor,
        total: page.total,
    })
}
