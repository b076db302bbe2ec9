//! The quote builder: lines typed in, totals priced live by `kedao-domain` (the server's own
//! pricing code), saved as a draft quote for the opportunity.

use chrono::NaiveDate;
use kedao_api_types::notes::RecordType;
use kedao_api_types::opportunities::OpportunityView;
use kedao_api_types::quotes::{QuoteCreate, QuoteView};
use kedao_domain::Currency;
use rust_decimal::Decimal;
use uuid::Uuid;
use yew::prelude::*;

use crate::api;
use crate::components::attachments_panel::AttachmentsPanel;
use crate::components::field::input_value;
use crate::components::notes_panel::NotesPanel;
use crate::components::notice::{FailureNote, Loading};
use crate::components::product_picker::ProductPicker;
use crate::context::{AppContext, use_app};
use crate::money::format_money;
use crate::problem::{ApiFailure, FieldErrors, field_code_key};
use crate::quote_draft::{LineDraft, line_field, preview, request_lines};
use crate::route::Route;
use kedao_api_types::products::ProductView;

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
    let errors = match &priced {
        Err(local) => local.clone(),
        Ok(_) => (*server_errors).clone(),
    };

    let edit = |index: usize, set: fn(&mut LineDraft, String)| {
        let lines = lines.clone();
        Callback::from(move |e: InputEvent| {
            let mut next = (*lines).clone();
            if let Some(line) = next.get_mut(index) {
                set(line, input_value(&e));
            }
            lines.set(next);
        })
    };
    let on_pick = {
        let lines = lines.clone();
        Callback::from(move |product: ProductView| {
            let mut next = (*lines).clone();
            let picked = LineDraft::from_product(&product);
            match next.last_mut() {
                Some(last) if last.is_blank() => *last = picked,
                _ => next.push(picked),
            }
            lines.set(next);
        })
    };
    let on_add = {
        let lines = lines.clone();
        Callback::from(move |_: MouseEvent| {
            let mut next = (*lines).clone();
            next.push(LineDraft::default());
            lines.set(next);
        })
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
            <table class="list lines">
                <thead><tr>
                    <th>{ app.t("quote.description") }</th>
                    <th class="num">{ app.t("quote.quantity") }</th>
                    <th class="num">{ app.t("quote.unit_price") }</th>
                    <th class="num">{ app.t("quote.discount") }</th>
                    <th class="num">{ app.t("quote.tax_rate") }</th>
                    <th class="num">{ app.t("quote.line_total") }</th>
                </tr></thead>
                <tbody>
                    { for lines.iter().enumerate().map(|(i, line)| {
                        let total = priced.as_ref().ok().and_then(|t| t.lines.get(i)).map(|f| format_money(f.total, currency));
                        html! {
                            <tr class="line">
                                { cell(&app, &errors, i, "description", &line.description, edit(i, |l, v| l.description = v)) }
                                { cell(&app, &errors, i, "quantity", &line.quantity, edit(i, |l, v| l.quantity = v)) }
                                { cell(&app, &errors, i, "unit_price", &line.unit_price, edit(i, |l, v| l.unit_price = v)) }
                                { cell(&app, &errors, i, "discount_percent", &line.discount_percent, edit(i, |l, v| l.discount_percent = v)) }
                                { cell(&app, &errors, i, "tax_rate_percent", &line.tax_rate_percent, edit(i, |l, v| l.tax_rate_percent = v)) }
                                <td class="num line-total" data-label={app.t("quote.line_total")}>{ total.unwrap_or_default() }</td>
                            </tr>
                        }
                    }) }
                </tbody>
            </table>
            <button type="button" id="add-line" onclick={on_add}>{ app.t("quote.add_line") }</button>
            <ProductPicker currency={currency} on_pick={on_pick} />
            <div class="field">
                <label for="valid-until">{ app.t("quote.valid_until") }</label>
                <input id="valid-until" type="date" value={(*valid_until).clone()}
                    oninput={let v = valid_until.clone(); move |e: InputEvent| v.set(input_value(&e))} />
            </div>
            if let Ok(totals) = &priced {
                <dl class="totals card" id="quote-totals">
                    { total_row(&app, "quote.subtotal", "total-subtotal", totals.subtotal, currency) }
                    { total_row(&app, "quote.discount_total", "total-discount", totals.discount, currency) }
                    { total_row(&app, "quote.tax", "total-tax", totals.tax, currency) }
                    { total_row(&app, "quote.grand_total", "total-grand", totals.grand_total, currency) }
                </dl>
            }
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

fn cell(
    app: &AppContext,
    errors: &FieldErrors,
    index: usize,
    field: &str,
    value: &str,
    oninput: Callback<InputEvent>,
) -> Html {
    let name = line_field(index, field);
    let error = errors.get(&name).map(|e| {
        field_code_key(&e.code).map_or_else(|| e.message.clone(), |key| app.t(key).to_owned())
    });
    let label_key = match field {
        "description" => "quote.description",
        "quantity" => "quote.quantity",
        "unit_price" => "quote.unit_price",
        "discount_percent" => "quote.discount",
        _ => "quote.tax_rate",
    };
    let id = format!("line-{index}-{field}");
    html! {
        <td class={classes!(field.to_owned(), error.is_some().then_some("invalid"))} data-label={app.t(label_key)}>
            <input id={id.clone()} type="text" aria-label={app.t(label_key)} value={value.to_owned()} {oninput} />
            if let Some(message) = error {
                <span class="field-error" id={format!("error-{id}")}>{ message }</span>
            }
        </td>
    }
}

fn total_row(app: &AppContext, key: &str, id: &str, amount: Decimal, currency: Currency) -> Html {
    html! {
        <>
            <dt>{ app.t(key) }</dt>
            <dd id={id.to_owned()}>{ format_money(amount, currency) }</dd>
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
