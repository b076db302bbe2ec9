//! The bell in the shell: how many notifications are unread, linking to the list. Counted
//! again on every navigation, when the user read some, and every minute (mentions and
//! reminders arrive without the user doing anything).

use gloo_timers::callback::Interval;
use kedao_api_types::notifications::UnreadCount;
use yew::prelude::*;

use crate::api;
use crate::context::use_app;
use crate::route::Route;

const RECOUNT_MS: u32 = 60_000;

/// The badge's text: nothing at zero, `99+` past 99.
pub fn badge(unread: u64) -> Option<String> {
    match unread {
        0 => None,
        1..=99 => Some(unread.to_string()),
        _ => Some("99+".to_owned()),
    }
}

#[function_component]
pub fn NotificationBell() -> Html {
    let app = use_app();
    let unread = use_state(|| 0_u64);
    let tick = use_state(|| 0_u32);
    {
        let tick = tick.clone();
        use_effect_with((), move |_| {
            let interval = Interval::new(RECOUNT_MS, move || tick.set(tick.wrapping_add(1)));
            move || drop(interval)
        });
    }
    {
        let (unread, app) = (unread.clone(), app.clone());
        let when = (app.route.clone(), app.notifications_seen, *tick);
        use_effect_with(when, move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                match api::get::<UnreadCount>("/api/v1/notifications/unread-count").await {
                    Ok(found) => unread.set(found.value.unread),
                    // The count is a hint: a failed recount keeps the last one, but an ended
                    // session still goes back to sign-in.
                    Err(failure) => {
                        app.check(failure);
                    }
                }
            });
        });
    }
    let onclick = {
        let navigate = app.navigate.clone();
        Callback::from(move |e: MouseEvent| {
            e.prevent_default();
            navigate.emit(Route::Notifications);
        })
    };
    let label = format!("{} ({})", app.t("notifications.title"), *unread);
    html! {
        <a id="notification-bell" class="bell" href={Route::Notifications.to_path()}
            title={label.clone()} aria-label={label} data-unread={unread.to_string()} {onclick}>
            <span aria-hidden="true">{ "🔔" }</span>
            if let Some(text) = badge(*unread) {
                <span class="badge" id="unread-count">{ text }</span>
            }
        </a>
    }
}

#[cfg(test)]
mod tests {
    use super::badge;

    #[test]
    fn the_badge_hides_at_zero_and_caps_at_99() {
        assert_eq!(badge(0), None);
        assert_eq!(badge(1).as_deref(), Some("1"));
        assert_eq!(badge(99).as_deref(), Some("99"));
        assert_eq!(badge(100).as_deref(), Some("99+"));
    }
}
