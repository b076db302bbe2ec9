//! The price book: an admin adds a product (a price that does not read is named beside its
//! field), changes its price, is refused a change to a product someone else changed
//! meanwhile, and takes it off sale; a rep finds it but is offered no changes.

use std::sync::Arc;

use kedao_domain::access::Role;
use kedao_tests::actors::PASSWORD;
use rust_decimal::Decimal;
use serde_json::json;

use crate::support::Browser;
use crate::webdriver::By;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_keeps_the_price_book() {
    if let Some(browser) = Browser::start("products").await {
        browser.run(keep).await;
    }
}

const ROW: &str = "#product-list tr.product[data-sku='SP-100']";

async fn keep(b: Arc<Browser>) {
    let admin = b.sign_in_as(Role::Admin, "/products").await;
    b.click(By::id("new-product")).await;
    b.fill("field-sku", "SP-100").await;
    b.fill("field-name", "电主轴").await;
    b.fill("field-name_en", "Motor spindle").await;
    b.fill("field-list_price", "12,800").await;
    b.fill("field-cost", "9000").await;
    b.click(By::id("save-product")).await;
    b.find(By::id("error-list_price")).await;
    assert!(b.driver.find(By::id("error-cost")).await.is_err());

    b.fill("field-list_price", "12800.50").await;
    b.click(By::id("save-product")).await;
    let row = b.wait_for_text(By::css(ROW), "¥12,800.50").await;
    assert!(row.contains("Motor spindle") && row.contains("台") && row.contains("13%"));
    let product = b
        .app
        .get("/api/v1/products?q=SP-100", &admin.token)
        .await
        .ok()["items"][0]
        .clone();
    let id = product["id"].as_str().unwrap().to_owned();
    assert_eq!(product["list_price"], "12800.50");
    assert_eq!(product["cost"], "9000.00");
    assert_eq!(product["currency"], "CNY");
    assert_eq!(product["active"], true);
    // The margin the server worked out is shown beside the cost.
    let margin: Decimal = product["margin_percent"].as_str().unwrap().parse().unwrap();
    assert_eq!(margin, Decimal::new(2969, 2));
    let shown = b
        .find(By::css(format!("{ROW} td.margin")))
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(shown, "29.69%");

    // The form opens with the product as it is; the new price replaces the old.
    b.click(By::css(format!("{ROW} button.edit-product"))).await;
    let typed = b
        .driver
        .execute(
            "return document.getElementById('field-list_price').value;",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(typed, "12800.50");
    b.fill("field-list_price", "13500").await;
    b.click(By::id("save-product")).await;
    b.wait_for_text(By::css(ROW), "¥13,500.00").await;
    let path = format!("/api/v1/products/{id}");
    let saved = b.app.get(&path, &admin.token).await;
    assert_eq!(saved.ok()["list_price"], "13500.00");
    assert_eq!(saved.ok()["version"], 2);
    assert_eq!(saved.ok()["name_en"], "Motor spindle");

    // Changed by someone else while the form was open: the save is refused, not merged.
    b.click(By::css(format!("{ROW} button.edit-product"))).await;
    b.find(By::id("product-form")).await;
    b.app
        .patch(
            &path,
            &admin.token,
            &saved.etag(),
            &json!({"name": "高速电主轴"}),
        )
        .await
        .ok();
    b.fill("field-list_price", "1").await;
    b.click(By::id("save-product")).await;
    b.wait_for_text(By::id("product-form"), "changed this record meanwhile")
        .await;
    let kept = b.app.get(&path, &admin.token).await;
    assert_eq!(kept.ok()["list_price"], "13500.00");
    assert_eq!(kept.ok()["name"], "高速电主轴");
    // The list is read again: it shows the product as the other change left it.
    b.wait_for_text(By::css(ROW), "高速电主轴").await;
    b.click(By::id("cancel-product")).await;

    // Off sale: shown as inactive, and gone from the list of products on sale.
    b.click(By::css(format!("{ROW} button.toggle-active")))
        .await;
    b.find(By::css(format!("{ROW}.inactive"))).await;
    let off = b.app.get(&path, &admin.token).await;
    assert_eq!(off.ok()["active"], false);
    // Only `active` was sent: the fields the button did not touch are as they were.
    assert_eq!(off.ok()["cost"], "9000.00");
    assert_eq!(off.ok()["name_en"], "Motor spindle");
    b.click(By::css("#product-active-filter option[value='true']"))
        .await;
    let started = std::time::Instant::now();
    while b.driver.find(By::css(ROW)).await.is_ok() {
        assert!(started.elapsed().as_secs() < 20, "still listed as on sale");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    b.click(By::id("sign-out")).await;

    // A rep finds the product, with its cost, and has nothing to change it with.
    let rep = b.app.user(Role::Sales, None).await;
    b.sign_in_at(&rep.email, PASSWORD, "/products").await;
    b.fill("product-list-search", "电主轴").await;
    b.click(By::css("form.filters button[type=submit]")).await;
    let row = b.wait_for_text(By::css(ROW), "¥13,500.00").await;
    assert!(row.contains("¥9,000.00"), "{row}");
    for offered in [
        "#new-product",
        "button.edit-product",
        "button.toggle-active",
    ] {
        assert!(
            b.driver.find(By::css(offered)).await.is_err(),
            "{offered} offered to a rep"
        );
    }
}
