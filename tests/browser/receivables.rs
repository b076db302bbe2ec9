//! Receivables: record a partial payment and see what the customer owes go down, and the
//! dashboard's aging chart with it.

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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn voiding_a_payment_restores_what_is_owed() {
    if let Some(browser) = Browser::start("void-payment").await {
        seed_demo(&browser).await;
        browser.run(void_payment).await;
    }
}

/// Records ¥200 from the first CNY customer on the list, voids it, and sees the amount owed
/// as it was.
async fn void_payment(b: Arc<Browser>) {
    b.sign_in_at("finance@kedao.demo", DEMO_PASSWORD, "/receivables")
        .await;
    let row = b
        .find(By::css("#receivables-list tr[data-currency='CNY']"))
        .await;
    let account = row.attr("data-account").await.unwrap().unwrap();
    let row = By::css(format!("tr[data-account='{account}'][data-currency='CNY']"));
    let before = b
        .find(row.clone())
        .await
        .find(By::css("td.outstanding"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    b.find(row.clone())
        .await
        .find(By::css("button.record-payment"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    b.fill("field-amount", "200").await;
    b.click(By::id("save-payment")).await;
    b.wait_for_text(By::id("payment-recorded"), "¥200.00").await;
    let owed: Decimal = before
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == '.')
        .collect::<String>()
        .parse()
        .unwrap();
    let lowered = format!("¥{}", group(owed - Decimal::from(200)));
    b.wait_for_text(row.clone(), &lowered).await;
    b.click(By::id("void-payment")).await;
    b.wait_for_text(By::id("payment-recorded"), "Payment voided")
        .await;
    b.wait_for_text(row, &before).await;

    // The summary's CSV export: the browser is handed the server's file (a hook on
    // `URL.createObjectURL` reads the Blob the page saves, its byte-order mark kept).
    b.driver
        .execute(
            "window.exported = null; const make = URL.createObjectURL; \
             URL.createObjectURL = blob => { blob.arrayBuffer().then(b => { window.exported = \
             new TextDecoder('utf-8', { ignoreBOM: true }).decode(b); }); \
             return make.call(URL, blob); };",
            vec![],
        )
        .await
        .unwrap();
    b.click(By::id("receivables-export")).await;
    let mut csv = serde_json::Value::Null;
    for _ in 0..100 {
        csv = b
            .driver
            .execute("return window.exported;", vec![])
            .await
            .unwrap();
        if csv.is_string() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let csv = csv.as_str().unwrap_or_default();
    assert!(
        csv.starts_with("\u{feff}group_id,group_name,currency,outstanding,overdue\r\n"),
        "the export as saved: {csv:?}"
    );
    assert!(csv.contains(&format!("{account},")), "{account} in {csv}");
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

    // The dashboard's aging chart before the payment.
    b.sign_in_at("finance@kedao.demo", DEMO_PASSWORD, "/").await;
    let chart_before = cny_aging_bars(&b).await;
    b.click(By::id("nav-receivables")).await;
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
    // Where the server applied it: an installment of one of the customer's orders.
    b.find(By::css("#payment-allocations li.allocation a"))
        .await;

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

    // The aging chart drew the payment: its bars now hold ¥500 less in all, and at least one
    // bar changed.
    b.click(By::id("nav-dashboard")).await;
    let started = std::time::Instant::now();
    let chart_after = loop {
        let now = cny_aging_bars(&b).await;
        if now != chart_before || started.elapsed() > std::time::Duration::from_secs(20) {
            break now;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    };
    assert_ne!(chart_after, chart_before, "the aging chart did not change");
    let total = |bars: &[(Decimal, String)]| bars.iter().map(|(a, _)| *a).sum::<Decimal>();
    assert_eq!(
        total(&chart_before) - total(&chart_after),
        Decimal::from(500)
    );
}

/// The CNY aging chart's bars on the dashboard: each bucket's amount and drawn width.
async fn cny_aging_bars(b: &Browser) -> Vec<(Decimal, String)> {
    let chart = b
        .find(By::css("#aging-panel svg.aging-chart[data-currency='CNY']"))
        .await;
    let mut bars = Vec::new();
    for bar in chart.find_all(By::css("rect.bar")).await.unwrap() {
        let amount = bar.attr("data-amount").await.unwrap().unwrap();
        let width = bar.attr("width").await.unwrap().unwrap();
        bars.push((amount.parse().unwrap(), width));
    }
    assert_eq!(bars.len(), 5);
    bars
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
