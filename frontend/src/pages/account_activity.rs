//! The lower sections of a customer's 360 view: what they owe (each order's installments and
//! the outstanding total per currency) and the timeline, a page at a time.

use kedao_api_types::ListPage;
use kedao_api_types::accounts::{Timeline, TimelineEntry};
use kedao_api_types::receivables::{InstallmentStatus, InstallmentView, PlanView};
use kedao_domain::Currency;
use rust_decimal::Decimal;
use uuid::Uuid;
use yew::prelude::*;

use crate::api::{self, with_query};
use crate::components::notice::{Empty, FailureNote, Loading};
use crate::context::{AppContext, use_app};
use crate::list_state::{ListAction, ListState};
use crate::money::format_money;
use crate::problem::ApiFailure;
use crate::route::Route;

/// What is outstanding per currency over some plans, in the order the currencies appear
/// (amounts are never added across currencies).
pub fn outstanding_by_currency<'a>(
    installments: impl IntoIterator<Item = &'a InstallmentView>,
) -> Vec<(Currency, Decimal)> {
    let mut totals: Vec<(Currency, Decimal)> = Vec::new();
    for i in installments {
        if i.status == InstallmentStatus::Cancelled {
            continue;
        }
        match totals.iter_mut().find(|(c, _)| *c == i.currency) {
            Some((_, sum)) => *sum += i.outstanding,
            None => totals.push((i.currency, i.outstanding)),
        }
    }
    totals
}

/// The catalogue key of an installment's status.
pub fn installment_status_key(status: InstallmentStatus) -> &'static str {
    match status {
        InstallmentStatus::Open => "installment_status.open",
        InstallmentStatus::PartiallyPaid => "installment_status.partially_paid",
        InstallmentStatus::Paid => "installment_status.paid",
        InstallmentStatus::Overdue => "installment_status.overdue",
        InstallmentStatus::Cancelled => "installment_status.cancelled",
    }
}

#[derive(Properties, PartialEq)]
pub struct InstallmentsProps {
    /// The orders (id, number) whose plans to show.
    pub orders: Vec<(Uuid, String)>,
}

/// Every listed order's installments, read one plan after another.
#[function_component]
pub fn Installments(props: &InstallmentsProps) -> Html {
    let app = use_app();
    let plans = use_state(|| None::<Result<Vec<(String, PlanView)>, ApiFailure>>);
    {
        let (plans, app) = (plans.clone(), app.clone());
        use_effect_with(props.orders.clone(), move |orders| {
            let orders = orders.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let mut found = Vec::with_capacity(orders.len());
                for (id, number) in orders {
                    match api::get::<PlanView>(&format!("/api/v1/orders/{id}/plan")).await {
                        Ok(plan) => found.push((number, plan.value)),
                        Err(failure) => {
                            if let Some(failure) = app.check(failure) {
                                plans.set(Some(Err(failure)));
                            }
                            return;
                        }
                    }
                }
                plans.set(Some(Ok(found)));
            });
        });
    }
    let plans = match &*plans {
        None => return html! { <Loading /> },
        Some(Err(failure)) => return html! { <FailureNote failure={failure.clone()} /> },
        Some(Ok(plans)) => plans,
    };
    let all = plans.iter().flat_map(|(_, p)| p.installments.iter());
    let totals = outstanding_by_currency(all.clone());
    if plans.iter().all(|(_, p)| p.installments.is_empty()) {
        return html! { <Empty message="account.receivables_empty" /> };
    }
    html! {
        <>
            <p class="outstanding-total" id="account-outstanding">
                { app.t("receivables.outstanding") }{ " " }
                { for totals.iter().map(|(c, sum)| html! {
                    <strong data-currency={c.code()}>{ format_money(*sum, *c) }{ " " }</strong>
                }) }
            </p>
            { installment_table(&app, plans.iter().flat_map(|(n, p)| p.installments.iter().map(move |i| (n.as_str(), i)))) }
        </>
    }
}

/// Installments as a table (with their order's number when given).
pub fn installment_table<'a>(
    app: &AppContext,
    rows: impl Iterator<Item = (&'a str, &'a InstallmentView)>,
) -> Html {
    html! {
        <table class="list installments">
            <thead><tr>
                <th>{ app.t("order.number") }</th>
                <th>{ app.t("overdue.due_date") }</th>
                <th class="num">{ app.t("payment.amount") }</th>
                <th class="num">{ app.t("installment.paid") }</th>
                <th class="num">{ app.t("overdue.outstanding") }</th>
                <th>{ app.t("order.status") }</th>
            </tr></thead>
            <tbody>
                { for rows.map(|(number, i)| html! {
                    <tr class="installment" data-installment={i.id.to_string()}>
                        <td data-label={app.t("order.number")}>{ app.link(Route::Order(i.order_id), &format!("{number} #{}", i.seq)) }</td>
                        <td data-label={app.t("overdue.due_date")}>{ app.day(i.due_date) }</td>
                        <td class="num" data-label={app.t("payment.amount")}>{ format_money(i.amount, i.currency) }</td>
                        <td class="num" data-label={app.t("installment.paid")}>{ format_money(i.paid, i.currency) }</td>
                        <td class="num outstanding" data-label={app.t("overdue.outstanding")}>{ format_money(i.outstanding, i.currency) }</td>
                        <td data-label={app.t("order.status")}>{ app.t(installment_status_key(i.status)) }</td>
                    </tr>
                }) }
            </tbody>
        </table>
    }
}

#[derive(Properties, PartialEq)]
pub struct AccountProps {
    pub id: Uuid,
}

/// The customer's timeline, newest first, "more" for older entries.
#[function_component]
pub fn AccountTimeline(props: &AccountProps) -> Html {
    let app = use_app();
    let list = use_reducer(ListState::<TimelineEntry>::default);
    let fetch = {
        let (list, app, id) = (list.dispatcher(), app.clone(), props.id);
        move |request: u32, cursor: Option<String>| {
            let (list, app) = (list.clone(), app.clone());
            let append = cursor.is_some();
            let path = with_query(
                &format!("/api/v1/accounts/{id}/timeline"),
                &[("limit", Some("20")), ("cursor", cursor.as_deref())],
            );
            wasm_bindgen_futures::spawn_local(async move {
                match api::get::<Timeline>(&path).await {
                    Ok(found) => {
                        let page = ListPage {
                            items: found.value.items,
                            next_cursor: found.value.next_cursor,
                            total: None,
                        };
                        list.dispatch(ListAction::Page {
                            request,
                            page,
                            append,
                        });
                    }
                    Err(failure) => {
                        if let Some(failure) = app.check(failure) {
                            list.dispatch(ListAction::Failed { request, failure });
                        }
                    }
                }
            });
        }
    };
    {
        let (list, fetch) = (list.clone(), fetch.clone());
        use_effect_with(props.id, move |_| {
            list.dispatch(ListAction::Reload(1));
            fetch(1, None);
        });
    }
    let on_more = {
        let (list, fetch) = (list.clone(), fetch.clone());
        Callback::from(move |_: MouseEvent| {
            list.dispatch(ListAction::LoadMore);
            fetch(list.request, list.next_cursor.clone());
        })
    };
    html! {
        <section class="card" id="account-timeline">
            <h2>{ app.t("account.timeline") }</h2>
            if let Some(failure) = &list.failure {
                <FailureNote failure={failure.clone()} />
            }
            if list.is_empty() {
                <Empty message="account.timeline_empty" />
            }
            <ol class="timeline">
                { for list.items.iter().map(|e| html! {
                    <li class="entry" data-kind={format!("{:?}", e.kind).to_lowercase()}>
                        <span class="when">{ app.date(e.at) }</span>{ " · " }
                        { &e.summary }
                    </li>
                }) }
            </ol>
            if list.loading {
                <Loading />
            } else if list.next_cursor.is_some() {
                <button id="timeline-more" onclick={on_more}>{ app.t("list.more") }</button>
            }
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn installment(
        currency: Currency,
        outstanding: i64,
        status: InstallmentStatus,
    ) -> InstallmentView {
        InstallmentView {
            id: Uuid::nil(),
            dealer_id: None,
            order_id: Uuid::nil(),
            seq: 1,
            due_date: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
            currency,
            amount: Decimal::from(outstanding),
            paid: Decimal::ZERO,
            outstanding: Decimal::from(outstanding),
            status,
        }
    }

    #[test]
    fn outstanding_is_summed_per_currency_without_cancelled_installments() {
        let rows = [
            installment(Currency::Cny, 100, InstallmentStatus::Open),
            installment(Currency::Usd, 7, InstallmentStatus::Overdue),
            installment(Currency::Cny, 50, InstallmentStatus::PartiallyPaid),
            installment(Currency::Cny, 999, InstallmentStatus::Cancelled),
        ];
        assert_eq!(
            outstanding_by_currency(&rows),
            [
                (Currency::Cny, Decimal::from(150)),
                (Currency::Usd, Decimal::from(7))
            ]
        );
        assert_eq!(outstanding_by_currency(&[]), []);
    }
}
