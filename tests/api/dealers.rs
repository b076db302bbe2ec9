//! Dealers (经销商): admins keep the list, staff read it and give accounts a dealer; the
//! receivables reports group by the dealer serving each account.

use kedao_tests::{Actor, TestApp, both};
use serde_json::{Value, json};

use crate::receivables::order;

async fn dealer(app: &TestApp, admin: &Actor, code: &str, region: &str) -> Value {
    let reply = app
        .post(
            "/api/v1/dealers",
            &admin.token,
            &json!({"code": code, "name": format!("{region}经销商 {code}"), "region": region}),
        )
        .await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    reply.body
}

fn codes(list: &Value) -> Vec<&str> {
    list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect()
}

async fn admins_keep_the_dealer_list(app: TestApp) {
    let admin = app.admin().await;
    let rep = app.rep(None).await;
    let sz = dealer(&app, &admin, "D-SZ-001", "华东").await;
    dealer(&app, &admin, "D-GZ-001", "华南").await;
    assert_eq!(sz["status"], "active");

    app.post(
        "/api/v1/dealers",
        &admin.token,
        &json!({"code": "D-SZ-001", "name": "重复"}),
    )
    .await
    .problem(409, "code-taken");
    app.post(
        "/api/v1/dealers",
        &admin.token,
        &json!({"code": " ", "name": "空"}),
    )
    .await
    .invalid_field("code");
    app.post(
        "/api/v1/dealers",
        &rep.token,
        &json!({"code": "D-X", "name": "越权"}),
    )
    .await
    .problem(403, "forbidden");

    let all = app.get("/api/v1/dealers", &rep.token).await;
    assert_eq!(codes(all.ok()), ["D-GZ-001", "D-SZ-001"]);
    let south = app.get("/api/v1/dealers?region=华南", &rep.token).await;
    assert_eq!(codes(south.ok()), ["D-GZ-001"]);
    let found = app.get("/api/v1/dealers?q=SZ", &rep.token).await;
    assert_eq!(codes(found.ok()), ["D-SZ-001"]);

    let path = format!("/api/v1/dealers/{}", sz["id"].as_str().unwrap());
    let read = app.get(&path, &rep.token).await;
    app.patch(
        &path,
        &rep.token,
        &read.etag(),
        &json!({"status": "suspended"}),
    )
    .await
    .problem(403, "forbidden");
    let suspended = app
        .patch(
            &path,
            &admin.token,
            &read.etag(),
            &json!({"status": "suspended"}),
        )
        .await;
    assert_eq!(suspended.ok()["status"], "suspended");
    app.patch(
        &path,
        &admin.token,
        &read.etag(),
        &json!({"name": "旧版本"}),
    )
    .await
    .problem(412, "stale-version");
    let active = app.get("/api/v1/dealers?status=active", &rep.token).await;
    assert_eq!(codes(active.ok()), ["D-GZ-001"]);
}

async fn accounts_are_served_by_a_dealer(app: TestApp) {
    let admin = app.admin().await;
    let rep = app.rep(None).await;
    let finance = app.user(kedao_domain::access::Role::Finance, None).await;
    let sz = dealer(&app, &admin, "D-SZ-002", "华东").await;
    let sz_id = sz["id"].as_str().unwrap();

    let served = app
        .post(
            "/api/v1/accounts",
            &rep.token,
            &json!({"name": "经销客户", "dealer_id": sz_id}),
        )
        .await;
    assert_eq!(served.status, 201, "{}", served.text);
    assert_eq!(served.body["dealer_id"], sz_id);
    let direct = app
        .post("/api/v1/accounts", &rep.token, &json!({"name": "直销客户"}))
        .await;
    assert!(direct.body["dealer_id"].is_null());
    app.post(
        "/api/v1/accounts",
        &rep.token,
        &json!({"name": "无效", "dealer_id": "0190f3a4-1d2e-7c3b-9a8f-6e5d4c3b2a10"}),
    )
    .await
    .invalid_field("dealer_id");
    let listed = app
        .get(&format!("/api/v1/accounts?dealer_id={sz_id}"), &rep.token)
        .await;
    assert_eq!(listed.ok()["items"].as_array().unwrap().len(), 1);

    // Receivables by dealer: the dealer's row, and the row of accounts served directly.
    let served_id = served.body["id"].as_str().unwrap();
    let direct_id = direct.body["id"].as_str().unwrap();
    order(&app, &rep, served_id, "1200", "CNY").await;
    order(&app, &rep, served_id, "300", "CNY").await;
    order(&app, &rep, direct_id, "100", "CNY").await;
    let aging = app
        .get("/api/v1/receivables/aging?group_by=dealer", &finance.token)
        .await;
    let rows = aging.ok()["rows"].as_array().unwrap().clone();
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert_eq!(rows[0]["group_id"], sz_id);
    assert_eq!(rows[0]["group_name"], sz["name"]);
    assert_eq!(rows[0]["not_due"], "1500.00");
    assert!(rows[1]["group_id"].is_null());
    assert_eq!(rows[1]["total"], "100.00");
    let summary = app
        .get(
            "/api/v1/receivables/summary?group_by=dealer",
            &finance.token,
        )
        .await;
    assert_eq!(summary.ok()["rows"][0]["outstanding"], "1500.00");

    // A suspended dealer takes no new accounts; moving an account off a dealer is allowed.
    let path = format!("/api/v1/dealers/{sz_id}");
    let read = app.get(&path, &admin.token).await;
    app.patch(
        &path,
        &admin.token,
        &read.etag(),
        &json!({"status": "suspended"}),
    )
    .await
    .ok();
    app.post(
        "/api/v1/accounts",
        &rep.token,
        &json!({"name": "新客户", "dealer_id": sz_id}),
    )
    .await
    .invalid_field("dealer_id");
    let acc_path = format!("/api/v1/accounts/{served_id}");
    let acc = app.get(&acc_path, &rep.token).await;
    let moved = app
        .patch(
            &acc_path,
            &rep.token,
            &acc.etag(),
            &json!({"dealer_id": null}),
        )
        .await;
    assert!(moved.ok()["dealer_id"].is_null());
}

/// Several admins giving different dealers the same code at once: one wins, the others get a
/// 409 (the check before the write, or the unique index when they raced past it), never a 500.
async fn a_code_taken_at_the_same_moment_is_a_conflict(app: TestApp) {
    let admin = app.admin().await;
    let mut dealers = Vec::new();
    for n in 0..6 {
        dealers.push(dealer(&app, &admin, &format!("D-RACE-{n}"), "华北").await);
    }
    let app = std::sync::Arc::new(app);
    let tasks: Vec<_> = dealers
        .into_iter()
        .map(|d| {
            let (app, token) = (app.clone(), admin.token.clone());
            tokio::spawn(async move {
                let path = format!("/api/v1/dealers/{}", d["id"].as_str().unwrap());
                let etag = format!("\"{}\"", d["version"]);
                app.patch(&path, &token, &etag, &json!({"code": "D-SAME"}))
                    .await
            })
        })
        .collect();
    let mut won = 0;
    for t in tasks {
        let reply = t.await.unwrap();
        match reply.status.as_u16() {
            200 => won += 1,
            409 => {}
            other => panic!("status {other}: {}", reply.text),
        }
    }
    assert_eq!(won, 1);
}

both!(
    admins_keep_the_dealer_list,
    accounts_are_served_by_a_dealer,
    a_code_taken_at_the_same_moment_is_a_conflict
);
