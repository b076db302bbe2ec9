//! A payment just recorded: how much, where the server applied it (which order's installments)
//! and what it kept as credit; and voiding it, which reverses exactly those allocations.

use kedao_api_types::receivables::PaymentView;
use rust_decimal::Decimal;
use yew::prelude::*;

use crate::api;
use crate::components::notice::FailureNote;
use crate::context::use_app;
use crate::money::format_money;
use crate::problem::ApiFailure;
use crate::route::Route;

#[derive(Properties)]
pub struct RecordedPaymentProps {
    pub payment: PaymentView,
    /// The payment's version, for voiding it.
    pub etag: Option<String>,
    /// The payment was voided (the figures behind the screen changed again).
    pub on_voided: Callback<PaymentView>,
}

// The wire type has no equality; a payment's id and version say whether it changed.
impl PartialEq for RecordedPaymentProps {
    fn eq(&self, other: &Self) -> bool {
        self.payment.id == other.payment.id
            && self.payment.version == other.payment.version
            && self.etag == other.etag
            && self.on_voided == other.on_voided
    }
}

#[function_component]
pub fn RecordedPayment(props: &RecordedPaymentProps) -> Html {
    let app = use_app();
    let failure = use_state(|| None::<ApiFailure>);
    let busy = use_state(|| false);
    let payment = &props.payment;
    let on_void = {
        let (app, failure, busy) = (app.clone(), failure.clone(), busy.clone());
        let (id, etag, on_voided) = (payment.id, props.etag.clone(), props.on_voided.clone());
        Callback::from(move |_: MouseEvent| {
            let Some(etag) = etag.clone() else {
                return;
            };
            let (app, failure, busy, on_voided) = (
                app.clone(),
                failure.clone(),
                busy.clone(),
                on_voided.clone(),
            );
            busy.set(true);
            wasm_bindgen_futures::spawn_local(async move {
                let path = format!("/api/v1/payments/{id}/void");
                match api::post_versioned::<PaymentView, _>(&path, &(), &etag).await {
                    Ok(voided) => on_voided.emit(voided.value),
                    Err(err) => failure.set(app.check(err)),
                }
                busy.set(false);
            });
        })
    };
    let voided = payment.voided_at.is_some();
    html! {
        <div class="card recorded" id="payment-panel">
            <p class="saved" id="payment-recorded" role="status">
                if voided { { app.t("payment.voided") } } else { { app.t("payment.recorded") } }
                { " " }{ format_money(payment.amount, payment.currency) }
                if payment.unapplied > Decimal::ZERO && !voided {
                    { " · " }{ app.t("payment.unapplied") }{ " " }{ format_money(payment.unapplied, payment.currency) }
                }
            </p>
            if !payment.allocations.is_empty() && !voided {
                <p>{ app.t("payment.applied_to") }</p>
                <ul class="plain" id="payment-allocations">
                    { for payment.allocations.iter().map(|a| html! {
                        <li class="allocation" data-order={a.order_id.to_string()} data-installment={a.installment_id.to_string()}>
                            { app.link(Route::Order(a.order_id), app.t("order.order")) }{ " · " }
                            <span class="amount">{ format_money(a.amount, payment.currency) }</span>
                        </li>
                    }) }
                </ul>
            }
            if let Some(f) = &*failure {
                <FailureNote failure={f.clone()} />
            }
            if !voided && props.etag.is_some() {
                <button id="void-payment" disabled={*busy} onclick={on_void}>{ app.t("payment.void") }</button>
            }
        </div>
    }
}
