//! Integration API tokens: long-lived bearer tokens for other systems, limited to scopes.
//!
//! A scope names a resource and an action (`leads:read`, `orders:write`); a token may call an
//! operation when it holds the scope the operation declares (shown in the OpenAPI spec) and
//! its creator's role may do it. The token value is in the answer to create and rotate only.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The longest lifetime a token may be given, in days.
pub const MAX_TOKEN_DAYS: u32 = 366;
/// The lifetime of a token when none is asked for, in days.
pub const DEFAULT_TOKEN_DAYS: u32 = 90;

/// A token as listed: everything but its value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiTokenView {
    /// Also the token's `jti` claim.
    pub id: Uuid,
    pub name: String,
    /// `resource:action` scopes, e.g. `leads:read`.
    pub scopes: Vec<String>,
    /// The user who created it; the token acts with this user's role.
    pub created_by: Uuid,
    /// The dealer the token acts for (a dealer admin's token).
    pub dealer_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    /// Updated at most about once a minute.
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
    /// The token that replaced this one when it was rotated.
    pub replaced_by: Option<Uuid>,
}

/// A newly issued token: the only answer that carries its value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiTokenIssued {
    /// Send as `Authorization: Bearer <token>`. Shown once: keep it now.
    pub token: String,
    pub api_token: ApiTokenView,
}

/// A new token.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "validate", derive(validator::Validate))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "name": "ERP sync", "scopes": ["leads:read", "orders:read", "receivables:read"], "expires_in_days": 90
})))]
#[serde(deny_unknown_fields)]
pub struct ApiTokenCreate {
    #[cfg_attr(feature = "validate", validate(length(min = 1, max = 100)))]
    pub name: String,
    /// At least one `resource:action` scope; each must be one the creator's role has.
    #[cfg_attr(feature = "validate", validate(length(min = 1, max = 64)))]
    pub scopes: Vec<String>,
    /// 1–366, default 90.
    #[cfg_attr(feature = "validate", validate(range(min = 1, max = 366)))]
    pub expires_in_days: Option<u32>,
    /// The dealer the token acts for: only a dealer admin's own dealer (the default for them).
    pub dealer_id: Option<Uuid>,
}

/// Filters and paging of the token list.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct ApiTokenListQuery {
    /// Only revoked (`true`) or only live (`false`) tokens.
    pub revoked: Option<bool>,
    /// `created_at` (default) or `name`; `-` for descending.
    pub sort: Option<String>,
    /// 1–200, default 50.
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 200))]
    pub limit: Option<u64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Also count all matching rows.
    pub include_total: Option<bool>,
}
