//! The figures behind the dashboard's charts, computed apart from drawing so they are tested.

use kedao_api_types::receivables::AgingRow;
use kedao_domain::Currency;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

/// Bar lengths proportional to `values`, the largest `full` long; all zero when nothing is.
/// The proportions are taken in exact decimals (the values are money or counts); only the
/// length on screen is a float.
pub fn bar_lengths(values: &[Decimal], full: f64) -> Vec<f64> {
    let max = values.iter().copied().fold(Decimal::ZERO, Decimal::max);
    values
        .iter()
        .map(|v| {
            if max > Decimal::ZERO {
                let share = v.max(&Decimal::ZERO).checked_div(max).unwrap_or_default();
                share.to_f64().unwrap_or(0.0) * full
            } else {
                0.0
            }
        })
        .collect()
}

/// Aging buckets, oldest last: not yet due, 1–30, 31–60, 61–90, over 90 days overdue.
pub const AGING_BUCKETS: [&str; 5] = [
    "aging.not_due",
    "aging.d1_30",
    "aging.d31_60",
    "aging.d61_90",
    "aging.over_90",
];

/// One currency's receivables by age (amounts are never added across currencies).
#[derive(Debug, Clone, PartialEq)]
pub struct AgingTotals {
    pub currency: Currency,
    pub buckets: [Decimal; 5],
    pub total: Decimal,
}

/// Sums report rows (one per owner, account …) into one line per currency, largest first.
pub fn aging_by_currency(rows: &[AgingRow]) -> Vec<AgingTotals> {
    let mut totals: Vec<AgingTotals> = Vec::new();
    for row in rows {
        let index = match totals.iter().position(|t| t.currency == row.currency) {
            Some(i) => i,
            None => {
                totals.push(AgingTotals {
                    currency: row.currency,
                    buckets: [Decimal::ZERO; 5],
                    total: Decimal::ZERO,
                });
                totals.len() - 1
            }
        };
        let entry = &mut totals[index];
        let row_buckets = [row.not_due, row.d1_30, row.d31_60, row.d61_90, row.over_90];
        for (sum, value) in entry.buckets.iter_mut().zip(row_buckets) {
            *sum += value;
        }
        entry.total += row.total;
    }
    totals.sort_by_key(|t| std::cmp::Reverse(t.total));
    totals
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(currency: Currency, buckets: [i64; 5]) -> AgingRow {
        let d = |n: i64| Decimal::from(n);
        AgingRow {
            group_id: None,
            group_name: None,
            currency,
            not_due: d(buckets[0]),
            d1_30: d(buckets[1]),
            d31_60: d(buckets[2]),
            d61_90: d(buckets[3]),
            over_90: d(buckets[4]),
            total: d(buckets.iter().sum()),
        }
    }

    #[test]
    fn bars_scale_to_the_largest() {
        let d = Decimal::from;
        assert_eq!(
            bar_lengths(&[d(5), d(10), d(0)], 200.0),
            [100.0, 200.0, 0.0]
        );
        assert_eq!(bar_lengths(&[d(0), d(0)], 200.0), [0.0, 0.0]);
        assert_eq!(bar_lengths(&[], 200.0), Vec::<f64>::new());
    }

    #[test]
    fn aging_sums_per_currency_never_across() {
        let rows = [
            row(Currency::Cny, [100, 10, 0, 0, 5]),
            row(Currency::Usd, [1, 0, 0, 0, 0]),
            row(Currency::Cny, [0, 20, 30, 0, 0]),
        ];
        let totals = aging_by_currency(&rows);
        assert_eq!(totals.len(), 2);
        assert_eq!(totals[0].currency, Currency::Cny);
        assert_eq!(
            totals[0].buckets.map(|d| d.to_string()),
            ["100", "30", "30", "0", "5"]
        );
        assert_eq!(totals[0].total, Decimal::from(165));
        assert_eq!(totals[1].currency, Currency::Usd);
    }
}
