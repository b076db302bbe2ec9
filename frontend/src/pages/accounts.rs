//! The customer list: free-text search (Chinese or Latin), a page at a time ("more").

use kedao_api_types::accounts::AccountView;
use yew::prelude::*;

use crate::components::field::input_value;
use crate::components::notice::{Empty, FailureNote, Loading};
use crate::context::{AppContext, use_app};
use crate::paged_list::{PagedList, use_paged_list};
use crate::route::Route;

#[function_component]
pub fn Accounts() -> Html {
    let app = use_app();
    let search_text = use_state(String::new);
    // The search that is applied (the text box applies on submit).
    let query = use_state(String::new);
    let PagedList { list, on_more, .. } = use_paged_list::<AccountView>(
        "/api/v1/accounts",
        vec![
            ("q", Some((*query).clone())),
            ("sort", Some("name".to_owned())),
        ],
    );

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
