//! Data access. Every function that reads or writes records takes the caller's `Principal`
//! and filters through `scope`, so no query can forget who is asking.

pub mod accounts;
pub mod activities;
pub mod api_tokens;
pub mod attachment_files;
pub mod attachments;
pub mod contacts;
pub mod conversion;
pub mod credit;
pub mod credit_application;
pub mod dealers;
pub mod entities;
pub mod fields;
pub mod funnel;
pub mod history;
pub mod lead_distribution;
pub mod leads;
pub mod login_attempts;
pub mod masking;
pub mod network;
pub mod notes;
pub mod notifications;
pub mod opportunities;
pub mod opportunity_list;
pub mod opportunity_moves;
pub mod order_document;
pub mod order_status;
pub mod orders;
pub mod paging;
pub mod payments;
pub mod pipelines;
pub mod print;
pub mod products;
pub mod quote_accept;
pub mod quote_approval_request;
pub mod quote_document;
pub mod quote_lines;
pub mod quote_list;
pub mod quote_numbers;
pub mod quote_status;
pub mod quotes;
pub mod receivable_exports;
pub mod receivable_reports;
pub mod receivables;
pub mod record_access;
pub mod reminders;
pub mod retry;
pub mod scope;
pub mod search;
pub mod sessions;
pub mod shares;
pub mod stages;
pub mod statement_document;
pub mod statements;
pub mod timeline;
pub mod users;
pub mod write_batch;

use chrono::{DateTime, SubsecRound, Utc};
use uuid::Uuid;

/// Now, truncated to microseconds: what PostgreSQL keeps, so a value read back (and a cursor
/// built from it) equals the value written.
pub fn now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(6)
}

/// A new time-ordered id.
pub fn new_id() -> Uuid {
    Uuid::now_v7()
}

/// JSON array of strings from a stored JSON column (tags, competitors).
pub fn string_list(value: &serde_json::Value) -> Vec<String> {
    value
        .as_array()
        .map(|items| {
            items
                .iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// A SQL sum of storage units read as text (`CAST(SUM(…) AS TEXT)`): digits on SQLite, on
/// PostgreSQL a NUMERIC that may carry a zero fraction. Text, because a sum can outgrow i64.
pub fn sum_units(text: &str) -> Result<i128, crate::error::ApiError> {
    let digits = text.split('.').next().unwrap_or(text);
    digits
        .trim()
        .parse()
        .map_err(|e| crate::error::ApiError::Internal(anyhow::anyhow!("sum {text:?}: {e}")))
}
