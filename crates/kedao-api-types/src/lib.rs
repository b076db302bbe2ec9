//! The wire format of the Kedao API: every request and response body, shared by the server,
//! the SPA and Rust integrators so that no type is written twice.
//!
//! Feature `openapi` derives utoipa schemas; feature `validate` derives `validator` rules for
//! request shapes (lengths, ranges). Business rules live in `kedao-domain`, not here.

/// A string-valued enum of the wire format: snake_case names, `as_str`, `parse` and `ALL`.
macro_rules! string_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $text:literal),* $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),* }

        impl $name {
            pub const ALL: &[$name] = &[$($name::$variant),*];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),* }
            }

            pub fn parse(s: &str) -> Option<$name> {
                $name::ALL.iter().copied().find(|v| v.as_str() == s)
            }
        }
    };
}

pub mod accounts;
pub mod activities;
pub mod api_tokens;
pub mod attachments;
pub mod auth;
pub mod contacts;
pub mod credit;
pub mod dealers;
pub mod history;
pub mod leads;
pub mod list;
pub mod notes;
pub mod notifications;
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

pub use list::{ListPage, SortOrder};
pub use problem::{FieldError, Problem};

/// Longest single-line name (company, person, title) in characters.
pub const NAME_MAX: usize = 200;
/// Longest short text (phone, region, industry, reasons) in characters.
pub const SHORT_MAX: usize = 100;
/// Longest note or description in characters.
pub const NOTE_MAX: usize = 10_000;
