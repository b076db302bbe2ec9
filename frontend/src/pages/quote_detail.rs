//! One quote: its lines and totals (as the server priced them), and what can happen to it —
//! send, approval, revise, accept (which creates the order, linked from here) or reject — and
//! its printable document; a draft's lines can be changed, and every revision of the number
//! is listed. The server decides what is allowed; its refusal is shown as is.

use kedao_api_types::orders::OrderView;
use kedao_api_types::quotes::{ApprovalRequested, QuoteStatus, QuoteView};
use kedao_domain::access::{Action, Reach, Resource, reach};
use uuid::Uuid;
use yew::prelude::*;

use crate::api;
use crate::components::document_frame::DocumentFrame;
use crate::components::fetched::use_fetched;
use crate::components::notice::FailureNote;
use crate::context::{AppContext, use_app};
use crate::inline_editor::use_inline_editor;
use crate::money::format_money;
use crate::pages::quote_edit::QuoteEditor;
use crate::pages::quote_revisions::QuoteRevisions;
use crate::problem::ApiFailure;
use crate::route::Route;

/// A state change of the quote the screen offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuoteStep {
    Send,
    Approve,
    /// Ask the managers above the owner for the approval (they are notified).
    RequestApproval,
    Revise,
    Accept,
    Reject,
}

impl QuoteStep {
    fn path(self) -> &'static str {
        match self {
            QuoteStep::Send => "send",
            QuoteStep::Approve => "approve",
            QuoteStep::RequestApproval => "request-approval",
            QuoteStep::Revise => "revise",
            QuoteStep::Accept => "accept",
            QuoteStep::Reject => "reject",
        }
    }

    fn label(self) -> &'static str {
        match self {
            QuoteStep::Send => "quote.send",
            QuoteStep::Approve => "quote.approve",
            QuoteStep::RequestApproval => "quote.request_approval",
            QuoteStep::Revise => "quote.revise",
            QuoteStep::Accept => "quote.accept",
            QuoteStep::Reject => "quote.reject",
        }
    }
}

/// The steps worth offering for a quote in this state. Approving is offered to roles that
/// reach beyond their own records (managers, admins: the permission table says who), and
/// asking for the approval to the others, only while the discount needs it.
pub fn offered_steps(quote: &QuoteView, write_reach: Reach) -> Vec<QuoteStep> {
    if write_reach == Reach::None {
        return Vec::new();
    }
    let approved = !quote.needs_approval || quote.approved_at.is_some();
    let approver = matches!(write_reach, Reach::Team | Reach::All);
    let mut steps = Vec::new();
    match quote.status {
        QuoteStatus::Draft => {
            if !approved {
                steps.push(if approver {
                    QuoteStep::Approve
                } else {
                    QuoteStep::RequestApproval
                });
            }
            if approved {
                steps.push(QuoteStep::Send);
            }
        }
        QuoteStatus::Sent => {
            steps.extend([QuoteStep::Accept, QuoteStep::Reject, QuoteStep::Revise]);
        }
        QuoteStatus::Rejected | QuoteStatus::Expired => steps.push(QuoteStep::Revise),
        QuoteStatus::Accepted | QuoteStatus::Superseded => {}
    }
    steps
}

#[derive(Properties, PartialEq)]
pub struct QuoteDetailProps {
    pub id: Uuid,
}

#[function_component]
pub fn QuoteDetail(props: &QuoteDetailProps) -> Html {
    let app = use_app();
    let generation = use_state(|| 0_u32);
    let quote = use_fetched::<QuoteView>(format!("/api/v1/quotes/{}", props.id), *generation);
    let failure = use_state(|| None::<ApiFailure>);
    let busy = use_state(|| false);
    let order = use_state(|| None::<OrderView>);
    let asked = use_state(|| None::<usize>);
    let document = use_state(|| None::<String>);
    let editor = use_inline_editor(&generation, &failure);

    let on_step = {
        let (app, quote, failure, busy, order, generation, asked) = (
            app.clone(),
            quote.clone(),
            failure.clone(),
            busy.clone(),
            order.clone(),
            generation.clone(),
            asked.clone(),
        );
        let id = props.id;
        Callback::from(move |step: QuoteStep| {
            let Some(etag) = quote.etag().map(str::to_owned) else {
                return;
            };
            let (app, failure, busy, order, generation, asked) = (
                app.clone(),
                failure.clone(),
                busy.clone(),
                order.clone(),
                generation.clone(),
                asked.clone(),
            );
            busy.set(true);
            failure.set(None);
            wasm_bindgen_futures::spawn_local(async move {
                let path = format!("/api/v1/quotes/{id}/{}", step.path());
                let done = match step {
                    QuoteStep::Accept => api::post_versioned::<OrderView, _>(&path, &(), &etag)
                        .await
                        .map(|o| order.set(Some(o.value))),
                    QuoteStep::RequestApproval => {
                        api::post_versioned::<ApprovalRequested, _>(&path, &(), &etag)
                            .await
                            .map(|r| asked.set(Some(r.value.approvers.len())))
                    }
                    QuoteStep::Revise => api::post_versioned::<QuoteView, _>(&path, &(), &etag)
                        .await
                        .map(|q| app.navigate.emit(Route::Quote(q.value.id))),
                    _ => api::post_versioned::<QuoteView, _>(&path, &(), &etag)
                        .await
                        .map(|_| ()),
                };
                busy.set(false);
                match done {
                    Ok(()) => generation.set(*generation + 1),
                    Err(err) => failure.set(app.check(err)),
                }
            });
        })
    };
    let on_print = {
        let (app, document, failure, id) =
            (app.clone(), document.clone(), failure.clone(), props.id);
        Callback::from(move |_: MouseEvent| {
            let (app, document, failure) = (app.clone(), document.clone(), failure.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match api::get_text(&format!("/api/v1/quotes/{id}/document")).await {
                    Ok(html) => document.set(Some(html)),
                    Err(err) => failure.set(app.check(err)),
                }
            });
        })
    };

    let Some(q) = quote.value() else {
        return quote.note();
    };
    let write = app.user.as_ref().map_or(Reach::None, |u| {
        reach(u.role, Resource::Quotes, Action::Write)
    });
    let steps = offered_steps(q, write);
    // Only a draft's lines may change (the server refuses the rest).
    let may_edit = q.status == QuoteStatus::Draft && write != Reach::None;
    html! {
        <section class="quote-detail" id="quote-detail" data-status={q.status.as_str()}>
            <div class="toolbar">
                <h1>{ app.t("quote.quote") }{ " " }<span id="quote-number">{ &q.number }</span>{ format!(" r{}", q.revision) }</h1>
                <span class="badge" id="quote-status">{ app.t(&format!("quote_status.{}", q.status.as_str())) }</span>
            </div>
            <p>
                { app.link(Route::Account(q.account_id), app.t("quote.customer")) }
                { " · " }{ app.t("quote.valid_until") }{ " " }{ app.day(q.valid_until) }
                if q.needs_approval {
                    { " · " }
                    if q.approved_at.is_some() { { app.t("quote.approved") } } else { { app.t("quote.needs_approval") } }
                }
            </p>
            if let (true, Some(etag)) = (*editor.open, quote.etag()) {
                <QuoteEditor quote={q.clone()} etag={etag.to_owned()} on_saved={editor.on_saved.clone()}
                    on_cancel={editor.on_cancel.clone()} on_stale={editor.on_stale.clone()} />
            } else {
            { lines(&app, q) }
            <dl class="totals card" id="quote-totals">
                <dt>{ app.t("quote.subtotal") }</dt><dd id="total-subtotal">{ format_money(q.subtotal, q.currency) }</dd>
                <dt>{ app.t("quote.discount_total") }</dt><dd id="total-discount">{ format_money(q.discount, q.currency) }</dd>
                <dt>{ app.t("quote.tax") }</dt><dd id="total-tax">{ format_money(q.tax, q.currency) }</dd>
                <dt>{ app.t("quote.grand_total") }</dt><dd id="total-grand">{ format_money(q.grand_total, q.currency) }</dd>
            </dl>
            }
            if let Some(f) = &*failure {
                <FailureNote failure={f.clone()} />
            }
            if let Some(n) = *asked {
                <p class="saved" id="approval-requested" role="status">
                    { app.t("quote.approval_requested") }{ format!(" ({n})") }
                </p>
            }
            if let Some(o) = &*order {
                <p class="saved" id="order-created" role="status">
                    { app.t("quote.order_created") }{ " " }
                    <span id="created-order-link">{ app.link(Route::Order(o.id), &o.number) }</span>
                    { " · " }{ format_money(o.grand_total, o.currency) }
                </p>
            }
            <div class="actions">
                if may_edit && !*editor.open {
                    <button id="quote-edit" disabled={*busy}
                        onclick={let e = editor.open.clone(); move |_: MouseEvent| e.set(true)}>{ app.t("quote.edit") }</button>
                }
                { for steps.iter().map(|step| {
                    let (on_step, step) = (on_step.clone(), *step);
                    let primary = matches!(step, QuoteStep::Send | QuoteStep::Accept | QuoteStep::Approve);
                    html! {
                        <button id={format!("quote-{}", step.path())} class={classes!(primary.then_some("primary"))}
                            disabled={*busy} onclick={move |_: MouseEvent| on_step.emit(step)}>{ app.t(step.label()) }</button>
                    }
                }) }
                <button id="quote-print" onclick={on_print}>{ app.t("quote.print") }</button>
            </div>
            if let Some(html) = &*document {
                <DocumentFrame html={html.clone()} />
            }
            <QuoteRevisions id={props.id} generation={*generation} />
        </section>
    }
}

fn lines(app: &AppContext, q: &QuoteView) -> Html {
    html! {
        <table class="list" id="quote-lines">
            <thead><tr>
                <th>{ app.t("quote.description") }</th>
                <th class="num">{ app.t("quote.quantity") }</th>
                <th class="num">{ app.t("quote.unit_price") }</th>
                <th class="num">{ app.t("quote.discount") }</th>
                <th class="num">{ app.t("quote.tax_rate") }</th>
                <th class="num">{ app.t("quote.line_total") }</th>
            </tr></thead>
            <tbody>
                { for q.lines.iter().map(|l| html! {
                    <tr class="quote-line">
                        <td data-label={app.t("quote.description")}>{ &l.description }</td>
                        <td class="num" data-label={app.t("quote.quantity")}>{ l.quantity.normalize().to_string() }</td>
                        <td class="num" data-label={app.t("quote.unit_price")}>{ format_money(l.unit_price, q.currency) }</td>
                        <td class="num" data-label={app.t("quote.discount")}>{ format!("{}%", l.discount_percent.normalize()) }</td>
                        <td class="num" data-label={app.t("quote.tax_rate")}>{ format!("{}%", l.tax_rate_percent.normalize()) }</td>
                        <td class="num" data-label={app.t("quote.line_total")}>{ format_money(l.total, q.currency) }</td>
                    </tr>
                }) }
            </tbody>
        </table>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quote(status: &str, needs_approval: bool, approved: bool) -> QuoteView {
        let id = Uuid::nil();
        serde_json::from_value(serde_json::json!({
            "id": id, "dealer_id": null, "number": "Q-1", "revision": 1, "opportunity_id": id,
            "account_id": id, "owner_id": id, "status": status, "currency": "CNY",
            "valid_until": "2026-12-31", "lines": [], "subtotal": "0", "discount": "0",
            "net": "0", "tax": "0", "grand_total": "0", "max_discount_percent": "0",
            "needs_approval": needs_approval, "approved_by": null,
            "approved_at": if approved { serde_json::json!("2026-11-24T10:00:00Z") } else { serde_json::Value::Null },
            "sent_at": null, "notes": null, "created_by": id,
            "created_at": "2026-11-24T10:00:00Z", "updated_at": "2026-11-24T10:00:00Z", "version": 1
        }))
        .unwrap()
    }

    #[test]
    fn a_draft_needing_approval_offers_approval_to_approvers_and_a_request_to_the_rest() {
        let q = quote("draft", true, false);
        assert_eq!(offered_steps(&q, Reach::Team), [QuoteStep::Approve]);
        assert_eq!(offered_steps(&q, Reach::Own), [QuoteStep::RequestApproval]);
        assert_eq!(
            offered_steps(&q, Reach::Dealer),
            [QuoteStep::RequestApproval]
        );
        let approved = quote("draft", true, true);
        assert_eq!(offered_steps(&approved, Reach::Own), [QuoteStep::Send]);
        assert_eq!(
            offered_steps(&quote("draft", false, false), Reach::Dealer),
            [QuoteStep::Send]
        );
    }

    #[test]
    fn a_sent_quote_can_be_accepted_and_nothing_follows_acceptance() {
        let sent = offered_steps(&quote("sent", false, false), Reach::Own);
        assert_eq!(sent[0], QuoteStep::Accept);
        assert!(sent.contains(&QuoteStep::Revise));
        assert!(offered_steps(&quote("accepted", false, false), Reach::All).is_empty());
        assert!(offered_steps(&quote("sent", false, false), Reach::None).is_empty());
    }
}
