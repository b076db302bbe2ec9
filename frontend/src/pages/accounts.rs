//! The customer list: free-text search (Chinese or Latin), a page at a time ("more").

use kedao_api_types::ListPage;
use kedao_api_types::accounts::AccountView;
use yew::prelude::*;

use crate::api::{self, with_query};
use crate::components::field::input_value;
use crate::components::notice::{Empty, FailureNote, Loading};
use crate::context::{AppContext, use_app};
use crate::list_state::{ListAction, ListState};
use crate::route::Route;

const PAGE_SIZE: &str = "25";

#[function_component]
pub fn Accounts() -> Html {
    let app = use_app();
    let list = use_reducer(ListState::<AccountView>::default);
    let search_text = use_state(String::new);
    // The search that is applied (the text box applies on submit).
    let query = use_state(String::new);

    let fetch = {
        let (list, app) = (list.dispatcher(), app.clone());
        move |request: u32, q: String, cursor: Option<String>| {
            let (list, app) = (list.clone(), app.clone());
            let append = cursor.is_some();
            let path = with_query(
                "/api/v1/accounts",
                &[
                    ("q", Some(&q)),
                    ("sort", Some("name")),
                    ("limit", Some(PAGE_SIZE)),
                    ("cursor", cursor.as_deref()),
                ],
            );
            wasm_bindgen_futures::spawn_local(async move {
                match api::get::<ListPage<AccountView>>(&path).await {
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

    // Numbers first-page requests, so the list ignores answers to searches already replaced.
    let requests = use_mut_ref(|| 0_u32);
    {
        let (list, fetch) = (list.clone(), fetch.clone());
        use_effect_with((*query).clone(), move |q| {
            let request = {
                let mut counter = requests.borrow_mut();
                *counter = counter.wrapping_add(1);
                *counter
            };
            list.dispatch(ListAction::Reload(request));
            fetch(request, q.clone(), None);
        });
    }

    let on_more = {
        let (list, query, fetch) = (list.clone(), query.clone(), fetch.clone());
        Callback::from(move |_: MouseEvent| {
            list.dispatch(ListAction::LoadMore);
            fetch(list.request, (*query).clone(), list.next_cursor.clone());
        })
    };
    let on_search = {
        let (search_text, query) = (search_text.clone(), query.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            query.set(search_text.trim().to_owned());
        })
    };

    html! {
        <section class="accounts">
            <div class="toolbar">
                <h1>{ app.t("accounts.title") }</h1>
            </div>
            <form class="filters" onsubmit={on_search}>
                <input id="account-search" type="search" placeholder={app.t("accounts.search")} value={(*search_text).clone()}
                    oninput={let s = search_text.clone(); move |e: InputEvent| s.set(input_value(&e))} />
                <button type="submit">{ app.t("leads.search_button") }</button>
            </form>
            if let Some(failure) = &list.failure {
                <FailureNote failure={failure.clone()} />
            }
            if list.is_empty() {
                <Empty message="accounts.empty" />
            } else if !list.items.is_empty() {
                <table class="list" id="account-list">
                    <thead><tr>
                        <th>{ app.t("account.name") }</th>
                        <th>{ app.t("account.customer_type") }</th>
                        <th>{ app.t("account.industry") }</th>
                        <th>{ app.t("account.region") }</th>
                    </tr></thead>
                    <tbody>
                        { for list.items.iter().map(|account| account_row(&app, account)) }
                    </tbody>
                </table>
            }
            if list.loading {
                <Loading />
            } else if list.next_cursor.is_some() {
                <button id="more" onclick={on_more}>{ app.t("list.more") }</button>
            }
        </section>
    }
}

fn account_row(app: &AppContext, account: &AccountView) -> Html {
    html! {
        <tr data-account={account.id.to_string()}>
            <td data-label={app.t("account.name")}>{ app.link(Route::Account(account.id), &account.name) }</td>
            <td data-label={app.t("account.customer_type")}>{ app.t(&format!("customer_type.{}", account.customer_type.as_str())) }</td>
            <td data-label={app.t("account.industry")}>{ account.industry.clone().unwrap_or_default() }</td>
            <td data-label={app.t("account.region")}>{ account.region.clone().unwrap_or_default() }</td>
        </tr>
    }
}
