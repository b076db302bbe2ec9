//! A dealer's staff member sees the same screens, restricted by the server to their own
//! dealer's records, with the actions their role may not take hidden.

use std::sync::Arc;

use kedao_domain::access::Role;
use kedao_tests::actors::PASSWORD;
use serde_json::json;

use crate::support::Browser;
use crate::webdriver::By;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dealer_sees_only_its_own_customers_and_no_admin_or_payment_actions() {
    if let Some(browser) = Browser::start("dealer").await {
        browser.run(dealer_screens).await;
    }
}

async fn dealer_screens(b: Arc<Browser>) {
    let north = b.app.new_dealer("BJ01", "华北").await;
    let south = b.app.new_dealer("SZ01", "华南").await;
    let ours = b.app.dealer_staff(Role::DealerUser, north).await;
    let theirs = b.app.dealer_staff(Role::DealerUser, south).await;
    for (actor, name) in [(&ours, "北方客户有限公司"), (&theirs, "南方客户有限公司")]
    {
        b.app
            .post("/api/v1/accounts", &actor.token, &json!({"name": name}))
            .await
            .ok();
    }

    b.sign_in_at(&ours.email, PASSWORD, "/accounts").await;
    let list = b
        .wait_for_text(By::id("account-list"), "北方客户有限公司")
        .await;
    assert!(!list.contains("南方客户有限公司"), "{list}");

    // The permission table the server enforces: no administration, no recording payments.
    for hidden in ["nav-admin-users", "nav-admin-pipelines"] {
        assert!(
            b.driver.find(By::id(hidden)).await.is_err(),
            "{hidden} shown"
        );
    }
    b.find(By::id("nav-orders")).await;
    b.click(By::id("nav-receivables")).await;
    b.find(By::css("#aging-by-owner")).await;
    assert!(
        b.driver
            .find_all(By::css("button.record-payment"))
            .await
            .unwrap()
            .is_empty()
    );
}
