//! The price book: everyone finds products by SKU or name and sees their list price, unit
//! and tax rate (and, inside the company, the standard cost and margin); admins add
//! products, change them and take them off sale. The server refuses the rest; the buttons
//! are only shown to those who may use them.

use kedao_api_types::products::{ProductCreate, ProductUpdate, ProductView};
use kedao_domain::Currency;
use kedao_domain::access::{Action, Resource};
use uuid::Uuid;
use yew::prelude::*;

use crate::api::{self, etag_of};
use crate::components::field::{Field, input_value, select_value};
use crate::components::notice::{Empty, FailureNote, Loading};
use crate::context::{AppContext, use_app};
use crate::money::format_money;
use crate::paged_list::{PagedList, use_paged_list};
use crate::problem::{ApiFailure, FieldErrors};
use crate::product_draft::ProductDraft;

/// What the form above the list is doing.
#[derive(Clone, PartialEq)]
enum Editing {
    None,
    New,
    Product(Box<ProductView>),
}

#[function_component]
pub fn Products() -> Html {
    let app = use_app();
    let may_write = app.can(Resource::Products, Action::Write);
    let search_text = use_state(String::new);
    let query = use_state(String::new);
    let active = use_state(String::new);
    let editing = use_state(|| Editing::None);
    let failure = use_state(|| None::<ApiFailure>);
    let PagedList {
        list,
        on_more,
        reload,
    } = use_paged_list::<ProductView>(
        "/api/v1/products",
        vec![
            ("q", Some((*query).clone())),
            ("active", Some((*active).clone())),
        ],
    );

    let on_search = {
        let (search_text, query) = (search_text.clone(), query.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            query.set(search_text.trim().to_owned());
        })
    };
    let on_saved = {
        let (editing, reload, failure) = (editing.clone(), reload.clone(), failure.clone());
        Callback::from(move |()| {
            editing.set(Editing::None);
            failure.set(None);
            reload.emit(());
        })
    };
    let on_cancel = {
        let editing = editing.clone();
        Callback::from(move |()| editing.set(Editing::None))
    };
    let on_edit = {
        let editing = editing.clone();
        Callback::from(move |product: ProductView| editing.set(Editing::Product(Box::new(product))))
    };
    let on_active = {
        let (app, failure, reload) = (app.clone(), failure.clone(), reload.clone());
        Callback::from(move |product: ProductView| {
            let (app, failure, reload) = (app.clone(), failure.clone(), reload.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let body = ProductUpdate {
                    active: Some(!product.active),
                    ..Default::default()
                };
                let path = format!("/api/v1/products/{}", product.id);
                match api::patch::<ProductView, _>(&path, &body, &etag_of(product.version)).await {
                    Ok(_) => {
                        failure.set(None);
                        reload.emit(());
                    }
                    Err(err) => {
                        // Someone changed it meanwhile: show it as it is now.
                        if matches!(err, ApiFailure::Stale(_)) {
                            reload.emit(());
                        }
                        failure.set(app.check(err));
                    }
                }
            });
        })
    };
    // Cost and margin are internal: the server leaves them out for dealers.
    let internal = list
        .items
        .iter()
        .any(|p| p.cost.is_some() || p.margin_percent.is_some());
    let rows = Rows {
        may_write,
        internal,
        on_edit,
        on_active,
    };

    let form = match &*editing {
        Editing::None => Html::default(),
        Editing::New => html! {
            <ProductForm product={None::<ProductView>} {on_saved} {on_cancel} on_stale={reload} />
        },
        // Keyed by the product, so choosing another product starts its form afresh.
        Editing::Product(p) => html! {
            <ProductForm key={p.id.to_string()} product={Some((**p).clone())} {on_saved} {on_cancel} on_stale={reload} />
        },
    };

    html! {
        <section class="products">
            <div class="toolbar">
                <h1>{ app.t("products.title") }</h1>
                if may_write && *editing == Editing::None {
                    <button id="new-product" class="primary"
                        onclick={let e = editing.clone(); move |_: MouseEvent| e.set(Editing::New)}>{ app.t("products.new") }</button>
                }
            </div>
            { form }
            <form class="filters" onsubmit={on_search}>
                <select id="product-active-filter" aria-label={app.t("products.status")}
                    onchange={let a = active.clone(); move |e: Event| a.set(select_value(&e))}>
                    <option value="" selected={active.is_empty()}>{ app.t("products.any_status") }</option>
                    <option value="true" selected={*active == "true"}>{ app.t("products.active") }</option>
                    <option value="false" selected={*active == "false"}>{ app.t("products.inactive") }</option>
                </select>
                <input id="product-list-search" type="search" placeholder={app.t("products.search")} value={(*search_text).clone()}
                    oninput={let s = search_text.clone(); move |e: InputEvent| s.set(input_value(&e))} />
                <button type="submit">{ app.t("products.find") }</button>
            </form>
            if let Some(f) = &*failure {
                <FailureNote failure={f.clone()} />
            }
            if let Some(f) = &list.failure {
                <FailureNote failure={f.clone()} />
            }
            if list.loaded && list.items.is_empty() {
                <Empty message="products.empty" />
            } else if list.loaded {
                <table class="list" id="product-list">
                    <thead><tr>
                        <th>{ app.t("products.sku") }</th>
                        <th>{ app.t("products.name") }</th>
                        <th>{ app.t("products.unit") }</th>
                        <th class="num">{ app.t("products.list_price") }</th>
                        <th class="num">{ app.t("quote.tax_rate") }</th>
                        if internal {
                            <th class="num">{ app.t("products.cost") }</th>
                            <th class="num">{ app.t("products.margin") }</th>
                        }
                        <th>{ app.t("products.status") }</th>
                        if may_write {
                            <th></th>
                        }
                    </tr></thead>
                    <tbody>
                        { for list.items.iter().map(|p| rows.row(&app, p)) }
                    </tbody>
                </table>
            }
            if list.loading {
                <Loading />
            } else if list.next_cursor.is_some() {
                <button id="more" onclick={on_more}>{ app.t("list.more") }</button>
            }
        </section>
    }
}

/// How the list's rows look and what their buttons do.
struct Rows {
    may_write: bool,
    internal: bool,
    on_edit: Callback<ProductView>,
    on_active: Callback<ProductView>,
}

impl Rows {
    fn row(&self, app: &AppContext, p: &ProductView) -> Html {
        let edit = {
            let (on_edit, product) = (self.on_edit.clone(), p.clone());
            Callback::from(move |_: MouseEvent| on_edit.emit(product.clone()))
        };
        let toggle = {
            let (on_active, product) = (self.on_active.clone(), p.clone());
            Callback::from(move |_: MouseEvent| on_active.emit(product.clone()))
        };
        let status = if p.active {
            "products.active"
        } else {
            "products.inactive"
        };
        html! {
            <tr class={classes!("product", (!p.active).then_some("inactive"))} data-sku={p.sku.clone()}>
                <td data-label={app.t("products.sku")}>{ &p.sku }</td>
                <td data-label={app.t("products.name")}>
                    { &p.name }
                    if let Some(en) = &p.name_en {
                        <span class="name-en">{ en }</span>
                    }
                </td>
                <td data-label={app.t("products.unit")}>{ &p.unit }</td>
                <td class="num list-price" data-label={app.t("products.list_price")}>{ format_money(p.list_price, p.currency) }</td>
                <td class="num" data-label={app.t("quote.tax_rate")}>{ format!("{}%", p.tax_rate_percent.normalize()) }</td>
                if self.internal {
                    <td class="num cost" data-label={app.t("products.cost")}>{ p.cost.map(|c| format_money(c, p.currency)).unwrap_or_default() }</td>
                    <td class="num margin" data-label={app.t("products.margin")}>{ p.margin_percent.map(|m| format!("{}%", m.normalize())).unwrap_or_default() }</td>
                }
                <td class="status" data-label={app.t("products.status")}>{ app.t(status) }</td>
                if self.may_write {
                    <td class="row-actions">
                        <button type="button" class="link edit-product" onclick={edit}>{ app.t("products.edit") }</button>
                        <button type="button" class="link toggle-active" onclick={toggle}>
                            { app.t(if p.active { "products.deactivate" } else { "products.reactivate" }) }
                        </button>
                    </td>
                }
            </tr>
        }
    }
}

/// The request a submitted form makes.
enum Save {
    Create(ProductCreate),
    /// The product's id, the version it was read at, and the changes.
    Update(Uuid, i32, ProductUpdate),
}

#[derive(Properties, PartialEq)]
struct FormProps {
    /// The product changed, or none for a new one.
    product: Option<ProductView>,
    on_saved: Callback<()>,
    on_cancel: Callback<()>,
    /// The product changed meanwhile: the list is read again, to show it as it is now.
    on_stale: Callback<()>,
}

/// Adds a product, or changes one (sent with the version it was read at, so a change made
/// meanwhile by someone else is refused rather than overwritten).
#[function_component]
fn ProductForm(props: &FormProps) -> Html {
    let app = use_app();
    let draft = use_state(|| {
        props
            .product
            .as_ref()
            .map_or_else(ProductDraft::default, ProductDraft::from_view)
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
        let (product, on_saved, on_stale) = (
            props.product.clone(),
            props.on_saved.clone(),
            props.on_stale.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let (errors, failure, busy, app, on_saved, on_stale) = (
                errors.clone(),
                failure.clone(),
                busy.clone(),
                app.clone(),
                on_saved.clone(),
                on_stale.clone(),
            );
            let save = match &product {
                None => draft.to_create().map(Save::Create),
                Some(p) => draft
                    .to_update()
                    .map(|body| Save::Update(p.id, p.version, body)),
            };
            let save = match save {
                Ok(save) => save,
                Err(found) => return errors.set(found),
            };
            busy.set(true);
            wasm_bindgen_futures::spawn_local(async move {
                let saved = match save {
                    Save::Create(body) => {
                        api::post::<ProductView, _>("/api/v1/products", &body).await
                    }
                    Save::Update(id, version, body) => {
                        let path = format!("/api/v1/products/{id}");
                        api::patch::<ProductView, _>(&path, &body, &etag_of(version)).await
                    }
                };
                busy.set(false);
                match saved {
                    Ok(_) => on_saved.emit(()),
                    Err(err) => {
                        if matches!(err, ApiFailure::Stale(_)) {
                            on_stale.emit(());
                        }
                        app.show_form_failure(err, &errors, &failure);
                    }
                }
            });
        })
    };
    // One handler per text field: it writes the typed text into its place in the draft.
    let text = |set: fn(&mut ProductDraft, String)| {
        let draft = draft.clone();
        Callback::from(move |e: InputEvent| {
            let mut next = (*draft).clone();
            set(&mut next, input_value(&e));
            draft.set(next);
        })
    };
    let on_currency = {
        let draft = draft.clone();
        Callback::from(move |e: Event| {
            if let Ok(currency) = select_value(&e).parse::<Currency>() {
                draft.set(ProductDraft {
                    currency,
                    ..(*draft).clone()
                });
            }
        })
    };
    let on_cancel = {
        let cancel = props.on_cancel.clone();
        Callback::from(move |_: MouseEvent| cancel.emit(()))
    };
    let title = match &props.product {
        None => app.t("products.new").to_owned(),
        Some(p) => format!("{} · {}", app.t("products.edit"), p.sku),
    };
    let errs = (*errors).clone();
    html! {
        <form class="card form" id="product-form" {onsubmit}>
            <h2>{ title }</h2>
            <Field name="sku" label="products.sku" errors={errs.clone()}>
                <input id="field-sku" value={draft.sku.clone()} oninput={text(|d, v| d.sku = v)} />
            </Field>
            <Field name="name" label="products.name" errors={errs.clone()}>
                <input id="field-name" value={draft.name.clone()} oninput={text(|d, v| d.name = v)} />
            </Field>
            <Field name="name_en" label="products.name_en" errors={errs.clone()}>
                <input id="field-name_en" value={draft.name_en.clone()} oninput={text(|d, v| d.name_en = v)} />
            </Field>
            <Field name="unit" label="products.unit" errors={errs.clone()}>
                <input id="field-unit" value={draft.unit.clone()} oninput={text(|d, v| d.unit = v)} />
            </Field>
            <Field name="list_price" label="products.list_price" errors={errs.clone()}>
                <input id="field-list_price" inputmode="decimal" value={draft.list_price.clone()} oninput={text(|d, v| d.list_price = v)} />
            </Field>
            <Field name="currency" label="products.currency" errors={errs.clone()}>
                <select id="field-currency" onchange={on_currency}>
                    { for Currency::ALL.iter().map(|c| html! {
                        <option value={c.code()} selected={*c == draft.currency}>{ c.code() }</option>
                    }) }
                </select>
            </Field>
            <Field name="tax_rate_percent" label="quote.tax_rate" errors={errs.clone()}>
                <input id="field-tax_rate_percent" inputmode="decimal" value={draft.tax_rate_percent.clone()} oninput={text(|d, v| d.tax_rate_percent = v)} />
            </Field>
            <Field name="cost" label="products.cost" errors={errs}>
                <input id="field-cost" inputmode="decimal" value={draft.cost.clone()} oninput={text(|d, v| d.cost = v)} />
            </Field>
            if let Some(f) = &*failure {
                <FailureNote failure={f.clone()} />
            }
            <div class="actions">
                <button id="save-product" type="submit" class="primary" disabled={*busy}>{ app.t("form.save") }</button>
                <button type="button" id="cancel-product" onclick={on_cancel}>{ app.t("form.cancel") }</button>
            </div>
        </form>
    }
}
