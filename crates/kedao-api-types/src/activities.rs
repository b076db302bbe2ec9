//! Activities (跟进记录): calls, visits, meetings, tasks, notes and e-mail logs — the record of
//! every interaction with a customer, so that whoever takes over finds the whole story.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

string_enum!(
    /// What kind of interaction.
    ActivityKind {
        Call => "call",
        Visit => "visit",
        Meeting => "meeting",
        Task => "task",
        Note => "note",
        Email => "email",
    }
);

string_enum!(
    /// A plan (or open task) becomes done with an outcome, or is cancelled.
    ActivityStatus {
        Planned => "planned",
        Done => "done",
        Cancelled => "cancelled",
    }
);

string_enum!(
    /// How urgent a task is.
    Priority {
        Low => "low",
        Normal => "normal",
        High => "high",
    }
);

/// An activity, with the records it hangs on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActivityView {
    pub id: Uuid,
    pub kind: ActivityKind,
    pub subject: String,
    pub status: ActivityStatus,
    /// The customer; absent only for an activity on a lead not yet converted.
    pub account_id: Option<Uuid>,
    pub lead_id: Option<Uuid>,
    pub contact_id: Option<Uuid>,
    pub opportunity_id: Option<Uuid>,
    pub quote_id: Option<Uuid>,
    pub order_id: Option<Uuid>,
    pub owner_id: Uuid,
    pub dealer_id: Option<Uuid>,
    pub planned_start: Option<DateTime<Utc>>,
    pub planned_end: Option<DateTime<Utc>>,
    pub place: Option<String>,
    pub purpose: Option<String>,
    pub outcome: Option<String>,
    pub done_at: Option<DateTime<Utc>>,
    /// For tasks.
    pub due_date: Option<NaiveDate>,
    pub priority: Priority,
    /// Who takes part (陪同).
    pub participants: Vec<Uuid>,
    /// Who is kept informed (抄送), e.g. the rep's manager on a visit plan.
    pub copied_to: Vec<Uuid>,
    pub created_by: Uuid,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i32,
}

/// A new activity: on an account (or a lead), optionally on one of the account's contacts,
/// opportunities, quotes or orders.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "validate", derive(validator::Validate))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "kind": "visit", "subject": "拜访采购部，演示新产线方案", "account_id": "0190f5c2-7a4e-7c3b-9d1e-2f3a4b5c6d7e",
    "planned_start": "2027-03-02T02:00:00Z", "planned_end": "2027-03-02T04:00:00Z",
    "place": "苏州工业园区", "purpose": "确认预算与决策人"
})))]
#[serde(deny_unknown_fields)]
pub struct ActivityCreate {
    pub kind: ActivityKind,
    #[cfg_attr(feature = "validate", validate(length(max = 200)))]
    pub subject: String,
    pub account_id: Option<Uuid>,
    pub lead_id: Option<Uuid>,
    pub contact_id: Option<Uuid>,
    pub opportunity_id: Option<Uuid>,
    pub quote_id: Option<Uuid>,
    pub order_id: Option<Uuid>,
    /// `planned` when something is still to happen (a plan, an open task); default: `planned`
    /// for tasks and activities with a planned start, `done` for the rest (a logged call).
    pub status: Option<ActivityStatus>,
    pub planned_start: Option<DateTime<Utc>>,
    pub planned_end: Option<DateTime<Utc>>,
    #[cfg_attr(feature = "validate", validate(length(max = 200)))]
    pub place: Option<String>,
    #[cfg_attr(feature = "validate", validate(length(max = 10000)))]
    pub purpose: Option<String>,
    #[cfg_attr(feature = "validate", validate(length(max = 10000)))]
    pub outcome: Option<String>,
    pub due_date: Option<NaiveDate>,
    pub priority: Option<Priority>,
    /// Defaults to the caller.
    pub owner_id: Option<Uuid>,
    #[serde(default)]
    #[cfg_attr(feature = "validate", validate(length(max = 20)))]
    pub participants: Vec<Uuid>,
    #[serde(default)]
    #[cfg_attr(feature = "validate", validate(length(max = 20)))]
    pub copied_to: Vec<Uuid>,
}

/// Changes to an activity; absent fields are unchanged, `null` clears.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "validate", derive(validator::Validate))]
#[serde(deny_unknown_fields)]
pub struct ActivityUpdate {
    #[cfg_attr(feature = "validate", validate(length(max = 200)))]
    pub subject: Option<String>,
    /// `done` records `done_at`; `planned` reopens (a task marked undone).
    pub status: Option<ActivityStatus>,
    #[serde(
        default,
        deserialize_with = "crate::patch::double_option",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<DateTime<Utc>>))]
    pub planned_start: Option<Option<DateTime<Utc>>>,
    #[serde(
        default,
        deserialize_with = "crate::patch::double_option",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<DateTime<Utc>>))]
    pub planned_end: Option<Option<DateTime<Utc>>>,
    #[serde(
        default,
        deserialize_with = "crate::patch::double_option",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub place: Option<Option<String>>,
    #[serde(
        default,
        deserialize_with = "crate::patch::double_option",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub purpose: Option<Option<String>>,
    #[serde(
        default,
        deserialize_with = "crate::patch::double_option",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub outcome: Option<Option<String>>,
    #[serde(
        default,
        deserialize_with = "crate::patch::double_option",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<NaiveDate>))]
    pub due_date: Option<Option<NaiveDate>>,
    pub priority: Option<Priority>,
}

/// Filters, order and paging of `GET /activities`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct ActivityListQuery {
    pub account_id: Option<Uuid>,
    pub lead_id: Option<Uuid>,
    pub opportunity_id: Option<Uuid>,
    pub owner_id: Option<Uuid>,
    pub kind: Option<ActivityKind>,
    pub status: Option<ActivityStatus>,
    /// `created_at` (default `-created_at`) or `updated_at`; `-` for descending.
    pub sort: Option<String>,
    /// 1–200, default 50.
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 200))]
    pub limit: Option<u64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Also count all matching rows.
    pub include_total: Option<bool>,
}

/// `GET /calendar`: someone's (or a team's) plans and tasks over some days.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct CalendarQuery {
    /// Whose calendar (default: the caller's). `user_id` is accepted too.
    #[serde(alias = "user_id")]
    pub user: Option<Uuid>,
    /// A team's calendar instead: its members' and its sub-teams' (for their managers).
    /// `team_id` is accepted too.
    #[serde(alias = "team_id")]
    pub team: Option<Uuid>,
    /// First day, in the company's time zone.
    pub from: NaiveDate,
    /// Last day (inclusive); at most 92 days after `from`.
    pub to: NaiveDate,
}
