//! Notifications (通知): what the system tells one user — a task or installment coming due or
//! overdue, the daily receivables digest, a customer's birthday, a mention in a note, a record
//! handed to them. Each links to the record it is about.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

string_enum!(
    /// What a notification is about.
    NotificationKind {
        TaskDue => "task_due",
        TaskOverdue => "task_overdue",
        InstallmentDue => "installment_due",
        InstallmentOverdue => "installment_overdue",
        ReceivablesDigest => "receivables_digest",
        Birthday => "birthday",
        Mention => "mention",
        Reassigned => "reassigned",
        WebhookDisabled => "webhook_disabled",
        ApprovalRequested => "approval_requested",
    }
);

string_enum!(
    /// The kind of record a notification (or a note, or an attachment) is on.
    RecordType {
        Account => "account",
        Contact => "contact",
        Lead => "lead",
        Opportunity => "opportunity",
        Quote => "quote",
        Order => "order",
        Activity => "activity",
    }
);

/// One notification of the caller's.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NotificationView {
    pub id: Uuid,
    pub kind: NotificationKind,
    /// One short line.
    pub title: String,
    /// A sentence or two, never a secret.
    pub summary: String,
    /// The record to open, when there is one.
    pub record_type: Option<RecordType>,
    pub record_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    /// When the user marked it read; absent while unread.
    pub read_at: Option<DateTime<Utc>>,
    /// The values `title` and `summary` are made of, by name (e.g. `due`, `name`, `number`),
    /// for a client that words the notification in the reader's language; `title` and
    /// `summary` are the English wording.
    #[serde(default)]
    pub params: std::collections::BTreeMap<String, String>,
}

/// Filters and paging of `GET /notifications` (newest first).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct NotificationListQuery {
    /// Only the unread ones.
    pub unread: Option<bool>,
    /// 1–200, default 50.
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 200))]
    pub limit: Option<u64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Also count all matching rows.
    pub include_total: Option<bool>,
}

/// How many of the caller's notifications are unread.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UnreadCount {
    pub unread: u64,
}

/// How many notifications `read-all` marked read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MarkedRead {
    pub marked: u64,
}

/// What one reminder scan inserted (occurrences already notified are not counted again).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ScanCounts {
    pub task_due: u64,
    pub task_overdue: u64,
    pub installment_due: u64,
    pub installment_overdue: u64,
    pub receivables_digest: u64,
    pub birthday: u64,
}
