//! A direct order for a customer, entered without a quote (a repeat order, or one a dealer
//! places): lines typed in or picked from the price book and priced live by the code the
//! server prices with. Once placed, the order's own screen shows it — on credit hold if it
//! would take the customer over the credit limit.

use kedao_api_types::accounts::AccountView;
use kedao_api_types::orders::{OrderCreate, OrderView};
use kedao_domain::Currency;
use uuid::Uuid;
use yew::prelude::*;

use crate::api;
use crate::components::fetched::use_fetched;
use crate::components::field::{input_value, select_value};
use crate::components::line_editor::LineEditor;
use crate::components::notice::FailureNote;
use crate::context::use_app;
use crate::problem::{ApiFailure, FieldErrors};
use crate::quote_draft::{LineDraft, preview, request_lines};
use crate::route::Route;

#[derive(Properties, PartialEq)]
pub struct OrderNewProps {
    pub account: Uuid,
}

#[function_component]
pub fn OrderNew(props: &OrderNewProps) -> Html {
    let app = use_app();
    let account_id = props.account;
    let account = use_fetched::<AccountView>(format!("/api/v1/accounts/{account_id}"), 0);
    let lines = use_state(|| vec![LineDraft::default()]);
    let currency = use_state(|| Currency::Cny);
    let notes = use_state(String::new);
    let server_errors = use_state(FieldErrors::default);
    let failure = use_state(|| None::<ApiFailure>);
    let busy = use_state(|| false);

    let on_lines = {
        let lines = lines.clone();
        Callback::from(move |next: Vec<LineDraft>| lines.set(next))
    };
    let on_currency = {
        let currency = currency.clone();
        Callback::from(move |e: Event| {
            if let Ok(picked) = select_value(&e).parse::<Currency>() {
                currency.set(picked);
            }
        })
    };
    let onsubmit = {
        let (app, lines, currency, notes, server_errors, failure, busy) = (
            app.clone(),
            lines.clone(),
            currency.clone(),
            notes.clone(),
            server_errors.clone(),
            failure.clone(),
            busy.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            // The lines are priced on every keystroke: what does not read is already shown.
            let Ok(lines) = request_lines(&lines) else {
                return;
            };
            let notes = notes.trim();
            let body = OrderCreate {
                account_id,
                currency: Some(*currency),
                owner_id: None,
                notes: (!notes.is_empty()).then(|| notes.to_owned()),
                lines,
            };
            let (app, server_errors, failure, busy) = (
                app.clone(),
                server_errors.clone(),
                failure.clone(),
                busy.clone(),
            );
            busy.set(true);
            wasm_bindgen_futures::spawn_local(async move {
                match api::post::<OrderView, _>("/api/v1/orders", &body).await {
                    Ok(order) => app.navigate.emit(Route::Order(order.value.id)),
                    Err(err) => {
                        busy.set(false);
                        app.show_form_failure(err, &server_errors, &failure);
                    }
                }
            });
        })
    };

    let Some(customer) = account.value() else {
        return account.note();
    };
    let priced = preview(&lines, *currency);
    html! {
        <form class="quote-builder" id="order-form" {onsubmit}>
            <h1>{ app.t("order.new") }{ " · " }{ app.link(Route::Account(account_id), &customer.name) }</h1>
            <div class="field">
                <label for="order-currency">{ app.t("products.currency") }</label>
                <select id="order-currency" onchange={on_currency}>
                    { for Currency::ALL.iter().map(|c| html! {
                        <option value={c.code()} selected={*c == *currency}>{ c.code() }</option>
                    }) }
                </select>
            </div>
            <LineEditor lines={(*lines).clone()} currency={*currency} server_errors={(*server_errors).clone()}
                on_change={on_lines} totals_id="order-totals" />
            <div class="field">
                <label for="order-notes">{ app.t("order.notes") }</label>
                <input id="order-notes" maxlength="10000" value={(*notes).clone()}
                    oninput={let n = notes.clone(); move |e: InputEvent| n.set(input_value(&e))} />
            </div>
            if let Some(f) = &*failure {
                <FailureNote failure={f.clone()} />
            }
            <div class="actions">
                <button id="place-order" type="submit" class="primary" disabled={*busy || priced.is_err()}>{ app.t("order.place") }</button>
            </div>
        </form>
    }
}
