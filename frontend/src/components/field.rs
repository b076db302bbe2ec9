//! A labelled form field with its error message underneath.

use yew::prelude::*;

use crate::context::use_app;
use crate::problem::{FieldErrors, field_code_key};

#[derive(Properties, PartialEq)]
pub struct FieldProps {
    /// The API's name of the field: the input's id is `field-<name>`, errors are matched by it.
    pub name: AttrValue,
    /// Catalogue key of the label.
    pub label: AttrValue,
    pub errors: FieldErrors,
    pub children: Html,
}

#[function_component]
pub fn Field(props: &FieldProps) -> Html {
    let app = use_app();
    let error = props.errors.get(&props.name).map(|e| {
        field_code_key(&e.code).map_or_else(|| e.message.clone(), |key| app.t(key).to_owned())
    });
    html! {
        <div class={classes!("field", error.is_some().then_some("invalid"))}>
            <label for={format!("field-{}", props.name)}>{ app.t(&props.label) }</label>
            { props.children.clone() }
            if let Some(message) = error {
                <span class="field-error" id={format!("error-{}", props.name)}>{ message }</span>
            }
        </div>
    }
}

/// The value of the input an event came from.
pub fn input_value(e: &InputEvent) -> String {
    e.target_unchecked_into::<web_sys::HtmlInputElement>()
        .value()
}

/// The value of the select an event came from.
pub fn select_value(e: &Event) -> String {
    e.target_unchecked_into::<web_sys::HtmlSelectElement>()
        .value()
}
