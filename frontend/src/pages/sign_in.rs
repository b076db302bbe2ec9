//! Sign in with e-mail and password, then continue where the user was going.

use kedao_api_types::auth::{LoginRequest, TokenPair};
use yew::prelude::*;

use crate::api;
use crate::components::field::input_value;
use crate::components::notice::FailureNote;
use crate::context::use_app;
use crate::i18n::Lang;
use crate::problem::ApiFailure;
use crate::route::Route;

#[derive(Properties, PartialEq)]
pub struct SignInProps {
    /// Where to go after signing in (a path of this app).
    pub next: Option<String>,
}

#[function_component]
pub fn SignIn(props: &SignInProps) -> Html {
    let app = use_app();
    let email = use_state(String::new);
    let password = use_state(String::new);
    let busy = use_state(|| false);
    let failure = use_state(|| None::<ApiFailure>);

    let onsubmit = {
        let (email, password, busy, failure) = (
            email.clone(),
            password.clone(),
            busy.clone(),
            failure.clone(),
        );
        let (signed_in, navigate, next) = (
            app.signed_in.clone(),
            app.navigate.clone(),
            props.next.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let body = LoginRequest {
                email: (*email).clone(),
                password: (*password).clone(),
            };
            let (busy, failure, signed_in, navigate, next) = (
                busy.clone(),
                failure.clone(),
                signed_in.clone(),
                navigate.clone(),
                next.clone(),
            );
            busy.set(true);
            wasm_bindgen_futures::spawn_local(async move {
                match api::post_public::<TokenPair, _>("/api/v1/auth/login", &body).await {
                    Ok(pair) => {
                        signed_in.emit(pair);
                        let to = next
                            .as_deref()
                            .map(|n| {
                                let (path, query) = n.split_once('?').unwrap_or((n, ""));
                                Route::parse(path, query)
                            })
                            .filter(|r| !r.is_public() && *r != Route::NotFound)
                            .unwrap_or(Route::Dashboard);
                        navigate.emit(to);
                    }
                    Err(err) => {
                        busy.set(false);
                        failure.set(Some(err));
                    }
                }
            });
        })
    };
    let on_lang = {
        let set_lang = app.set_lang.clone();
        Callback::from(move |e: Event| {
            set_lang.emit(Lang::from_tag(&crate::components::field::select_value(&e)));
        })
    };

    html! {
        <form class="sign-in card" {onsubmit}>
            <h1>{ app.t("app.name") }</h1>
            <div class="field">
                <label for="email">{ app.t("sign_in.email") }</label>
                <input id="email" type="email" autocomplete="username" required=true value={(*email).clone()}
                    oninput={let s = email.clone(); move |e: InputEvent| s.set(input_value(&e))} />
            </div>
            <div class="field">
                <label for="password">{ app.t("sign_in.password") }</label>
                <input id="password" type="password" autocomplete="current-password" required=true value={(*password).clone()}
                    oninput={let s = password.clone(); move |e: InputEvent| s.set(input_value(&e))} />
            </div>
            if let Some(f) = &*failure {
                if *f == ApiFailure::SignedOut {
                    <p class="failure" role="alert">{ app.t("sign_in.wrong") }</p>
                } else {
                    <FailureNote failure={f.clone()} />
                }
            }
            <button id="sign-in" type="submit" class="primary" disabled={*busy}>{ app.t("sign_in.submit") }</button>
            <select id="language" onchange={on_lang} aria-label={app.t("nav.language")}>
                { for Lang::ALL.iter().map(|l| html! {
                    <option value={l.tag()} selected={*l == app.lang}>{ l.own_name() }</option>
                }) }
            </select>
        </form>
    }
}
