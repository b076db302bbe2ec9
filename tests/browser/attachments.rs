//! Attachments on a customer's 360 view: a chosen file uploads (with progress) and is listed
//! with its sniffed type and downloads under its name; a file the server refuses shows the
//! server's reason, and nothing is listed for it.

use std::sync::Arc;

use kedao_domain::access::Role;
use serde_json::json;

use crate::support::Browser;
use crate::webdriver::By;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_uploaded_file_is_listed_and_a_refused_one_says_why() {
    if let Some(browser) = Browser::start("attachments").await {
        browser.run(attachments).await;
    }
}

async fn attachments(b: Arc<Browser>) {
    let rep = b.app.user(Role::Sales, None).await;
    let made = b
        .app
        .post(
            "/api/v1/accounts",
            &rep.token,
            &json!({"name": "南通海晟纺织有限公司", "customer_type": "key"}),
        )
        .await;
    let account = made.ok()["id"].as_str().unwrap().to_owned();
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("交期.csv");
    std::fs::write(&csv, "sku,qty\nA-100,20\nB-200,5\n").unwrap();
    let program = dir.path().join("offer.pdf");
    std::fs::write(&program, b"MZ\x90\0\x03\0\0\0\x04\0").unwrap();

    b.sign_in_at(
        &rep.email,
        kedao_tests::actors::PASSWORD,
        &format!("/accounts/{account}"),
    )
    .await;
    b.find(By::id("attachment-file"))
        .await
        .send_keys(csv.to_str().unwrap())
        .await
        .unwrap();
    let listed = b.wait_for_text(By::id("attachment-list"), "交期.csv").await;
    assert!(listed.contains("text/csv"), "{listed}");

    // Download: the app fetches the bytes with the session and saves them under the file's
    // name. The page's saving link is watched instead of letting headless Chromium save.
    b.driver
        .execute(
            "window.__saved = null;
             HTMLAnchorElement.prototype.click = function () {
                 const name = this.download;
                 fetch(this.href).then(r => r.text()).then(t => { window.__saved = [name, t]; });
             };",
            vec![],
        )
        .await
        .unwrap();
    b.click(By::css("#attachment-list li.attachment button.download"))
        .await;
    let started = std::time::Instant::now();
    let saved = loop {
        assert!(
            started.elapsed() < std::time::Duration::from_secs(10),
            "the download was not saved"
        );
        let saved = b
            .driver
            .execute("return window.__saved;", vec![])
            .await
            .unwrap();
        if !saved.is_null() {
            break saved;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    };
    assert_eq!(saved[0], "交期.csv");
    assert_eq!(saved[1], "sku,qty\nA-100,20\nB-200,5\n");

    // A program dressed as a PDF: refused by its bytes, with the server's words.
    b.find(By::id("attachment-file"))
        .await
        .send_keys(program.to_str().unwrap())
        .await
        .unwrap();
    b.wait_for_text(By::id("attachment-failure"), "application/x-msdownload")
        .await;
    let items = b
        .driver
        .find_all(By::css("#attachment-list li.attachment"))
        .await
        .unwrap();
    assert_eq!(items.len(), 1);
}
