//! Receivables by customer (what each owes and how much of it is overdue), a page at a time,
//! and recording a payment received from one of them.

use chrono::NaiveDate;
use kedao_api_types::ListPage;
use kedao_api_types::receivables::{
    PaymentCreate, PaymentMethod, PaymentView, SummaryReport, SummaryRow,
};
use kedao_domain::access::{Action, Resource};
use rust_decimal::Decimal;
use std::str::FromStr;
use uuid::Uuid;
use yew::prelude::*;

use crate::api::{self, with_query};
use crate::components::export_button::ExportButton;
use crate::components::field::{Field, input_value, select_value};
use crate::components::notice::{Empty, FailureNote, Loading};
use crate::context::{AppContext, use_app};
use crate::list_state::{ListAction, ListState};
use crate::money::format_money;
use crate::pages::aging_by_owner::AgingByOwner;
use crate::pages::payment_recorded::RecordedPayment;
use crate::problem::{ApiFailure, FieldErrors};

#[function_component]
pub fn Receivables() -> Html {
    let app = use_app();
    let list = use_reducer(ListState::<SummaryRow>::default);
    let requests = use_mut_ref(|| 0_u32);
    // Bumped after a payment, to read the figures again.
    let generation = use_state(|| 0_u32);
    let paying = use_state(|| None::<SummaryRow>);
    let recorded = use_state(|| None::<(PaymentView, Option<String>)>);

    let fetch = {
        let (list, app) = (list.dispatcher(), app.clone());
        move |request: u32, cursor: Option<String>| {
            let (list, app) = (list.clone(), app.clone());
            let append = cursor.is_some();
            let path = with_query(
                "/api/v1/receivables/summary",
                &[
                    ("group_by", Some("account")),
                    ("limit", Some("50")),
                    ("cursor", cursor.as_deref()),
                ],
            );
            wasm_bindgen_futures::spawn_local(async move {
                match api::get::<SummaryReport>(&path).await {
                    Ok(report) => {
                        let page = ListPage {
                            items: report.value.rows,
                            next_cursor: report.value.next_cursor,
                            total: None,
                        };
                        list.dispatch(ListAction::Page {
                            request,
                            page,
                            append,
                        });
                    }
                    Err(err) => {
                        if let Some(failure) = app.check(err) {
                            list.dispatch(ListAction::Failed { request, failure });
                        }
                    }
                }
            });
        }
    };
    {
        let (list, fetch) = (list.clone(), fetch.clone());
        use_effect_with(*generation, move |_| {
            let request = {
                let mut counter = requests.borrow_mut();
                *counter = counter.wrapping_add(1);
                *counter
            };
            list.dispatch(ListAction::Reload(request));
            fetch(request, None);
        });
    }
    let on_more = {
        let (list, fetch) = (list.clone(), fetch.clone());
        Callback::from(move |_: MouseEvent| {
            list.dispatch(ListAction::LoadMore);
            fetch(list.request, list.next_cursor.clone());
        })
    };
    let on_recorded = {
        let (paying, recorded, generation) = (paying.clone(), recorded.clone(), generation.clone());
        Callback::from(move |(payment, etag): (PaymentView, Option<String>)| {
            paying.set(None);
            recorded.set(Some((payment, etag)));
            generation.set(*generation + 1);
        })
    };
    let on_voided = {
        let (recorded, generation) = (recorded.clone(), generation.clone());
        Callback::from(move |payment: PaymentView| {
            recorded.set(Some((payment, None)));
            generation.set(*generation + 1);
        })
    };
    let on_cancel = {
        let paying = paying.clone();
        Callback::from(move |()| paying.set(None))
    };

    html! {
        <section class="receivables">
            <h1>{ app.t("receivables.title") }</h1>
            <ExportButton id="receivables-export" path="/api/v1/receivables/summary/export?group_by=account"
                file_name="receivables-summary-by-account.csv" />
            if let Some((payment, etag)) = &*recorded {
                <RecordedPayment payment={payment.clone()} etag={etag.clone()} on_voided={on_voided} />
            }
            if let Some(row) = &*paying {
                <PaymentForm row={row.clone()} on_recorded={on_recorded} on_cancel={on_cancel} />
            }
            if let Some(failure) = &list.failure {
                <FailureNote failure={failure.clone()} />
            }
            if list.is_empty() {
                <Empty message="receivables.empty" />
            } else if !list.items.is_empty() {
                <table class="list" id="receivables-list">
                    <thead><tr>
                        <th>{ app.t("receivables.account") }</th>
                        <th class="num">{ app.t("receivables.outstanding") }</th>
                        <th class="num">{ app.t("receivables.overdue") }</th>
                        <th></th>
                    </tr></thead>
                    <tbody>
                        { for list.items.iter().map(|row| summary_row(&app, row, &paying)) }
                    </tbody>
                </table>
            }
            if list.loading {
                <Loading />
            } else if list.next_cursor.is_some() {
                <button id="more" onclick={on_more}>{ app.t("list.more") }</button>
            }
            <AgingByOwner generation={*generation} />
        </section>
    }
}

fn summary_row(
    app: &AppContext,
    row: &SummaryRow,
    paying: &UseStateHandle<Option<SummaryRow>>,
) -> Html {
    let onclick = {
        let (paying, row) = (paying.clone(), row.clone());
        Callback::from(move |_: MouseEvent| paying.set(Some(row.clone())))
    };
    let account = row.group_id.map(|id| id.to_string()).unwrap_or_default();
    html! {
        <tr data-account={account.clone()} data-currency={row.currency.code()}>
            <td data-label={app.t("receivables.account")}>{ row.group_name.clone().unwrap_or_default() }</td>
            <td class="num outstanding" data-label={app.t("receivables.outstanding")}>{ format_money(row.outstanding, row.currency) }</td>
            <td class="num" data-label={app.t("receivables.overdue")}>{ format_money(row.overdue, row.currency) }</td>
            <td>
                if row.group_id.is_some() && app.can(Resource::Receivables, Action::Write) {
                    <button class="record-payment" {onclick}>{ app.t("payment.record") }</button>
                }
            </td>
        </tr>
    }
}

#[derive(Properties, PartialEq)]
struct PaymentFormProps {
    row: SummaryRow,
    on_recorded: Callback<(PaymentView, Option<String>)>,
    on_cancel: Callback<()>,
}

#[function_component]
fn PaymentForm(props: &PaymentFormProps) -> Html {
    let app = use_app();
    let amount = use_state(String::new);
    let received_on = use_state(today);
    let method = use_state(|| PaymentMethod::BankTransfer);
    let reference = use_state(String::new);
    let errors = use_state(FieldErrors::default);
    let failure = use_state(|| None::<ApiFailure>);
    let busy = use_state(|| false);

    let onsubmit = {
        let (amount, received_on, method, reference, errors, failure, busy, app) = (
            amount.clone(),
            received_on.clone(),
            method.clone(),
            reference.clone(),
            errors.clone(),
            failure.clone(),
            busy.clone(),
            app.clone(),
        );
        let (row, on_recorded) = (props.row.clone(), props.on_recorded.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let Some(account_id) = row.group_id else {
                return;
            };
            let typed = Typed {
                amount: &amount,
                received_on: &received_on,
                method: *method,
                reference: &reference,
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
            order_id: None,
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
    use kedao_domain::Currency;

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
    }
}
