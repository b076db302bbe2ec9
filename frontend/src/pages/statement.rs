//! A customer's statement of account (对账单) over a period: per currency, the opening
//! balance, each order, payment, cancellation and void with the running balance, and the
//! closing balance; printable as the server's document.

use kedao_api_types::statements::{StatementLineKind, StatementSection, StatementView};
use uuid::Uuid;
use yew::prelude::*;

use crate::api::{self, with_query};
use crate::components::document_frame::DocumentFrame;
use crate::components::fetched::{Fetch, use_fetched};
use crate::components::field::input_value;
use crate::components::notice::{Empty, FailureNote};
use crate::context::{AppContext, use_app};
use crate::money::format_money;
use crate::problem::{ApiFailure, FieldErrors, field_code_key};
use crate::route::Route;

/// The catalogue key of a statement line's kind.
pub fn line_kind_key(kind: StatementLineKind) -> &'static str {
    match kind {
        StatementLineKind::Order => "statement.order",
        StatementLineKind::OrderCancelled => "statement.order_cancelled",
        StatementLineKind::Payment => "statement.payment",
        StatementLineKind::PaymentVoided => "statement.payment_voided",
    }
}

#[derive(Properties, PartialEq)]
pub struct StatementProps {
    pub account: Uuid,
}

#[function_component]
pub fn Statement(props: &StatementProps) -> Html {
    let app = use_app();
    let id = props.account;
    let from = use_state(String::new);
    let to = use_state(String::new);
    // The period asked for (the date boxes apply on submit); empty: the server's default.
    let period = use_state(|| (String::new(), String::new()));
    let path = with_query(
        &format!("/api/v1/accounts/{id}/statement"),
        &[("from", Some(&period.0)), ("to", Some(&period.1))],
    );
    let statement = use_fetched::<StatementView>(path, 0);
    let document = use_state(|| None::<String>);
    let failure = use_state(|| None::<ApiFailure>);

    let on_apply = {
        let (from, to, period, document) =
            (from.clone(), to.clone(), period.clone(), document.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            document.set(None);
            period.set(((*from).clone(), (*to).clone()));
        })
    };
    let on_print = {
        let (app, document, failure, period) = (
            app.clone(),
            document.clone(),
            failure.clone(),
            period.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            let (app, document, failure) = (app.clone(), document.clone(), failure.clone());
            let path = with_query(
                &format!("/api/v1/accounts/{id}/statement/document"),
                &[("from", Some(&period.0)), ("to", Some(&period.1))],
            );
            wasm_bindgen_futures::spawn_local(async move {
                match api::get_text(&path).await {
                    Ok(html) => document.set(Some(html)),
                    Err(err) => failure.set(app.check(err)),
                }
            });
        })
    };

    // A refused period (`from` after `to`, too long) names its field: shown beside the box.
    let errors = match &*statement {
        Fetch::Failed(failure) => failure.field_errors(),
        _ => FieldErrors::default(),
    };
    let field_error = |name: &str| {
        errors.get(name).map(|e| {
            let message = field_code_key(&e.code)
                .map_or_else(|| e.message.clone(), |key| app.t(key).to_owned());
            html! { <span class="field-error" id={format!("error-{name}")}>{ message }</span> }
        })
    };
    html! {
        <section class="statement" id="statement">
            <h1>
                { app.t("statement.title") }
                if let Some(s) = statement.value() { { " · " }{ app.link(Route::Account(id), &s.account_name) } }
            </h1>
            <form class="filters" id="statement-period" onsubmit={on_apply}>
                <label for="statement-from">{ app.t("statement.from") }</label>
                <input id="statement-from" type="date" value={(*from).clone()}
                    oninput={let s = from.clone(); move |e: InputEvent| s.set(input_value(&e))} />
                { field_error("from") }
                <label for="statement-to">{ app.t("statement.to") }</label>
                <input id="statement-to" type="date" value={(*to).clone()}
                    oninput={let s = to.clone(); move |e: InputEvent| s.set(input_value(&e))} />
                { field_error("to") }
                <button type="submit">{ app.t("statement.show") }</button>
                <button type="button" id="statement-print" onclick={on_print}>{ app.t("quote.print") }</button>
            </form>
            if let Some(f) = &*failure {
                <FailureNote failure={f.clone()} />
            }
            { statement.note() }
            if let Some(s) = statement.value() {
                <p class="when">{ app.day(s.from) }{ " – " }{ app.day(s.to) }</p>
                if s.sections.is_empty() {
                    <Empty message="statement.empty" />
                }
                { for s.sections.iter().map(|section| statement_section(&app, section)) }
            }
            if let Some(html) = &*document {
                <DocumentFrame html={html.clone()} />
            }
        </section>
    }
}

fn statement_section(app: &AppContext, s: &StatementSection) -> Html {
    let money = |amount| format_money(amount, s.currency);
    html! {
        <section class="card statement-section" data-currency={s.currency.code()}>
            <h2>{ s.currency.code() }</h2>
            <p>{ app.t("statement.opening") }{ " " }<strong class="opening">{ money(s.opening_balance) }</strong></p>
            <table class="list">
                <thead><tr>
                    <th>{ app.t("statement.date") }</th>
                    <th>{ app.t("statement.entry") }</th>
                    <th class="num">{ app.t("statement.debit") }</th>
                    <th class="num">{ app.t("statement.credit") }</th>
                    <th class="num">{ app.t("statement.balance") }</th>
                </tr></thead>
                <tbody>
                    { for s.lines.iter().map(|l| {
                        let what = match (&l.order_number, l.order_id, &l.payment_reference) {
                            (Some(number), Some(order), _) => app.link(Route::Order(order), number),
                            (_, _, Some(reference)) => html! { { reference.clone() } },
                            _ => Html::default(),
                        };
                        html! {
                            <tr class="statement-line" data-kind={format!("{:?}", l.kind)}>
                                <td data-label={app.t("statement.date")}>{ app.day(l.date) }</td>
                                <td data-label={app.t("statement.entry")}>{ app.t(line_kind_key(l.kind)) }{ " " }{ what }</td>
                                <td class="num" data-label={app.t("statement.debit")}>{ money(l.debit) }</td>
                                <td class="num" data-label={app.t("statement.credit")}>{ money(l.credit) }</td>
                                <td class="num" data-label={app.t("statement.balance")}>{ money(l.balance) }</td>
                            </tr>
                        }
                    }) }
                </tbody>
            </table>
            <dl class="totals">
                <dt>{ app.t("statement.debits") }</dt><dd>{ money(s.total_debits) }</dd>
                <dt>{ app.t("statement.credits") }</dt><dd>{ money(s.total_credits) }</dd>
                <dt>{ app.t("statement.closing") }</dt><dd class="closing">{ money(s.closing_balance) }</dd>
                <dt>{ app.t("statement.unapplied") }</dt><dd>{ money(s.unapplied_credit) }</dd>
            </dl>
        </section>
    }
}
