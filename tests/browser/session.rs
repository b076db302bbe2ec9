//! Signing in and out, the language, and what happens when a session ends.

use kedao_domain::access::Role;
use kedao_tests::actors::PASSWORD;
use serde_json::json;

use crate::support::Browser;
use crate::webdriver::By;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_in_lands_where_the_user_was_going_and_sign_out_ends_it() {
    let Some(browser) = Browser::start("sign_in").await else {
        return;
    };
    browser
        .run(|b| async move {
            let rep = b.app.user(Role::Sales, None).await;
            b.open("/leads").await;
            // Not signed in: the sign-in screen, and a wrong password is refused.
            b.fill("email", &rep.email).await;
            b.fill("password", "not-the-password").await;
            b.click(By::id("sign-in")).await;
            b.wait_for_text(By::css(".failure"), "Wrong e-mail address or password")
                .await;

            b.sign_in(&rep.email, PASSWORD).await;
            b.wait_for_text(By::css("main h1"), "Leads").await;
            assert!(
                b.driver
                    .current_url()
                    .await
                    .unwrap()
                    .path()
                    .ends_with("/leads")
            );
            b.wait_for_text(By::id("current-user"), "Test sales").await;

            b.click(By::id("sign-out")).await;
            b.find(By::id("sign-in")).await;
            // Signed out for real: a reload does not bring the session back.
            b.open("/").await;
            b.find(By::id("sign-in")).await;
        })
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn switching_language_shows_chinese_labels() {
    let Some(browser) = Browser::start("language").await else {
        return;
    };
    browser
        .run(|b| async move {
            b.sign_in_as(Role::Sales, "/leads").await;
            // The browser asks for English.
            b.wait_for_text(By::id("nav-leads"), "Leads").await;
            b.click(By::css("#language option[value='zh-CN']")).await;
            b.wait_for_text(By::id("nav-leads"), "销售线索").await;
            b.wait_for_text(By::css("main h1"), "销售线索").await;
            b.wait_for_text(By::id("new-lead"), "新建线索").await;
            let lang = b.find(By::css("html")).await.attr("lang").await.unwrap();
            assert_eq!(lang.as_deref(), Some("zh-CN"));
            // Kept across a reload.
            b.open("/leads").await;
            b.wait_for_text(By::id("nav-dashboard"), "工作台").await;
        })
        .await;
}

/// Access tokens here live 3 s: the app renews them silently; once the session is revoked,
/// the next renewal fails, the sign-in screen shows, and signing in returns to the screen.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_ended_session_signs_in_again_and_returns() {
    let Some(browser) = Browser::start_with("session_end", |s| s.access_token_ttl_secs = 3).await
    else {
        return;
    };
    browser
        .run(|b| async move {
            let rep = b.sign_in_as(Role::Sales, "/leads/new").await;
            b.find(By::id("lead-form")).await;

            // Outlive two access tokens: still signed in, and requests still work.
            tokio::time::sleep(std::time::Duration::from_secs(4)).await;
            b.click(By::id("nav-leads")).await;
            b.wait_for_text(By::css(".empty"), "No leads match").await;
            b.click(By::id("new-lead")).await;
            b.find(By::id("lead-form")).await;

            // Revoke the session behind the app's back.
            let stored = b
                .driver
                .execute("return sessionStorage.getItem('kedao.session');", vec![])
                .await
                .unwrap();
            let stored: serde_json::Value = serde_json::from_str(stored.as_str().unwrap()).unwrap();
            let refresh = stored["refresh_token"].as_str().unwrap();
            let reply = b
                .app
                .call(
                    reqwest::Method::POST,
                    "/api/v1/auth/logout",
                    None,
                    Some(&json!({"refresh_token": refresh})),
                    None,
                )
                .await;
            assert_eq!(reply.status.as_u16(), 204, "{}", reply.text);

            // The next renewal fails: sign in again, and land back on the form.
            b.find(By::id("sign-in")).await;
            assert!(
                b.driver
                    .current_url()
                    .await
                    .unwrap()
                    .as_str()
                    .contains("next=")
            );
            b.sign_in(&rep.email, PASSWORD).await;
            b.find(By::id("lead-form")).await;
            assert!(
                b.driver
                    .current_url()
                    .await
                    .unwrap()
                    .path()
                    .ends_with("/leads/new")
            );
        })
        .await;
}
