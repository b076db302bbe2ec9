//! A customer's payments in the browser: finance records one with the bank's reference, aimed
//! at the order the customer says it pays for, finds it among the customer's payments on the
//! 360 view, and voids an earlier one recorded by mistake, which gives back exactly what it had
//! paid.

use std::sync::Arc;

use kedao_domain::access::Role;
use serde_json::json;

use crate::payment_plan::{account, order};
use crate::support::Browser;
use crate::webdriver::By;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn finance_finds_and_voids_an_earlier_payment() {
    if let Some(browser) = Browser::start("account-payments").await {
        browser.run(void_earlier).await;
    }
}

async fn void_earlier(b: Arc<Browser>) {
    let rep = b.app.user(Role::Sales, None).await;
    let customer = account(&b.app, &rep).await;
    let sold = order(&b.app, &rep, &customer).await;
    let plan_path = format!("/api/v1/orders/{}/plan", sold["id"].as_str().unwrap());
    let second = order(&b.app, &rep, &customer).await;
    let second_id = second["id"].as_str().unwrap().to_owned();
    let second_plan = format!("/api/v1/orders/{second_id}/plan");
    let finance = b.app.user(Role::Finance, None).await;
    let mistaken = b
        .app
        .post(
            "/api/v1/payments",
            &finance.token,
            &json!({"account_id": customer, "amount": "1000.00", "currency": "CNY",
                    "received_on": b.app.days_from_today(-2), "method": "bank_transfer",
                    "reference": "BANK-0001", "order_id": sold["id"]}),
        )
        .await;
    let mistaken = mistaken.ok()["id"].as_str().unwrap().to_owned();

    // Recorded in the browser, with the bank's reference.
    b.sign_in_at(
        &finance.email,
        kedao_tests::actors::PASSWORD,
        "/receivables",
    )
    .await;
    let row = By::css(format!(
        "#receivables-list tr[data-account='{customer}'] button.record-payment"
    ));
    b.click(row).await;
    b.fill("field-amount", "500.00").await;
    b.fill("field-reference", "BANK-0002").await;
    // The customer says it pays for the second order.
    let aim = b
        .find(By::css(format!(
            "#field-order_id option[value='{second_id}']"
        )))
        .await;
    assert!(
        aim.text()
            .await
            .unwrap()
            .contains(second["number"].as_str().unwrap())
    );
    aim.click().await.unwrap();
    b.click(By::id("save-payment")).await;
    b.wait_for_text(By::id("payment-recorded"), "¥500.00").await;
    b.find(By::css(format!(
        "#payment-allocations li.allocation[data-order='{second_id}']"
    )))
    .await;
    let first_paid = b.app.get(&plan_path, &finance.token).await;
    assert_eq!(first_paid.ok()["installments"][0]["paid"], "1000.00");
    let second_paid = b.app.get(&second_plan, &finance.token).await;
    assert_eq!(second_paid.ok()["installments"][0]["paid"], "500.00");

    // Both on the customer's 360 view, newest first.
    b.open(&format!("/accounts/{customer}")).await;
    let list = b.wait_for_text(By::id("payment-list"), "BANK-0002").await;
    assert!(
        list.contains("BANK-0001") && list.contains("¥1,000.00"),
        "{list}"
    );
    let rows = b
        .driver
        .find_all(By::css("#payment-list tr.payment"))
        .await
        .unwrap();
    assert_eq!(rows.len(), 2);
    assert!(rows[0].text().await.unwrap().contains("BANK-0002"));

    // The mistaken one opens, shows where it went, and is voided.
    let mistaken_row = format!("#payment-list tr.payment[data-payment='{mistaken}']");
    b.click(By::css(format!("{mistaken_row} button.open-payment")))
        .await;
    b.find(By::css("#payment-allocations li.allocation")).await;
    b.click(By::id("void-payment")).await;
    b.wait_for_text(By::id("payment-recorded"), "voided").await;
    b.find(By::css(format!("{mistaken_row}.voided"))).await;
    let voided = b
        .app
        .get(&format!("/api/v1/payments/{mistaken}"), &finance.token)
        .await;
    assert!(voided.ok()["voided_at"].is_string());
    let after = b.app.get(&plan_path, &finance.token).await;
    assert_eq!(
        after.ok()["installments"][0]["paid"],
        "0.00",
        "the voided payment's 1,000.00 was given back"
    );
    let untouched = b.app.get(&second_plan, &finance.token).await;
    assert_eq!(untouched.ok()["installments"][0]["paid"], "500.00");
}
