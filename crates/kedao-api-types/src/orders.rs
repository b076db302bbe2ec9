//! Orders (订单): what an accepted quote becomes (or what is entered directly), with the lines
//! at the prices they were sold at, and the timeline of their fulfilment.

use chrono::{DateTime, Utc};
use kedao_domain::Currency;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

pub use kedao_domain::credit::{CreditStatus, HoldReason};
pub use kedao_domain::order::OrderStatus;

use crate::quotes::{QuoteLineInput, QuoteLineView};

/// An order entered directly, without a quote: priced like a quote's lines.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "validate", derive(validator::Validate))]
#[serde(deny_unknown_fields)]
pub struct OrderCreate {
    /// An account the caller can see.
    pub account_id: Uuid,
    /// Defaults to CNY.
    pub currency: Option<Currency>,
    /// Defaults to the caller; otherwise a user the caller may assign orders to.
    pub owner_id: Option<Uuid>,
    #[cfg_attr(feature = "validate", validate(length(max = 10000)))]
    pub notes: Option<String>,
    /// 1–200 lines.
    #[cfg_attr(feature = "validate", validate(length(min = 1, max = 200)))]
    pub lines: Vec<QuoteLineInput>,
}

/// A status change, checked by the order's state machine.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "validate", derive(validator::Validate))]
#[serde(deny_unknown_fields)]
pub struct OrderStatusChange {
    pub status: OrderStatus,
    /// Why, or what happened (a tracking number …).
    #[cfg_attr(feature = "validate", validate(length(max = 10000)))]
    pub note: Option<String>,
}

/// An order with its lines (as sold) and totals.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrderView {
    pub id: Uuid,
    /// The dealer (经销商) the record belongs to; none when the company sells directly.
    pub dealer_id: Option<Uuid>,
    /// `O-<year>-<6 digits>`.
    pub number: String,
    /// The quote it was accepted from; `null` for a direct entry.
    pub quote_id: Option<Uuid>,
    pub opportunity_id: Option<Uuid>,
    pub account_id: Uuid,
    pub owner_id: Uuid,
    pub status: OrderStatus,
    pub currency: Currency,
    pub lines: Vec<QuoteLineView>,
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
    pub notes: Option<String>,
    /// `on_hold`: waiting for finance or a manager to release it; it cannot move towards
    /// fulfilment until then (it can still be cancelled).
    pub credit_status: CreditStatus,
    /// Why it was put on hold (empty when it never was).
    pub credit_hold_reasons: Vec<HoldReason>,
    pub credit_released_by: Option<Uuid>,
    pub credit_released_at: Option<DateTime<Utc>>,
    pub created_by: Uuid,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i32,
}

/// Releasing an order's credit hold.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "validate", derive(validator::Validate))]
#[serde(deny_unknown_fields)]
pub struct CreditHoldRelease {
    /// Why it may go ahead (kept in the timeline).
    #[cfg_attr(feature = "validate", validate(length(max = 10000)))]
    pub note: Option<String>,
}

/// What a timeline entry records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum OrderEventKind {
    /// A status change (or the status the order began in).
    Status,
    /// Put on credit hold when it was placed; the note says why.
    CreditHold,
    /// Its credit hold released.
    CreditReleased,
}

impl OrderEventKind {
    pub fn as_str(self) -> &'static str {
        match self {
            OrderEventKind::Status => "status",
            OrderEventKind::CreditHold => "credit_hold",
            OrderEventKind::CreditReleased => "credit_released",
        }
    }

    pub fn parse(s: &str) -> OrderEventKind {
        match s {
            "credit_hold" => OrderEventKind::CreditHold,
            "credit_released" => OrderEventKind::CreditReleased,
            _ => OrderEventKind::Status,
        }
    }
}

/// One step of an order's timeline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrderEventView {
    pub id: Uuid,
    pub kind: OrderEventKind,
    /// `null` for the status the order was created in.
    pub from_status: Option<OrderStatus>,
    pub to_status: OrderStatus,
    /// Who made the change.
    pub actor_id: Uuid,
    pub note: Option<String>,
    pub at: DateTime<Utc>,
}

/// Filters, order and paging of `GET /orders`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct OrderListQuery {
    pub status: Option<OrderStatus>,
    /// `on_hold`: the orders waiting for a credit release.
    pub credit_status: Option<CreditStatus>,
    pub account_id: Option<Uuid>,
    pub owner_id: Option<Uuid>,
    /// Free text over the number (substring match).
    pub q: Option<String>,
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
