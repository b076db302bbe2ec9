//! Opportunities (销售机会 / 商机), their stage history and the funnel.

use chrono::{DateTime, NaiveDate, Utc};
use kedao_domain::Currency;
use kedao_domain::lead::LeadSource;
use kedao_domain::pipeline::StageKind;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// An opportunity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OpportunityView {
    pub id: Uuid,
    /// The dealer (经销商) the record belongs to; none when the company sells directly.
    pub dealer_id: Option<Uuid>,
    pub title: String,
    pub account_id: Uuid,
    pub contact_id: Option<Uuid>,
    pub pipeline_id: Uuid,
    pub stage_id: Uuid,
    pub stage_kind: StageKind,
    /// Exact decimal as a string.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "480000.00"))]
    pub amount: Decimal,
    pub currency: Currency,
    /// The probability in force: the override, else the stage's.
    pub probability: u8,
    /// True when a person set the probability instead of the stage.
    pub probability_overridden: bool,
    /// amount × probability, rounded half away from zero to the currency's minor unit.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "336000.00"))]
    pub weighted_amount: Decimal,
    pub expected_close_date: NaiveDate,
    pub source: LeadSource,
    pub competitors: Vec<String>,
    pub lost_reason: Option<String>,
    pub description: Option<String>,
    /// Internal notes of the company's staff; never shown to a dealer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub internal_notes: Option<String>,
    pub lead_id: Option<Uuid>,
    pub owner_id: Uuid,
    pub stage_changed_at: DateTime<Utc>,
    pub closed_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i32,
}

/// A new opportunity.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "validate", derive(validator::Validate))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "title": "恒达 数控机床 20 台", "account_id": "0190f3a4-1d2e-7c3b-9a8f-6e5d4c3b2a10",
    "amount": "1260000.00", "currency": "CNY", "expected_close_date": "2027-02-28",
    "source": "exhibition", "competitors": ["德马吉", "马扎克"]
})))]
#[serde(deny_unknown_fields)]
pub struct OpportunityCreate {
    #[cfg_attr(feature = "validate", validate(length(max = 200)))]
    pub title: String,
    pub account_id: Uuid,
    pub contact_id: Option<Uuid>,
    /// Defaults to the default pipeline.
    pub pipeline_id: Option<Uuid>,
    /// Defaults to the pipeline's first open stage.
    pub stage_id: Option<Uuid>,
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "1260000.00"))]
    pub amount: Decimal,
    /// Defaults to CNY.
    pub currency: Option<Currency>,
    /// Overrides the stage's probability (0–100).
    pub probability: Option<i64>,
    pub expected_close_date: NaiveDate,
    /// Defaults to `other`.
    pub source: Option<LeadSource>,
    #[cfg_attr(feature = "validate", validate(length(max = 20)))]
    pub competitors: Option<Vec<String>>,
    /// Required when the stage is a lost stage.
    #[cfg_attr(feature = "validate", validate(length(max = 500)))]
    pub lost_reason: Option<String>,
    #[cfg_attr(feature = "validate", validate(length(max = 10000)))]
    pub description: Option<String>,
    /// Internal notes (company staff only; a dealer's staff may not set them).
    #[cfg_attr(feature = "validate", validate(length(max = 10000)))]
    #[serde(default)]
    pub internal_notes: Option<String>,
    /// Defaults to the caller.
    pub owner_id: Option<Uuid>,
}

/// Changes to an opportunity; a new `stage_id` is a stage move (recorded in the history).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "validate", derive(validator::Validate))]
#[serde(deny_unknown_fields)]
pub struct OpportunityUpdate {
    #[cfg_attr(feature = "validate", validate(length(max = 200)))]
    pub title: Option<String>,
    #[serde(
        default,
        deserialize_with = "crate::patch::double_option",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Uuid>))]
    pub contact_id: Option<Option<Uuid>>,
    /// A stage of the same pipeline.
    pub stage_id: Option<Uuid>,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub amount: Option<Decimal>,
    pub currency: Option<Currency>,
    /// A number overrides the stage's probability; `null` returns to the stage's.
    #[serde(
        default,
        deserialize_with = "crate::patch::double_option",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<i64>))]
    pub probability: Option<Option<i64>>,
    pub expected_close_date: Option<NaiveDate>,
    pub source: Option<LeadSource>,
    #[cfg_attr(feature = "validate", validate(length(max = 20)))]
    pub competitors: Option<Vec<String>>,
    /// Required with a move to a lost stage.
    #[cfg_attr(feature = "validate", validate(length(max = 500)))]
    pub lost_reason: Option<String>,
    #[serde(
        default,
        deserialize_with = "crate::patch::double_option",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub description: Option<Option<String>>,
    /// Internal notes (company staff only); `null` clears them.
    #[serde(
        default,
        deserialize_with = "crate::patch::double_option",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub internal_notes: Option<Option<String>>,
    pub owner_id: Option<Uuid>,
}

/// One stage move.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StageMove {
    pub id: Uuid,
    pub opportunity_id: Uuid,
    /// `null` for the stage the opportunity was created in.
    pub from_stage_id: Option<Uuid>,
    pub to_stage_id: Uuid,
    pub changed_by: Uuid,
    pub changed_at: DateTime<Utc>,
}

/// Totals in one currency.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CurrencyTotal {
    pub currency: Currency,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub amount: Decimal,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub weighted_amount: Decimal,
}

/// One stage of the funnel.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FunnelStage {
    pub stage_id: Uuid,
    pub name: String,
    pub name_zh: Option<String>,
    pub position: i32,
    pub probability: u8,
    pub kind: StageKind,
    pub count: u64,
    /// Per currency: amounts are never added across currencies.
    pub totals: Vec<CurrencyTotal>,
}

/// The funnel of one pipeline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Funnel {
    pub pipeline_id: Uuid,
    pub stages: Vec<FunnelStage>,
}

/// Filters, order and paging of `GET /opportunities`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct OpportunityListQuery {
    pub pipeline_id: Option<Uuid>,
    pub stage_id: Option<Uuid>,
    pub owner_id: Option<Uuid>,
    pub account_id: Option<Uuid>,
    /// By the kind of the opportunity's stage: `open`, `won` or `lost`.
    pub status: Option<StageKind>,
    /// Expected close date on or after this day.
    pub close_from: Option<NaiveDate>,
    /// Expected close date on or before this day.
    pub close_to: Option<NaiveDate>,
    /// Free text over the title (Chinese or Latin, substring match).
    pub q: Option<String>,
    /// `created_at` (default `-created_at`), `updated_at`, `expected_close_date`, `amount`,
    /// `title`; `-` for descending.
    pub sort: Option<String>,
    /// 1–200, default 50.
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 200))]
    pub limit: Option<u64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Also count all matching rows (costs a count query).
    pub include_total: Option<bool>,
}

/// Filters of `GET /funnel`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct FunnelQuery {
    /// Defaults to the default pipeline.
    pub pipeline_id: Option<Uuid>,
    /// Only opportunities this user owns.
    pub owner_id: Option<Uuid>,
    /// Only opportunities owned by members of this team.
    pub team_id: Option<Uuid>,
    /// Expected close date on or after this day.
    pub close_from: Option<NaiveDate>,
    /// Expected close date on or before this day.
    pub close_to: Option<NaiveDate>,
}
