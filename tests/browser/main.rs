//! The browser app end to end: the built bundle served by the real server, in headless
//! Chromium. Runs on SQLite (the app's behaviour does not depend on the database; the API
//! tests cover both).

mod account_payments;
mod accounts;
mod admin;
mod attachments;
mod credit;
mod dashboard;
mod dealer;
mod deals;
mod layout;
mod leads;
mod notes;
mod order_new;
mod payment_plan;
mod pipeline;
mod products;
mod quote;
mod quote_accept;
mod quote_approval;
mod quote_edit;
mod receivables;
mod serving;
mod session;
mod support;
mod webdriver;
