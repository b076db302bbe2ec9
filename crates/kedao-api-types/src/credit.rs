//! Credit control (信用控制): an account's credit limit and where it stands against it.

use kedao_domain::Currency;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Setting (or removing) an account's credit limit.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "validate", derive(validator::Validate))]
#[serde(deny_unknown_fields)]
pub struct CreditLimitSet {
    /// The most the account may owe in `currency`, 0 or more; `null` removes the limit.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, example = "500000.00"))]
    pub limit: Option<Decimal>,
    /// Defaults to CNY.
    pub currency: Option<Currency>,
}

/// What an account owes in one currency.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreditBalance {
    pub currency: Currency,
    /// Still owed on open installments.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub outstanding: Decimal,
    /// The part of it past due.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub overdue: Decimal,
    /// Received and not yet applied to any installment.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub unapplied_credit: Decimal,
}

/// An account's credit: its limit, what it owes, and what it may still order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AccountCreditView {
    pub account_id: Uuid,
    /// `null`: no limit.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub limit: Option<Decimal>,
    /// The limit's currency (`null` without a limit).
    pub currency: Option<Currency>,
    /// How much more may be ordered in the limit's currency before new orders go on hold
    /// (never below 0; `null` without a limit).
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub available: Option<Decimal>,
    /// Days the oldest open installment is past due (`null`: nothing overdue).
    pub oldest_overdue_days: Option<i64>,
    /// New orders are held while an installment is more than this many days overdue.
    pub hold_after_overdue_days: u32,
    /// Orders of the account waiting for a credit release.
    pub orders_on_hold: u64,
    /// One entry per currency the account has receivables or credit in.
    pub balances: Vec<CreditBalance>,
    /// The account's version: send it in `If-Match` to change the limit.
    pub version: i32,
}
