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
            b.sign_in_at("admin@kedao.demo", DEMO_PASSWORD, "/leads")
                .await;
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

            // The screens reached from the menu, which folds away on a phone.
            let menu = b.find(By::id("menu-toggle")).await;
            assert!(menu.is_displayed().await.unwrap());
            assert!(
                !b.find(By::id("nav-accounts"))
                    .await
                    .is_displayed()
                    .await
                    .unwrap()
            );
            menu.click().await.unwrap();
            b.click(By::id("nav-accounts")).await;
            b.find(By::css("#account-list tbody tr")).await;
            assert!(
                !overflows(&b).await,
                "the customer list is wider than a phone"
            );
            assert!(
                !b.find(By::id("nav-accounts"))
                    .await
                    .is_displayed()
                    .await
                    .unwrap()
            );

            let admin = b.app.sign_in_with("admin@kedao.demo", DEMO_PASSWORD).await;
            let first = |path: &'static str| {
                let (app, token) = (&b.app, admin.token.clone());
                async move {
                    let page = app.get(path, &token).await;
                    page.ok()["items"][0]["id"].as_str().unwrap().to_owned()
                }
            };
            let order = first("/api/v1/orders?limit=1").await;
            let quote = first("/api/v1/quotes?limit=1").await;
            // The demo customer with the most going on: the one the first order is for.
            let orders = b
                .app
                .get(&format!("/api/v1/orders/{order}"), &admin.token)
                .await;
            let account = orders.ok()["account_id"].as_str().unwrap().to_owned();
            for (path, shown) in [
                (format!("/accounts/{account}"), "account-timeline"),
                ("/orders".to_owned(), "order-list"),
                ("/products".to_owned(), "product-list"),
                (format!("/orders/{order}"), "order-timeline"),
                (format!("/quotes/{quote}"), "quote-totals"),
                (format!("/accounts/{account}/statement"), "statement-period"),
                (format!("/accounts/{account}/order"), "order-form"),
                ("/admin/users".to_owned(), "user-list"),
                ("/admin/pipelines".to_owned(), "new-pipeline"),
            ] {
                b.open(&path).await;
                b.find(By::id(shown)).await;
                // Let the sections that load on their own arrive.
                tokio::time::sleep(std::time::Duration::from_millis(500)).await;
                assert!(!overflows(&b).await, "{path} is wider than a phone");
            }
        })
        .await;
}
