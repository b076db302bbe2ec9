//! Notes (便签): free text on a customer, contact, lead, deal, quote or order, mentioning
//! colleagues (@) who are then notified.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

pub use crate::notifications::RecordType;

/// The longest note, in characters.
pub const NOTE_BODY_MAX: usize = crate::NOTE_MAX;
/// The most users one note mentions.
pub const MENTIONS_MAX: usize = 20;

/// A note.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NoteView {
    pub id: Uuid,
    pub record_type: RecordType,
    pub record_id: Uuid,
    /// The customer of the record, when it has one (a lead not yet converted has none).
    pub account_id: Option<Uuid>,
    pub author_id: Uuid,
    pub body: String,
    /// The users mentioned (and notified).
    pub mentions: Vec<Uuid>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i32,
}

/// A new note on a record the caller can see.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "validate", derive(validator::Validate))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "record_type": "account", "record_id": "0190f5c2-7a4e-7c3b-9d1e-2f3a4b5c6d7e",
    "body": "@王经理 客户要求下周三前确认交期", "mentions": ["0190f5c2-7a4e-7c3b-9d1e-2f3a4b5c6d7f"]
})))]
#[serde(deny_unknown_fields)]
pub struct NoteCreate {
    /// One of account, contact, lead, opportunity, quote, order.
    pub record_type: RecordType,
    pub record_id: Uuid,
    #[cfg_attr(feature = "validate", validate(length(max = 10000)))]
    pub body: String,
    /// Users to notify; each must be able to see the record.
    #[serde(default)]
    #[cfg_attr(feature = "validate", validate(length(max = 20)))]
    pub mentions: Vec<Uuid>,
}

/// A note's new text (and mentions; newly mentioned users are notified).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "validate", derive(validator::Validate))]
#[serde(deny_unknown_fields)]
pub struct NoteUpdate {
    #[cfg_attr(feature = "validate", validate(length(max = 10000)))]
    pub body: String,
    /// Absent: the mentions stay.
    #[cfg_attr(feature = "validate", validate(length(max = 20)))]
    pub mentions: Option<Vec<Uuid>>,
}

/// Which record's notes (or attachments), and paging.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct RecordQuery {
    pub record_type: RecordType,
    pub record_id: Uuid,
    /// 1–200, default 50.
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 200))]
    pub limit: Option<u64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Also count all matching rows.
    pub include_total: Option<bool>,
}
