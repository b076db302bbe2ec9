//! The root: holds the session, the language and the current screen, and renders the shell.

use std::rc::Rc;

use gloo_timers::callback::Timeout;
use kedao_api_types::auth::{RefreshRequest, TokenPair};
use kedao_api_types::users::UserView;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use yew::prelude::*;

use crate::api::client::{self, current_tokens, forget_session, keep_session, now_ms};
use crate::components::shell::Shell;
use crate::context::AppContext;
use crate::i18n::{self, Lang};
use crate::pages;
use crate::problem::ApiFailure;
use crate::route::Route;

#[function_component]
pub fn App() -> Html {
    let lang = use_state(i18n::initial_lang);
    let route = use_state(current_route);
    let user = use_state(|| None::<Rc<UserView>>);
    // Bumped whenever the tokens change, to reschedule the silent refresh.
    let notifications_seen = use_state(|| 0_u32);
    let session_generation = use_state(|| client::restore_session().map(|_| 0_u32));

    // Back and forward buttons.
    {
        let route = route.clone();
        use_effect_with((), move |_| {
            let listener = Closure::<dyn Fn()>::new(move || route.set(current_route()));
            let window = web_sys::window();
            if let Some(w) = &window {
                let _ = w.add_event_listener_with_callback(
                    "popstate",
                    listener.as_ref().unchecked_ref(),
                );
            }
            move || {
                if let Some(w) = window {
                    let _ = w.remove_event_listener_with_callback(
                        "popstate",
                        listener.as_ref().unchecked_ref(),
                    );
                }
            }
        });
    }

    let navigate = {
        let route = route.clone();
        Callback::from(move |to: Route| {
            push_history(&to.to_path());
            route.set(to);
        })
    };

    let session_ended = {
        let (route, user, generation) = (route.clone(), user.clone(), session_generation.clone());
        Callback::from(move |()| {
            forget_session();
            user.set(None);
            generation.set(None);
            let next = if route.is_public() {
                None
            } else {
                Some(current_path())
            };
            let to = Route::SignIn { next };
            push_history(&to.to_path());
            route.set(to);
        })
    };

    // A restored session: who is signed in?
    {
        let (user, ended) = (user.clone(), session_ended.clone());
        let has_session = session_generation.is_some();
        use_effect_with(has_session, move |has_session| {
            if *has_session && user.is_none() {
                wasm_bindgen_futures::spawn_local(async move {
                    match client::get::<UserView>("/api/v1/auth/me").await {
                        Ok(me) => user.set(Some(Rc::new(me.value))),
                        Err(ApiFailure::SignedOut) => ended.emit(()),
                        // Unreachable for now: the screens show their own errors.
                        Err(_) => {}
                    }
                });
            }
        });
    }

    // The silent refresh, a minute before the access token ends.
    {
        let (generation, ended) = (session_generation.clone(), session_ended.clone());
        use_effect_with(*session_generation, move |current| {
            let timer = current.and(current_tokens()).map(|tokens| {
                let generation = generation.clone();
                Timeout::new(tokens.refresh_delay_ms(now_ms()), move || {
                    wasm_bindgen_futures::spawn_local(async move {
                        match client::refresh_session().await {
                            Ok(_) => generation.set(generation.map(|g| g.wrapping_add(1))),
                            Err(ApiFailure::SignedOut) => ended.emit(()),
                            // The server is unreachable for now: not a reason to sign out. The
                            // next request refreshes (or finds the session over) by itself.
                            Err(_) => {}
                        }
                    });
                })
            });
            move || drop(timer)
        });
    }

    let signed_in = {
        let (user, generation) = (user.clone(), session_generation.clone());
        Callback::from(move |pair: TokenPair| {
            keep_session(&pair);
            user.set(Some(Rc::new(pair.user)));
            generation.set(Some(generation.map_or(0, |g| g.wrapping_add(1))));
        })
    };

    let sign_out = {
        let (user, generation, navigate) =
            (user.clone(), session_generation.clone(), navigate.clone());
        Callback::from(move |()| {
            if let Some(tokens) = current_tokens() {
                let body = RefreshRequest {
                    refresh_token: tokens.refresh_token,
                };
                wasm_bindgen_futures::spawn_local(async move {
                    // Signing out here does not wait for the server: the session is gone locally.
                    let _ = client::post_public::<(), _>("/api/v1/auth/logout", &body).await;
                });
            }
            forget_session();
            user.set(None);
            generation.set(None);
            navigate.emit(Route::SignIn { next: None });
        })
    };

    let set_lang = {
        let lang = lang.clone();
        Callback::from(move |new: Lang| {
            i18n::remember_lang(new);
            lang.set(new);
        })
    };

    let context = AppContext {
        lang: *lang,
        user: (*user).clone(),
        route: (*route).clone(),
        navigate,
        set_lang,
        signed_in,
        sign_out,
        session_ended,
        notifications_seen: *notifications_seen,
        mark_notifications_seen: Callback::from(move |()| {
            notifications_seen.set(notifications_seen.wrapping_add(1))
        }),
    };
    i18n::set_document_lang(*lang);

    let signed_in_now = session_generation.is_some();
    let screen = match (&*route, signed_in_now) {
        (Route::SignIn { next }, _) => html! { <pages::sign_in::SignIn next={next.clone()} /> },
        // Not signed in: sign in here, then continue to this very screen.
        (other, false) => html! { <pages::sign_in::SignIn next={Some(other.to_path())} /> },
        (Route::Dashboard, true) => html! { <pages::dashboard::Dashboard /> },
        (Route::Leads, true) => html! { <pages::leads::Leads /> },
        (Route::LeadNew, true) => html! { <pages::lead_new::LeadNew /> },
        (Route::Lead(id), true) => html! { <pages::lead_detail::LeadDetail id={*id} /> },
        (Route::Pipeline, true) => html! { <pages::pipeline::Pipeline /> },
        (Route::QuoteNew(id), true) => html! { <pages::quote_new::QuoteNew opportunity={*id} /> },
        (Route::Receivables, true) => html! { <pages::receivables::Receivables /> },
        (Route::Accounts, true) => html! { <pages::accounts::Accounts /> },
        (Route::Account(id), true) => {
            html! { <pages::account_detail::AccountDetail key={id.to_string()} id={*id} /> }
        }
        (Route::Quote(id), true) => {
            html! { <pages::quote_detail::QuoteDetail key={id.to_string()} id={*id} /> }
        }
        (Route::Orders, true) => html! { <pages::orders::Orders /> },
        (Route::Products, true) => html! { <pages::products::Products /> },
        (Route::Order(id), true) => {
            html! { <pages::order_detail::OrderDetail key={id.to_string()} id={*id} /> }
        }
        (Route::OrderNew(id), true) => {
            html! { <pages::order_new::OrderNew key={id.to_string()} account={*id} /> }
        }
        (Route::Statement(id), true) => {
            html! { <pages::statement::Statement key={id.to_string()} account={*id} /> }
        }
        (Route::AdminUsers, true) => html! { <pages::admin_users::AdminUsers /> },
        (Route::AdminPipelines, true) => html! { <pages::admin_pipelines::AdminPipelines /> },
        (Route::Notifications, true) => html! { <pages::notifications::Notifications /> },
        (Route::NotFound, true) => html! { <p class="empty">{ context.t("nav.not_found") }</p> },
    };
    let show_shell = signed_in_now && !route.is_public();

    html! {
        <ContextProvider<AppContext> context={context}>
            if show_shell {
                <Shell>{ screen }</Shell>
            } else {
                <main class="public">{ screen }</main>
            }
        </ContextProvider<AppContext>>
    }
}

fn current_route() -> Route {
    let location = web_sys::window().map(|w| w.location());
    let path = location
        .as_ref()
        .and_then(|l| l.pathname().ok())
        .unwrap_or_default();
    let query = location
        .as_ref()
        .and_then(|l| l.search().ok())
        .unwrap_or_default();
    Route::parse(&path, &query)
}

fn current_path() -> String {
    let location = web_sys::window().map(|w| w.location());
    let path = location
        .as_ref()
        .and_then(|l| l.pathname().ok())
        .unwrap_or_default();
    let query = location
        .as_ref()
        .and_then(|l| l.search().ok())
        .unwrap_or_default();
    format!("{path}{query}")
}

fn push_history(path: &str) {
    if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
        let _ = history.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(path));
    }
}
