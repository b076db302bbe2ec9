//! End-to-end tests over HTTP against the real server, each on SQLite and on PostgreSQL.

mod accounts;
mod auth;
mod boundaries;
mod calendar;
mod contacts;
mod conversion;
mod credit;
mod dealer_isolation;
mod dealers;
mod demo;
mod errors;
mod field_history;
mod health;
mod leads;
mod login_throttle;
mod openapi;
mod opportunities;
mod orders;
mod pipelines;
mod products;
mod quotes;
mod receivable_reports;
mod receivables;
mod sharing;
mod statements;
mod team_hierarchy;
