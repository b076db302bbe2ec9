//! sea-orm entities: one per table, mirroring `migrations/` (which alone defines the schema).
//! They never leave the store: handlers get wire types from `kedao-api-types`.

pub mod account_links;
pub mod account_shares;
pub mod accounts;
pub mod activities;
pub mod activity_people;
pub mod allocations;
pub mod api_tokens;
pub mod attachments;
pub mod contacts;
pub mod dealers;
pub mod field_changes;
pub mod installments;
pub mod leads;
pub mod login_attempts;
pub mod notes;
pub mod notifications;
pub mod opportunities;
pub mod order_events;
pub mod order_lines;
pub mod orders;
pub mod payments;
pub mod pipelines;
pub mod products;
pub mod quote_lines;
pub mod quotes;
pub mod refresh_tokens;
pub mod stage_history;
pub mod stages;
pub mod team_closure;
pub mod teams;
pub mod users;
