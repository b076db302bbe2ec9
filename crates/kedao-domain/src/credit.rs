//! Credit control (信用控制): whether a new order goes on credit hold, and how an account's
//! unapplied credit is spent on its open installments.
//!
//! The seeds have finance remind the owner to collect; here it is enforced. A new order is
//! put on hold when it would take the account's exposure over its credit limit, or when the
//! account has an installment more than the configured number of days overdue. A hold is
//! released only by finance or a manager (`access::may_release_credit_hold`).

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::receivable::{Installment, apply_payment};

/// Where an order stands with credit control.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CreditStatus {
    /// Passed the check when it was placed.
    Clear,
    /// Waiting for finance or a manager; it cannot move towards fulfilment.
    OnHold,
    /// Was on hold and has been released.
    Released,
}

impl CreditStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            CreditStatus::Clear => "clear",
            CreditStatus::OnHold => "on_hold",
            CreditStatus::Released => "released",
        }
    }

    pub fn parse(s: &str) -> Option<CreditStatus> {
        [
            CreditStatus::Clear,
            CreditStatus::OnHold,
            CreditStatus::Released,
        ]
        .into_iter()
        .find(|c| c.as_str() == s)
    }
}

/// Why an order was put on hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum HoldReason {
    /// The order would take the account's exposure over its credit limit.
    OverLimit,
    /// The account has an installment overdue longer than allowed.
    Overdue,
}

impl HoldReason {
    pub fn as_str(self) -> &'static str {
        match self {
            HoldReason::OverLimit => "over_limit",
            HoldReason::Overdue => "overdue",
        }
    }

    pub fn parse(s: &str) -> Option<HoldReason> {
        [HoldReason::OverLimit, HoldReason::Overdue]
            .into_iter()
            .find(|r| r.as_str() == s)
    }
}

/// An account's standing in one currency when a new order in that currency is placed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreditPosition {
    /// The credit limit, if the account has one in this currency.
    pub limit: Option<Decimal>,
    /// What is still owed on open installments.
    pub outstanding: Decimal,
    /// Payments received and not yet applied: they reduce the exposure.
    pub unapplied_credit: Decimal,
    /// Days the oldest open installment (any currency) is past due; `None` if none is.
    pub oldest_overdue_days: Option<i64>,
}

impl CreditPosition {
    /// What the account would owe with an order of `order_total` added.
    pub fn exposure_with(&self, order_total: Decimal) -> Decimal {
        self.outstanding - self.unapplied_credit + order_total
    }

    /// How much more may be ordered before the limit is passed (never below 0); `None`
    /// without a limit.
    pub fn available(&self) -> Option<Decimal> {
        self.limit
            .map(|l| (l - self.exposure_with(Decimal::ZERO)).max(Decimal::ZERO))
    }
}

/// The reasons to hold a new order of `order_total` (empty: it is clear). An account may owe
/// up to its limit exactly; overdue means more than `max_overdue_days` days past due.
pub fn hold_reasons(
    position: &CreditPosition,
    order_total: Decimal,
    max_overdue_days: u32,
) -> Vec<HoldReason> {
    let mut reasons = Vec::new();
    if position
        .limit
        .is_some_and(|limit| position.exposure_with(order_total) > limit)
    {
        reasons.push(HoldReason::OverLimit);
    }
    if position
        .oldest_overdue_days
        .is_some_and(|days| days > i64::from(max_overdue_days))
    {
        reasons.push(HoldReason::Overdue);
    }
    reasons
}

/// Some unapplied credit: a payment's id and what is left of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credit<P> {
    pub payment: P,
    pub unapplied: Decimal,
}

/// One step of spending credit: `amount` of `payment` goes to `installment`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreditAllocation<P, I> {
    pub payment: P,
    pub installment: I,
    pub amount: Decimal,
}

/// Spends the credits in the order given (oldest payment first) on the open installments,
/// oldest due first, each credit exactly as a payment of its unapplied amount would be.
pub fn apply_credit<P: Clone, I: Clone + PartialEq>(
    credits: &[Credit<P>],
    installments: &[Installment<I>],
) -> Vec<CreditAllocation<P, I>> {
    let mut open: Vec<Installment<I>> = installments.to_vec();
    let mut out = Vec::new();
    for credit in credits {
        let app = apply_payment(&open, credit.unapplied);
        for a in app.allocations {
            if let Some(inst) = open.iter_mut().find(|i| i.id == a.installment) {
                inst.paid += a.amount;
            }
            out.push(CreditAllocation {
                payment: credit.payment.clone(),
                installment: a.installment,
                amount: a.amount,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn cents(c: i64) -> Decimal {
        Decimal::new(c, 2)
    }

    fn position(
        limit: Option<i64>,
        outstanding: i64,
        credit: i64,
        overdue: Option<i64>,
    ) -> CreditPosition {
        CreditPosition {
            limit: limit.map(cents),
            outstanding: cents(outstanding),
            unapplied_credit: cents(credit),
            oldest_overdue_days: overdue,
        }
    }

    #[test]
    fn up_to_the_limit_exactly_is_clear() {
        let p = position(Some(100_000), 60_000, 0, None);
        assert!(hold_reasons(&p, cents(40_000), 30).is_empty());
        assert_eq!(hold_reasons(&p, cents(40_001), 30), [HoldReason::OverLimit]);
        assert_eq!(p.available(), Some(cents(40_000)));
    }

    #[test]
    fn unapplied_credit_lowers_the_exposure() {
        let p = position(Some(100_000), 60_000, 10_000, None);
        assert!(hold_reasons(&p, cents(50_000), 30).is_empty());
        assert_eq!(p.available(), Some(cents(50_000)));
    }

    #[test]
    fn overdue_counts_days_beyond_the_allowance() {
        assert!(hold_reasons(&position(None, 1, 0, Some(30)), cents(1), 30).is_empty());
        assert_eq!(
            hold_reasons(&position(None, 1, 0, Some(31)), cents(1), 30),
            [HoldReason::Overdue]
        );
        assert_eq!(
            hold_reasons(&position(Some(0), 1, 0, Some(31)), cents(1), 30),
            [HoldReason::OverLimit, HoldReason::Overdue]
        );
    }

    #[test]
    fn codes_round_trip() {
        for r in [HoldReason::OverLimit, HoldReason::Overdue] {
            assert_eq!(HoldReason::parse(r.as_str()), Some(r));
        }
        for s in [
            CreditStatus::Clear,
            CreditStatus::OnHold,
            CreditStatus::Released,
        ] {
            assert_eq!(CreditStatus::parse(s.as_str()), Some(s));
        }
    }

    proptest! {
        /// Without a limit and with nothing overdue an order is always clear; with a limit it
        /// is held exactly when the exposure would pass it; a bigger order is never clearer.
        #[test]
        fn hold_iff_over_limit(
            limit in proptest::option::of(0_i64..10_000_000),
            outstanding in 0_i64..10_000_000,
            credit in 0_i64..1_000_000,
            total in 0_i64..10_000_000,
            more in 0_i64..1_000_000,
        ) {
            let p = position(limit, outstanding, credit, None);
            let held = !hold_reasons(&p, cents(total), 30).is_empty();
            let over = limit.is_some_and(|l| outstanding - credit + total > l);
            prop_assert_eq!(held, over);
            if held {
                prop_assert!(!hold_reasons(&p, cents(total + more), 30).is_empty());
            }
            if let Some(room) = p.available() {
                prop_assert!(room >= Decimal::ZERO);
                prop_assert!(hold_reasons(&p, room, 30).is_empty() || room.is_zero());
            }
        }

        /// Spending credit never overpays an installment, never spends more of a payment than
        /// it has left, and stops only when the credit or the open amounts are used up.
        #[test]
        fn credit_is_spent_exactly(
            credits in proptest::collection::vec(0_i64..50_000, 0..5),
            insts in proptest::collection::vec((0_i64..100, 1_i64..40_000, 0_i64..100), 0..6),
        ) {
            let credits: Vec<Credit<usize>> = credits
                .iter()
                .enumerate()
                .map(|(i, c)| Credit { payment: i, unapplied: cents(*c) })
                .collect();
            let plan: Vec<Installment<usize>> = insts
                .iter()
                .enumerate()
                .map(|(i, (due, amount, paid_pct))| Installment {
                    id: i,
                    due: *due,
                    amount: cents(*amount),
                    paid: cents(amount * paid_pct / 100),
                })
                .collect();
            let out = apply_credit(&credits, &plan);
            for inst in &plan {
                let got: Decimal = out.iter().filter(|a| a.installment == inst.id).map(|a| a.amount).sum();
                prop_assert!(got <= inst.outstanding());
            }
            for c in &credits {
                let spent: Decimal = out.iter().filter(|a| a.payment == c.payment).map(|a| a.amount).sum();
                prop_assert!(spent <= c.unapplied);
            }
            let spent: Decimal = out.iter().map(|a| a.amount).sum();
            let credit: Decimal = credits.iter().map(|c| c.unapplied).sum();
            let open: Decimal = plan.iter().map(Installment::outstanding).sum();
            prop_assert_eq!(spent, credit.min(open));
            prop_assert!(out.iter().all(|a| a.amount > Decimal::ZERO));
        }
    }
}
