//! The quote detail screen: accepting a sent quote creates the order, which the order screen
//! then shows and moves on to fulfilment with a note for its timeline.

use std::sync::Arc;

use kedao_domain::access::Role;
use kedao_tests::{Actor, TestApp};
use serde_json::json;

use crate::deals;
use crate::support::Browser;
use crate::webdriver::By;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn accepting_a_quote_shows_the_order_it_created() {
    if let Some(browser) = Browser::start("quote-accept").await {
        browser.run(accept_quote).await;
    }
}

/// A quote with one line and no discount (no approval needed), sent to the customer; its id.
pub async fn sent_quote(app: &TestApp, rep: &Actor, title: &str) -> String {
    let deal = deals::opportunity(app, rep, title).await;
    let created = deals::draft_quote(
        app,
        rep,
        &deal,
        json!([{"description": "数控机床 X5", "quantity": "2", "unit_price": "1500.00", "tax_rate_percent": "13"}]),
    )
    .await;
    let id = created.ok()["id"].as_str().unwrap().to_owned();
    let sent = app
        .call(
            reqwest::Method::POST,
            &format!("/api/v1/quotes/{id}/send"),
            Some(&rep.token),
            Some(&json!({})),
            Some(&created.etag()),
        )
        .await;
    assert_eq!(sent.ok()["status"], "sent");
    id
}

async fn accept_quote(b: Arc<Browser>) {
    let rep = b.app.user(Role::Sales, None).await;
    let quote = sent_quote(&b.app, &rep, "恒达 数控机床").await;
    b.sign_in_at(
        &rep.email,
        kedao_tests::actors::PASSWORD,
        &format!("/quotes/{quote}"),
    )
    .await;
    b.wait_for_text(By::id("quote-status"), "Sent").await;
    b.wait_for_text(By::id("total-grand"), "¥").await;

    // The printable document, as the server renders it.
    let quote_number = b.find(By::id("quote-number")).await.text().await.unwrap();
    b.click(By::id("quote-print")).await;
    let document = b.find(By::id("document")).await;
    let html = document.attr("srcdoc").await.unwrap().unwrap_or_default();
    assert!(
        html.contains(&quote_number),
        "the document names {quote_number}"
    );
    b.find(By::id("print-document")).await;

    b.click(By::id("quote-accept")).await;
    b.find(By::id("order-created")).await;
    b.wait_for_text(By::id("quote-status"), "Accepted").await;
    let link = b.find(By::css("#created-order-link a")).await;
    let number = link.text().await.unwrap();
    assert!(!number.is_empty());

    // The server has the order, made from this quote.
    let orders = b.app.get("/api/v1/orders", &rep.token).await;
    let order = orders.ok()["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["number"] == number.as_str())
        .expect("the order shown exists")
        .clone();
    assert_eq!(order["quote_id"], quote.as_str());

    // Its screen shows it, with the quote's total and its status.
    link.click().await.unwrap();
    b.wait_for_text(By::id("order-number"), &number).await;
    let order_id = order["id"].as_str().unwrap();
    let detail = b.find(By::id("order-detail")).await;
    assert_eq!(
        detail.attr("data-order").await.unwrap().as_deref(),
        Some(order_id)
    );
    b.wait_for_text(By::id("order-total"), "¥3,390.00").await;
    // Its printable confirmation, as the server renders it.
    b.click(By::id("order-print")).await;
    let confirmation = b.find(By::id("document")).await;
    let html = confirmation
        .attr("srcdoc")
        .await
        .unwrap()
        .unwrap_or_default();
    assert!(
        html.contains(&number) && html.contains("3,390.00 CNY"),
        "the confirmation names {number} and its total"
    );
    b.wait_for_text(By::id("order-status"), "Confirmed").await;
    b.find(By::css("#order-timeline li.entry")).await;
    assert_eq!(order["credit_status"], "clear", "no credit limit, no hold");

    // The next step the life cycle allows, with a note; the timeline records both.
    b.fill("step-note", "排产单 MO-118").await;
    b.click(By::id("order-to-in_fulfilment")).await;
    b.wait_for_text(By::id("order-status"), "In fulfilment")
        .await;
    b.wait_for_text(
        By::css("#order-timeline li.entry[data-status='in_fulfilment']"),
        "MO-118",
    )
    .await;
    let timeline = b
        .app
        .get(&format!("/api/v1/orders/{order_id}/timeline"), &rep.token)
        .await;
    let noted = timeline.ok()["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["to_status"] == "in_fulfilment" && e["note"] == "排产单 MO-118");
    assert!(noted, "{}", timeline.text);
    let now = b
        .app
        .get(&format!("/api/v1/orders/{order_id}"), &rep.token)
        .await;
    assert_eq!(now.ok()["status"], "in_fulfilment");
}
