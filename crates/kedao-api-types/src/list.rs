//! The one envelope every list endpoint answers with, and its paging parameters.
//!
//! Paging is by cursor (keyset), so page 10,000 costs what page 1 costs, and rows inserted
//! meanwhile never shift a page. A total is computed only when asked for (`include_total`),
//! because counting a million rows on every page is what makes other CRMs slow.

use serde::{Deserialize, Serialize};

/// A page of a list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ListPage<T> {
    /// The rows of this page, in the requested order.
    pub items: Vec<T>,
    /// Pass as `cursor` to get the next page; absent on the last page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
    /// The number of rows matching the filters, when `include_total=true` was asked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total: Option<u64>,
}

impl<T> ListPage<T> {
    /// A small, bounded collection (an account's links, a deal's stage history) in one page, so
    /// it has the same envelope as every other list.
    pub fn complete(items: Vec<T>) -> Self {
        let total = Some(items.len() as u64);
        ListPage {
            items,
            next_cursor: None,
            total,
        }
    }
}

/// Default page size.
pub const DEFAULT_LIMIT: u64 = 50;
/// Largest page size.
pub const MAX_LIMIT: u64 = 200;

/// Ascending or descending.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SortOrder {
    Asc,
    Desc,
}
