//! Quotes (报价): read, create, edit and delete drafts. Status changes and revisions are in
//! `quote_status`, the list in `quote_list`, lines and their pricing in `quote_lines`.

use std::collections::HashMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait,
    QueryFilter, QueryOrder, Set, TransactionTrait,
};
use uuid::Uuid;

use kedao_api_types::quotes::{QuoteCreate, QuoteStatus, QuoteUpdate, QuoteView};
use kedao_domain::Currency;
use kedao_domain::access::{Action, Resource};
use kedao_domain::money::Money;
use kedao_domain::quote::{QuoteTotals, needs_approval};

use crate::auth::Principal;
use crate::error::ApiError;
use crate::store::entities::quote_lines;
use crate::store::entities::quotes::{self as entity, Column};
use crate::store::fields::{note, save_versioned};
use crate::store::products::{bp_to_percent, currency_of};
use crate::store::quote_lines::{self as lines, bp, units};
use crate::store::quote_numbers::next_quote_number;
use crate::store::quote_status::effective_status;
use crate::store::{history, new_id, now, opportunities, scope};

/// The wire form of a quote and its lines, with its status as of `today`.
pub fn view(m: entity::Model, rows: Vec<quote_lines::Model>, today: NaiveDate) -> QuoteView {
    let currency = currency_of(&m.currency);
    let money = |units: i64| Money::from_storage(units, currency).amount();
    QuoteView {
        id: m.id,
        dealer_id: m.dealer_id,
        status: effective_status(&m.status, m.valid_until, today),
        number: m.number,
        revision: m.revision,
        opportunity_id: m.opportunity_id,
        account_id: m.account_id,
        owner_id: m.owner_id,
        currency,
        valid_until: m.valid_until,
        lines: rows.into_iter().map(|l| lines::view(l, currency)).collect(),
        subtotal: money(m.subtotal),
        discount: money(m.discount),
        net: money(m.net),
        tax: money(m.tax),
        grand_total: money(m.grand_total),
        max_discount_percent: bp_to_percent(m.max_discount_bp),
        needs_approval: m.needs_approval,
        approved_by: m.approved_by,
        approved_at: m.approved_at,
        sent_at: m.sent_at,
        notes: m.notes,
        created_by: m.created_by,
        created_at: m.created_at,
        updated_at: m.updated_at,
        version: m.version,
    }
}

/// Quotes the caller may see: owner-scoped by their read reach.
pub fn read_scope(principal: &Principal) -> Result<Condition, ApiError> {
    let reach = principal.reach(Resource::Quotes, Action::Read)?;
    Ok(scope::owned_or_shared(
        principal,
        reach,
        Column::OwnerId,
        Column::AccountId,
        Column::DealerId,
    ))
}

/// The quote if the caller may see it; `NotFound` otherwise (the two look the same).
pub async fn find<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    id: Uuid,
) -> Result<entity::Model, ApiError> {
    entity::Entity::find_by_id(id)
        .filter(read_scope(principal)?)
        .one(db)
        .await?
        .ok_or(ApiError::NotFound("quote"))
}

/// The wire form of a stored quote, with its lines read alongside.
pub async fn view_of<C: ConnectionTrait>(
    db: &C,
    m: entity::Model,
    today: NaiveDate,
) -> Result<QuoteView, ApiError> {
    let rows = lines::of(db, vec![m.id]).await?;
    Ok(view(m, rows, today))
}

pub async fn get<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    id: Uuid,
) -> Result<QuoteView, ApiError> {
    let m = find(db, principal, id).await?;
    view_of(db, m, principal.today).await
}

/// The stored figures of priced lines, set on a quote's row.
fn set_totals(
    model: &mut entity::ActiveModel,
    totals: &QuoteTotals,
    threshold: Decimal,
) -> Result<(), ApiError> {
    model.subtotal = Set(units(totals.subtotal)?);
    model.discount = Set(units(totals.discount)?);
    model.net = Set(units(totals.net)?);
    model.tax = Set(units(totals.tax)?);
    model.grand_total = Set(units(totals.grand_total)?);
    model.max_discount_bp = Set(bp(totals.max_discount_percent)?);
    model.needs_approval = Set(needs_approval(totals, threshold));
    Ok(())
}

/// A quote cannot be valid until a day that has already passed.
pub fn check_valid_until(date: NaiveDate, today: NaiveDate) -> Result<(), ApiError> {
    if date < today {
        return Err(ApiError::field(
            "valid_until",
            "in-the-past",
            "the quote must be valid until today or later",
        ));
    }
    Ok(())
}

/// Creates revision 1 of a new quote, in draft, for an opportunity the caller can see.
pub async fn create(
    db: &DatabaseConnection,
    principal: &Principal,
    input: QuoteCreate,
    threshold: Decimal,
) -> Result<QuoteView, ApiError> {
    principal.reach(Resource::Quotes, Action::Write)?;
    let today = principal.today;
    check_valid_until(input.valid_until, today)?;
    let txn = db.begin().await?;
    let opportunity = match opportunities::find(&txn, principal, input.opportunity_id).await {
        Err(ApiError::NotFound(_)) => {
            return Err(ApiError::field(
                "opportunity_id",
                "unknown-opportunity",
                "no opportunity you can see has this id",
            ));
        }
        other => other?,
    };
    // The quote is the deal owner's, so whoever may quote must be able to write for them.
    scope::check_writable_on(
        &txn,
        principal,
        Resource::Quotes,
        scope::Held::new(opportunity.owner_id, opportunity.dealer_id),
        opportunity.account_id,
    )
    .await?;
    let currency = input
        .currency
        .unwrap_or_else(|| currency_of(&opportunity.currency));
    let (checked, totals) = lines::check(&txn, principal, &input.lines, currency).await?;
    let notes = note(input.notes.as_deref(), "notes")?;
    let at = now();
    let number = next_quote_number(&txn, at).await?;
    let mut model = entity::ActiveModel {
        id: Set(new_id()),
        number: Set(number),
        revision: Set(1),
        opportunity_id: Set(opportunity.id),
        account_id: Set(opportunity.account_id),
        owner_id: Set(opportunity.owner_id),
        status: Set(QuoteStatus::Draft.as_str().to_owned()),
        currency: Set(currency.code().to_owned()),
        valid_until: Set(input.valid_until),
        approved_by: Set(None),
        approved_at: Set(None),
        sent_at: Set(None),
        notes: Set(notes),
        created_by: Set(principal.user_id),
        created_at: Set(at),
        updated_at: Set(at),
        version: Set(1),
        dealer_id: Set(opportunity.dealer_id),
        ..Default::default()
    };
    set_totals(&mut model, &totals, threshold)?;
    let saved = model.insert(&txn).await?;
    let rows = lines::insert(&txn, saved.id, &checked, &totals).await?;
    txn.commit().await?;
    Ok(view(saved, rows, today))
}

/// The current row of a quote the caller may change, at the version they read.
pub async fn writable<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    id: Uuid,
    expected_version: i32,
) -> Result<entity::Model, ApiError> {
    let current = find(db, principal, id).await?;
    scope::check_writable_on(
        db,
        principal,
        Resource::Quotes,
        scope::Held::new(current.owner_id, current.dealer_id),
        current.account_id,
    )
    .await?;
    if current.version != expected_version {
        return Err(ApiError::PreconditionFailed {
            current_version: current.version,
        });
    }
    Ok(current)
}

fn not_draft() -> ApiError {
    ApiError::conflict(
        "quote-not-draft",
        "only a draft can be changed; revise the quote instead",
    )
}

/// Changes a draft: new lines replace the old ones and everything is re-priced. Any change
/// clears an approval, which was given for what the quote said before.
pub async fn update(
    db: &DatabaseConnection,
    principal: &Principal,
    id: Uuid,
    expected_version: i32,
    input: QuoteUpdate,
    threshold: Decimal,
) -> Result<QuoteView, ApiError> {
    let txn = db.begin().await?;
    let current = writable(&txn, principal, id, expected_version).await?;
    if current.status != QuoteStatus::Draft.as_str() {
        return Err(not_draft());
    }
    let before = view_of(&txn, current.clone(), principal.today).await?;
    let mut model: entity::ActiveModel = current.clone().into();
    if let Some(d) = input.valid_until {
        check_valid_until(d, principal.today)?;
        model.valid_until = Set(d);
    }
    if let Some(n) = input.notes {
        model.notes = Set(note(n.as_deref(), "notes")?);
    }
    if let Some(new_lines) = input.lines {
        let currency: Currency = currency_of(&current.currency);
        let (checked, totals) = lines::check(&txn, principal, &new_lines, currency).await?;
        set_totals(&mut model, &totals, threshold)?;
        lines::delete_of(&txn, id).await?;
        lines::insert(&txn, id, &checked, &totals).await?;
    }
    model.approved_by = Set(None);
    model.approved_at = Set(None);
    model.version = Set(current.version + 1);
    let at = now();
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
    let view = get(&txn, principal, id).await?;
    history::track(&txn, principal, Resource::Quotes, id, &before, &view, at).await?;
    txn.commit().await?;
    Ok(view)
}

/// Deletes a first-revision draft and its lines. A later draft revision is kept: deleting it
/// would leave its number with only a superseded revision.
pub async fn delete(
    db: &DatabaseConnection,
    principal: &Principal,
    id: Uuid,
    expected_version: i32,
) -> Result<(), ApiError> {
    let txn = db.begin().await?;
    let current = writable(&txn, principal, id, expected_version).await?;
    if current.status != QuoteStatus::Draft.as_str() {
        return Err(not_draft());
    }
    if current.revision > 1 {
        return Err(ApiError::conflict(
            "invalid-transition",
            "a later revision cannot be deleted; edit it instead",
        ));
    }
    // Deleted explicitly so that the result does not depend on the connection enforcing the
    // cascade.
    lines::delete_of(&txn, id).await?;
    let result = entity::Entity::delete_many()
        .filter(Column::Id.eq(id))
        .filter(Column::Version.eq(expected_version))
        .exec(&txn)
        .await?;
    if result.rows_affected == 0 {
        return Err(ApiError::PreconditionFailed {
            current_version: expected_version + 1,
        });
    }
    txn.commit().await?;
    Ok(())
}

/// Every revision of the quote's number that the caller may see, oldest first.
pub async fn revisions<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    id: Uuid,
) -> Result<Vec<QuoteView>, ApiError> {
    let quote = find(db, principal, id).await?;
    let rows = entity::Entity::find()
        .filter(read_scope(principal)?)
        .filter(Column::Number.eq(quote.number))
        .order_by_asc(Column::Revision)
        .all(db)
        .await?;
    with_lines(db, rows, principal.today).await
}

/// The wire forms of several quotes, their lines read in one query.
pub async fn with_lines<C: ConnectionTrait>(
    db: &C,
    rows: Vec<entity::Model>,
    today: NaiveDate,
) -> Result<Vec<QuoteView>, ApiError> {
    let mut by_quote: HashMap<Uuid, Vec<quote_lines::Model>> = HashMap::new();
    for line in lines::of(db, rows.iter().map(|q| q.id).collect()).await? {
        by_quote.entry(line.quote_id).or_default().push(line);
    }
    Ok(rows
        .into_iter()
        .map(|q| {
            let mine = by_quote.remove(&q.id).unwrap_or_default();
            view(q, mine, today)
        })
        .collect())
}
