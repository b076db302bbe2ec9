//! One lead, and converting it into an account, a contact and an opportunity.

use std::str::FromStr;

use chrono::NaiveDate;
use kedao_api_types::leads::{LeadConvert, LeadConvertOpportunity, LeadConvertResult, LeadView};
use kedao_api_types::notes::RecordType;
use kedao_domain::Currency;
use rust_decimal::Decimal;
use uuid::Uuid;
use yew::prelude::*;

use crate::api;
use crate::components::attachments_panel::AttachmentsPanel;
use crate::components::field::{Field, input_value};
use crate::components::notes_panel::NotesPanel;
use crate::components::notice::{FailureNote, Loading};
use crate::context::{AppContext, use_app};
use crate::problem::{ApiFailure, FieldErrors};

#[derive(Properties, PartialEq)]
pub struct LeadDetailProps {
    pub id: Uuid,
}

#[function_component]
pub fn LeadDetail(props: &LeadDetailProps) -> Html {
    let app = use_app();
    let lead = use_state(|| None::<LeadView>);
    let failure = use_state(|| None::<ApiFailure>);
    let result = use_state(|| None::<LeadConvertResult>);

    {
        let (lead, failure, app) = (lead.clone(), failure.clone(), app.clone());
        use_effect_with(props.id, move |id| {
            let path = format!("/api/v1/leads/{id}");
            wasm_bindgen_futures::spawn_local(async move {
                match api::get::<LeadView>(&path).await {
                    Ok(found) => lead.set(Some(found.value)),
                    Err(err) => failure.set(app.check(err)),
                }
            });
        });
    }

    let on_converted = {
        let (lead, result) = (lead.clone(), result.clone());
        Callback::from(move |converted: LeadConvertResult| {
            lead.set(Some(converted.lead.clone()));
            result.set(Some(converted));
        })
    };

    let Some(view) = &*lead else {
        return match &*failure {
            Some(f) => html! { <FailureNote failure={f.clone()} /> },
            None => html! { <Loading /> },
        };
    };
    html! {
        <section class="lead-detail">
            <h1 id="lead-name">{ &view.name }</h1>
            <dl class="facts">
                <dt>{ app.t("lead.company") }</dt><dd>{ view.company.clone().unwrap_or_default() }</dd>
                <dt>{ app.t("lead.phone") }</dt><dd>{ view.phone.clone().unwrap_or_default() }</dd>
                <dt>{ app.t("lead.email") }</dt><dd>{ view.email.clone().unwrap_or_default() }</dd>
                <dt>{ app.t("leads.status") }</dt>
                <dd id="lead-status">{ app.t(&format!("lead_status.{}", view.status.as_str())) }</dd>
            </dl>
            if let Some(done) = &*result {
                { conversion_summary(&app, done) }
            } else if view.conversion.is_none() {
                <ConvertForm id={view.id} company={view.company.clone().unwrap_or_else(|| view.name.clone())} {on_converted} />
            }
            <NotesPanel record_type={RecordType::Lead} record_id={view.id} />
            <AttachmentsPanel record_type={RecordType::Lead} record_id={view.id} />
        </section>
    }
}

fn conversion_summary(app: &AppContext, done: &LeadConvertResult) -> Html {
    let account_key = if done.account_created {
        "convert.account_created"
    } else {
        "convert.account_linked"
    };
    html! {
        <div class="card" id="conversion-result" role="status">
            <h2>{ app.t("convert.done") }</h2>
            <ul>
                <li>{ app.t(account_key) }{ ": " }<code>{ done.account_id.to_string() }</code></li>
                <li>{ app.t("convert.contact_created") }{ ": " }<code>{ done.contact_id.to_string() }</code></li>
                if let Some(id) = done.opportunity_id {
                    <li id="created-opportunity">{ app.t("convert.opportunity_created") }{ ": " }<code>{ id.to_string() }</code></li>
                }
            </ul>
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct ConvertFormProps {
    id: Uuid,
    /// The account-to-be's name, shown as the default deal title.
    company: String,
    on_converted: Callback<LeadConvertResult>,
}

#[derive(Clone, PartialEq, Default)]
struct ConvertDraft {
    title: String,
    amount: String,
    close_date: String,
}

impl ConvertDraft {
    fn to_request(&self) -> Result<LeadConvert, FieldErrors> {
        let mut errors = FieldErrors::default();
        let amount = Decimal::from_str(self.amount.trim())
            .map_err(|_| errors.insert("amount", "not-a-number", ""));
        let date = NaiveDate::parse_from_str(self.close_date.trim(), "%Y-%m-%d")
            .map_err(|_| errors.insert("expected_close_date", "required", ""));
        match (amount, date) {
            (Ok(amount), Ok(expected_close_date)) => Ok(LeadConvert {
                account_id: None,
                account_name: None,
                opportunity: Some(LeadConvertOpportunity {
                    title: Some(self.title.trim().to_owned()).filter(|t| !t.is_empty()),
                    amount,
                    currency: Some(Currency::Cny),
                    expected_close_date,
                    pipeline_id: None,
                }),
            }),
            _ => Err(errors),
        }
    }
}

#[function_component]
fn ConvertForm(props: &ConvertFormProps) -> Html {
    let app = use_app();
    let draft = use_state(ConvertDraft::default);
    let errors = use_state(FieldErrors::default);
    let failure = use_state(|| None::<ApiFailure>);
    let busy = use_state(|| false);

    let onsubmit = {
        let (draft, errors, failure, busy, app) = (
            draft.clone(),
            errors.clone(),
            failure.clone(),
            busy.clone(),
            app.clone(),
        );
        let (id, on_converted) = (props.id, props.on_converted.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let body = match draft.to_request() {
                Ok(body) => body,
                Err(found) => return errors.set(found),
            };
            let (errors, failure, busy, app, on_converted) = (
                errors.clone(),
                failure.clone(),
                busy.clone(),
                app.clone(),
                on_converted.clone(),
            );
            busy.set(true);
            wasm_bindgen_futures::spawn_local(async move {
                let path = format!("/api/v1/leads/{id}/convert");
                match api::post::<LeadConvertResult, _>(&path, &body).await {
                    Ok(done) => on_converted.emit(done.value),
                    Err(err) => {
                        busy.set(false);
                        if let Some(err) = app.check(err) {
                            errors.set(err.field_errors().nested("opportunity"));
                            failure.set(Some(err));
                        }
                    }
                }
            });
        })
    };
    let input = |name: &'static str,
                 kind: &'static str,
                 value: &str,
                 set: fn(&mut ConvertDraft, String)| {
        let draft = draft.clone();
        let oninput = Callback::from(move |e: InputEvent| {
            let mut next = (*draft).clone();
            set(&mut next, input_value(&e));
            draft.set(next);
        });
        html! { <input id={format!("field-{name}")} type={kind} value={value.to_owned()} {oninput} /> }
    };

    html! {
        <form class="card form" id="convert-form" {onsubmit}>
            <h2>{ app.t("convert.title") }</h2>
            <Field name="title" label="convert.deal_title" errors={(*errors).clone()}>
                <input id="field-title" type="text" placeholder={props.company.clone()} value={draft.title.clone()}
                    oninput={let d = draft.clone(); move |e: InputEvent| { let mut n = (*d).clone(); n.title = input_value(&e); d.set(n); }} />
            </Field>
            <Field name="amount" label="convert.amount" errors={(*errors).clone()}>
                { input("amount", "text", &draft.amount, |d, v| d.amount = v) }
            </Field>
            <Field name="expected_close_date" label="convert.close_date" errors={(*errors).clone()}>
                { input("expected_close_date", "date", &draft.close_date, |d, v| d.close_date = v) }
            </Field>
            if let Some(f) = &*failure {
                <FailureNote failure={f.clone()} />
            }
            <div class="actions">
                <button id="convert" type="submit" class="primary" disabled={*busy}>{ app.t("convert.submit") }</button>
            </div>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conversion_needs_an_amount_and_a_date() {
        let errors = ConvertDraft {
            amount: "x".into(),
            ..ConvertDraft::default()
        }
        .to_request()
        .err()
        .unwrap();
        assert!(errors.get("amount").is_some());
        assert!(errors.get("expected_close_date").is_some());
        let ok = ConvertDraft {
            title: String::new(),
            amount: "480000.00".into(),
            close_date: "2027-03-31".into(),
        }
        .to_request()
        .unwrap();
        let opportunity = ok.opportunity.unwrap();
        assert_eq!(opportunity.amount, Decimal::new(48_000_000, 2));
        assert_eq!(opportunity.title, None);
    }
}
