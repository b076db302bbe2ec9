//! The order list: filter by status and by credit hold, a page at a time ("more").

use kedao_api_types::ListPage;
use kedao_api_types::orders::{CreditStatus, OrderStatus, OrderView};
use yew::prelude::*;

use crate::api::{self, with_query};
use crate::components::field::select_value;
use crate::components::notice::{FailureNote, Loading};
use crate::context::use_app;
use crate::list_state::{ListAction, ListState};
use crate::pages::account_detail::order_list;

const CREDIT: [CreditStatus; 3] = [
    CreditStatus::Clear,
    CreditStatus::OnHold,
    CreditStatus::Released,
];

#[function_component]
pub fn Orders() -> Html {
    let app = use_app();
    let list = use_reducer(ListState::<OrderView>::default);
    let status = use_state(String::new);
    let credit = use_state(String::new);

    let fetch = {
        let (list, app) = (list.dispatcher(), app.clone());
        move |request: u32, status: String, credit: String, cursor: Option<String>| {
            let (list, app) = (list.clone(), app.clone());
            let append = cursor.is_some();
            let path = with_query(
                "/api/v1/orders",
                &[
                    ("status", Some(&status)),
                    ("credit_status", Some(&credit)),
                    ("limit", Some("25")),
                    ("cursor", cursor.as_deref()),
                ],
            );
            wasm_bindgen_futures::spawn_local(async move {
                match api::get::<ListPage<OrderView>>(&path).await {
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
    let requests = use_mut_ref(|| 0_u32);
    {
        let (list, fetch) = (list.clone(), fetch.clone());
        use_effect_with(((*status).clone(), (*credit).clone()), move |(s, c)| {
            let request = {
                let mut counter = requests.borrow_mut();
                *counter = counter.wrapping_add(1);
                *counter
            };
            list.dispatch(ListAction::Reload(request));
            fetch(request, s.clone(), c.clone(), None);
        });
    }
    let on_more = {
        let (list, status, credit, fetch) =
            (list.clone(), status.clone(), credit.clone(), fetch.clone());
        Callback::from(move |_: MouseEvent| {
            list.dispatch(ListAction::LoadMore);
            fetch(
                list.request,
                (*status).clone(),
                (*credit).clone(),
                list.next_cursor.clone(),
            );
        })
    };
    let on_status = {
        let status = status.clone();
        Callback::from(move |e: Event| status.set(select_value(&e)))
    };
    let on_credit = {
        let credit = credit.clone();
        Callback::from(move |e: Event| credit.set(select_value(&e)))
    };

    html! {
        <section class="orders">
            <h1>{ app.t("orders.title") }</h1>
            <form class="filters" onsubmit={|e: SubmitEvent| e.prevent_default()}>
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
