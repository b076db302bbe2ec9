//! Credit control: a credit limit and long-overdue installments put new orders on hold until
//! finance or a manager releases them; unapplied credit goes to the next installments; a
//! cancelled order gives its payments back as credit; payments and voids racing on the same
//! installments all succeed.

use std::sync::Arc;

use kedao_api::Settings;
use kedao_domain::access::Role;
use kedao_tests::{Actor, Reply, TestApp, both};
use rust_decimal::Decimal;
use serde_json::{Value, json};

use crate::opportunities::account;
use crate::receivables::{check_invariants, dec, order, pay, payment, plan};

fn id(v: &Value) -> &str {
    v["id"].as_str().unwrap()
}

fn etag(v: &Value) -> String {
    format!("\"{}\"", v["version"])
}

async fn credit(app: &TestApp, by: &Actor, acc: &str) -> Reply {
    app.get(&format!("/api/v1/accounts/{acc}/credit"), &by.token)
        .await
}

async fn set_limit(app: &TestApp, by: &Actor, acc: &str, version: &str, body: Value) -> Reply {
    app.call(
        reqwest::Method::PUT,
        &format!("/api/v1/accounts/{acc}/credit"),
        Some(&by.token),
        Some(&body),
        Some(version),
    )
    .await
}

async fn post_if(app: &TestApp, by: &Actor, path: &str, etag: &str, body: Value) -> Reply {
    app.call(
        reqwest::Method::POST,
        path,
        Some(&by.token),
        Some(&body),
        Some(etag),
    )
    .await
}

async fn timeline_kinds(app: &TestApp, by: &Actor, o: &Value) -> Vec<String> {
    let reply = app
        .get(&format!("/api/v1/orders/{}/timeline", id(o)), &by.token)
        .await;
    reply.ok()["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap().to_owned())
        .collect()
}

async fn a_credit_limit_holds_orders_until_released(app: TestApp) {
    let team = app.team("华北").await;
    let rep = app.rep(Some(team)).await;
    let manager = app.manager(Some(team)).await;
    let other_manager = app.manager(None).await;
    let finance = app.user(Role::Finance, None).await;
    let acc = account(&app, &rep, "信用客户").await;

    // Only finance or a manager sets limits; bad limits change nothing.
    let before = credit(&app, &rep, &acc).await;
    assert!(before.ok()["limit"].is_null());
    let v = before.etag();
    set_limit(&app, &rep, &acc, &v, json!({"limit": "1000"}))
        .await
        .problem(403, "forbidden");
    set_limit(&app, &finance, &acc, &v, json!({"limit": "-1"}))
        .await
        .invalid_field("limit");
    set_limit(&app, &finance, &acc, "\"99\"", json!({"limit": "1000"}))
        .await
        .problem(412, "stale-version");
    let set = set_limit(
        &app,
        &finance,
        &acc,
        &v,
        json!({"limit": "1000", "currency": "CNY"}),
    )
    .await;
    assert_eq!(set.ok()["limit"], "1000.00");
    assert_eq!(set.ok()["available"], "1000.00");

    // Up to the limit exactly is clear; the next order goes on hold and says why.
    let first = order(&app, &rep, &acc, "600", "CNY").await;
    assert_eq!(first["credit_status"], "clear");
    let second = order(&app, &rep, &acc, "400", "CNY").await;
    assert_eq!(second["credit_status"], "clear");
    let held = order(&app, &rep, &acc, "0.01", "CNY").await;
    assert_eq!(held["credit_status"], "on_hold");
    assert_eq!(held["credit_hold_reasons"], json!(["over_limit"]));
    assert_eq!(
        timeline_kinds(&app, &rep, &held).await,
        ["status", "credit_hold"]
    );
    let state = credit(&app, &rep, &acc).await;
    let state = state.ok();
    assert_eq!(state["available"], "0.00");
    assert_eq!(state["orders_on_hold"], 1);
    assert_eq!(
        dec(&state["balances"][0]["outstanding"]),
        Decimal::new(100001, 2)
    );

    // A held order cannot move on (it may be cancelled); the rep cannot release it, a
    // manager of another team does not see it, finance can.
    let path = format!("/api/v1/orders/{}", id(&held));
    post_if(
        &app,
        &rep,
        &format!("{path}/status"),
        &etag(&held),
        json!({"status": "in_fulfilment"}),
    )
    .await
    .problem(409, "credit-hold");
    let release = format!("{path}/release-hold");
    post_if(&app, &rep, &release, &etag(&held), json!({}))
        .await
        .problem(403, "forbidden");
    post_if(&app, &other_manager, &release, &etag(&held), json!({}))
        .await
        .problem(404, "not-found");
    let listed = app
        .get("/api/v1/orders?credit_status=on_hold", &finance.token)
        .await;
    assert_eq!(listed.ok()["items"].as_array().unwrap().len(), 1);
    let released = post_if(
        &app,
        &finance,
        &release,
        &etag(&held),
        json!({"note": "客户已承诺月底付款"}),
    )
    .await;
    let released = released.ok().clone();
    assert_eq!(released["credit_status"], "released");
    assert_eq!(released["credit_released_by"], finance.id.to_string());
    post_if(&app, &finance, &release, &etag(&released), json!({}))
        .await
        .problem(409, "not-on-hold");
    assert_eq!(
        timeline_kinds(&app, &rep, &held).await,
        ["status", "credit_hold", "credit_released"]
    );
    let moved = post_if(
        &app,
        &rep,
        &format!("{path}/status"),
        &etag(&released),
        json!({"status": "in_fulfilment"}),
    )
    .await;
    assert_eq!(moved.ok()["status"], "in_fulfilment");

    // A manager of the owner's team may release too.
    let again = order(&app, &rep, &acc, "5", "CNY").await;
    assert_eq!(again["credit_status"], "on_hold");
    let by_manager = post_if(
        &app,
        &manager,
        &format!("/api/v1/orders/{}/release-hold", id(&again)),
        &etag(&again),
        json!({}),
    )
    .await;
    assert_eq!(by_manager.ok()["credit_status"], "released");

    // A limit in another currency does not bound orders in this one; removing it clears.
    let usd = order(&app, &rep, &acc, "5000", "USD").await;
    assert_eq!(usd["credit_status"], "clear");
    let v = credit(&app, &finance, &acc).await.etag();
    let removed = set_limit(&app, &finance, &acc, &v, json!({"limit": null})).await;
    assert!(removed.ok()["limit"].is_null());
    assert_eq!(
        order(&app, &rep, &acc, "99999", "CNY").await["credit_status"],
        "clear"
    );
}

fn ten_days(s: &mut Settings) {
    s.credit_hold_overdue_days = 10;
}

async fn long_overdue_installments_hold_new_orders(app: TestApp) {
    let rep = app.rep(None).await;
    let acc = account(&app, &rep, "逾期客户").await;
    let old = order(&app, &rep, &acc, "100", "CNY").await;
    let p = plan(&app, &rep, &old).await;
    let replace = |due: String| json!({"installments": [{"due_date": due, "amount": "100"}]});
    let path = format!("/api/v1/orders/{}/plan", id(&old));
    let etag = format!("\"{}\"", p["order_version"]);
    // Ten days overdue is allowed; eleven is not.
    let ten = app
        .call(
            reqwest::Method::PUT,
            &path,
            Some(&rep.token),
            Some(&replace(app.days_from_today(-10))),
            Some(&etag),
        )
        .await;
    assert_eq!(ten.status, 200, "{}", ten.text);
    assert_eq!(
        order(&app, &rep, &acc, "1", "CNY").await["credit_status"],
        "clear"
    );
    let etag = format!("\"{}\"", ten.body["order_version"]);
    let eleven = app
        .call(
            reqwest::Method::PUT,
            &path,
            Some(&rep.token),
            Some(&replace(app.days_from_today(-11))),
            Some(&etag),
        )
        .await;
    assert_eq!(eleven.status, 200, "{}", eleven.text);
    let held = order(&app, &rep, &acc, "1", "CNY").await;
    assert_eq!(held["credit_status"], "on_hold");
    assert_eq!(held["credit_hold_reasons"], json!(["overdue"]));
    let state = credit(&app, &rep, &acc).await;
    assert_eq!(state.ok()["oldest_overdue_days"], 11);
    assert_eq!(state.ok()["hold_after_overdue_days"], 10);

    // Once it is collected, new orders are clear again.
    let paid = pay(&app, &rep, payment(&acc, "100", Some(&old))).await;
    assert_eq!(paid.status, 201, "{}", paid.text);
    assert_eq!(
        order(&app, &rep, &acc, "1", "CNY").await["credit_status"],
        "clear"
    );
}

async fn unapplied_credit_pays_the_next_orders(app: TestApp) {
    let rep = app.rep(None).await;
    let acc = account(&app, &rep, "预收客户").await;
    let prepaid = pay(&app, &rep, payment(&acc, "1500", None)).await;
    assert_eq!(prepaid.status, 201, "{}", prepaid.text);
    assert_eq!(prepaid.body["unapplied"], "1500.00");

    let o = order(&app, &rep, &acc, "1000", "CNY").await;
    let p = plan(&app, &rep, &o).await;
    assert_eq!(p["installments"][0]["status"], "paid");
    let read = app
        .get(
            &format!("/api/v1/payments/{}", id(&prepaid.body)),
            &rep.token,
        )
        .await;
    let read = read.ok().clone();
    assert_eq!(read["unapplied"], "500.00");
    assert_eq!(read["allocations"][0]["order_id"], o["id"]);
    check_invariants(&p, std::slice::from_ref(&read), dec(&o["grand_total"]));

    // The rest goes to the next order, which then owes only the difference.
    let o2 = order(&app, &rep, &acc, "800", "CNY").await;
    let p2 = plan(&app, &rep, &o2).await;
    assert_eq!(p2["installments"][0]["status"], "partially_paid");
    assert_eq!(p2["installments"][0]["outstanding"], "300.00");
    let state = credit(&app, &rep, &acc).await;
    assert_eq!(state.ok()["balances"][0]["outstanding"], "300.00");
    assert_eq!(state.ok()["balances"][0]["unapplied_credit"], "0.00");
}

async fn cancelling_an_order_gives_its_payments_back_as_credit(app: TestApp) {
    let rep = app.rep(None).await;
    let acc = account(&app, &rep, "取消客户").await;
    let o = order(&app, &rep, &acc, "1000", "CNY").await;
    let paid = pay(&app, &rep, payment(&acc, "400", Some(&o))).await.body;
    let cancelled = post_if(
        &app,
        &rep,
        &format!("/api/v1/orders/{}/status", id(&o)),
        &etag(&o),
        json!({"status": "cancelled", "note": "客户取消"}),
    )
    .await;
    assert_eq!(cancelled.ok()["status"], "cancelled");
    let p = plan(&app, &rep, &o).await;
    assert_eq!(p["installments"][0]["status"], "cancelled");
    assert_eq!(p["installments"][0]["outstanding"], "0.00");
    assert_eq!(p["installments"][0]["paid"], "0.00");
    let read = app
        .get(&format!("/api/v1/payments/{}", id(&paid)), &rep.token)
        .await;
    let read = read.ok().clone();
    assert_eq!(read["unapplied"], "400.00");
    let amounts: Vec<&str> = read["allocations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["amount"].as_str().unwrap())
        .collect();
    assert_eq!(
        amounts,
        ["400.00", "-400.00"],
        "the release is recorded, nothing deleted"
    );
    let state = credit(&app, &rep, &acc).await;
    assert_eq!(state.ok()["balances"][0]["outstanding"], "0.00");
    assert_eq!(state.ok()["balances"][0]["unapplied_credit"], "400.00");

    // The credit pays the next order; voiding the payment takes it back from there.
    let o2 = order(&app, &rep, &acc, "300", "CNY").await;
    assert_eq!(
        plan(&app, &rep, &o2).await["installments"][0]["status"],
        "paid"
    );
    let read = app
        .get(&format!("/api/v1/payments/{}", id(&paid)), &rep.token)
        .await;
    let void = app
        .call(
            reqwest::Method::POST,
            &format!("/api/v1/payments/{}/void", id(&paid)),
            Some(&rep.token),
            None,
            Some(&etag(read.ok())),
        )
        .await;
    assert_eq!(void.status, 200, "{}", void.text);
    assert_eq!(
        plan(&app, &rep, &o2).await["installments"][0]["outstanding"],
        "300.00"
    );
    pay(&app, &rep, payment(&acc, "1", Some(&o)))
        .await
        .problem(409, "order-cancelled");
}

async fn concurrent_orders_never_pass_the_limit(app: TestApp) {
    let rep = app.rep(None).await;
    let finance = app.user(Role::Finance, None).await;
    let acc = account(&app, &rep, "并发信用").await;
    let v = credit(&app, &rep, &acc).await.etag();
    set_limit(&app, &finance, &acc, &v, json!({"limit": "1000"}))
        .await
        .ok();
    let app = Arc::new(app);
    let mut tasks = Vec::new();
    for _ in 0..6 {
        let (app, rep, acc) = (app.clone(), rep.clone(), acc.clone());
        tasks.push(tokio::spawn(async move {
            order(&app, &rep, &acc, "300", "CNY").await
        }));
    }
    let mut clear = 0;
    for t in tasks {
        if t.await.unwrap()["credit_status"] == "clear" {
            clear += 1;
        }
    }
    assert_eq!(clear, 3, "300 × 3 fits under 1000, a fourth does not");
}

async fn payments_and_voids_racing_all_succeed(app: TestApp) {
    let rep = app.rep(None).await;
    let acc = account(&app, &rep, "并发冲销").await;
    let o = order(&app, &rep, &acc, "1000", "CNY").await;
    let mut first = Vec::new();
    for _ in 0..5 {
        first.push(
            pay(&app, &rep, payment(&acc, "100", Some(&o)))
                .await
                .ok()
                .clone(),
        );
    }
    let app = Arc::new(app);
    let mut tasks = Vec::new();
    for p in first {
        let (a, r) = (app.clone(), rep.clone());
        tasks.push(tokio::spawn(async move {
            let path = format!("/api/v1/payments/{}/void", p["id"].as_str().unwrap());
            a.call(
                reqwest::Method::POST,
                &path,
                Some(&r.token),
                None,
                Some(&etag(&p)),
            )
            .await
        }));
        let (a2, r2, acc2) = (app.clone(), rep.clone(), acc.clone());
        tasks.push(tokio::spawn(async move {
            pay(&a2, &r2, payment(&acc2, "150", None)).await
        }));
    }
    for t in tasks {
        let reply = t.await.unwrap();
        assert!(reply.status.is_success(), "{}", reply.text);
    }
    // Five voided payments of 100 and five of 150 left: 750 paid, 250 outstanding.
    let p = plan(&app, &rep, &o).await;
    assert_eq!(
        dec(&p["installments"][0]["outstanding"]),
        Decimal::from(250)
    );
}

both!(a_credit_limit_holds_orders_until_released);
both!(long_overdue_installments_hold_new_orders with ten_days);
both!(unapplied_credit_pays_the_next_orders);
both!(cancelling_an_order_gives_its_payments_back_as_credit);
both!(concurrent_orders_never_pass_the_limit);
both!(payments_and_voids_racing_all_succeed);
