//! Administration: an admin creates a user (a bad password shows its error beside the field),
//! deactivates them, and adds a stage to a pipeline and moves it.

use std::sync::Arc;

use kedao_domain::access::Role;

use crate::support::Browser;
use crate::webdriver::By;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_manages_users_and_stages() {
    if let Some(browser) = Browser::start("admin").await {
        browser.run(manage).await;
    }
}

async fn manage(b: Arc<Browser>) {
    let admin = b.sign_in_as(Role::Admin, "/admin/users").await;
    b.find(By::id("user-list")).await;

    b.fill("field-email", "zhao.min@kedao.test").await;
    b.fill("field-display_name", "赵敏").await;
    b.fill("field-password", "short").await;
    b.click(By::id("create-user")).await;
    b.find(By::id("error-password")).await;

    b.fill("field-password", "a-long-enough-password").await;
    b.click(By::id("create-user")).await;
    b.wait_for_text(By::id("user-list"), "赵敏").await;
    let users = b.app.get("/api/v1/users?q=zhao.min", &admin.token).await;
    let user = users.ok()["items"][0].clone();
    let id = user["id"].as_str().unwrap().to_owned();
    assert_eq!(user["role"], "sales");

    let row = By::css(format!("#user-list tr[data-user='{id}']"));
    b.find(row.clone())
        .await
        .find(By::css("button.toggle-active"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    b.find(By::css(format!("#user-list tr.inactive[data-user='{id}']")))
        .await;
    let after = b
        .app
        .get(&format!("/api/v1/users/{id}"), &admin.token)
        .await;
    assert_eq!(after.ok()["active"], false);

    // A new stage goes before won and lost; moving it up puts it one place earlier.
    b.click(By::id("nav-admin-pipelines")).await;
    let card = b.find(By::css("article.pipeline")).await;
    let pipeline = card.attr("data-pipeline").await.unwrap().unwrap();
    let input = card.find(By::css("input.new-stage")).await.unwrap();
    input.send_keys("现场演示").await.unwrap();
    card.find(By::css("form button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let stage_names = || async {
        let p = b
            .app
            .get(&format!("/api/v1/pipelines/{pipeline}"), &admin.token)
            .await;
        p.ok()["stages"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["name"].as_str().unwrap().to_owned())
            .collect::<Vec<_>>()
    };
    let started = std::time::Instant::now();
    while !stage_names().await.contains(&"现场演示".to_owned()) {
        assert!(started.elapsed().as_secs() < 20, "the stage was not added");
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    let before = stage_names().await;
    let at = before.iter().position(|n| n == "现场演示").unwrap();
    let new_stage = By::css(format!(
        "article.pipeline[data-pipeline='{pipeline}'] li.stage:nth-child({})",
        at + 1
    ));
    b.find(new_stage.clone())
        .await
        .find(By::css("button.move-up"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let started = std::time::Instant::now();
    loop {
        let now = stage_names().await;
        if now.iter().position(|n| n == "现场演示") == Some(at - 1) {
            break;
        }
        assert!(started.elapsed().as_secs() < 20, "not moved: {now:?}");
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
}
