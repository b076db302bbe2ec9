//! The state of a cursor-paged list on screen: first page, "more", loading and failure. A
//! reducer over plain data, so it is tested without a browser.

use std::rc::Rc;

use kedao_api_types::ListPage;

use crate::problem::ApiFailure;

#[derive(Debug, Clone, PartialEq)]
pub struct ListState<T> {
    pub items: Vec<T>,
    pub next_cursor: Option<String>,
    pub loading: bool,
    /// At least one page has arrived (so an empty list really is empty).
    pub loaded: bool,
    pub failure: Option<ApiFailure>,
    /// The current first-page request (numbered by the screen), so a late answer to an
    /// older filter is ignored.
    pub request: u32,
}

impl<T> Default for ListState<T> {
    fn default() -> Self {
        ListState {
            items: Vec::new(),
            next_cursor: None,
            loading: false,
            loaded: false,
            failure: None,
            request: 0,
        }
    }
}

#[derive(Debug, Clone)]
pub enum ListAction<T> {
    /// A new first page was asked for (filters changed) as request `n`: the list starts over.
    Reload(u32),
    /// The next page was asked for.
    LoadMore,
    /// A page arrived for request `request`; `append` for "more".
    Page {
        request: u32,
        page: ListPage<T>,
        append: bool,
    },
    Failed {
        request: u32,
        failure: ApiFailure,
    },
}

impl<T: Clone> ListState<T> {
    pub fn reduce(&self, action: ListAction<T>) -> ListState<T> {
        let mut next = self.clone();
        match action {
            ListAction::Reload(request) => {
                next.request = request;
                next.loading = true;
                next.failure = None;
            }
            ListAction::LoadMore => {
                next.loading = true;
                next.failure = None;
            }
            ListAction::Page {
                request,
                page,
                append,
            } if request == self.request => {
                if append {
                    next.items.extend(page.items);
                } else {
                    next.items = page.items;
                }
                next.next_cursor = page.next_cursor;
                next.loading = false;
                next.loaded = true;
            }
            ListAction::Failed { request, failure } if request == self.request => {
                next.loading = false;
                next.failure = Some(failure);
            }
            // An answer to a superseded request.
            ListAction::Page { .. } | ListAction::Failed { .. } => {}
        }
        next
    }

    /// Whether the empty state should show.
    pub fn is_empty(&self) -> bool {
        self.loaded && !self.loading && self.items.is_empty()
    }
}

/// For `use_reducer`.
impl<T: Clone> yew::Reducible for ListState<T> {
    type Action = ListAction<T>;

    fn reduce(self: Rc<Self>, action: Self::Action) -> Rc<Self> {
        Rc::new(ListState::reduce(&self, action))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(items: &[u32], cursor: Option<&str>) -> ListPage<u32> {
        ListPage {
            items: items.to_vec(),
            next_cursor: cursor.map(str::to_owned),
            total: None,
        }
    }

    #[test]
    fn first_page_then_more_appends() {
        let s = ListState::default().reduce(ListAction::Reload(1));
        assert!(s.loading && !s.is_empty());
        let s = s.reduce(ListAction::Page {
            request: s.request,
            page: page(&[1, 2], Some("c")),
            append: false,
        });
        assert_eq!(s.items, [1, 2]);
        assert_eq!(s.next_cursor.as_deref(), Some("c"));
        let s = s.reduce(ListAction::LoadMore);
        let s = s.reduce(ListAction::Page {
            request: s.request,
            page: page(&[3], None),
            append: true,
        });
        assert_eq!(s.items, [1, 2, 3]);
        assert!(s.next_cursor.is_none() && !s.loading);
    }

    #[test]
    fn a_late_answer_to_an_old_filter_is_ignored() {
        let s = ListState::default().reduce(ListAction::Reload(1));
        let old = s.request;
        let s = s.reduce(ListAction::Reload(2));
        let s = s.reduce(ListAction::Page {
            request: old,
            page: page(&[9], None),
            append: false,
        });
        assert!(s.items.is_empty() && s.loading);
        let s = s.reduce(ListAction::Page {
            request: s.request,
            page: page(&[], None),
            append: false,
        });
        assert!(s.is_empty());
    }

    #[test]
    fn failure_stops_loading_and_reload_clears_it() {
        let s = ListState::<u32>::default().reduce(ListAction::Reload(1));
        let s = s.reduce(ListAction::Failed {
            request: s.request,
            failure: ApiFailure::Network,
        });
        assert_eq!(s.failure, Some(ApiFailure::Network));
        assert!(!s.loading);
        let s = s.reduce(ListAction::Reload(2));
        assert!(s.failure.is_none());
    }
}
