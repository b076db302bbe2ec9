//! Credit control on the customer's 360 view: finance sees what the customer owes, sets a
//! credit limit (a limit that does not read is named beside its field), sees the next order
//! that would go over it held, and removes the limit; the rep who owns the customer sees the
//! same figures but is offered no change.

use std::sync::Arc;

use kedao_domain::access::Role;
use kedao_tests::Actor;
use kedao_tests::actors::PASSWORD;
use serde_json::Value;

use crate::payment_plan::{account, order};
use crate::support::Browser;
use crate::webdriver::By;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn finance_sets_a_customers_credit_limit() {
    if let Some(browser) = Browser::start("credit").await {
        browser.run(set_limit).await;
    }
}

/// The customer's credit as the API has it.
async fn credit(b: &Browser, who: &Actor, customer: &str) -> Value {
    let reply = b
        .app
        .get(&format!("/api/v1/accounts/{customer}/credit"), &who.token)
        .await;
    reply.ok().clone()
}

async fn set_limit(b: Arc<Browser>) {
    let rep = b.app.user(Role::Sales, None).await;
    let customer = account(&b.app, &rep).await;
    order(&b.app, &rep, &customer).await;
    let page = format!("/accounts/{customer}");
    let finance = b.sign_in_as(Role::Finance, &page).await;

    b.wait_for_text(By::id("credit-limit"), "No limit").await;
    b.wait_for_text(
        By::css("#credit-balances tr[data-currency='CNY'] td.outstanding"),
        "¥3,390.00",
    )
    .await;
    b.wait_for_text(By::id("credit-orders-on-hold"), "0").await;

    b.click(By::id("credit-edit")).await;
    b.fill("field-limit", "50万").await;
    b.click(By::id("credit-save")).await;
    b.find(By::id("error-limit")).await;
    let unchanged = credit(&b, &finance, &customer).await;
    assert!(unchanged["limit"].is_null(), "nothing was sent");

    b.fill("field-limit", "5000").await;
    b.click(By::id("credit-save")).await;
    b.wait_for_text(By::id("credit-limit"), "¥5,000.00").await;
    b.wait_for_text(By::id("credit-available"), "¥1,610.00")
        .await;
    assert!(b.driver.find(By::id("credit-form")).await.is_err());
    let set = credit(&b, &finance, &customer).await;
    assert_eq!(set["limit"], "5000.00");
    assert_eq!(set["currency"], "CNY");

    // The next order would take the customer over the limit: it is held, and the panel
    // counts it.
    let held = order(&b.app, &rep, &customer).await;
    assert_eq!(held["credit_status"], "on_hold");
    b.open(&page).await;
    b.wait_for_text(By::id("credit-orders-on-hold"), "1").await;
    b.wait_for_text(By::id("credit-available"), "¥0.00").await;

    b.click(By::id("credit-edit")).await;
    b.click(By::id("credit-remove")).await;
    b.wait_for_text(By::id("credit-limit"), "No limit").await;
    let removed = credit(&b, &finance, &customer).await;
    assert!(removed["limit"].is_null());

    // The owner sees the standing but may not change the limit.
    b.click(By::id("sign-out")).await;
    b.sign_in_at(&rep.email, PASSWORD, &page).await;
    b.wait_for_text(By::id("credit-orders-on-hold"), "1").await;
    b.find(By::css("#credit-balances tr[data-currency='CNY']"))
        .await;
    assert!(b.driver.find(By::id("credit-edit")).await.is_err());
}
