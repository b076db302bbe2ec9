//! What every screen may read and do: the language, the signed-in user, navigation, and the
//! session's life cycle. Provided by the app root as a Yew context.

use std::rc::Rc;

use kedao_api_types::auth::TokenPair;
use kedao_api_types::users::UserView;
use yew::prelude::*;

use crate::i18n::Lang;
use crate::problem::ApiFailure;
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
}

impl AppContext {
    /// The message for `key` in the reader's language.
    pub fn t(&self, key: &str) -> &'static str {
        self.lang.t(key)
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
    })
}
