//! The wire format of the Kedao API: every request and response body, shared by the server,
//! the SPA and Rust integrators so that no type is written twice.
//!
//! Feature `openapi` derives utoipa schemas; feature `validate` derives `validator` rules for
//! request shapes (lengths, ranges). Business rules live in `kedao-domain`, not here.

pub mod accounts;
pub mod activities;
pub mod api_tokens;
pub mod auth;
pub mod contacts;
pub mod credit;
pub mod dealers;
pub mod history;
pub mod jobs;
pub mod leads;
pub mod list;
pub mod opportunities;
pub mod orders;
pub mod patch;
pub mod pipelines;
pub mod problem;
pub mod products;
pub mod quotes;
pub mod receivables;
pub mod shares;
pub mod statements;
pub mod users;
pub mod webhooks;

pub use list::{ListPage, SortOrder};
pub use problem::{FieldError, Problem};

/// Longest single-line name (company, person, title) in characters.
pub const NAME_MAX: usize = 200;
/// Longest short text (phone, region, industry, reasons) in characters.
pub const SHORT_MAX: usize = 100;
/// Longest note or description in characters.
pub const NOTE_MAX: usize = 10_000;
