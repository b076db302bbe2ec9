//! Sign-in throttling: too many failures for one account, or from one client address, within
//! the window get 429 `too-many-attempts` with `Retry-After` — even with the right password.
//! Every request here comes from 127.0.0.1, so one test is one client address.

use std::time::Duration;

use kedao_api::Settings;
use kedao_tests::actors::PASSWORD;
use kedao_tests::{Reply, TestApp, both};
use reqwest::Method;
use serde_json::json;
use uuid::Uuid;

const PER_ACCOUNT: u32 = 3;
const PER_ADDRESS: u32 = 8;
const WINDOW_SECS: u64 = 600;

/// Small limits, and a window no test outlives.
fn small_limits(s: &mut Settings) {
    s.login_max_failures_per_account = PER_ACCOUNT;
    s.login_max_failures_per_address = PER_ADDRESS;
    s.login_throttle_window_secs = WINDOW_SECS;
}

/// Two failures per account within two seconds.
fn short_window(s: &mut Settings) {
    s.login_max_failures_per_account = 2;
    s.login_max_failures_per_address = PER_ADDRESS;
    s.login_throttle_window_secs = 2;
}

async fn login(app: &TestApp, email: &str, password: &str) -> Reply {
    app.call(
        Method::POST,
        "/api/v1/auth/login",
        None,
        Some(&json!({"email": email, "password": password})),
        None,
    )
    .await
}

/// A wrong password gets today's answer: 401, not saying which of the two was wrong.
async fn fail(app: &TestApp, email: &str) {
    let reply = login(app, email, "wrong-password-123").await;
    let problem = reply.problem(401, "unauthorized");
    assert_eq!(problem["detail"], "wrong e-mail address or password");
    assert_eq!(reply.headers["www-authenticate"], "Bearer");
}

/// Asserts a 429 `too-many-attempts` and returns its `Retry-After` in seconds.
#[track_caller]
fn throttled(reply: &Reply, window_secs: u64) -> u64 {
    reply.problem(429, "too-many-attempts");
    let retry_after: u64 = reply
        .headers
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("no Retry-After in seconds: {:?}", reply.headers));
    assert!(
        (1..=window_secs).contains(&retry_after),
        "Retry-After {retry_after} outside 1..={window_secs}"
    );
    retry_after
}

fn nobody() -> String {
    format!("nobody-{}@kedao.test", Uuid::new_v4().simple())
}

async fn the_right_password_is_refused_after_too_many_failures(app: TestApp) {
    let rep = app.rep(None).await;
    for _ in 0..PER_ACCOUNT {
        fail(&app, &rep.email).await;
    }
    throttled(&login(&app, &rep.email, PASSWORD).await, WINDOW_SECS);
    // A wrong password is refused the same way now, and the e-mail's case does not matter.
    throttled(
        &login(&app, &rep.email.to_uppercase(), "wrong-password-123").await,
        WINDOW_SECS,
    );
    // The refusals were not counted; the table keeps a hash of the address, never the address.
    assert_eq!(
        app.count("login_attempts WHERE kind = 'account'").await,
        i64::from(PER_ACCOUNT)
    );
    assert_eq!(
        app.count("login_attempts WHERE key LIKE '%kedao.test%'")
            .await,
        0
    );
}

async fn another_account_from_the_same_client_is_not_blocked(app: TestApp) {
    let locked = app.rep(None).await;
    let other = app.rep(None).await;
    for _ in 0..PER_ACCOUNT {
        fail(&app, &locked.email).await;
    }
    throttled(&login(&app, &locked.email, PASSWORD).await, WINDOW_SECS);
    login(&app, &other.email, PASSWORD).await.ok();
    fail(&app, &other.email).await;
}

async fn one_address_spraying_many_accounts_is_blocked(app: TestApp) {
    let rep = app.rep(None).await;
    // One failure each for many accounts: no account reaches its limit, the address does.
    for _ in 0..PER_ADDRESS {
        fail(&app, &nobody()).await;
    }
    throttled(&login(&app, &rep.email, PASSWORD).await, WINDOW_SECS);
    throttled(
        &login(&app, &nobody(), "wrong-password-123").await,
        WINDOW_SECS,
    );
}

async fn a_successful_sign_in_clears_the_account_count(app: TestApp) {
    let rep = app.rep(None).await;
    for _ in 1..PER_ACCOUNT {
        fail(&app, &rep.email).await;
    }
    login(&app, &rep.email, PASSWORD).await.ok();
    // Counted from zero again: as many failures as before stay below the limit.
    for _ in 1..PER_ACCOUNT {
        fail(&app, &rep.email).await;
    }
    login(&app, &rep.email, PASSWORD).await.ok();
}

async fn after_the_window_the_right_password_works_and_clears_the_count(app: TestApp) {
    let rep = app.rep(None).await;
    fail(&app, &rep.email).await;
    fail(&app, &rep.email).await;
    let wait = throttled(&login(&app, &rep.email, PASSWORD).await, 2);
    // Waiting as long as `Retry-After` says is enough.
    tokio::time::sleep(Duration::from_secs(wait)).await;
    login(&app, &rep.email, PASSWORD).await.ok();
    assert_eq!(app.count("login_attempts WHERE kind = 'account'").await, 0);
}

async fn an_unknown_email_is_throttled_like_a_known_one(app: TestApp) {
    let known = app.rep(None).await.email;
    let mut answers = Vec::new();
    for email in [known, nobody()] {
        let mut statuses = Vec::new();
        for _ in 0..PER_ACCOUNT {
            let reply = login(&app, &email, "wrong-password-123").await;
            statuses.push((reply.status.as_u16(), reply.body["detail"].clone()));
        }
        let refused = login(&app, &email, PASSWORD).await;
        throttled(&refused, WINDOW_SECS);
        statuses.push((refused.status.as_u16(), refused.body["code"].clone()));
        answers.push(statuses);
    }
    assert_eq!(answers[0], answers[1]);
}

both!(the_right_password_is_refused_after_too_many_failures with small_limits);
both!(another_account_from_the_same_client_is_not_blocked with small_limits);
both!(one_address_spraying_many_accounts_is_blocked with small_limits);
both!(a_successful_sign_in_clears_the_account_count with small_limits);
both!(after_the_window_the_right_password_works_and_clears_the_count with short_window);
both!(an_unknown_email_is_throttled_like_a_known_one with small_limits);
