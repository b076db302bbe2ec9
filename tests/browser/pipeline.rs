//! The pipeline board: drag a deal to the next stage; a stale move is refused and shown.

use std::sync::Arc;
use std::time::{Duration, Instant};

use kedao_domain::access::Role;
use kedao_tests::actors::PASSWORD;
use serde_json::json;

use crate::deals;
use crate::support::Browser;
use crate::webdriver::By;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn drag_a_deal_to_the_next_stage_and_see_a_stale_move_refused_sqlite() {
    if let Some(browser) = Browser::start("pipeline").await {
        browser.run(drag_and_stale_move).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn drag_a_deal_to_the_next_stage_and_see_a_stale_move_refused_postgres() {
    if let Some(browser) = Browser::start_postgres("pipeline-postgres").await {
        browser.run(drag_and_stale_move).await;
    }
}

async fn drag_and_stale_move(b: Arc<Browser>) {
    let rep = b.app.user(Role::Sales, None).await;
    let deal = deals::opportunity(&b.app, &rep, "云杉 产线升级").await;
    let stages = deals::stages(&b.app, &rep.token).await;
    b.sign_in_at(&rep.email, PASSWORD, "/pipeline").await;

    let card_css = format!(".deal[data-id='{deal}']");
    let column = |stage: &str| By::css(format!(".column[data-stage='{stage}']"));
    b.wait_for_text(column(&stages[0]), "云杉 产线升级").await;

    // Drag to the next stage: the server records the move.
    let card = b.find(By::css(&card_css)).await;
    let next = b.find(column(&stages[1])).await;
    b.drag(&card, &next).await;
    b.wait_for_text(column(&stages[1]), "云杉 产线升级").await;
    let started = Instant::now();
    loop {
        let now = b
            .app
            .get(&format!("/api/v1/opportunities/{deal}"), &rep.token)
            .await;
        if now.ok()["stage_id"] == stages[1].as_str() {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "the move never reached the server"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    // Someone else changes the deal; the board still holds the old version.
    let current = b
        .app
        .get(&format!("/api/v1/opportunities/{deal}"), &rep.token)
        .await;
    b.app
        .patch(
            &format!("/api/v1/opportunities/{deal}"),
            &rep.token,
            &current.etag(),
            &json!({"title": "云杉 产线升级（改）"}),
        )
        .await
        .ok();
    let card = b.find(By::css(&card_css)).await;
    let later = b.find(column(&stages[2])).await;
    b.drag(&card, &later).await;
    b.wait_for_text(By::css(".failure"), "Someone else changed this record")
        .await;
    // Not moved, and the board shows the deal as it now is.
    b.wait_for_text(column(&stages[1]), "云杉 产线升级（改）")
        .await;
    let now = b
        .app
        .get(&format!("/api/v1/opportunities/{deal}"), &rep.token)
        .await;
    assert_eq!(now.ok()["stage_id"], stages[1].as_str());
}
