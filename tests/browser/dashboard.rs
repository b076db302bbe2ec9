//! The dashboard over the demo data: the funnel, aging and forecast charts say what the API
//! says.

use kedao_api::seed::DEMO_PASSWORD;
use rust_decimal::Decimal;

use crate::support::Browser;
use crate::webdriver::By;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dashboard_charts_match_the_api() {
    let Some(browser) = Browser::start("dashboard").await else {
        return;
    };
    // Seeded here, outside the spawned body (the seeding future is not `Send`).
    let db = browser.app.db().await;
    kedao_api::seed::seed_if_empty(&db).await.unwrap();
    db.close().await.unwrap();
    browser
        .run(|b| async move {
            let admin = b.app.sign_in_with("admin@kedao.demo", DEMO_PASSWORD).await;

            b.sign_in_at("admin@kedao.demo", DEMO_PASSWORD, "/").await;
            b.find(By::id("funnel-chart")).await;

            let funnel = b.app.get("/api/v1/funnel", &admin.token).await;
            let expected: Vec<String> = funnel.ok()["stages"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| s["count"].to_string())
                .collect();
            assert!(expected.iter().any(|c| c != "0"), "the demo has deals");
            let mut shown = Vec::new();
            for stage in b
                .driver
                .find_all(By::css("#funnel-chart g.stage"))
                .await
                .unwrap()
            {
                shown.push(stage.attr("data-count").await.unwrap().unwrap());
            }
            assert_eq!(shown, expected);

            // Receivables by age: a chart per currency, five bars each.
            let aging = b.find(By::css("#aging-panel svg.aging-chart")).await;
            let bars = aging.find_all(By::css("rect.bar")).await.unwrap();
            assert_eq!(bars.len(), 5);
            let caption = b
                .find(By::css("#aging-panel figcaption"))
                .await
                .text()
                .await
                .unwrap();
            assert!(caption.starts_with("CNY ¥"), "{caption}");

            // The forecast: every open CNY deal's weighted amount, in some month's bar.
            let mut weighted = Decimal::ZERO;
            let mut cursor = String::new();
            loop {
                let page = b
                    .app
                    .get(
                        &format!("/api/v1/opportunities?status=open&limit=200{cursor}"),
                        &admin.token,
                    )
                    .await;
                for deal in page.ok()["items"].as_array().unwrap() {
                    if deal["currency"] == "CNY" {
                        weighted += deal["weighted_amount"]
                            .as_str()
                            .unwrap()
                            .parse::<Decimal>()
                            .unwrap();
                    }
                }
                match page.ok()["next_cursor"].as_str() {
                    Some(next) => cursor = format!("&cursor={next}"),
                    None => break,
                }
            }
            let chart = b
                .find(By::css(
                    "#forecast-panel svg.forecast-chart[data-currency='CNY']",
                ))
                .await;
            let mut charted = Decimal::ZERO;
            for month in chart.find_all(By::css("g.month")).await.unwrap() {
                let amount = month.attr("data-amount").await.unwrap().unwrap();
                charted += amount.parse::<Decimal>().unwrap();
                assert!(month.find(By::css("rect.bar")).await.is_ok());
            }
            assert!(weighted > Decimal::ZERO, "the demo has open deals");
            assert_eq!(charted, weighted);

            // The overdue list, or its empty state.
            let overdue = b
                .app
                .get("/api/v1/receivables/overdue?limit=10", &admin.token)
                .await;
            let count = overdue.ok()["items"].as_array().unwrap().len();
            if count == 0 {
                b.wait_for_text(By::css("#overdue-panel .empty"), "Nothing is overdue")
                    .await;
            } else {
                let rows = b
                    .find(By::id("overdue-list"))
                    .await
                    .find_all(By::css("tbody tr"))
                    .await
                    .unwrap();
                assert_eq!(rows.len(), count);
                // Each row names who owes.
                let first = overdue.ok()["items"][0]["account_name"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned();
                assert!(!first.is_empty());
                b.wait_for_text(By::css("#overdue-list tbody tr .overdue-account"), &first)
                    .await;
            }
        })
        .await;
}
