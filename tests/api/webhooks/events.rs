//! Webhook events from the write paths: activities, payments, the sales path from conversion
//! to a voided payment; and a subscription whose deliveries keep failing is disabled.

use std::time::Duration;

use kedao_tests::receiver::Receiver;
use kedao_tests::{TestApp, both};
use serde_json::json;

use super::deliveries;
use crate::jobs::{new_lead, subscribe};

fn fail_fast(s: &mut kedao_api::Settings) {
    s.webhook_max_attempts = 1;
    s.webhook_disable_after = 2;
}

async fn record_events_go_out_and_failing_subscriptions_are_disabled(app: TestApp) {
    let admin = app.admin().await;
    let ok = Receiver::start(&[200]).await;
    let events = ["activity.created", "activity.completed", "payment.recorded"];
    subscribe(&app, &admin, &ok.url, &events).await;
    let acc = crate::opportunities::account(&app, &admin, "事件客户").await;
    let plan = app
        .post(
            "/api/v1/activities",
            &admin.token,
            &json!({"kind": "task", "subject": "寄送样品", "account_id": acc, "due_date": "2027-01-10"}),
        )
        .await;
    assert_eq!(plan.status, 201, "{}", plan.text);
    let done = app
        .patch(
            &format!("/api/v1/activities/{}", plan.body["id"].as_str().unwrap()),
            &admin.token,
            &plan.etag(),
            &json!({"status": "done", "outcome": "已寄出"}),
        )
        .await;
    assert_eq!(done.status, 200, "{}", done.text);
    crate::receivables::order(&app, &admin, &acc, "500", "CNY").await;
    let paid =
        crate::receivables::pay(&app, &admin, crate::receivables::payment(&acc, "200", None)).await;
    assert_eq!(paid.status, 201, "{}", paid.text);
    let got = ok.wait_for(3, Duration::from_secs(15)).await;
    let mut types: Vec<String> = got
        .iter()
        .map(|r| r.header("kedao-event").to_owned())
        .collect();
    types.sort();
    assert_eq!(
        types,
        ["activity.completed", "activity.created", "payment.recorded"]
    );
    let payment = got
        .iter()
        .find(|r| r.header("kedao-event") == "payment.recorded")
        .unwrap();
    assert_eq!(payment.json()["data"]["id"], paid.body["id"]);
    assert_eq!(
        crate::receivables::dec(&payment.json()["data"]["amount"]),
        rust_decimal::Decimal::from(200)
    );

    // A receiver that always fails: each delivery fails for good after its one attempt, and
    // the second in a row disables the subscription, saying why.
    let bad = Receiver::start(&[500]).await;
    let failing = subscribe(&app, &admin, &bad.url, &["activity.created"]).await;
    let hook = failing["webhook"]["id"].as_str().unwrap().to_owned();
    let note =
        |n: usize| json!({"kind": "note", "subject": format!("备注 {n}"), "account_id": acc});
    for n in 0..2 {
        let reply = app.post("/api/v1/activities", &admin.token, &note(n)).await;
        assert_eq!(reply.status, 201, "{}", reply.text);
    }
    bad.wait_for(2, Duration::from_secs(15)).await;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(15);
    let disabled = loop {
        let read = app
            .get(&format!("/api/v1/webhooks/{hook}"), &admin.token)
            .await;
        if read.ok()["active"] == false {
            break read;
        }
        assert!(tokio::time::Instant::now() < deadline, "{}", read.text);
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert_eq!(disabled.body["failure_count"], 2);
    assert!(
        disabled.body["disabled_reason"]
            .as_str()
            .unwrap()
            .contains("2 failed deliveries"),
        "{}",
        disabled.text
    );
    let log = deliveries(&app, &admin.token, &hook).await;
    assert!(
        log.iter()
            .all(|d| d["status"] == "failed" && d["response_code"] == 500),
        "{log:#?}"
    );
    // Whoever subscribed is told in the app, once, without the URL's path.
    let told = app.get("/api/v1/notifications", &admin.token).await;
    let told: Vec<_> = told.ok()["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["kind"] == "webhook_disabled")
        .cloned()
        .collect();
    assert_eq!(told.len(), 1, "{told:?}");
    let summary = told[0]["summary"].as_str().unwrap();
    assert!(summary.contains(&hook), "{summary}");
    assert!(told[0]["title"].as_str().unwrap().contains("127.0.0.1"));
    // Disabled: no more deliveries. Enabled again: failures cleared.
    let reply = app.post("/api/v1/activities", &admin.token, &note(3)).await;
    assert_eq!(reply.status, 201);
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(bad.received().len(), 2);
    let enabled = app
        .patch(
            &format!("/api/v1/webhooks/{hook}"),
            &admin.token,
            &disabled.etag(),
            &json!({"active": true}),
        )
        .await;
    assert_eq!(enabled.ok()["active"], true, "{}", enabled.text);
    assert_eq!(enabled.body["failure_count"], 0);
    assert!(enabled.body["disabled_reason"].is_null());
}

async fn the_sales_path_announces_each_step(app: TestApp) {
    let receiver = Receiver::start(&[200]).await;
    let admin = app.admin().await;
    let events = [
        "lead.converted",
        "opportunity.stage_changed",
        "order.status_changed",
        "payment.voided",
    ];
    subscribe(&app, &admin, &receiver.url, &events).await;
    let lead = new_lead(&app, &admin, "转化线索").await;
    let converted = app
        .post(
            &format!("/api/v1/leads/{}/convert", lead["id"].as_str().unwrap()),
            &admin.token,
            &json!({"opportunity": {"amount": "1000.00", "currency": "CNY", "expected_close_date": "2027-03-31"}}),
        )
        .await;
    let opportunity = converted.ok()["opportunity_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let acc = converted.body["account_id"].as_str().unwrap().to_owned();
    // A change that is no move announces nothing; a move does.
    let path = format!("/api/v1/opportunities/{opportunity}");
    let renamed = app
        .patch(&path, &admin.token, "\"1\"", &json!({"title": "新标题"}))
        .await;
    assert_eq!(renamed.status, 200, "{}", renamed.text);
    let stages = crate::opportunities::default_stages(&app, &admin.token).await;
    let moved = app
        .patch(
            &path,
            &admin.token,
            "\"2\"",
            &json!({"stage_id": stages[1]}),
        )
        .await;
    assert_eq!(moved.status, 200, "{}", moved.text);
    let order = crate::receivables::order(&app, &admin, &acc, "300", "CNY").await;
    let order_path = format!("/api/v1/orders/{}/status", order["id"].as_str().unwrap());
    let shipped = app
        .call(
            reqwest::Method::POST,
            &order_path,
            Some(&admin.token),
            Some(&json!({"status": "in_fulfilment"})),
            Some(&format!("\"{}\"", order["version"])),
        )
        .await;
    assert_eq!(shipped.status, 200, "{}", shipped.text);
    let paid =
        crate::receivables::pay(&app, &admin, crate::receivables::payment(&acc, "100", None)).await;
    assert_eq!(paid.status, 201, "{}", paid.text);
    let voided = app
        .call(
            reqwest::Method::POST,
            &format!(
                "/api/v1/payments/{}/void",
                paid.body["id"].as_str().unwrap()
            ),
            Some(&admin.token),
            None,
            Some(&paid.etag()),
        )
        .await;
    assert_eq!(voided.status, 200, "{}", voided.text);

    let got = receiver.wait_for(4, Duration::from_secs(15)).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let got_all = receiver.received();
    assert_eq!(got_all.len(), 4, "{got:?}");
    let of = |t: &str| {
        got_all
            .iter()
            .find(|r| r.header("kedao-event") == t)
            .unwrap_or_else(|| panic!("no {t} in {got_all:?}"))
            .json()
    };
    assert_eq!(of("lead.converted")["data"]["lead"]["id"], lead["id"]);
    assert_eq!(
        of("lead.converted")["data"]["opportunity_id"],
        opportunity.as_str()
    );
    assert_eq!(
        of("opportunity.stage_changed")["data"]["stage_id"],
        stages[1].as_str()
    );
    assert_eq!(
        of("order.status_changed")["data"]["status"],
        "in_fulfilment"
    );
    assert_eq!(of("payment.voided")["data"]["id"], paid.body["id"]);
}

both!(record_events_go_out_and_failing_subscriptions_are_disabled with fail_fast);
both!(the_sales_path_announces_each_step);
