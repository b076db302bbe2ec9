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

mod events;

/// Checks the `Kedao-Signature` of a request as a receiver would.
pub fn assert_signed(request: &Received, secret: &str) {
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

pub async fn deliveries(app: &TestApp, token: &str, hook: &str) -> Vec<Value> {
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

both!(deliveries_are_signed_retried_logged_and_redelivered);

fn allowed_but_no_workers(s: &mut kedao_api::Settings) {
    s.webhook_allow_private = true;
    s.job_workers = 0;
}

async fn delivery_checks_the_address_again(app: TestApp) {
    // Subscribed while private targets were allowed…
    let receiver = Receiver::start(&[200]).await;
    let admin = app.admin().await;
    let created = subscribe(&app, &admin, &receiver.url, &["lead.created"]).await;
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

/// An event is queued only while an active subscription may want it: writes nobody
/// subscribed to (or only a disabled subscription, or another dealer's) leave no job behind,
/// and the first write after a subscription is queued and delivered.
async fn events_are_queued_only_for_subscribers(app: TestApp) {
    let admin = app.admin().await;
    let events = || async { crate::jobs::jobs_of(&app, "webhook.event").await.len() };
    new_lead(&app, &admin, "无人订阅").await;
    assert_eq!(events().await, 0);

    // A dealer's subscription does not want the company's own records' events.
    let dealer = app.new_dealer("D-HOOK", "华南").await;
    let dealer_admin = app.dealer_staff(Role::DealerAdmin, dealer).await;
    let receiver = Receiver::start(&[200]).await;
    subscribe(&app, &dealer_admin, &receiver.url, &["lead.created"]).await;
    new_lead(&app, &admin, "经销商不要").await;
    assert_eq!(events().await, 0);

    // Subscribed to another type only: still nothing.
    let hook = subscribe(&app, &admin, &receiver.url, &["lead.converted"]).await;
    new_lead(&app, &admin, "类型不对").await;
    assert_eq!(events().await, 0);

    // Now one wants it.
    let path = format!(
        "/api/v1/webhooks/{}",
        hook["webhook"]["id"].as_str().unwrap()
    );
    let etag = app.get(&path, &admin.token).await.etag();
    let changed = app
        .patch(
            &path,
            &admin.token,
            &etag,
            &json!({"events": ["lead.created"]}),
        )
        .await;
    assert_eq!(changed.status, 200, "{}", changed.text);
    let lead = new_lead(&app, &admin, "有人订阅").await;
    assert_eq!(events().await, 1);
    let got = receiver.wait_for(1, Duration::from_secs(15)).await;
    assert_eq!(got[0].json()["data"]["id"], lead["id"]);
}

both!(events_are_queued_only_for_subscribers);
