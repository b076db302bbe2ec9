//! Attachments (附件): files on a customer, contact, lead, deal, quote or order. The type is
//! what the bytes are (sniffed), never what the client claimed.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

pub use crate::notifications::RecordType;

/// An attachment's metadata.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AttachmentView {
    pub id: Uuid,
    pub record_type: RecordType,
    pub record_id: Uuid,
    pub account_id: Option<Uuid>,
    /// The display name (sanitised; never a path).
    pub file_name: String,
    /// The sniffed media type, which the content is served with.
    pub content_type: String,
    pub size_bytes: i64,
    /// Hex SHA-256 of the content.
    pub sha256: String,
    pub uploaded_by: Uuid,
    pub created_at: DateTime<Utc>,
}

/// Where an upload goes and what it is called; the file itself is the request body.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct AttachmentUpload {
    pub record_type: RecordType,
    pub record_id: Uuid,
    /// Shown when listing and offered when downloading; path parts are dropped.
    pub file_name: String,
}
