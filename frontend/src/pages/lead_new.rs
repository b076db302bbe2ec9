//! A new lead. The server checks the fields; its complaints show next to them.

use kedao_api_types::leads::{LeadCreate, LeadView};
use kedao_domain::lead::LeadSource;
use yew::prelude::*;

use crate::api;
use crate::components::field::{Field, input_value, select_value};
use crate::components::notice::FailureNote;
use crate::context::use_app;
use crate::problem::{ApiFailure, FieldErrors};
use crate::route::Route;

/// The form as typed: strings until sent.
#[derive(Clone, PartialEq, Default)]
struct Draft {
    name: String,
    company: String,
    phone: String,
    email: String,
    source: String,
    score: String,
}

impl Draft {
    /// The request, or the fields the app can already tell are wrong.
    fn to_request(&self) -> Result<LeadCreate, FieldErrors> {
        let mut errors = FieldErrors::default();
        let score = match self.score.trim() {
            "" => None,
            text => match text.parse::<i64>() {
                Ok(n) => Some(n),
                Err(_) => {
                    errors.insert("score", "not-a-number", "");
                    None
                }
            },
        };
        let source = LeadSource::parse(&self.source).unwrap_or(LeadSource::Other);
        if !errors.is_empty() {
            return Err(errors);
        }
        let optional = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
        Ok(LeadCreate {
            name: self.name.trim().to_owned(),
            company: optional(&self.company),
            title: None,
            phone: optional(&self.phone),
            email: optional(&self.email),
            source,
            score,
            region: None,
            industry: None,
            notes: None,
            owner_id: None,
            // A dealer's staff create for their own dealer whatever is sent; staff hand leads
            // to dealers from the lead afterwards.
            dealer_id: None,
        })
    }
}

#[function_component]
pub fn LeadNew() -> Html {
    let app = use_app();
    let draft = use_state(|| Draft {
        source: "web".into(),
        ..Draft::default()
    });
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
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let body = match draft.to_request() {
                Ok(body) => body,
                Err(found) => {
                    errors.set(found);
                    return;
                }
            };
            let (errors, failure, busy, app) =
                (errors.clone(), failure.clone(), busy.clone(), app.clone());
            busy.set(true);
            wasm_bindgen_futures::spawn_local(async move {
                match api::post::<LeadView, _>("/api/v1/leads", &body).await {
                    Ok(created) => app.navigate.emit(Route::Lead(created.value.id)),
                    Err(err) => {
                        busy.set(false);
                        app.show_form_failure(err, &errors, &failure);
                    }
                }
            });
        })
    };

    let text_input = |name: &'static str,
                      kind: &'static str,
                      value: &str,
                      set: fn(&mut Draft, String)| {
        let draft = draft.clone();
        let oninput = Callback::from(move |e: InputEvent| {
            let mut next = (*draft).clone();
            set(&mut next, input_value(&e));
            draft.set(next);
        });
        html! { <input id={format!("field-{name}")} type={kind} value={value.to_owned()} {oninput} /> }
    };
    let on_source = {
        let draft = draft.clone();
        Callback::from(move |e: Event| {
            let mut next = (*draft).clone();
            next.source = select_value(&e);
            draft.set(next);
        })
    };
    let shown = ["name", "company", "phone", "email", "source", "score"];

    html! {
        <form class="card form" id="lead-form" {onsubmit}>
            <h1>{ app.t("leads.new") }</h1>
            <Field name="name" label="lead.name" errors={(*errors).clone()}>
                { text_input("name", "text", &draft.name, |d, v| d.name = v) }
            </Field>
            <Field name="company" label="lead.company" errors={(*errors).clone()}>
                { text_input("company", "text", &draft.company, |d, v| d.company = v) }
            </Field>
            <Field name="phone" label="lead.phone" errors={(*errors).clone()}>
                { text_input("phone", "tel", &draft.phone, |d, v| d.phone = v) }
            </Field>
            <Field name="email" label="lead.email" errors={(*errors).clone()}>
                { text_input("email", "text", &draft.email, |d, v| d.email = v) }
            </Field>
            <Field name="source" label="lead.source" errors={(*errors).clone()}>
                <select id="field-source" onchange={on_source}>
                    { for LeadSource::ALL.iter().map(|s| html! {
                        <option value={s.as_str()} selected={draft.source == s.as_str()}>{ app.t(&format!("lead_source.{}", s.as_str())) }</option>
                    }) }
                </select>
            </Field>
            <Field name="score" label="lead.score" errors={(*errors).clone()}>
                { text_input("score", "text", &draft.score, |d, v| d.score = v) }
            </Field>
            { for errors.others(&shown).map(|(field, message)| html! {
                <p class="field-error">{ format!("{field}: {message}") }</p>
            }) }
            if let Some(f) = &*failure {
                <FailureNote failure={f.clone()} />
            }
            <div class="actions">
                <button id="save-lead" type="submit" class="primary" disabled={*busy}>{ app.t("form.save") }</button>
            </div>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_score_that_is_not_a_number_is_caught_before_sending() {
        let draft = Draft {
            name: "李雷".into(),
            score: "abc".into(),
            ..Draft::default()
        };
        let errors = draft.to_request().err().unwrap();
        assert_eq!(errors.get("score").unwrap().code, "not-a-number");
    }

    #[test]
    fn blank_optional_fields_are_left_out() {
        let draft = Draft {
            name: " 李雷 ".into(),
            company: "  ".into(),
            source: "exhibition".into(),
            score: "60".into(),
            ..Draft::default()
        };
        let request = draft.to_request().unwrap();
        assert_eq!(request.name, "李雷");
        assert_eq!(request.company, None);
        assert_eq!(request.source, LeadSource::Exhibition);
        assert_eq!(request.score, Some(60));
    }
}
