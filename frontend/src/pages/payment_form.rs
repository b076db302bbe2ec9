//! Recording a payment received from a customer: amount (in the currency the customer owes),
//! the day it arrived, how, the bank's or cheque's reference, and — when the customer says
//! what it pays for — the order to apply it to; otherwise the server applies it to the oldest
//! installments due first.

use chrono::NaiveDate;
use kedao_api_types::ListPage;
use kedao_api_types::list::MAX_LIMIT;
use kedao_api_types::orders::{OrderStatus, OrderView};
use kedao_api_types::receivables::{PaymentCreate, PaymentMethod, PaymentView, SummaryRow};
use kedao_domain::Currency;
use rust_decimal::Decimal;
use std::str::FromStr;
use uuid::Uuid;
use yew::prelude::*;

use crate::api;
use crate::components::fetched::use_fetched;
use crate::components::field::{Field, input_value, select_value};
use crate::components::notice::FailureNote;
use crate::context::use_app;
use crate::money::format_money;
use crate::problem::{ApiFailure, FieldErrors};

#[derive(Properties, PartialEq)]
pub struct PaymentFormProps {
    /// The customer paying (the row's group).
    pub account_id: Uuid,
    pub row: SummaryRow,
    pub on_recorded: Callback<(PaymentView, Option<String>)>,
    pub on_cancel: Callback<()>,
}

#[function_component]
pub fn PaymentForm(props: &PaymentFormProps) -> Html {
    let app = use_app();
    let amount = use_state(String::new);
    let received_on = use_state(today);
    let method = use_state(|| PaymentMethod::BankTransfer);
    let reference = use_state(String::new);
    // None: the server applies the payment to the oldest installments due first.
    let aimed = use_state(|| None::<Uuid>);
    let orders = use_fetched::<ListPage<OrderView>>(
        format!(
            "/api/v1/orders?account_id={}&limit={MAX_LIMIT}",
            props.account_id
        ),
        0,
    );
    let errors = use_state(FieldErrors::default);
    let failure = use_state(|| None::<ApiFailure>);
    let busy = use_state(|| false);

    let onsubmit = {
        let (amount, received_on, method, reference, aimed, errors, failure, busy, app) = (
            amount.clone(),
            received_on.clone(),
            method.clone(),
            reference.clone(),
            aimed.clone(),
            errors.clone(),
            failure.clone(),
            busy.clone(),
            app.clone(),
        );
        let (account_id, row, on_recorded) = (
            props.account_id,
            props.row.clone(),
            props.on_recorded.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let typed = Typed {
                amount: &amount,
                received_on: &received_on,
                method: *method,
                reference: &reference,
                order_id: *aimed,
            };
            let body = match payment(account_id, &row, &typed) {
                Ok(body) => body,
                Err(found) => return errors.set(found),
            };
            let (errors, failure, busy, app, on_recorded) = (
                errors.clone(),
                failure.clone(),
                busy.clone(),
                app.clone(),
                on_recorded.clone(),
            );
            busy.set(true);
            wasm_bindgen_futures::spawn_local(async move {
                match api::post::<PaymentView, _>("/api/v1/payments", &body).await {
                    Ok(done) => on_recorded.emit((done.value, done.etag)),
                    Err(err) => {
                        busy.set(false);
                        app.show_form_failure(err, &errors, &failure);
                    }
                }
            });
        })
    };
    let on_method = {
        let method = method.clone();
        Callback::from(move |e: Event| {
            if let Some(m) = PaymentMethod::parse(&select_value(&e)) {
                method.set(m);
            }
        })
    };
    let on_aim = {
        let aimed = aimed.clone();
        Callback::from(move |e: Event| aimed.set(select_value(&e).parse().ok()))
    };
    let payable = orders
        .value()
        .map(|page| payable_orders(&page.items, props.row.currency))
        .unwrap_or_default();
    let on_cancel = {
        let cancel = props.on_cancel.clone();
        Callback::from(move |_: MouseEvent| cancel.emit(()))
    };

    html! {
        <form class="card form" id="payment-form" {onsubmit}>
            <h2>{ app.t("payment.record") }{ " · " }{ props.row.group_name.clone().unwrap_or_default() }</h2>
            <p>{ app.t("receivables.outstanding") }{ " " }{ format_money(props.row.outstanding, props.row.currency) }</p>
            <Field name="amount" label="payment.amount" errors={(*errors).clone()}>
                <input id="field-amount" type="text" inputmode="decimal" value={(*amount).clone()}
                    oninput={let s = amount.clone(); move |e: InputEvent| s.set(input_value(&e))} />
            </Field>
            <Field name="received_on" label="payment.received_on" errors={(*errors).clone()}>
                <input id="field-received_on" type="date" value={(*received_on).clone()}
                    oninput={let s = received_on.clone(); move |e: InputEvent| s.set(input_value(&e))} />
            </Field>
            <Field name="method" label="payment.method" errors={(*errors).clone()}>
                <select id="field-method" onchange={on_method}>
                    { for PaymentMethod::ALL.iter().map(|m| html! {
                        <option value={m.as_str()} selected={*m == *method}>{ app.t(&format!("payment_method.{}", m.as_str())) }</option>
                    }) }
                </select>
            </Field>
            <Field name="reference" label="payment.reference" errors={(*errors).clone()}>
                <input id="field-reference" type="text" maxlength="200" value={(*reference).clone()}
                    oninput={let s = reference.clone(); move |e: InputEvent| s.set(input_value(&e))} />
            </Field>
            <Field name="order_id" label="payment.apply_to" errors={(*errors).clone()}>
                <select id="field-order_id" onchange={on_aim}>
                    <option value="" selected={aimed.is_none()}>{ app.t("payment.oldest_first") }</option>
                    { for payable.iter().map(|o| html! {
                        <option value={o.id.to_string()} selected={*aimed == Some(o.id)}>
                            { format!("{} · {}", o.number, format_money(o.grand_total, o.currency)) }
                        </option>
                    }) }
                </select>
            </Field>
            if let Some(f) = &*failure {
                <FailureNote failure={f.clone()} />
            }
            <div class="actions">
                <button id="save-payment" type="submit" class="primary" disabled={*busy}>{ app.t("payment.save") }</button>
                <button type="button" onclick={on_cancel}>{ app.t("form.cancel") }</button>
            </div>
        </form>
    }
}

/// The payment form's fields as typed.
struct Typed<'a> {
    amount: &'a str,
    received_on: &'a str,
    method: PaymentMethod,
    /// The bank's or the cheque's reference (流水号); blank for none.
    reference: &'a str,
    /// The order the customer says it pays for; none for the oldest installments first.
    order_id: Option<Uuid>,
}

/// The customer's orders a payment in `currency` can be aimed at: those in that currency that
/// were not cancelled (a cancelled order owes nothing), as listed.
pub fn payable_orders(orders: &[OrderView], currency: Currency) -> Vec<OrderView> {
    orders
        .iter()
        .filter(|o| o.currency == currency && o.status != OrderStatus::Cancelled)
        .cloned()
        .collect()
}

/// The request, or what is wrong with the typed fields.
fn payment(
    account_id: Uuid,
    row: &SummaryRow,
    typed: &Typed,
) -> Result<PaymentCreate, FieldErrors> {
    let mut errors = FieldErrors::default();
    let amount = Decimal::from_str(typed.amount.trim())
        .map_err(|_| errors.insert("amount", "not-a-number", ""));
    let date = NaiveDate::parse_from_str(typed.received_on.trim(), "%Y-%m-%d")
        .map_err(|_| errors.insert("received_on", "required", ""));
    match (amount, date) {
        (Ok(amount), Ok(received_on)) => Ok(PaymentCreate {
            account_id,
            amount,
            currency: row.currency,
            received_on,
            method: typed.method,
            reference: Some(typed.reference.trim().to_owned()).filter(|r| !r.is_empty()),
            order_id: typed.order_id,
        }),
        _ => Err(errors),
    }
}

/// The browser's local date, as `YYYY-MM-DD`.
fn today() -> String {
    let date = js_sys::Date::new_0();
    format!(
        "{:04}-{:02}-{:02}",
        date.get_full_year(),
        date.get_month() + 1,
        date.get_date()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_payment_is_in_the_row_currency_and_needs_a_number() {
        let row = SummaryRow {
            group_id: Some(Uuid::nil()),
            group_name: None,
            currency: Currency::Usd,
            outstanding: Decimal::from(100),
            overdue: Decimal::ZERO,
        };
        let typed = |amount, received_on, reference| Typed {
            amount,
            received_on,
            method: PaymentMethod::Cash,
            reference,
            order_id: None,
        };
        let ok = payment(Uuid::nil(), &row, &typed("40.50", "2026-11-24", " ")).unwrap();
        assert_eq!(ok.currency, Currency::Usd);
        assert_eq!(ok.amount, Decimal::new(4050, 2));
        assert_eq!(ok.method, PaymentMethod::Cash);
        assert_eq!(ok.reference, None, "a blank reference is none");
        let referenced =
            payment(Uuid::nil(), &row, &typed("1", "2026-11-24", " 流水 0042 ")).unwrap();
        assert_eq!(referenced.reference.as_deref(), Some("流水 0042"));
        let bad = payment(Uuid::nil(), &row, &typed("forty", "", "")).unwrap_err();
        assert!(bad.get("amount").is_some() && bad.get("received_on").is_some());
        let aimed = Typed {
            order_id: Some(Uuid::from_u128(7)),
            ..typed("40.50", "2026-11-24", "")
        };
        let sent = payment(Uuid::nil(), &row, &aimed).unwrap();
        assert_eq!(sent.order_id, Some(Uuid::from_u128(7)));
        assert_eq!(ok.order_id, None, "unaimed: oldest installments first");
    }

    fn order(n: u128, currency: &str, status: &str) -> OrderView {
        serde_json::from_value(serde_json::json!({
            "id": Uuid::from_u128(n), "dealer_id": null, "number": format!("O-2026-{n:06}"),
            "quote_id": null, "opportunity_id": null, "account_id": Uuid::nil(),
            "owner_id": Uuid::nil(), "status": status, "currency": currency, "lines": [],
            "subtotal": "100.00", "discount": "0.00", "net": "100.00", "tax": "13.00",
            "grand_total": "113.00", "notes": null, "credit_status": "clear",
            "credit_hold_reasons": [], "credit_released_by": null, "credit_released_at": null,
            "created_by": Uuid::nil(), "created_at": "2026-12-01T00:00:00Z",
            "updated_at": "2026-12-01T00:00:00Z", "version": 1
        }))
        .unwrap()
    }

    #[test]
    fn a_payment_can_be_aimed_at_an_order_in_its_currency_that_still_counts() {
        let orders = [
            order(1, "CNY", "confirmed"),
            order(2, "USD", "confirmed"),
            order(3, "CNY", "cancelled"),
            order(4, "CNY", "completed"),
        ];
        let ids: Vec<u128> = payable_orders(&orders, Currency::Cny)
            .iter()
            .map(|o| o.id.as_u128())
            .collect();
        assert_eq!(ids, [1, 4]);
    }
}
