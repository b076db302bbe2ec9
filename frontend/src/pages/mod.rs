//! One module per screen.

pub mod account_activity;
pub mod account_credit;
pub mod account_detail;
pub mod account_history;
pub mod accounts;
pub mod admin_pipelines;
pub mod admin_users;
pub mod aging_by_owner;
pub mod dashboard;
pub mod dashboard_plans;
pub mod lead_detail;
pub mod lead_new;
pub mod leads;
pub mod notifications;
pub mod order_detail;
pub mod order_new;
pub mod order_plan;
pub mod orders;
pub mod payment_recorded;
pub mod pipeline;
pub mod products;
pub mod quote_detail;
pub mod quote_new;
pub mod receivables;
pub mod sign_in;
pub mod statement;
