//! Loading, empty and error states, worded alike on every screen.

use yew::prelude::*;

use crate::context::use_app;
use crate::problem::ApiFailure;

#[function_component]
pub fn Loading() -> Html {
    let app = use_app();
    html! { <p class="loading" role="status">{ app.t("state.loading") }</p> }
}

#[derive(Properties, PartialEq)]
pub struct EmptyProps {
    /// Catalogue key of what is missing.
    pub message: AttrValue,
}

#[function_component]
pub fn Empty(props: &EmptyProps) -> Html {
    let app = use_app();
    html! { <p class="empty">{ app.t(&props.message) }</p> }
}

#[derive(Properties, PartialEq)]
pub struct FailureProps {
    pub failure: ApiFailure,
}

/// The general message of a failed request, with the server's explanation when it has one.
#[function_component]
pub fn FailureNote(props: &FailureProps) -> Html {
    let app = use_app();
    html! {
        <p class="failure" role="alert">
            { app.t(props.failure.message_key()) }
            if let Some(detail) = props.failure.detail() {
                <span class="detail">{ format!(" ({detail})") }</span>
            }
        </p>
    }
}
