//! Receivables (应收款 / 回款): payment plans, automatic application of payments oldest due
//! first (自动扣减回款额,直至为0), installment status as of a day, and aging buckets.
//!
//! Invariants (property-tested below): for every installment 0 ≤ paid ≤ amount; for every
//! payment, its allocations plus its unapplied credit equal its amount; voiding a payment
//! restores exactly what it had paid.

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

use crate::money::{Currency, with_scale};

/// A calendar day as a day number (days since 1970-01-01). The rules only compare and
/// subtract days, so the domain needs no date library; the server converts its dates.
pub type Day = i64;

/// An installment as the allocator sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Installment<Id> {
    pub id: Id,
    pub due: Day,
    pub amount: Decimal,
    pub paid: Decimal,
}

impl<Id> Installment<Id> {
    pub fn outstanding(&self) -> Decimal {
        self.amount - self.paid
    }
}

/// How much of a payment went to which installment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Allocation<Id> {
    pub installment: Id,
    pub amount: Decimal,
}

/// The result of applying a payment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Application<Id> {
    pub allocations: Vec<Allocation<Id>>,
    /// What was left over: kept as the account's unapplied credit.
    pub unapplied: Decimal,
}

/// Applies `amount` to the open installments, oldest due date first (ties in the given order),
/// until it is used up. Returns the allocations; the caller adds them to `paid`.
pub fn apply_payment<Id: Clone>(
    installments: &[Installment<Id>],
    amount: Decimal,
) -> Application<Id> {
    let mut order: Vec<&Installment<Id>> = installments
        .iter()
        .filter(|i| i.outstanding() > Decimal::ZERO)
        .collect();
    order.sort_by_key(|i| i.due);
    let mut left = amount.max(Decimal::ZERO);
    let mut allocations = Vec::new();
    for inst in order {
        if left.is_zero() {
            break;
        }
        let take = left.min(inst.outstanding());
        allocations.push(Allocation {
            installment: inst.id.clone(),
            amount: take,
        });
        left -= take;
    }
    Application {
        allocations,
        unapplied: left,
    }
}

/// Why a payment plan was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlanError {
    #[error("a plan needs at least one installment")]
    Empty,
    #[error("installment amounts must be greater than 0")]
    NonPositive,
    #[error("installment amounts add up to {sum}, not the order total {total}")]
    SumMismatch { sum: Decimal, total: Decimal },
}

/// Checks that a plan's amounts are positive and add up exactly to the order total.
pub fn check_plan(amounts: &[Decimal], total: Decimal) -> Result<(), PlanError> {
    if amounts.is_empty() {
        return Err(PlanError::Empty);
    }
    if amounts.iter().any(|a| *a <= Decimal::ZERO) {
        return Err(PlanError::NonPositive);
    }
    let sum: Decimal = amounts.iter().sum();
    if sum != total {
        return Err(PlanError::SumMismatch { sum, total });
    }
    Ok(())
}

/// Splits an order total into installments in proportion to `weights`: equal weights for an
/// even split, or percentages such as 30/60/10 (deposit, on delivery, retention). Each part
/// but the last is its share rounded down to the currency's minor unit and the last takes
/// what is left, so the parts always add up exactly to the total, as `check_plan` demands,
/// and no part is ever more than its exact share except the last, by less than one minor
/// unit per part. None without weights, with a weight ≤ 0, or when the figures overflow.
pub fn split_total(
    total: Decimal,
    currency: Currency,
    weights: &[Decimal],
) -> Option<Vec<Decimal>> {
    let (_, rest) = weights.split_last()?;
    if weights.iter().any(|w| *w <= Decimal::ZERO) {
        return None;
    }
    let sum = weights
        .iter()
        .try_fold(Decimal::ZERO, |sum, w| sum.checked_add(*w))?;
    let places = currency.minor_units();
    let mut parts = Vec::with_capacity(weights.len());
    let mut given = Decimal::ZERO;
    for weight in rest {
        let share = total
            .checked_mul(*weight)?
            .checked_div(sum)?
            .round_dp_with_strategy(places, RoundingStrategy::ToZero);
        given += share;
        parts.push(with_scale(share, places));
    }
    parts.push(with_scale(total - given, places));
    Some(parts)
}

/// An installment's standing on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum InstallmentStatus {
    Open,
    PartiallyPaid,
    Paid,
    Overdue,
    /// Its order was cancelled: nothing is owed on it any more.
    Cancelled,
}

/// Status as of `today`: paid when nothing is outstanding; overdue when past due with
/// something outstanding; else partially paid or open.
pub fn status(amount: Decimal, paid: Decimal, due: Day, today: Day) -> InstallmentStatus {
    if paid >= amount {
        InstallmentStatus::Paid
    } else if due < today {
        InstallmentStatus::Overdue
    } else if paid > Decimal::ZERO {
        InstallmentStatus::PartiallyPaid
    } else {
        InstallmentStatus::Open
    }
}

/// Aging buckets of outstanding amounts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AgingBucket {
    NotDue,
    Days1To30,
    Days31To60,
    Days61To90,
    Over90,
}

/// The bucket for an installment due on `due`, seen on `today`.
pub fn aging_bucket(due: Day, today: Day) -> AgingBucket {
    match today - due {
        i64::MIN..=0 => AgingBucket::NotDue,
        1..=30 => AgingBucket::Days1To30,
        31..=60 => AgingBucket::Days31To60,
        61..=90 => AgingBucket::Days61To90,
        _ => AgingBucket::Over90,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn inst(id: u32, due: i64, amount: i64, paid: i64) -> Installment<u32> {
        Installment {
            id,
            due,
            amount: Decimal::new(amount, 2),
            paid: Decimal::new(paid, 2),
        }
    }

    #[test]
    fn oldest_due_first_then_credit() {
        let plan = [
            inst(1, 30, 10_000, 0),
            inst(2, 10, 5_000, 2_000),
            inst(3, 20, 5_000, 5_000),
        ];
        let app = apply_payment(&plan, Decimal::new(20_000, 2));
        assert_eq!(
            app.allocations,
            vec![
                Allocation {
                    installment: 2,
                    amount: Decimal::new(3_000, 2)
                },
                Allocation {
                    installment: 1,
                    amount: Decimal::new(10_000, 2)
                },
            ]
        );
        assert_eq!(app.unapplied, Decimal::new(7_000, 2));
    }

    #[test]
    fn plans_must_sum_exactly() {
        let total = Decimal::new(10_000, 2);
        assert_eq!(
            check_plan(&[Decimal::new(3_000, 2), Decimal::new(7_000, 2)], total),
            Ok(())
        );
        assert!(matches!(
            check_plan(&[Decimal::new(3_000, 2), Decimal::new(6_999, 2)], total),
            Err(PlanError::SumMismatch { .. })
        ));
        assert_eq!(check_plan(&[], total), Err(PlanError::Empty));
        assert_eq!(
            check_plan(&[Decimal::ZERO, total], total),
            Err(PlanError::NonPositive)
        );
    }

    #[test]
    fn status_and_aging_as_of_a_day() {
        let a = Decimal::new(100, 0);
        assert_eq!(status(a, a, 5, 10), InstallmentStatus::Paid);
        assert_eq!(status(a, Decimal::ONE, 5, 10), InstallmentStatus::Overdue);
        assert_eq!(
            status(a, Decimal::ONE, 10, 10),
            InstallmentStatus::PartiallyPaid,
            "due today is not overdue"
        );
        assert_eq!(status(a, Decimal::ZERO, 11, 10), InstallmentStatus::Open);
        assert_eq!(aging_bucket(10, 10), AgingBucket::NotDue);
        assert_eq!(aging_bucket(10, 11), AgingBucket::Days1To30);
        assert_eq!(aging_bucket(10, 40), AgingBucket::Days1To30);
        assert_eq!(aging_bucket(10, 41), AgingBucket::Days31To60);
        assert_eq!(aging_bucket(10, 100), AgingBucket::Days61To90);
        assert_eq!(aging_bucket(10, 101), AgingBucket::Over90);
    }

    fn plan() -> impl Strategy<Value = Vec<Installment<u32>>> {
        proptest::collection::vec((0_i64..400, 1_i64..1_000_000, 0_u8..=100), 0..8).prop_map(
            |rows| {
                rows.into_iter()
                    .enumerate()
                    .map(|(i, (due, amount, paid_pct))| {
                        let paid = amount * i64::from(paid_pct) / 100;
                        inst(u32::try_from(i).unwrap(), due, amount, paid)
                    })
                    .collect()
            },
        )
    }

    fn dec(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    fn decs(all: &[&str]) -> Vec<Decimal> {
        all.iter().map(|s| dec(s)).collect()
    }

    #[test]
    fn splitting_a_total_puts_the_rounding_on_the_last_part() {
        let even = [Decimal::ONE; 3];
        assert_eq!(
            split_total(dec("3390.00"), Currency::Cny, &even),
            Some(decs(&["1130.00", "1130.00", "1130.00"]))
        );
        assert_eq!(
            split_total(dec("100.00"), Currency::Cny, &even),
            Some(decs(&["33.33", "33.33", "33.34"]))
        );
        assert_eq!(
            split_total(dec("3390.00"), Currency::Cny, &decs(&["30", "60", "10"])),
            Some(decs(&["1017.00", "2034.00", "339.00"]))
        );
        // Shares need not be whole or add up to 100: they are proportions.
        assert_eq!(
            split_total(dec("1000"), Currency::Jpy, &decs(&["1", "1", "1"])),
            Some(decs(&["333", "333", "334"]))
        );
        assert_eq!(
            split_total(dec("10.00"), Currency::Cny, &decs(&["0.5", "1.5"])),
            Some(decs(&["2.50", "7.50"]))
        );
        // Every part is written to the currency's minor unit.
        let whole = split_total(dec("90"), Currency::Cny, &even).unwrap();
        assert!(whole.iter().all(|p| p.scale() == 2));
        assert_eq!(whole[0].to_string(), "30.00");
    }

    #[test]
    fn splitting_needs_positive_weights() {
        assert_eq!(split_total(dec("100.00"), Currency::Cny, &[]), None);
        assert_eq!(
            split_total(dec("100.00"), Currency::Cny, &decs(&["50", "0"])),
            None
        );
        assert_eq!(
            split_total(dec("100.00"), Currency::Cny, &decs(&["-1", "2"])),
            None
        );
        assert_eq!(
            split_total(Decimal::MAX, Currency::Cny, &decs(&["2", "2"])),
            None,
            "an overflow is refused, not a panic"
        );
    }

    proptest! {
        #[test]
        fn a_split_adds_up_to_the_total_and_follows_the_shares(
            cents in 1_i64..100_000_000_000_000,
            weights in proptest::collection::vec(1_u32..=100, 1..12),
        ) {
            let total = Decimal::new(cents, 2);
            let weights: Vec<Decimal> = weights.into_iter().map(Decimal::from).collect();
            let parts = split_total(total, Currency::Cny, &weights).unwrap();
            prop_assert_eq!(parts.len(), weights.len());
            prop_assert_eq!(parts.iter().sum::<Decimal>(), total);
            let sum: Decimal = weights.iter().sum();
            let cent = Decimal::new(1, 2);
            for (i, (part, weight)) in parts.iter().zip(&weights).enumerate() {
                prop_assert_eq!(part.scale(), 2);
                let exact = total * weight / sum;
                if i + 1 < parts.len() {
                    prop_assert!(*part <= exact && exact - *part < cent, "{} against {}", part, exact);
                } else {
                    // The last carries what the others' rounding left: under a cent each.
                    prop_assert!(*part >= exact - cent / Decimal::from(1000));
                    prop_assert!(*part - exact < cent * Decimal::from(parts.len() as u32));
                }
            }
            // A plan of these parts is accepted whenever every part is positive.
            if parts.iter().all(|p| *p > Decimal::ZERO) {
                prop_assert_eq!(check_plan(&parts, total), Ok(()));
            }
        }

        #[test]
        fn allocation_invariants(plan in plan(), cents in 0_i64..5_000_000) {
            let amount = Decimal::new(cents, 2);
            let app = apply_payment(&plan, amount);
            let allocated: Decimal = app.allocations.iter().map(|a| a.amount).sum();
            prop_assert_eq!(allocated + app.unapplied, amount, "nothing lost");
            prop_assert!(app.unapplied >= Decimal::ZERO);
            for a in &app.allocations {
                let i = plan.iter().find(|i| i.id == a.installment).unwrap();
                prop_assert!(a.amount > Decimal::ZERO);
                prop_assert!(i.paid + a.amount <= i.amount, "never over-pays an installment");
            }
            let outstanding: Decimal = plan.iter().map(Installment::outstanding).sum();
            // Credit remains only when every installment is settled.
            if app.unapplied > Decimal::ZERO { prop_assert_eq!(allocated, outstanding); }
            // Oldest due first: an allocated installment is never due after an unpaid-and-skipped one.
            let mut after: Vec<Installment<u32>> = plan.clone();
            for a in &app.allocations { if let Some(i) = after.iter_mut().find(|i| i.id == a.installment) { i.paid += a.amount; } }
            let latest_paid = app.allocations.iter().filter_map(|a| plan.iter().find(|i| i.id == a.installment)).map(|i| i.due).max();
            if let Some(latest) = latest_paid {
                for i in after.iter().filter(|i| i.outstanding() > Decimal::ZERO) {
                    prop_assert!(i.due >= latest, "an earlier installment was left open");
                }
            }
        }

        #[test]
        fn voiding_restores_exactly(plan in plan(), cents in 0_i64..5_000_000) {
            let app = apply_payment(&plan, Decimal::new(cents, 2));
            let mut after = plan.clone();
            for a in &app.allocations { if let Some(i) = after.iter_mut().find(|i| i.id == a.installment) { i.paid += a.amount; } }
            for a in &app.allocations { if let Some(i) = after.iter_mut().find(|i| i.id == a.installment) { i.paid -= a.amount; } }
            prop_assert_eq!(after, plan);
        }
    }
}
