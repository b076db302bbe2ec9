//! The history of a customer's key fields on the 360 view, as people read it (see
//! `field_history`): who changed what, when, from what to what.

use kedao_api_types::ListPage;
use kedao_api_types::credit::AccountCreditView;
use kedao_api_types::dealers::DealerView;
use kedao_api_types::history::FieldChangeView;
use kedao_api_types::pipelines::PipelineView;
use kedao_api_types::users::UserView;
use kedao_domain::Currency;
use kedao_domain::access::Resource;
use yew::prelude::*;

use crate::components::fetched::use_fetched;
use crate::components::notice::Empty;
use crate::context::{AppContext, use_app};
use crate::field_history::{Names, currency_for, field_label, show_value};
use crate::i18n::Lang;
use crate::pages::account_activity::AccountProps;

/// Who changed which key field of the account, newest first, with names, money and days
/// as people read them (`field_history`).
#[function_component]
pub fn AccountHistory(props: &AccountProps) -> Html {
    let app = use_app();
    let history = use_fetched::<ListPage<FieldChangeView>>(
        format!("/api/v1/accounts/{}/history?sort=-at&limit=50", props.id),
        0,
    );
    let names = use_history_names();
    let credit =
        use_fetched::<AccountCreditView>(format!("/api/v1/accounts/{}/credit", props.id), 0);
    let current_currency = credit.value().and_then(|c| c.currency);
    html! {
        <section class="card" id="account-history">
            <h2>{ app.t("account.history") }</h2>
            { history.note() }
            if let Some(page) = history.value() {
                if page.items.is_empty() {
                    <Empty message="account.history_empty" />
                } else {
                    <ul class="plain">
                        { for page.items.iter().map(|c| change_line(&app, c, &page.items, &names, current_currency)) }
                    </ul>
                }
            }
        </section>
    }
}

fn change_line(
    app: &AppContext,
    change: &FieldChangeView,
    page: &[FieldChangeView],
    names: &Names,
    current: Option<Currency>,
) -> Html {
    let resource = Resource::Accounts;
    let side = |value: &Option<String>, old: bool| {
        let currency = currency_for(resource, change, page, old, current);
        show_value(
            app.lang,
            resource,
            &change.field,
            value.as_deref(),
            names,
            currency,
        )
    };
    let actor = change.actor_id.and_then(|id| names.users.get(&id).cloned());
    html! {
        <li class="change" data-field={change.field.clone()}>
            <span class="when">{ app.date(change.at) }</span>{ " · " }
            <strong class="field">{ field_label(app.lang, &change.field) }</strong>{ ": " }
            <span class="old">{ side(&change.old_value, true) }</span>{ " → " }
            <span class="new">{ side(&change.new_value, false) }</span>
            if let Some(actor) = actor {
                <span class="muted">{ format!(" · {} {actor}", app.t("history.by")) }</span>
            }
        </li>
    }
}

/// The names history values may point at: users, stages and dealers the caller may list
/// (each read once; what cannot be read stays an id).
#[hook]
fn use_history_names() -> Names {
    let app = use_app();
    let users = use_fetched::<ListPage<UserView>>("/api/v1/users?limit=200".to_owned(), 0);
    let pipelines = use_fetched::<ListPage<PipelineView>>("/api/v1/pipelines".to_owned(), 0);
    let dealers = use_fetched::<ListPage<DealerView>>("/api/v1/dealers?limit=200".to_owned(), 0);
    let mut names = Names::default();
    if let Some(page) = users.value() {
        names.users = page
            .items
            .iter()
            .map(|u| (u.id, u.display_name.clone()))
            .collect();
    }
    if let Some(page) = pipelines.value() {
        names.stages = page
            .items
            .iter()
            .flat_map(|p| &p.stages)
            .map(|s| {
                let name = match (app.lang, &s.name_zh) {
                    (Lang::ZhCn, Some(zh)) => zh.clone(),
                    _ => s.name.clone(),
                };
                (s.id, name)
            })
            .collect();
    }
    if let Some(page) = dealers.value() {
        names.dealers = page.items.iter().map(|d| (d.id, d.name.clone())).collect();
    }
    names
}
