//! The customer's credit (信用控制) on the 360 view: the limit and what may still be ordered
//! under it, what is owed, overdue and held as unapplied credit per currency, the oldest
//! overdue installment against the days after which new orders are held, and the orders
//! waiting for a release. Finance (and a manager, for the team's customers) set or remove
//! the limit here, with the version it was read at; the server decides who may.

use kedao_api_types::credit::{AccountCreditView, CreditLimitSet};
use kedao_domain::Currency;
use kedao_domain::access::{Action, Resource};
use uuid::Uuid;
use yew::prelude::*;

use crate::api;
use crate::components::fetched::use_fetched;
use crate::components::field::{Field, input_value, select_value};
use crate::components::notice::FailureNote;
use crate::context::{AppContext, use_app};
use crate::money::{format_money, read_amount};
use crate::problem::{ApiFailure, FieldErrors};

/// A new limit as typed, as the request that sets it; or what is wrong with it (`limit`).
pub fn limit_request(text: &str, currency: Currency) -> Result<CreditLimitSet, FieldErrors> {
    let mut errors = FieldErrors::default();
    if text.trim().is_empty() {
        errors.insert("limit", "required", "");
        return Err(errors);
    }
    match read_amount(text, currency) {
        Ok(limit) => Ok(CreditLimitSet {
            limit: Some(limit),
            currency: Some(currency),
        }),
        Err(code) => {
            errors.insert("limit", code, "");
            Err(errors)
        }
    }
}

#[derive(Properties, PartialEq)]
pub struct AccountCreditProps {
    pub id: Uuid,
}

/// What a submit asks for.
#[derive(Clone, Copy, PartialEq)]
enum Intent {
    Set,
    Remove,
}

#[function_component]
pub fn AccountCredit(props: &AccountCreditProps) -> Html {
    let app = use_app();
    let id = props.id;
    let generation = use_state(|| 0_u32);
    let credit =
        use_fetched::<AccountCreditView>(format!("/api/v1/accounts/{id}/credit"), *generation);
    let editing = use_state(|| false);
    let limit_text = use_state(String::new);
    let currency = use_state(|| Currency::Cny);
    let errors = use_state(FieldErrors::default);
    let failure = use_state(|| None::<ApiFailure>);
    let busy = use_state(|| false);

    let on_open = {
        let (editing, limit_text, currency, errors, failure, credit) = (
            editing.clone(),
            limit_text.clone(),
            currency.clone(),
            errors.clone(),
            failure.clone(),
            credit.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            let now = credit.value();
            limit_text.set(
                now.and_then(|c| c.limit)
                    .map(|l| l.to_string())
                    .unwrap_or_default(),
            );
            currency.set(now.and_then(|c| c.currency).unwrap_or(Currency::Cny));
            errors.set(FieldErrors::default());
            failure.set(None);
            editing.set(true);
        })
    };
    let submit = {
        let (app, credit, limit_text, currency, errors, failure, busy, editing, generation) = (
            app.clone(),
            credit.clone(),
            limit_text.clone(),
            currency.clone(),
            errors.clone(),
            failure.clone(),
            busy.clone(),
            editing.clone(),
            generation.clone(),
        );
        Callback::from(move |intent: Intent| {
            let Some(etag) = credit.etag().map(str::to_owned) else {
                return;
            };
            let body = match intent {
                Intent::Set => match limit_request(&limit_text, *currency) {
                    Ok(body) => body,
                    Err(found) => return errors.set(found),
                },
                Intent::Remove => CreditLimitSet {
                    limit: None,
                    currency: None,
                },
            };
            let (app, errors, failure, busy, editing, generation) = (
                app.clone(),
                errors.clone(),
                failure.clone(),
                busy.clone(),
                editing.clone(),
                generation.clone(),
            );
            busy.set(true);
            wasm_bindgen_futures::spawn_local(async move {
                let path = format!("/api/v1/accounts/{id}/credit");
                let saved = api::put::<AccountCreditView, _>(&path, &body, &etag).await;
                busy.set(false);
                match saved {
                    Ok(_) => {
                        editing.set(false);
                        errors.set(FieldErrors::default());
                        failure.set(None);
                        generation.set(*generation + 1);
                    }
                    Err(err) => {
                        // Changed meanwhile: show the account as it is now, refusal kept.
                        if matches!(err, ApiFailure::Stale(_)) {
                            generation.set(*generation + 1);
                        }
                        app.show_form_failure(err, &errors, &failure);
                    }
                }
            });
        })
    };
    let onsubmit = {
        let submit = submit.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            submit.emit(Intent::Set);
        })
    };

    let Some(view) = credit.value() else {
        return html! {
            <section class="card" id="account-credit">
                <h2>{ app.t("credit.title") }</h2>
                { credit.note() }
            </section>
        };
    };
    let may_set = app.can(Resource::Credit, Action::Write);
    let errs = (*errors).clone();
    html! {
        <section class="card" id="account-credit">
            <h2>{ app.t("credit.title") }</h2>
            { standing(&app, view) }
            { balances(&app, view) }
            if *editing {
                <form class="form credit-form" id="credit-form" {onsubmit}>
                    <Field name="limit" label="credit.limit" errors={errs.clone()}>
                        <input id="field-limit" inputmode="decimal" value={(*limit_text).clone()}
                            oninput={let t = limit_text.clone(); move |e: InputEvent| t.set(input_value(&e))} />
                    </Field>
                    <Field name="currency" label="products.currency" errors={errs}>
                        <select id="field-credit-currency"
                            onchange={let c = currency.clone(); move |e: Event| if let Ok(code) = select_value(&e).parse() { c.set(code) }}>
                            { for Currency::ALL.iter().map(|c| html! {
                                <option value={c.code()} selected={*c == *currency}>{ c.code() }</option>
                            }) }
                        </select>
                    </Field>
                    <div class="actions">
                        <button id="credit-save" type="submit" class="primary" disabled={*busy}>{ app.t("form.save") }</button>
                        if view.limit.is_some() {
                            <button id="credit-remove" type="button" disabled={*busy}
                                onclick={let s = submit.clone(); move |_: MouseEvent| s.emit(Intent::Remove)}>{ app.t("credit.remove_limit") }</button>
                        }
                        <button id="credit-cancel" type="button"
                            onclick={let e = editing.clone(); move |_: MouseEvent| e.set(false)}>{ app.t("form.cancel") }</button>
                    </div>
                </form>
            } else if may_set {
                <button id="credit-edit" onclick={on_open}>{ app.t("credit.set_limit") }</button>
            }
            if let Some(f) = &*failure {
                <FailureNote failure={f.clone()} />
            }
        </section>
    }
}

/// The limit, what is still available under it, the oldest overdue days and held orders.
fn standing(app: &AppContext, view: &AccountCreditView) -> Html {
    let limit = match (view.limit, view.currency) {
        (Some(limit), Some(currency)) => format_money(limit, currency),
        _ => app.t("credit.no_limit").to_owned(),
    };
    let available = match (view.available, view.currency) {
        (Some(available), Some(currency)) => Some(format_money(available, currency)),
        _ => None,
    };
    // Past the threshold, the next order goes on hold whatever the limit.
    let blocking = view
        .oldest_overdue_days
        .is_some_and(|days| days > i64::from(view.hold_after_overdue_days));
    html! {
        <dl class="facts">
            <dt>{ app.t("credit.limit") }</dt>
            <dd id="credit-limit">{ limit }</dd>
            if let Some(available) = available {
                <dt>{ app.t("credit.available") }</dt>
                <dd id="credit-available">{ available }</dd>
            }
            <dt>{ app.t("credit.oldest_overdue") }</dt>
            <dd id="credit-oldest-overdue" class={classes!(blocking.then_some("bad"))}>
                { view.oldest_overdue_days.map_or_else(|| app.t("credit.none_overdue").to_owned(), |d| format!("{d} {}", app.t("credit.days"))) }
                { format!(" · {} {} {}", app.t("credit.hold_after"), view.hold_after_overdue_days, app.t("credit.days")) }
            </dd>
            <dt>{ app.t("credit.orders_on_hold") }</dt>
            <dd id="credit-orders-on-hold">{ view.orders_on_hold }</dd>
        </dl>
    }
}

fn balances(app: &AppContext, view: &AccountCreditView) -> Html {
    if view.balances.is_empty() {
        return Html::default();
    }
    html! {
        <table class="list" id="credit-balances">
            <thead><tr>
                <th>{ app.t("products.currency") }</th>
                <th class="num">{ app.t("receivables.outstanding") }</th>
                <th class="num">{ app.t("receivables.overdue") }</th>
                <th class="num">{ app.t("credit.unapplied") }</th>
            </tr></thead>
            <tbody>
                { for view.balances.iter().map(|b| html! {
                    <tr data-currency={b.currency.code()}>
                        <td data-label={app.t("products.currency")}>{ b.currency.code() }</td>
                        <td class="num outstanding" data-label={app.t("receivables.outstanding")}>{ format_money(b.outstanding, b.currency) }</td>
                        <td class="num overdue" data-label={app.t("receivables.overdue")}>{ format_money(b.overdue, b.currency) }</td>
                        <td class="num unapplied" data-label={app.t("credit.unapplied")}>{ format_money(b.unapplied_credit, b.currency) }</td>
                    </tr>
                }) }
            </tbody>
        </table>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;

    #[test]
    fn a_typed_limit_becomes_the_request_or_names_the_field() {
        let set = limit_request(" 500000 ", Currency::Cny).unwrap();
        assert_eq!(set.limit, Some(Decimal::new(50_000_000, 2)));
        assert_eq!(set.currency, Some(Currency::Cny));
        assert_eq!(
            limit_request("0", Currency::Usd).unwrap().limit,
            Some(Decimal::ZERO),
            "a zero limit holds every new order"
        );
        for (typed, code) in [
            ("", "required"),
            ("50万", "not-a-number"),
            ("-1", "out-of-range"),
            ("1.005", "too-precise"),
        ] {
            let errors = limit_request(typed, Currency::Cny).unwrap_err();
            assert_eq!(errors.get("limit").unwrap().code, code, "{typed:?}");
        }
    }
}
