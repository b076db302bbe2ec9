//! The price book: products and services with a list price and a default tax rate.

use chrono::{DateTime, Utc};
use kedao_domain::Currency;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A product of the price book.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProductView {
    pub id: Uuid,
    pub sku: String,
    pub name: String,
    pub name_en: Option<String>,
    /// The unit a quantity counts (台, 套, m², hour).
    pub unit: String,
    /// Exact decimal as a string.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "1999.99"))]
    pub list_price: Decimal,
    pub currency: Currency,
    /// 0–100 with at most 2 decimals (13 for China's standard VAT).
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "13"))]
    pub tax_rate_percent: Decimal,
    /// Inactive products stay on old quotes but cannot be put on new lines.
    pub active: bool,
    /// Standard cost per unit, in the product's currency. Internal: absent for dealers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost: Option<Decimal>,
    /// (list price − cost) / list price, in percent. Internal: absent for dealers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub margin_percent: Option<Decimal>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i32,
}

/// A new product.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "validate", derive(validator::Validate))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "sku": "CNC-VMC850", "name": "立式加工中心 VMC850", "name_en": "Vertical machining centre VMC850",
    "unit": "台", "list_price": "268000.00", "currency": "CNY", "tax_rate_percent": "13"
})))]
#[serde(deny_unknown_fields)]
pub struct ProductCreate {
    #[cfg_attr(feature = "validate", validate(length(max = 64)))]
    pub sku: String,
    #[cfg_attr(feature = "validate", validate(length(max = 200)))]
    pub name: String,
    #[cfg_attr(feature = "validate", validate(length(max = 200)))]
    pub name_en: Option<String>,
    /// Defaults to `件` (piece).
    #[cfg_attr(feature = "validate", validate(length(max = 20)))]
    pub unit: Option<String>,
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "268000.00"))]
    pub list_price: Decimal,
    /// Defaults to CNY.
    pub currency: Option<Currency>,
    /// Defaults to 0.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, example = "13"))]
    pub tax_rate_percent: Option<Decimal>,
    /// Defaults to true.
    pub active: Option<bool>,
    /// Standard cost per unit (internal).
    #[serde(default)]
    pub cost: Option<Decimal>,
}

/// Changes to a product.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "validate", derive(validator::Validate))]
#[serde(deny_unknown_fields)]
pub struct ProductUpdate {
    #[cfg_attr(feature = "validate", validate(length(max = 64)))]
    pub sku: Option<String>,
    #[cfg_attr(feature = "validate", validate(length(max = 200)))]
    pub name: Option<String>,
    #[serde(
        default,
        deserialize_with = "crate::patch::double_option",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub name_en: Option<Option<String>>,
    #[cfg_attr(feature = "validate", validate(length(max = 20)))]
    pub unit: Option<String>,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub list_price: Option<Decimal>,
    pub currency: Option<Currency>,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub tax_rate_percent: Option<Decimal>,
    pub active: Option<bool>,
    /// Standard cost per unit (internal); `null` clears it.
    #[serde(
        default,
        deserialize_with = "crate::patch::double_option",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Decimal>))]
    pub cost: Option<Option<Decimal>>,
}

/// Filters, order and paging of `GET /products`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct ProductListQuery {
    pub active: Option<bool>,
    pub currency: Option<Currency>,
    /// Free text over SKU, name and English name (substring match).
    pub q: Option<String>,
    /// `sku` (default), `name`, `created_at`; `-` for descending.
    pub sort: Option<String>,
    /// 1–200, default 50.
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 200))]
    pub limit: Option<u64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Also count all matching rows (costs a count query).
    pub include_total: Option<bool>,
}
