//! The layout at phone width: nothing wider than the screen, lists folded into blocks.

use kedao_api::seed::DEMO_PASSWORD;

use crate::support::Browser;
use crate::webdriver::By;

/// Whether the page scrolls sideways (wider than the window).
async fn overflows(b: &Browser) -> bool {
    let widths = b
        .driver
        .execute(
            "return [document.documentElement.scrollWidth, window.innerWidth];",
            vec![],
        )
        .await
        .unwrap();
    widths[0].as_f64().unwrap() > widths[1].as_f64().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn screens_fit_a_phone() {
    let Some(browser) = Browser::start("phone").await else {
        return;
    };
    let db = browser.app.db().await;
    kedao_api::seed::seed_if_empty(&db).await.unwrap();
    db.close().await.unwrap();
    browser
        .run(|b| async move {
            b.resize(390, 844).await;
            b.open("/leads").await;
            b.sign_in("admin@kedao.demo", DEMO_PASSWORD).await;
            b.find(By::css("#lead-list tbody tr")).await;
            assert!(!overflows(&b).await, "the lead list is wider than a phone");
            // The table's header row is hidden; each cell carries its own label.
            let header = b.find(By::css("#lead-list thead")).await;
            assert!(!header.is_displayed().await.unwrap());

            b.open("/").await;
            b.find(By::id("funnel-chart")).await;
            assert!(!overflows(&b).await, "the dashboard is wider than a phone");
            b.open("/receivables").await;
            b.find(By::id("receivables-list")).await;
            assert!(
                !overflows(&b).await,
                "the receivables are wider than a phone"
            );
        })
        .await;
}
