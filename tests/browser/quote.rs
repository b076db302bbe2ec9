//! The quote builder: the totals on screen (priced in the browser by kedao-domain) are the
//! totals the server saves.

use std::sync::Arc;

use kedao_domain::access::Role;
use kedao_tests::actors::PASSWORD;

use crate::deals;
use crate::support::Browser;
use crate::webdriver::By;

/// `¥3,109.40` → `3109.40`.
fn plain(shown: &str) -> String {
    shown
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == '.' || *c == '-')
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn quote_totals_on_screen_equal_the_saved_ones_sqlite() {
    if let Some(browser) = Browser::start("quote").await {
        browser.run(quote_totals).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn quote_totals_on_screen_equal_the_saved_ones_postgres() {
    if let Some(browser) = Browser::start_postgres("quote-postgres").await {
        browser.run(quote_totals).await;
    }
}

async fn quote_totals(b: Arc<Browser>) {
    let rep = b.app.user(Role::Sales, None).await;
    let deal = deals::opportunity(&b.app, &rep, "恒达 数控机床").await;
    b.sign_in_at(
        &rep.email,
        PASSWORD,
        &format!("/opportunities/{deal}/quote"),
    )
    .await;

    b.fill("line-0-description", "数控机床 X5").await;
    b.fill("line-0-quantity", "2").await;
    b.fill("line-0-unit_price", "1499.99").await;
    b.fill("line-0-discount_percent", "12.5").await;
    b.click(By::id("add-line")).await;
    b.fill("line-1-description", "安装调试").await;
    b.fill("line-1-quantity", "3").await;
    b.fill("line-1-unit_price", "33.33").await;
    b.fill("line-1-tax_rate_percent", "6").await;
    // 2 × 1499.99 = 2999.98, −12.5 % = 374.9975 → 375.00; the rest by the same rule.
    b.wait_for_text(By::id("total-discount"), "¥375.00").await;
    let mut shown = Vec::new();
    for id in [
        "total-subtotal",
        "total-discount",
        "total-tax",
        "total-grand",
    ] {
        shown.push(plain(&b.find(By::id(id)).await.text().await.unwrap()));
    }

    b.click(By::id("save-quote")).await;
    let number = b.find(By::id("quote-number")).await.text().await.unwrap();
    let quotes = b.app.get("/api/v1/quotes", &rep.token).await;
    let quote = quotes.ok()["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["number"] == number.as_str())
        .unwrap()
        .clone();
    let saved: Vec<String> = ["subtotal", "discount", "tax", "grand_total"]
        .iter()
        .map(|f| quote[*f].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(shown, saved);
    assert_eq!(quote["lines"].as_array().unwrap().len(), 2);
}
