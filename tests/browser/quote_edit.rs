//! Changing a quote in the browser: a rep changes a draft's lines (a quantity, a line removed),
//! is refused a change to a draft someone else changed meanwhile, sends it, revises it, and
//! changes the new revision, with every revision listed.

use std::sync::Arc;

use kedao_domain::access::Role;
use kedao_tests::actors::PASSWORD;
use rust_decimal::Decimal;
use serde_json::json;

use crate::deals;
use crate::support::Browser;
use crate::webdriver::By;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rep_changes_a_draft_and_a_revision() {
    if let Some(browser) = Browser::start("quote-edit").await {
        browser.run(change_quote).await;
    }
}

async fn change_quote(b: Arc<Browser>) {
    let rep = b.app.user(Role::Sales, None).await;
    let deal = deals::opportunity(&b.app, &rep, "恒达 数控机床").await;
    let created = deals::draft_quote(
        &b.app,
        &rep,
        &deal,
        json!([
            {"description": "数控机床 X5", "quantity": "2", "unit_price": "1500.00", "tax_rate_percent": "13"},
            {"description": "安装调试", "quantity": "1", "unit_price": "800.00", "tax_rate_percent": "6"}
        ]),
    )
    .await;
    let id = created.ok()["id"].as_str().unwrap().to_owned();
    // 3,390.00 for the machines and 848.00 for the installation.
    assert_eq!(created.ok()["grand_total"], "4238.00");
    let path = format!("/api/v1/quotes/{id}");

    b.sign_in_at(&rep.email, PASSWORD, &format!("/quotes/{id}"))
        .await;
    b.wait_for_text(By::id("total-grand"), "¥4,238.00").await;
    b.click(By::id("quote-edit")).await;
    b.find(By::id("quote-edit-form")).await;
    // The editor starts from the saved lines and prices them again as they are changed.
    b.fill("line-0-quantity", "3").await;
    b.wait_for_text(By::id("total-grand"), "¥5,933.00").await;
    b.click(By::id("line-1-remove")).await;
    b.wait_for_text(By::id("total-grand"), "¥5,085.00").await;
    assert!(
        b.driver.find(By::id("line-0-remove")).await.is_err(),
        "the last line cannot be removed"
    );
    b.fill("edit-notes", "含运费").await;
    b.click(By::id("save-quote-edit")).await;
    b.wait_for_text(By::css("#quote-totals #total-grand"), "¥5,085.00")
        .await;
    assert!(b.driver.find(By::id("quote-edit-form")).await.is_err());
    let saved = b.app.get(&path, &rep.token).await;
    let saved_quote = saved.ok();
    assert_eq!(saved_quote["grand_total"], "5085.00");
    assert_eq!(saved_quote["lines"].as_array().unwrap().len(), 1);
    let quantity: Decimal = saved_quote["lines"][0]["quantity"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(quantity, Decimal::from(3));
    assert_eq!(saved_quote["notes"], "含运费");
    assert_eq!(saved_quote["status"], "draft");

    // Someone else changes the draft while the editor is open: saving is refused, the
    // refusal shows and the screen shows the quote as it now is.
    b.click(By::id("quote-edit")).await;
    b.fill("line-0-quantity", "4").await;
    let meanwhile = b
        .app
        .patch(
            &path,
            &rep.token,
            &saved.etag(),
            &json!({"lines": [{"description": "数控机床 X5", "quantity": "5", "unit_price": "1500.00", "tax_rate_percent": "13"}]}),
        )
        .await;
    assert_eq!(meanwhile.ok()["grand_total"], "8475.00");
    b.click(By::id("save-quote-edit")).await;
    b.find(By::css("#quote-detail .failure")).await;
    b.wait_for_text(By::css("#quote-totals #total-grand"), "¥8,475.00")
        .await;
    assert_eq!(
        b.app.get(&path, &rep.token).await.ok()["grand_total"],
        "8475.00"
    );

    // Sent, it can no longer be changed; revised, the new draft can.
    b.click(By::id("quote-send")).await;
    b.wait_for_text(By::id("quote-status"), "Sent").await;
    assert!(b.driver.find(By::id("quote-edit")).await.is_err());
    b.click(By::id("quote-revise")).await;
    b.wait_for_text(By::id("quote-detail"), " r2").await;
    b.wait_for_text(By::id("quote-status"), "Draft").await;
    b.find(By::css(
        "#quote-revisions li.revision[data-revision='1'][data-status='superseded']",
    ))
    .await;
    b.find(By::css(
        "#quote-revisions li.revision.current[data-revision='2']",
    ))
    .await;
    b.click(By::id("quote-edit")).await;
    b.fill("line-0-unit_price", "1400.00").await;
    b.click(By::id("save-quote-edit")).await;
    // 5 × 1,400.00 = 7,000.00, plus 13% VAT.
    b.wait_for_text(By::css("#quote-totals #total-grand"), "¥7,910.00")
        .await;
    let revisions = b.app.get(&format!("{path}/revisions"), &rep.token).await;
    let totals: Vec<&str> = revisions.ok()["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["grand_total"].as_str().unwrap())
        .collect();
    assert_eq!(
        totals,
        ["8475.00", "7910.00"],
        "the first revision is kept as it was"
    );
}
