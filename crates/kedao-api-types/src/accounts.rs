//! Accounts (客户: companies) and the relationship network (网状管理) between them.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// What the customer is to us.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CustomerType {
    Potential,
    Target,
    Key,
    Partner,
    Inactive,
}

impl CustomerType {
    pub const ALL: [CustomerType; 5] = [
        CustomerType::Potential,
        CustomerType::Target,
        CustomerType::Key,
        CustomerType::Partner,
        CustomerType::Inactive,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CustomerType::Potential => "potential",
            CustomerType::Target => "target",
            CustomerType::Key => "key",
            CustomerType::Partner => "partner",
            CustomerType::Inactive => "inactive",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        CustomerType::ALL.into_iter().find(|v| v.as_str() == s)
    }
}

/// Company size band.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CompanySize {
    Micro,
    Small,
    Medium,
    Large,
    Enterprise,
}

impl CompanySize {
    pub const ALL: [CompanySize; 5] = [
        CompanySize::Micro,
        CompanySize::Small,
        CompanySize::Medium,
        CompanySize::Large,
        CompanySize::Enterprise,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CompanySize::Micro => "micro",
            CompanySize::Small => "small",
            CompanySize::Medium => "medium",
            CompanySize::Large => "large",
            CompanySize::Enterprise => "enterprise",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        CompanySize::ALL.into_iter().find(|v| v.as_str() == s)
    }
}

/// An account.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AccountView {
    pub id: Uuid,
    pub name: String,
    pub customer_type: CustomerType,
    pub industry: Option<String>,
    pub size: Option<CompanySize>,
    pub region: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub website: Option<String>,
    pub address: Option<String>,
    pub tags: Vec<String>,
    pub notes: Option<String>,
    /// Internal notes of the company's staff; never shown to a dealer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub internal_notes: Option<String>,
    pub owner_id: Uuid,
    /// The dealer (经销商) serving the account; `null`: served directly.
    pub dealer_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i32,
}

/// A new account.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "validate", derive(validator::Validate))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "name": "苏州恒达机械有限公司", "customer_type": "target", "industry": "机械制造",
    "size": "medium", "region": "华东", "tags": ["华东", "重点跟进"]
})))]
#[serde(deny_unknown_fields)]
pub struct AccountCreate {
    #[cfg_attr(feature = "validate", validate(length(max = 200)))]
    pub name: String,
    /// Defaults to `potential`.
    pub customer_type: Option<CustomerType>,
    #[cfg_attr(feature = "validate", validate(length(max = 100)))]
    pub industry: Option<String>,
    pub size: Option<CompanySize>,
    #[cfg_attr(feature = "validate", validate(length(max = 100)))]
    pub region: Option<String>,
    #[cfg_attr(feature = "validate", validate(length(max = 100)))]
    pub phone: Option<String>,
    #[cfg_attr(feature = "validate", validate(length(max = 254)))]
    pub email: Option<String>,
    #[cfg_attr(feature = "validate", validate(length(max = 200)))]
    pub website: Option<String>,
    #[cfg_attr(feature = "validate", validate(length(max = 200)))]
    pub address: Option<String>,
    /// At most 20 tags of at most 50 characters.
    #[cfg_attr(feature = "validate", validate(length(max = 20)))]
    pub tags: Option<Vec<String>>,
    #[cfg_attr(feature = "validate", validate(length(max = 10000)))]
    pub notes: Option<String>,
    /// Internal notes (company staff only; a dealer's staff may not set them).
    #[cfg_attr(feature = "validate", validate(length(max = 10000)))]
    #[serde(default)]
    pub internal_notes: Option<String>,
    /// Defaults to the caller.
    pub owner_id: Option<Uuid>,
    /// An active dealer serving the account.
    pub dealer_id: Option<Uuid>,
}

/// Changes to an account; absent fields are unchanged, `null` clears.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "validate", derive(validator::Validate))]
#[serde(deny_unknown_fields)]
pub struct AccountUpdate {
    #[cfg_attr(feature = "validate", validate(length(max = 200)))]
    pub name: Option<String>,
    pub customer_type: Option<CustomerType>,
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
    #[cfg_attr(feature = "openapi", schema(value_type = Option<CompanySize>))]
    pub size: Option<Option<CompanySize>>,
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
    pub phone: Option<Option<String>>,
    #[serde(
        default,
        deserialize_with = "crate::patch::double_option",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub email: Option<Option<String>>,
    #[serde(
        default,
        deserialize_with = "crate::patch::double_option",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub website: Option<Option<String>>,
    #[serde(
        default,
        deserialize_with = "crate::patch::double_option",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub address: Option<Option<String>>,
    #[cfg_attr(feature = "validate", validate(length(max = 20)))]
    pub tags: Option<Vec<String>>,
    #[serde(
        default,
        deserialize_with = "crate::patch::double_option",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub notes: Option<Option<String>>,
    /// Internal notes (company staff only); `null` clears them.
    #[serde(
        default,
        deserialize_with = "crate::patch::double_option",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub internal_notes: Option<Option<String>>,
    pub owner_id: Option<Uuid>,
    /// An active dealer, or `null` to serve the account directly.
    #[serde(
        default,
        deserialize_with = "crate::patch::double_option",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Uuid>))]
    pub dealer_id: Option<Option<Uuid>>,
}

/// How two accounts are related.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum LinkKind {
    /// Same trade, same level.
    Peer,
    /// The target supplies the source.
    Upstream,
    /// The target buys from the source.
    Downstream,
    /// Same group of companies.
    Affiliate,
    /// The source referred the target to us.
    Referral,
}

impl LinkKind {
    pub const ALL: [LinkKind; 5] = [
        LinkKind::Peer,
        LinkKind::Upstream,
        LinkKind::Downstream,
        LinkKind::Affiliate,
        LinkKind::Referral,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            LinkKind::Peer => "peer",
            LinkKind::Upstream => "upstream",
            LinkKind::Downstream => "downstream",
            LinkKind::Affiliate => "affiliate",
            LinkKind::Referral => "referral",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        LinkKind::ALL.into_iter().find(|v| v.as_str() == s)
    }
}

/// A new link from this account to another.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "validate", derive(validator::Validate))]
#[serde(deny_unknown_fields)]
pub struct LinkCreate {
    pub to_account_id: Uuid,
    pub kind: LinkKind,
    #[cfg_attr(feature = "validate", validate(length(max = 200)))]
    pub note: Option<String>,
}

/// A typed link between two accounts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LinkView {
    pub id: Uuid,
    pub from_account_id: Uuid,
    pub to_account_id: Uuid,
    pub kind: LinkKind,
    pub note: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// A node of the drawn network.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NetworkNode {
    pub id: Uuid,
    /// The account's name, or `null` when the caller may not see that account (the node is
    /// still shown so the shape of the network is true).
    pub name: Option<String>,
    pub customer_type: Option<CustomerType>,
    /// Hops from the account asked about.
    pub depth: u32,
}

/// The relationship network around an account.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Network {
    pub root: Uuid,
    pub nodes: Vec<NetworkNode>,
    pub edges: Vec<LinkView>,
}

/// Filters, order and paging of `GET /accounts`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct AccountListQuery {
    pub customer_type: Option<CustomerType>,
    pub owner_id: Option<Uuid>,
    pub dealer_id: Option<Uuid>,
    pub region: Option<String>,
    pub industry: Option<String>,
    /// Accounts carrying exactly this tag.
    pub tag: Option<String>,
    /// Free text over name, phone, e-mail and website (Chinese or Latin, substring match).
    pub q: Option<String>,
    /// `created_at` (default `-created_at`), `updated_at`, `name`; `-` for descending.
    pub sort: Option<String>,
    /// 1–200, default 50.
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 200))]
    pub limit: Option<u64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Also count all matching rows (costs a count query).
    pub include_total: Option<bool>,
}

/// How far `GET /accounts/{id}/network` reaches.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct NetworkQuery {
    /// Hops from the account, 1–5, default 2.
    pub depth: Option<u32>,
}

/// What a timeline entry records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum TimelineKind {
    /// A call, visit, meeting, task, note or e-mail log (`record_id`: the activity).
    Activity,
    /// A deal moved to another stage (`record_id`: the opportunity).
    StageMove,
    /// A quote was drawn up (`record_id`: the quote).
    Quote,
    /// An order was placed (`record_id`: the order).
    Order,
    /// Money came in (`record_id`: the payment).
    Payment,
    /// A key field of the account or one of its deals, quotes or orders changed.
    FieldChange,
    /// A note (便签) on the account or one of its contacts, deals, quotes or orders
    /// (`record_id`: the note).
    Note,
}

/// One entry of a customer's timeline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TimelineEntry {
    /// The id of the entry's own row (the activity, stage move, quote, order, payment or
    /// field change).
    pub id: Uuid,
    pub kind: TimelineKind,
    pub at: DateTime<Utc>,
    /// The record the entry is about.
    pub record_id: Uuid,
    /// Who did it, when known.
    pub actor_id: Option<Uuid>,
    /// A one-line description in the record's own words (subject, number, amount, field).
    pub summary: String,
}

/// A page of a customer's timeline, newest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Timeline {
    pub items: Vec<TimelineEntry>,
    /// Pass as `cursor` for the next (older) page; absent on the last.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

/// Paging of `GET /accounts/{id}/timeline`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct TimelineQuery {
    /// 1–200, default 50.
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 200))]
    pub limit: Option<u64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}
