//! The lead list: filter by status, free-text search, a page at a time ("more").

use kedao_api_types::leads::LeadView;
use kedao_domain::access::{Action, Resource};
use kedao_domain::lead::LeadStatus;
use yew::prelude::*;

use crate::components::field::{input_value, select_value};
use crate::components::notice::{Empty, FailureNote, Loading};
use crate::context::use_app;
use crate::paged_list::{PagedList, use_paged_list};
use crate::route::Route;

#[function_component]
pub fn Leads() -> Html {
    let app = use_app();
    let status = use_state(String::new);
    let search_text = use_state(String::new);
    // The search that is applied (the text box applies on submit).
    let query = use_state(String::new);
    let PagedList { list, on_more, .. } = use_paged_list::<LeadView>(
        "/api/v1/leads",
        vec![
            ("status", Some((*status).clone())),
            ("q", Some((*query).clone())),
        ],
    );

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
