//! Receivables: record a partial payment and see what the customer owes go down.

use std::sync::Arc;

use kedao_api::seed::DEMO_PASSWORD;
use rust_decimal::Decimal;

use crate::support::Browser;
use crate::webdriver::By;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_partial_payment_lowers_the_outstanding_amount_sqlite() {
    if let Some(browser) = Browser::start("payment").await {
        seed_demo(&browser).await;
        browser.run(partial_payment).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_partial_payment_lowers_the_outstanding_amount_postgres() {
    if let Some(browser) = Browser::start_postgres("payment-postgres").await {
        seed_demo(&browser).await;
        browser.run(partial_payment).await;
    }
}

/// The demo data (outside the spawned body: the seeding future is not `Send`).
async fn seed_demo(browser: &Browser) {
    let db = browser.app.db().await;
    kedao_api::seed::seed_if_empty(&db).await.unwrap();
    db.close().await.unwrap();
}

async fn partial_payment(b: Arc<Browser>) {
    let finance = b
        .app
        .sign_in_with("finance@kedao.demo", DEMO_PASSWORD)
        .await;
    let outstanding = |body: &serde_json::Value, account: &str| -> Decimal {
        body["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["group_id"] == account && r["currency"] == "CNY")
            .map(|r| r["outstanding"].as_str().unwrap().parse().unwrap())
            .unwrap()
    };
    let summary = b
        .app
        .get(
            "/api/v1/receivables/summary?group_by=account&limit=50",
            &finance.token,
        )
        .await;
    let account = summary.ok()["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| {
            r["currency"] == "CNY"
                && r["group_id"].is_string()
                && r["outstanding"]
                    .as_str()
                    .unwrap()
                    .parse::<Decimal>()
                    .unwrap()
                    > Decimal::from(1000)
        })
        .expect("the demo has a customer owing more than ¥1,000")["group_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let before = outstanding(summary.ok(), &account);

    b.open("/receivables").await;
    b.sign_in("finance@kedao.demo", DEMO_PASSWORD).await;
    let row = By::css(format!("tr[data-account='{account}'][data-currency='CNY']"));
    b.find(row.clone())
        .await
        .find(By::css("button.record-payment"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    b.fill("field-amount", "500.00").await;
    b.click(By::id("save-payment")).await;
    b.wait_for_text(By::id("payment-recorded"), "¥500.00").await;

    let after = before - Decimal::from(500);
    let expected = format!("¥{}", group(after));
    b.wait_for_text(row.clone(), &expected).await;
    let summary = b
        .app
        .get(
            "/api/v1/receivables/summary?group_by=account&limit=50",
            &finance.token,
        )
        .await;
    assert_eq!(outstanding(summary.ok(), &account), after);
}

/// `12345.6` → `12,345.60`.
fn group(amount: Decimal) -> String {
    let text = format!("{:.2}", amount);
    let (whole, fraction) = text.split_once('.').unwrap();
    let mut out = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    format!("{out}.{fraction}")
}
