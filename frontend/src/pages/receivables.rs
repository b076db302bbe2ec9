//! Receivables by customer (what each owes and how much of it is overdue), a page at a time,
//! and recording a payment received from one of them (`payment_form`).

use kedao_api_types::ListPage;
use kedao_api_types::receivables::{PaymentView, SummaryReport, SummaryRow};
use kedao_domain::access::{Action, Resource};
use yew::prelude::*;

use crate::api::{self, with_query};
use crate::components::export_button::ExportButton;
use crate::components::notice::{Empty, FailureNote, Loading};
use crate::context::{AppContext, use_app};
use crate::list_state::{ListAction, ListState};
use crate::money::format_money;
use crate::pages::aging_by_owner::AgingByOwner;
use crate::pages::payment_form::PaymentForm;
use crate::pages::payment_recorded::RecordedPayment;

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
            if let Some((row, account_id)) = paying.as_ref().and_then(|r| Some((r, r.group_id?))) {
                <PaymentForm {account_id} row={row.clone()} on_recorded={on_recorded} on_cancel={on_cancel} />
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
