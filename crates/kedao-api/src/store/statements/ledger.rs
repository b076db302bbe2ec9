//! The rows of the period, read and dated in the company calendar, as the domain's entries.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use sea_orm::sea_query::ExprTrait;
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};
use uuid::Uuid;

use kedao_domain::Currency;
use kedao_domain::statement::{Entry, EntryKind};

use crate::auth::Principal;
use crate::error::ApiError;
use crate::store::entities::{order_events, orders, payments};
use crate::store::products::currency_of;
use crate::store::receivables::{day, decimal};
use crate::store::statements::sums::{cancellations, of_account};

/// What a line points at, kept beside the entries the domain sorts.
pub enum Source {
    Order { id: Uuid, number: String },
    Payment(Box<payments::Model>),
}

/// Ties within a day and side break on the creation instant, then the id; the index finds
/// the line's `Source`.
pub type Key = (DateTime<Utc>, Uuid, usize);

/// The period's entries, read and dated, grouped by currency.
#[derive(Default)]
pub struct Ledger {
    pub entries: BTreeMap<Currency, Vec<Entry<Key>>>,
    pub sources: Vec<Source>,
}

impl Ledger {
    fn push(&mut self, currency: Currency, entry: (NaiveDate, EntryKind, Decimal), key: Key) {
        let (date, kind, amount) = entry;
        self.entries.entry(currency).or_default().push(Entry {
            day: day(date),
            kind,
            amount,
            key,
        });
    }
}

/// The rows of the period (instants widened to `lo..hi`), each dated in the company calendar.
pub async fn read_period<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    account: Uuid,
    only: Option<Currency>,
    (from, to): (NaiveDate, NaiveDate),
    (lo, hi): (DateTime<Utc>, DateTime<Utc>),
) -> Result<Ledger, ApiError> {
    use orders::Column as O;
    use payments::Column as P;
    let mut ledger = Ledger::default();
    let placed: Vec<(Uuid, String, String, i64, DateTime<Utc>)> = orders::Entity::find()
        .select_only()
        .columns([O::Id, O::Number, O::Currency, O::GrandTotal, O::CreatedAt])
        .filter(of_account(O::AccountId, O::Currency, account, only))
        .filter(O::CreatedAt.gte(lo))
        .filter(O::CreatedAt.lt(hi))
        .into_tuple()
        .all(db)
        .await?;
    let called_off: Vec<(Uuid, String, String, i64, DateTime<Utc>)> = cancellations(account, only)
        .select_only()
        .columns([O::Id, O::Number, O::Currency, O::GrandTotal])
        .column(order_events::Column::At)
        .filter(order_events::Column::At.gte(lo))
        .filter(order_events::Column::At.lt(hi))
        .into_tuple()
        .all(db)
        .await?;
    for (kind, rows) in [
        (EntryKind::Order, placed),
        (EntryKind::Cancellation, called_off),
    ] {
        for (id, number, code, total, at) in rows {
            let amount = decimal(total, &code);
            let n = ledger.sources.len();
            ledger.sources.push(Source::Order { id, number });
            let entry = (principal.date_of(at), kind, amount);
            ledger.push(currency_of(&code), entry, (at, id, n));
        }
    }
    let received = P::ReceivedOn.gte(from).and(P::ReceivedOn.lte(to));
    let voided = P::VoidedAt.gte(lo).and(P::VoidedAt.lt(hi));
    let pays = payments::Entity::find()
        .filter(of_account(P::AccountId, P::Currency, account, only))
        .filter(Condition::any().add(received).add(voided))
        .all(db)
        .await?;
    for p in pays {
        let currency = currency_of(&p.currency);
        let amount = decimal(p.amount, &p.currency);
        let n = ledger.sources.len();
        if (from..=to).contains(&p.received_on) {
            let entry = (p.received_on, EntryKind::Payment, amount);
            ledger.push(currency, entry, (p.created_at, p.id, n));
        }
        if let Some(at) = p.voided_at.filter(|at| (lo..hi).contains(at)) {
            let entry = (principal.date_of(at), EntryKind::Void, amount);
            ledger.push(currency, entry, (at, p.id, n));
        }
        ledger.sources.push(Source::Payment(Box::new(p)));
    }
    Ok(ledger)
}
