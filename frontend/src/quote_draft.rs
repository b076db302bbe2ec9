//! The quote builder's lines as typed, and their totals computed by `kedao_domain::quote` —
//! the very code the server prices with, so the totals on screen are the totals saved.

use std::str::FromStr;

use kedao_api_types::products::ProductView;
use kedao_api_types::quotes::{QuoteLineInput, QuoteLineView};
use kedao_domain::Currency;
use kedao_domain::quote::{LineInput, QuoteTotals, price_quote};
use rust_decimal::Decimal;
use uuid::Uuid;

use crate::problem::FieldErrors;

/// One line as typed (free text: a description and a unit price).
#[derive(Debug, Clone, PartialEq)]
pub struct LineDraft {
    /// The price-book product the line was picked from, if it was.
    pub product_id: Option<Uuid>,
    pub description: String,
    pub quantity: String,
    pub unit_price: String,
    pub discount_percent: String,
    pub tax_rate_percent: String,
}

impl Default for LineDraft {
    fn default() -> Self {
        LineDraft {
            product_id: None,
            description: String::new(),
            quantity: "1".into(),
            unit_price: String::new(),
            discount_percent: "0".into(),
            // China's standard VAT rate.
            tax_rate_percent: "13".into(),
        }
    }
}

impl LineDraft {
    /// A line for one unit of a price-book product at its list price and tax rate.
    pub fn from_product(product: &ProductView) -> LineDraft {
        LineDraft {
            product_id: Some(product.id),
            description: product.name.clone(),
            unit_price: product.list_price.to_string(),
            tax_rate_percent: product.tax_rate_percent.normalize().to_string(),
            ..LineDraft::default()
        }
    }

    /// A saved line as it would be typed again (to change a draft quote): its own figures,
    /// not the product's current ones.
    pub fn from_line(line: &QuoteLineView) -> LineDraft {
        LineDraft {
            product_id: line.product_id,
            description: line.description.clone(),
            quantity: line.quantity.normalize().to_string(),
            unit_price: line.unit_price.to_string(),
            discount_percent: line.discount_percent.normalize().to_string(),
            tax_rate_percent: line.tax_rate_percent.normalize().to_string(),
        }
    }

    /// Nothing typed yet (a picked product replaces such a line instead of adding one).
    pub fn is_blank(&self) -> bool {
        self.product_id.is_none()
            && self.description.trim().is_empty()
            && self.unit_price.trim().is_empty()
    }
}

/// The API's field path of a line's field: `lines[1].unit_price`.
pub fn line_field(index: usize, field: &str) -> String {
    format!("lines[{index}].{field}")
}

fn number(text: &str) -> Option<Decimal> {
    Decimal::from_str(text.trim()).ok()
}

/// The lines as pricing input, or per-field complaints (keyed like the API's).
pub fn parse_lines(lines: &[LineDraft]) -> Result<Vec<LineInput>, FieldErrors> {
    let mut errors = FieldErrors::default();
    let mut inputs = Vec::with_capacity(lines.len());
    for (i, line) in lines.iter().enumerate() {
        let mut field = |name: &str, text: &str| {
            number(text).or_else(|| {
                errors.insert(&line_field(i, name), "not-a-number", "");
                None
            })
        };
        let quantity = field("quantity", &line.quantity);
        let unit_price = field("unit_price", &line.unit_price);
        let discount = field("discount_percent", &line.discount_percent);
        let tax = field("tax_rate_percent", &line.tax_rate_percent);
        if let (Some(quantity), Some(unit_price), Some(discount_percent), Some(tax_rate_percent)) =
            (quantity, unit_price, discount, tax)
        {
            inputs.push(LineInput {
                quantity,
                unit_price,
                discount_percent,
                tax_rate_percent,
            });
        }
    }
    if errors.is_empty() {
        Ok(inputs)
    } else {
        Err(errors)
    }
}

/// The totals, as the server will compute them; or what is wrong, by field.
pub fn preview(lines: &[LineDraft], currency: Currency) -> Result<QuoteTotals, FieldErrors> {
    let inputs = parse_lines(lines)?;
    price_quote(&inputs, currency).map_err(|(i, e)| {
        let mut errors = FieldErrors::default();
        errors.insert(&line_field(i, e.field), "invalid", &e.message);
        errors
    })
}

/// The lines of the create request.
pub fn request_lines(lines: &[LineDraft]) -> Result<Vec<QuoteLineInput>, FieldErrors> {
    let inputs = parse_lines(lines)?;
    Ok(lines
        .iter()
        .zip(inputs)
        .map(|(draft, input)| QuoteLineInput {
            product_id: draft.product_id,
            description: Some(draft.description.trim().to_owned()),
            quantity: input.quantity,
            unit_price: Some(input.unit_price),
            discount_percent: Some(input.discount_percent),
            tax_rate_percent: Some(input.tax_rate_percent),
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(quantity: &str, price: &str, discount: &str, tax: &str) -> LineDraft {
        LineDraft {
            product_id: None,
            description: "数控机床".into(),
            quantity: quantity.into(),
            unit_price: price.into(),
            discount_percent: discount.into(),
            tax_rate_percent: tax.into(),
        }
    }

    #[test]
    fn totals_are_sums_of_rounded_lines() {
        // 2 × 100.00 at 10 % off, 13 % tax: 200.00 − 20.00 = 180.00, tax 23.40, total 203.40.
        // 3 × 33.33 at 0 %, 6 % tax: 99.99, tax 6.00 (5.9994 rounded), total 105.99.
        let totals = preview(
            &[line("2", "100", "10", "13"), line("3", "33.33", "0", "6")],
            Currency::Cny,
        )
        .unwrap();
        assert_eq!(totals.subtotal.to_string(), "299.99");
        assert_eq!(totals.discount.to_string(), "20.00");
        assert_eq!(totals.tax.to_string(), "29.40");
        assert_eq!(totals.grand_total.to_string(), "309.39");
    }

    #[test]
    fn bad_numbers_name_their_line_and_field() {
        let errors = preview(
            &[line("1", "10", "0", "13"), line("x", "", "0", "13")],
            Currency::Cny,
        )
        .unwrap_err();
        assert!(errors.get("lines[1].quantity").is_some());
        assert!(errors.get("lines[1].unit_price").is_some());
        assert!(errors.get("lines[0].quantity").is_none());
    }

    #[test]
    fn pricing_rules_come_from_the_domain() {
        let errors = preview(&[line("1", "10", "150", "13")], Currency::Cny).unwrap_err();
        assert!(errors.get("lines[0].discount_percent").is_some());
    }

    #[test]
    fn a_picked_product_fills_a_line_and_is_sent_by_id() {
        let product: ProductView = serde_json::from_value(serde_json::json!({
            "id": Uuid::from_u128(9), "sku": "X5", "name": "数控机床 X5", "name_en": null,
            "unit": "台", "list_price": "1499.99", "currency": "CNY", "tax_rate_percent": "13.00",
            "active": true, "created_at": "2026-11-01T00:00:00Z",
            "updated_at": "2026-11-01T00:00:00Z", "version": 1
        }))
        .unwrap();
        let line = LineDraft::from_product(&product);
        assert!(!line.is_blank() && LineDraft::default().is_blank());
        assert_eq!(
            (line.unit_price.as_str(), line.tax_rate_percent.as_str()),
            ("1499.99", "13")
        );
        let sent = request_lines(&[line]).unwrap();
        assert_eq!(sent[0].product_id, Some(Uuid::from_u128(9)));
    }

    #[test]
    fn a_saved_line_is_typed_again_with_its_own_figures() {
        let saved: QuoteLineView = serde_json::from_value(serde_json::json!({
            "id": Uuid::from_u128(1), "position": 0, "product_id": Uuid::from_u128(9),
            "description": "数控机床 X5", "quantity": "2.0000", "unit_price": "1499.99",
            "discount_percent": "7.50", "tax_rate_percent": "13.00", "gross": "2999.98",
            "discount": "225.00", "net": "2774.98", "tax": "360.75", "total": "3135.73"
        }))
        .unwrap();
        let line = LineDraft::from_line(&saved);
        assert_eq!(line.product_id, Some(Uuid::from_u128(9)));
        assert_eq!(
            (
                line.quantity.as_str(),
                line.unit_price.as_str(),
                line.discount_percent.as_str(),
                line.tax_rate_percent.as_str()
            ),
            ("2", "1499.99", "7.5", "13")
        );
        // Priced again, it comes to the total the server saved.
        let totals = preview(&[line], Currency::Cny).unwrap();
        assert_eq!(totals.grand_total, saved.total);
    }

    #[test]
    fn request_lines_carry_what_was_typed() {
        let lines = request_lines(&[line("2", "100", "10", "13")]).unwrap();
        assert_eq!(lines[0].description.as_deref(), Some("数控机床"));
        assert_eq!(lines[0].unit_price, Some(Decimal::from(100)));
    }
}
