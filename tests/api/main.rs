//! End-to-end tests over HTTP against the real server, each on SQLite and on PostgreSQL.

mod auth;
mod boundaries;
mod demo;
mod errors;
mod health;
mod leads;
mod openapi;
