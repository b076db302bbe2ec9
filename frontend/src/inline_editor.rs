//! One hook for an editor that opens in place of a record's view (an order's payment plan, a
//! draft quote): whether it is open, and what its save, its refusal as stale and its cancel
//! do. A save or a refusal closes it and reads the record again (through the screen's
//! `generation`); a refusal also shows on the screen, so nobody overwrites what they have not
//! seen.

use yew::prelude::*;

use crate::problem::ApiFailure;

/// The editor's state and the callbacks to hand it.
pub struct InlineEditor {
    pub open: UseStateHandle<bool>,
    pub on_saved: Callback<()>,
    pub on_stale: Callback<ApiFailure>,
    pub on_cancel: Callback<()>,
}

#[hook]
pub fn use_inline_editor(
    generation: &UseStateHandle<u32>,
    failure: &UseStateHandle<Option<ApiFailure>>,
) -> InlineEditor {
    let open = use_state(|| false);
    let on_saved = {
        let (open, failure, generation) = (open.clone(), failure.clone(), generation.clone());
        Callback::from(move |()| {
            open.set(false);
            failure.set(None);
            generation.set(*generation + 1);
        })
    };
    let on_stale = {
        let (open, failure, generation) = (open.clone(), failure.clone(), generation.clone());
        Callback::from(move |stale: ApiFailure| {
            open.set(false);
            failure.set(Some(stale));
            generation.set(*generation + 1);
        })
    };
    let on_cancel = {
        let open = open.clone();
        Callback::from(move |()| open.set(false))
    };
    InlineEditor {
        open,
        on_saved,
        on_stale,
        on_cancel,
    }
}
