//! Leads: create, the server's field errors beside the fields, convert, the list's filters.

use kedao_domain::access::Role;
use kedao_tests::actors::PASSWORD;

use crate::support::Browser;
use crate::webdriver::By;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn create_a_lead_and_convert_it() {
    let Some(browser) = Browser::start("lead_convert").await else {
        return;
    };
    browser
        .run(|b| async move {
            let rep = b.sign_in_as(Role::Sales, "/").await;
            b.click(By::id("nav-leads")).await;
            b.click(By::id("new-lead")).await;
            b.fill("field-name", "李雷").await;
            b.fill("field-company", "杭州云杉制造有限公司").await;
            b.fill("field-score", "60").await;
            b.click(By::id("save-lead")).await;

            b.wait_for_text(By::id("lead-name"), "李雷").await;
            b.wait_for_text(By::id("lead-status"), "New").await;
            let url = b.driver.current_url().await.unwrap();
            let id = url.path().rsplit('/').next().unwrap().to_owned();

            b.fill("field-amount", "480000.00").await;
            // Chromium's date input takes the digits in the locale's order (en-US: m/d/y).
            b.fill("field-expected_close_date", "03312027").await;
            b.click(By::id("convert")).await;
            b.wait_for_text(By::id("conversion-result"), "New account")
                .await;
            b.wait_for_text(By::id("created-opportunity"), "New opportunity")
                .await;
            b.wait_for_text(By::id("lead-status"), "Qualified").await;

            // What the screen says is what the server holds.
            let lead = b.app.get(&format!("/api/v1/leads/{id}"), &rep.token).await;
            let lead = lead.ok();
            assert_eq!(lead["status"], "qualified");
            let opportunity_id = lead["conversion"]["opportunity_id"].as_str().unwrap();
            let shown = b
                .find(By::css("#created-opportunity code"))
                .await
                .text()
                .await
                .unwrap();
            assert_eq!(shown, opportunity_id);
            let opportunity = b
                .app
                .get(
                    &format!("/api/v1/opportunities/{opportunity_id}"),
                    &rep.token,
                )
                .await;
            assert_eq!(opportunity.ok()["amount"], "480000.00");
            assert_eq!(opportunity.ok()["expected_close_date"], "2027-03-31");
        })
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bad_field_shows_its_error_next_to_it() {
    let Some(browser) = Browser::start("lead_field_error").await else {
        return;
    };
    browser
        .run(|b| async move {
            let rep = b.sign_in_as(Role::Sales, "/leads/new").await;
            // A blank name: the server refuses it, and says so beside the name.
            b.fill("field-company", "无名公司").await;
            b.click(By::id("save-lead")).await;
            b.find(By::id("error-name")).await;
            b.wait_for_text(By::css(".failure"), "Some fields need attention")
                .await;
            let class = b.find(By::css(".field.invalid #field-name")).await;
            assert!(class.is_displayed().await.unwrap());
            // A score that is no number is caught before sending.
            b.fill("field-name", "韩梅梅").await;
            b.fill("field-score", "abc").await;
            b.click(By::id("save-lead")).await;
            b.wait_for_text(By::id("error-score"), "Enter a number")
                .await;
            assert!(b.driver.find(By::id("error-name")).await.is_err());

            let list = b.app.get("/api/v1/leads", &rep.token).await;
            assert_eq!(
                list.ok()["items"].as_array().unwrap().len(),
                0,
                "nothing was created"
            );
        })
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_list_filters_searches_and_pages() {
    let Some(browser) = Browser::start("lead_list").await else {
        return;
    };
    browser
        .run(|b| async move {
            let rep = b.app.user(Role::Sales, None).await;
            // 30 leads: more than one page of 25; one of them is being worked.
            for i in 0..30 {
                let name = if i == 7 {
                    "欧阳娜娜".to_owned()
                } else {
                    format!("客户{i:02}")
                };
                let created = b
                    .app
                    .post(
                        "/api/v1/leads",
                        &rep.token,
                        &serde_json::json!({"name": name, "source": "web"}),
                    )
                    .await;
                if i == 7 {
                    let id = created.ok()["id"].as_str().unwrap().to_owned();
                    let etag = created.etag();
                    b.app
                        .patch(
                            &format!("/api/v1/leads/{id}"),
                            &rep.token,
                            &etag,
                            &serde_json::json!({"status": "working"}),
                        )
                        .await
                        .ok();
                }
            }
            b.sign_in_at(&rep.email, PASSWORD, "/leads").await;
            let rows = |b: std::sync::Arc<Browser>| async move {
                b.driver
                    .find_all(By::css("#lead-list tbody tr"))
                    .await
                    .unwrap()
                    .len()
            };
            b.find(By::id("more")).await;
            assert_eq!(rows(b.clone()).await, 25);
            b.click(By::id("more")).await;
            b.wait_for_text(By::id("lead-list"), "客户00").await;
            assert_eq!(rows(b.clone()).await, 30);
            assert!(
                b.driver.find(By::id("more")).await.is_err(),
                "no more pages"
            );

            b.click(By::css("#status-filter option[value='working']"))
                .await;
            b.wait_for_text(By::id("lead-list"), "欧阳娜娜").await;
            assert_eq!(rows(b.clone()).await, 1);

            b.click(By::css("#status-filter option[value='']")).await;
            b.fill("search", "客户1").await;
            b.click(By::css(".filters button[type=submit]")).await;
            // 客户10 … 客户19.
            let started = std::time::Instant::now();
            while rows(b.clone()).await != 10 {
                assert!(
                    started.elapsed().as_secs() < 20,
                    "search did not narrow the list"
                );
                tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            }

            b.fill("search", "没有这个人").await;
            b.click(By::css(".filters button[type=submit]")).await;
            b.wait_for_text(By::css(".empty"), "No leads match").await;
        })
        .await;
}
