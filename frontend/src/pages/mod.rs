//! One module per screen.

pub mod dashboard;
pub mod lead_detail;
pub mod lead_new;
pub mod leads;
pub mod pipeline;
pub mod quote_new;
pub mod receivables;
pub mod sign_in;
