//! Statement of account (对账单): an account's orders, cancellations, payments and voids over
//! a period, per currency, with opening, running and closing balances.

use chrono::NaiveDate;
use kedao_domain::Currency;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::receivables::PaymentMethod;

/// `?from=&to=&currency=` of the statement and its printable document.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct StatementQuery {
    /// First day (company calendar); default the first day of `to`'s month.
    pub from: Option<NaiveDate>,
    /// Last day (company calendar); default the company's today. A period covers at most
    /// 3660 days, `from` and `to` included.
    pub to: Option<NaiveDate>,
    /// Only this currency's section; default every currency with an entry up to `to`.
    pub currency: Option<Currency>,
}

/// What a statement line records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum StatementLineKind {
    /// An order: debit of its grand total, dated by its creation.
    Order,
    /// An order's cancellation: credit reversing its total, dated by the cancellation.
    OrderCancelled,
    /// A payment: credit, dated by when it was received.
    Payment,
    /// A payment's void: debit reversing it, dated by the void.
    PaymentVoided,
}

/// One line of a statement: exactly one of `debit` and `credit` is non-zero (or both zero).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StatementLine {
    /// The company-calendar date of the entry.
    pub date: NaiveDate,
    pub kind: StatementLineKind,
    /// The order of an `order` or `order_cancelled` line.
    pub order_id: Option<Uuid>,
    pub order_number: Option<String>,
    /// The payment of a `payment` or `payment_voided` line.
    pub payment_id: Option<Uuid>,
    pub payment_method: Option<PaymentMethod>,
    /// The payment's reference (bank slip number …), as entered.
    pub payment_reference: Option<String>,
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "1000.00"))]
    pub debit: Decimal,
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "0.00"))]
    pub credit: Decimal,
    /// The running balance after this line.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "700.00"))]
    pub balance: Decimal,
}

/// One currency of a statement. Balances are debits − credits: what the customer owes;
/// negative when the customer is in credit.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StatementSection {
    pub currency: Currency,
    /// The balance of every entry dated before `from`.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub opening_balance: Decimal,
    /// The period's entries in date order (orders before payments on a day).
    pub lines: Vec<StatementLine>,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub total_debits: Decimal,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub total_credits: Decimal,
    /// opening + debits − credits.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub closing_balance: Decimal,
    /// The account's unapplied credit in this currency now (its payments not yet applied to
    /// any installment, voided payments excluded), whatever the period.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub unapplied_credit: Decimal,
}

/// An account's statement over `from..=to`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StatementView {
    pub account_id: Uuid,
    pub account_name: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// The company's date when the statement was drawn up.
    pub generated_on: NaiveDate,
    /// One per currency, in `Currency` display order.
    pub sections: Vec<StatementSection>,
}
