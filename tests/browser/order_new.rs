//! A dealer's staff member places a direct order for their customer from its 360 view: a
//! quantity that does not read is named before anything is sent, the totals are priced as
//! the lines are typed, and the placed order — the dealer's, on credit hold because it takes
//! the customer over its limit, with the customer's PO in its notes — opens on its own screen
//! and is found again by its number in the order list.

use std::sync::Arc;

use kedao_domain::access::Role;
use kedao_tests::actors::PASSWORD;
use serde_json::json;

use crate::support::Browser;
use crate::webdriver::By;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dealer_places_a_direct_order() {
    if let Some(browser) = Browser::start("order-new").await {
        browser.run(place_order).await;
    }
}

async fn place_order(b: Arc<Browser>) {
    let dealer = b.app.new_dealer("BJ01", "华北").await;
    let staff = b.app.dealer_staff(Role::DealerUser, dealer).await;
    let customer = b
        .app
        .post(
            "/api/v1/accounts",
            &staff.token,
            &json!({"name": "北方液压有限公司"}),
        )
        .await;
    let customer = customer.ok()["id"].as_str().unwrap().to_owned();
    // Finance gives the customer a limit the order will exceed.
    let finance = b.app.user(Role::Finance, None).await;
    let credit_path = format!("/api/v1/accounts/{customer}/credit");
    let credit = b.app.get(&credit_path, &finance.token).await;
    let limited = b
        .app
        .call(
            reqwest::Method::PUT,
            &credit_path,
            Some(&finance.token),
            Some(&json!({"limit": "10000", "currency": "CNY"})),
            Some(&credit.etag()),
        )
        .await;
    assert_eq!(limited.ok()["limit"], "10000.00");
    // An earlier, small order of the same customer.
    let earlier = b
        .app
        .post(
            "/api/v1/orders",
            &staff.token,
            &json!({"account_id": customer, "lines": [
                {"description": "密封圈", "quantity": "10", "unit_price": "10.00", "tax_rate_percent": "13"}
            ]}),
        )
        .await;
    let earlier = earlier.ok()["number"].as_str().unwrap().to_owned();

    b.sign_in_at(&staff.email, PASSWORD, &format!("/accounts/{customer}"))
        .await;
    b.click(By::css("#new-order a")).await;
    b.find(By::id("order-form")).await;
    b.fill("line-0-description", "液压泵 HP-20").await;
    b.fill("line-0-quantity", "四").await;
    b.fill("line-0-unit_price", "2500").await;
    b.find(By::id("error-line-0-quantity")).await;
    let place = b.find(By::id("place-order")).await;
    assert_eq!(
        place.attr("disabled").await.unwrap().as_deref(),
        Some("true"),
        "a line that does not read cannot be sent"
    );

    b.fill("line-0-quantity", "4").await;
    b.wait_for_text(By::id("total-grand"), "¥11,300.00").await;
    b.fill("order-notes", "客户采购单 PO-4500012345").await;
    b.click(By::id("place-order")).await;

    // The order's own screen.
    let number = b.find(By::id("order-number")).await.text().await.unwrap();
    assert!(number.starts_with("O-"), "{number}");
    b.wait_for_text(By::id("order-total"), "¥11,300.00").await;
    b.wait_for_text(By::id("order-notes-text"), "PO-4500012345")
        .await;
    b.find(By::css("#order-hold-reasons [data-reason='over_limit']"))
        .await;
    let id = b
        .find(By::id("order-detail"))
        .await
        .attr("data-order")
        .await
        .unwrap()
        .unwrap();

    let order = b
        .app
        .get(&format!("/api/v1/orders/{id}"), &staff.token)
        .await;
    let order = order.ok();
    assert_eq!(order["number"], number.as_str());
    assert_eq!(order["account_id"], customer.as_str());
    assert_eq!(order["dealer_id"], dealer.to_string());
    assert_eq!(order["quote_id"], serde_json::Value::Null);
    assert_eq!(order["grand_total"], "11300.00");
    assert_eq!(order["lines"][0]["description"], "液压泵 HP-20");
    assert_eq!(order["credit_status"], "on_hold");
    assert_eq!(order["credit_hold_reasons"], json!(["over_limit"]));

    // Found again by its number in the order list, as a customer quoting it would.
    b.click(By::id("nav-orders")).await;
    b.wait_for_text(By::id("order-list"), &earlier).await;
    b.fill("order-search", &number).await;
    b.click(By::id("order-find")).await;
    let row = format!("#order-list tr.order[data-order='{id}']");
    b.find(By::css(row)).await;
    let started = std::time::Instant::now();
    loop {
        let rows = b
            .driver
            .find_all(By::css("#order-list tr.order"))
            .await
            .unwrap();
        if rows.len() == 1 {
            break;
        }
        assert!(
            started.elapsed().as_secs() < 20,
            "the search still lists {} orders",
            rows.len()
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(
        !b.find(By::id("order-list"))
            .await
            .text()
            .await
            .unwrap()
            .contains(&earlier)
    );
}
