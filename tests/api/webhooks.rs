//! Outbound webhooks: signed deliveries to a local receiver, retried after a failure and
//! logged, redelivered on request; private addresses refused by default; dealer admins'
//! subscriptions are their dealer's and receive only its events; secrets shown once.

use std::time::Duration;

use hmac::{Hmac, Mac};
use kedao_domain::access::Role;
use kedao_tests::receiver::{Received, Receiver};
use kedao_tests::{TestApp, both};
use serde_json::{Value, json};
use sha2::Sha256;

use crate::jobs::{new_lead, subscribe};

/// Checks the `Kedao-Signature` of a request as a receiver would.
fn assert_signed(request: &Received, secret: &str) {
    let header = request.header("kedao-signature");
    let (t, v1) = header
        .split_once(',')
        .and_then(|(t, v)| Some((t.strip_prefix("t=")?, v.strip_prefix("v1=")?)))
        .unwrap_or_else(|| panic!("malformed signature header {header:?}"));
    let t: i64 = t.parse().unwrap();
    assert!(
        (chrono::Utc::now().timestamp() - t).abs() < 60,
        "fresh timestamp"
    );
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(format!("{t}.{}", request.body).as_bytes());
    assert_eq!(
        v1,
        hex::encode(mac.finalize().into_bytes()),
        "signature of {}",
        request.body
    );
}

async fn deliveries(app: &TestApp, token: &str, hook: &str) -> Vec<Value> {
    let reply = app
        .get(&format!("/api/v1/webhooks/{hook}/deliveries"), token)
        .await;
    reply.ok()["items"].as_array().unwrap().clone()
}

/// Polls the delivery log until its first delivery satisfies `done`.
async fn wait_delivery(
    app: &TestApp,
    token: &str,
    hook: &str,
    done: impl Fn(&Value) -> bool,
) -> Value {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    loop {
        let items = deliveries(app, token, hook).await;
        if let Some(d) = items.first().filter(|d| done(d)) {
            return d.clone();
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "delivery log {items:#?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn deliveries_are_signed_retried_logged_and_redelivered(app: TestApp) {
    // The receiver fails the first delivery, then accepts.
    let receiver = Receiver::start(&[500, 200]).await;
    let admin = app.admin().await;
    let created = subscribe(
        &app,
        &admin,
        &receiver.url,
        &["lead.created", "payment.recorded"],
    )
    .await;
    let secret = created["secret"].as_str().unwrap().to_owned();
    assert!(secret.starts_with("whsec_"));
    let hook = created["webhook"]["id"].as_str().unwrap().to_owned();
    let lead = new_lead(&app, &admin, "Webhook Lead").await;

    let got = receiver.wait_for(2, Duration::from_secs(15)).await;
    for request in &got {
        assert_signed(request, &secret);
        assert_eq!(request.path, "/hook");
        assert_eq!(request.header("kedao-event"), "lead.created");
        assert_eq!(request.header("content-type"), "application/json");
    }
    let body = got[1].json();
    assert_eq!(body["type"], "lead.created");
    assert_eq!(body["data"]["id"], lead["id"]);
    assert_eq!(body["data"]["name"], "Webhook Lead");
    assert!(body["created_at"].as_str().is_some());
    // A retry is the same event and delivery.
    assert_eq!(got[0].body, got[1].body);
    assert_eq!(
        got[0].header("kedao-delivery"),
        got[1].header("kedao-delivery")
    );

    let logged = wait_delivery(&app, &admin.token, &hook, |d| d["status"] == "delivered").await;
    assert_eq!(logged["attempts"], 2);
    assert_eq!(logged["response_code"], 200);
    assert_eq!(logged["event_type"], "lead.created");
    assert_eq!(logged["event_id"], body["id"]);
    assert_eq!(
        logged["id"].as_str().unwrap(),
        got[1].header("kedao-delivery")
    );
    assert!(logged["latency_ms"].as_i64().is_some());
    assert!(logged["delivered_at"].as_str().is_some());

    // Redelivery sends the same event again, signed anew.
    let delivery = logged["id"].as_str().unwrap();
    let path = format!("/api/v1/webhooks/{hook}/deliveries/{delivery}/redeliver");
    let again = app.post(&path, &admin.token, &json!({})).await;
    assert_eq!(again.status, 202, "{}", again.text);
    assert_eq!(again.body["status"], "pending");
    let got = receiver.wait_for(3, Duration::from_secs(10)).await;
    assert_signed(&got[2], &secret);
    assert_eq!(got[2].json()["id"], body["id"]);
    let logged = wait_delivery(&app, &admin.token, &hook, |d| {
        d["status"] == "delivered" && d["attempts"] == 3
    })
    .await;
    assert_eq!(logged["response_code"], 200);

    // A rotated secret signs what follows; the old one no longer verifies.
    let rotated = app
        .post(
            &format!("/api/v1/webhooks/{hook}/rotate-secret"),
            &admin.token,
            &json!({}),
        )
        .await;
    let new_secret = rotated.ok()["secret"].as_str().unwrap().to_owned();
    assert_ne!(new_secret, secret);
    new_lead(&app, &admin, "After rotation").await;
    let got = receiver.wait_for(4, Duration::from_secs(10)).await;
    assert_signed(&got[3], &new_secret);
}

fn private_refused(s: &mut kedao_api::Settings) {
    s.webhook_allow_private = false;
}

async fn private_addresses_are_refused_by_default(app: TestApp) {
    let admin = app.admin().await;
    let before = app.count("webhook_subscriptions").await;
    for url in [
        "http://127.0.0.1:8080/hook",
        "http://localhost/hook",
        "http://[::1]/hook",
        "http://10.0.0.8/hook",
        "http://192.168.1.20/hook",
        "http://169.254.169.254/latest/meta-data",
        "http://100.64.0.1/hook",
        "http://[::ffff:127.0.0.1]/hook",
        "http://[fd00::1]/hook",
        "ftp://example.com/hook",
        "not a url",
    ] {
        let reply = app
            .post(
                "/api/v1/webhooks",
                &admin.token,
                &json!({"url": url, "events": ["lead.created"]}),
            )
            .await;
        reply.invalid_field("url");
    }
    let reply = app
        .post(
            "/api/v1/webhooks",
            &admin.token,
            &json!({"url": "https://8.8.8.8/hook", "events": ["lead.deleted"]}),
        )
        .await;
    reply.invalid_field("events");
    assert_eq!(app.count("webhook_subscriptions").await, before);
    // A public address is accepted.
    let ok = app
        .post(
            "/api/v1/webhooks",
            &admin.token,
            &json!({"url": "https://8.8.8.8/hook", "events": ["lead.created"]}),
        )
        .await;
    assert_eq!(ok.status, 201, "{}", ok.text);
    // Changing it to a private address is refused too.
    let hook = ok.body["webhook"]["id"].as_str().unwrap();
    let etag = ok.etag();
    app.patch(
        &format!("/api/v1/webhooks/{hook}"),
        &admin.token,
        &etag,
        &json!({"url": "http://127.0.0.1/x"}),
    )
    .await
    .invalid_field("url");
}

async fn dealer_admins_see_and_receive_only_their_dealer(app: TestApp) {
    let dealer_a = app.new_dealer("WH-A", "华东").await;
    let dealer_b = app.new_dealer("WH-B", "华南").await;
    let admin_a = app.dealer_staff(Role::DealerAdmin, dealer_a).await;
    let admin_b = app.dealer_staff(Role::DealerAdmin, dealer_b).await;
    let admin = app.admin().await;
    let receiver_a = Receiver::start(&[200]).await;
    let receiver_all = Receiver::start(&[200]).await;

    let created = subscribe(&app, &admin_a, &receiver_a.url, &["lead.created"]).await;
    let secret = created["secret"].as_str().unwrap().to_owned();
    let hook_a = created["webhook"]["id"].as_str().unwrap().to_owned();
    assert_eq!(created["webhook"]["dealer_id"], dealer_a.to_string());
    subscribe(&app, &admin, &receiver_all.url, &["lead.created"]).await;

    // The secret is shown once: never in a read or a list.
    let read = app
        .get(&format!("/api/v1/webhooks/{hook_a}"), &admin_a.token)
        .await;
    assert!(read.ok().get("secret").is_none());
    assert!(!read.text.contains(&secret));
    let listed = app.get("/api/v1/webhooks", &admin.token).await;
    assert!(!listed.text.contains(&secret));
    assert!(!listed.text.contains("\"secret\""));
    assert_eq!(listed.ok()["items"].as_array().unwrap().len(), 2);

    // Dealer admins see their own dealer's subscriptions only; another's is a 404.
    let mine = app.get("/api/v1/webhooks", &admin_a.token).await;
    assert_eq!(mine.ok()["items"].as_array().unwrap().len(), 1);
    let theirs = app.get("/api/v1/webhooks", &admin_b.token).await;
    assert_eq!(theirs.ok()["items"].as_array().unwrap().len(), 0);
    for path in [
        format!("/api/v1/webhooks/{hook_a}"),
        format!("/api/v1/webhooks/{hook_a}/deliveries"),
    ] {
        app.get(&path, &admin_b.token)
            .await
            .problem(404, "not-found");
    }
    app.delete(
        &format!("/api/v1/webhooks/{hook_a}"),
        &admin_b.token,
        "\"1\"",
    )
    .await
    .problem(404, "not-found");
    // …and subscribe for no other dealer.
    app.post(
        "/api/v1/webhooks",
        &admin_b.token,
        &json!({"url": receiver_a.url, "events": ["lead.created"], "dealer_id": dealer_a}),
    )
    .await
    .problem(403, "forbidden");
    // Other roles manage no webhooks.
    for role in [Role::Sales, Role::Manager, Role::Finance, Role::DealerUser] {
        let user = match role {
            Role::DealerUser => app.dealer_staff(role, dealer_a).await,
            _ => app.user(role, None).await,
        };
        app.get("/api/v1/webhooks", &user.token)
            .await
            .problem(403, "forbidden");
        app.post(
            "/api/v1/webhooks",
            &user.token,
            &json!({"url": receiver_a.url, "events": ["lead.created"]}),
        )
        .await
        .problem(403, "forbidden");
    }

    // Each dealer's lead: dealer A's subscription receives only A's; the admin's both.
    let lead_b = app
        .post(
            "/api/v1/leads",
            &admin_b.token,
            &json!({"name": "B 的线索", "source": "dealer"}),
        )
        .await;
    assert_eq!(lead_b.status, 201, "{}", lead_b.text);
    let lead_a = app
        .post(
            "/api/v1/leads",
            &admin_a.token,
            &json!({"name": "A 的线索", "source": "dealer"}),
        )
        .await;
    assert_eq!(lead_a.status, 201, "{}", lead_a.text);
    let all = receiver_all.wait_for(2, Duration::from_secs(15)).await;
    let got = receiver_a.wait_for(1, Duration::from_secs(15)).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(
        receiver_a.received().len(),
        1,
        "{:?}",
        receiver_a.received()
    );
    assert_eq!(got[0].json()["data"]["id"], lead_a.body["id"]);
    assert_signed(&got[0], &secret);
    let mut names: Vec<String> = all
        .iter()
        .map(|r| r.json()["data"]["name"].as_str().unwrap().to_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["A 的线索", "B 的线索"]);

    // The dealer admin reads the delivery log of their subscription, and deletes it.
    let log = deliveries(&app, &admin_a.token, &hook_a).await;
    assert_eq!(log.len(), 1);
    let reply = app
        .delete(
            &format!("/api/v1/webhooks/{hook_a}"),
            &admin_a.token,
            "\"1\"",
        )
        .await;
    assert_eq!(reply.status, 204, "{}", reply.text);
    app.get(&format!("/api/v1/webhooks/{hook_a}"), &admin_a.token)
        .await
        .problem(404, "not-found");
}

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
    crate::jobs::subscribe(&app, &admin, &receiver.url, &events).await;
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

both!(deliveries_are_signed_retried_logged_and_redelivered);
both!(the_sales_path_announces_each_step);
both!(record_events_go_out_and_failing_subscriptions_are_disabled with fail_fast);
fn allowed_but_no_workers(s: &mut kedao_api::Settings) {
    s.webhook_allow_private = true;
    s.job_workers = 0;
}

async fn delivery_checks_the_address_again(app: TestApp) {
    // Subscribed while private targets were allowed…
    let receiver = Receiver::start(&[200]).await;
    let admin = app.admin().await;
    let created = crate::jobs::subscribe(&app, &admin, &receiver.url, &["lead.created"]).await;
    let hook = created["webhook"]["id"].as_str().unwrap().to_owned();
    new_lead(&app, &admin, "Not for loopback").await;
    // …delivered by a server that does not allow them: refused, never sent, not retried.
    let strict = app
        .spawn_sibling(|s| {
            s.webhook_allow_private = false;
            s.job_workers = 1;
        })
        .await;
    let dead = crate::jobs::wait_jobs(&strict, "webhook.deliver", "dead", |rows| {
        rows.len() == 1 && rows[0].status == "dead"
    })
    .await
    .remove(0);
    assert_eq!(dead.attempts, 1, "a refused address is not retried");
    assert!(
        dead.last_error.as_deref().unwrap().contains("loopback"),
        "{dead:?}"
    );
    let log = deliveries(&app, &admin.token, &hook).await;
    assert_eq!(log[0]["status"], "failed");
    assert!(log[0]["response_code"].is_null());
    assert!(
        log[0]["error"].as_str().unwrap().contains("refused"),
        "{log:#?}"
    );
    assert!(receiver.received().is_empty());
}

both!(private_addresses_are_refused_by_default with private_refused);
both!(delivery_checks_the_address_again with allowed_but_no_workers);
both!(dealer_admins_see_and_receive_only_their_dealer);
