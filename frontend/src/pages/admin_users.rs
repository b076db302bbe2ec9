//! Administration of people (admins only): users (list, create, deactivate or reactivate)
//! and teams (list, create). The server refuses anyone else; the menu hides the screen from
//! roles that may not change users.

use kedao_api_types::ListPage;
use kedao_api_types::users::{TeamCreate, TeamView, UserCreate, UserUpdate, UserView};
use kedao_domain::access::Role;
use uuid::Uuid;
use yew::prelude::*;

use crate::api::{self, etag_of};
use crate::components::fetched::use_fetched;
use crate::components::field::{Field, input_value, select_value};
use crate::components::notice::FailureNote;
use crate::context::{AppContext, use_app};
use crate::problem::{ApiFailure, FieldErrors};

#[function_component]
pub fn AdminUsers() -> Html {
    let app = use_app();
    let generation = use_state(|| 0_u32);
    let users = use_fetched::<ListPage<UserView>>(
        "/api/v1/users?limit=200&sort=display_name".to_owned(),
        *generation,
    );
    let teams =
        use_fetched::<ListPage<TeamView>>("/api/v1/teams?limit=200".to_owned(), *generation);
    let failure = use_state(|| None::<ApiFailure>);
    let reload = {
        let generation = generation.clone();
        Callback::from(move |()| generation.set(*generation + 1))
    };
    let on_active = {
        let (app, failure, reload) = (app.clone(), failure.clone(), reload.clone());
        Callback::from(move |(user, active): (UserView, bool)| {
            let (app, failure, reload) = (app.clone(), failure.clone(), reload.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let body = UserUpdate {
                    active: Some(active),
                    ..UserUpdate::default()
                };
                let path = format!("/api/v1/users/{}", user.id);
                match api::patch::<UserView, _>(&path, &body, &etag_of(user.version)).await {
                    Ok(_) => reload.emit(()),
                    Err(err) => failure.set(app.check(err)),
                }
            });
        })
    };
    let team_list: Vec<TeamView> = teams.value().map(|p| p.items.clone()).unwrap_or_default();
    html! {
        <section class="admin" id="admin-users">
            <h1>{ app.t("admin.users") }</h1>
            if let Some(f) = &*failure {
                <FailureNote failure={f.clone()} />
            }
            { users.note() }
            if let Some(page) = users.value() {
                <table class="list" id="user-list">
                    <thead><tr>
                        <th>{ app.t("admin.display_name") }</th>
                        <th>{ app.t("sign_in.email") }</th>
                        <th>{ app.t("admin.role") }</th>
                        <th>{ app.t("admin.team") }</th>
                        <th></th>
                    </tr></thead>
                    <tbody>
                        { for page.items.iter().map(|u| user_row(&app, u, &team_list, &on_active)) }
                    </tbody>
                </table>
            }
            <NewUser teams={team_list.clone()} on_created={reload.clone()} />
            <h2>{ app.t("admin.teams") }</h2>
            { teams.note() }
            <ul class="plain" id="team-list">
                { for team_list.iter().map(|t| html! {
                    <li class="team" data-team={t.id.to_string()}>
                        <strong>{ &t.name }</strong>
                        if let Some(parent) = t.parent_id.and_then(|p| team_list.iter().find(|x| x.id == p)) {
                            { " · " }{ app.t("admin.parent_team") }{ " " }{ &parent.name }
                        }
                    </li>
                }) }
            </ul>
            <NewTeam teams={team_list} on_created={reload} />
        </section>
    }
}

fn user_row(
    app: &AppContext,
    u: &UserView,
    teams: &[TeamView],
    on_active: &Callback<(UserView, bool)>,
) -> Html {
    let team = u
        .team_id
        .and_then(|id| teams.iter().find(|t| t.id == id))
        .map(|t| t.name.clone())
        .unwrap_or_default();
    let onclick = {
        let (on_active, user) = (on_active.clone(), u.clone());
        Callback::from(move |_: MouseEvent| on_active.emit((user.clone(), !user.active)))
    };
    let is_me = app.user.as_ref().is_some_and(|me| me.id == u.id);
    html! {
        <tr class={classes!("user", (!u.active).then_some("inactive"))} data-user={u.id.to_string()}>
            <td data-label={app.t("admin.display_name")}>{ &u.display_name }</td>
            <td data-label={app.t("sign_in.email")}>{ &u.email }</td>
            <td data-label={app.t("admin.role")}>{ app.t(&format!("role.{}", u.role.as_str())) }</td>
            <td data-label={app.t("admin.team")}>{ team }</td>
            <td>
                if !is_me {
                    <button class="toggle-active" {onclick}>
                        { app.t(if u.active { "admin.deactivate" } else { "admin.reactivate" }) }
                    </button>
                }
            </td>
        </tr>
    }
}

#[derive(Properties, PartialEq)]
struct NewProps {
    teams: Vec<TeamView>,
    on_created: Callback<()>,
}

#[function_component]
fn NewUser(props: &NewProps) -> Html {
    let app = use_app();
    let email = use_state(String::new);
    let name = use_state(String::new);
    let password = use_state(String::new);
    let role = use_state(|| Role::Sales);
    let team = use_state(|| None::<Uuid>);
    let errors = use_state(FieldErrors::default);
    let failure = use_state(|| None::<ApiFailure>);
    let onsubmit = {
        let (email, name, password, role, team, errors, failure, app) = (
            email.clone(),
            name.clone(),
            password.clone(),
            role.clone(),
            team.clone(),
            errors.clone(),
            failure.clone(),
            app.clone(),
        );
        let on_created = props.on_created.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let body = UserCreate {
                email: email.trim().to_owned(),
                display_name: name.trim().to_owned(),
                password: (*password).clone(),
                role: *role,
                team_id: *team,
                dealer_id: None,
            };
            let (errors, failure, app, on_created, email, name, password) = (
                errors.clone(),
                failure.clone(),
                app.clone(),
                on_created.clone(),
                email.clone(),
                name.clone(),
                password.clone(),
            );
            wasm_bindgen_futures::spawn_local(async move {
                match api::post::<UserView, _>("/api/v1/users", &body).await {
                    Ok(_) => {
                        errors.set(FieldErrors::default());
                        failure.set(None);
                        email.set(String::new());
                        name.set(String::new());
                        password.set(String::new());
                        on_created.emit(());
                    }
                    Err(err) => {
                        app.show_form_failure(err, &errors, &failure);
                    }
                }
            });
        })
    };
    let text = |state: &UseStateHandle<String>| {
        let s = state.clone();
        Callback::from(move |e: InputEvent| s.set(input_value(&e)))
    };
    html! {
        <form class="card form" id="new-user" {onsubmit}>
            <h2>{ app.t("admin.new_user") }</h2>
            <Field name="email" label="sign_in.email" errors={(*errors).clone()}>
                <input id="field-email" type="email" value={(*email).clone()} oninput={text(&email)} />
            </Field>
            <Field name="display_name" label="admin.display_name" errors={(*errors).clone()}>
                <input id="field-display_name" value={(*name).clone()} oninput={text(&name)} />
            </Field>
            <Field name="password" label="sign_in.password" errors={(*errors).clone()}>
                <input id="field-password" type="password" value={(*password).clone()} oninput={text(&password)} />
            </Field>
            <Field name="role" label="admin.role" errors={(*errors).clone()}>
                <select id="field-role" onchange={let r = role.clone(); move |e: Event| if let Some(v) = Role::parse(&select_value(&e)) { r.set(v) }}>
                    { for Role::ALL.iter().filter(|r| !r.is_dealer()).map(|r| html! {
                        <option value={r.as_str()} selected={*r == *role}>{ app.t(&format!("role.{}", r.as_str())) }</option>
                    }) }
                </select>
            </Field>
            <Field name="team_id" label="admin.team" errors={(*errors).clone()}>
                <select id="field-team_id" onchange={let t = team.clone(); move |e: Event| t.set(select_value(&e).parse().ok())}>
                    <option value="" selected={team.is_none()}>{ "—" }</option>
                    { for props.teams.iter().map(|t| html! {
                        <option value={t.id.to_string()} selected={*team == Some(t.id)}>{ &t.name }</option>
                    }) }
                </select>
            </Field>
            if let Some(f) = &*failure {
                <FailureNote failure={f.clone()} />
            }
            <button id="create-user" type="submit" class="primary">{ app.t("admin.create") }</button>
        </form>
    }
}

#[function_component]
fn NewTeam(props: &NewProps) -> Html {
    let app = use_app();
    let name = use_state(String::new);
    let parent = use_state(|| None::<Uuid>);
    let errors = use_state(FieldErrors::default);
    let failure = use_state(|| None::<ApiFailure>);
    let onsubmit = {
        let (name, parent, errors, failure, app) = (
            name.clone(),
            parent.clone(),
            errors.clone(),
            failure.clone(),
            app.clone(),
        );
        let on_created = props.on_created.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let body = TeamCreate {
                name: name.trim().to_owned(),
                parent_id: *parent,
            };
            let (name, errors, failure, app, on_created) = (
                name.clone(),
                errors.clone(),
                failure.clone(),
                app.clone(),
                on_created.clone(),
            );
            wasm_bindgen_futures::spawn_local(async move {
                match api::post::<TeamView, _>("/api/v1/teams", &body).await {
                    Ok(_) => {
                        errors.set(FieldErrors::default());
                        failure.set(None);
                        name.set(String::new());
                        on_created.emit(());
                    }
                    Err(err) => {
                        app.show_form_failure(err, &errors, &failure);
                    }
                }
            });
        })
    };
    html! {
        <form class="card form" id="new-team" {onsubmit}>
            <Field name="name" label="admin.team_name" errors={(*errors).clone()}>
                <input id="field-team-name" value={(*name).clone()}
                    oninput={let s = name.clone(); move |e: InputEvent| s.set(input_value(&e))} />
            </Field>
            <Field name="parent_id" label="admin.parent_team" errors={(*errors).clone()}>
                <select id="field-parent_id" onchange={let p = parent.clone(); move |e: Event| p.set(select_value(&e).parse().ok())}>
                    <option value="" selected={parent.is_none()}>{ "—" }</option>
                    { for props.teams.iter().map(|t| html! {
                        <option value={t.id.to_string()}>{ &t.name }</option>
                    }) }
                </select>
            </Field>
            if let Some(f) = &*failure {
                <FailureNote failure={f.clone()} />
            }
            <button id="create-team" type="submit" class="primary">{ app.t("admin.new_team") }</button>
        </form>
    }
}
