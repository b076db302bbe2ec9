//! What every screen may read and do: the language, the signed-in user, navigation, and the
//! session's life cycle. Provided by the app root as a Yew context.

use std::rc::Rc;

use kedao_api_types::auth::TokenPair;
use kedao_api_types::users::UserView;
use kedao_domain::access::{Action, Reach, Resource, reach};
use yew::prelude::*;

use crate::i18n::Lang;
use crate::problem::{ApiFailure, FieldErrors};
use crate::route::Route;

#[derive(Clone, PartialEq)]
pub struct AppContext {
    pub lang: Lang,
    pub user: Option<Rc<UserView>>,
    pub route: Route,
    pub navigate: Callback<Route>,
    pub set_lang: Callback<Lang>,
    /// A sign-in succeeded: keep the session.
    pub signed_in: Callback<TokenPair>,
    pub sign_out: Callback<()>,
    /// A request found the session over: sign in again, then come back to this screen.
    pub session_ended: Callback<()>,
    /// Bumped when the user read notifications, so the bell counts again.
    pub notifications_seen: u32,
    pub mark_notifications_seen: Callback<()>,
}

impl AppContext {
    /// The message for `key` in the reader's language.
    pub fn t(&self, key: &str) -> &'static str {
        self.lang.t(key)
    }

    /// Whether the signed-in user's role may `action` on `resource` at all, by the permission
    /// table the server enforces (`kedao_domain::access`); the server still decides per record,
    /// this only hides what would certainly be refused.
    pub fn can(&self, resource: Resource, action: Action) -> bool {
        self.user
            .as_ref()
            .is_some_and(|u| reach(u.role, resource, action) != Reach::None)
    }

    /// A moment in the reader's language and time zone.
    pub fn date(&self, at: chrono::DateTime<chrono::Utc>) -> String {
        // JavaScript gives minutes *west* of UTC.
        let offset = -(js_sys::Date::new_0().get_timezone_offset() as i64);
        crate::dates::format_date_time(self.lang, at, offset)
    }

    /// A day in the reader's language.
    pub fn day(&self, day: chrono::NaiveDate) -> String {
        crate::dates::format_date(self.lang, day)
    }

    /// A link to an app screen that navigates without reloading the page.
    pub fn link(&self, to: Route, text: &str) -> Html {
        let href = to.to_path();
        let navigate = self.navigate.clone();
        let onclick = Callback::from(move |e: MouseEvent| {
            e.prevent_default();
            navigate.emit(to.clone());
        });
        html! { <a {href} {onclick}>{ text.to_owned() }</a> }
    }

    /// Lets a failed request end the session when that is what it means; returns the failure
    /// for the screen to show otherwise.
    pub fn check(&self, failure: ApiFailure) -> Option<ApiFailure> {
        if failure == ApiFailure::SignedOut {
            self.session_ended.emit(());
            None
        } else {
            Some(failure)
        }
    }

    /// The answer to a versioned save from a form that closes once it is done: saved; or
    /// refused because the record changed meanwhile (`on_stale` closes the form, shows the
    /// refusal and reads the record again, so nobody overwrites what they have not seen); or
    /// refused for its fields, shown on the form.
    pub fn finish_versioned_save<T>(
        &self,
        saved: Result<T, ApiFailure>,
        on_saved: &Callback<()>,
        on_stale: &Callback<ApiFailure>,
        errors: &UseStateHandle<FieldErrors>,
        failure: &UseStateHandle<Option<ApiFailure>>,
    ) {
        match saved {
            Ok(_) => on_saved.emit(()),
            Err(stale @ ApiFailure::Stale(_)) => on_stale.emit(stale),
            Err(err) => self.show_form_failure(err, errors, failure),
        }
    }

    /// A form's failed submit: the field errors beside their fields, the rest as the form's
    /// failure (unless it ended the session).
    pub fn show_form_failure(
        &self,
        failure: ApiFailure,
        errors: &UseStateHandle<FieldErrors>,
        shown: &UseStateHandle<Option<ApiFailure>>,
    ) {
        if let Some(failure) = self.check(failure) {
            errors.set(failure.field_errors());
            shown.set(Some(failure));
        }
    }
}

/// The context, for components under the app root.
#[hook]
pub fn use_app() -> AppContext {
    use_context::<AppContext>().unwrap_or_else(|| AppContext {
        lang: Lang::En,
        user: None,
        route: Route::NotFound,
        navigate: Callback::noop(),
        set_lang: Callback::noop(),
        signed_in: Callback::noop(),
        sign_out: Callback::noop(),
        session_ended: Callback::noop(),
        notifications_seen: 0,
        mark_notifications_seen: Callback::noop(),
    })
}
