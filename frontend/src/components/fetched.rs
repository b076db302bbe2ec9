//! One record (or one small list) read for a screen: loading, then the value or the failure.
//! Screens with several independent sections use one of these per section, so each shows its
//! own loading state and a failing section does not blank the others.

use std::rc::Rc;

use serde::de::DeserializeOwned;
use yew::prelude::*;

use crate::api;
use crate::components::notice::{FailureNote, Loading};
use crate::context::use_app;
use crate::problem::ApiFailure;

/// What a section has of its record.
#[derive(Debug, Clone, PartialEq)]
pub enum Fetch<T> {
    Loading,
    Loaded {
        value: Rc<T>,
        /// The version to send back with a change (`If-Match`).
        etag: Option<String>,
    },
    Failed(ApiFailure),
}

impl<T> Fetch<T> {
    pub fn value(&self) -> Option<&T> {
        match self {
            Fetch::Loaded { value, .. } => Some(value),
            _ => None,
        }
    }

    pub fn etag(&self) -> Option<&str> {
        match self {
            Fetch::Loaded { etag, .. } => etag.as_deref(),
            _ => None,
        }
    }

    /// The loading or failure note while there is no value; nothing once there is.
    pub fn note(&self) -> Html {
        match self {
            Fetch::Loading => html! { <Loading /> },
            Fetch::Failed(failure) => html! { <FailureNote failure={failure.clone()} /> },
            Fetch::Loaded { .. } => Html::default(),
        }
    }
}

/// Reads `path` (again whenever `path` or `generation` changes). An ended session goes back
/// to sign-in; other failures are kept for the section to show.
#[hook]
pub fn use_fetched<T>(path: String, generation: u32) -> UseStateHandle<Fetch<T>>
where
    T: DeserializeOwned + 'static,
{
    let app = use_app();
    let state = use_state(|| Fetch::<T>::Loading);
    {
        let state = state.clone();
        use_effect_with((path, generation), move |(path, _)| {
            state.set(Fetch::Loading);
            let path = path.clone();
            wasm_bindgen_futures::spawn_local(async move {
                match api::get::<T>(&path).await {
                    Ok(found) => state.set(Fetch::Loaded {
                        value: Rc::new(found.value),
                        etag: found.etag,
                    }),
                    Err(failure) => {
                        if let Some(failure) = app.check(failure) {
                            state.set(Fetch::Failed(failure));
                        }
                    }
                }
            });
        });
    }
    state
}
