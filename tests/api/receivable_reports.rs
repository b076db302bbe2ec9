//! The receivables reports over HTTP: aging and summary by account, owner and team with exact
//! figures in each bucket (partial payments count their outstanding only, paid and cancelled
//! installments nothing), the buckets exactly as the domain cuts them, who sees which rows,
//! the order of the rows, the overdue list's pages, and a bad `group_by`.

use std::str::FromStr;

use chrono::NaiveDate;
use kedao_domain::access::Role;
use kedao_domain::receivable::{AgingBucket, aging_bucket};
use kedao_tests::{Actor, TestApp, both};
use rust_decimal::Decimal;
use serde_json::{Value, json};

use crate::opportunities::account;

fn dec(v: &Value) -> Decimal {
    Decimal::from_str(
        v.as_str()
            .unwrap_or_else(|| panic!("not a decimal string: {v}")),
    )
    .unwrap()
}

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

/// A report, read as `by`.
async fn report(app: &TestApp, by: &Actor, path: &str) -> Value {
    app.get(&format!("/api/v1/receivables/{path}"), &by.token)
        .await
        .ok()
        .clone()
}

/// The company's today as the server sees it.
async fn today(app: &TestApp, by: &Actor) -> NaiveDate {
    let aging = report(app, by, "aging").await;
    aging["as_of"].as_str().unwrap().parse().unwrap()
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

/// Replaces the order's plan with installments of `amount` due `days_overdue` days before
/// `today` (negative: not yet due).
async fn set_plan(
    app: &TestApp,
    by: &Actor,
    o: &Value,
    today: NaiveDate,
    plan: &[(i64, &str)],
) -> Value {
    let installments: Vec<Value> = plan
        .iter()
        .map(|(days, amount)| {
            json!({"due_date": today - chrono::Duration::days(*days), "amount": amount})
        })
        .collect();
    let reply = app
        .call(
            reqwest::Method::PUT,
            &format!("/api/v1/orders/{}/plan", o["id"].as_str().unwrap()),
            Some(&by.token),
            Some(&json!({"installments": installments})),
            Some(&format!("\"{}\"", o["version"])),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    reply.body
}

async fn pay(app: &TestApp, by: &Actor, acc: &str, o: &Value, amount: &str) {
    let reply = app
        .post(
            "/api/v1/payments",
            &by.token,
            &json!({"account_id": acc, "amount": amount, "currency": o["currency"],
                    "received_on": "2026-01-15", "method": "bank_transfer",
                    "order_id": o["id"]}),
        )
        .await;
    assert_eq!(reply.status, 201, "{}", reply.text);
}

const AGING: [&str; 6] = ["not_due", "d1_30", "d31_60", "d61_90", "over_90", "total"];

/// Each row as (group id, group name, currency, figures): the whole report, in its order.
fn rows(report: &Value, figures: &[&str]) -> Vec<(Value, Value, String, Vec<Decimal>)> {
    report["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["group_id"].clone(),
                r["group_name"].clone(),
                r["currency"].as_str().unwrap().to_owned(),
                figures.iter().map(|f| dec(&r[*f])).collect(),
            )
        })
        .collect()
}

/// An expected row.
fn row(
    id: impl Into<Value>,
    name: impl Into<Value>,
    currency: &str,
    figures: &[&str],
) -> (Value, Value, String, Vec<Decimal>) {
    (
        id.into(),
        name.into(),
        currency.to_owned(),
        figures.iter().map(|f| d(f)).collect(),
    )
}

/// Installments due exactly on each boundary of the buckets land where `aging_bucket` puts
/// them; the summary's overdue is what is past due.
async fn buckets_agree_with_the_domain(app: TestApp) {
    let rep = app.rep(None).await;
    let acc = account(&app, &rep, "边界客户").await;
    let o = order(&app, &rep, &acc, "2047", "CNY").await;
    let t0 = today(&app, &rep).await;
    // Amounts are powers of two, so each bucket's sum names exactly its installments.
    let offsets = [-1_i64, 0, 1, 30, 31, 60, 61, 90, 91, 200, 365];
    let amounts: Vec<String> = (0..offsets.len())
        .map(|k| (1_u32 << k).to_string())
        .collect();
    let plan: Vec<(i64, &str)> = offsets
        .iter()
        .zip(&amounts)
        .map(|(o, a)| (*o, a.as_str()))
        .collect();
    set_plan(&app, &rep, &o, t0, &plan).await;

    let aging = report(&app, &rep, "aging?group_by=account").await;
    // Expected from the date the report used (a midnight may have passed since `t0`).
    let as_of: NaiveDate = aging["as_of"].as_str().unwrap().parse().unwrap();
    let day = |date: NaiveDate| (date - NaiveDate::default()).num_days();
    let mut expected = [Decimal::ZERO; 6];
    let mut overdue = Decimal::ZERO;
    for (offset, amount) in &plan {
        let due = t0 - chrono::Duration::days(*offset);
        let slot = match aging_bucket(day(due), day(as_of)) {
            AgingBucket::NotDue => 0,
            AgingBucket::Days1To30 => 1,
            AgingBucket::Days31To60 => 2,
            AgingBucket::Days61To90 => 3,
            AgingBucket::Over90 => 4,
        };
        expected[slot] += d(amount);
        expected[5] += d(amount);
        if due < as_of {
            overdue += d(amount);
        }
    }
    if as_of == t0 {
        // On the same day the figures are known outright: 0 and -1 days not due; 1 and 30
        // in the first bucket, 31 and 60 in the second, 61 and 90 in the third.
        assert_eq!(
            expected,
            [1 + 2, 4 + 8, 16 + 32, 64 + 128, 256 + 512 + 1024, 2047].map(Decimal::from)
        );
    }
    assert_eq!(
        rows(&aging, &AGING),
        vec![(
            json!(acc),
            json!("边界客户"),
            "CNY".to_owned(),
            expected.to_vec()
        )]
    );
    let summary = report(&app, &rep, "summary?group_by=account").await;
    if summary["as_of"] == aging["as_of"] {
        assert_eq!(
            rows(&summary, &["outstanding", "overdue"]),
            vec![(
                json!(acc),
                json!("边界客户"),
                "CNY".to_owned(),
                vec![Decimal::from(2047), overdue]
            )]
        );
    }
}

/// Who owns what in `figures_by_account_owner_and_team`.
struct World {
    team_a: String,
    team_b: String,
    rep_a1: Actor,
    rep_a2: Actor,
    rep_b: Actor,
    solo: Actor,
    acc_a1: String,
    acc_a2: String,
    acc_b: String,
    acc_s: String,
}

/// Two teams (A with two reps, B with one), a rep without a team, their accounts and orders
/// with installments in every bucket; one installment partially paid, one paid, one of an
/// order cancelled.
async fn world(app: &TestApp) -> World {
    let team_a = app.team("华东组").await;
    let team_b = app.team("华南组").await;
    let rep_a1 = app.rep(Some(team_a)).await;
    let rep_a2 = app.rep(Some(team_a)).await;
    let rep_b = app.rep(Some(team_b)).await;
    let solo = app.rep(None).await;
    let acc_a1 = account(app, &rep_a1, "甲公司").await;
    let acc_a2 = account(app, &rep_a2, "乙公司").await;
    let acc_b = account(app, &rep_b, "丙公司").await;
    let acc_s = account(app, &solo, "丁公司").await;
    // Every order first, then the plans: no order is made while another is overdue.
    let a1 = order(app, &rep_a1, &acc_a1, "1000", "CNY").await;
    let a1_usd = order(app, &rep_a1, &acc_a1, "50", "USD").await;
    let a1_cancelled = order(app, &rep_a1, &acc_a1, "777", "CNY").await;
    let a2 = order(app, &rep_a2, &acc_a2, "500", "CNY").await;
    let b_paid = order(app, &rep_b, &acc_b, "300", "CNY").await;
    let b_open = order(app, &rep_b, &acc_b, "80", "CNY").await;
    let s = order(app, &solo, &acc_s, "60.50", "CNY").await;
    let t = today(app, &rep_a1).await;
    // Days overdue in the middle of their buckets: a midnight passing changes nothing.
    set_plan(
        app,
        &rep_a1,
        &a1,
        t,
        &[
            (-10, "100.10"),
            (10, "200.20"),
            (45, "300.30"),
            (75, "399.40"),
        ],
    )
    .await;
    set_plan(app, &rep_a1, &a1_usd, t, &[(120, "50")]).await;
    let cancelled_plan = set_plan(app, &rep_a1, &a1_cancelled, t, &[(15, "777")]).await;
    set_plan(app, &rep_a2, &a2, t, &[(20, "250"), (100, "250")]).await;
    set_plan(app, &rep_b, &b_paid, t, &[(5, "300")]).await;
    set_plan(app, &rep_b, &b_open, t, &[(-3, "80")]).await;
    set_plan(app, &solo, &s, t, &[(40, "60.50")]).await;
    // Oldest first: 100.25 of the 100-days-overdue 250 is paid, 149.75 left.
    pay(app, &rep_a2, &acc_a2, &a2, "100.25").await;
    pay(app, &rep_b, &acc_b, &b_paid, "300").await;
    // A cancelled order's installments are no longer owed.
    let cancelled = app
        .call(
            reqwest::Method::POST,
            &format!(
                "/api/v1/orders/{}/status",
                a1_cancelled["id"].as_str().unwrap()
            ),
            Some(&rep_a1.token),
            Some(&json!({"status": "cancelled"})),
            Some(&format!("\"{}\"", cancelled_plan["order_version"])),
        )
        .await;
    assert_eq!(cancelled.status, 200, "{}", cancelled.text);
    World {
        team_a: team_a.to_string(),
        team_b: team_b.to_string(),
        rep_a1,
        rep_a2,
        rep_b,
        solo,
        acc_a1,
        acc_a2,
        acc_b,
        acc_s,
    }
}

async fn figures_by_account_owner_and_team(app: TestApp) {
    let w = world(&app).await;
    let finance = app.user(Role::Finance, None).await;
    let name = "Test sales";
    let (a1, a2, b, s) = (
        w.rep_a1.id.to_string(),
        w.rep_a2.id.to_string(),
        w.rep_b.id.to_string(),
        w.solo.id.to_string(),
    );

    // By account: a page at a time in (account, currency) order (accounts were created
    // 甲 乙 丙 丁, and their ids are time-ordered).
    let by_account = report(&app, &finance, "aging?group_by=account").await;
    assert_eq!(by_account["group_by"], "account");
    assert_eq!(
        rows(&by_account, &AGING),
        vec![
            row(
                w.acc_a1.as_str(),
                "甲公司",
                "CNY",
                &["100.10", "200.20", "300.30", "399.40", "0", "1000.00"]
            ),
            row(
                w.acc_a1.as_str(),
                "甲公司",
                "USD",
                &["0", "0", "0", "0", "50", "50"]
            ),
            row(
                w.acc_a2.as_str(),
                "乙公司",
                "CNY",
                &["0", "250", "0", "0", "149.75", "399.75"]
            ),
            row(
                w.acc_b.as_str(),
                "丙公司",
                "CNY",
                &["80", "0", "0", "0", "0", "80"]
            ),
            row(
                w.acc_s.as_str(),
                "丁公司",
                "CNY",
                &["0", "0", "60.50", "0", "0", "60.50"]
            ),
        ]
    );

    assert!(by_account["next_cursor"].is_null());
    // Two rows a page: 甲 CNY, 甲 USD | 乙, 丙 | 丁; the cursors walk them all once.
    let mut seen = Vec::new();
    let mut path = "aging?group_by=account&limit=2".to_owned();
    loop {
        let page = report(&app, &finance, &path).await;
        let got = rows(&page, &AGING);
        assert!(got.len() <= 2);
        seen.extend(got);
        match page["next_cursor"].as_str() {
            Some(c) => path = format!("aging?group_by=account&limit=2&cursor={c}"),
            None => break,
        }
    }
    assert_eq!(seen, rows(&by_account, &AGING));
    let paged_summary = report(&app, &finance, "summary?group_by=account&limit=4").await;
    assert_eq!(paged_summary["rows"].as_array().unwrap().len(), 4);
    assert!(paged_summary["next_cursor"].is_string());
    for bad in [
        "limit=0",
        "limit=1001",
        "cursor=nonsense",
        "cursor=not-a-uuid~CNY",
    ] {
        app.get(
            &format!("/api/v1/receivables/aging?group_by=account&{bad}"),
            &finance.token,
        )
        .await
        .problem(422, "validation-failed");
    }

    // By owner.
    let by_owner = report(&app, &finance, "aging?group_by=owner").await;
    assert_eq!(
        rows(&by_owner, &AGING),
        vec![
            row(
                a1.as_str(),
                name,
                "CNY",
                &["100.10", "200.20", "300.30", "399.40", "0", "1000.00"]
            ),
            row(
                a2.as_str(),
                name,
                "CNY",
                &["0", "250", "0", "0", "149.75", "399.75"]
            ),
            row(b.as_str(), name, "CNY", &["80", "0", "0", "0", "0", "80"]),
            row(
                s.as_str(),
                name,
                "CNY",
                &["0", "0", "60.50", "0", "0", "60.50"]
            ),
            row(a1.as_str(), name, "USD", &["0", "0", "0", "0", "50", "50"]),
        ]
    );

    // By team: the rep without a team under a null team, after the teams.
    let by_team = report(&app, &finance, "aging?group_by=team").await;
    assert_eq!(by_team["group_by"], "team");
    assert_eq!(
        rows(&by_team, &AGING),
        vec![
            row(
                w.team_a.as_str(),
                "华东组",
                "CNY",
                &["100.10", "450.20", "300.30", "399.40", "149.75", "1399.75"]
            ),
            row(
                w.team_b.as_str(),
                "华南组",
                "CNY",
                &["80", "0", "0", "0", "0", "80"]
            ),
            row(
                Value::Null,
                Value::Null,
                "CNY",
                &["0", "0", "60.50", "0", "0", "60.50"]
            ),
            row(
                w.team_a.as_str(),
                "华东组",
                "USD",
                &["0", "0", "0", "0", "50", "50"]
            ),
        ]
    );
    let summary = report(&app, &finance, "summary?group_by=team").await;
    assert_eq!(summary["group_by"], "team");
    assert_eq!(
        rows(&summary, &["outstanding", "overdue"]),
        vec![
            row(w.team_a.as_str(), "华东组", "CNY", &["1399.75", "1299.65"]),
            row(w.team_b.as_str(), "华南组", "CNY", &["80", "0"]),
            row(Value::Null, Value::Null, "CNY", &["60.50", "60.50"]),
            row(w.team_a.as_str(), "华东组", "USD", &["50", "50"]),
        ]
    );
    // The default grouping is by account.
    let summary = report(&app, &finance, "summary").await;
    assert_eq!(summary["group_by"], "account");
    assert_eq!(
        rows(&summary, &["outstanding", "overdue"])[0],
        row(w.acc_a1.as_str(), "甲公司", "CNY", &["1000.00", "899.90"])
    );
}

async fn each_caller_sees_their_reach(app: TestApp) {
    let w = world(&app).await;
    let manager_a = app.manager(w.rep_a1.team_id).await;
    let team_a = w.team_a.as_str();

    // A rep: their own rows only, whatever the grouping.
    let mine = report(&app, &w.rep_a1, "aging?group_by=account").await;
    assert_eq!(
        rows(&mine, &["total"]),
        vec![
            row(w.acc_a1.as_str(), "甲公司", "CNY", &["1000.00"]),
            row(w.acc_a1.as_str(), "甲公司", "USD", &["50"]),
        ]
    );
    let mine = report(&app, &w.rep_a2, "summary?group_by=team").await;
    assert_eq!(
        rows(&mine, &["outstanding", "overdue"]),
        vec![row(team_a, "华东组", "CNY", &["399.75", "399.75"])]
    );
    let mine = report(&app, &w.solo, "aging?group_by=team").await;
    assert_eq!(
        rows(&mine, &["d31_60", "total"]),
        vec![row(Value::Null, Value::Null, "CNY", &["60.50", "60.50"])]
    );
    let mine = report(&app, &w.rep_b, "aging?group_by=owner").await;
    assert_eq!(
        rows(&mine, &["not_due", "total"]),
        vec![row(
            w.rep_b.id.to_string(),
            "Test sales",
            "CNY",
            &["80", "80"]
        )]
    );

    // A manager: the team's rows.
    let team = report(&app, &manager_a, "aging?group_by=owner").await;
    assert_eq!(
        rows(&team, &["total"]),
        vec![
            row(w.rep_a1.id.to_string(), "Test sales", "CNY", &["1000.00"]),
            row(w.rep_a2.id.to_string(), "Test sales", "CNY", &["399.75"]),
            row(w.rep_a1.id.to_string(), "Test sales", "USD", &["50"]),
        ]
    );
    let team = report(&app, &manager_a, "summary?group_by=team").await;
    assert_eq!(
        rows(&team, &["outstanding"]),
        vec![
            row(team_a, "华东组", "CNY", &["1399.75"]),
            row(team_a, "华东组", "USD", &["50"]),
        ]
    );

    // A service user may not read receivables at all.
    let service = app.user(Role::Service, None).await;
    app.get("/api/v1/receivables/aging", &service.token)
        .await
        .problem(403, "forbidden");
    // Someone with nothing of their own sees an empty report.
    let other = app.rep(None).await;
    assert!(
        report(&app, &other, "aging?group_by=team").await["rows"]
            .as_array()
            .unwrap()
            .is_empty()
    );
}

/// The overdue list: past due, open and not cancelled, most days overdue first, in pages.
async fn overdue_pages(app: TestApp) {
    let w = world(&app).await;
    let finance = app.user(Role::Finance, None).await;
    let mut items = Vec::new();
    let mut path = "/api/v1/receivables/overdue?limit=3&include_total=true".to_owned();
    loop {
        let page = app.get(&path, &finance.token).await.ok().clone();
        assert_eq!(page["total"], 7);
        items.extend(page["items"].as_array().unwrap().iter().cloned());
        match page["next_cursor"].as_str() {
            Some(c) => {
                path = format!("/api/v1/receivables/overdue?limit=3&include_total=true&cursor={c}")
            }
            None => break,
        }
    }
    let outstanding: Vec<Decimal> = items.iter().map(|i| dec(&i["outstanding"])).collect();
    assert_eq!(
        outstanding,
        ["50", "149.75", "399.40", "300.30", "60.50", "250", "200.20"].map(d)
    );
    let days: Vec<i64> = items
        .iter()
        .map(|i| i["days_overdue"].as_i64().unwrap())
        .collect();
    let shift = days[6] - 10;
    assert!((0..=1).contains(&shift), "{days:?}");
    assert_eq!(days, [120, 100, 75, 45, 40, 20, 10].map(|n| n + shift));
    assert_eq!(items[1]["status"], "overdue");
    assert_eq!(items[1]["account_id"], json!(w.acc_a2));
    assert_eq!(items[1]["owner_id"], json!(w.rep_a2.id.to_string()));
    // Who owes, for which order, and who is to collect, without lookups.
    assert_eq!(items[1]["account_name"], "乙公司");
    let owner = app
        .get(&format!("/api/v1/users/{}", w.rep_a2.id), &finance.token)
        .await
        .ok()["display_name"]
        .clone();
    assert_eq!(items[1]["owner_name"], owner);
    let number = items[1]["order_number"].as_str().unwrap_or_default();
    assert!(number.starts_with("O-"), "{number}");
    // A rep's list is their own.
    let mine = app
        .get("/api/v1/receivables/overdue", &w.solo.token)
        .await
        .ok()
        .clone();
    assert_eq!(mine["items"].as_array().unwrap().len(), 1);
    assert_eq!(mine["items"][0]["account_id"], json!(w.acc_s));
    assert_eq!(mine["items"][0]["account_name"], "丁公司");

    // The collection list as CSV: the whole list in the same order.
    let export = app
        .get("/api/v1/receivables/overdue/export", &finance.token)
        .await;
    assert_eq!(export.status, 200, "{}", export.text);
    let (header, rows) = read_csv(&export);
    assert_eq!(
        header,
        [
            "due_date",
            "days_overdue",
            "account_name",
            "order_number",
            "seq",
            "currency",
            "amount",
            "paid",
            "outstanding",
            "owner_name",
            "account_id",
            "order_id",
            "installment_id",
        ]
    );
    let listed: Vec<[String; 5]> = items
        .iter()
        .map(|i| {
            let text = |k: &str| {
                i[k].as_str()
                    .map_or_else(|| i[k].to_string(), str::to_owned)
            };
            [
                text("days_overdue"),
                text("account_name"),
                text("order_number"),
                text("outstanding"),
                text("id"),
            ]
        })
        .collect();
    let exported: Vec<[String; 5]> = rows
        .iter()
        .map(|r| {
            [
                r[1].clone(),
                r[2].clone(),
                r[3].clone(),
                r[8].clone(),
                r[12].clone(),
            ]
        })
        .collect();
    assert_eq!(exported, listed);
    let (_, mine) = read_csv(
        &app.get("/api/v1/receivables/overdue/export", &w.solo.token)
            .await,
    );
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0][2], "丁公司");
    app.get("/api/v1/receivables/overdue/export?limit=5", &finance.token)
        .await
        .invalid_field("limit");
}

async fn a_bad_group_by_names_the_parameter(app: TestApp) {
    let finance = app.user(Role::Finance, None).await;
    for path in [
        "aging?group_by=region",
        "summary?group_by=Team",
        "aging?group_by=",
    ] {
        let body = app
            .get(&format!("/api/v1/receivables/{path}"), &finance.token)
            .await
            .invalid_field("group_by")
            .clone();
        let message = body["errors"][0]["message"].as_str().unwrap_or_default();
        assert!(message.contains("team"), "lists the groupings: {message}");
    }
}

/// Every row of a JSON report, following `next_cursor` a row at a time where it pages.
async fn every_row(app: &TestApp, by: &Actor, report_path: &str) -> (Value, Vec<Value>) {
    let mut first = report(app, by, report_path).await;
    let mut rows = first["rows"].as_array().cloned().unwrap_or_default();
    let mut next = first["next_cursor"].clone();
    while let Some(cursor) = next.as_str() {
        let page = report(app, by, &format!("{report_path}&limit=1&cursor={cursor}")).await;
        rows.extend(page["rows"].as_array().cloned().unwrap_or_default());
        next = page["next_cursor"].clone();
    }
    first["rows"] = Value::Null;
    (first, rows)
}

/// A CSV export read back: its header and rows as text fields (no field in these tests is
/// quoted).
fn read_csv(reply: &kedao_tests::Reply) -> (Vec<String>, Vec<Vec<String>>) {
    let ct = reply.headers["content-type"].to_str().unwrap_or_default();
    assert_eq!(ct, "text/csv; charset=utf-8");
    let text = reply
        .text
        .strip_prefix('\u{feff}')
        .unwrap_or_else(|| panic!("starts with a byte-order mark: {:?}", reply.text));
    let mut lines = text
        .split_terminator("\r\n")
        .map(|l| l.split(',').map(str::to_owned).collect::<Vec<String>>());
    let header = lines.next().unwrap_or_default();
    (header, lines.collect())
}

async fn exports_are_the_whole_report_as_csv(app: TestApp) {
    let w = world(&app).await;
    let finance = app.user(Role::Finance, None).await;
    // A name a spreadsheet would run as a formula.
    let formula = account(&app, &w.solo, "=1+2").await;
    order(&app, &w.solo, &formula, "10", "CNY").await;
    for (name, by, figures) in [
        ("aging", "account", AGING.as_slice()),
        ("aging", "owner", AGING.as_slice()),
        ("summary", "team", ["outstanding", "overdue"].as_slice()),
        ("summary", "dealer", ["outstanding", "overdue"].as_slice()),
    ] {
        for caller in [&finance, &w.rep_a1] {
            let (json, rows) = every_row(&app, caller, &format!("{name}?group_by={by}")).await;
            let reply = app
                .get(
                    &format!("/api/v1/receivables/{name}/export?group_by={by}"),
                    &caller.token,
                )
                .await;
            assert_eq!(reply.status, 200, "{}", reply.text);
            let disposition = reply.headers["content-disposition"].to_str().unwrap();
            let as_of = json["as_of"].as_str().unwrap();
            assert_eq!(
                disposition,
                format!("attachment; filename=\"receivables-{name}-by-{by}-{as_of}.csv\"")
            );
            let (header, cells) = read_csv(&reply);
            let mut columns = vec!["group_id", "group_name", "currency"];
            columns.extend(figures);
            assert_eq!(header, columns, "{name} by {by}");
            // The same rows in the same order, every figure as the JSON writes it.
            let expected: Vec<Vec<String>> = rows
                .iter()
                .map(|r| {
                    columns
                        .iter()
                        .map(|c| match &r[*c] {
                            Value::Null => String::new(),
                            Value::String(v) if v.starts_with('=') => format!("'{v}"),
                            Value::String(v) => v.clone(),
                            other => other.to_string(),
                        })
                        .collect()
                })
                .collect();
            assert_eq!(cells, expected, "{name} by {by}");
            assert!(!cells.is_empty(), "{name} by {by} has rows");
        }
    }
    // The formula-like name is defused; a rep's export holds only their own accounts.
    let by_account = app
        .get("/api/v1/receivables/aging/export", &finance.token)
        .await;
    assert!(by_account.text.contains(&format!("{formula},'=1+2,CNY,")));
    let mine = app
        .get("/api/v1/receivables/aging/export", &w.rep_a1.token)
        .await;
    let (_, mine) = read_csv(&mine);
    assert_eq!(mine.len(), 2, "甲公司 in CNY and USD: {mine:?}");
    assert!(mine.iter().all(|r| r[0] == w.acc_a1));

    // The export is always the whole report; bad groupings are named; service staff have no
    // receivables.
    for (path, field) in [
        ("aging/export?cursor=abc", "cursor"),
        ("summary/export?limit=5", "limit"),
        ("aging/export?group_by=region", "group_by"),
    ] {
        app.get(&format!("/api/v1/receivables/{path}"), &finance.token)
            .await
            .invalid_field(field);
    }
    let service = app.user(Role::Service, None).await;
    app.get("/api/v1/receivables/aging/export", &service.token)
        .await
        .problem(403, "forbidden");
}

both!(
    exports_are_the_whole_report_as_csv,
    buckets_agree_with_the_domain,
    figures_by_account_owner_and_team,
    each_caller_sees_their_reach,
    overdue_pages,
    a_bad_group_by_names_the_parameter,
);
