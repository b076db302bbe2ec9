//! Receivables: the default payment plan, payments applied oldest due first (with the rest kept
//! as credit), voids that restore exactly, the invariants under concurrent payments, bad input
//! that stores nothing, and who may see and record payments.

use std::str::FromStr;
use std::sync::Arc;

use kedao_domain::access::Role;
use kedao_tests::{Actor, Reply, TestApp, both};
use rust_decimal::Decimal;
use serde_json::{Value, json};

use crate::opportunities::account;

const NO_SUCH_ID: &str = "0190f3a4-1d2e-7c3b-9a8f-6e5d4c3b2a10";

pub fn dec(v: &Value) -> Decimal {
    Decimal::from_str(
        v.as_str()
            .unwrap_or_else(|| panic!("not a decimal string: {v}")),
    )
    .unwrap()
}

/// A direct order of `by` for `acc` whose grand total is `total` (no tax, no discount).
pub async fn order(app: &TestApp, by: &Actor, acc: &str, total: &str, currency: &str) -> Value {
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

pub async fn plan(app: &TestApp, by: &Actor, o: &Value) -> Value {
    let reply = app
        .get(
            &format!("/api/v1/orders/{}/plan", o["id"].as_str().unwrap()),
            &by.token,
        )
        .await;
    reply.ok().clone()
}

pub async fn pay(app: &TestApp, by: &Actor, body: Value) -> Reply {
    app.post("/api/v1/payments", &by.token, &body).await
}

pub fn payment(acc: &str, amount: &str, order: Option<&Value>) -> Value {
    let mut body = json!({"account_id": acc, "amount": amount, "currency": "CNY",
                          "received_on": "2026-01-15", "method": "bank_transfer",
                          "reference": "银行回单 001"});
    if let Some(o) = order {
        body["order_id"] = o["id"].clone();
    }
    body
}

pub fn allocated(p: &Value) -> Decimal {
    p["allocations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| dec(&a["amount"]))
        .sum()
}

/// Checks the invariants over HTTP for one order and the payments made on it.
#[track_caller]
pub fn check_invariants(plan: &Value, payments: &[Value], total: Decimal) {
    let mut paid_sum = Decimal::ZERO;
    let mut outstanding = Decimal::ZERO;
    for i in plan["installments"].as_array().unwrap() {
        let (amount, paid) = (dec(&i["amount"]), dec(&i["paid"]));
        assert!(
            Decimal::ZERO <= paid && paid <= amount,
            "0 ≤ paid ≤ amount: {i}"
        );
        assert_eq!(dec(&i["outstanding"]), amount - paid);
        paid_sum += paid;
        outstanding += amount - paid;
    }
    let mut applied = Decimal::ZERO;
    for p in payments {
        assert_eq!(
            allocated(p) + dec(&p["unapplied"]),
            dec(&p["amount"]),
            "{p}"
        );
        applied += allocated(p);
    }
    assert_eq!(paid_sum, applied, "paid is exactly what was allocated");
    assert_eq!(outstanding, total - applied);
}

async fn replacing_the_plan_and_the_reports(app: TestApp) {
    let rep = app.rep(None).await;
    let other = app.rep(None).await;
    let acc = account(&app, &rep, "分期客户").await;
    let o = order(&app, &rep, &acc, "1000", "CNY").await;
    let plan_path = format!("/api/v1/orders/{}/plan", o["id"].as_str().unwrap());
    let current = app.get(&plan_path, &rep.token).await;
    assert_eq!(current.etag(), "\"1\"");
    let put = |body: Value, etag: String| {
        let (app, token, path) = (&app, rep.token.clone(), plan_path.clone());
        async move {
            app.call(
                reqwest::Method::PUT,
                &path,
                Some(&token),
                Some(&body),
                Some(&etag),
            )
            .await
        }
    };
    let before = app.count("installments").await;
    let short = put(
        json!({"installments": [
            {"due_date": app.days_from_today(-45), "amount": "300"},
            {"due_date": app.days_from_today(10), "amount": "600"}]}),
        "\"1\"".into(),
    )
    .await;
    let body = short.invalid_field("installments");
    let message = body["errors"][0]["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("900") && message.contains("1000"),
        "{message}"
    );
    put(
        json!({"installments": [{"due_date": app.days_from_today(1), "amount": "1000.001"}]}),
        "\"1\"".into(),
    )
    .await
    .invalid_field("installments[0].amount");
    assert_eq!(app.count("installments").await, before);
    let replaced = put(
        json!({"installments": [
            {"due_date": app.days_from_today(10), "amount": "700"},
            {"due_date": app.days_from_today(-45), "amount": "300"}]}),
        "\"1\"".into(),
    )
    .await;
    assert_eq!(replaced.status, 200, "{}", replaced.text);
    assert_eq!(replaced.etag(), "\"2\"");
    let insts = replaced.body["installments"].as_array().unwrap().clone();
    assert_eq!(insts.len(), 2);
    assert_eq!(insts[1]["status"], "overdue");

    let aging = app
        .get("/api/v1/receivables/aging?group_by=account", &rep.token)
        .await
        .ok()
        .clone();
    let row = &aging["rows"][0];
    assert_eq!(row["group_id"], json!(acc));
    assert_eq!(dec(&row["d31_60"]), Decimal::from(300));
    assert_eq!(dec(&row["not_due"]), Decimal::from(700));
    assert_eq!(dec(&row["total"]), Decimal::from(1000));

    // A partial payment goes to the oldest (overdue) installment first.
    let p = pay(&app, &rep, payment(&acc, "100", Some(&o))).await;
    assert_eq!(p.status, 201, "{}", p.text);
    assert_eq!(p.body["allocations"][0]["installment_id"], insts[1]["id"]);
    let aging = app
        .get("/api/v1/receivables/aging?group_by=owner", &rep.token)
        .await
        .ok()
        .clone();
    let row = &aging["rows"][0];
    assert_eq!(row["group_id"], json!(rep.id.to_string()));
    assert_eq!(dec(&row["d31_60"]), Decimal::from(200));
    assert_eq!(dec(&row["total"]), Decimal::from(900));
    let summary = app
        .get("/api/v1/receivables/summary?group_by=owner", &rep.token)
        .await
        .ok()
        .clone();
    assert_eq!(dec(&summary["rows"][0]["outstanding"]), Decimal::from(900));
    assert_eq!(dec(&summary["rows"][0]["overdue"]), Decimal::from(200));
    let overdue = app
        .get("/api/v1/receivables/overdue", &rep.token)
        .await
        .ok()
        .clone();
    assert_eq!(overdue["items"].as_array().unwrap().len(), 1);
    assert_eq!(overdue["items"][0]["days_overdue"], 45);
    assert_eq!(dec(&overdue["items"][0]["outstanding"]), Decimal::from(200));
    // Another rep sees none of it.
    let theirs = app
        .get("/api/v1/receivables/aging", &other.token)
        .await
        .ok()
        .clone();
    assert!(theirs["rows"].as_array().unwrap().is_empty());
    let listed = app
        .get(
            &format!("/api/v1/payments?order_id={}", o["id"].as_str().unwrap()),
            &rep.token,
        )
        .await
        .ok()
        .clone();
    assert_eq!(listed["items"].as_array().unwrap().len(), 1);
    let none = app
        .get(&format!("/api/v1/payments?account_id={acc}"), &other.token)
        .await
        .ok()
        .clone();
    assert!(none["items"].as_array().unwrap().is_empty());

    // Once paid, the plan is fixed.
    put(
        json!({"installments": [{"due_date": app.days_from_today(5), "amount": "1000"}]}),
        "\"2\"".into(),
    )
    .await
    .problem(409, "plan-has-payments");
}

async fn default_plan_partial_over_payment_and_void(app: TestApp) {
    let rep = app.rep(None).await;
    let acc = account(&app, &rep, "回款客户").await;
    let o = order(&app, &rep, &acc, "1000", "CNY").await;
    let p0 = plan(&app, &rep, &o).await;
    let insts = p0["installments"].as_array().unwrap();
    assert_eq!(insts.len(), 1);
    assert_eq!(dec(&insts[0]["amount"]), dec(&o["grand_total"]));
    assert_eq!(dec(&insts[0]["paid"]), Decimal::ZERO);
    assert_eq!(insts[0]["status"], "open");
    let due = chrono::NaiveDate::from_str(insts[0]["due_date"].as_str().unwrap()).unwrap();
    assert_eq!(
        due,
        app.today() + chrono::Days::new(30),
        "due after the default terms"
    );

    // A partial payment.
    let first = pay(&app, &rep, payment(&acc, "300.50", Some(&o))).await;
    assert_eq!(first.status, 201, "{}", first.text);
    let first = first.body;
    assert_eq!(allocated(&first), Decimal::new(30050, 2));
    assert_eq!(dec(&first["unapplied"]), Decimal::ZERO);
    let p1 = plan(&app, &rep, &o).await;
    assert_eq!(p1["installments"][0]["status"], "partially_paid");
    assert_eq!(
        dec(&p1["installments"][0]["outstanding"]),
        Decimal::new(69950, 2)
    );

    // An overpayment on the account (no order): the rest is exact credit.
    let second = pay(&app, &rep, payment(&acc, "1000", None)).await;
    assert_eq!(second.status, 201, "{}", second.text);
    let second = second.body;
    assert_eq!(allocated(&second), Decimal::new(69950, 2));
    assert_eq!(dec(&second["unapplied"]), Decimal::new(30050, 2));
    let p2 = plan(&app, &rep, &o).await;
    assert_eq!(p2["installments"][0]["status"], "paid");
    check_invariants(
        &p2,
        &[first.clone(), second.clone()],
        dec(&o["grand_total"]),
    );

    // Nothing left: a further payment is all credit.
    let third = pay(&app, &rep, payment(&acc, "1", Some(&o))).await.body;
    assert!(third["allocations"].as_array().unwrap().is_empty());
    assert_eq!(dec(&third["unapplied"]), Decimal::ONE);

    // Void the first: restores exactly what it paid; twice is a 409.
    let path = format!("/api/v1/payments/{}/void", first["id"].as_str().unwrap());
    let voided = app
        .call(
            reqwest::Method::POST,
            &path,
            Some(&rep.token),
            None,
            Some("\"1\""),
        )
        .await;
    assert_eq!(voided.status, 200, "{}", voided.text);
    assert!(voided.body["voided_at"].is_string());
    // The 300.50 it reopened is at once covered by the account's credit, oldest payment
    // first: all of the second payment's 300.50; the third's 1 stays credit.
    let p3 = plan(&app, &rep, &o).await;
    assert_eq!(dec(&p3["installments"][0]["outstanding"]), Decimal::ZERO);
    let second_now = app
        .get(
            &format!("/api/v1/payments/{}", second["id"].as_str().unwrap()),
            &rep.token,
        )
        .await;
    let second_now = second_now.ok().clone();
    assert_eq!(dec(&second_now["unapplied"]), Decimal::ZERO);
    assert_eq!(allocated(&second_now), dec(&second["amount"]));
    let third_now = app
        .get(
            &format!("/api/v1/payments/{}", third["id"].as_str().unwrap()),
            &rep.token,
        )
        .await;
    assert_eq!(dec(&third_now.ok()["unapplied"]), Decimal::ONE);
    check_invariants(
        &p3,
        std::slice::from_ref(&second_now),
        dec(&o["grand_total"]),
    );
    let again = app
        .call(
            reqwest::Method::POST,
            &path,
            Some(&rep.token),
            None,
            Some("\"2\""),
        )
        .await;
    again.problem(409, "payment-voided");
    let p4 = plan(&app, &rep, &o).await;
    assert_eq!(p3, p4, "a refused void changes nothing");
    assert_eq!(app.count("payments").await, 3, "nothing is deleted");
    assert_eq!(app.count("allocations").await, 3);
    // The payment reads back with both its allocations, as paid and as credit applied later.
    assert_eq!(second_now["allocations"][0], second["allocations"][0]);
    assert_eq!(second_now["allocations"].as_array().unwrap().len(), 2);
}

async fn oldest_due_first_across_orders(app: TestApp) {
    let rep = app.rep(None).await;
    let acc = account(&app, &rep, "多单客户").await;
    let a = order(&app, &rep, &acc, "100", "CNY").await;
    let b = order(&app, &rep, &acc, "200", "CNY").await;
    let usd = order(&app, &rep, &acc, "50", "USD").await;
    let p = pay(&app, &rep, payment(&acc, "150", None)).await;
    assert_eq!(p.status, 201, "{}", p.text);
    let allocs = p.body["allocations"].as_array().unwrap().clone();
    assert_eq!(allocs.len(), 2);
    assert_eq!(allocs[0]["order_id"], a["id"]);
    assert_eq!(dec(&allocs[0]["amount"]), Decimal::from(100));
    assert_eq!(allocs[1]["order_id"], b["id"]);
    assert_eq!(dec(&allocs[1]["amount"]), Decimal::from(50));
    let untouched = plan(&app, &rep, &usd).await;
    assert_eq!(
        dec(&untouched["installments"][0]["paid"]),
        Decimal::ZERO,
        "other currencies untouched"
    );
}

async fn concurrent_payments_never_over_allocate(app: TestApp) {
    let rep = app.rep(None).await;
    let acc = account(&app, &rep, "并发回款").await;
    let o = order(&app, &rep, &acc, "1000", "CNY").await;
    let app = Arc::new(app);
    let rep = Arc::new(rep);
    let mut tasks = Vec::new();
    for _ in 0..20 {
        let (app, rep, acc, o) = (app.clone(), rep.clone(), acc.clone(), o.clone());
        tasks.push(tokio::spawn(async move {
            pay(&app, &rep, payment(&acc, "70", Some(&o))).await
        }));
    }
    let mut made = Vec::new();
    for t in tasks {
        let reply = t.await.unwrap();
        assert!(
            reply.status == 201 || reply.status == 409,
            "never a 500: {} {}",
            reply.status,
            reply.text
        );
        if reply.status == 201 {
            made.push(reply.body);
        }
    }
    let p = plan(&app, &rep, &o).await;
    check_invariants(&p, &made, dec(&o["grand_total"]));
    let paid = dec(&p["installments"][0]["paid"]);
    assert!(paid <= Decimal::from(1000));
    let total_paid: Decimal = made.iter().map(|m| dec(&m["amount"])).sum();
    assert_eq!(paid, total_paid.min(Decimal::from(1000)));
}

async fn bad_input_stores_nothing(app: TestApp) {
    let rep = app.rep(None).await;
    let acc = account(&app, &rep, "坏输入").await;
    let o = order(&app, &rep, &acc, "1000", "CNY").await;
    let usd = order(&app, &rep, &acc, "10", "USD").await;
    let before = (app.count("payments").await, app.count("allocations").await);
    for (amount, field) in [("0", "amount"), ("-5", "amount"), ("1.005", "amount")] {
        pay(&app, &rep, payment(&acc, amount, Some(&o)))
            .await
            .invalid_field(field);
    }
    let mut mismatch = payment(&acc, "10", Some(&usd));
    mismatch["currency"] = json!("CNY");
    pay(&app, &rep, mismatch).await.invalid_field("currency");
    pay(&app, &rep, payment(NO_SUCH_ID, "10", None))
        .await
        .invalid_field("account_id");
    let mut bad_order = payment(&acc, "10", None);
    bad_order["order_id"] = json!(NO_SUCH_ID);
    pay(&app, &rep, bad_order).await.invalid_field("order_id");
    let cancelled = app
        .call(
            reqwest::Method::POST,
            &format!("/api/v1/orders/{}/status", o["id"].as_str().unwrap()),
            Some(&rep.token),
            Some(&json!({"status": "cancelled"})),
            Some("\"1\""),
        )
        .await;
    assert_eq!(cancelled.status, 200, "{}", cancelled.text);
    pay(&app, &rep, payment(&acc, "10", Some(&o)))
        .await
        .problem(409, "order-cancelled");
    assert_eq!(
        (app.count("payments").await, app.count("allocations").await),
        before
    );
}

async fn visibility_by_role(app: TestApp) {
    let rep = app.rep(None).await;
    let other = app.rep(None).await;
    let finance = app.user(Role::Finance, None).await;
    let service = app.user(Role::Service, None).await;
    let acc = account(&app, &rep, "可见回款").await;
    let o = order(&app, &rep, &acc, "500", "CNY").await;
    let plan_path = format!("/api/v1/orders/{}/plan", o["id"].as_str().unwrap());
    app.get(&plan_path, &other.token)
        .await
        .problem(404, "not-found");
    pay(&app, &other, payment(&acc, "10", Some(&o)))
        .await
        .invalid_field("account_id");
    let by_finance = pay(&app, &finance, payment(&acc, "100", Some(&o))).await;
    assert_eq!(by_finance.status, 201, "{}", by_finance.text);
    let path = format!(
        "/api/v1/payments/{}",
        by_finance.body["id"].as_str().unwrap()
    );
    app.get(&path, &other.token).await.problem(404, "not-found");
    app.get(&path, &rep.token).await.ok();
    pay(&app, &service, payment(&acc, "10", Some(&o)))
        .await
        .problem(403, "forbidden");
    app.get(&plan_path, &service.token)
        .await
        .problem(403, "forbidden");
}

both!(
    replacing_the_plan_and_the_reports,
    default_plan_partial_over_payment_and_void,
    oldest_due_first_across_orders,
    concurrent_payments_never_over_allocate,
    bad_input_stores_nothing,
    visibility_by_role,
);
