//! Statement of account (对账单): what a customer owes over a period, entry by entry.
//!
//! An order is a debit; its cancellation a credit reversing it. A payment is a credit; its
//! void a debit reversing it. The balance is debits − credits: what the customer owes, or,
//! when negative, the credit they hold.
//!
//! Invariants (property-tested below): closing = opening + debits − credits; the closing
//! balance of one period is the opening balance of the next (continuity); the running balance
//! of the last line is the closing balance; and a history summed up before the period gives
//! the same statement as the history itself (so the server may sum old entries in SQL).

use rust_decimal::Decimal;

use crate::receivable::Day;

/// Longest period one statement covers, in days (about ten years).
pub const MAX_PERIOD_DAYS: i64 = 3660;

/// What an entry records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EntryKind {
    /// An order: debit of its total.
    Order,
    /// An order's cancellation: credit reversing its total.
    Cancellation,
    /// A payment received: credit of its amount.
    Payment,
    /// A payment's void: debit reversing it.
    Void,
}

impl EntryKind {
    /// Whether the entry adds to what the customer owes.
    pub fn is_debit(self) -> bool {
        matches!(self, EntryKind::Order | EntryKind::Void)
    }

    /// `amount` with the sign it has in the balance.
    pub fn signed(self, amount: Decimal) -> Decimal {
        if self.is_debit() { amount } else { -amount }
    }

    /// Orders (and their cancellations) come before payments (and their voids) on a day, so
    /// a payment received the day an order is placed never shows as credit in between.
    fn side(self) -> u8 {
        match self {
            EntryKind::Order | EntryKind::Cancellation => 0,
            EntryKind::Payment | EntryKind::Void => 1,
        }
    }
}

/// One entry of an account's ledger in one currency. `key` breaks ties within a day and side
/// (the server uses the creation instant, then the id) and lets the caller find its record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry<K> {
    pub day: Day,
    pub kind: EntryKind,
    /// Not negative: the kind gives the sign.
    pub amount: Decimal,
    pub key: K,
}

/// A line of the statement: the entry and the balance after it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line<K> {
    pub entry: Entry<K>,
    pub balance: Decimal,
}

/// One currency's statement over a period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement<K> {
    /// The balance at the start of the period.
    pub opening: Decimal,
    /// The period's entries in date order, each with the running balance.
    pub lines: Vec<Line<K>>,
    pub debits: Decimal,
    pub credits: Decimal,
    /// The balance at the end of the period.
    pub closing: Decimal,
}

/// Why a period was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PeriodError {
    #[error("the period starts after it ends")]
    Reversed,
    #[error("a statement covers at most {MAX_PERIOD_DAYS} days")]
    TooLong,
}

/// Checks a period `from..=to`.
pub fn check_period(from: Day, to: Day) -> Result<(), PeriodError> {
    if from > to {
        return Err(PeriodError::Reversed);
    }
    if to - from + 1 > MAX_PERIOD_DAYS {
        return Err(PeriodError::TooLong);
    }
    Ok(())
}

/// The balance of some entries.
pub fn balance<K>(entries: &[Entry<K>]) -> Decimal {
    entries.iter().map(|e| e.kind.signed(e.amount)).sum()
}

/// The statement of `from..=to`. `brought_forward` is the balance of earlier entries the
/// caller summed up instead of passing; entries before `from` are added to the opening
/// balance too, and entries after `to` are left out.
pub fn statement<K: Ord>(
    brought_forward: Decimal,
    entries: Vec<Entry<K>>,
    from: Day,
    to: Day,
) -> Statement<K> {
    let mut opening = brought_forward;
    let mut period = Vec::new();
    for e in entries {
        if e.day < from {
            opening += e.kind.signed(e.amount);
        } else if e.day <= to {
            period.push(e);
        }
    }
    period.sort_by(|a, b| (a.day, a.kind.side(), &a.key).cmp(&(b.day, b.kind.side(), &b.key)));
    let (mut debits, mut credits, mut running) = (Decimal::ZERO, Decimal::ZERO, opening);
    let lines = period
        .into_iter()
        .map(|entry| {
            if entry.kind.is_debit() {
                debits += entry.amount;
            } else {
                credits += entry.amount;
            }
            running += entry.kind.signed(entry.amount);
            Line {
                balance: tidy(running),
                entry,
            }
        })
        .collect();
    Statement {
        opening: tidy(opening),
        lines,
        debits,
        credits,
        closing: tidy(running),
    }
}

/// A zero balance reads `0.00`, never `-0.00`.
fn tidy(d: Decimal) -> Decimal {
    if d.is_zero() { d.abs() } else { d }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn e(day: Day, kind: EntryKind, cents: i64, key: u32) -> Entry<u32> {
        Entry {
            day,
            kind,
            amount: Decimal::new(cents, 2),
            key,
        }
    }

    #[test]
    fn orders_before_payments_and_running_balance() {
        use EntryKind::*;
        let entries = vec![
            e(9, Payment, 30_000, 1),
            e(10, Payment, 20_000, 2),
            e(10, Order, 100_000, 9),
            e(10, Void, 20_000, 3),
            e(11, Cancellation, 100_000, 9),
            e(12, Order, 5_000, 4),
        ];
        let s = statement(Decimal::ZERO, entries, 10, 11);
        assert_eq!(s.opening, Decimal::new(-30_000, 2));
        let kinds: Vec<_> = s.lines.iter().map(|l| l.entry.kind).collect();
        assert_eq!(kinds, vec![Order, Payment, Void, Cancellation]);
        let balances: Vec<_> = s.lines.iter().map(|l| l.balance).collect();
        assert_eq!(
            balances,
            vec![
                Decimal::new(70_000, 2),
                Decimal::new(50_000, 2),
                Decimal::new(70_000, 2),
                Decimal::new(-30_000, 2),
            ]
        );
        assert_eq!(s.debits, Decimal::new(120_000, 2));
        assert_eq!(s.credits, Decimal::new(120_000, 2));
        assert_eq!(s.closing, Decimal::new(-30_000, 2));
    }

    #[test]
    fn zero_is_never_negative() {
        let s = statement(
            Decimal::ZERO,
            vec![
                e(1, EntryKind::Payment, 100, 1),
                e(2, EntryKind::Void, 100, 2),
            ],
            2,
            2,
        );
        assert_eq!(s.closing.to_string(), "0.00");
        assert_eq!(s.lines[0].balance.to_string(), "0.00");
    }

    #[test]
    fn periods_are_checked() {
        assert_eq!(check_period(5, 5), Ok(()));
        assert_eq!(check_period(6, 5), Err(PeriodError::Reversed));
        assert_eq!(check_period(0, MAX_PERIOD_DAYS - 1), Ok(()));
        assert_eq!(check_period(0, MAX_PERIOD_DAYS), Err(PeriodError::TooLong));
    }

    fn kind() -> impl Strategy<Value = EntryKind> {
        prop_oneof![
            Just(EntryKind::Order),
            Just(EntryKind::Cancellation),
            Just(EntryKind::Payment),
            Just(EntryKind::Void),
        ]
    }

    fn ledger() -> impl Strategy<Value = Vec<Entry<u32>>> {
        proptest::collection::vec((0_i64..60, kind(), 0_i64..10_000_000), 0..40).prop_map(|rows| {
            rows.into_iter()
                .zip(0_u32..)
                .map(|((day, kind, cents), key)| e(day, kind, cents, key))
                .collect()
        })
    }

    proptest! {
        #[test]
        fn closing_is_opening_plus_debits_minus_credits(
            entries in ledger(), from in 0_i64..60, len in 0_i64..60, bf in -1_000_000_i64..1_000_000,
        ) {
            let s = statement(Decimal::new(bf, 2), entries, from, from + len);
            prop_assert_eq!(s.closing, s.opening + s.debits - s.credits);
            prop_assert_eq!(s.lines.last().map_or(s.opening, |l| l.balance), s.closing);
            let mut running = s.opening;
            for l in &s.lines {
                prop_assert!(l.entry.day >= from && l.entry.day <= from + len);
                running += l.entry.kind.signed(l.entry.amount);
                prop_assert_eq!(l.balance, running);
            }
        }

        #[test]
        fn one_period_closes_where_the_next_opens(
            entries in ledger(), a in 0_i64..60, b_len in 0_i64..30, c_len in 0_i64..30,
        ) {
            let b = a + b_len;
            let first = statement(Decimal::ZERO, entries.clone(), a, b);
            let second = statement(Decimal::ZERO, entries.clone(), b + 1, b + 1 + c_len);
            prop_assert_eq!(first.closing, second.opening);
            // And the two together are the one long period.
            let whole = statement(Decimal::ZERO, entries, a, b + 1 + c_len);
            prop_assert_eq!(whole.opening, first.opening);
            prop_assert_eq!(whole.closing, second.closing);
            prop_assert_eq!(whole.lines.len(), first.lines.len() + second.lines.len());
        }

        #[test]
        fn summing_up_the_past_changes_nothing(
            entries in ledger(), from in 0_i64..60, len in 0_i64..30, cut in 0_i64..60,
        ) {
            // Whatever day before `from` the history is summed up at, the statement is the same.
            let cut = cut.min(from);
            let (old, recent): (Vec<_>, Vec<_>) = entries.iter().cloned().partition(|e| e.day < cut);
            let whole = statement(Decimal::ZERO, entries, from, from + len);
            let summed = statement(balance(&old), recent, from, from + len);
            prop_assert_eq!(whole, summed);
        }

        #[test]
        fn lines_are_in_date_order_orders_first(entries in ledger(), from in 0_i64..60, len in 0_i64..60) {
            let s = statement(Decimal::ZERO, entries, from, from + len);
            for w in s.lines.windows(2) {
                let (x, y) = (&w[0].entry, &w[1].entry);
                prop_assert!((x.day, x.kind.side(), x.key) <= (y.day, y.kind.side(), y.key));
            }
        }
    }
}
