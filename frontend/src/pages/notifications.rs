//! The signed-in user's notifications, newest first, a page at a time: each opens the record
//! it is about; one or all can be marked read (the bell counts again).

use kedao_api_types::ListPage;
use kedao_api_types::notifications::{MarkedRead, NotificationView};
use uuid::Uuid;
use yew::prelude::*;

use crate::api::{self, with_query};
use crate::components::notice::{Empty, FailureNote, Loading};
use crate::context::{AppContext, use_app};
use crate::list_state::{ListAction, ListState};
use crate::problem::ApiFailure;
use crate::route::Route;

#[function_component]
pub fn Notifications() -> Html {
    let app = use_app();
    let list = use_reducer(ListState::<NotificationView>::default);
    // Bumped to read the list again from the top.
    let reading = use_state(|| 1_u32);
    let failure = use_state(|| None::<ApiFailure>);
    let fetch = {
        let (list, app) = (list.dispatcher(), app.clone());
        move |request: u32, cursor: Option<String>| {
            let (list, app) = (list.clone(), app.clone());
            let append = cursor.is_some();
            let path = with_query(
                "/api/v1/notifications",
                &[("limit", Some("50")), ("cursor", cursor.as_deref())],
            );
            wasm_bindgen_futures::spawn_local(async move {
                match api::get::<ListPage<NotificationView>>(&path).await {
                    Ok(found) => list.dispatch(ListAction::Page {
                        request,
                        page: found.value,
                        append,
                    }),
                    Err(f) => {
                        if let Some(failure) = app.check(f) {
                            list.dispatch(ListAction::Failed { request, failure });
                        }
                    }
                }
            });
        }
    };
    {
        let (fetch, list) = (fetch.clone(), list.dispatcher());
        use_effect_with(*reading, move |request| {
            list.dispatch(ListAction::Reload(*request));
            fetch(*request, None);
        });
    }
    let on_more = {
        let (request, cursor) = (list.request, list.next_cursor.clone());
        let (fetch, list) = (fetch, list.dispatcher());
        Callback::from(move |_: MouseEvent| {
            list.dispatch(ListAction::LoadMore);
            fetch(request, cursor.clone());
        })
    };
    let on_read_all = {
        let (app, reading, failure) = (app.clone(), reading.clone(), failure.clone());
        Callback::from(move |_: MouseEvent| {
            let (app, reading, failure) = (app.clone(), reading.clone(), failure.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match api::post::<MarkedRead, _>("/api/v1/notifications/read-all", &()).await {
                    Ok(_) => {
                        failure.set(None);
                        reading.set(*reading + 1);
                        app.mark_notifications_seen.emit(());
                    }
                    Err(f) => failure.set(app.check(f)),
                }
            });
        })
    };
    let on_read = {
        let (app, failure, reading) = (app.clone(), failure.clone(), reading.clone());
        Callback::from(move |id: Uuid| {
            let (app, failure, reading) = (app.clone(), failure.clone(), reading.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let path = format!("/api/v1/notifications/{id}/read");
                match api::post::<NotificationView, _>(&path, &()).await {
                    Ok(_) => {
                        failure.set(None);
                        reading.set(*reading + 1);
                        app.mark_notifications_seen.emit(());
                    }
                    Err(f) => failure.set(app.check(f)),
                }
            });
        })
    };
    let any_unread = list.items.iter().any(|n| n.read_at.is_none());
    html! {
        <section class="notifications" id="notifications">
            <div class="toolbar">
                <h1>{ app.t("notifications.title") }</h1>
                if any_unread {
                    <button id="read-all" onclick={on_read_all}>{ app.t("notifications.read_all") }</button>
                }
            </div>
            if let Some(f) = &*failure {
                <FailureNote failure={f.clone()} />
            }
            if let Some(f) = &list.failure {
                <FailureNote failure={f.clone()} />
            }
            if list.is_empty() {
                <Empty message="notifications.empty" />
            }
            <ul class="plain" id="notification-list">
                { for list.items.iter().map(|n| item(&app, n, on_read.clone())) }
            </ul>
            if list.loading {
                <Loading />
            } else if list.next_cursor.is_some() {
                <button id="more" onclick={on_more}>{ app.t("list.more") }</button>
            }
        </section>
    }
}

fn item(app: &AppContext, n: &NotificationView, on_read: Callback<Uuid>) -> Html {
    let unread = n.read_at.is_none();
    let target = n
        .record_type
        .zip(n.record_id)
        .and_then(|(kind, id)| Route::of_record(kind, id));
    let title = match target {
        Some(route) => app.link(route, &n.title),
        None => html! { <span>{ &n.title }</span> },
    };
    let id = n.id;
    html! {
        <li class={classes!("notification", unread.then_some("unread"))} data-id={n.id.to_string()}
            data-kind={n.kind.as_str()}>
            <strong class="title">{ title }</strong>
            <span class="when">{ " · " }{ app.date(n.created_at) }</span>
            <p class="summary">{ &n.summary }</p>
            if unread {
                <button class="link mark-read" onclick={move |_: MouseEvent| on_read.emit(id)}>
                    { app.t("notifications.mark_read") }
                </button>
            }
        </li>
    }
}
