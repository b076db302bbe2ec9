//! Kedao's business rules and value types.
//!
//! Everything here is pure: no I/O, no database, no HTTP, so the same rules run in the
//! server, in the SPA (compiled to wasm32) and in property tests. CI checks that this crate
//! never grows a dependency on actix, sea-orm, sqlx or tokio.

pub mod access;
pub mod chinese_amount;
pub mod credit;
pub mod file_type;
pub mod jobs;
pub mod lead;
pub mod mask;
pub mod money;
pub mod order;
pub mod outbound;
pub mod pipeline;
pub mod quote;
pub mod receivable;
pub mod scope;
pub mod statement;
pub mod text;
pub mod webhooks;

pub use money::{Currency, Money, MoneyError};
