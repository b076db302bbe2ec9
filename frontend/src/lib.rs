//! Kedao's browser app: a Yew single-page app over the Kedao API, served by the server from
//! the same origin. Screens live in `pages/`, shared pieces in `components/`, API calls in
//! `api/`; the logic screens rely on (money formatting, error mapping, messages, list state,
//! chart figures, routes, session timing) is plain Rust, tested natively by `cargo test`.

pub mod api;
mod app;
pub mod board;
pub mod charts;
pub mod components;
pub mod context;
pub mod dates;
pub mod field_history;
pub mod forecast;
pub mod i18n;
pub mod inline_editor;
pub mod list_state;
pub mod mentions;
pub mod money;
pub mod network_layout;
pub mod notification_text;
pub mod paged_list;
pub mod pages;
pub mod plan_draft;
pub mod problem;
pub mod product_draft;
pub mod quote_draft;
pub mod route;
pub mod session;

/// Renders the app into `<body>`.
pub fn start() {
    yew::Renderer::<app::App>::new().render();
}
