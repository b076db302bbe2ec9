//! The Kedao API server as a library: `startup::Application` builds the same server for the
//! `kedao` binary and for the end-to-end tests.

pub mod admin;
pub mod auth;
pub mod db;
pub mod error;
pub mod extract;
pub mod jobs;
pub mod openapi;
pub mod routes;
pub mod seed;
pub mod seed_data;
pub mod seed_dealer;
pub mod seed_money;
pub mod seed_sales;
pub mod settings;
pub mod startup;
pub mod store;
pub mod telemetry;
pub mod web_app;
pub mod webhooks;

pub use error::ApiError;
pub use settings::Settings;
pub use startup::Application;
