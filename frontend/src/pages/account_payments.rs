//! The customer's payments (回款记录) on the 360 view, newest first: when each was received,
//! how much, how and with what reference, what is still unapplied, and whether it was voided.
//! One opens to show where it was applied; those who record payments can void it there (a
//! payment recorded by mistake last week is reversed exactly, not only the one just entered).

use kedao_api_types::receivables::PaymentView;
use kedao_domain::access::{Action, Resource};
use rust_decimal::Decimal;
use uuid::Uuid;
use yew::prelude::*;

use crate::api::etag_of;
use crate::components::notice::{Empty, FailureNote, Loading};
use crate::context::{AppContext, use_app};
use crate::money::format_money;
use crate::paged_list::{PagedList, use_paged_list};
use crate::pages::payment_recorded::RecordedPayment;

#[derive(Properties, PartialEq)]
pub struct AccountPaymentsProps {
    pub id: Uuid,
}

#[function_component]
pub fn AccountPayments(props: &AccountPaymentsProps) -> Html {
    let app = use_app();
    let open = use_state(|| None::<PaymentView>);
    let PagedList {
        list,
        on_more,
        reload,
    } = use_paged_list::<PaymentView>(
        "/api/v1/payments",
        vec![("account_id", Some(props.id.to_string()))],
    );
    let on_open = {
        let open = open.clone();
        Callback::from(move |payment: PaymentView| open.set(Some(payment)))
    };
    let on_voided = {
        let (open, reload) = (open.clone(), reload.clone());
        Callback::from(move |voided: PaymentView| {
            open.set(Some(voided));
            reload.emit(());
        })
    };
    // Voiding is for those who record payments; the others see where a payment went.
    let may_void = app.can(Resource::Receivables, Action::Write);

    html! {
        <section class="card" id="account-payments">
            <h2>{ app.t("payment.history") }</h2>
            if let Some(f) = &list.failure {
                <FailureNote failure={f.clone()} />
            }
            if list.loaded && list.items.is_empty() {
                <Empty message="payment.none" />
            } else if list.loaded {
                { table(&app, &list.items, &on_open) }
            }
            if list.loading {
                <Loading />
            } else if list.next_cursor.is_some() {
                <button id="more-payments" onclick={on_more}>{ app.t("list.more") }</button>
            }
            if let Some(payment) = &*open {
                <RecordedPayment key={payment.id.to_string()} payment={payment.clone()}
                    etag={may_void.then(|| etag_of(payment.version))} {on_voided} />
            }
        </section>
    }
}

fn table(app: &AppContext, payments: &[PaymentView], on_open: &Callback<PaymentView>) -> Html {
    html! {
        <table class="list" id="payment-list">
            <thead><tr>
                <th>{ app.t("payment.received_on") }</th>
                <th class="num">{ app.t("payment.amount") }</th>
                <th>{ app.t("payment.method") }</th>
                <th>{ app.t("payment.reference") }</th>
                <th class="num">{ app.t("payment.unapplied_column") }</th>
                <th></th>
            </tr></thead>
            <tbody>
                { for payments.iter().map(|p| {
                    let voided = p.voided_at.is_some();
                    let open = {
                        let (on_open, payment) = (on_open.clone(), p.clone());
                        Callback::from(move |_: MouseEvent| on_open.emit(payment.clone()))
                    };
                    html! {
                        <tr class={classes!("payment", voided.then_some("voided"))} data-payment={p.id.to_string()}>
                            <td data-label={app.t("payment.received_on")}>{ app.day(p.received_on) }</td>
                            <td class="num amount" data-label={app.t("payment.amount")}>{ format_money(p.amount, p.currency) }</td>
                            <td data-label={app.t("payment.method")}>{ app.t(&format!("payment_method.{}", p.method.as_str())) }</td>
                            <td class="reference" data-label={app.t("payment.reference")}>{ p.reference.clone().unwrap_or_default() }</td>
                            <td class="num" data-label={app.t("payment.unapplied_column")}>
                                if voided { { app.t("payment.voided_short") } }
                                else if p.unapplied > Decimal::ZERO { { format_money(p.unapplied, p.currency) } }
                            </td>
                            <td class="row-actions">
                                <button type="button" class="link open-payment" onclick={open}>{ app.t("payment.open") }</button>
                            </td>
                        </tr>
                    }
                }) }
            </tbody>
        </table>
    }
}
