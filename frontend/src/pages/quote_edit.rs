//! Changing a draft quote (a new one, or the revision opened to change a sent one): its lines
//! through the quote builder's line editor, priced live, its validity and notes. Sent with the
//! version it was read at, so a change made meanwhile is refused rather than overwritten.

use chrono::NaiveDate;
use kedao_api_types::quotes::{QuoteUpdate, QuoteView};
use yew::prelude::*;

use crate::api;
use crate::components::field::input_value;
use crate::components::line_editor::LineEditor;
use crate::components::notice::FailureNote;
use crate::context::use_app;
use crate::problem::{ApiFailure, FieldErrors};
use crate::quote_draft::{LineDraft, preview, request_lines};

#[derive(Properties, PartialEq)]
pub struct QuoteEditorProps {
    pub quote: QuoteView,
    /// The quote's ETag, sent as `If-Match`.
    pub etag: AttrValue,
    pub on_saved: Callback<()>,
    pub on_cancel: Callback<()>,
    /// The quote changed meanwhile: the editor closes, the refusal shows and the quote is
    /// read again.
    pub on_stale: Callback<ApiFailure>,
}

#[function_component]
pub fn QuoteEditor(props: &QuoteEditorProps) -> Html {
    let app = use_app();
    let quote = &props.quote;
    let lines = use_state(|| {
        quote
            .lines
            .iter()
            .map(LineDraft::from_line)
            .collect::<Vec<_>>()
    });
    let valid_until = use_state(|| quote.valid_until.to_string());
    let notes = use_state(|| quote.notes.clone().unwrap_or_default());
    let server_errors = use_state(FieldErrors::default);
    let failure = use_state(|| None::<ApiFailure>);
    let busy = use_state(|| false);
    let currency = quote.currency;

    let on_lines = {
        let lines = lines.clone();
        Callback::from(move |next: Vec<LineDraft>| lines.set(next))
    };
    let onsubmit = {
        let (app, lines, valid_until, notes, server_errors, failure, busy) = (
            app.clone(),
            lines.clone(),
            valid_until.clone(),
            notes.clone(),
            server_errors.clone(),
            failure.clone(),
            busy.clone(),
        );
        let (id, etag) = (quote.id, props.etag.to_string());
        let (on_saved, on_stale) = (props.on_saved.clone(), props.on_stale.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            // The lines are priced on every keystroke: what does not read is already shown.
            let Ok(lines) = request_lines(&lines) else {
                return;
            };
            let mut errors = FieldErrors::default();
            let Ok(valid_until) = NaiveDate::parse_from_str(valid_until.trim(), "%Y-%m-%d") else {
                errors.insert("valid_until", "required", "");
                return server_errors.set(errors);
            };
            let notes = notes.trim();
            let body = QuoteUpdate {
                valid_until: Some(valid_until),
                notes: Some((!notes.is_empty()).then(|| notes.to_owned())),
                lines: Some(lines),
            };
            let (app, server_errors, failure, busy, etag) = (
                app.clone(),
                server_errors.clone(),
                failure.clone(),
                busy.clone(),
                etag.clone(),
            );
            let (on_saved, on_stale) = (on_saved.clone(), on_stale.clone());
            busy.set(true);
            failure.set(None);
            wasm_bindgen_futures::spawn_local(async move {
                let path = format!("/api/v1/quotes/{id}");
                let saved = api::patch::<QuoteView, _>(&path, &body, &etag).await;
                busy.set(false);
                app.finish_versioned_save(saved, &on_saved, &on_stale, &server_errors, &failure);
            });
        })
    };
    let on_cancel = {
        let cancel = props.on_cancel.clone();
        Callback::from(move |_: MouseEvent| cancel.emit(()))
    };

    let priced = preview(&lines, currency);
    let valid_error = server_errors.get("valid_until").is_some();
    html! {
        <form class="quote-builder card" id="quote-edit-form" {onsubmit}>
            <h2>{ app.t("quote.edit") }</h2>
            <LineEditor lines={(*lines).clone()} {currency} server_errors={(*server_errors).clone()}
                on_change={on_lines} totals_id="quote-edit-totals" />
            <div class={classes!("field", valid_error.then_some("invalid"))}>
                <label for="edit-valid-until">{ app.t("quote.valid_until") }</label>
                <input id="edit-valid-until" type="date" value={(*valid_until).clone()}
                    oninput={let v = valid_until.clone(); move |e: InputEvent| v.set(input_value(&e))} />
            </div>
            <div class="field">
                <label for="edit-notes">{ app.t("quote.notes") }</label>
                <input id="edit-notes" maxlength="10000" value={(*notes).clone()}
                    oninput={let n = notes.clone(); move |e: InputEvent| n.set(input_value(&e))} />
            </div>
            if let Some(f) = &*failure {
                <FailureNote failure={f.clone()} />
            }
            <div class="actions">
                <button id="save-quote-edit" type="submit" class="primary" disabled={*busy || priced.is_err()}>{ app.t("form.save") }</button>
                <button type="button" id="cancel-quote-edit" onclick={on_cancel}>{ app.t("form.cancel") }</button>
            </div>
        </form>
    }
}
