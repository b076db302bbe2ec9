//! One hook for the list screens that read a cursor-paged API list a page at a time: the first
//! page is read again whenever the filters change, "more" appends the next page, and an answer
//! to filters already replaced is ignored (see `list_state`).

use kedao_api_types::ListPage;
use serde::de::DeserializeOwned;
use yew::prelude::*;

use crate::api::{self, with_query};
use crate::context::use_app;
use crate::list_state::{ListAction, ListState};

/// How many rows a list screen asks for at a time, unless it says otherwise.
pub const PAGE_SIZE: &str = "25";

/// The query parameters a screen filters by, in the order they go on the path; an absent or
/// empty value is left off.
pub type Filters = Vec<(&'static str, Option<String>)>;

/// The path of one page: the filters, the page size, then the cursor of "more" (none for the
/// first page).
pub fn page_path(
    base_path: &str,
    filters: &[(&'static str, Option<String>)],
    page_size: &str,
    cursor: Option<&str>,
) -> String {
    let params: Vec<(&str, Option<&str>)> = filters
        .iter()
        .map(|(key, value)| (*key, value.as_deref()))
        .chain([("limit", Some(page_size)), ("cursor", cursor)])
        .collect();
    with_query(base_path, &params)
}

/// The list on screen, what the "more" button does, and how to read it again from the top
/// (after the records changed).
pub struct PagedList<T: Clone + 'static> {
    pub list: UseReducerHandle<ListState<T>>,
    pub on_more: Callback<MouseEvent>,
    pub reload: Callback<()>,
}

/// Reads `base_path` filtered by `filters` [`PAGE_SIZE`] rows at a time.
#[hook]
pub fn use_paged_list<T>(base_path: &'static str, filters: Filters) -> PagedList<T>
where
    T: Clone + DeserializeOwned + 'static,
{
    use_paged_list_of(base_path, PAGE_SIZE, filters)
}

/// Reads `base_path` filtered by `filters` `page_size` rows at a time.
#[hook]
pub fn use_paged_list_of<T>(
    base_path: &'static str,
    page_size: &'static str,
    filters: Filters,
) -> PagedList<T>
where
    T: Clone + DeserializeOwned + 'static,
{
    let app = use_app();
    let list = use_reducer(ListState::<T>::default);
    // Bumped to read the same filters again from the top.
    let generation = use_state(|| 0_u32);

    let fetch = {
        let (list, app) = (list.dispatcher(), app.clone());
        move |request: u32, filters: &Filters, cursor: Option<String>| {
            let (list, app) = (list.clone(), app.clone());
            let append = cursor.is_some();
            let path = page_path(base_path, filters, page_size, cursor.as_deref());
            wasm_bindgen_futures::spawn_local(async move {
                match api::get::<ListPage<T>>(&path).await {
                    Ok(page) => list.dispatch(ListAction::Page {
                        request,
                        page: page.value,
                        append,
                    }),
                    Err(failure) => {
                        if let Some(failure) = app.check(failure) {
                            list.dispatch(ListAction::Failed { request, failure });
                        }
                    }
                }
            });
        }
    };

    // Numbers first-page requests, so the list ignores answers to filters already replaced.
    let requests = use_mut_ref(|| 0_u32);
    {
        let (list, fetch) = (list.dispatcher(), fetch.clone());
        use_effect_with((filters.clone(), *generation), move |(filters, _)| {
            let request = {
                let mut counter = requests.borrow_mut();
                *counter = counter.wrapping_add(1);
                *counter
            };
            list.dispatch(ListAction::Reload(request));
            fetch(request, filters, None);
        });
    }

    let on_more = {
        let list = list.clone();
        Callback::from(move |_: MouseEvent| {
            list.dispatch(ListAction::LoadMore);
            fetch(list.request, &filters, list.next_cursor.clone());
        })
    };
    let reload = Callback::from(move |()| generation.set(*generation + 1));
    PagedList {
        list,
        on_more,
        reload,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_first_page_carries_the_present_filters_and_the_page_size() {
        let filters: Filters = vec![
            ("status", Some("new".to_owned())),
            ("q", Some(String::new())),
            ("sort", None),
        ];
        assert_eq!(
            page_path("/api/v1/leads", &filters, PAGE_SIZE, None),
            "/api/v1/leads?status=new&limit=25"
        );
    }

    #[test]
    fn more_adds_the_cursor_after_the_page_size() {
        let filters: Filters = vec![
            ("q", Some("云杉".to_owned())),
            ("sort", Some("name".to_owned())),
        ];
        assert_eq!(
            page_path("/api/v1/accounts", &filters, PAGE_SIZE, Some("abc")),
            "/api/v1/accounts?q=%E4%BA%91%E6%9D%89&sort=name&limit=25&cursor=abc"
        );
    }
}
