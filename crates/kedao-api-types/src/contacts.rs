//! Contacts (联系人): the people at an account.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A contact.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ContactView {
    pub id: Uuid,
    pub account_id: Uuid,
    pub name: String,
    pub title: Option<String>,
    pub phone: Option<String>,
    pub mobile: Option<String>,
    pub email: Option<String>,
    pub birthday: Option<NaiveDate>,
    pub is_primary: bool,
    pub notes: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i32,
}

/// A new contact.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "validate", derive(validator::Validate))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "account_id": "0190f3a4-1d2e-7c3b-9a8f-6e5d4c3b2a10", "name": "张伟", "title": "采购经理",
    "mobile": "+86 139 1234 5678", "email": "zhang.wei@hengda.example.cn", "birthday": "1985-06-18"
})))]
#[serde(deny_unknown_fields)]
pub struct ContactCreate {
    pub account_id: Uuid,
    #[cfg_attr(feature = "validate", validate(length(max = 200)))]
    pub name: String,
    #[cfg_attr(feature = "validate", validate(length(max = 100)))]
    pub title: Option<String>,
    #[cfg_attr(feature = "validate", validate(length(max = 100)))]
    pub phone: Option<String>,
    #[cfg_attr(feature = "validate", validate(length(max = 100)))]
    pub mobile: Option<String>,
    #[cfg_attr(feature = "validate", validate(length(max = 254)))]
    pub email: Option<String>,
    pub birthday: Option<NaiveDate>,
    /// The account's main contact; setting it clears it on the others. Defaults to true for
    /// an account's first contact, false otherwise.
    pub is_primary: Option<bool>,
    #[cfg_attr(feature = "validate", validate(length(max = 10000)))]
    pub notes: Option<String>,
}

/// Changes to a contact; absent fields are unchanged, `null` clears.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "validate", derive(validator::Validate))]
#[serde(deny_unknown_fields)]
pub struct ContactUpdate {
    #[cfg_attr(feature = "validate", validate(length(max = 200)))]
    pub name: Option<String>,
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
    pub mobile: Option<Option<String>>,
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
    #[cfg_attr(feature = "openapi", schema(value_type = Option<NaiveDate>))]
    pub birthday: Option<Option<NaiveDate>>,
    pub is_primary: Option<bool>,
    #[serde(
        default,
        deserialize_with = "crate::patch::double_option",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub notes: Option<Option<String>>,
}

/// Filters, order and paging of `GET /contacts`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct ContactListQuery {
    pub account_id: Option<Uuid>,
    /// Free text over name, e-mail, phone and mobile (Chinese or Latin, substring match).
    pub q: Option<String>,
    /// `created_at` (default `-created_at`), `name`; `-` for descending.
    pub sort: Option<String>,
    /// 1–200, default 50.
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 200))]
    pub limit: Option<u64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Also count all matching rows (costs a count query).
    pub include_total: Option<bool>,
}
