//! The forecast by close month: open opportunities' weighted amounts summed per expected
//! close month, one series per currency (amounts are never added across currencies).
//! There is no forecast endpoint, so the dashboard computes this from the open-deal list.

use chrono::{Datelike, NaiveDate};
use kedao_api_types::opportunities::OpportunityView;
use kedao_domain::Currency;
use kedao_domain::pipeline::StageKind;
use rust_decimal::Decimal;

/// A month, as `(year, month)` so it sorts.
pub type Month = (i32, u32);

/// One currency's weighted pipeline by close month, months in order with none missing
/// between the first and the last.
#[derive(Debug, Clone, PartialEq)]
pub struct Forecast {
    pub currency: Currency,
    pub months: Vec<(Month, Decimal)>,
    pub total: Decimal,
}

fn month_of(date: NaiveDate) -> Month {
    (date.year(), date.month())
}

fn next_month((year, month): Month) -> Month {
    if month == 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    }
}

/// Open deals closing from `from`'s month on (overdue closes count in `from`'s month: they
/// are still expected), per currency, the currency with the most weighted money first.
pub fn forecast_by_month(deals: &[OpportunityView], from: NaiveDate) -> Vec<Forecast> {
    let first = month_of(from);
    let mut series: Vec<Forecast> = Vec::new();
    for deal in deals.iter().filter(|d| d.stage_kind == StageKind::Open) {
        let month = month_of(deal.expected_close_date).max(first);
        let index = match series.iter().position(|f| f.currency == deal.currency) {
            Some(i) => i,
            None => {
                series.push(Forecast {
                    currency: deal.currency,
                    months: Vec::new(),
                    total: Decimal::ZERO,
                });
                series.len() - 1
            }
        };
        let entry = &mut series[index];
        entry.total += deal.weighted_amount;
        match entry.months.iter_mut().find(|(m, _)| *m == month) {
            Some((_, sum)) => *sum += deal.weighted_amount,
            None => entry.months.push((month, deal.weighted_amount)),
        }
    }
    for f in &mut series {
        f.months.sort_by_key(|(m, _)| *m);
        // Fill the gaps, so a quiet month shows as an empty bar instead of vanishing.
        if let (Some(&(start, _)), Some(&(end, _))) = (f.months.first(), f.months.last()) {
            let mut filled = Vec::new();
            let mut month = start;
            while month <= end {
                let sum = f
                    .months
                    .iter()
                    .find(|(m, _)| *m == month)
                    .map_or(Decimal::ZERO, |(_, s)| *s);
                filled.push((month, sum));
                month = next_month(month);
            }
            f.months = filled;
        }
    }
    series.sort_by_key(|f| std::cmp::Reverse(f.total));
    series
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    fn deal(currency: &str, weighted: i64, close: &str, kind: &str) -> OpportunityView {
        let id = Uuid::nil();
        serde_json::from_value(serde_json::json!({
            "id": id, "dealer_id": null, "title": "t", "account_id": id, "contact_id": null,
            "pipeline_id": id, "stage_id": id, "stage_kind": kind, "amount": "0",
            "currency": currency, "probability": 50, "probability_overridden": false,
            "weighted_amount": weighted.to_string(), "expected_close_date": close,
            "source": "web", "competitors": [], "lost_reason": null, "description": null,
            "lead_id": null, "owner_id": id, "stage_changed_at": "2026-11-01T00:00:00Z",
            "closed_at": null, "created_at": "2026-11-01T00:00:00Z",
            "updated_at": "2026-11-01T00:00:00Z", "version": 1
        }))
        .unwrap()
    }

    #[test]
    fn months_are_summed_per_currency_with_gaps_filled() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
        let deals = [
            deal("CNY", 100, "2026-11-30", "open"),
            deal("CNY", 50, "2027-01-15", "open"),
            deal("CNY", 25, "2026-09-01", "open"),
            deal("USD", 10, "2026-12-01", "open"),
            deal("CNY", 999, "2026-12-01", "won"),
        ];
        let forecast = forecast_by_month(&deals, today);
        assert_eq!(forecast.len(), 2);
        let cny = &forecast[0];
        assert_eq!(cny.currency, Currency::Cny);
        assert_eq!(
            cny.months,
            [
                ((2026, 11), Decimal::from(125)),
                ((2026, 12), Decimal::ZERO),
                ((2027, 1), Decimal::from(50)),
            ]
        );
        assert_eq!(cny.total, Decimal::from(175));
        assert_eq!(forecast[1].months, [((2026, 12), Decimal::from(10))]);
        assert!(forecast_by_month(&[], today).is_empty());
    }
}
