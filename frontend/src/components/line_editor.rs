//! The lines of a quote or an order being built: typed in, or picked from the price book, with
//! each line's total and the document's totals priced live by `kedao-domain` — the server's
//! own pricing code — so the figures on screen are the figures saved.

use std::rc::Rc;

use kedao_api_types::products::ProductView;
use kedao_domain::Currency;
use rust_decimal::Decimal;
use yew::prelude::*;

use crate::components::field::input_value;
use crate::components::product_picker::ProductPicker;
use crate::context::{AppContext, use_app};
use crate::money::format_money;
use crate::problem::{FieldErrors, field_code_key};
use crate::quote_draft::{LineDraft, line_field, preview};

#[derive(Properties, PartialEq)]
pub struct LineEditorProps {
    pub lines: Vec<LineDraft>,
    pub currency: Currency,
    /// The server's complaints about the last save, shown while the lines price locally.
    pub server_errors: FieldErrors,
    pub on_change: Callback<Vec<LineDraft>>,
    /// The id of the totals block.
    pub totals_id: AttrValue,
}

#[function_component]
pub fn LineEditor(props: &LineEditorProps) -> Html {
    let app = use_app();
    let currency = props.currency;
    let priced = preview(&props.lines, currency);
    let errors = match &priced {
        Err(local) => local.clone(),
        Ok(_) => props.server_errors.clone(),
    };
    // Every change hands the parent the whole new list of lines; the cells' handlers share
    // one copy of the lines as they are now.
    let current = Rc::new(props.lines.clone());
    let edit = |index: usize, set: fn(&mut LineDraft, String)| {
        let (lines, on_change) = (current.clone(), props.on_change.clone());
        Callback::from(move |e: InputEvent| {
            let mut next = (*lines).clone();
            if let Some(line) = next.get_mut(index) {
                set(line, input_value(&e));
            }
            on_change.emit(next);
        })
    };
    let on_pick = {
        let (lines, on_change) = (current.clone(), props.on_change.clone());
        Callback::from(move |product: ProductView| {
            let mut next = (*lines).clone();
            let picked = LineDraft::from_product(&product);
            match next.last_mut() {
                Some(last) if last.is_blank() => *last = picked,
                _ => next.push(picked),
            }
            on_change.emit(next);
        })
    };
    let remove = |index: usize| {
        let (lines, on_change) = (current.clone(), props.on_change.clone());
        Callback::from(move |_: MouseEvent| {
            let mut next = (*lines).clone();
            if index < next.len() {
                next.remove(index);
            }
            on_change.emit(next);
        })
    };
    let removable = props.lines.len() > 1;
    let on_add = {
        let (lines, on_change) = (current.clone(), props.on_change.clone());
        Callback::from(move |_: MouseEvent| {
            let mut next = (*lines).clone();
            next.push(LineDraft::default());
            on_change.emit(next);
        })
    };

    html! {
        <>
            <table class="list lines">
                <thead><tr>
                    <th>{ app.t("quote.description") }</th>
                    <th class="num">{ app.t("quote.quantity") }</th>
                    <th class="num">{ app.t("quote.unit_price") }</th>
                    <th class="num">{ app.t("quote.discount") }</th>
                    <th class="num">{ app.t("quote.tax_rate") }</th>
                    <th class="num">{ app.t("quote.line_total") }</th>
                    <th></th>
                </tr></thead>
                <tbody>
                    { for props.lines.iter().enumerate().map(|(i, line)| {
                        let total = priced.as_ref().ok().and_then(|t| t.lines.get(i)).map(|f| format_money(f.total, currency));
                        html! {
                            <tr class="line">
                                { cell(&app, &errors, i, "description", &line.description, edit(i, |l, v| l.description = v)) }
                                { cell(&app, &errors, i, "quantity", &line.quantity, edit(i, |l, v| l.quantity = v)) }
                                { cell(&app, &errors, i, "unit_price", &line.unit_price, edit(i, |l, v| l.unit_price = v)) }
                                { cell(&app, &errors, i, "discount_percent", &line.discount_percent, edit(i, |l, v| l.discount_percent = v)) }
                                { cell(&app, &errors, i, "tax_rate_percent", &line.tax_rate_percent, edit(i, |l, v| l.tax_rate_percent = v)) }
                                <td class="num line-total" data-label={app.t("quote.line_total")}>{ total.unwrap_or_default() }</td>
                                <td class="row-actions">
                                    // A document keeps at least one line.
                                    if removable {
                                        <button type="button" class="link" id={format!("line-{i}-remove")} onclick={remove(i)}>{ app.t("quote.remove_line") }</button>
                                    }
                                </td>
                            </tr>
                        }
                    }) }
                </tbody>
            </table>
            <button type="button" id="add-line" onclick={on_add}>{ app.t("quote.add_line") }</button>
            <ProductPicker currency={currency} on_pick={on_pick} />
            if let Ok(totals) = &priced {
                <dl class="totals card" id={props.totals_id.clone()}>
                    { total_row(&app, "quote.subtotal", "total-subtotal", totals.subtotal, currency) }
                    { total_row(&app, "quote.discount_total", "total-discount", totals.discount, currency) }
                    { total_row(&app, "quote.tax", "total-tax", totals.tax, currency) }
                    { total_row(&app, "quote.grand_total", "total-grand", totals.grand_total, currency) }
                </dl>
            }
        </>
    }
}

fn cell(
    app: &AppContext,
    errors: &FieldErrors,
    index: usize,
    field: &str,
    value: &str,
    oninput: Callback<InputEvent>,
) -> Html {
    let name = line_field(index, field);
    let error = errors.get(&name).map(|e| {
        field_code_key(&e.code).map_or_else(|| e.message.clone(), |key| app.t(key).to_owned())
    });
    let label_key = match field {
        "description" => "quote.description",
        "quantity" => "quote.quantity",
        "unit_price" => "quote.unit_price",
        "discount_percent" => "quote.discount",
        _ => "quote.tax_rate",
    };
    let id = format!("line-{index}-{field}");
    html! {
        <td class={classes!(field.to_owned(), error.is_some().then_some("invalid"))} data-label={app.t(label_key)}>
            <input id={id.clone()} type="text" aria-label={app.t(label_key)} value={value.to_owned()} {oninput} />
            if let Some(message) = error {
                <span class="field-error" id={format!("error-{id}")}>{ message }</span>
            }
        </td>
    }
}

fn total_row(app: &AppContext, key: &str, id: &str, amount: Decimal, currency: Currency) -> Html {
    html! {
        <>
            <dt>{ app.t(key) }</dt>
            <dd id={id.to_owned()}>{ format_money(amount, currency) }</dd>
        </>
    }
}
