//! Notes with @mentions: the colleague picked in a note on a customer's 360 view is notified —
//! their bell counts it, their notification list shows it and opens the customer — and
//! reading it clears the count.

use std::sync::Arc;

use kedao_domain::access::Role;
use serde_json::json;

use crate::support::Browser;
use crate::webdriver::By;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_mention_in_a_note_reaches_the_mentioned_users_bell() {
    if let Some(browser) = Browser::start("note-mention").await {
        browser.run(note_mention).await;
    }
}

async fn note_mention(b: Arc<Browser>) {
    let rep = b.app.user(Role::Sales, None).await;
    // An admin may see every customer, so may be mentioned on this one.
    let boss = b.app.user(Role::Admin, None).await;
    let made = b
        .app
        .post(
            "/api/v1/accounts",
            &rep.token,
            &json!({"name": "常州瑞丰电子有限公司", "customer_type": "key"}),
        )
        .await;
    let account = made.ok()["id"].as_str().unwrap().to_owned();

    b.sign_in_at(
        &rep.email,
        kedao_tests::actors::PASSWORD,
        &format!("/accounts/{account}"),
    )
    .await;
    b.find(By::css(format!(
        "#note-mention option[value='{}']",
        boss.id
    )))
    .await;
    b.fill("note-body", "请确认交期").await;
    // Picking a colleague the way a person does: the select changes.
    let select = b.find(By::id("note-mention")).await;
    b.driver
        .execute(
            "arguments[0].value = arguments[1];
             arguments[0].dispatchEvent(new Event('change', { bubbles: true }));",
            vec![select.to_json(), json!(boss.id.to_string())],
        )
        .await
        .unwrap();
    let body = b.find(By::id("note-body")).await;
    let text = b
        .driver
        .execute("return arguments[0].value;", vec![body.to_json()])
        .await
        .unwrap();
    assert!(text.as_str().unwrap().contains("@Test admin"), "{text}");
    b.click(By::id("note-save")).await;
    b.wait_for_text(By::id("note-list"), "请确认交期").await;
    b.click(By::id("sign-out")).await;
    // A second mention, written over the API.
    b.app
        .post(
            "/api/v1/notes",
            &rep.token,
            &json!({"record_type": "account", "record_id": account,
                    "body": "@Test admin 样品已寄出", "mentions": [boss.id]}),
        )
        .await
        .ok();

    b.sign_in_at(&boss.email, kedao_tests::actors::PASSWORD, "/")
        .await;
    b.wait_for_text(By::id("unread-count"), "2").await;
    b.click(By::id("notification-bell")).await;
    let list = b
        .wait_for_text(By::id("notification-list"), "请确认交期")
        .await;
    assert!(list.contains("常州瑞丰电子有限公司"), "{list}");
    assert!(list.contains("样品已寄出"), "{list}");
    // One marked read: one left to count.
    b.click(By::css(
        "#notification-list li.notification.unread .mark-read",
    ))
    .await;
    b.wait_for_text(By::id("unread-count"), "1").await;
    let unread = b
        .driver
        .find_all(By::css("#notification-list li.notification.unread"))
        .await
        .unwrap();
    assert_eq!(unread.len(), 1);
    // It opens the customer it is about.
    b.click(By::css(
        "#notification-list li.notification[data-kind='mention'] a",
    ))
    .await;
    b.wait_for_text(By::id("account-name"), "常州瑞丰电子有限公司")
        .await;
    b.wait_for_text(By::id("note-list"), "请确认交期").await;

    // Read: the count is gone.
    b.click(By::id("notification-bell")).await;
    b.click(By::id("read-all")).await;
    b.find(By::css("#notification-list li.notification:not(.unread)"))
        .await;
    b.find(By::css("#notification-bell[data-unread='0']")).await;
}
