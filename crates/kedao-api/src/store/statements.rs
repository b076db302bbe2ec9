//! Statement of account (对账单): an account's orders, cancellations, payments and voids over
//! a period, each dated in the company's calendar, with the arithmetic in
//! `kedao_domain::statement`.
//!
//! It scales with the period, not the history: everything certainly before the period is
//! summed by the database (per currency, through the account indexes), and only the rows of
//! the period, widened by a day on each side, are read. Instants are dated in the company's
//! time zone, which is at most 14 hours from UTC, so an instant before 00:00 UTC of the day
//! before `from` is certainly before `from`, and one from 00:00 UTC two days after `to` on is
//! certainly after `to`; rows in between are read and dated one by one.

mod ledger;
mod sums;

use std::collections::BTreeSet;

use chrono::{DateTime, Datelike, Days, NaiveDate, NaiveTime, TimeDelta, Utc};
use rust_decimal::Decimal;
use sea_orm::{ConnectionTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use kedao_api_types::receivables::PaymentMethod;
use kedao_api_types::statements::{
    StatementLine, StatementLineKind, StatementQuery, StatementSection, StatementView,
};
use kedao_domain::Currency;
use kedao_domain::access::{Action, Resource};
use kedao_domain::money::{Money, storage_sum_to_decimal};
use kedao_domain::statement::{Entry, EntryKind, PeriodError, check_period, statement};

use crate::auth::Principal;
use crate::error::ApiError;
use crate::store::entities::accounts;
use crate::store::receivables::day;
use crate::store::scope;
use ledger::{Key, Ledger, Source};

/// The account's statement over the asked period.
pub async fn statement_of<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    account_id: Uuid,
    query: StatementQuery,
) -> Result<StatementView, ApiError> {
    let (from, to) = period(principal, &query)?;
    let account = statement_account(db, principal, account_id).await?;
    let lo = utc_midnight(from.checked_sub_days(Days::new(1)).unwrap_or(from));
    // Capped in year 9999: later instants do not compare as text on SQLite, and none is stored.
    let hi = utc_midnight(to.checked_add_days(Days::new(2)).unwrap_or(to))
        .min(utc_midnight(last_day()) + TimeDelta::days(1) - TimeDelta::microseconds(1));
    let only = query.currency;

    let brought_forward = sums::brought_forward(db, account.id, only, from, lo).await?;
    let ledger = ledger::read_period(db, principal, account.id, only, (from, to), (lo, hi)).await?;
    let unapplied = sums::unapplied_sums(db, account.id, only).await?;

    // A section for each currency with an entry up to `to`, or the one asked for.
    let mut currencies: BTreeSet<Currency> = brought_forward
        .iter()
        .filter(|(_, (n, _))| *n > 0)
        .map(|(c, _)| *c)
        .collect();
    let last = day(to);
    for (currency, entries) in &ledger.entries {
        if entries.iter().any(|e| e.day <= last) {
            currencies.insert(*currency);
        }
    }
    if let Some(c) = only {
        currencies = BTreeSet::from([c]);
    }
    let Ledger {
        mut entries,
        sources,
    } = ledger;
    let sections = currencies
        .into_iter()
        .map(|currency| {
            let bf = brought_forward.get(&currency).map_or(0, |s| s.1);
            let s = statement(
                storage_sum_to_decimal(bf, currency),
                entries.remove(&currency).unwrap_or_default(),
                day(from),
                last,
            );
            let zero = Money::zero(currency).amount();
            StatementSection {
                currency,
                opening_balance: s.opening,
                lines: s
                    .lines
                    .into_iter()
                    .map(|l| line(&l.entry, l.balance, &sources, from, zero))
                    .collect(),
                total_debits: zero + s.debits,
                total_credits: zero + s.credits,
                closing_balance: s.closing,
                unapplied_credit: storage_sum_to_decimal(
                    unapplied.get(&currency).map_or(0, |s| s.1),
                    currency,
                ),
            }
        })
        .collect();
    Ok(StatementView {
        account_id: account.id,
        account_name: account.name,
        from,
        to,
        generated_on: principal.today,
        sections,
    })
}

/// The asked period with its defaults (`to` today, `from` the first of `to`'s month),
/// checked: 422 naming the field at fault.
fn period(principal: &Principal, q: &StatementQuery) -> Result<(NaiveDate, NaiveDate), ApiError> {
    let to = q.to.unwrap_or(principal.today);
    let from = q.from.unwrap_or_else(|| to.with_day(1).unwrap_or(to));
    for (field, d) in [("from", from), ("to", to)] {
        if !(first_day()..=last_day()).contains(&d) {
            return Err(ApiError::field(
                field,
                "out-of-range",
                "dates run from 1900-01-01 to 9999-12-31",
            ));
        }
    }
    check_period(day(from), day(to)).map_err(|e| {
        let code = match e {
            PeriodError::Reversed => "after-to",
            PeriodError::TooLong => "period-too-long",
        };
        ApiError::field("from", code, e.to_string())
    })?;
    Ok((from, to))
}

/// Dates the databases compare correctly as text and as timestamps, with room for the
/// one-day margins around the period.
fn first_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(1900, 1, 1).unwrap_or(NaiveDate::MIN)
}

fn last_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(9999, 12, 31).unwrap_or(NaiveDate::MAX)
}

fn utc_midnight(d: NaiveDate) -> DateTime<Utc> {
    d.and_time(NaiveTime::MIN).and_utc()
}

/// The account, if the caller may read receivables and see the account with both reaches;
/// `NotFound` otherwise (unknown and invisible look the same).
async fn statement_account<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    id: Uuid,
) -> Result<accounts::Model, ApiError> {
    let money = principal.reach(Resource::Receivables, Action::Read)?;
    let records = principal.reach(Resource::Accounts, Action::Read)?;
    accounts::Entity::find_by_id(id)
        .filter(scope::owned_or_shared(
            principal,
            money,
            accounts::Column::OwnerId,
            accounts::Column::Id,
            accounts::Column::DealerId,
        ))
        .filter(scope::owned_or_shared(
            principal,
            records,
            accounts::Column::OwnerId,
            accounts::Column::Id,
            accounts::Column::DealerId,
        ))
        .one(db)
        .await?
        .ok_or(ApiError::NotFound("account"))
}

/// The wire form of one line.
fn line(
    entry: &Entry<Key>,
    balance: Decimal,
    sources: &[Source],
    from: NaiveDate,
    zero: Decimal,
) -> StatementLine {
    // The inverse of `day`; every line's day lies inside the checked period.
    let date = NaiveDate::default()
        .checked_add_signed(TimeDelta::days(entry.day))
        .unwrap_or(from);
    let (debit, credit) = if entry.kind.is_debit() {
        (entry.amount, zero)
    } else {
        (zero, entry.amount)
    };
    let mut out = StatementLine {
        date,
        kind: match entry.kind {
            EntryKind::Order => StatementLineKind::Order,
            EntryKind::Cancellation => StatementLineKind::OrderCancelled,
            EntryKind::Payment => StatementLineKind::Payment,
            EntryKind::Void => StatementLineKind::PaymentVoided,
        },
        order_id: None,
        order_number: None,
        payment_id: None,
        payment_method: None,
        payment_reference: None,
        debit,
        credit,
        balance,
    };
    match sources.get(entry.key.2) {
        Some(Source::Order { id, number }) => {
            out.order_id = Some(*id);
            out.order_number = Some(number.clone());
        }
        Some(Source::Payment(p)) => {
            out.payment_id = Some(p.id);
            out.payment_method =
                Some(PaymentMethod::parse(&p.method).unwrap_or(PaymentMethod::Other));
            out.payment_reference = p.reference.clone();
        }
        None => {}
    }
    out
}
