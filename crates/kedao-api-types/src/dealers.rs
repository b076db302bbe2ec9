//! Dealers (经销商): the channel partners that sell for the company.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Whether a dealer may take new business.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DealerStatus {
    Active,
    /// Keeps its records; no new account may be given to it.
    Suspended,
}

impl DealerStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            DealerStatus::Active => "active",
            DealerStatus::Suspended => "suspended",
        }
    }

    pub fn parse(s: &str) -> Option<DealerStatus> {
        [DealerStatus::Active, DealerStatus::Suspended]
            .into_iter()
            .find(|d| d.as_str() == s)
    }
}

/// A dealer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DealerView {
    pub id: Uuid,
    /// Unique short code (`D-SZ-001`).
    pub code: String,
    pub name: String,
    pub region: Option<String>,
    pub status: DealerStatus,
    pub notes: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i32,
}

/// A new dealer (admins only).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "validate", derive(validator::Validate))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "code": "D-SZ-001", "name": "苏州精工设备经销有限公司", "region": "华东"
})))]
#[serde(deny_unknown_fields)]
pub struct DealerCreate {
    #[cfg_attr(feature = "validate", validate(length(max = 32)))]
    pub code: String,
    #[cfg_attr(feature = "validate", validate(length(max = 200)))]
    pub name: String,
    #[cfg_attr(feature = "validate", validate(length(max = 100)))]
    pub region: Option<String>,
    /// Defaults to `active`.
    pub status: Option<DealerStatus>,
    #[cfg_attr(feature = "validate", validate(length(max = 10000)))]
    pub notes: Option<String>,
}

/// Changes to a dealer; absent fields are unchanged, `null` clears.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "validate", derive(validator::Validate))]
#[serde(deny_unknown_fields)]
pub struct DealerUpdate {
    #[cfg_attr(feature = "validate", validate(length(max = 32)))]
    pub code: Option<String>,
    #[cfg_attr(feature = "validate", validate(length(max = 200)))]
    pub name: Option<String>,
    #[serde(
        default,
        deserialize_with = "crate::patch::double_option",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub region: Option<Option<String>>,
    pub status: Option<DealerStatus>,
    #[serde(
        default,
        deserialize_with = "crate::patch::double_option",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub notes: Option<Option<String>>,
}

/// Filters, order and paging of `GET /dealers`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct DealerListQuery {
    pub status: Option<DealerStatus>,
    /// Exact region.
    pub region: Option<String>,
    /// Free text over code and name (substring match).
    pub q: Option<String>,
    /// `code` (default), `name` or `created_at`; `-` for descending.
    pub sort: Option<String>,
    /// 1–200, default 50.
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 200))]
    pub limit: Option<u64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Also count all matching rows.
    pub include_total: Option<bool>,
}
