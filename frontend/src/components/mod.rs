//! Pieces shared by screens.

pub mod field;
pub mod notice;
pub mod shell;
