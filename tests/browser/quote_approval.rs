//! A discount above the threshold: the rep's quote screen says it needs approval and offers no
//! sending, only a request for the approval; the manager of the rep's team finds the request
//! in their notifications, opens the quote from there, approves it, and then it can be sent.

use std::sync::Arc;

use kedao_tests::actors::PASSWORD;
use serde_json::json;

use crate::deals;
use crate::support::Browser;
use crate::webdriver::By;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_manager_approves_a_deep_discount_then_it_is_sent() {
    if let Some(browser) = Browser::start("quote-approval").await {
        browser.run(approve).await;
    }
}

async fn approve(b: Arc<Browser>) {
    let team = b.app.team("华东销售部").await;
    let rep = b.app.rep(Some(team)).await;
    let manager = b.app.manager(Some(team)).await;
    let deal = deals::opportunity(&b.app, &rep, "恒达 二期").await;
    let created = deals::draft_quote(
        &b.app,
        &rep,
        &deal,
        json!([{"description": "数控机床 X5", "quantity": "1", "unit_price": "1000.00",
                "discount_percent": "20"}]),
    )
    .await;
    let id = created.ok()["id"].as_str().unwrap().to_owned();
    assert_eq!(created.ok()["needs_approval"], true);

    b.sign_in_at(&rep.email, PASSWORD, &format!("/quotes/{id}"))
        .await;
    b.wait_for_text(By::id("quote-detail"), "needs a manager's approval")
        .await;
    for hidden in ["quote-send", "quote-approve"] {
        assert!(
            b.driver.find(By::id(hidden)).await.is_err(),
            "{hidden} offered to the rep"
        );
    }
    b.click(By::id("quote-request-approval")).await;
    b.wait_for_text(By::id("approval-requested"), "(1)").await;
    b.click(By::id("sign-out")).await;

    b.sign_in_at(&manager.email, PASSWORD, "/").await;
    b.find(By::css("#notification-bell[data-unread='1']")).await;
    b.click(By::id("notification-bell")).await;
    b.wait_for_text(By::id("notification-list"), "Approval requested")
        .await;
    b.click(By::css(
        "#notification-list li.notification[data-kind='approval_requested'] a",
    ))
    .await;
    b.click(By::id("quote-approve")).await;
    b.wait_for_text(By::id("quote-detail"), "discount approved")
        .await;
    b.click(By::id("quote-send")).await;
    b.wait_for_text(By::id("quote-status"), "Sent").await;
    let quote = b.app.get(&format!("/api/v1/quotes/{id}"), &rep.token).await;
    assert_eq!(quote.ok()["status"], "sent");
    assert_eq!(quote.ok()["approved_by"], manager.id.to_string().as_str());
}
