//! The order screen's payment plan: a rep splits an order's total into a deposit, a payment
//! on delivery and a retention (30/60/10), is stopped before sending amounts that do not add
//! up, saves the plan, is refused a plan changed meanwhile by someone else, and can no longer
//! change it once a payment has been applied.

use std::sync::Arc;

use kedao_domain::access::Role;
use kedao_tests::{Actor, TestApp};
use serde_json::{Value, json};

use crate::support::Browser;
use crate::webdriver::By;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rep_splits_an_orders_payment_plan() {
    if let Some(browser) = Browser::start("payment-plan").await {
        browser.run(split_plan).await;
    }
}

/// A new customer of `rep`'s; its id.
pub async fn account(app: &TestApp, rep: &Actor) -> String {
    let account = app
        .post("/api/v1/accounts", &rep.token, &json!({"name": "恒达机械"}))
        .await;
    account.ok()["id"].as_str().unwrap().to_owned()
}

/// A direct order of ¥3,390.00 (two machines at ¥1,500 plus 13% VAT) for the customer.
pub async fn order(app: &TestApp, rep: &Actor, account: &str) -> Value {
    let order = app
        .post(
            "/api/v1/orders",
            &rep.token,
            &json!({"account_id": account, "lines": [
                {"description": "数控机床 X5", "quantity": "2", "unit_price": "1500.00", "tax_rate_percent": "13"}
            ]}),
        )
        .await;
    assert_eq!(order.ok()["grand_total"], "3390.00");
    order.ok().clone()
}

async fn plan(app: &TestApp, rep: &Actor, order: &str) -> (Vec<(String, String)>, String) {
    let reply = app
        .get(&format!("/api/v1/orders/{order}/plan"), &rep.token)
        .await;
    let rows = reply.ok()["installments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            let text = |v: &Value| v.as_str().unwrap().to_owned();
            (text(&i["due_date"]), text(&i["amount"]))
        })
        .collect();
    (rows, reply.etag())
}

/// What the input with this id holds now.
async fn value(b: &Browser, id: &str) -> String {
    let input = b.find(By::id(id)).await;
    let held = b
        .driver
        .execute("return arguments[0].value;", vec![input.to_json()])
        .await
        .unwrap();
    held.as_str().unwrap_or_default().to_owned()
}

async fn split_plan(b: Arc<Browser>) {
    let rep = b.sign_in_as(Role::Sales, "/").await;
    let account = account(&b.app, &rep).await;
    let order_id = order(&b.app, &rep, &account).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let (default_plan, _) = plan(&b.app, &rep, &order_id).await;
    assert_eq!(default_plan.len(), 1, "the default plan is one installment");
    let first_due = default_plan[0].0.clone();

    b.open(&format!("/orders/{order_id}")).await;
    b.wait_for_text(By::id("order-total"), "¥3,390.00").await;
    b.click(By::id("plan-edit")).await;
    // The editor starts from the plan as it is: one installment, nothing left to plan.
    assert_eq!(value(&b, "plan-0-amount").await, "3390.00");
    assert_eq!(value(&b, "field-split_first_due").await, first_due);
    b.wait_for_text(By::id("plan-remaining"), "¥0.00").await;

    // Percentages that do not add up to 100 are named and change nothing.
    b.fill("field-split_shares", "30/60").await;
    b.click(By::id("plan-split")).await;
    b.find(By::id("error-split_shares")).await;
    assert_eq!(value(&b, "plan-0-amount").await, "3390.00");

    b.fill("field-split_shares", "30/60/10").await;
    b.click(By::id("plan-split")).await;
    b.find(By::id("plan-2-amount")).await;
    assert!(b.driver.find(By::id("error-split_shares")).await.is_err());
    assert_eq!(value(&b, "plan-0-amount").await, "1017.00");
    assert_eq!(value(&b, "plan-1-amount").await, "2034.00");
    assert_eq!(value(&b, "plan-2-amount").await, "339.00");
    assert_eq!(value(&b, "plan-0-due_date").await, first_due);

    // An amount that leaves the plan short shows what is left, and is not sent.
    b.fill("plan-2-amount", "300.00").await;
    b.wait_for_text(By::id("plan-remaining"), "¥39.00").await;
    b.click(By::id("plan-save")).await;
    b.find(By::id("error-installments")).await;
    assert_eq!(plan(&b.app, &rep, &order_id).await.0, default_plan);

    b.fill("plan-2-amount", "339").await;
    b.wait_for_text(By::id("plan-remaining"), "¥0.00").await;
    b.click(By::id("plan-save")).await;
    b.find(By::css("#order-installments tr.installment:nth-child(3)"))
        .await;
    assert!(b.driver.find(By::id("plan-editor")).await.is_err());
    let (saved, etag) = plan(&b.app, &rep, &order_id).await;
    let amounts: Vec<&str> = saved.iter().map(|(_, a)| a.as_str()).collect();
    assert_eq!(amounts, ["1017.00", "2034.00", "339.00"]);
    let days: Vec<chrono::NaiveDate> = saved.iter().map(|(d, _)| d.parse().unwrap()).collect();
    assert_eq!(days[0].to_string(), first_due);
    assert_eq!((days[1] - days[0]).num_days(), 30);
    assert_eq!((days[2] - days[1]).num_days(), 30);
    b.wait_for_text(By::id("order-installments"), "¥2,034.00")
        .await;

    // Someone else replaces the plan while the editor is open: saving is refused, the
    // refusal shows and the screen shows their plan.
    b.click(By::id("plan-edit")).await;
    b.fill("field-split_shares", "4").await;
    b.click(By::id("plan-split")).await;
    b.find(By::id("plan-3-amount")).await;
    let meanwhile = b
        .app
        .call(
            reqwest::Method::PUT,
            &format!("/api/v1/orders/{order_id}/plan"),
            Some(&rep.token),
            Some(&json!({"installments": [
                {"due_date": first_due, "amount": "1390.00"},
                {"due_date": days[2].to_string(), "amount": "2000.00"}
            ]})),
            Some(&etag),
        )
        .await;
    assert_eq!(meanwhile.ok()["installments"].as_array().unwrap().len(), 2);
    b.click(By::id("plan-save")).await;
    b.find(By::css("#order-detail .failure")).await;
    b.wait_for_text(By::id("order-installments"), "¥1,390.00")
        .await;
    assert!(b.driver.find(By::id("plan-editor")).await.is_err());
    let (kept, _) = plan(&b.app, &rep, &order_id).await;
    assert_eq!(kept.len(), 2, "the plan saved meanwhile stands");

    // Once a payment is applied the plan is fixed: the screen says so instead of offering
    // the editor.
    let paid = b
        .app
        .post(
            "/api/v1/payments",
            &rep.token,
            &json!({"account_id": account, "amount": "100.00", "currency": "CNY",
                    "received_on": b.app.days_from_today(0), "method": "bank_transfer"}),
        )
        .await;
    assert_eq!(paid.ok()["allocations"].as_array().unwrap().len(), 1);
    b.open(&format!("/orders/{order_id}")).await;
    b.find(By::id("plan-locked")).await;
    assert!(b.driver.find(By::id("plan-edit")).await.is_err());
}
