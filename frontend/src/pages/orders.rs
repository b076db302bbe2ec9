//! The order list: find an order by its number (a customer or dealer quoting it on the phone),
//! filter by status and by credit hold, a page at a time ("more").

use kedao_api_types::orders::{CreditStatus, OrderStatus, OrderView};
use yew::prelude::*;

use crate::components::field::{input_value, select_value};
use crate::components::notice::{FailureNote, Loading};
use crate::context::use_app;
use crate::paged_list::{PagedList, use_paged_list};
use crate::pages::account_detail::order_list;

const CREDIT: [CreditStatus; 3] = [
    CreditStatus::Clear,
    CreditStatus::OnHold,
    CreditStatus::Released,
];

#[function_component]
pub fn Orders() -> Html {
    let app = use_app();
    let status = use_state(String::new);
    let credit = use_state(String::new);
    let search_text = use_state(String::new);
    let query = use_state(String::new);
    let PagedList { list, on_more, .. } = use_paged_list::<OrderView>(
        "/api/v1/orders",
        vec![
            ("status", Some((*status).clone())),
            ("credit_status", Some((*credit).clone())),
            ("q", Some((*query).clone())),
        ],
    );
    let on_status = {
        let status = status.clone();
        Callback::from(move |e: Event| status.set(select_value(&e)))
    };
    let on_credit = {
        let credit = credit.clone();
        Callback::from(move |e: Event| credit.set(select_value(&e)))
    };

    let on_search = {
        let (search_text, query) = (search_text.clone(), query.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            query.set(search_text.trim().to_owned());
        })
    };

    html! {
        <section class="orders">
            <h1>{ app.t("orders.title") }</h1>
            <form class="filters" onsubmit={on_search}>
                <input id="order-search" type="search" placeholder={app.t("orders.search")} value={(*search_text).clone()}
                    oninput={let s = search_text.clone(); move |e: InputEvent| s.set(input_value(&e))} />
                <button type="submit" id="order-find">{ app.t("products.find") }</button>
                <select id="order-status-filter" onchange={on_status} aria-label={app.t("order.status")}>
                    <option value="" selected={status.is_empty()}>{ app.t("leads.all_statuses") }</option>
                    { for OrderStatus::ALL.iter().map(|s| html! {
                        <option value={s.as_str()} selected={*status == s.as_str()}>{ app.t(&format!("order_status.{}", s.as_str())) }</option>
                    }) }
                </select>
                <select id="credit-filter" onchange={on_credit} aria-label={app.t("order.credit")}>
                    <option value="" selected={credit.is_empty()}>{ app.t("orders.any_credit") }</option>
                    { for CREDIT.iter().map(|c| html! {
                        <option value={c.as_str()} selected={*credit == c.as_str()}>{ app.t(&format!("credit_status.{}", c.as_str())) }</option>
                    }) }
                </select>
            </form>
            if let Some(failure) = &list.failure {
                <FailureNote failure={failure.clone()} />
            }
            if list.loaded {
                { order_list(&app, &list.items) }
            }
            if list.loading {
                <Loading />
            } else if list.next_cursor.is_some() {
                <button id="more" onclick={on_more}>{ app.t("list.more") }</button>
            }
        </section>
    }
}
