//! Statements of account (对账单): orders, cancellations, payments and voids with opening,
//! running and closing balances per currency; periods that meet exactly; who may read one;
//! bad periods; and the printable page.

use chrono::{Datelike, Days, NaiveDate};
use kedao_api::Settings;
use kedao_api::settings::Tz;
use kedao_domain::access::Role;
use kedao_tests::{Actor, Reply, TestApp, both};
use serde_json::{Value, json};

use crate::opportunities::account;

const NO_SUCH_ID: &str = "0190f3a4-1d2e-7c3b-9a8f-6e5d4c3b2a10";

fn s(v: &Value) -> &str {
    v.as_str().unwrap_or_else(|| panic!("not a string: {v}"))
}

fn id(v: &Value) -> String {
    s(&v["id"]).to_owned()
}

/// A direct order of `by` for `acc` whose grand total is `total` (no tax, no discount).
async fn order(app: &TestApp, by: &Actor, acc: &str, total: &str, currency: &str) -> Value {
    let reply = app
        .post(
            "/api/v1/orders",
            &by.token,
            &json!({"account_id": acc, "currency": currency, "lines": [
                {"description": "货款", "quantity": "1", "unit_price": total, "tax_rate_percent": "0"}
            ]}),
        )
        .await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    reply.body
}

/// A CNY payment on `acc` received on `on`, applied to `o`'s installments when given.
async fn pay(
    app: &TestApp,
    by: &Actor,
    acc: &str,
    amount: &str,
    on: NaiveDate,
    o: Option<&Value>,
) -> Value {
    let mut body = json!({"account_id": acc, "amount": amount, "currency": "CNY",
                          "received_on": on, "method": "bank_transfer",
                          "reference": format!("回单 {amount}")});
    if let Some(o) = o {
        body["order_id"] = o["id"].clone();
    }
    let reply = app.post("/api/v1/payments", &by.token, &body).await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    reply.body
}

async fn void(app: &TestApp, by: &Actor, p: &Value) {
    let path = format!("/api/v1/payments/{}/void", id(p));
    let reply = app
        .call(
            reqwest::Method::POST,
            &path,
            Some(&by.token),
            None,
            Some("\"1\""),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
}

async fn cancel(app: &TestApp, by: &Actor, o: &Value) {
    let path = format!("/api/v1/orders/{}/status", id(o));
    let body = json!({"status": "cancelled", "note": "客户取消"});
    let reply = app
        .call(
            reqwest::Method::POST,
            &path,
            Some(&by.token),
            Some(&body),
            Some("\"1\""),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
}

async fn statement(app: &TestApp, by: &Actor, acc: &str, query: &str) -> Reply {
    app.get(
        &format!("/api/v1/accounts/{acc}/statement?{query}"),
        &by.token,
    )
    .await
}

/// The company's today, as the server sees it: the default end of a statement.
async fn today(app: &TestApp, by: &Actor, acc: &str) -> NaiveDate {
    let reply = statement(app, by, acc, "").await;
    s(&reply.ok()["to"]).parse().unwrap()
}

fn days_before(d: NaiveDate, n: u64) -> NaiveDate {
    d - Days::new(n)
}

/// `from=…&to=…` of two dates.
fn period(from: NaiveDate, to: NaiveDate) -> String {
    format!("from={from}&to={to}")
}

/// (date, kind, debit, credit, balance) of each line, as sent.
fn lines(section: &Value) -> Vec<(String, String, String, String, String)> {
    section["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                s(&l["date"]).to_owned(),
                s(&l["kind"]).to_owned(),
                s(&l["debit"]).to_owned(),
                s(&l["credit"]).to_owned(),
                s(&l["balance"]).to_owned(),
            )
        })
        .collect()
}

fn row(
    date: NaiveDate,
    kind: &str,
    debit: &str,
    credit: &str,
    balance: &str,
) -> (String, String, String, String, String) {
    (
        date.to_string(),
        kind.to_owned(),
        debit.to_owned(),
        credit.to_owned(),
        balance.to_owned(),
    )
}

/// An order, a partial payment, a voided payment, a cancelled order and an overpayment that
/// leaves credit, all on one account; and one USD order beside them.
struct Story {
    rep: Actor,
    acc: String,
    today: NaiveDate,
    a: Value,
    b: Value,
    partial: Value,
    voided: Value,
    over: Value,
}

async fn story(app: &TestApp, name: &str) -> Story {
    let rep = app.rep(None).await;
    let acc = account(app, &rep, name).await;
    let today = today(app, &rep, &acc).await;
    let a = order(app, &rep, &acc, "1000", "CNY").await;
    let b = order(app, &rep, &acc, "500", "CNY").await;
    let partial = pay(app, &rep, &acc, "300", days_before(today, 20), Some(&a)).await;
    let voided = pay(app, &rep, &acc, "200", days_before(today, 3), Some(&a)).await;
    void(app, &rep, &voided).await;
    cancel(app, &rep, &b).await;
    // 700 is still owed on A: the rest of 1000 stays as credit.
    let over = pay(app, &rep, &acc, "1000", days_before(today, 1), Some(&a)).await;
    assert_eq!(s(&over["unapplied"]), "300.00");
    order(app, &rep, &acc, "50", "USD").await;
    Story {
        rep,
        acc,
        today,
        a,
        b,
        partial,
        voided,
        over,
    }
}

async fn every_kind_of_entry_with_exact_balances(app: TestApp) {
    let st = story(&app, "对账客户").await;
    let t = st.today;
    let q = format!("{}&currency=CNY", period(days_before(t, 5), t));
    let reply = statement(&app, &st.rep, &st.acc, &q).await;
    let body = reply.ok();
    assert_eq!(body["account_id"], json!(st.acc));
    assert_eq!(body["account_name"], "对账客户");
    assert_eq!(body["from"], json!(days_before(t, 5)));
    assert_eq!(body["to"], json!(t));
    assert_eq!(body["generated_on"], json!(t));
    let sections = body["sections"].as_array().unwrap();
    assert_eq!(sections.len(), 1, "only the currency asked for");
    let cny = &sections[0];
    assert_eq!(cny["currency"], "CNY");
    // The partial payment 20 days ago is before the period: the customer starts in credit.
    assert_eq!(cny["opening_balance"], "-300.00");
    assert_eq!(
        lines(cny),
        vec![
            row(days_before(t, 3), "payment", "0.00", "200.00", "-500.00"),
            row(days_before(t, 1), "payment", "0.00", "1000.00", "-1500.00"),
            // Orders before payments on the same day, then by when they happened.
            row(t, "order", "1000.00", "0.00", "-500.00"),
            row(t, "order", "500.00", "0.00", "0.00"),
            row(t, "order_cancelled", "0.00", "500.00", "-500.00"),
            row(t, "payment_voided", "200.00", "0.00", "-300.00"),
        ]
    );
    let l = cny["lines"].as_array().unwrap();
    assert_eq!(l[0]["payment_id"], st.voided["id"]);
    assert_eq!(l[0]["payment_method"], "bank_transfer");
    assert_eq!(l[0]["payment_reference"], "回单 200");
    assert_eq!(l[1]["payment_id"], st.over["id"]);
    assert_eq!(l[2]["order_id"], st.a["id"]);
    assert_eq!(l[2]["order_number"], st.a["number"]);
    assert_eq!(l[3]["order_id"], st.b["id"]);
    assert_eq!(l[4]["order_id"], st.b["id"]);
    assert_eq!(l[5]["payment_id"], st.voided["id"]);
    assert_eq!(cny["total_debits"], "1700.00");
    assert_eq!(cny["total_credits"], "1700.00");
    // Paid 300 + 1000 on an order of 1000: 300 in credit, which is the unapplied credit too.
    assert_eq!(cny["closing_balance"], "-300.00");
    assert_eq!(cny["unapplied_credit"], "300.00");

    // Without a currency: one section per currency, in display order.
    let all = statement(&app, &st.rep, &st.acc, &period(days_before(t, 5), t)).await;
    let sections = all.ok()["sections"].as_array().unwrap().clone();
    let currencies: Vec<&str> = sections.iter().map(|x| s(&x["currency"])).collect();
    assert_eq!(currencies, vec!["CNY", "USD"]);
    assert_eq!(sections[0], *cny);
    let usd = &sections[1];
    assert_eq!(usd["opening_balance"], "0.00");
    assert_eq!(lines(usd), vec![row(t, "order", "50.00", "0.00", "50.00")]);
    assert_eq!(usd["closing_balance"], "50.00");
    assert_eq!(usd["unapplied_credit"], "0.00");

    // Before anything happened: only the currency with an entry by then, or none at all.
    let early = period(days_before(t, 40), days_before(t, 15));
    let early = statement(&app, &st.rep, &st.acc, &early).await;
    let sections = early.ok()["sections"].as_array().unwrap().clone();
    assert_eq!(sections.len(), 1);
    assert_eq!(sections[0]["opening_balance"], "0.00");
    assert_eq!(
        lines(&sections[0]),
        vec![row(
            days_before(t, 20),
            "payment",
            "0.00",
            "300.00",
            "-300.00"
        )]
    );
    assert_eq!(sections[0]["lines"][0]["payment_id"], st.partial["id"]);
    let none = period(days_before(t, 40), days_before(t, 30));
    let none = statement(&app, &st.rep, &st.acc, &none).await;
    assert_eq!(none.ok()["sections"], json!([]));
}

async fn adjacent_periods_meet(app: TestApp) {
    let st = story(&app, "连续期间").await;
    let t = st.today;
    for split in [21, 20, 4, 3, 1] {
        // from..=b and b+1..=t, for a split before, on and after each entry.
        let b = days_before(t, split);
        let cny = |from, to| format!("{}&currency=CNY", period(from, to));
        let first = statement(&app, &st.rep, &st.acc, &cny(days_before(t, 30), b)).await;
        let second = statement(&app, &st.rep, &st.acc, &cny(b + Days::new(1), t)).await;
        let whole = statement(&app, &st.rep, &st.acc, &cny(days_before(t, 30), t)).await;
        let (first, second, whole) = (
            &first.ok()["sections"][0],
            &second.ok()["sections"][0],
            &whole.ok()["sections"][0],
        );
        assert_eq!(
            first["closing_balance"], second["opening_balance"],
            "split {b}"
        );
        assert_eq!(whole["opening_balance"], first["opening_balance"]);
        assert_eq!(whole["closing_balance"], second["closing_balance"]);
        let (n1, n2) = (lines(first).len(), lines(second).len());
        assert_eq!(lines(whole).len(), n1 + n2);
        if let Some(last) = lines(first).last() {
            assert_eq!(
                last.4,
                s(&first["closing_balance"]),
                "running balance ends at closing"
            );
        }
    }
    // The default period is this month up to today.
    let default = statement(&app, &st.rep, &st.acc, "").await;
    let body = default.ok();
    assert_eq!(body["to"], json!(t));
    assert_eq!(body["from"], json!(t.with_day(1).unwrap()));
}

async fn only_those_who_see_the_account(app: TestApp) {
    let st = story(&app, "可见性客户").await;
    let other = app.rep(None).await;
    let q = period(days_before(st.today, 5), st.today);
    statement(&app, &other, &st.acc, &q)
        .await
        .problem(404, "not-found");
    app.get(
        &format!("/api/v1/accounts/{}/statement/document?{q}", st.acc),
        &other.token,
    )
    .await
    .problem(404, "not-found");
    statement(&app, &st.rep, NO_SUCH_ID, &q)
        .await
        .problem(404, "not-found");
    // Finance reads every account's statement, with the same figures.
    let finance = app.user(Role::Finance, None).await;
    let theirs = statement(&app, &finance, &st.acc, &q).await;
    let mine = statement(&app, &st.rep, &st.acc, &q).await;
    assert_eq!(theirs.ok()["sections"], mine.ok()["sections"]);
    let admin = app.admin().await;
    statement(&app, &admin, &st.acc, &q).await.ok();
    // Service staff see accounts but not their money.
    let service = app.user(Role::Service, None).await;
    statement(&app, &service, &st.acc, &q)
        .await
        .problem(403, "forbidden");
}

async fn bad_periods_name_the_field(app: TestApp) {
    let rep = app.rep(None).await;
    let acc = account(&app, &rep, "期间错误").await;
    for (query, field, code) in [
        ("from=2026-03-02&to=2026-03-01", "from", "after-to"),
        ("from=2016-01-01&to=2026-01-31", "from", "period-too-long"),
        ("from=2026-13-01&to=2026-03-01", "from", "invalid-parameter"),
        ("from=2026-01-01&to=yesterday", "to", "invalid-parameter"),
        ("from=0001-01-01&to=0001-01-02", "from", "out-of-range"),
        ("currency=XYZ", "currency", "invalid-parameter"),
        ("bogus=1", "bogus", "invalid-parameter"),
    ] {
        for path in ["statement", "statement/document"] {
            let reply = app
                .get(
                    &format!("/api/v1/accounts/{acc}/{path}?{query}"),
                    &rep.token,
                )
                .await;
            let body = reply.invalid_field(field);
            let errors = body["errors"].as_array().unwrap();
            assert_eq!(errors.len(), 1, "only {field} in {}", reply.text);
            assert_eq!(errors[0]["code"], code, "{query}: {}", reply.text);
        }
    }
    // The longest period allowed is fine.
    statement(&app, &rep, &acc, "from=2016-01-01&to=2026-01-07")
        .await
        .ok();
}

async fn the_printable_statement(app: TestApp) {
    let rep = app.rep(None).await;
    let acc = account(&app, &rep, "<script>alert('x')</script> & 公司").await;
    let t = today(&app, &rep, &acc).await;
    order(&app, &rep, &acc, "1234.50", "CNY").await;
    let body = json!({"account_id": acc, "amount": "200", "currency": "CNY",
                      "received_on": t, "method": "cash",
                      "reference": "<img src=x onerror=alert(1)>"});
    assert_eq!(
        app.post("/api/v1/payments", &rep.token, &body).await.status,
        201
    );
    let reply = app
        .get(
            &format!("/api/v1/accounts/{acc}/statement/document?{}", period(t, t)),
            &rep.token,
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    let ct = reply.headers["content-type"].to_str().unwrap();
    assert!(ct.starts_with("text/html"), "{ct}");
    let html = &reply.text;
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("对账单"));
    assert!(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; 公司"));
    assert!(html.contains("&lt;img src=x onerror=alert(1)&gt;"));
    assert!(
        !html.contains("<script") && !html.contains("<img"),
        "{html}"
    );
    assert!(html.contains("1,034.50 CNY"), "closing balance in {html}");
    assert!(html.contains("1,234.50") && html.contains("200.00"));
    assert!(
        html.contains("人民币壹仟零叁拾肆元伍角"),
        "the closing balance in capitals"
    );
    // The seller's header and bank account, from the settings.
    assert!(html.contains("<h1>恒信机床 Hengxin Machine Tools</h1>"));
    assert!(html.contains("91310115MA1K4XXXXX"));
    assert!(html.contains("招商银行上海张江支行 1219 0000 0000 0001"));
}

fn far_east(settings: &mut Settings) {
    settings.time_zone = Tz::Pacific__Kiritimati;
}

fn far_west(settings: &mut Settings) {
    settings.time_zone = Tz::Pacific__Pago_Pago;
}

/// Entries are dated in the company's calendar, whatever the UTC date is: run at UTC+14 and
/// UTC−11 (neither has summer time), where the two differ for most of the day.
async fn dated_in_the_company_calendar(app: TestApp, utc_offset_hours: i64) {
    let rep = app.rep(None).await;
    let acc = account(&app, &rep, "时区客户").await;
    let t = today(&app, &rep, &acc).await;
    let expected = (chrono::Utc::now() + chrono::TimeDelta::hours(utc_offset_hours)).date_naive();
    assert_eq!(t, expected, "today is the company's");
    order(&app, &rep, &acc, "100", "CNY").await;
    let p = pay(&app, &rep, &acc, "40", days_before(t, 1), None).await;
    void(&app, &rep, &p).await;
    let cny = |from, to| format!("{}&currency=CNY", period(from, to));
    let reply = statement(&app, &rep, &acc, &cny(days_before(t, 1), t)).await;
    let section = &reply.ok()["sections"][0];
    assert_eq!(section["opening_balance"], "0.00");
    assert_eq!(
        lines(section),
        vec![
            row(days_before(t, 1), "payment", "0.00", "40.00", "-40.00"),
            row(t, "order", "100.00", "0.00", "60.00"),
            row(t, "payment_voided", "40.00", "0.00", "100.00"),
        ]
    );
    // Nothing was dated the day before yesterday; tomorrow opens with all of it.
    let before = statement(
        &app,
        &rep,
        &acc,
        &period(days_before(t, 2), days_before(t, 2)),
    )
    .await;
    assert_eq!(before.ok()["sections"], json!([]));
    let tomorrow = t + Days::new(1);
    let after = statement(&app, &rep, &acc, &period(tomorrow, tomorrow)).await;
    let section = &after.ok()["sections"][0];
    assert_eq!(section["opening_balance"], "100.00");
    assert_eq!(section["lines"], json!([]));
    assert_eq!(section["closing_balance"], "100.00");
}

async fn at_utc_plus_14(app: TestApp) {
    dated_in_the_company_calendar(app, 14).await;
}

async fn at_utc_minus_11(app: TestApp) {
    dated_in_the_company_calendar(app, -11).await;
}

both!(at_utc_plus_14 with far_east);
both!(at_utc_minus_11 with far_west);

both!(
    every_kind_of_entry_with_exact_balances,
    adjacent_periods_meet,
    only_those_who_see_the_account,
    bad_periods_name_the_field,
    the_printable_statement,
);
