//! The frame around every signed-in screen: navigation, language switch, sign-out.

use yew::prelude::*;

use crate::components::notification_bell::NotificationBell;
use crate::context::use_app;
use crate::i18n::Lang;
use crate::route::Route;
use kedao_domain::access::{Action, Resource};

#[derive(Properties, PartialEq)]
pub struct ShellProps {
    pub children: Html,
}

#[function_component]
pub fn Shell(props: &ShellProps) -> Html {
    let app = use_app();
    // On a phone the navigation is folded away behind the menu button.
    let menu_open = use_state(|| false);
    let link = |route: Route, key: &str, id: &str| {
        let navigate = app.navigate.clone();
        let menu_open = menu_open.clone();
        let target = route.clone();
        let current = std::mem::discriminant(&app.route) == std::mem::discriminant(&route)
            || (matches!(app.route, Route::LeadNew | Route::Lead(_)) && route == Route::Leads)
            || (matches!(app.route, Route::QuoteNew(_) | Route::Quote(_))
                && route == Route::Pipeline)
            || (matches!(app.route, Route::Account(_) | Route::Statement(_))
                && route == Route::Accounts)
            || (matches!(app.route, Route::Order(_) | Route::OrderNew(_))
                && route == Route::Orders);
        let onclick = Callback::from(move |e: MouseEvent| {
            e.prevent_default();
            menu_open.set(false);
            navigate.emit(target.clone());
        });
        html! {
            <a id={id.to_owned()} href={route.to_path()} class={classes!(current.then_some("current"))} {onclick}>{ app.t(key) }</a>
        }
    };
    let on_lang = {
        let set_lang = app.set_lang.clone();
        Callback::from(move |e: Event| {
            let value = e
                .target_unchecked_into::<web_sys::HtmlSelectElement>()
                .value();
            set_lang.emit(Lang::from_tag(&value));
        })
    };
    let on_sign_out = {
        let sign_out = app.sign_out.clone();
        Callback::from(move |_: MouseEvent| sign_out.emit(()))
    };
    html! {
        <>
            <header class="top">
                <span class="brand">{ app.t("app.name") }</span>
                <button id="menu-toggle" class="menu-toggle" aria-expanded={menu_open.to_string()}
                    onclick={let m = menu_open.clone(); move |_: MouseEvent| m.set(!*m)}>{ app.t("nav.menu") }</button>
                <nav class={classes!(menu_open.then_some("open"))}>
                    { link(Route::Dashboard, "nav.dashboard", "nav-dashboard") }
                    if app.can(Resource::Leads, Action::Read) {
                        { link(Route::Leads, "nav.leads", "nav-leads") }
                    }
                    if app.can(Resource::Accounts, Action::Read) {
                        { link(Route::Accounts, "nav.accounts", "nav-accounts") }
                    }
                    if app.can(Resource::Opportunities, Action::Read) {
                        { link(Route::Pipeline, "nav.pipeline", "nav-pipeline") }
                    }
                    if app.can(Resource::Orders, Action::Read) {
                        { link(Route::Orders, "nav.orders", "nav-orders") }
                    }
                    if app.can(Resource::Products, Action::Read) {
                        { link(Route::Products, "nav.products", "nav-products") }
                    }
                    if app.can(Resource::Receivables, Action::Read) {
                        { link(Route::Receivables, "nav.receivables", "nav-receivables") }
                    }
                    if app.can(Resource::Users, Action::Write) {
                        { link(Route::AdminUsers, "nav.admin_users", "nav-admin-users") }
                    }
                    if app.can(Resource::Pipelines, Action::Write) {
                        { link(Route::AdminPipelines, "nav.admin_pipelines", "nav-admin-pipelines") }
                    }
                </nav>
                <span class="spacer"></span>
                <label class="lang">
                    <span class="sr-only">{ app.t("nav.language") }</span>
                    <select id="language" onchange={on_lang}>
                        { for Lang::ALL.iter().map(|l| html! {
                            <option value={l.tag()} selected={*l == app.lang}>{ l.own_name() }</option>
                        }) }
                    </select>
                </label>
                <NotificationBell />
                if let Some(user) = &app.user {
                    <span class="user" id="current-user">{ &user.display_name }</span>
                }
                <button id="sign-out" class="link" onclick={on_sign_out}>{ app.t("nav.sign_out") }</button>
            </header>
            <main class="screen">{ props.children.clone() }</main>
        </>
    }
}
