//! Quotes: server-side pricing equal to the domain's, line errors naming the line, numbers
//! under concurrency, approval, sending, rejection, revisions, the printable document and
//! visibility. Expiry, which needs days to pass, is in `calendar`.

use std::str::FromStr;
use std::sync::Arc;

use kedao_domain::Currency;
use kedao_domain::access::Role;
use kedao_domain::quote::{LineInput, price_quote};
use kedao_tests::{Actor, Reply, TestApp, both};
use rust_decimal::Decimal;
use serde_json::{Value, json};

use crate::opportunities::account;
use crate::products::product;

const FUTURE: &str = "2099-12-31";

/// A bodiless action (`/send`, `/approve` …) at the version the caller read.
pub trait PostIf {
    async fn post_if(&self, path: &str, token: &str, etag: &str) -> Reply;
}

impl PostIf for TestApp {
    async fn post_if(&self, path: &str, token: &str, etag: &str) -> Reply {
        self.call(reqwest::Method::POST, path, Some(token), None, Some(etag))
            .await
    }
}

/// An opportunity of `owner` on a new account named `account_name`; returns its id.
pub async fn opportunity(app: &TestApp, owner: &Actor, account_name: &str) -> String {
    let acc = account(app, owner, account_name).await;
    let reply = app
        .post(
            "/api/v1/opportunities",
            &owner.token,
            &json!({"title": "数控机床", "account_id": acc, "amount": "100000",
                    "expected_close_date": FUTURE}),
        )
        .await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    reply.body["id"].as_str().unwrap().to_owned()
}

pub fn free_line(price: &str, discount: &str) -> Value {
    json!({"description": "安装调试", "quantity": "1", "unit_price": price,
           "discount_percent": discount, "tax_rate_percent": "6"})
}

pub async fn create_quote(app: &TestApp, by: &Actor, opp: &str, lines: Value) -> Value {
    let reply = app
        .post(
            "/api/v1/quotes",
            &by.token,
            &json!({"opportunity_id": opp, "valid_until": FUTURE, "lines": lines}),
        )
        .await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    assert!(reply.headers.get("location").is_some());
    reply.body
}

pub fn path(q: &Value) -> String {
    format!("/api/v1/quotes/{}", q["id"].as_str().unwrap())
}

pub fn etag(q: &Value) -> String {
    format!("\"{}\"", q["version"])
}

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

async fn totals_equal_the_domain_and_the_document_prints_them(app: TestApp) {
    let rep = app.rep(None).await;
    let opp = opportunity(&app, &rep, "恒达 <b>机械</b> & Co").await;
    let machine = product(
        &app,
        json!({"sku": "VMC-1", "name": "立式加工中心", "list_price": "1999.99", "tax_rate_percent": "13"}),
    )
    .await;
    let quote = create_quote(
        &app,
        &rep,
        &opp,
        json!([{"product_id": machine["id"], "quantity": "3", "discount_percent": "7.5"},
               free_line("500", "0")]),
    )
    .await;
    let domain = price_quote(
        &[
            LineInput {
                quantity: d("3"),
                unit_price: d("1999.99"),
                discount_percent: d("7.5"),
                tax_rate_percent: d("13"),
            },
            LineInput {
                quantity: d("1"),
                unit_price: d("500"),
                discount_percent: d("0"),
                tax_rate_percent: d("6"),
            },
        ],
        Currency::Cny,
    )
    .unwrap();
    let line = &quote["lines"][0];
    assert_eq!(line["description"], "立式加工中心", "from the product");
    assert_eq!(line["unit_price"], "1999.99");
    assert_eq!(line["tax_rate_percent"], "13");
    assert_eq!(
        [
            &line["gross"],
            &line["discount"],
            &line["net"],
            &line["tax"],
            &line["total"]
        ],
        ["5999.97", "450.00", "5549.97", "721.50", "6271.47"]
    );
    for (i, f) in domain.lines.iter().enumerate() {
        assert_eq!(quote["lines"][i]["total"], f.total.to_string());
    }
    assert_eq!(quote["subtotal"], domain.subtotal.to_string());
    assert_eq!(quote["discount"], "450.00");
    assert_eq!(quote["net"], domain.net.to_string());
    assert_eq!(quote["tax"], "751.50");
    assert_eq!(quote["grand_total"], "6801.47");
    assert_eq!(quote["grand_total"], domain.grand_total.to_string());
    assert_eq!(
        quote["needs_approval"], false,
        "7.5% is under the threshold"
    );
    assert_eq!(quote["status"], "draft");
    assert_eq!(quote["revision"], 1);
    assert_eq!(quote["currency"], "CNY", "the opportunity's");
    assert_eq!(quote["owner_id"], rep.id.to_string());
    let number = quote["number"].as_str().unwrap();
    assert!(
        number.len() == 13 && number.starts_with("Q-20"),
        "number {number}"
    );
    let read = app.get(&path(&quote), &rep.token).await;
    assert_eq!(read.ok()["grand_total"], "6801.47");
    assert_eq!(read.etag(), "\"1\"");

    let doc = app
        .get(&format!("{}/document", path(&quote)), &rep.token)
        .await;
    assert_eq!(doc.status, 200);
    let ct = doc.headers["content-type"].to_str().unwrap();
    assert!(ct.starts_with("text/html"), "{ct}");
    assert!(doc.text.contains(number));
    assert!(doc.text.contains("6,801.47 CNY"), "grouped by thousands");
    assert!(
        doc.text.contains("人民币陆仟捌佰零壹元肆角柒分"),
        "the grand total in capitals"
    );
    // The seller as the settings describe it, at the head; its bank account at the foot.
    assert!(doc.text.contains("<h1>恒信机床 Hengxin Machine Tools</h1>"));
    assert!(doc.text.contains("上海市浦东新区张江路 88 号"));
    assert!(doc.text.contains("91310115MA1K4XXXXX"));
    assert!(
        doc.text
            .contains("招商银行上海张江支行 1219 0000 0000 0001")
    );
    assert!(doc.text.contains("已发送 sent") || doc.text.contains("草稿 draft"));
    assert!(doc.text.contains("恒达 &lt;b&gt;机械&lt;/b&gt; &amp; Co"));
    assert!(!doc.text.contains("<b>机械"), "user text is escaped");
}

async fn bad_lines_name_the_line_and_store_nothing(app: TestApp) {
    let rep = app.rep(None).await;
    let opp = opportunity(&app, &rep, "华东").await;
    let good = free_line("100", "0");
    let bad =
        |line: Value| json!({"opportunity_id": opp, "valid_until": FUTURE, "lines": [good, line]});
    let cases = [
        (
            bad(json!({"description": "x", "quantity": "0", "unit_price": "1"})),
            "lines[1].quantity",
        ),
        (
            bad(json!({"description": "x", "quantity": "-1", "unit_price": "1"})),
            "lines[1].quantity",
        ),
        (
            bad(
                json!({"description": "x", "quantity": "1", "unit_price": "1", "discount_percent": "101"}),
            ),
            "lines[1].discount_percent",
        ),
        (
            bad(
                json!({"description": "x", "quantity": "1", "unit_price": "1", "tax_rate_percent": "-1"}),
            ),
            "lines[1].tax_rate_percent",
        ),
        // CNY prices may have 4 decimals (¥0.0125 a piece), not 5.
        (
            bad(json!({"description": "x", "quantity": "1", "unit_price": "1.00001"})),
            "lines[1].unit_price",
        ),
        (
            bad(json!({"product_id": "0190f3a4-1d2e-7c3b-9a8f-6e5d4c3b2a10", "quantity": "1"})),
            "lines[1].product_id",
        ),
        (
            bad(json!({"quantity": "1", "unit_price": "1"})),
            "lines[1].description",
        ),
        (
            bad(json!({"description": "x", "quantity": "1", "unit_price": "1", "colour": "red"})),
            "lines[1].colour",
        ),
        (
            json!({"opportunity_id": opp, "valid_until": FUTURE, "lines": []}),
            "lines",
        ),
        (
            json!({"opportunity_id": opp, "valid_until": "2000-01-01", "lines": [good]}),
            "valid_until",
        ),
        (
            json!({"opportunity_id": "0190f3a4-1d2e-7c3b-9a8f-6e5d4c3b2a10", "valid_until": FUTURE, "lines": [good]}),
            "opportunity_id",
        ),
    ];
    for (body, field) in cases {
        app.post("/api/v1/quotes", &rep.token, &body)
            .await
            .invalid_field(field);
    }
    assert_eq!(app.count("quotes").await, 0);
    assert_eq!(app.count("quote_lines").await, 0);
}

async fn concurrent_creates_get_distinct_numbers(app: TestApp) {
    let rep = app.rep(None).await;
    let opp = opportunity(&app, &rep, "并发").await;
    let app = Arc::new(app);
    let mut tasks = Vec::new();
    for _ in 0..10 {
        let (app, token, opp) = (app.clone(), rep.token.clone(), opp.clone());
        tasks.push(tokio::spawn(async move {
            let body = json!({"opportunity_id": opp, "valid_until": FUTURE,
                              "lines": [free_line("1", "0")]});
            let reply = app.post("/api/v1/quotes", &token, &body).await;
            assert_eq!(reply.status, 201, "{}", reply.text);
            reply.body["number"].as_str().unwrap().to_owned()
        }));
    }
    let mut numbers = Vec::new();
    for t in tasks {
        numbers.push(t.await.unwrap());
    }
    numbers.sort();
    // A fresh database and no refused creation: exactly the first ten numbers of the year,
    // none repeated, none skipped.
    let year = &numbers[0][..7];
    let expected: Vec<String> = (1..=10).map(|n| format!("{year}{n:06}")).collect();
    assert_eq!(numbers, expected);
}

/// A counter kept as a `number_sequences` row (SQLite's way, and PostgreSQL's before its
/// counters became sequences) goes on from where it stopped: no number is handed out twice.
async fn numbering_goes_on_from_a_stored_counter(app: TestApp) {
    let rep = app.rep(None).await;
    let opp = opportunity(&app, &rep, "续号").await;
    let year = chrono::Utc::now().format("%Y");
    app.execute_sql(&format!(
        "INSERT INTO number_sequences (name, next_value) VALUES ('quote-{year}', 500)"
    ))
    .await;
    let mut numbers = Vec::new();
    for _ in 0..2 {
        let body = json!({"opportunity_id": opp, "valid_until": FUTURE,
                          "lines": [free_line("1", "0")]});
        let reply = app.post("/api/v1/quotes", &rep.token, &body).await;
        assert_eq!(reply.status, 201, "{}", reply.text);
        numbers.push(reply.body["number"].as_str().unwrap().to_owned());
    }
    assert_eq!(
        numbers,
        [format!("Q-{year}-000500"), format!("Q-{year}-000501")]
    );
}

async fn approval_send_edit_and_reject(app: TestApp) {
    let team = app.team("华东一组").await;
    let other_team = app.team("华南").await;
    let rep = app.rep(Some(team)).await;
    let manager = app.manager(Some(team)).await;
    let other_manager = app.manager(Some(other_team)).await;
    let opp = opportunity(&app, &rep, "大折扣客户").await;
    let q = create_quote(&app, &rep, &opp, json!([free_line("1000", "20")])).await;
    assert_eq!(q["needs_approval"], true);
    assert_eq!(q["max_discount_percent"], "20");
    let p = path(&q);

    app.post_if(&format!("{p}/send"), &rep.token, &etag(&q))
        .await
        .problem(409, "approval-required");
    app.post_if(&format!("{p}/approve"), &rep.token, &etag(&q))
        .await
        .problem(403, "forbidden");
    app.post_if(&format!("{p}/approve"), &other_manager.token, &etag(&q))
        .await
        .problem(404, "not-found");
    let approved = app
        .post_if(&format!("{p}/approve"), &manager.token, &etag(&q))
        .await;
    assert_eq!(approved.ok()["approved_by"], manager.id.to_string());
    assert_eq!(approved.etag(), "\"2\"");

    // Editing clears the approval: it was given for what the quote said before.
    let edited = app
        .patch(&p, &rep.token, "\"2\"", &json!({"notes": "含运费"}))
        .await;
    assert_eq!(edited.ok()["approved_by"], Value::Null);
    app.post_if(&format!("{p}/send"), &rep.token, "\"3\"")
        .await
        .problem(409, "approval-required");
    let approved = app
        .post_if(&format!("{p}/approve"), &manager.token, "\"3\"")
        .await;
    assert_eq!(approved.ok()["version"], 4);
    app.post_if(&format!("{p}/send"), &rep.token, "\"3\"")
        .await
        .problem(412, "stale-version");
    let sent = app.post_if(&format!("{p}/send"), &rep.token, "\"4\"").await;
    assert_eq!(sent.ok()["status"], "sent");
    assert!(sent.body["sent_at"].is_string());

    app.patch(&p, &rep.token, "\"5\"", &json!({"notes": "改"}))
        .await
        .problem(409, "quote-not-draft");
    app.post_if(&format!("{p}/send"), &rep.token, "\"5\"")
        .await
        .problem(409, "invalid-transition");
    app.delete(&p, &rep.token, "\"5\"")
        .await
        .problem(409, "quote-not-draft");
    let rejected = app
        .post_if(&format!("{p}/reject"), &rep.token, "\"5\"")
        .await;
    assert_eq!(rejected.ok()["status"], "rejected");
    app.post_if(&format!("{p}/reject"), &rep.token, "\"6\"")
        .await
        .problem(409, "invalid-transition");
    app.post(&format!("{p}/reject"), &rep.token, &json!({}))
        .await
        .problem(428, "if-match-required");
}

async fn revisions_supersede_the_previous(app: TestApp) {
    let rep = app.rep(None).await;
    let opp = opportunity(&app, &rep, "修订客户").await;
    let q = create_quote(&app, &rep, &opp, json!([free_line("200", "5")])).await;
    let p = path(&q);
    let sent = app.post_if(&format!("{p}/send"), &rep.token, "\"1\"").await;
    assert_eq!(sent.ok()["status"], "sent");

    let revised = app
        .post_if(&format!("{p}/revise"), &rep.token, "\"2\"")
        .await;
    assert_eq!(revised.status, 201, "{}", revised.text);
    let r2 = revised.body.clone();
    assert_eq!(r2["number"], q["number"]);
    assert_eq!(r2["revision"], 2);
    assert_eq!(r2["status"], "draft");
    assert_eq!(r2["grand_total"], q["grand_total"]);
    assert_eq!(r2["lines"][0]["description"], "安装调试");
    assert_ne!(r2["id"], q["id"]);

    let old = app.get(&p, &rep.token).await;
    assert_eq!(old.ok()["status"], "superseded");
    app.patch(&p, &rep.token, &old.etag(), &json!({"notes": "x"}))
        .await
        .problem(409, "quote-not-draft");
    app.post_if(&format!("{p}/revise"), &rep.token, &old.etag())
        .await
        .problem(409, "invalid-transition");

    let revisions = app.get(&format!("{p}/revisions"), &rep.token).await;
    let items = revisions.ok()["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["revision"], 1);
    assert_eq!(items[1]["revision"], 2);

    let latest = app
        .get(&format!("/api/v1/quotes?opportunity_id={opp}"), &rep.token)
        .await;
    let items = latest.ok()["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "only the latest revision");
    assert_eq!(items[0]["revision"], 2);
    let all = app
        .get(
            &format!("/api/v1/quotes?opportunity_id={opp}&include_superseded=true"),
            &rep.token,
        )
        .await;
    assert_eq!(all.ok()["items"].as_array().unwrap().len(), 2);
    let drafts = app
        .get("/api/v1/quotes?status=draft&include_total=true", &rep.token)
        .await;
    assert_eq!(drafts.ok()["total"], 1);

    // A later revision is edited, not deleted; a first draft may be deleted.
    app.delete(&path(&r2), &rep.token, "\"1\"")
        .await
        .problem(409, "invalid-transition");
    let fresh = create_quote(&app, &rep, &opp, json!([free_line("1", "0")])).await;
    assert_eq!(
        app.delete(&path(&fresh), &rep.token, "\"1\"").await.status,
        204
    );
    assert_eq!(app.get(&path(&fresh), &rep.token).await.status, 404);
}

async fn visibility_by_role(app: TestApp) {
    let team = app.team("华北").await;
    let rep = app.rep(Some(team)).await;
    let other_rep = app.rep(Some(team)).await;
    let manager = app.manager(Some(team)).await;
    let admin = app.admin().await;
    let finance = app.user(Role::Finance, None).await;
    let service = app.user(Role::Service, None).await;
    let opp = opportunity(&app, &rep, "可见性").await;
    let q = create_quote(&app, &rep, &opp, json!([free_line("10", "0")])).await;
    let p = path(&q);

    for who in [&rep, &manager, &admin, &finance] {
        assert_eq!(app.get(&p, &who.token).await.status, 200, "{:?}", who.role);
    }
    app.get(&p, &other_rep.token)
        .await
        .problem(404, "not-found");
    let listed = app.get("/api/v1/quotes", &other_rep.token).await;
    assert_eq!(listed.ok()["items"].as_array().unwrap().len(), 0);
    app.get("/api/v1/quotes", &service.token)
        .await
        .problem(403, "forbidden");

    // Another rep cannot quote on a deal they cannot see.
    app.post(
        "/api/v1/quotes",
        &other_rep.token,
        &json!({"opportunity_id": opp, "valid_until": FUTURE, "lines": [free_line("1", "0")]}),
    )
    .await
    .invalid_field("opportunity_id");
    // Finance reads every quote and changes none.
    app.post(
        "/api/v1/quotes",
        &finance.token,
        &json!({"opportunity_id": opp, "valid_until": FUTURE, "lines": [free_line("1", "0")]}),
    )
    .await
    .problem(403, "forbidden");
    app.post_if(&format!("{p}/send"), &finance.token, "\"1\"")
        .await
        .problem(403, "forbidden");
    // The manager writes for the team: a quote on the rep's deal is the rep's.
    let by_manager = create_quote(&app, &manager, &opp, json!([free_line("1", "0")])).await;
    assert_eq!(by_manager["owner_id"], rep.id.to_string());
    let sent = app
        .post_if(&format!("{p}/send"), &manager.token, "\"1\"")
        .await;
    assert_eq!(sent.ok()["status"], "sent");
}

both!(
    totals_equal_the_domain_and_the_document_prints_them,
    bad_lines_name_the_line_and_store_nothing,
    concurrent_creates_get_distinct_numbers,
    numbering_goes_on_from_a_stored_counter,
    approval_send_edit_and_reject,
    revisions_supersede_the_previous,
    visibility_by_role
);
