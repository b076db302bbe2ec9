//! The order's payment plan editor: split the total into installments (a count of equal
//! parts, or percentages such as 30/60/10), adjust each due date and amount, add or remove
//! installments, and see what is left to plan as you type. The plan is sent with the version
//! it was read at, so a change made meanwhile is refused rather than overwritten; the server
//! also refuses it once a payment has been applied.

use kedao_api_types::receivables::PlanView;
use kedao_domain::Currency;
use rust_decimal::Decimal;
use uuid::Uuid;
use yew::prelude::*;

use crate::api;
use crate::components::field::{Field, input_value};
use crate::components::notice::FailureNote;
use crate::context::{AppContext, use_app};
use crate::money::format_money;
use crate::plan_draft::{InstallmentDraft, PlanDraft, Split, installment_field};
use crate::problem::{ApiFailure, FieldErrors, field_code_key};

#[derive(Properties, PartialEq)]
pub struct PlanEditorProps {
    pub order_id: Uuid,
    pub plan: PlanView,
    /// The plan's ETag (the order's version), sent as `If-Match`.
    pub etag: AttrValue,
    pub total: Decimal,
    pub currency: Currency,
    pub on_saved: Callback<()>,
    pub on_cancel: Callback<()>,
    /// The order changed meanwhile: the editor closes, the refusal shows and the order is
    /// read again, so nobody overwrites a plan they have not seen.
    pub on_stale: Callback<ApiFailure>,
}

#[function_component]
pub fn PlanEditor(props: &PlanEditorProps) -> Html {
    let app = use_app();
    let draft = use_state(|| PlanDraft::from_plan(&props.plan));
    let split = use_state(|| Split::like(&props.plan));
    let errors = use_state(FieldErrors::default);
    let failure = use_state(|| None::<ApiFailure>);
    let busy = use_state(|| false);
    let (total, currency) = (props.total, props.currency);

    let on_split = {
        let (draft, split, errors) = (draft.clone(), split.clone(), errors.clone());
        Callback::from(move |_: MouseEvent| match split.rows(total, currency) {
            Ok(rows) => {
                draft.set(PlanDraft { rows });
                errors.set(FieldErrors::default());
            }
            Err(found) => errors.set(found),
        })
    };
    let on_add = {
        let (draft, split) = (draft.clone(), split.clone());
        Callback::from(move |_: MouseEvent| {
            let mut next = (*draft).clone();
            let first = today();
            next.add(total, first, split.every_days().unwrap_or(30));
            draft.set(next);
        })
    };
    let on_submit = {
        let (app, draft, errors, failure, busy) = (
            app.clone(),
            draft.clone(),
            errors.clone(),
            failure.clone(),
            busy.clone(),
        );
        let (order_id, etag) = (props.order_id, props.etag.to_string());
        let (on_saved, on_stale) = (props.on_saved.clone(), props.on_stale.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let body = match draft.to_request(total, currency) {
                Ok(body) => body,
                Err(found) => return errors.set(found),
            };
            let (app, errors, failure, busy, etag) = (
                app.clone(),
                errors.clone(),
                failure.clone(),
                busy.clone(),
                etag.clone(),
            );
            let (on_saved, on_stale) = (on_saved.clone(), on_stale.clone());
            busy.set(true);
            failure.set(None);
            wasm_bindgen_futures::spawn_local(async move {
                let path = format!("/api/v1/orders/{order_id}/plan");
                let saved = api::put::<PlanView, _>(&path, &body, &etag).await;
                busy.set(false);
                app.finish_versioned_save(saved, &on_saved, &on_stale, &errors, &failure);
            });
        })
    };
    // One handler per split field: it writes the typed text into its place.
    let split_text = |set: fn(&mut Split, String)| {
        let split = split.clone();
        Callback::from(move |e: InputEvent| {
            let mut next = (*split).clone();
            set(&mut next, input_value(&e));
            split.set(next);
        })
    };
    let edit = |index: usize, set: fn(&mut InstallmentDraft, String)| {
        let draft = draft.clone();
        Callback::from(move |e: InputEvent| {
            let mut next = (*draft).clone();
            if let Some(row) = next.rows.get_mut(index) {
                set(row, input_value(&e));
            }
            draft.set(next);
        })
    };
    let remove = |index: usize| {
        let draft = draft.clone();
        Callback::from(move |_: MouseEvent| {
            let mut next = (*draft).clone();
            if index < next.rows.len() {
                next.rows.remove(index);
            }
            draft.set(next);
        })
    };
    let on_cancel = {
        let cancel = props.on_cancel.clone();
        Callback::from(move |_: MouseEvent| cancel.emit(()))
    };

    let errs = (*errors).clone();
    let remaining = draft.remaining(total);
    let planned = remaining.map(|left| total - left);
    let whole = errs
        .get("installments")
        .map(|e| message(&app, &e.code, &e.message));
    html! {
        <form class="card form plan-editor" id="plan-editor" onsubmit={on_submit}>
            <h2>{ app.t("plan.title") }</h2>
            <div class="split">
                <Field name="split_shares" label="plan.shares" errors={errs.clone()}>
                    <input id="field-split_shares" value={split.shares.clone()} oninput={split_text(|s, v| s.shares = v)} />
                </Field>
                <Field name="split_first_due" label="plan.first_due" errors={errs.clone()}>
                    <input id="field-split_first_due" type="date" value={split.first_due.clone()} oninput={split_text(|s, v| s.first_due = v)} />
                </Field>
                <Field name="split_every_days" label="plan.every_days" errors={errs.clone()}>
                    <input id="field-split_every_days" inputmode="numeric" value={split.every_days.clone()} oninput={split_text(|s, v| s.every_days = v)} />
                </Field>
                <button type="button" id="plan-split" onclick={on_split}>{ app.t("plan.split") }</button>
            </div>
            <table class="list" id="plan-rows">
                <thead><tr>
                    <th>{ "#" }</th>
                    <th>{ app.t("plan.due_date") }</th>
                    <th class="num">{ app.t("plan.amount") }</th>
                    <th></th>
                </tr></thead>
                <tbody>
                    { for draft.rows.iter().enumerate().map(|(i, row)| html! {
                        <tr class="plan-row">
                            <td data-label="#">{ i + 1 }</td>
                            { cell(&app, &errs, i, "due_date", "date", &row.due_date, edit(i, |r, v| r.due_date = v)) }
                            { cell(&app, &errs, i, "amount", "text", &row.amount, edit(i, |r, v| r.amount = v)) }
                            <td class="row-actions">
                                <button type="button" class="link" id={format!("plan-{i}-remove")} onclick={remove(i)}>{ app.t("plan.remove") }</button>
                            </td>
                        </tr>
                    }) }
                </tbody>
            </table>
            <button type="button" id="plan-add" onclick={on_add}>{ app.t("plan.add") }</button>
            <dl class="totals">
                <dt>{ app.t("quote.grand_total") }</dt>
                <dd id="plan-total">{ format_money(total, currency) }</dd>
                <dt>{ app.t("plan.planned") }</dt>
                <dd id="plan-planned">{ planned.map(|p| format_money(p, currency)).unwrap_or_default() }</dd>
                <dt>{ app.t("plan.remaining") }</dt>
                <dd id="plan-remaining" class={classes!((remaining != Some(Decimal::ZERO)).then_some("off"))}>
                    { remaining.map(|r| format_money(r, currency)).unwrap_or_default() }
                </dd>
            </dl>
            if let Some(text) = whole {
                <p class="field-error" id="error-installments">{ text }</p>
            }
            if let Some(f) = &*failure {
                <FailureNote failure={f.clone()} />
            }
            <div class="actions">
                <button id="plan-save" type="submit" class="primary" disabled={*busy}>{ app.t("form.save") }</button>
                <button type="button" id="plan-cancel" onclick={on_cancel}>{ app.t("form.cancel") }</button>
            </div>
        </form>
    }
}

/// The message for an error code: the app's own words when it has them, else the server's.
fn message(app: &AppContext, code: &str, server: &str) -> String {
    field_code_key(code).map_or_else(|| server.to_owned(), |key| app.t(key).to_owned())
}

fn cell(
    app: &AppContext,
    errors: &FieldErrors,
    index: usize,
    field: &str,
    kind: &str,
    value: &str,
    oninput: Callback<InputEvent>,
) -> Html {
    let error = errors
        .get(&installment_field(index, field))
        .map(|e| message(app, &e.code, &e.message));
    let label = if field == "amount" {
        "plan.amount"
    } else {
        "plan.due_date"
    };
    let id = format!("plan-{index}-{field}");
    html! {
        <td class={classes!(field.to_owned(), (field == "amount").then_some("num"), error.is_some().then_some("invalid"))} data-label={app.t(label)}>
            <input id={id.clone()} type={kind.to_owned()} aria-label={app.t(label)} value={value.to_owned()} {oninput}
                inputmode={(field == "amount").then_some("decimal")} />
            if let Some(message) = error {
                <span class="field-error" id={format!("error-{id}")}>{ message }</span>
            }
        </td>
    }
}

/// The browser's local date: where an empty plan's first installment falls by default.
fn today() -> chrono::NaiveDate {
    let now = js_sys::Date::new_0();
    chrono::NaiveDate::from_ymd_opt(
        now.get_full_year() as i32,
        now.get_month() + 1,
        now.get_date(),
    )
    .unwrap_or_default()
}
