//! The signed-in user's notifications, newest first, a page at a time: each opens the record
//! it is about; one or all can be marked read (the bell counts again).

use kedao_api_types::notifications::{MarkedRead, NotificationView};
use uuid::Uuid;
use yew::prelude::*;

use crate::api;
use crate::components::notice::{Empty, FailureNote, Loading};
use crate::context::{AppContext, use_app};
use crate::notification_text;
use crate::paged_list::{PagedList, use_paged_list_of};
use crate::problem::ApiFailure;
use crate::route::Route;

#[function_component]
pub fn Notifications() -> Html {
    let app = use_app();
    let PagedList {
        list,
        on_more,
        reload,
    } = use_paged_list_of::<NotificationView>("/api/v1/notifications", "50", Vec::new());
    let failure = use_state(|| None::<ApiFailure>);
    let on_read_all = {
        let (app, reload, failure) = (app.clone(), reload.clone(), failure.clone());
        Callback::from(move |_: MouseEvent| {
            let (app, reload, failure) = (app.clone(), reload.clone(), failure.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match api::post::<MarkedRead, _>("/api/v1/notifications/read-all", &()).await {
                    Ok(_) => {
                        failure.set(None);
                        reload.emit(());
                        app.mark_notifications_seen.emit(());
                    }
                    Err(f) => failure.set(app.check(f)),
                }
            });
        })
    };
    let on_read = {
        let (app, failure, reload) = (app.clone(), failure.clone(), reload.clone());
        Callback::from(move |id: Uuid| {
            let (app, failure, reload) = (app.clone(), failure.clone(), reload.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let path = format!("/api/v1/notifications/{id}/read");
                match api::post::<NotificationView, _>(&path, &()).await {
                    Ok(_) => {
                        failure.set(None);
                        reload.emit(());
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
    let (title, summary) = notification_text::wording(app.lang, n);
    let title = match target {
        Some(route) => app.link(route, &title),
        None => html! { <span>{ title }</span> },
    };
    let id = n.id;
    html! {
        <li class={classes!("notification", unread.then_some("unread"))} data-id={n.id.to_string()}
            data-kind={n.kind.as_str()}>
            <strong class="title">{ title }</strong>
            <span class="when">{ " · " }{ app.date(n.created_at) }</span>
            <p class="summary">{ summary }</p>
            if unread {
                <button class="link mark-read" onclick={move |_: MouseEvent| on_read.emit(id)}>
                    { app.t("notifications.mark_read") }
                </button>
            }
        </li>
    }
}
