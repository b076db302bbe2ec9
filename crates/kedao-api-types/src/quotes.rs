//! Quotes (报价): priced lines for an opportunity, their approval, sending and revisions.
//! Every figure is computed by the server (`kedao_domain::quote`) and returned, so clients
//! never recompute a total.

use chrono::{DateTime, NaiveDate, Utc};
use kedao_domain::Currency;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Where a quote is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum QuoteStatus {
    /// Being written; the only editable state.
    Draft,
    /// Sent to the customer and still valid.
    Sent,
    Accepted,
    Rejected,
    /// Sent, and its `valid_until` day has passed.
    Expired,
    /// Replaced by a later revision; read-only.
    Superseded,
}

impl QuoteStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            QuoteStatus::Draft => "draft",
            QuoteStatus::Sent => "sent",
            QuoteStatus::Accepted => "accepted",
            QuoteStatus::Rejected => "rejected",
            QuoteStatus::Expired => "expired",
            QuoteStatus::Superseded => "superseded",
        }
    }

    pub fn parse(s: &str) -> Option<QuoteStatus> {
        [
            QuoteStatus::Draft,
            QuoteStatus::Sent,
            QuoteStatus::Accepted,
            QuoteStatus::Rejected,
            QuoteStatus::Expired,
            QuoteStatus::Superseded,
        ]
        .into_iter()
        .find(|st| st.as_str() == s)
    }
}

/// One line as entered: a product (its name, price and tax rate are the defaults) or free text.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct QuoteLineInput {
    /// A product of the price book; without one, `description` and `unit_price` are required.
    pub product_id: Option<Uuid>,
    /// Defaults to the product's name.
    pub description: Option<String>,
    /// Greater than 0, at most 4 decimals.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "3"))]
    pub quantity: Decimal,
    /// Defaults to the product's list price; at most 2 decimals beyond the currency's.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, example = "1999.99"))]
    pub unit_price: Option<Decimal>,
    /// 0–100, default 0.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, example = "7.5"))]
    pub discount_percent: Option<Decimal>,
    /// 0–100; defaults to the product's rate, else 0.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, example = "13"))]
    pub tax_rate_percent: Option<Decimal>,
}

/// A new quote: revision 1, in draft.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "validate", derive(validator::Validate))]
#[serde(deny_unknown_fields)]
pub struct QuoteCreate {
    /// An opportunity the caller can see; the quote belongs to its account and owner.
    pub opportunity_id: Uuid,
    /// Defaults to the opportunity's currency.
    pub currency: Option<Currency>,
    /// Today or later.
    pub valid_until: NaiveDate,
    #[cfg_attr(feature = "validate", validate(length(max = 10000)))]
    pub notes: Option<String>,
    /// 1–200 lines.
    #[cfg_attr(feature = "validate", validate(length(min = 1, max = 200)))]
    pub lines: Vec<QuoteLineInput>,
}

/// Changes to a draft; new `lines` replace all lines. Any change clears an approval.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "validate", derive(validator::Validate))]
#[serde(deny_unknown_fields)]
pub struct QuoteUpdate {
    pub valid_until: Option<NaiveDate>,
    #[serde(
        default,
        deserialize_with = "crate::patch::double_option",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub notes: Option<Option<String>>,
    #[cfg_attr(feature = "validate", validate(length(min = 1, max = 200)))]
    pub lines: Option<Vec<QuoteLineInput>>,
}

/// One priced line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QuoteLineView {
    pub id: Uuid,
    /// 0-based order on the quote.
    pub position: i32,
    pub product_id: Option<Uuid>,
    pub description: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub quantity: Decimal,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub unit_price: Decimal,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub discount_percent: Decimal,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub tax_rate_percent: Decimal,
    /// quantity × unit price.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub gross: Decimal,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub discount: Decimal,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub net: Decimal,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub tax: Decimal,
    /// net + tax.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub total: Decimal,
}

/// The answer to asking for a discount approval: who was asked (each got a notification).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApprovalRequested {
    pub quote_id: Uuid,
    /// The managers above the quote's owner, or the admins when there is none.
    pub approvers: Vec<Uuid>,
}

/// A quote with its lines and totals.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QuoteView {
    pub id: Uuid,
    /// The dealer (经销商) the record belongs to; none when the company sells directly.
    pub dealer_id: Option<Uuid>,
    /// `Q-<year>-<6 digits>`, shared by all revisions.
    pub number: String,
    pub revision: i32,
    pub opportunity_id: Uuid,
    pub account_id: Uuid,
    pub owner_id: Uuid,
    pub status: QuoteStatus,
    pub currency: Currency,
    pub valid_until: NaiveDate,
    pub lines: Vec<QuoteLineView>,
    /// Sum of the lines' gross amounts.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub subtotal: Decimal,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub discount: Decimal,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub net: Decimal,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub tax: Decimal,
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "6271.47"))]
    pub grand_total: Decimal,
    /// The largest line discount.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub max_discount_percent: Decimal,
    /// A line discount is above the approval threshold: a manager must approve before sending.
    pub needs_approval: bool,
    pub approved_by: Option<Uuid>,
    pub approved_at: Option<DateTime<Utc>>,
    pub sent_at: Option<DateTime<Utc>>,
    pub notes: Option<String>,
    pub created_by: Uuid,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i32,
}

/// Filters, order and paging of `GET /quotes`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct QuoteListQuery {
    pub opportunity_id: Option<Uuid>,
    pub account_id: Option<Uuid>,
    pub status: Option<QuoteStatus>,
    pub owner_id: Option<Uuid>,
    /// Free text over the number (substring match).
    pub q: Option<String>,
    /// Also list revisions replaced by a later one (default: only the latest of each number).
    pub include_superseded: Option<bool>,
    /// `created_at` (default `-created_at`), `number`, `grand_total`; `-` for descending.
    pub sort: Option<String>,
    /// 1–200, default 50.
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 200))]
    pub limit: Option<u64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Also count all matching rows (costs a count query).
    pub include_total: Option<bool>,
}
