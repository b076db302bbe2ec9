//! Receivables (应收款 / 回款): an order's payment plan, payments received and how they were
//! applied (oldest due first), voids.

use chrono::{DateTime, NaiveDate, Utc};
use kedao_domain::Currency;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

pub use kedao_domain::receivable::InstallmentStatus;

/// One installment of an order's payment plan, as of today (UTC).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InstallmentView {
    pub id: Uuid,
    /// The dealer (经销商) the record belongs to; none when the company sells directly.
    pub dealer_id: Option<Uuid>,
    pub order_id: Uuid,
    pub seq: i32,
    pub due_date: NaiveDate,
    pub currency: Currency,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub amount: Decimal,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub paid: Decimal,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub outstanding: Decimal,
    pub status: InstallmentStatus,
}

/// An order's payment plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlanView {
    pub order_id: Uuid,
    /// The order's version: the plan is replaced with `If-Match` of it.
    pub order_version: i32,
    pub currency: Currency,
    pub installments: Vec<InstallmentView>,
}

/// How a payment was received.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PaymentMethod {
    BankTransfer,
    Cash,
    Cheque,
    Card,
    Other,
}

impl PaymentMethod {
    pub const ALL: [PaymentMethod; 5] = [
        PaymentMethod::BankTransfer,
        PaymentMethod::Cash,
        PaymentMethod::Cheque,
        PaymentMethod::Card,
        PaymentMethod::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PaymentMethod::BankTransfer => "bank_transfer",
            PaymentMethod::Cash => "cash",
            PaymentMethod::Cheque => "cheque",
            PaymentMethod::Card => "card",
            PaymentMethod::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<PaymentMethod> {
        PaymentMethod::ALL.into_iter().find(|m| m.as_str() == s)
    }
}

/// A payment received from an account.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "validate", derive(validator::Validate))]
#[serde(deny_unknown_fields)]
pub struct PaymentCreate {
    /// An account the caller can see.
    pub account_id: Uuid,
    /// A decimal string greater than 0, at most the currency's minor unit.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "1000.00"))]
    pub amount: Decimal,
    pub currency: Currency,
    pub received_on: NaiveDate,
    pub method: PaymentMethod,
    #[cfg_attr(feature = "validate", validate(length(max = 200)))]
    pub reference: Option<String>,
    /// Apply only to this order's installments; otherwise to all the account's, oldest first.
    pub order_id: Option<Uuid>,
}

/// How much of a payment went to which installment.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AllocationView {
    pub installment_id: Uuid,
    pub order_id: Uuid,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub amount: Decimal,
}

/// A payment with its allocations; `unapplied` is the account's credit from it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PaymentView {
    pub id: Uuid,
    /// The dealer (经销商) the record belongs to; none when the company sells directly.
    pub dealer_id: Option<Uuid>,
    pub account_id: Uuid,
    pub order_id: Option<Uuid>,
    pub currency: Currency,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub amount: Decimal,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub unapplied: Decimal,
    pub received_on: NaiveDate,
    pub method: PaymentMethod,
    pub reference: Option<String>,
    pub allocations: Vec<AllocationView>,
    pub voided_at: Option<DateTime<Utc>>,
    pub voided_by: Option<Uuid>,
    pub created_by: Uuid,
    pub created_at: DateTime<Utc>,
    pub version: i32,
}

/// One installment of a new plan.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct InstallmentInput {
    pub due_date: NaiveDate,
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "5000.00"))]
    pub amount: Decimal,
}

/// A replacement plan: amounts add up exactly to the order total, in the order's currency.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "validate", derive(validator::Validate))]
#[serde(deny_unknown_fields)]
pub struct PlanReplace {
    /// 1–120 installments.
    #[cfg_attr(feature = "validate", validate(length(min = 1, max = 120)))]
    pub installments: Vec<InstallmentInput>,
}

/// Filters and paging of `GET /payments`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct PaymentListQuery {
    pub account_id: Option<Uuid>,
    pub order_id: Option<Uuid>,
    /// `created_at` (default `-created_at`), `received_on`; `-` for descending.
    pub sort: Option<String>,
    /// 1–200, default 50.
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 200))]
    pub limit: Option<u64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Also count all matching rows (costs a count query).
    pub include_total: Option<bool>,
}

/// How receivables reports group: by the installment's account, its owner (the order's
/// owner), the owner's team, or the dealer serving the account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ReceivablesGroupBy {
    #[default]
    Account,
    Owner,
    /// The owner's team; owners without a team make one row with `group_id: null`.
    Team,
    /// The dealer (经销商) serving the account; accounts served directly make one row with
    /// `group_id: null`.
    Dealer,
}

impl ReceivablesGroupBy {
    /// The grouping as `group_by` names it.
    pub fn as_str(self) -> &'static str {
        match self {
            ReceivablesGroupBy::Account => "account",
            ReceivablesGroupBy::Owner => "owner",
            ReceivablesGroupBy::Team => "team",
            ReceivablesGroupBy::Dealer => "dealer",
        }
    }
}

/// `?group_by=account|owner|team|dealer` (default account).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct ReceivablesReportQuery {
    pub group_by: Option<ReceivablesGroupBy>,
    /// `group_by=account` only (there may be a row per customer): rows per page, 1–1000,
    /// default 200. Account rows come in account order, a page at a time.
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 1000))]
    pub limit: Option<u64>,
    /// `group_by=account` only: `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// `?group_by=account|owner|team|dealer` (default account) of a report's CSV export, which is
/// always the whole report: it takes no `limit` or `cursor`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct ReceivablesExportQuery {
    pub group_by: Option<ReceivablesGroupBy>,
}

/// Outstanding amounts (amount − paid) of one group in one currency, by days past due as of
/// `as_of` (the company's today): `not_due` (due today or later), 1–30, 31–60, 61–90 and over
/// 90 days overdue. Installments of cancelled orders are not owed and not counted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AgingRow {
    /// The account, owner, team or dealer id, as grouped; `null` only for the owners without a
    /// team (by team) or the accounts served directly (by dealer).
    pub group_id: Option<Uuid>,
    /// The account's name, the owner's display name, the team's or the dealer's name; `null` with
    /// `group_id`.
    pub group_name: Option<String>,
    pub currency: Currency,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub not_due: Decimal,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub d1_30: Decimal,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub d31_60: Decimal,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub d61_90: Decimal,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub over_90: Decimal,
    /// The sum of the five buckets.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub total: Decimal,
}

/// Aging report. Rows are ordered by currency (CNY, USD, EUR, HKD, JPY, GBP), then `total`
/// descending, then `group_id` (the row without a team last).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AgingReport {
    pub group_by: ReceivablesGroupBy,
    pub as_of: NaiveDate,
    pub rows: Vec<AgingRow>,
    /// `group_by=account`: pass as `cursor` for the next page; `null` on the last.
    pub next_cursor: Option<String>,
}

/// Outstanding and overdue (past due, as of the company's today) totals of one group in one
/// currency. Installments of cancelled orders are not counted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SummaryRow {
    /// The account, owner, team or dealer id, as grouped; `null` only for the owners without a
    /// team (by team) or the accounts served directly (by dealer).
    pub group_id: Option<Uuid>,
    /// The account's name, the owner's display name, the team's or the dealer's name; `null` with
    /// `group_id`.
    pub group_name: Option<String>,
    pub currency: Currency,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub outstanding: Decimal,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub overdue: Decimal,
}

/// Summary report. Rows are ordered by currency (CNY, USD, EUR, HKD, JPY, GBP), then
/// `outstanding` descending, then `group_id` (the row without a team last).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SummaryReport {
    pub group_by: ReceivablesGroupBy,
    pub as_of: NaiveDate,
    pub rows: Vec<SummaryRow>,
    /// `group_by=account`: pass as `cursor` for the next page; `null` on the last.
    pub next_cursor: Option<String>,
}

/// An overdue installment: past due with something outstanding (installments of cancelled
/// orders are not listed).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OverdueView {
    #[serde(flatten)]
    pub installment: InstallmentView,
    pub account_id: Uuid,
    /// The account's name, so a collection list needs no lookups.
    pub account_name: String,
    /// The order's number (`O-2026-000042`).
    pub order_number: String,
    pub owner_id: Uuid,
    /// The owner's display name: who is to collect.
    pub owner_name: String,
    pub days_overdue: i64,
}

/// The overdue list's CSV export takes no parameters: it is always the whole list.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OverdueExportQuery {}

/// Paging of `GET /receivables/overdue`: most days overdue first (oldest due date, then id).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct OverdueQuery {
    /// 1–200, default 50.
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 200))]
    pub limit: Option<u64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Also count all matching rows (costs a count query).
    pub include_total: Option<bool>,
}
