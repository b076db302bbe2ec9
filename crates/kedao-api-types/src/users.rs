//! Staff users and teams.

use chrono::{DateTime, Utc};
use kedao_domain::access::Role;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A staff user, as others see them (never the password hash).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UserView {
    pub id: Uuid,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub team_id: Option<Uuid>,
    /// The dealer of a dealer's staff member (roles `dealer_admin`, `dealer_user`).
    pub dealer_id: Option<Uuid>,
    pub active: bool,
    pub created_at: DateTime<Utc>,
    pub version: i32,
}

/// A new staff user (admins only).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "validate", derive(validator::Validate))]
#[cfg_attr(feature = "openapi", schema(example = json!({"email": "wang.fang@example.cn", "display_name": "王芳", "password": "a long passphrase", "role": "sales"})))]
#[serde(deny_unknown_fields)]
pub struct UserCreate {
    #[cfg_attr(feature = "validate", validate(length(min = 1, max = 254)))]
    pub email: String,
    #[cfg_attr(feature = "validate", validate(length(min = 1, max = 100)))]
    pub display_name: String,
    /// At least 12 characters.
    #[cfg_attr(feature = "validate", validate(length(min = 12, max = 1024)))]
    pub password: String,
    pub role: Role,
    #[serde(default)]
    pub team_id: Option<Uuid>,
    /// Required for the dealer roles, refused for the company's own staff.
    #[serde(default)]
    pub dealer_id: Option<Uuid>,
}

/// Changes to a staff user (admins only).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "validate", derive(validator::Validate))]
#[serde(deny_unknown_fields)]
pub struct UserUpdate {
    #[cfg_attr(feature = "validate", validate(length(min = 1, max = 100)))]
    pub display_name: Option<String>,
    pub role: Option<Role>,
    #[serde(
        default,
        deserialize_with = "crate::patch::double_option",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Uuid>))]
    pub team_id: Option<Option<Uuid>>,
    /// Moves a dealer's staff member to another dealer (`null` with a staff role).
    #[serde(
        default,
        deserialize_with = "crate::patch::double_option",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Uuid>))]
    pub dealer_id: Option<Option<Uuid>>,
    pub active: Option<bool>,
}

/// A sales team.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TeamView {
    pub id: Uuid,
    pub name: String,
    pub parent_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
}

/// A new team (admins only).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "validate", derive(validator::Validate))]
#[serde(deny_unknown_fields)]
pub struct TeamCreate {
    #[cfg_attr(feature = "validate", validate(length(min = 1, max = 100)))]
    pub name: String,
    #[serde(default)]
    pub parent_id: Option<Uuid>,
}

/// Filters, order and paging of `GET /users`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct UserListQuery {
    pub role: Option<Role>,
    pub team_id: Option<Uuid>,
    pub dealer_id: Option<Uuid>,
    pub active: Option<bool>,
    /// Free text over name and e-mail.
    pub q: Option<String>,
    /// `display_name` (default), `email`, `created_at`; `-` for descending.
    pub sort: Option<String>,
    /// 1–200, default 50.
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 200))]
    pub limit: Option<u64>,
    pub cursor: Option<String>,
    pub include_total: Option<bool>,
}

/// Order and paging of `GET /teams`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct TeamListQuery {
    /// `name` (default) or `created_at`; `-` for descending.
    pub sort: Option<String>,
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 200))]
    pub limit: Option<u64>,
    pub cursor: Option<String>,
    pub include_total: Option<bool>,
}
