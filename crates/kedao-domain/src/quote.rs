//! Quote pricing (报价): exact line and total arithmetic shared by the server and the SPA, so a
//! quote never shows two different totals.
//!
//! Rounding rule: every figure is rounded once, half away from zero to the currency's minor
//! unit, per line: gross = quantity × unit price; discount = gross × discount%; net = gross −
//! discount; tax = net × tax rate; total = net + tax. Quote totals are the sums of the rounded
//! line figures, so the lines always add up to the totals shown.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::money::{Currency, max_amount, round_to_minor};

/// Largest quantity on one line.
pub fn max_quantity() -> Decimal {
    Decimal::from(1_000_000_000_i64)
}

/// Decimal places allowed in a quantity (e.g. 12.5 m², 0.001 t).
pub const QUANTITY_PLACES: u32 = 4;
/// Decimal places allowed in a unit price beyond the currency's (e.g. ¥0.0125 per piece).
pub const UNIT_PRICE_EXTRA_PLACES: u32 = 2;
/// Decimal places allowed in a discount or tax percentage.
pub const PERCENT_PLACES: u32 = 2;

/// One line as entered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LineInput {
    pub quantity: Decimal,
    pub unit_price: Decimal,
    /// 0–100.
    pub discount_percent: Decimal,
    /// 0–100 (e.g. 13 for China's standard VAT).
    pub tax_rate_percent: Decimal,
}

/// One line's figures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LineFigures {
    pub gross: Decimal,
    pub discount: Decimal,
    pub net: Decimal,
    pub tax: Decimal,
    pub total: Decimal,
}

/// The quote's figures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QuoteTotals {
    pub lines: Vec<LineFigures>,
    pub subtotal: Decimal,
    pub discount: Decimal,
    pub net: Decimal,
    pub tax: Decimal,
    pub grand_total: Decimal,
    /// The largest line discount, for the approval threshold.
    pub max_discount_percent: Decimal,
}

/// Why a line was refused; `field` names the offending input.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct LineError {
    pub field: &'static str,
    pub message: String,
}

fn line_error(field: &'static str, message: impl Into<String>) -> LineError {
    LineError {
        field,
        message: message.into(),
    }
}

fn places(d: Decimal) -> u32 {
    d.normalize().scale()
}

/// Checks one line's inputs.
pub fn check_line(line: &LineInput, currency: Currency) -> Result<(), LineError> {
    if line.quantity <= Decimal::ZERO {
        return Err(line_error("quantity", "must be greater than 0"));
    }
    if line.quantity > max_quantity() || places(line.quantity) > QUANTITY_PLACES {
        return Err(line_error(
            "quantity",
            format!("at most 1000000000 with {QUANTITY_PLACES} decimal places"),
        ));
    }
    let price_places = currency.minor_units() + UNIT_PRICE_EXTRA_PLACES;
    if line.unit_price < Decimal::ZERO {
        return Err(line_error("unit_price", "must not be negative"));
    }
    if line.unit_price > max_amount() || places(line.unit_price) > price_places {
        return Err(line_error(
            "unit_price",
            format!("at most 1000000000000 with {price_places} decimal places in {currency}"),
        ));
    }
    for (field, value) in [
        ("discount_percent", line.discount_percent),
        ("tax_rate_percent", line.tax_rate_percent),
    ] {
        if value < Decimal::ZERO || value > Decimal::ONE_HUNDRED || places(value) > PERCENT_PLACES {
            return Err(line_error(
                field,
                format!("must be from 0 to 100 with at most {PERCENT_PLACES} decimal places"),
            ));
        }
    }
    Ok(())
}

/// Prices one checked line.
pub fn price_line(line: &LineInput, currency: Currency) -> Result<LineFigures, LineError> {
    check_line(line, currency)?;
    let gross = round_to_minor(line.quantity * line.unit_price, currency);
    if gross > max_amount() {
        return Err(line_error("quantity", "the line amount is too large"));
    }
    let discount = round_to_minor(
        gross * line.discount_percent / Decimal::ONE_HUNDRED,
        currency,
    );
    let net = gross - discount;
    let tax = round_to_minor(net * line.tax_rate_percent / Decimal::ONE_HUNDRED, currency);
    Ok(LineFigures {
        gross,
        discount,
        net,
        tax,
        total: net + tax,
    })
}

/// Prices a whole quote; the error carries the index of the failing line.
pub fn price_quote(
    lines: &[LineInput],
    currency: Currency,
) -> Result<QuoteTotals, (usize, LineError)> {
    let zero = round_to_minor(Decimal::ZERO, currency);
    let mut totals = QuoteTotals {
        lines: Vec::with_capacity(lines.len()),
        subtotal: zero,
        discount: zero,
        net: zero,
        tax: zero,
        grand_total: zero,
        max_discount_percent: Decimal::ZERO,
    };
    for (i, line) in lines.iter().enumerate() {
        let figures = price_line(line, currency).map_err(|e| (i, e))?;
        totals.subtotal += figures.gross;
        totals.discount += figures.discount;
        totals.net += figures.net;
        totals.tax += figures.tax;
        totals.grand_total += figures.total;
        totals.max_discount_percent = totals.max_discount_percent.max(line.discount_percent);
        totals.lines.push(figures);
    }
    if totals.grand_total > max_amount() {
        return Err((
            lines.len().saturating_sub(1),
            line_error("quantity", "the quote total is too large"),
        ));
    }
    Ok(totals)
}

/// Whether a quote needs a manager's approval before it may be sent.
pub fn needs_approval(totals: &QuoteTotals, threshold_percent: Decimal) -> bool {
    totals.max_discount_percent > threshold_percent
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn line(q: &str, p: &str, disc: &str, tax: &str) -> LineInput {
        LineInput {
            quantity: d(q),
            unit_price: d(p),
            discount_percent: d(disc),
            tax_rate_percent: d(tax),
        }
    }

    #[test]
    fn a_worked_example() {
        // 3 × ¥1,999.99 = 5,999.97; 7.5% off = 449.9978 → 450.00; net 5,549.97; 13% VAT =
        // 721.4961 → 721.50; total 6,271.47.
        let f = price_line(&line("3", "1999.99", "7.5", "13"), Currency::Cny).unwrap();
        assert_eq!(
            (f.gross, f.discount, f.net, f.tax, f.total),
            (
                d("5999.97"),
                d("450.00"),
                d("5549.97"),
                d("721.50"),
                d("6271.47")
            )
        );
    }

    #[test]
    fn line_rounding_is_half_away_from_zero() {
        // 1 × 0.05 at 50% discount: 0.025 → 0.03.
        let f = price_line(&line("1", "0.05", "50", "0"), Currency::Cny).unwrap();
        assert_eq!(f.discount, d("0.03"));
        assert_eq!(f.net, d("0.02"));
    }

    #[test]
    fn bad_lines_name_their_field() {
        let cny = Currency::Cny;
        assert_eq!(
            price_line(&line("0", "1", "0", "0"), cny)
                .unwrap_err()
                .field,
            "quantity"
        );
        assert_eq!(
            price_line(&line("-1", "1", "0", "0"), cny)
                .unwrap_err()
                .field,
            "quantity"
        );
        assert_eq!(
            price_line(&line("1", "-1", "0", "0"), cny)
                .unwrap_err()
                .field,
            "unit_price"
        );
        assert_eq!(
            price_line(&line("1", "1.00001", "0", "0"), cny)
                .unwrap_err()
                .field,
            "unit_price"
        );
        assert_eq!(
            price_line(&line("1", "1", "100.5", "0"), cny)
                .unwrap_err()
                .field,
            "discount_percent"
        );
        assert_eq!(
            price_line(&line("1", "1", "0", "-1"), cny)
                .unwrap_err()
                .field,
            "tax_rate_percent"
        );
        assert_eq!(
            price_quote(&[line("1", "1", "0", "0"), line("0", "1", "0", "0")], cny)
                .unwrap_err()
                .0,
            1
        );
    }

    #[test]
    fn approval_threshold_is_strictly_above() {
        let t = price_quote(
            &[line("1", "100", "10", "0"), line("1", "100", "20", "0")],
            Currency::Cny,
        )
        .unwrap();
        assert!(needs_approval(&t, d("15")));
        assert!(!needs_approval(&t, d("20")));
    }

    fn any_line() -> impl Strategy<Value = LineInput> {
        (
            1_i64..1_000_000,
            0_i64..100_000_000,
            0_i64..=10_000,
            0_i64..=2_000,
        )
            .prop_map(|(q, p, disc, tax)| LineInput {
                quantity: Decimal::new(q, 2),
                unit_price: Decimal::new(p, 3),
                discount_percent: Decimal::new(disc, 2),
                tax_rate_percent: Decimal::new(tax, 2),
            })
    }

    proptest! {
        #[test]
        fn lines_always_add_up_to_the_totals(lines in proptest::collection::vec(any_line(), 0..12)) {
            let t = price_quote(&lines, Currency::Cny).unwrap();
            let sum = |f: fn(&LineFigures) -> Decimal| t.lines.iter().map(f).sum::<Decimal>();
            prop_assert_eq!(t.subtotal, sum(|l| l.gross));
            prop_assert_eq!(t.discount, sum(|l| l.discount));
            prop_assert_eq!(t.tax, sum(|l| l.tax));
            prop_assert_eq!(t.grand_total, t.net + t.tax);
            prop_assert_eq!(t.net, t.subtotal - t.discount);
            for l in &t.lines {
                prop_assert!(l.discount <= l.gross && l.discount >= Decimal::ZERO);
                prop_assert!(l.net >= Decimal::ZERO && l.tax >= Decimal::ZERO);
                prop_assert_eq!(l.total, l.net + l.tax);
                for v in [l.gross, l.discount, l.net, l.tax, l.total] {
                    prop_assert_eq!(v.scale(), 2, "every figure has the currency's scale");
                }
            }
        }

        #[test]
        fn a_full_discount_leaves_nothing(q in 1_i64..10_000, p in 0_i64..1_000_000) {
            let f = price_line(&LineInput { quantity: Decimal::from(q), unit_price: Decimal::new(p, 2), discount_percent: Decimal::ONE_HUNDRED, tax_rate_percent: Decimal::from(13) }, Currency::Cny).unwrap();
            prop_assert_eq!(f.net, Decimal::ZERO);
            prop_assert_eq!(f.total, Decimal::ZERO);
        }
    }
}
