//! Field history: every change to a key field is kept with who, when, old and new value,
//! readable by whoever may read the record, and kept when the record is deleted.

use kedao_tests::{Actor, TestApp, both};
use serde_json::{Value, json};

use crate::opportunities::{account, default_stages};
use crate::quotes::{PostIf, create_quote, etag, free_line, path};

/// The record's history as (field, old, new, actor) rows, oldest first.
async fn history(app: &TestApp, by: &Actor, path: &str) -> Vec<(String, Value, Value, String)> {
    let reply = app
        .get(&format!("{path}/history?limit=200"), &by.token)
        .await;
    reply.ok()["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["field"].as_str().unwrap().to_owned(),
                c["old_value"].clone(),
                c["new_value"].clone(),
                c["actor_id"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

async fn key_field_changes_are_kept(app: TestApp) {
    let team = app.team("历史组").await;
    let rep = app.rep(Some(team)).await;
    let rep2 = app.rep(Some(team)).await;
    let manager = app.manager(Some(team)).await;
    let outsider = app.rep(None).await;
    let stages = default_stages(&app, &rep.token).await;
    let acc = account(&app, &rep, "历史客户").await;
    let created = app
        .post(
            "/api/v1/opportunities",
            &rep.token,
            &json!({"title": "产线改造", "account_id": acc, "amount": "100000",
                    "expected_close_date": "2099-06-30"}),
        )
        .await;
    let opp = created.ok().clone();
    let p = format!("/api/v1/opportunities/{}", opp["id"].as_str().unwrap());
    assert!(
        history(&app, &rep, &p).await.is_empty(),
        "creation is no change"
    );

    // A title edit is not a key field; amount, stage and owner are.
    let r1 = app
        .patch(
            &p,
            &rep.token,
            &etag(&opp),
            &json!({"title": "产线改造二期", "amount": "120000"}),
        )
        .await;
    let r2 = app
        .patch(
            &p,
            &manager.token,
            &etag(r1.ok()),
            &json!({"stage_id": stages[1]}),
        )
        .await;
    app.patch(
        &p,
        &manager.token,
        &etag(r2.ok()),
        &json!({"owner_id": rep2.id}),
    )
    .await
    .ok();
    let rows = history(&app, &manager, &p).await;
    let fields: Vec<&str> = rows.iter().map(|r| r.0.as_str()).collect();
    assert_eq!(fields, ["amount", "stage_id", "probability", "owner_id"]);
    assert_eq!(rows[0].1, "100000.00");
    assert_eq!(rows[0].2, "120000.00");
    assert_eq!(rows[0].3, rep.id.to_string());
    assert_eq!(rows[1].1, stages[0].as_str());
    assert_eq!(rows[1].2, stages[1].as_str());
    assert_eq!(rows[1].3, manager.id.to_string());
    assert_eq!(rows[2].1, "10");
    assert_eq!(rows[2].2, "30");
    assert_eq!(rows[3].1, rep.id.to_string());
    assert_eq!(rows[3].2, rep2.id.to_string());

    // Paged by cursor, newest first on request; only those who see the deal read it.
    let page = app
        .get(&format!("{p}/history?limit=1&sort=-at"), &manager.token)
        .await;
    let page = page.ok().clone();
    assert_eq!(page["items"][0]["field"], "owner_id");
    let next = page["next_cursor"].as_str().unwrap();
    let second = app
        .get(
            &format!("{p}/history?limit=1&sort=-at&cursor={next}"),
            &manager.token,
        )
        .await;
    assert_eq!(second.ok()["items"][0]["field"], "probability");
    app.get(&format!("{p}/history"), &outsider.token)
        .await
        .problem(404, "not-found");
}

async fn money_and_status_changes_are_kept(app: TestApp) {
    let admin = app.admin().await;
    let finance = app.user(kedao_domain::access::Role::Finance, None).await;
    let rep = app.rep(None).await;

    // Price book.
    let product = app
        .post(
            "/api/v1/products",
            &admin.token,
            &json!({"sku": "HIST-1", "name": "主轴", "list_price": "980.00"}),
        )
        .await;
    let product = product.ok().clone();
    let pp = format!("/api/v1/products/{}", product["id"].as_str().unwrap());
    app.patch(
        &pp,
        &admin.token,
        &etag(&product),
        &json!({"list_price": "1080.50"}),
    )
    .await
    .ok();
    let rows = history(&app, &rep, &pp).await;
    assert_eq!(rows.len(), 1);
    assert_eq!(
        (rows[0].1.clone(), rows[0].2.clone()),
        (json!("980.00"), json!("1080.50"))
    );

    // Credit terms of an account.
    let acc = account(&app, &rep, "授信客户").await;
    let ap = format!("/api/v1/accounts/{acc}");
    let credit = app.get(&format!("{ap}/credit"), &finance.token).await;
    app.call(
        reqwest::Method::PUT,
        &format!("{ap}/credit"),
        Some(&finance.token),
        Some(&json!({"limit": "50000"})),
        Some(&credit.etag()),
    )
    .await
    .ok();
    let rows = history(&app, &rep, &ap).await;
    let fields: Vec<&str> = rows.iter().map(|r| r.0.as_str()).collect();
    assert_eq!(fields, ["credit_limit", "credit_currency"]);
    assert_eq!(rows[0].2, "50000.00");
    assert_eq!(rows[0].3, finance.id.to_string());

    // A quote sent and accepted: its status, and the deal it wins.
    let opp = crate::quotes::opportunity(&app, &rep, "报价历史").await;
    let q = create_quote(&app, &rep, &opp, json!([free_line("1000", "0")])).await;
    let qp = path(&q);
    let sent = app
        .post_if(&format!("{qp}/send"), &rep.token, &etag(&q))
        .await
        .ok()
        .clone();
    let order = app
        .post_if(&format!("{qp}/accept"), &rep.token, &etag(&sent))
        .await
        .ok()
        .clone();
    let statuses: Vec<(Value, Value)> = history(&app, &rep, &qp)
        .await
        .into_iter()
        .filter(|r| r.0 == "status")
        .map(|r| (r.1, r.2))
        .collect();
    assert_eq!(
        statuses,
        [
            (json!("draft"), json!("sent")),
            (json!("sent"), json!("accepted"))
        ]
    );
    let deal = history(&app, &rep, &format!("/api/v1/opportunities/{opp}")).await;
    assert!(deal.iter().any(|r| r.0 == "stage_id"), "{deal:?}");

    // An order's status.
    let op = format!("/api/v1/orders/{}", order["id"].as_str().unwrap());
    app.call(
        reqwest::Method::POST,
        &format!("{op}/status"),
        Some(&rep.token),
        Some(&json!({"status": "in_fulfilment"})),
        Some(&etag(&order)),
    )
    .await
    .ok();
    let rows = history(&app, &rep, &op).await;
    assert_eq!(rows.len(), 1);
    assert_eq!(
        (rows[0].1.clone(), rows[0].2.clone()),
        (json!("confirmed"), json!("in_fulfilment"))
    );
}

async fn a_deleted_record_keeps_its_history(app: TestApp) {
    let admin = app.admin().await;
    let team = app.team("删除组").await;
    let rep = app.rep(Some(team)).await;
    let other = app.rep(Some(team)).await;
    let manager = app.manager(Some(team)).await;
    let lead = app
        .post(
            "/api/v1/leads",
            &rep.token,
            &json!({"name": "王经理", "company": "历史公司", "source": "call"}),
        )
        .await;
    let lead = lead.ok().clone();
    let lp = format!("/api/v1/leads/{}", lead["id"].as_str().unwrap());
    let moved = app
        .patch(
            &lp,
            &manager.token,
            &etag(&lead),
            &json!({"owner_id": other.id}),
        )
        .await;
    let deleted = app.delete(&lp, &other.token, &etag(moved.ok())).await;
    assert_eq!(deleted.status, 204, "{}", deleted.text);
    assert_eq!(app.get(&lp, &other.token).await.status, 404);
    app.get(&format!("{lp}/history"), &other.token)
        .await
        .problem(404, "not-found");
    let rows = history(&app, &admin, &lp).await;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].0, "owner_id");
    // An id that never was a record has no history, for anyone.
    app.get(
        "/api/v1/leads/0190f3a4-1d2e-7c3b-9a8f-6e5d4c3b2a10/history",
        &admin.token,
    )
    .await
    .problem(404, "not-found");
}

both!(
    key_field_changes_are_kept,
    money_and_status_changes_are_kept,
    a_deleted_record_keeps_its_history
);
