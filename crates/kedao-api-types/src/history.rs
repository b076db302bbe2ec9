//! Field history: who changed which key field of a record, when, from what to what.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// One change to a key field, values as the record's own JSON shows them (`null`: empty).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldChangeView {
    pub id: Uuid,
    /// The field's name in the record's JSON (`owner_id`, `stage_id`, `amount` …).
    pub field: String,
    pub old_value: Option<String>,
    pub new_value: Option<String>,
    /// The user who made the change, or whose API token made it.
    pub actor_id: Option<Uuid>,
    /// The API token that made the change, if one did.
    pub token_id: Option<Uuid>,
    pub at: DateTime<Utc>,
}

/// Order and paging of a record's history.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct HistoryQuery {
    /// `at` (default, oldest first) or `-at`.
    pub sort: Option<String>,
    /// 1–200, default 50.
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 200))]
    pub limit: Option<u64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Also count all changes.
    pub include_total: Option<bool>,
}
