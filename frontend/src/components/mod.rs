//! Pieces shared by screens.

pub mod fetched;
pub mod field;
pub mod network_graph;
pub mod notice;
pub mod shell;
