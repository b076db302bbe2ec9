//! One module per screen.

pub mod dashboard;
pub mod lead_detail;
pub mod lead_new;
pub mod leads;
pub mod sign_in;
