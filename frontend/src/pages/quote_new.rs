//! The quote builder: lines typed in, totals priced live by `kedao-domain` (the server's own
//! pricing code), saved as a draft quote for the opportunity.

use chrono::NaiveDate;
use kedao_api_types::notes::RecordType;
use kedao_api_types::opportunities::OpportunityView;
use kedao_api_types::quotes::{QuoteCreate, QuoteView};
use uuid::Uuid;
use yew::prelude::*;

use crate::api;
use crate::components::attachments_panel::AttachmentsPanel;
use crate::components::field::input_value;
use crate::components::line_editor::LineEditor;
use crate::components::notes_panel::NotesPanel;
use crate::components::notice::{FailureNote, Loading};
use crate::context::use_app;
use crate::money::format_money;
use crate::problem::{ApiFailure, FieldErrors};
use crate::quote_draft::{LineDraft, preview, request_lines};
use crate::route::Route;

#[derive(Properties, PartialEq)]
pub struct QuoteNewProps {
    pub opportunity: Uuid,
}

/// Quotes are valid for 30 days unless changed.
const DEFAULT_VALIDITY_DAYS: f64 = 30.0;

#[function_component]
pub fn QuoteNew(props: &QuoteNewProps) -> Html {
    let app = use_app();
    let opportunity = use_state(|| None::<OpportunityView>);
    let lines = use_state(|| vec![LineDraft::default()]);
    let valid_until = use_state(|| date_in_days(DEFAULT_VALIDITY_DAYS));
    let server_errors = use_state(FieldErrors::default);
    let failure = use_state(|| None::<ApiFailure>);
    let saved = use_state(|| None::<QuoteView>);
    let busy = use_state(|| false);

    {
        let (opportunity, failure, app) = (opportunity.clone(), failure.clone(), app.clone());
        use_effect_with(props.opportunity, move |id| {
            let path = format!("/api/v1/opportunities/{id}");
            wasm_bindgen_futures::spawn_local(async move {
                match api::get::<OpportunityView>(&path).await {
                    Ok(found) => opportunity.set(Some(found.value)),
                    Err(err) => failure.set(app.check(err)),
                }
            });
        });
    }

    let Some(deal) = &*opportunity else {
        return match &*failure {
            Some(f) => html! { <FailureNote failure={f.clone()} /> },
            None => html! { <Loading /> },
        };
    };
    let currency = deal.currency;
    let priced = preview(&lines, currency);

    let on_lines = {
        let lines = lines.clone();
        Callback::from(move |next: Vec<LineDraft>| lines.set(next))
    };
    let onsubmit = {
        let (lines, valid_until, server_errors, failure, saved, busy, app) = (
            lines.clone(),
            valid_until.clone(),
            server_errors.clone(),
            failure.clone(),
            saved.clone(),
            busy.clone(),
            app.clone(),
        );
        let opportunity_id = props.opportunity;
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let Ok(request_lines) = request_lines(&lines) else {
                return;
            };
            let Ok(valid_until) = NaiveDate::parse_from_str(&valid_until, "%Y-%m-%d") else {
                return;
            };
            let body = QuoteCreate {
                opportunity_id,
                currency: Some(currency),
                valid_until,
                notes: None,
                lines: request_lines,
            };
            let (server_errors, failure, saved, busy, app) = (
                server_errors.clone(),
                failure.clone(),
                saved.clone(),
                busy.clone(),
                app.clone(),
            );
            busy.set(true);
            wasm_bindgen_futures::spawn_local(async move {
                match api::post::<QuoteView, _>("/api/v1/quotes", &body).await {
                    Ok(quote) => {
                        failure.set(None);
                        server_errors.set(FieldErrors::default());
                        saved.set(Some(quote.value));
                    }
                    Err(err) => {
                        app.show_form_failure(err, &server_errors, &failure);
                    }
                }
                busy.set(false);
            });
        })
    };

    html! {
        <>
        <form class="quote-builder" id="quote-form" {onsubmit}>
            <h1>{ app.t("quote.title") }{ " · " }{ &deal.title }</h1>
            <LineEditor lines={(*lines).clone()} {currency} server_errors={(*server_errors).clone()}
                on_change={on_lines} totals_id="quote-totals" />
            <div class="field">
                <label for="valid-until">{ app.t("quote.valid_until") }</label>
                <input id="valid-until" type="date" value={(*valid_until).clone()}
                    oninput={let v = valid_until.clone(); move |e: InputEvent| v.set(input_value(&e))} />
            </div>
            if let Some(f) = &*failure {
                <FailureNote failure={f.clone()} />
            }
            if let Some(quote) = &*saved {
                <p class="saved" id="quote-saved" role="status">
                    { app.t("quote.saved") }{ " " }<strong id="quote-number">{ &quote.number }</strong>
                    { " · " }{ format_money(quote.grand_total, quote.currency) }
                    { " · " }<span id="open-quote">{ app.link(Route::Quote(quote.id), app.t("quote.open")) }</span>
                </p>
            }
            <div class="actions">
                <button id="save-quote" type="submit" class="primary" disabled={*busy || priced.is_err()}>{ app.t("quote.save") }</button>
            </div>
        </form>
        // The deal's notes: this builder is the deal's own screen.
        <NotesPanel record_type={RecordType::Opportunity} record_id={deal.id} />
        <AttachmentsPanel record_type={RecordType::Opportunity} record_id={deal.id} />
        </>
    }
}

/// The browser's local date `days` from now, as `YYYY-MM-DD`.
fn date_in_days(days: f64) -> String {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(
        js_sys::Date::now() + days * 24.0 * 3600.0 * 1000.0,
    ));
    format!(
        "{:04}-{:02}-{:02}",
        date.get_full_year(),
        date.get_month() + 1,
        date.get_date()
    )
}
