//! An order's payment plan as typed in its editor: installments (a due date and an amount
//! each) as text, the split that fills them in (a count of equal parts, or percentages such
//! as 30/60/10: deposit, on delivery, retention), and the request they make. What is still to
//! be planned shows as the user types; `kedao_domain::receivable` — the server's own rules —
//! splits the total and decides whether the plan adds up before anything is sent.

use std::str::FromStr;

use chrono::{Days, NaiveDate};
use kedao_api_types::receivables::{InstallmentInput, PlanReplace, PlanView};
use kedao_domain::Currency;
use kedao_domain::receivable::{PlanError, check_plan, split_total};
use rust_decimal::Decimal;

use crate::money::read_amount;
use crate::problem::FieldErrors;

/// The most installments a plan may have (the server's limit).
pub const MAX_INSTALLMENTS: usize = 120;

/// One installment as typed.
#[derive(Debug, Clone, PartialEq)]
pub struct InstallmentDraft {
    /// `YYYY-MM-DD`, as a date input gives it.
    pub due_date: String,
    pub amount: String,
}

/// The API's field path of an installment's field: `installments[1].amount`.
pub fn installment_field(index: usize, field: &str) -> String {
    format!("installments[{index}].{field}")
}

fn date(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok()
}

fn amount(text: &str) -> Option<Decimal> {
    Decimal::from_str(text.trim()).ok()
}

/// The installments typed so far.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PlanDraft {
    pub rows: Vec<InstallmentDraft>,
}

impl PlanDraft {
    /// The editor filled with the plan as it stands.
    pub fn from_plan(plan: &PlanView) -> PlanDraft {
        PlanDraft {
            rows: plan
                .installments
                .iter()
                .map(|i| InstallmentDraft {
                    due_date: i.due_date.to_string(),
                    amount: i.amount.to_string(),
                })
                .collect(),
        }
    }

    /// What is left to plan of `total`: positive while the amounts fall short, negative when
    /// they exceed it; none while an amount does not read as a number.
    pub fn remaining(&self, total: Decimal) -> Option<Decimal> {
        self.rows
            .iter()
            .try_fold(total, |left, row| Some(left - amount(&row.amount)?))
    }

    /// One more installment: what is left to plan (if anything), due `every_days` after the
    /// last one (or on `first_due` in an empty plan).
    pub fn add(&mut self, total: Decimal, first_due: NaiveDate, every_days: u64) {
        let due = self
            .rows
            .last()
            .and_then(|last| date(&last.due_date))
            .and_then(|last| last.checked_add_days(Days::new(every_days)))
            .unwrap_or(first_due);
        let left = self
            .remaining(total)
            .filter(|left| *left > Decimal::ZERO)
            .map(|left| left.to_string())
            .unwrap_or_default();
        self.rows.push(InstallmentDraft {
            due_date: due.to_string(),
            amount: left,
        });
    }

    /// The replacement plan, or what is wrong, keyed like the server's complaints: a date or
    /// amount that does not read, an amount not above zero, or amounts that do not add up to
    /// the order total (`installments`).
    pub fn to_request(
        &self,
        total: Decimal,
        currency: Currency,
    ) -> Result<PlanReplace, FieldErrors> {
        let mut errors = FieldErrors::default();
        if self.rows.len() > MAX_INSTALLMENTS {
            errors.insert("installments", "out-of-range", "");
        }
        let mut installments = Vec::with_capacity(self.rows.len());
        for (i, row) in self.rows.iter().enumerate() {
            let due_date = date(&row.due_date);
            if due_date.is_none() {
                errors.insert(&installment_field(i, "due_date"), "required", "");
            }
            let amount = match read_amount(&row.amount, currency) {
                Ok(a) if a > Decimal::ZERO => Some(a),
                read => {
                    let code = read.err().unwrap_or("out-of-range");
                    errors.insert(&installment_field(i, "amount"), code, "");
                    None
                }
            };
            if let (Some(due_date), Some(amount)) = (due_date, amount) {
                installments.push(InstallmentInput { due_date, amount });
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let amounts: Vec<Decimal> = installments.iter().map(|i| i.amount).collect();
        if let Err(e) = check_plan(&amounts, total) {
            let code = match e {
                PlanError::Empty => "empty",
                PlanError::NonPositive => "out-of-range",
                PlanError::SumMismatch { .. } => "invalid-plan",
            };
            errors.insert("installments", code, &e.to_string());
            return Err(errors);
        }
        Ok(PlanReplace { installments })
    }
}

/// How the editor splits the total: the parts, the first due date and the days between.
#[derive(Debug, Clone, PartialEq)]
pub struct Split {
    /// A count of equal parts (`3`), or percentages adding up to 100 (`30/60/10`).
    pub shares: String,
    pub first_due: String,
    pub every_days: String,
}

impl Split {
    /// The split that would give `plan` again (its count, first due date, 30 days apart).
    pub fn like(plan: &PlanView) -> Split {
        Split {
            shares: plan.installments.len().max(1).to_string(),
            first_due: plan
                .installments
                .first()
                .map(|i| i.due_date.to_string())
                .unwrap_or_default(),
            every_days: "30".into(),
        }
    }

    /// The days between installments, when they read.
    pub fn every_days(&self) -> Option<u64> {
        self.every_days.trim().parse().ok().filter(|d| *d <= 3660)
    }

    /// The weights of the parts: `n` ones for a count, else the percentages.
    fn weights(&self) -> Option<Vec<Decimal>> {
        let text = self.shares.trim();
        if let Ok(count) = text.parse::<usize>() {
            return (1..=MAX_INSTALLMENTS)
                .contains(&count)
                .then(|| vec![Decimal::ONE; count]);
        }
        let percents = text
            .split(['/', ',', '，', ' ', '、', '+'])
            .filter(|s| !s.is_empty())
            .map(|s| Decimal::from_str(s.trim_end_matches('%')).ok())
            .collect::<Option<Vec<Decimal>>>()?;
        let adds_up = percents.iter().sum::<Decimal>() == Decimal::ONE_HUNDRED;
        let fits = (1..=MAX_INSTALLMENTS).contains(&percents.len());
        (adds_up && fits && percents.iter().all(|p| *p > Decimal::ZERO)).then_some(percents)
    }

    /// The installments of this split of `total`, or what is wrong with it (fields
    /// `split_shares`, `split_first_due`, `split_every_days`).
    pub fn rows(
        &self,
        total: Decimal,
        currency: Currency,
    ) -> Result<Vec<InstallmentDraft>, FieldErrors> {
        let mut errors = FieldErrors::default();
        let weights = self.weights();
        if weights.is_none() {
            errors.insert("split_shares", "invalid-split", "");
        }
        let first = date(&self.first_due);
        if first.is_none() {
            errors.insert("split_first_due", "required", "");
        }
        let every = self.every_days();
        if every.is_none() {
            errors.insert("split_every_days", "out-of-range", "");
        }
        let (Some(weights), Some(first), Some(every)) = (weights, first, every) else {
            return Err(errors);
        };
        let Some(amounts) = split_total(total, currency, &weights) else {
            errors.insert("split_shares", "invalid-split", "");
            return Err(errors);
        };
        let mut rows = Vec::with_capacity(amounts.len());
        let mut due = Some(first);
        for amount in amounts {
            let Some(day) = due else {
                errors.insert("split_every_days", "out-of-range", "");
                return Err(errors);
            };
            rows.push(InstallmentDraft {
                due_date: day.to_string(),
                amount: amount.to_string(),
            });
            due = day.checked_add_days(Days::new(every));
        }
        Ok(rows)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kedao_api_types::receivables::{InstallmentStatus, InstallmentView};
    use uuid::Uuid;

    fn dec(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn row(due_date: &str, amount: &str) -> InstallmentDraft {
        InstallmentDraft {
            due_date: due_date.into(),
            amount: amount.into(),
        }
    }

    fn split(shares: &str) -> Split {
        Split {
            shares: shares.into(),
            first_due: "2026-12-10".into(),
            every_days: "30".into(),
        }
    }

    fn plan(installments: &[(&str, &str)]) -> PlanView {
        PlanView {
            order_id: Uuid::nil(),
            order_version: 3,
            currency: Currency::Cny,
            installments: installments
                .iter()
                .enumerate()
                .map(|(i, (due, amount))| InstallmentView {
                    id: Uuid::nil(),
                    dealer_id: None,
                    order_id: Uuid::nil(),
                    seq: i as i32 + 1,
                    due_date: day(due),
                    currency: Currency::Cny,
                    amount: dec(amount),
                    paid: Decimal::ZERO,
                    outstanding: dec(amount),
                    status: InstallmentStatus::Open,
                })
                .collect(),
        }
    }

    #[test]
    fn the_editor_starts_from_the_plan_as_it_stands() {
        let current = plan(&[("2027-01-06", "3390.00")]);
        let draft = PlanDraft::from_plan(&current);
        assert_eq!(draft.rows, [row("2027-01-06", "3390.00")]);
        assert_eq!(draft.remaining(dec("3390.00")), Some(Decimal::ZERO));
        assert_eq!(
            Split::like(&current),
            Split {
                shares: "1".into(),
                first_due: "2027-01-06".into(),
                every_days: "30".into()
            }
        );
    }

    #[test]
    fn a_count_splits_evenly_and_the_last_part_takes_the_rounding() {
        let rows = split("3").rows(dec("100.00"), Currency::Cny).unwrap();
        assert_eq!(
            rows,
            [
                row("2026-12-10", "33.33"),
                row("2027-01-09", "33.33"),
                row("2027-02-08", "33.34")
            ]
        );
        let draft = PlanDraft { rows };
        assert_eq!(draft.remaining(dec("100.00")), Some(Decimal::ZERO));
        assert!(draft.to_request(dec("100.00"), Currency::Cny).is_ok());
    }

    #[test]
    fn percentages_split_a_deposit_delivery_and_retention() {
        for shares in ["30/60/10", "30%, 60%, 10%", "30 60 10", "30、60、10"] {
            let rows = split(shares).rows(dec("3390.00"), Currency::Cny).unwrap();
            let amounts: Vec<&str> = rows.iter().map(|r| r.amount.as_str()).collect();
            assert_eq!(amounts, ["1017.00", "2034.00", "339.00"], "{shares}");
        }
        let yen = split("50/50").rows(dec("1001"), Currency::Jpy).unwrap();
        assert_eq!(yen[0].amount, "500");
        assert_eq!(yen[1].amount, "501");
    }

    #[test]
    fn a_split_that_does_not_read_is_named() {
        for shares in ["", "0", "121", "30/60", "30/abc/70", "50/-10/60", "x"] {
            let errors = split(shares)
                .rows(dec("100.00"), Currency::Cny)
                .unwrap_err();
            assert_eq!(
                errors.get("split_shares").unwrap().code,
                "invalid-split",
                "{shares:?}"
            );
        }
        let mut bad = split("2");
        bad.first_due = "next week".into();
        bad.every_days = "-3".into();
        let errors = bad.rows(dec("100.00"), Currency::Cny).unwrap_err();
        assert!(errors.get("split_first_due").is_some());
        assert!(errors.get("split_every_days").is_some());
        assert!(errors.get("split_shares").is_none());
    }

    #[test]
    fn adding_an_installment_offers_what_is_left_a_period_later() {
        let mut draft = PlanDraft {
            rows: vec![row("2027-01-06", "1000.00")],
        };
        draft.add(dec("3390.00"), day("2026-12-01"), 30);
        assert_eq!(draft.rows[1], row("2027-02-05", "2390.00"));
        assert_eq!(draft.remaining(dec("3390.00")), Some(Decimal::ZERO));
        // Nothing left: the new row's amount is for the user to type.
        draft.add(dec("3390.00"), day("2026-12-01"), 30);
        assert_eq!(draft.rows[2], row("2027-03-07", ""));
        assert_eq!(draft.remaining(dec("3390.00")), None);
        let mut empty = PlanDraft::default();
        empty.add(dec("10.00"), day("2026-12-01"), 30);
        assert_eq!(empty.rows, [row("2026-12-01", "10.00")]);
    }

    #[test]
    fn a_plan_that_does_not_add_up_is_refused_before_it_is_sent() {
        let draft = PlanDraft {
            rows: vec![row("2027-01-06", "1000.00"), row("2027-02-05", "2000.00")],
        };
        assert_eq!(draft.remaining(dec("3390.00")), Some(dec("390.00")));
        let errors = draft.to_request(dec("3390.00"), Currency::Cny).unwrap_err();
        let message = errors.get("installments").unwrap();
        assert_eq!(message.code, "invalid-plan");
        assert!(message.message.contains("3000.00"), "{}", message.message);

        let over = PlanDraft {
            rows: vec![row("2027-01-06", "4000.00")],
        };
        assert_eq!(over.remaining(dec("3390.00")), Some(dec("-610.00")));
        assert!(over.to_request(dec("3390.00"), Currency::Cny).is_err());

        let errors = PlanDraft::default()
            .to_request(dec("3390.00"), Currency::Cny)
            .unwrap_err();
        assert_eq!(errors.get("installments").unwrap().code, "empty");
    }

    #[test]
    fn each_bad_field_is_named_like_the_servers() {
        let draft = PlanDraft {
            rows: vec![
                row("", "1000.00"),
                row("2027-02-05", "abc"),
                row("2027-03-05", "0"),
                row("2027-04-05", "10.001"),
            ],
        };
        let errors = draft.to_request(dec("3390.00"), Currency::Cny).unwrap_err();
        assert_eq!(
            errors.get("installments[0].due_date").unwrap().code,
            "required"
        );
        assert_eq!(
            errors.get("installments[1].amount").unwrap().code,
            "not-a-number"
        );
        assert_eq!(
            errors.get("installments[2].amount").unwrap().code,
            "out-of-range"
        );
        assert_eq!(
            errors.get("installments[3].amount").unwrap().code,
            "too-precise"
        );
        assert!(errors.get("installments").is_none());
    }

    #[test]
    fn a_good_plan_becomes_the_request() {
        let draft = PlanDraft {
            rows: vec![row("2027-01-06", " 1017.00 "), row("2027-02-05", "2373")],
        };
        let request = draft.to_request(dec("3390.00"), Currency::Cny).unwrap();
        assert_eq!(request.installments.len(), 2);
        assert_eq!(request.installments[0].due_date, day("2027-01-06"));
        assert_eq!(request.installments[0].amount, dec("1017.00"));
        assert_eq!(request.installments[1].amount, dec("2373"));
    }
}
