//! Picking a product from the price book for a quote line: search by name or SKU, in the
//! quote's currency, active products only.

use kedao_api_types::ListPage;
use kedao_api_types::products::ProductView;
use kedao_domain::Currency;
use yew::prelude::*;

use crate::api::{self, with_query};
use crate::components::field::input_value;
use crate::components::notice::{Empty, FailureNote, Loading};
use crate::context::use_app;
use crate::money::format_money;
use crate::problem::ApiFailure;

#[derive(Properties, PartialEq)]
pub struct ProductPickerProps {
    pub currency: Currency,
    pub on_pick: Callback<ProductView>,
}

#[derive(Clone, PartialEq)]
enum Found {
    Nothing,
    Searching,
    Products(Vec<ProductView>),
    Failed(ApiFailure),
}

#[function_component]
pub fn ProductPicker(props: &ProductPickerProps) -> Html {
    let app = use_app();
    let text = use_state(String::new);
    let found = use_state(|| Found::Nothing);
    let on_search = {
        let (text, found, app, currency) =
            (text.clone(), found.clone(), app.clone(), props.currency);
        Callback::from(move |_: MouseEvent| {
            let (found, app) = (found.clone(), app.clone());
            let path = with_query(
                "/api/v1/products",
                &[
                    ("q", Some(text.trim())),
                    ("active", Some("true")),
                    ("currency", Some(currency.code())),
                    ("limit", Some("10")),
                ],
            );
            found.set(Found::Searching);
            wasm_bindgen_futures::spawn_local(async move {
                match api::get::<ListPage<ProductView>>(&path).await {
                    Ok(page) => found.set(Found::Products(page.value.items)),
                    Err(err) => {
                        if let Some(err) = app.check(err) {
                            found.set(Found::Failed(err));
                        }
                    }
                }
            });
        })
    };
    let results = match &*found {
        Found::Nothing => Html::default(),
        Found::Searching => html! { <Loading /> },
        Found::Failed(f) => html! { <FailureNote failure={f.clone()} /> },
        Found::Products(list) if list.is_empty() => html! { <Empty message="products.empty" /> },
        Found::Products(list) => html! {
            <ul class="plain" id="product-results">
                { for list.iter().map(|p| {
                    let (on_pick, product, found) = (props.on_pick.clone(), p.clone(), found.clone());
                    let onclick = Callback::from(move |_: MouseEvent| {
                        on_pick.emit(product.clone());
                        found.set(Found::Nothing);
                    });
                    html! {
                        <li>
                            <button type="button" class="link pick-product" data-sku={p.sku.clone()} {onclick}>
                                { format!("{} · {} · ", p.sku, p.name) }{ format_money(p.list_price, p.currency) }{ format!(" / {}", p.unit) }
                            </button>
                        </li>
                    }
                }) }
            </ul>
        },
    };
    html! {
        <div class="product-picker" id="product-picker">
            <div class="filters">
                <input id="product-search" type="search" placeholder={app.t("products.search")} value={(*text).clone()}
                    oninput={let s = text.clone(); move |e: InputEvent| s.set(input_value(&e))} />
                <button type="button" id="product-search-button" onclick={on_search}>{ app.t("products.find") }</button>
            </div>
            { results }
        </div>
    }
}
