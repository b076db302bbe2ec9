//! The customer's 360 view: contacts, deals and the relationship network drawn as a graph.

use std::sync::Arc;

use kedao_domain::access::Role;
use serde_json::json;

use crate::support::Browser;
use crate::webdriver::By;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_360_view_shows_contacts_deals_and_the_network() {
    if let Some(browser) = Browser::start("account-360").await {
        browser.run(account_360).await;
    }
}

async fn account_360(b: Arc<Browser>) {
    let rep = b.app.user(Role::Sales, None).await;
    let account = |name: &'static str| {
        let (app, token) = (&b.app, rep.token.clone());
        async move {
            let made = app
                .post(
                    "/api/v1/accounts",
                    &token,
                    &json!({"name": name, "customer_type": "key"}),
                )
                .await;
            made.ok()["id"].as_str().unwrap().to_owned()
        }
    };
    let hengda = account("苏州恒达机械有限公司").await;
    let supplier = account("无锡精工轴承厂").await;
    let linked = b
        .app
        .post(
            &format!("/api/v1/accounts/{hengda}/links"),
            &rep.token,
            &json!({"to_account_id": supplier, "kind": "upstream"}),
        )
        .await;
    linked.ok();
    for name in ["王芳", "李强"] {
        b.app
            .post(
                "/api/v1/contacts",
                &rep.token,
                &json!({"account_id": hengda, "name": name}),
            )
            .await
            .ok();
    }
    b.app
        .post(
            "/api/v1/opportunities",
            &rep.token,
            &json!({"title": "二期产线", "account_id": hengda, "amount": "250000.00",
                    "expected_close_date": b.app.days_from_today(45)}),
        )
        .await
        .ok();

    // A change to key fields, for the history.
    let account = b
        .app
        .get(&format!("/api/v1/accounts/{hengda}"), &rep.token)
        .await;
    let version = account.ok()["version"].as_i64().unwrap();
    b.app
        .patch(
            &format!("/api/v1/accounts/{hengda}"),
            &rep.token,
            &format!("\"{version}\""),
            &json!({"customer_type": "partner"}),
        )
        .await
        .ok();

    b.sign_in_at(&rep.email, kedao_tests::actors::PASSWORD, "/accounts")
        .await;
    // From the list to the customer.
    let row = By::css(format!("#account-list tr[data-account='{hengda}'] a"));
    b.click(row).await;
    b.wait_for_text(By::id("account-name"), "苏州恒达机械有限公司")
        .await;

    let contacts = b.wait_for_text(By::id("contact-list"), "王芳").await;
    assert!(contacts.contains("李强"), "{contacts}");
    b.wait_for_text(By::id("deal-list"), "二期产线").await;
    b.wait_for_text(By::id("deal-list"), "¥250,000.00").await;
    // An open deal offers its quote builder.
    b.find(By::css("#deal-list a[href$='/quote']")).await;

    // The history names the field and its values as people read them, and who changed it.
    let change = By::css("#account-history li.change[data-field='customer_type']");
    let shown = b.wait_for_text(change, "Key account → Partner").await;
    assert!(shown.contains("Customer type"), "{shown}");
    assert!(shown.contains("Test sales"), "{shown}");

    // The network: both companies as nodes, the link between them as an edge.
    b.find(By::css("#network-graph g.node")).await;
    let nodes = b
        .driver
        .find_all(By::css("#network-graph g.node"))
        .await
        .unwrap();
    let mut ids = Vec::new();
    for node in &nodes {
        ids.push(node.attr("data-account").await.unwrap().unwrap());
        assert!(node.find(By::css("circle")).await.is_ok());
    }
    ids.sort();
    let mut expected = vec![hengda.clone(), supplier.clone()];
    expected.sort();
    assert_eq!(ids, expected);
    let root = b.find(By::css("#network-graph g.node.root")).await;
    assert_eq!(
        root.attr("data-account").await.unwrap(),
        Some(hengda.clone())
    );
    let edges = b
        .driver
        .find_all(By::css("#network-graph g.edge line"))
        .await
        .unwrap();
    assert_eq!(edges.len(), 1);

    // A node opens that customer's own view.
    b.click(By::css(format!(
        "#network-graph g.node[data-account='{supplier}']"
    )))
    .await;
    b.wait_for_text(By::id("account-name"), "无锡精工轴承厂")
        .await;
}
