//! A price-book product as typed in its form, and the request it makes: a new product
//! (`ProductCreate`) or the changes to one (`ProductUpdate`). Numbers that do not read are
//! named before anything is sent; the server judges the rest (ranges, decimals, SKU taken).

use std::str::FromStr;

use kedao_api_types::products::{ProductCreate, ProductUpdate, ProductView};
use kedao_domain::Currency;
use rust_decimal::Decimal;

use crate::problem::FieldErrors;

#[derive(Debug, Clone, PartialEq)]
pub struct ProductDraft {
    pub sku: String,
    pub name: String,
    pub name_en: String,
    pub unit: String,
    pub list_price: String,
    pub currency: Currency,
    pub tax_rate_percent: String,
    /// Blank: no standard cost.
    pub cost: String,
}

impl Default for ProductDraft {
    fn default() -> Self {
        ProductDraft {
            sku: String::new(),
            name: String::new(),
            name_en: String::new(),
            unit: "台".into(),
            list_price: String::new(),
            currency: Currency::Cny,
            // China's standard VAT rate.
            tax_rate_percent: "13".into(),
            cost: String::new(),
        }
    }
}

/// The typed fields, read.
struct Parsed {
    list_price: Decimal,
    tax_rate_percent: Decimal,
    cost: Option<Decimal>,
}

impl ProductDraft {
    /// The form filled with a product as it is.
    pub fn from_view(product: &ProductView) -> ProductDraft {
        ProductDraft {
            sku: product.sku.clone(),
            name: product.name.clone(),
            name_en: product.name_en.clone().unwrap_or_default(),
            unit: product.unit.clone(),
            list_price: product.list_price.to_string(),
            currency: product.currency,
            tax_rate_percent: product.tax_rate_percent.normalize().to_string(),
            cost: product.cost.map(|c| c.to_string()).unwrap_or_default(),
        }
    }

    /// A new, active product, or what is wrong with the numbers typed.
    pub fn to_create(&self) -> Result<ProductCreate, FieldErrors> {
        let parsed = self.parse()?;
        Ok(ProductCreate {
            sku: self.sku.trim().to_owned(),
            name: self.name.trim().to_owned(),
            name_en: optional(&self.name_en),
            unit: optional(&self.unit),
            list_price: parsed.list_price,
            currency: Some(self.currency),
            tax_rate_percent: Some(parsed.tax_rate_percent),
            active: Some(true),
            cost: parsed.cost,
        })
    }

    /// Every field of the form as the product's new values (a blank English name or cost
    /// clears it), or what is wrong with the numbers typed.
    pub fn to_update(&self) -> Result<ProductUpdate, FieldErrors> {
        let parsed = self.parse()?;
        Ok(ProductUpdate {
            sku: Some(self.sku.trim().to_owned()),
            name: Some(self.name.trim().to_owned()),
            name_en: Some(optional(&self.name_en)),
            unit: optional(&self.unit),
            list_price: Some(parsed.list_price),
            currency: Some(self.currency),
            tax_rate_percent: Some(parsed.tax_rate_percent),
            active: None,
            cost: Some(parsed.cost),
        })
    }

    fn parse(&self) -> Result<Parsed, FieldErrors> {
        let mut errors = FieldErrors::default();
        let mut number = |field: &str, text: &str| {
            Decimal::from_str(text.trim())
                .map_err(|_| errors.insert(field, "not-a-number", ""))
                .ok()
        };
        let list_price = number("list_price", &self.list_price);
        let tax_rate_percent = number("tax_rate_percent", &self.tax_rate_percent);
        let cost = match self.cost.trim() {
            "" => Some(None),
            text => number("cost", text).map(Some),
        };
        match (list_price, tax_rate_percent, cost) {
            (Some(list_price), Some(tax_rate_percent), Some(cost)) => Ok(Parsed {
                list_price,
                tax_rate_percent,
                cost,
            }),
            _ => Err(errors),
        }
    }
}

fn optional(text: &str) -> Option<String> {
    Some(text.trim().to_owned()).filter(|t| !t.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft() -> ProductDraft {
        ProductDraft {
            sku: " SP-100 ".into(),
            name: "主轴 ".into(),
            name_en: "  ".into(),
            list_price: "12800.50".into(),
            currency: Currency::Usd,
            tax_rate_percent: "9".into(),
            ..ProductDraft::default()
        }
    }

    #[test]
    fn a_new_product_is_trimmed_active_and_without_blank_fields() {
        let create = draft().to_create().unwrap();
        assert_eq!(create.sku, "SP-100");
        assert_eq!(create.name, "主轴");
        assert_eq!(create.name_en, None);
        assert_eq!(create.unit.as_deref(), Some("台"));
        assert_eq!(create.list_price, Decimal::new(1_280_050, 2));
        assert_eq!(create.currency, Some(Currency::Usd));
        assert_eq!(create.tax_rate_percent, Some(Decimal::from(9)));
        assert_eq!(create.active, Some(true));
        assert_eq!(create.cost, None);
    }

    #[test]
    fn an_update_clears_what_was_blanked_and_leaves_active_alone() {
        let update = ProductDraft {
            cost: "9000".into(),
            ..draft()
        }
        .to_update()
        .unwrap();
        assert_eq!(update.name_en, Some(None));
        assert_eq!(update.cost, Some(Some(Decimal::from(9000))));
        assert_eq!(update.active, None);
        let cleared = draft().to_update().unwrap();
        assert_eq!(cleared.cost, Some(None));
    }

    #[test]
    fn each_unreadable_number_is_named() {
        let bad = ProductDraft {
            list_price: "12,800".into(),
            tax_rate_percent: "".into(),
            cost: "cheap".into(),
            ..draft()
        };
        let errors = bad.to_create().unwrap_err();
        for field in ["list_price", "tax_rate_percent", "cost"] {
            assert_eq!(errors.get(field).unwrap().code, "not-a-number", "{field}");
        }
        assert!(errors.get("sku").is_none());
    }

    #[test]
    fn a_product_read_back_fills_the_form_as_it_is() {
        let saved = ProductView {
            id: uuid::Uuid::nil(),
            sku: "SP-100".into(),
            name: "主轴".into(),
            name_en: Some("Spindle".into()),
            unit: "套".into(),
            list_price: Decimal::new(1_280_050, 2),
            currency: Currency::Eur,
            tax_rate_percent: Decimal::new(1300, 2),
            active: true,
            cost: Some(Decimal::new(900_000, 2)),
            margin_percent: None,
            created_at: chrono::Utc::now(),
            updated_at: chrono::Utc::now(),
            version: 3,
        };
        let draft = ProductDraft::from_view(&saved);
        assert_eq!(draft.tax_rate_percent, "13");
        assert_eq!(draft.cost, "9000.00");
        assert_eq!(draft.name_en, "Spindle");
        let update = draft.to_update().unwrap();
        assert_eq!(update.list_price, Some(saved.list_price));
        assert_eq!(update.unit.as_deref(), Some("套"));
        assert_eq!(update.currency, Some(Currency::Eur));
    }
}
