//! HTTP handlers: each extracts the caller and the checked request, calls one store function
//! and maps the result. No SQL and no business rule lives here.

pub mod accounts;
pub mod activities;
pub mod api_docs;
pub mod api_tokens;
pub mod attachments;
pub mod auth;
pub mod contacts;
pub mod credit;
pub mod csv;
pub mod dealers;
pub mod fallback;
pub mod health;
pub mod history;
pub mod jobs;
pub mod leads;
pub mod notes;
pub mod notifications;
pub mod opportunities;
pub mod orders;
pub mod payments;
pub mod pipelines;
pub mod products;
pub mod quotes;
pub mod receivables;
pub mod responses;
pub mod shares;
pub mod statements;
pub mod users;
pub mod webhooks;

use actix_web::HttpResponse;
use actix_web::http::header;
use sea_orm::DatabaseConnection;
use serde::Serialize;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::extract::etag;
use crate::settings::Settings;

/// Shared state of every handler.
pub struct AppState {
    pub db: DatabaseConnection,
    pub settings: Settings,
}

/// Registers every `/api/v1` route (and so its OpenAPI entry).
pub fn configure(cfg: &mut ServiceConfig) {
    auth::configure(cfg);
    users::configure(cfg);
    leads::configure(cfg);
    accounts::configure(cfg);
    activities::configure(cfg);
    shares::configure(cfg);
    contacts::configure(cfg);
    credit::configure(cfg);
    dealers::configure(cfg);
    history::configure(cfg);
    pipelines::configure(cfg);
    opportunities::configure(cfg);
    products::configure(cfg);
    quotes::configure(cfg);
    orders::configure(cfg);
    receivables::configure(cfg);
    payments::configure(cfg);
    statements::configure(cfg);
    api_tokens::configure(cfg);
    notifications::configure(cfg);
    notes::configure(cfg);
    attachments::configure(cfg);
    jobs::configure(cfg);
    webhooks::configure(cfg);
}

/// 200 with the record and its ETag.
pub fn ok_versioned<T: Serialize>(body: &T, version: i32) -> HttpResponse {
    HttpResponse::Ok().insert_header(etag(version)).json(body)
}

/// 200 with a printable document (a quote, an order confirmation, a statement of account).
pub fn html_page(html: String) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "text/html; charset=utf-8"))
        .body(html)
}

/// 201 with the record, its ETag and its location.
pub fn created<T: Serialize>(body: &T, version: i32, location: String) -> HttpResponse {
    HttpResponse::Created()
        .insert_header(etag(version))
        .insert_header((header::LOCATION, location))
        .json(body)
}
