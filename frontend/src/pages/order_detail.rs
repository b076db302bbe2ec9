//! One order: its lines and totals, the status timeline, the steps it may take next (the
//! server decides; its refusal shows), its credit hold and release, and its installments,
//! whose plan can be changed until something is paid on it.

use kedao_api_types::ListPage;
use kedao_api_types::orders::{
    CreditHoldRelease, CreditStatus, OrderEventKind, OrderEventView, OrderStatus,
    OrderStatusChange, OrderView,
};
use kedao_api_types::receivables::PlanView;
use kedao_domain::access::{Action, Resource};
use rust_decimal::Decimal;
use uuid::Uuid;
use yew::prelude::*;

use crate::api;
use crate::components::document_frame::DocumentFrame;
use crate::components::fetched::use_fetched;
use crate::components::field::input_value;
use crate::components::notice::{Empty, FailureNote};
use crate::context::{AppContext, use_app};
use crate::inline_editor::use_inline_editor;
use crate::money::format_money;
use crate::pages::account_activity::installment_table;
use crate::pages::order_plan::PlanEditor;
use crate::problem::ApiFailure;
use crate::route::Route;

/// The statuses one step away from `status`, in the order of the life cycle.
pub fn next_statuses(status: OrderStatus) -> Vec<OrderStatus> {
    OrderStatus::ALL
        .into_iter()
        .filter(|to| status.can_move_to(*to))
        .collect()
}

#[derive(Properties, PartialEq)]
pub struct OrderDetailProps {
    pub id: Uuid,
}

/// A change the screen asks for.
#[derive(Clone)]
enum Change {
    Status(OrderStatus),
    Release,
}

#[function_component]
pub fn OrderDetail(props: &OrderDetailProps) -> Html {
    let app = use_app();
    let id = props.id;
    let generation = use_state(|| 0_u32);
    let order = use_fetched::<OrderView>(format!("/api/v1/orders/{id}"), *generation);
    let events = use_fetched::<ListPage<OrderEventView>>(
        format!("/api/v1/orders/{id}/timeline"),
        *generation,
    );
    let plan = use_fetched::<PlanView>(format!("/api/v1/orders/{id}/plan"), *generation);
    let failure = use_state(|| None::<ApiFailure>);
    let busy = use_state(|| false);
    let plan_editor = use_inline_editor(&generation, &failure);
    let document = use_state(|| None::<String>);
    // Sent with the next step or release and kept in the timeline: a tracking number, a
    // reason for cancelling or for letting a held order go ahead.
    let step_note = use_state(String::new);

    let on_change = {
        let (app, order, failure, busy, generation, step_note) = (
            app.clone(),
            order.clone(),
            failure.clone(),
            busy.clone(),
            generation.clone(),
            step_note.clone(),
        );
        Callback::from(move |change: Change| {
            let Some(etag) = order.etag().map(str::to_owned) else {
                return;
            };
            let (app, failure, busy, generation, step_note) = (
                app.clone(),
                failure.clone(),
                busy.clone(),
                generation.clone(),
                step_note.clone(),
            );
            let note = Some(step_note.trim().to_owned()).filter(|n| !n.is_empty());
            busy.set(true);
            failure.set(None);
            wasm_bindgen_futures::spawn_local(async move {
                let done = match change {
                    Change::Status(status) => {
                        let body = OrderStatusChange { status, note };
                        let path = format!("/api/v1/orders/{id}/status");
                        api::post_versioned::<OrderView, _>(&path, &body, &etag).await
                    }
                    Change::Release => {
                        let path = format!("/api/v1/orders/{id}/release-hold");
                        let body = CreditHoldRelease { note };
                        api::post_versioned::<OrderView, _>(&path, &body, &etag).await
                    }
                };
                busy.set(false);
                match done {
                    Ok(_) => {
                        step_note.set(String::new());
                        generation.set(*generation + 1);
                    }
                    Err(err) => failure.set(app.check(err)),
                }
            });
        })
    };

    let on_print = {
        let (app, document, failure) = (app.clone(), document.clone(), failure.clone());
        Callback::from(move |_: MouseEvent| {
            let (app, document, failure) = (app.clone(), document.clone(), failure.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match api::get_text(&format!("/api/v1/orders/{id}/document")).await {
                    Ok(html) => document.set(Some(html)),
                    Err(err) => failure.set(app.check(err)),
                }
            });
        })
    };

    let Some(o) = order.value() else {
        return order.note();
    };
    let may_change = app.can(Resource::Orders, Action::Write);
    // The plan can change until something is paid on it (the server decides; it also counts
    // payments since voided).
    let may_plan =
        o.status != OrderStatus::Cancelled && app.can(Resource::Receivables, Action::Write);
    let plan_paid = plan
        .value()
        .is_some_and(|p| p.installments.iter().any(|i| i.paid > Decimal::ZERO));
    let may_release =
        o.credit_status == CreditStatus::OnHold && app.can(Resource::Credit, Action::Write);
    html! {
        <section class="order-detail" id="order-detail" data-order={id.to_string()} data-status={o.status.as_str()}>
            <div class="toolbar">
                <h1>{ app.t("order.order") }{ " " }<span id="order-number">{ &o.number }</span></h1>
                <span class="badge" id="order-status">{ app.t(&format!("order_status.{}", o.status.as_str())) }</span>
                <span class="badge" id="order-credit">{ app.t(&format!("credit_status.{}", o.credit_status.as_str())) }</span>
            </div>
            <p>
                { app.link(Route::Account(o.account_id), app.t("quote.customer")) }
                if let Some(quote) = o.quote_id {
                    { " · " }{ app.link(Route::Quote(quote), app.t("quote.quote")) }
                }
                { " · " }{ app.date(o.created_at) }
            </p>
            if o.credit_status == CreditStatus::OnHold && !o.credit_hold_reasons.is_empty() {
                <p class="hint" id="order-hold-reasons">
                    { for o.credit_hold_reasons.iter().map(|r| html! {
                        <span class="reason" data-reason={r.as_str()}>{ app.t(&format!("hold_reason.{}", r.as_str())) }{ " " }</span>
                    }) }
                </p>
            }
            if let Some(notes) = &o.notes {
                <p class="notes" id="order-notes-text">{ notes }</p>
            }
            <table class="list" id="order-lines">
                <thead><tr>
                    <th>{ app.t("quote.description") }</th>
                    <th class="num">{ app.t("quote.quantity") }</th>
                    <th class="num">{ app.t("quote.line_total") }</th>
                </tr></thead>
                <tbody>
                    { for o.lines.iter().map(|l| html! {
                        <tr>
                            <td data-label={app.t("quote.description")}>{ &l.description }</td>
                            <td class="num" data-label={app.t("quote.quantity")}>{ l.quantity.normalize().to_string() }</td>
                            <td class="num" data-label={app.t("quote.line_total")}>{ format_money(l.total, o.currency) }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
            <p class="grand" id="order-total">{ app.t("quote.grand_total") }{ " " }<strong>{ format_money(o.grand_total, o.currency) }</strong></p>
            if let Some(f) = &*failure {
                <FailureNote failure={f.clone()} />
            }
            if (may_change && !next_statuses(o.status).is_empty()) || may_release {
                <div class="field">
                    <label for="step-note">{ app.t("order.step_note") }</label>
                    <input id="step-note" maxlength="10000" value={(*step_note).clone()}
                        oninput={let n = step_note.clone(); move |e: InputEvent| n.set(input_value(&e))} />
                </div>
            }
            <div class="actions">
                if may_change {
                    { for next_statuses(o.status).into_iter().map(|to| {
                        let on_change = on_change.clone();
                        html! {
                            <button id={format!("order-to-{}", to.as_str())} class={classes!((to != OrderStatus::Cancelled).then_some("primary"))}
                                disabled={*busy} onclick={move |_: MouseEvent| on_change.emit(Change::Status(to))}>
                                { app.t(&format!("order_step.{}", to.as_str())) }
                            </button>
                        }
                    }) }
                }
                if may_release {
                    <button id="release-hold" disabled={*busy}
                        onclick={let c = on_change.clone(); move |_: MouseEvent| c.emit(Change::Release)}>{ app.t("order.release_hold") }</button>
                }
                <button id="order-print" onclick={on_print}>{ app.t("order.print") }</button>
            </div>
            if let Some(html) = &*document {
                <DocumentFrame html={html.clone()} />
            }
            <section class="card" id="order-timeline">
                <h2>{ app.t("order.timeline") }</h2>
                { events.note() }
                if let Some(page) = events.value() {
                    { timeline(&app, &page.items) }
                }
            </section>
            <section class="card" id="order-installments">
                <h2>{ app.t("order.installments") }</h2>
                { plan.note() }
                if let (Some(current), Some(etag), true) = (plan.value(), plan.etag(), *plan_editor.open) {
                    <PlanEditor order_id={id} plan={current.clone()} etag={etag.to_owned()} total={o.grand_total}
                        currency={o.currency} on_saved={plan_editor.on_saved.clone()} on_cancel={plan_editor.on_cancel.clone()}
                        on_stale={plan_editor.on_stale.clone()} />
                } else if let Some(plan) = plan.value() {
                    if plan.installments.is_empty() {
                        <Empty message="account.receivables_empty" />
                    } else {
                        { installment_table(&app, plan.installments.iter().map(|i| (o.number.as_str(), i))) }
                    }
                    if may_plan && plan_paid {
                        <p class="hint" id="plan-locked">{ app.t("plan.has_payments") }</p>
                    } else if may_plan {
                        <button id="plan-edit" onclick={let e = plan_editor.open.clone(); move |_: MouseEvent| e.set(true)}>{ app.t("plan.edit") }</button>
                    }
                }
            </section>
        </section>
    }
}

fn timeline(app: &AppContext, events: &[OrderEventView]) -> Html {
    html! {
        <ol class="timeline">
            { for events.iter().map(|e| {
                let what = match e.kind {
                    OrderEventKind::Status => app.t(&format!("order_status.{}", e.to_status.as_str())),
                    OrderEventKind::CreditHold => app.t("credit_status.on_hold"),
                    OrderEventKind::CreditReleased => app.t("credit_status.released"),
                };
                html! {
                    <li class="entry" data-kind={e.kind.as_str()} data-status={e.to_status.as_str()}>
                        <span class="when">{ app.date(e.at) }</span>{ " · " }<strong>{ what }</strong>
                        if let Some(note) = &e.note { { " · " }{ note } }
                    </li>
                }
            }) }
        </ol>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_status_offers_only_its_next_steps() {
        assert_eq!(
            next_statuses(OrderStatus::Confirmed),
            [OrderStatus::InFulfilment, OrderStatus::Cancelled]
        );
        assert_eq!(
            next_statuses(OrderStatus::Delivered),
            [OrderStatus::Completed]
        );
        assert!(next_statuses(OrderStatus::Completed).is_empty());
        assert!(next_statuses(OrderStatus::Cancelled).is_empty());
    }
}
