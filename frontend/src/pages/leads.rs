//! The lead list: filter by status, free-text search, a page at a time ("more").

use kedao_api_types::ListPage;
use kedao_api_types::leads::LeadView;
use kedao_domain::access::{Action, Resource};
use kedao_domain::lead::LeadStatus;
use yew::prelude::*;

use crate::api::{self, with_query};
use crate::components::field::{input_value, select_value};
use crate::components::notice::{Empty, FailureNote, Loading};
use crate::context::use_app;
use crate::list_state::{ListAction, ListState};
use crate::route::Route;

const PAGE_SIZE: &str = "25";

#[function_component]
pub fn Leads() -> Html {
    let app = use_app();
    let list = use_reducer(ListState::<LeadView>::default);
    let status = use_state(String::new);
    let search_text = use_state(String::new);
    // The search that is applied (the text box applies on submit).
    let query = use_state(String::new);

    let fetch = {
        let (list, app) = (list.dispatcher(), app.clone());
        move |request: u32, status: String, q: String, cursor: Option<String>| {
            let (list, app) = (list.clone(), app.clone());
            let append = cursor.is_some();
            let path = with_query(
                "/api/v1/leads",
                &[
                    ("status", Some(&status)),
                    ("q", Some(&q)),
                    ("limit", Some(PAGE_SIZE)),
                    ("cursor", cursor.as_deref()),
                ],
            );
            wasm_bindgen_futures::spawn_local(async move {
                match api::get::<ListPage<LeadView>>(&path).await {
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
        let (list, fetch) = (list.clone(), fetch.clone());
        use_effect_with(((*status).clone(), (*query).clone()), move |(status, q)| {
            let request = {
                let mut counter = requests.borrow_mut();
                *counter = counter.wrapping_add(1);
                *counter
            };
            list.dispatch(ListAction::Reload(request));
            fetch(request, status.clone(), q.clone(), None);
        });
    }

    let on_more = {
        let (list, status, query, fetch) =
            (list.clone(), status.clone(), query.clone(), fetch.clone());
        Callback::from(move |_: MouseEvent| {
            list.dispatch(ListAction::LoadMore);
            fetch(
                list.request,
                (*status).clone(),
                (*query).clone(),
                list.next_cursor.clone(),
            );
        })
    };
    let on_search = {
        let (search_text, query) = (search_text.clone(), query.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            query.set(search_text.trim().to_owned());
        })
    };
    let on_status = {
        let status = status.clone();
        Callback::from(move |e: Event| status.set(select_value(&e)))
    };
    let on_new = {
        let navigate = app.navigate.clone();
        Callback::from(move |_: MouseEvent| navigate.emit(Route::LeadNew))
    };

    html! {
        <section class="leads">
            <div class="toolbar">
                <h1>{ app.t("leads.title") }</h1>
                if app.can(Resource::Leads, Action::Write) {
                    <button id="new-lead" class="primary" onclick={on_new}>{ app.t("leads.new") }</button>
                }
            </div>
            <form class="filters" onsubmit={on_search}>
                <select id="status-filter" onchange={on_status} aria-label={app.t("leads.status")}>
                    <option value="" selected={status.is_empty()}>{ app.t("leads.all_statuses") }</option>
                    { for LeadStatus::ALL.iter().map(|s| html! {
                        <option value={s.as_str()} selected={*status == s.as_str()}>{ app.t(&format!("lead_status.{}", s.as_str())) }</option>
                    }) }
                </select>
                <input id="search" type="search" placeholder={app.t("leads.search")} value={(*search_text).clone()}
                    oninput={let s = search_text.clone(); move |e: InputEvent| s.set(input_value(&e))} />
                <button type="submit">{ app.t("leads.search_button") }</button>
            </form>
            if let Some(failure) = &list.failure {
                <FailureNote failure={failure.clone()} />
            }
            if list.is_empty() {
                <Empty message="leads.empty" />
            } else if !list.items.is_empty() {
                <table class="list" id="lead-list">
                    <thead><tr>
                        <th>{ app.t("lead.name") }</th>
                        <th>{ app.t("lead.company") }</th>
                        <th>{ app.t("leads.status") }</th>
                        <th class="num">{ app.t("lead.score") }</th>
                    </tr></thead>
                    <tbody>
                        { for list.items.iter().map(|lead| lead_row(&app, lead)) }
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

fn lead_row(app: &crate::context::AppContext, lead: &LeadView) -> Html {
    let route = Route::Lead(lead.id);
    let onclick = {
        let (navigate, route) = (app.navigate.clone(), route.clone());
        Callback::from(move |e: MouseEvent| {
            e.prevent_default();
            navigate.emit(route.clone());
        })
    };
    html! {
        <tr>
            <td data-label={app.t("lead.name")}><a href={route.to_path()} {onclick}>{ &lead.name }</a></td>
            <td data-label={app.t("lead.company")}>{ lead.company.clone().unwrap_or_default() }</td>
            <td data-label={app.t("leads.status")}>{ app.t(&format!("lead_status.{}", lead.status.as_str())) }</td>
            <td class="num" data-label={app.t("lead.score")}>{ lead.score }</td>
        </tr>
    }
}
