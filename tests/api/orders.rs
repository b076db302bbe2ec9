//! Orders: accepting a quote into an order (one order per quote, even under concurrency),
//! direct entry, the fulfilment machine and its timeline, prices kept as sold, visibility and
//! bad input that stores nothing.

use std::sync::Arc;

use kedao_domain::access::Role;
use kedao_tests::{Actor, Reply, TestApp, both};
use serde_json::{Value, json};

use crate::opportunities::account;
use crate::products::product;

const FUTURE: &str = "2099-12-31";
const NO_SUCH_ID: &str = "0190f3a4-1d2e-7c3b-9a8f-6e5d4c3b2a10";

async fn post_if(app: &TestApp, path: &str, token: &str, etag: &str, body: Option<Value>) -> Reply {
    app.call(
        reqwest::Method::POST,
        path,
        Some(token),
        body.as_ref(),
        Some(etag),
    )
    .await
}

/// An opportunity of `owner` on a new account; returns (opportunity id, account id).
async fn opportunity(app: &TestApp, owner: &Actor, account_name: &str) -> (String, String) {
    let acc = account(app, owner, account_name).await;
    let reply = app
        .post(
            "/api/v1/opportunities",
            &owner.token,
            &json!({"title": "注塑机", "account_id": acc, "amount": "100000",
                    "expected_close_date": FUTURE}),
        )
        .await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    (reply.body["id"].as_str().unwrap().to_owned(), acc)
}

fn free_line(price: &str, discount: &str) -> Value {
    json!({"description": "安装调试", "quantity": "2", "unit_price": price,
           "discount_percent": discount, "tax_rate_percent": "6"})
}

async fn quote(app: &TestApp, by: &Actor, opp: &str, lines: Value) -> Value {
    let reply = app
        .post(
            "/api/v1/quotes",
            &by.token,
            &json!({"opportunity_id": opp, "valid_until": FUTURE, "lines": lines}),
        )
        .await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    reply.body
}

/// A quote in `sent`, at version 2.
async fn sent_quote(app: &TestApp, by: &Actor, opp: &str) -> Value {
    let q = quote(
        app,
        by,
        opp,
        json!([free_line("1234.56", "5"), free_line("10", "0")]),
    )
    .await;
    let id = q["id"].as_str().unwrap();
    let sent = post_if(
        app,
        &format!("/api/v1/quotes/{id}/send"),
        &by.token,
        "\"1\"",
        None,
    )
    .await;
    assert_eq!(sent.ok()["status"], "sent");
    sent.body
}

fn accept_path(q: &Value) -> String {
    format!("/api/v1/quotes/{}/accept", q["id"].as_str().unwrap())
}

fn order_path(o: &Value) -> String {
    format!("/api/v1/orders/{}", o["id"].as_str().unwrap())
}

/// The default pipeline's first won stage.
async fn won_stage(app: &TestApp, token: &str) -> Value {
    let pipelines = app.get("/api/v1/pipelines", token).await;
    let default = pipelines.ok()["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["is_default"] == true)
        .unwrap()
        .clone();
    default["stages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["kind"] == "won")
        .unwrap()
        .clone()
}

async fn set_status(app: &TestApp, o: &Value, by: &Actor, etag: &str, status: &str) -> Reply {
    post_if(
        app,
        &format!("{}/status", order_path(o)),
        &by.token,
        etag,
        Some(json!({"status": status, "note": format!("→ {status}")})),
    )
    .await
}

async fn accepting_a_sent_quote_makes_an_order_and_wins_the_deal(app: TestApp) {
    let rep = app.rep(None).await;
    let (opp, acc) = opportunity(&app, &rep, "宁波模具").await;
    let q = sent_quote(&app, &rep, &opp).await;

    let reply = post_if(&app, &accept_path(&q), &rep.token, "\"2\"", None).await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    let order = reply.body.clone();
    assert_eq!(
        reply.headers["location"].to_str().unwrap(),
        order_path(&order)
    );
    assert_eq!(reply.etag(), "\"1\"");
    let number = order["number"].as_str().unwrap();
    assert!(number.len() == 13 && number.starts_with("O-20"), "{number}");
    assert_eq!(order["status"], "confirmed");
    assert_eq!(order["quote_id"], q["id"]);
    assert_eq!(order["opportunity_id"], opp.as_str());
    assert_eq!(order["account_id"], acc.as_str());
    assert_eq!(order["owner_id"], rep.id.to_string());
    for f in [
        "currency",
        "subtotal",
        "discount",
        "net",
        "tax",
        "grand_total",
    ] {
        assert_eq!(order[f], q[f], "{f}");
    }
    let (ol, ql) = (
        order["lines"].as_array().unwrap(),
        q["lines"].as_array().unwrap(),
    );
    assert_eq!(ol.len(), 2);
    for (o, l) in ol.iter().zip(ql) {
        for f in [
            "position",
            "product_id",
            "description",
            "quantity",
            "unit_price",
            "discount_percent",
            "tax_rate_percent",
            "gross",
            "discount",
            "net",
            "tax",
            "total",
        ] {
            assert_eq!(o[f], l[f], "{f}");
        }
    }
    let read = app.get(&order_path(&order), &rep.token).await;
    assert_eq!(read.ok()["grand_total"], q["grand_total"]);
    assert_eq!(read.etag(), "\"1\"");

    let quote_now = app
        .get(
            &format!("/api/v1/quotes/{}", q["id"].as_str().unwrap()),
            &rep.token,
        )
        .await;
    assert_eq!(quote_now.ok()["status"], "accepted");

    let won = won_stage(&app, &rep.token).await;
    let deal = app
        .get(&format!("/api/v1/opportunities/{opp}"), &rep.token)
        .await;
    assert_eq!(deal.ok()["stage_id"], won["id"]);
    assert_eq!(deal.body["probability"], 100);
    assert!(deal.body["closed_at"].is_string());
    let history = app
        .get(
            &format!("/api/v1/opportunities/{opp}/stage-history"),
            &rep.token,
        )
        .await;
    let moves = history.ok()["items"].as_array().unwrap();
    let last = moves.last().unwrap();
    assert_eq!(last["to_stage_id"], won["id"]);
    assert_eq!(last["changed_by"], rep.id.to_string());
    assert!(last["from_stage_id"].is_string());

    let timeline = app
        .get(&format!("{}/timeline", order_path(&order)), &rep.token)
        .await;
    let events = timeline.ok()["items"].as_array().unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0]["from_status"], Value::Null);
    assert_eq!(events[0]["to_status"], "confirmed");
    assert_eq!(events[0]["actor_id"], rep.id.to_string());

    // Accepting again: the quote is accepted now.
    post_if(&app, &accept_path(&q), &rep.token, "\"3\"", None)
        .await
        .problem(409, "invalid-transition");
    assert_eq!(app.count("orders").await, 1);
    assert_eq!(app.count("order_lines").await, 2);
}

async fn only_a_sent_quote_can_be_accepted(app: TestApp) {
    let rep = app.rep(None).await;
    let (opp, _) = opportunity(&app, &rep, "草稿客户").await;
    let draft = quote(&app, &rep, &opp, json!([free_line("1", "0")])).await;
    post_if(&app, &accept_path(&draft), &rep.token, "\"1\"", None)
        .await
        .problem(409, "invalid-transition");

    let rejected = sent_quote(&app, &rep, &opp).await;
    let id = rejected["id"].as_str().unwrap();
    let r = post_if(
        &app,
        &format!("/api/v1/quotes/{id}/reject"),
        &rep.token,
        "\"2\"",
        None,
    )
    .await;
    assert_eq!(r.ok()["status"], "rejected");
    post_if(&app, &accept_path(&rejected), &rep.token, "\"3\"", None)
        .await
        .problem(409, "invalid-transition");

    // A sent revision that was revised is superseded: only the latest revision is accepted.
    let sent = sent_quote(&app, &rep, &opp).await;
    let id = sent["id"].as_str().unwrap();
    let revised = post_if(
        &app,
        &format!("/api/v1/quotes/{id}/revise"),
        &rep.token,
        "\"2\"",
        None,
    )
    .await;
    assert_eq!(revised.status, 201, "{}", revised.text);
    post_if(&app, &accept_path(&sent), &rep.token, "\"3\"", None)
        .await
        .problem(409, "invalid-transition");

    let stale = sent_quote(&app, &rep, &opp).await;
    post_if(&app, &accept_path(&stale), &rep.token, "\"1\"", None)
        .await
        .problem(412, "stale-version");
    app.post(&accept_path(&stale), &rep.token, &json!({}))
        .await
        .problem(428, "if-match-required");
    assert_eq!(app.count("orders").await, 0);
}

async fn concurrent_accepts_make_exactly_one_order(app: TestApp) {
    let rep = app.rep(None).await;
    let (opp, _) = opportunity(&app, &rep, "并发接受").await;
    let q = sent_quote(&app, &rep, &opp).await;
    let path = accept_path(&q);
    let app = Arc::new(app);
    let mut tasks = Vec::new();
    for _ in 0..5 {
        let (app, token, path) = (app.clone(), rep.token.clone(), path.clone());
        tasks.push(tokio::spawn(async move {
            let reply = post_if(&app, &path, &token, "\"2\"", None).await;
            (reply.status.as_u16(), reply.text)
        }));
    }
    let mut created = 0;
    for t in tasks {
        let (status, text) = t.await.unwrap();
        match status {
            201 => created += 1,
            409 | 412 => {}
            other => panic!("unexpected {other}: {text}"),
        }
    }
    assert_eq!(created, 1);
    assert_eq!(app.count("orders").await, 1);
    assert_eq!(app.count("order_events").await, 1);

    // The unique index is the last word, whatever gets past the version check.
    use sea_orm::ConnectionTrait;
    let db = app.db().await;
    let backend = db.get_database_backend();
    let new_id = match backend {
        sea_orm::DatabaseBackend::Postgres => "gen_random_uuid()",
        _ => "randomblob(16)",
    };
    let copy = sea_orm::Statement::from_string(
        backend,
        format!(
            "INSERT INTO orders (id, number, quote_id, opportunity_id, account_id, owner_id, status, \
         currency, subtotal, discount, net, tax, grand_total, notes, created_by, created_at, \
         updated_at, version) SELECT {new_id}, 'O-COPY', quote_id, \
         opportunity_id, account_id, owner_id, status, currency, subtotal, discount, net, tax, \
         grand_total, notes, created_by, created_at, updated_at, version FROM orders"
        ),
    );
    let err = db.execute_raw(copy).await.unwrap_err();
    assert!(
        matches!(
            err.sql_err(),
            Some(sea_orm::SqlErr::UniqueConstraintViolation(_))
        ),
        "{err}"
    );
    assert_eq!(app.count("orders").await, 1);
}

async fn direct_entry_and_the_walk_to_completed(app: TestApp) {
    let team = app.team("华东").await;
    let rep = app.rep(Some(team)).await;
    let manager = app.manager(Some(team)).await;
    let acc = account(&app, &rep, "直接下单").await;
    let machine = product(
        &app,
        json!({"sku": "INJ-1", "name": "注塑机", "list_price": "1999.99", "tax_rate_percent": "13"}),
    )
    .await;
    let reply = app
        .post(
            "/api/v1/orders",
            &rep.token,
            &json!({"account_id": acc, "lines": [
                {"product_id": machine["id"], "quantity": "3", "discount_percent": "7.5"},
                {"description": "运费", "quantity": "1", "unit_price": "500", "tax_rate_percent": "6"}
            ]}),
        )
        .await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    let order = reply.body.clone();
    assert_eq!(order["currency"], "CNY");
    assert_eq!(order["owner_id"], rep.id.to_string());
    assert_eq!(order["quote_id"], Value::Null);
    assert_eq!(order["status"], "confirmed");
    assert_eq!(order["lines"][0]["description"], "注塑机");
    assert_eq!(order["lines"][0]["unit_price"], "1999.99");
    assert_eq!(order["lines"][0]["total"], "6271.47");
    assert_eq!(order["grand_total"], "6801.47");

    // A later price change does not touch what was sold.
    let admin = app.admin().await;
    let changed = app
        .patch(
            &format!("/api/v1/products/{}", machine["id"].as_str().unwrap()),
            &admin.token,
            "\"1\"",
            &json!({"list_price": "2999.00"}),
        )
        .await;
    assert_eq!(changed.ok()["list_price"], "2999.00");
    let read = app.get(&order_path(&order), &rep.token).await;
    assert_eq!(read.ok()["lines"][0]["unit_price"], "1999.99");
    assert_eq!(read.body["grand_total"], "6801.47");

    // The manager of the team writes for it: the order goes to the rep's owner.
    let by_manager = app
        .post(
            "/api/v1/orders",
            &manager.token,
            &json!({"account_id": acc, "owner_id": rep.id, "currency": "USD",
                    "lines": [free_line("10", "0")]}),
        )
        .await;
    assert_eq!(by_manager.status, 201, "{}", by_manager.text);
    assert_eq!(by_manager.body["owner_id"], rep.id.to_string());
    assert_eq!(by_manager.body["currency"], "USD");

    let steps = ["in_fulfilment", "shipped", "delivered", "completed"];
    for (i, step) in steps.iter().enumerate() {
        let by = if i % 2 == 0 { &rep } else { &manager };
        let moved = set_status(&app, &order, by, &format!("\"{}\"", i + 1), step).await;
        assert_eq!(moved.ok()["status"], *step);
        assert_eq!(moved.etag(), format!("\"{}\"", i + 2));
    }
    set_status(&app, &order, &rep, "\"5\"", "cancelled")
        .await
        .problem(409, "invalid-transition");

    let timeline = app
        .get(&format!("{}/timeline", order_path(&order)), &rep.token)
        .await;
    let events = timeline.ok()["items"].as_array().unwrap().clone();
    assert_eq!(timeline.body["total"], 5);
    let walked: Vec<(Value, Value)> = events
        .iter()
        .map(|e| (e["from_status"].clone(), e["to_status"].clone()))
        .collect();
    assert_eq!(
        walked,
        vec![
            (Value::Null, json!("confirmed")),
            (json!("confirmed"), json!("in_fulfilment")),
            (json!("in_fulfilment"), json!("shipped")),
            (json!("shipped"), json!("delivered")),
            (json!("delivered"), json!("completed")),
        ]
    );
    assert_eq!(events[1]["actor_id"], rep.id.to_string());
    assert_eq!(events[2]["actor_id"], manager.id.to_string());
    assert_eq!(events[2]["note"], "→ shipped");
    assert!(events.iter().all(|e| e["at"].is_string()));

    let listed = app
        .get(
            "/api/v1/orders?status=completed&include_total=true",
            &rep.token,
        )
        .await;
    assert_eq!(listed.ok()["total"], 1);
    let number = order["number"].as_str().unwrap();
    let found = app
        .get(
            &format!("/api/v1/orders?q={number}&sort=number"),
            &rep.token,
        )
        .await;
    assert_eq!(found.ok()["items"][0]["id"], order["id"]);
    let paged = app
        .get(
            &format!("/api/v1/orders?account_id={acc}&limit=1"),
            &rep.token,
        )
        .await;
    assert_eq!(paged.ok()["items"].as_array().unwrap().len(), 1);
    let cursor = paged.body["next_cursor"].as_str().unwrap().to_owned();
    let next = app
        .get(
            &format!("/api/v1/orders?account_id={acc}&limit=1&cursor={cursor}"),
            &rep.token,
        )
        .await;
    assert_eq!(next.ok()["items"].as_array().unwrap().len(), 1);
    assert_ne!(next.body["items"][0]["id"], paged.body["items"][0]["id"]);
}

async fn no_cancelling_after_shipping(app: TestApp) {
    let rep = app.rep(None).await;
    let acc = account(&app, &rep, "取消").await;
    let make = || async {
        let reply = app
            .post(
                "/api/v1/orders",
                &rep.token,
                &json!({"account_id": acc, "lines": [free_line("10", "0")]}),
            )
            .await;
        assert_eq!(reply.status, 201, "{}", reply.text);
        reply.body
    };
    let early = make().await;
    let cancelled = set_status(&app, &early, &rep, "\"1\"", "cancelled").await;
    assert_eq!(cancelled.ok()["status"], "cancelled");
    set_status(&app, &early, &rep, "\"2\"", "in_fulfilment")
        .await
        .problem(409, "invalid-transition");

    let late = make().await;
    set_status(&app, &late, &rep, "\"1\"", "in_fulfilment")
        .await
        .ok();
    set_status(&app, &late, &rep, "\"2\"", "shipped").await.ok();
    set_status(&app, &late, &rep, "\"3\"", "cancelled")
        .await
        .problem(409, "invalid-transition");
    // Skipping a step is refused as well.
    set_status(&app, &late, &rep, "\"3\"", "completed")
        .await
        .problem(409, "invalid-transition");
    let read = app.get(&order_path(&late), &rep.token).await;
    assert_eq!(read.ok()["status"], "shipped");
    assert_eq!(read.etag(), "\"3\"");
}

async fn visibility_by_role(app: TestApp) {
    let team = app.team("华北").await;
    let other_team = app.team("华南").await;
    let rep = app.rep(Some(team)).await;
    let other_rep = app.rep(Some(team)).await;
    let manager = app.manager(Some(team)).await;
    let other_manager = app.manager(Some(other_team)).await;
    let finance = app.user(Role::Finance, None).await;
    let service = app.user(Role::Service, None).await;
    let (opp, _) = opportunity(&app, &rep, "可见性").await;
    let q = sent_quote(&app, &rep, &opp).await;
    let order = post_if(&app, &accept_path(&q), &rep.token, "\"2\"", None).await;
    assert_eq!(order.status, 201, "{}", order.text);
    let order = order.body;
    let p = order_path(&order);

    for who in [&rep, &manager, &finance] {
        assert_eq!(app.get(&p, &who.token).await.status, 200, "{:?}", who.role);
    }
    for who in [&other_rep, &other_manager] {
        app.get(&p, &who.token).await.problem(404, "not-found");
        app.get(&format!("{p}/timeline"), &who.token)
            .await
            .problem(404, "not-found");
        set_status(&app, &order, who, "\"1\"", "in_fulfilment")
            .await
            .problem(404, "not-found");
        let listed = app.get("/api/v1/orders", &who.token).await;
        assert_eq!(listed.ok()["items"].as_array().unwrap().len(), 0);
    }
    app.get("/api/v1/orders", &service.token)
        .await
        .problem(403, "forbidden");
    let finance_list = app.get("/api/v1/orders", &finance.token).await;
    assert_eq!(finance_list.ok()["items"].as_array().unwrap().len(), 1);
    set_status(&app, &order, &finance, "\"1\"", "in_fulfilment")
        .await
        .problem(403, "forbidden");
    let moved = set_status(&app, &order, &manager, "\"1\"", "in_fulfilment").await;
    assert_eq!(moved.ok()["status"], "in_fulfilment");
}

async fn bad_input_stores_nothing(app: TestApp) {
    let rep = app.rep(None).await;
    let other_rep = app.rep(None).await;
    let finance = app.user(Role::Finance, None).await;
    let acc = account(&app, &rep, "坏输入").await;
    let foreign = account(&app, &other_rep, "别人的").await;
    let good = free_line("10", "0");
    let cases = [
        (
            json!({"account_id": NO_SUCH_ID, "lines": [good]}),
            "account_id",
        ),
        (
            json!({"account_id": foreign, "lines": [good]}),
            "account_id",
        ),
        (
            json!({"account_id": acc, "lines": [good, {"description": "x", "quantity": "0", "unit_price": "1"}]}),
            "lines[1].quantity",
        ),
        (
            json!({"account_id": acc, "lines": [{"quantity": "1", "unit_price": "1"}]}),
            "lines[0].description",
        ),
        (json!({"account_id": acc, "lines": []}), "lines"),
        (
            json!({"account_id": acc, "owner_id": NO_SUCH_ID, "lines": [good]}),
            "owner_id",
        ),
    ];
    for (body, field) in cases {
        app.post("/api/v1/orders", &rep.token, &body)
            .await
            .invalid_field(field);
    }
    app.post(
        "/api/v1/orders",
        &rep.token,
        &json!({"account_id": acc, "owner_id": other_rep.id, "lines": [good]}),
    )
    .await
    .problem(403, "forbidden");
    app.post(
        "/api/v1/orders",
        &finance.token,
        &json!({"account_id": acc, "lines": [good]}),
    )
    .await
    .problem(403, "forbidden");
    assert_eq!(app.count("orders").await, 0);
    assert_eq!(app.count("order_lines").await, 0);

    let order = app
        .post(
            "/api/v1/orders",
            &rep.token,
            &json!({"account_id": acc, "lines": [good]}),
        )
        .await;
    assert_eq!(order.status, 201, "{}", order.text);
    let order = order.body;
    let status_path = format!("{}/status", order_path(&order));
    let unknown = post_if(
        &app,
        &status_path,
        &rep.token,
        "\"1\"",
        Some(json!({"status": "lost"})),
    )
    .await;
    assert!(
        unknown.status == 400 || unknown.status == 422,
        "{}",
        unknown.text
    );
    set_status(&app, &order, &rep, "\"7\"", "in_fulfilment")
        .await
        .problem(412, "stale-version");
    app.post(
        &status_path,
        &rep.token,
        &json!({"status": "in_fulfilment"}),
    )
    .await
    .problem(428, "if-match-required");
    app.get("/api/v1/orders?sort=colour", &rep.token)
        .await
        .invalid_field("sort");
    app.get(&format!("/api/v1/orders/{NO_SUCH_ID}"), &rep.token)
        .await
        .problem(404, "not-found");
    assert_eq!(app.count("orders").await, 1);
    assert_eq!(app.count("order_events").await, 1);
    let read = app.get(&order_path(&order), &rep.token).await;
    assert_eq!(read.ok()["status"], "confirmed");
}

/// The order confirmation: the seller, the customer (escaped), the lines as sold, the totals
/// grouped and in capitals, the payment plan's installments, the notes and the hold notice;
/// only for those who see the order.
async fn the_order_confirmation_prints_the_order_and_its_plan(app: TestApp) {
    let rep = app.rep(None).await;
    let acc = account(&app, &rep, "恒达 <b>机械</b> & Co").await;
    let reply = app
        .post(
            "/api/v1/orders",
            &rep.token,
            &json!({"account_id": acc, "notes": "PO-4500012345 <script>x</script>",
                    "lines": [{"description": "注塑机 <i>X</i>", "quantity": "3", "unit_price": "1999.99",
                               "discount_percent": "7.5", "tax_rate_percent": "13"},
                              free_line("500", "0")]}),
        )
        .await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    let order = reply.body.clone();
    let path = format!("{}/document", order_path(&order));
    let plan_path = format!("{}/plan", order_path(&order));
    let plan = app.get(&plan_path, &rep.token).await;
    let total = order["grand_total"].as_str().unwrap().to_owned();
    // Two installments: a deposit and the rest.
    let replaced = app
        .call(
            reqwest::Method::PUT,
            &plan_path,
            Some(&rep.token),
            Some(&json!({"installments": [
                {"due_date": "2099-01-15", "amount": "1000.00"},
                {"due_date": "2099-03-15", "amount": (total.parse::<rust_decimal::Decimal>().unwrap() - rust_decimal::Decimal::from(1000)).to_string()}
            ]})),
            Some(&plan.etag()),
        )
        .await;
    assert_eq!(replaced.status, 200, "{}", replaced.text);

    let doc = app.get(&path, &rep.token).await;
    assert_eq!(doc.status, 200, "{}", doc.text);
    let ct = doc.headers["content-type"].to_str().unwrap();
    assert!(ct.starts_with("text/html"), "{ct}");
    let html = &doc.text;
    assert!(html.contains(order["number"].as_str().unwrap()));
    assert!(html.contains("订单确认书 Order confirmation"));
    assert!(html.contains("已确认 confirmed"));
    assert!(html.contains("<h1>恒信机床 Hengxin Machine Tools</h1>"));
    assert!(html.contains("招商银行上海张江支行 1219 0000 0000 0001"));
    assert!(html.contains("恒达 &lt;b&gt;机械&lt;/b&gt; &amp; Co"));
    assert!(html.contains("注塑机 &lt;i&gt;X&lt;/i&gt;"));
    assert!(html.contains("PO-4500012345 &lt;script&gt;"));
    assert!(
        !html.contains("<script>") && !html.contains("<b>机械"),
        "user text is escaped"
    );
    // 3 × 1,999.99 less 7.5 % plus 13 % VAT, and 2 × 500.00 plus 6 %: as the order stores it.
    assert_eq!(total, "7331.47");
    assert!(html.contains("7,331.47 CNY"), "grouped by thousands");
    assert!(
        html.contains("人民币柒仟叁佰叁拾壹元肆角柒分"),
        "the total in capitals"
    );
    assert!(html.contains("付款计划 Payment plan"));
    assert!(html.contains("2099-01-15") && html.contains("1,000.00 CNY"));
    assert!(html.contains("2099-03-15") && html.contains("6,331.47 CNY"));
    assert!(!html.contains("信用审核中"), "not on hold");

    // Others' orders are not printed for them, and an unknown order is a 404.
    let other = app.rep(None).await;
    app.get(&path, &other.token).await.problem(404, "not-found");
    app.get(&format!("/api/v1/orders/{NO_SUCH_ID}/document"), &rep.token)
        .await
        .problem(404, "not-found");
}

both!(
    accepting_a_sent_quote_makes_an_order_and_wins_the_deal,
    only_a_sent_quote_can_be_accepted,
    concurrent_accepts_make_exactly_one_order,
    direct_entry_and_the_walk_to_completed,
    no_cancelling_after_shipping,
    visibility_by_role,
    bad_input_stores_nothing,
    the_order_confirmation_prints_the_order_and_its_plan
);
