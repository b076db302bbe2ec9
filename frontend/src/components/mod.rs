//! Pieces shared by screens.

pub mod attachments_panel;
pub mod document_frame;
pub mod export_button;
pub mod fetched;
pub mod field;
pub mod line_editor;
pub mod network_graph;
pub mod notes_panel;
pub mod notice;
pub mod notification_bell;
pub mod product_picker;
pub mod shell;
