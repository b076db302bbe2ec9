//! Sharing an account with a user or a team: the account and what hangs on it become visible
//! (read) or changeable (read_write) to them, until the share is revoked — at once.

use kedao_tests::{Actor, Reply, TestApp, both};
use serde_json::{Value, json};

use crate::opportunities::account;
use crate::receivables::order;

async fn share(app: &TestApp, by: &Actor, acc: &str, body: Value) -> Reply {
    app.post(&format!("/api/v1/accounts/{acc}/shares"), &by.token, &body)
        .await
}

async fn status(app: &TestApp, by: &Actor, path: &str) -> u16 {
    app.get(path, &by.token).await.status.as_u16()
}

async fn shares_widen_reach_until_revoked(app: TestApp) {
    let owner = app.rep(None).await;
    let reader = app.rep(None).await;
    let team = app.team("协作组").await;
    let writer = app.rep(Some(team)).await;
    let acc = account(&app, &owner, "共享客户").await;
    let opp = app
        .post(
            "/api/v1/opportunities",
            &owner.token,
            &json!({"title": "共享商机", "account_id": acc, "amount": "5000",
                    "expected_close_date": "2099-01-01"}),
        )
        .await;
    let opp = opp.ok().clone();
    let o = order(&app, &owner, &acc, "800", "CNY").await;
    let acc_path = format!("/api/v1/accounts/{acc}");
    let opp_path = format!("/api/v1/opportunities/{}", opp["id"].as_str().unwrap());
    let order_path = format!("/api/v1/orders/{}", o["id"].as_str().unwrap());
    for p in [&acc_path, &opp_path, &order_path] {
        assert_eq!(status(&app, &reader, p).await, 404, "{p}");
    }

    // Bad shares change nothing; a stranger cannot share what they cannot change.
    share(&app, &owner, &acc, json!({"access": "read"}))
        .await
        .invalid_field("user_id");
    share(
        &app,
        &owner,
        &acc,
        json!({"user_id": reader.id, "team_id": team, "access": "read"}),
    )
    .await
    .invalid_field("user_id");
    share(
        &app,
        &reader,
        &acc,
        json!({"user_id": reader.id, "access": "read"}),
    )
    .await
    .problem(404, "not-found");

    // Read: everything on the account is visible, nothing changeable, nothing re-shareable.
    let read = share(
        &app,
        &owner,
        &acc,
        json!({"user_id": reader.id, "access": "read"}),
    )
    .await;
    assert_eq!(read.status, 201, "{}", read.text);
    for p in [&acc_path, &opp_path, &order_path] {
        assert_eq!(status(&app, &reader, p).await, 200, "{p}");
    }
    let listed = app.get("/api/v1/accounts", &reader.token).await;
    assert_eq!(listed.ok()["items"].as_array().unwrap().len(), 1);
    let plan = app.get(&format!("{order_path}/plan"), &reader.token).await;
    assert_eq!(plan.status, 200);
    let acc_now = app.get(&acc_path, &reader.token).await;
    app.patch(
        &acc_path,
        &reader.token,
        &acc_now.etag(),
        &json!({"name": "改名"}),
    )
    .await
    .problem(403, "forbidden");
    share(
        &app,
        &reader,
        &acc,
        json!({"user_id": reader.id, "access": "read"}),
    )
    .await
    .problem(403, "forbidden");

    // Read-write with a team: its members change the account and its deal.
    let rw = share(
        &app,
        &owner,
        &acc,
        json!({"team_id": team, "access": "read_write"}),
    )
    .await;
    assert_eq!(rw.status, 201, "{}", rw.text);
    let acc_now = app.get(&acc_path, &writer.token).await;
    let renamed = app
        .patch(
            &acc_path,
            &writer.token,
            &acc_now.etag(),
            &json!({"name": "共享客户(已更新)"}),
        )
        .await;
    assert_eq!(renamed.ok()["name"], "共享客户(已更新)");
    let opp_now = app.get(&opp_path, &writer.token).await;
    let moved = app
        .patch(
            &opp_path,
            &writer.token,
            &opp_now.etag(),
            &json!({"amount": "6000"}),
        )
        .await;
    assert_eq!(moved.ok()["amount"], "6000.00");

    // Revoked: gone on the very next request; the share stays on record.
    let share_id = read.body["id"].as_str().unwrap();
    let revoked = app
        .post(
            &format!("/api/v1/accounts/{acc}/shares/{share_id}/revoke"),
            &owner.token,
            &json!(null),
        )
        .await;
    assert!(revoked.ok()["revoked_at"].is_string());
    for p in [&acc_path, &opp_path, &order_path] {
        assert_eq!(status(&app, &reader, p).await, 404, "{p}");
    }
    let shares = app
        .get(&format!("/api/v1/accounts/{acc}/shares"), &owner.token)
        .await;
    assert_eq!(shares.ok()["items"].as_array().unwrap().len(), 2);
}

both!(shares_widen_reach_until_revoked);
