//! Leads (销售线索).

use chrono::{DateTime, NaiveDate, Utc};
use kedao_domain::Currency;
use kedao_domain::lead::{LeadSource, LeadStatus};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use uuid::Uuid;
#[cfg(feature = "validate")]
use validator::Validate;

/// A lead.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LeadView {
    pub id: Uuid,
    /// The dealer (经销商) the record belongs to; none when the company sells directly.
    pub dealer_id: Option<Uuid>,
    /// The person's name.
    pub name: String,
    pub company: Option<String>,
    pub title: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub source: LeadSource,
    pub status: LeadStatus,
    /// 0–100: how promising the lead is.
    pub score: i16,
    pub region: Option<String>,
    pub industry: Option<String>,
    pub notes: Option<String>,
    /// Why it was disqualified (only for disqualified leads).
    pub disqualify_reason: Option<String>,
    pub owner_id: Uuid,
    /// What the lead became, once converted.
    pub conversion: Option<LeadConversion>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Send back in `If-Match` to update.
    pub version: i32,
}

/// The records a converted lead became.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LeadConversion {
    pub account_id: Option<Uuid>,
    pub contact_id: Option<Uuid>,
    pub opportunity_id: Option<Uuid>,
    pub converted_at: DateTime<Utc>,
}

/// A new lead.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "validate", derive(validator::Validate))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "name": "李雷", "company": "杭州云杉制造有限公司", "phone": "+86 138 0000 0000",
    "email": "li.lei@yunshan.example.cn", "source": "exhibition", "score": 60, "region": "华东"
})))]
#[serde(deny_unknown_fields)]
pub struct LeadCreate {
    #[cfg_attr(feature = "validate", validate(length(max = 200)))]
    pub name: String,
    #[cfg_attr(feature = "validate", validate(length(max = 200)))]
    pub company: Option<String>,
    #[cfg_attr(feature = "validate", validate(length(max = 100)))]
    pub title: Option<String>,
    #[cfg_attr(feature = "validate", validate(length(max = 100)))]
    pub phone: Option<String>,
    #[cfg_attr(feature = "validate", validate(length(max = 254)))]
    pub email: Option<String>,
    pub source: LeadSource,
    /// 0–100, default 0.
    pub score: Option<i64>,
    #[cfg_attr(feature = "validate", validate(length(max = 100)))]
    pub region: Option<String>,
    #[cfg_attr(feature = "validate", validate(length(max = 100)))]
    pub industry: Option<String>,
    #[cfg_attr(feature = "validate", validate(length(max = 10000)))]
    pub notes: Option<String>,
    /// Defaults to the caller.
    pub owner_id: Option<Uuid>,
    /// Distributes the lead to a dealer (经销商); a dealer's staff always create for their own.
    #[serde(default)]
    pub dealer_id: Option<Uuid>,
}

/// Changes to a lead; absent fields are unchanged, `null` clears.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "validate", derive(validator::Validate))]
#[serde(deny_unknown_fields)]
pub struct LeadUpdate {
    #[cfg_attr(feature = "validate", validate(length(max = 200)))]
    pub name: Option<String>,
    #[serde(
        default,
        deserialize_with = "crate::patch::double_option",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub company: Option<Option<String>>,
    #[serde(
        default,
        deserialize_with = "crate::patch::double_option",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub title: Option<Option<String>>,
    #[serde(
        default,
        deserialize_with = "crate::patch::double_option",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub phone: Option<Option<String>>,
    #[serde(
        default,
        deserialize_with = "crate::patch::double_option",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub email: Option<Option<String>>,
    pub source: Option<LeadSource>,
    /// new → working → disqualified, or disqualified → working; `qualified` only by converting.
    pub status: Option<LeadStatus>,
    /// Required when `status` becomes `disqualified`.
    pub disqualify_reason: Option<String>,
    pub score: Option<i64>,
    #[serde(
        default,
        deserialize_with = "crate::patch::double_option",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub region: Option<Option<String>>,
    #[serde(
        default,
        deserialize_with = "crate::patch::double_option",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub industry: Option<Option<String>>,
    #[serde(
        default,
        deserialize_with = "crate::patch::double_option",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub notes: Option<Option<String>>,
    pub owner_id: Option<Uuid>,
    /// Distributes the lead to a dealer by hand, or (`null`) takes it back (staff only).
    #[serde(
        default,
        deserialize_with = "crate::patch::double_option",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Uuid>))]
    pub dealer_id: Option<Option<Uuid>>,
}

/// How to convert a lead: into a new account (named after the lead's company unless given) or
/// an existing one, a contact for the person, and an opportunity.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "validate", derive(validator::Validate))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "opportunity": {"title": "云杉 2027 产线升级", "amount": "480000.00", "currency": "CNY", "expected_close_date": "2027-03-31"}
})))]
#[serde(deny_unknown_fields)]
pub struct LeadConvert {
    /// Attach to this existing account instead of creating one.
    pub account_id: Option<Uuid>,
    /// Name of the new account; defaults to the lead's company, else its name.
    #[cfg_attr(feature = "validate", validate(length(max = 200)))]
    pub account_name: Option<String>,
    /// The opportunity to open; leave out to convert without one.
    #[cfg_attr(feature = "validate", validate(nested))]
    pub opportunity: Option<LeadConvertOpportunity>,
}

/// The opportunity a conversion opens.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "validate", derive(validator::Validate))]
#[serde(deny_unknown_fields)]
pub struct LeadConvertOpportunity {
    /// Defaults to the account's name.
    #[cfg_attr(feature = "validate", validate(length(max = 200)))]
    pub title: Option<String>,
    /// Exact decimal, as a string (e.g. `"480000.00"`).
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "480000.00"))]
    pub amount: Decimal,
    pub currency: Option<Currency>,
    pub expected_close_date: NaiveDate,
    /// Defaults to the default pipeline (its first stage).
    pub pipeline_id: Option<Uuid>,
}

/// What a conversion created.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LeadConvertResult {
    pub lead: LeadView,
    pub account_id: Uuid,
    /// True when a new account was created (false when attached to an existing one).
    pub account_created: bool,
    pub contact_id: Uuid,
    pub opportunity_id: Option<Uuid>,
}

/// Filters, order and paging of `GET /leads`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct LeadListQuery {
    pub status: Option<LeadStatus>,
    pub source: Option<LeadSource>,
    pub owner_id: Option<Uuid>,
    pub dealer_id: Option<Uuid>,
    pub region: Option<String>,
    /// Free text over name, company, e-mail and phone (Chinese or Latin, substring match).
    pub q: Option<String>,
    /// `created_at` (default `-created_at`), `updated_at`, `name`, `score`, `status`; `-` for descending.
    pub sort: Option<String>,
    /// 1–200, default 50.
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 200))]
    pub limit: Option<u64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Also count all matching rows (costs a count query).
    pub include_total: Option<bool>,
}

/// Hands undistributed leads to dealers by region: each lead goes to an active dealer whose
/// region is the lead's, the one with the fewest open leads first, so a batch spreads evenly.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "validate", derive(validator::Validate))]
#[cfg_attr(feature = "openapi", schema(example = json!({"region": "华东"})))]
#[serde(deny_unknown_fields)]
pub struct LeadDistribute {
    /// These leads only (at most 500); otherwise every undistributed open lead the caller may
    /// change, oldest first, up to 500 per call.
    #[serde(default)]
    #[cfg_attr(feature = "validate", validate(length(max = 500)))]
    pub lead_ids: Option<Vec<Uuid>>,
    /// Only leads of this region.
    #[cfg_attr(feature = "validate", validate(length(min = 1, max = 100)))]
    pub region: Option<String>,
}

/// Where one lead went.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LeadDistributed {
    pub lead_id: Uuid,
    pub dealer_id: Uuid,
}

/// What a distribution did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LeadDistribution {
    pub distributed: Vec<LeadDistributed>,
    /// Leads considered that no active dealer's region matches (or that have no region).
    pub unmatched: Vec<Uuid>,
}
