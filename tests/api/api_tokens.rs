//! Integration API tokens: shown once, scoped, bounded by the creator's role, revocable at
//! once, rotatable, and rate-limited.

use kedao_api::Settings;
use kedao_domain::access::Role;
use kedao_tests::{Actor, TestApp, both};
use reqwest::Method;
use serde_json::{Value, json};

/// Creates an API token as `creator` with these scopes; returns (token, its row as shown).
pub async fn api_token(app: &TestApp, creator: &Actor, scopes: &[&str]) -> (String, Value) {
    let reply = app
        .post(
            "/api/v1/api-tokens",
            &creator.token,
            &json!({"name": "integration", "scopes": scopes}),
        )
        .await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    let token = reply.body["token"].as_str().unwrap().to_owned();
    (token, reply.body["api_token"].clone())
}

fn lead() -> Value {
    json!({"name": "王伟", "company": "苏州精工机械有限公司", "source": "web"})
}

async fn tokens_are_shown_once_and_revocation_is_immediate(app: TestApp) {
    let admin = app.admin().await;
    let (token, row) = api_token(&app, &admin, &["leads:read", "orders:read"]).await;
    assert_eq!(row["scopes"], json!(["leads:read", "orders:read"]));
    assert_eq!(row["created_by"], admin.id.to_string());
    assert!(row["revoked_at"].is_null());
    assert_eq!(app.get("/api/v1/leads", &token).await.status, 200);

    let id = row["id"].as_str().unwrap();
    let listed = app.get("/api/v1/api-tokens", &admin.token).await;
    assert_eq!(listed.ok()["items"][0]["id"], id);
    let one = app
        .get(&format!("/api/v1/api-tokens/{id}"), &admin.token)
        .await;
    assert!(one.ok()["last_used_at"].is_string(), "{}", one.text);
    for reply in [&listed, &one] {
        assert!(!reply.text.contains(&token), "the value is shown again");
        assert!(!reply.text.contains(token.split('.').nth(2).unwrap()));
    }

    let revoked = app
        .post(
            &format!("/api/v1/api-tokens/{id}/revoke"),
            &admin.token,
            &json!({}),
        )
        .await;
    assert!(revoked.ok()["revoked_at"].is_string());
    let refused = app.get("/api/v1/leads", &token).await;
    refused.problem(401, "unauthorized");
    assert!(refused.body["detail"].as_str().unwrap().contains("revoked"));
    // Revoking again changes nothing; live and revoked tokens are listed apart.
    let again = app
        .post(
            &format!("/api/v1/api-tokens/{id}/revoke"),
            &admin.token,
            &json!({}),
        )
        .await;
    assert_eq!(again.ok()["revoked_at"], revoked.body["revoked_at"]);
    let live = app
        .get("/api/v1/api-tokens?revoked=false", &admin.token)
        .await;
    assert_eq!(live.ok()["items"], json!([]));
}

async fn rotation_replaces_the_token(app: TestApp) {
    let admin = app.admin().await;
    let (old, row) = api_token(&app, &admin, &["leads:read"]).await;
    let id = row["id"].as_str().unwrap();
    let rotated = app
        .post(
            &format!("/api/v1/api-tokens/{id}/rotate"),
            &admin.token,
            &json!({}),
        )
        .await;
    assert_eq!(rotated.status, 201, "{}", rotated.text);
    let new = rotated.body["token"].as_str().unwrap();
    let new_row = &rotated.body["api_token"];
    assert_ne!(new_row["id"], row["id"]);
    assert_eq!(new_row["name"], row["name"]);
    assert_eq!(new_row["scopes"], row["scopes"]);

    app.get("/api/v1/leads", &old)
        .await
        .problem(401, "unauthorized");
    assert_eq!(app.get("/api/v1/leads", new).await.status, 200);
    let old_row = app
        .get(&format!("/api/v1/api-tokens/{id}"), &admin.token)
        .await;
    assert_eq!(old_row.ok()["replaced_by"], new_row["id"]);
    assert!(old_row.body["revoked_at"].is_string());
    let listed = app.get("/api/v1/api-tokens", &admin.token).await;
    assert_eq!(listed.ok()["items"].as_array().unwrap().len(), 2);
    assert!(!listed.text.contains(&old) && !listed.text.contains(new));

    app.post(
        &format!("/api/v1/api-tokens/{id}/rotate"),
        &admin.token,
        &json!({}),
    )
    .await
    .problem(409, "token-revoked");
}

async fn scopes_narrow_what_a_token_may_do(app: TestApp) {
    let admin = app.admin().await;
    let (reader, _) = api_token(&app, &admin, &["leads:read"]).await;
    assert_eq!(app.get("/api/v1/leads", &reader).await.status, 200);
    // The admin may create leads; this token of theirs may not.
    let denied = app.post("/api/v1/leads", &reader, &lead()).await;
    let problem = denied.problem(403, "insufficient-scope");
    assert!(problem["detail"].as_str().unwrap().contains("leads:write"));
    assert!(
        denied.headers["www-authenticate"]
            .to_str()
            .unwrap()
            .contains("scope=\"leads:write\"")
    );
    assert_eq!(app.count("leads").await, 0);

    // With the scope it acts as its creator: the lead is the admin's.
    let (writer, _) = api_token(&app, &admin, &["leads:read", "leads:write"]).await;
    let created = app.post("/api/v1/leads", &writer, &lead()).await;
    assert_eq!(created.ok()["owner_id"], admin.id.to_string());

    // An API token cannot manage API tokens, whatever its scopes.
    let every: Vec<String> = kedao_domain::scope::Scope::all()
        .map(|s| s.to_string())
        .collect();
    let every: Vec<&str> = every.iter().map(String::as_str).collect();
    let (all, _) = api_token(&app, &admin, &every).await;
    app.post(
        "/api/v1/api-tokens",
        &all,
        &json!({"name": "x", "scopes": ["leads:read"]}),
    )
    .await
    .problem(403, "forbidden");
    app.get("/api/v1/api-tokens", &all)
        .await
        .problem(403, "forbidden");
}

async fn only_admins_create_tokens_and_never_beyond_their_role(app: TestApp) {
    let admin = app.admin().await;
    let team = app.team("华东销售部").await;
    for actor in [
        app.rep(Some(team)).await,
        app.manager(Some(team)).await,
        app.user(Role::Finance, None).await,
    ] {
        app.post(
            "/api/v1/api-tokens",
            &actor.token,
            &json!({"name": "mine", "scopes": ["leads:read"]}),
        )
        .await
        .problem(403, "forbidden");
        app.get("/api/v1/api-tokens", &actor.token)
            .await
            .problem(403, "forbidden");
    }
    app.post(
        "/api/v1/api-tokens",
        &admin.token,
        &json!({"name": "x", "scopes": ["leads:delete"]}),
    )
    .await
    .invalid_field("scopes");
    app.post(
        "/api/v1/api-tokens",
        &admin.token,
        &json!({"name": "x", "scopes": []}),
    )
    .await
    .invalid_field("scopes");

    // The token acts with its creator's role as it is now: demoted, the creator's token
    // keeps its scopes but loses what the new role lacks; deactivated, it stops.
    let (token, _) = api_token(&app, &admin, &["users:read", "users:write"]).await;
    let other_admin = app.admin().await;
    let me = app
        .get(&format!("/api/v1/users/{}", admin.id), &other_admin.token)
        .await;
    let demoted = app
        .patch(
            &format!("/api/v1/users/{}", admin.id),
            &other_admin.token,
            &me.etag(),
            &json!({"role": "sales"}),
        )
        .await;
    assert_eq!(demoted.ok()["role"], "sales");
    let user = json!({"email": "new@kedao.test", "display_name": "新人", "password": "twelve-chars-ok", "role": "sales"});
    app.post("/api/v1/users", &token, &user)
        .await
        .problem(403, "forbidden");
    assert_eq!(app.get("/api/v1/users", &token).await.status, 200);
    let off = app
        .patch(
            &format!("/api/v1/users/{}", admin.id),
            &other_admin.token,
            &demoted.etag(),
            &json!({"active": false}),
        )
        .await;
    assert_eq!(off.ok()["active"], false);
    app.get("/api/v1/users", &token)
        .await
        .problem(401, "unauthorized");
}

async fn admins_tokens_act_for_no_dealer(app: TestApp) {
    let admin = app.admin().await;
    let dealer = app
        .post(
            "/api/v1/dealers",
            &admin.token,
            &json!({"code": "D-SZ-001", "name": "苏州精工设备经销有限公司"}),
        )
        .await;
    let dealer_id = dealer.ok()["id"].as_str().unwrap();
    app.post(
        "/api/v1/api-tokens",
        &admin.token,
        &json!({"name": "x", "scopes": ["leads:read"], "dealer_id": dealer_id}),
    )
    .await
    .problem(403, "forbidden");
    assert_eq!(app.count("api_tokens").await, 0);
}

async fn dealer_admins_tokens_are_bound_to_their_dealer(app: TestApp) {
    let admin = app.admin().await;
    let (a, b) = (
        app.new_dealer("D-A", "华东").await,
        app.new_dealer("D-B", "华南").await,
    );
    let admin_a = app.dealer_staff(Role::DealerAdmin, a).await;
    let admin_b = app.dealer_staff(Role::DealerAdmin, b).await;
    let scopes = json!(["leads:read", "leads:write"]);

    // For their own dealer only; a dealer's salesperson creates none.
    app.post(
        "/api/v1/api-tokens",
        &admin_a.token,
        &json!({"name": "x", "scopes": scopes, "dealer_id": b}),
    )
    .await
    .problem(403, "forbidden");
    let user_a = app.dealer_staff(Role::DealerUser, a).await;
    app.post(
        "/api/v1/api-tokens",
        &user_a.token,
        &json!({"name": "x", "scopes": scopes}),
    )
    .await
    .problem(403, "forbidden");
    // Never beyond the dealer admin's own rights (dealer staff change no price book).
    app.post(
        "/api/v1/api-tokens",
        &admin_a.token,
        &json!({"name": "x", "scopes": ["products:write"]}),
    )
    .await
    .problem(403, "forbidden");
    let (token_a, row_a) = api_token(&app, &admin_a, &["leads:read", "leads:write"]).await;
    assert_eq!(row_a["dealer_id"], a.to_string());
    let named = app
        .post(
            "/api/v1/api-tokens",
            &admin_a.token,
            &json!({"name": "y", "scopes": ["leads:read"], "dealer_id": a}),
        )
        .await;
    assert_eq!(named.ok()["api_token"]["dealer_id"], a.to_string());

    // The token acts as dealer A: what it creates is A's, what it lists is A's only.
    let theirs = app.post("/api/v1/leads", &admin_b.token, &lead()).await;
    assert_eq!(theirs.ok()["dealer_id"], b.to_string());
    let ours = app.post("/api/v1/leads", &token_a, &lead()).await;
    assert_eq!(ours.ok()["dealer_id"], a.to_string());
    let listed = app.get("/api/v1/leads", &token_a).await;
    let ids: Vec<&Value> = listed.ok()["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| &l["id"])
        .collect();
    assert_eq!(ids, vec![&ours.body["id"]]);
    let other = format!("/api/v1/leads/{}", theirs.body["id"].as_str().unwrap());
    app.get(&other, &token_a).await.problem(404, "not-found");

    // Dealer admins manage their dealer's tokens only; admins see every token.
    let id_a = row_a["id"].as_str().unwrap();
    let mine = app.get("/api/v1/api-tokens", &admin_a.token).await;
    assert_eq!(mine.ok()["items"].as_array().unwrap().len(), 2);
    let none = app.get("/api/v1/api-tokens", &admin_b.token).await;
    assert_eq!(none.ok()["items"], json!([]));
    app.get(&format!("/api/v1/api-tokens/{id_a}"), &admin_b.token)
        .await
        .problem(404, "not-found");
    app.post(
        &format!("/api/v1/api-tokens/{id_a}/revoke"),
        &admin_b.token,
        &json!({}),
    )
    .await
    .problem(404, "not-found");
    let all = app.get("/api/v1/api-tokens", &admin.token).await;
    assert_eq!(all.ok()["items"].as_array().unwrap().len(), 2);

    // Rotated by the dealer admin, the new token still acts for dealer A.
    let rotated = app
        .post(
            &format!("/api/v1/api-tokens/{id_a}/rotate"),
            &admin_a.token,
            &json!({}),
        )
        .await;
    assert_eq!(rotated.status, 201, "{}", rotated.text);
    assert_eq!(rotated.body["api_token"]["dealer_id"], a.to_string());
    let new = rotated.body["token"].as_str().unwrap();
    let again = app.get("/api/v1/leads", new).await;
    assert_eq!(again.ok()["items"].as_array().unwrap().len(), 1);

    // A suspended dealer's tokens stop at once, as its staff's sign-ins do.
    let dealer = app.get(&format!("/api/v1/dealers/{a}"), &admin.token).await;
    let suspended = app
        .patch(
            &format!("/api/v1/dealers/{a}"),
            &admin.token,
            &dealer.etag(),
            &json!({"status": "suspended"}),
        )
        .await;
    assert_eq!(suspended.ok()["status"], "suspended");
    app.get("/api/v1/leads", new)
        .await
        .problem(401, "unauthorized");
}

/// A change made with a token is the token's doing in the field history (and its creator's).
async fn history_names_the_token_that_made_a_change(app: TestApp) {
    let admin = app.admin().await;
    let (token, row) = api_token(&app, &admin, &["leads:read", "leads:write"]).await;
    let created = app.post("/api/v1/leads", &token, &lead()).await;
    let id = created.ok()["id"].as_str().unwrap().to_owned();
    let moved = app
        .patch(
            &format!("/api/v1/leads/{id}"),
            &token,
            &created.etag(),
            &json!({"status": "working"}),
        )
        .await;
    assert_eq!(moved.status, 200, "{}", moved.text);
    let by_staff = app
        .patch(
            &format!("/api/v1/leads/{id}"),
            &admin.token,
            &moved.etag(),
            &json!({"status": "disqualified", "disqualify_reason": "重复"}),
        )
        .await;
    assert_eq!(by_staff.status, 200, "{}", by_staff.text);
    let history = app
        .get(&format!("/api/v1/leads/{id}/history"), &admin.token)
        .await;
    let changes = history.ok()["items"].as_array().unwrap();
    let status: Vec<(&Value, &Value)> = changes
        .iter()
        .filter(|c| c["field"] == "status")
        .map(|c| (&c["new_value"], &c["token_id"]))
        .collect();
    assert_eq!(
        status,
        [
            (&json!("working"), &row["id"]),
            (&json!("disqualified"), &Value::Null)
        ],
        "{}",
        history.text
    );
    assert!(
        changes
            .iter()
            .all(|c| c["actor_id"] == admin.id.to_string())
    );
}

both!(
    history_names_the_token_that_made_a_change,
    dealer_admins_tokens_are_bound_to_their_dealer,
    tokens_are_shown_once_and_revocation_is_immediate,
    rotation_replaces_the_token,
    scopes_narrow_what_a_token_may_do,
    only_admins_create_tokens_and_never_beyond_their_role,
    admins_tokens_act_for_no_dealer
);

fn three_per_minute(s: &mut Settings) {
    s.token_rate_limit_per_minute = 3;
}

async fn rate_limit_answers_429_with_retry_after(app: TestApp) {
    let admin = app.admin().await;
    let (token, _) = api_token(&app, &admin, &["leads:read"]).await;
    let (other, _) = api_token(&app, &admin, &["leads:read"]).await;
    for _ in 0..3 {
        assert_eq!(app.get("/api/v1/leads", &token).await.status, 200);
    }
    let limited = app.get("/api/v1/leads", &token).await;
    limited.problem(429, "rate-limited");
    let retry: u64 = limited.headers["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&retry), "Retry-After {retry}");
    // Each token has its own allowance; staff sessions have none to use up.
    assert_eq!(app.get("/api/v1/leads", &other).await.status, 200);
    for _ in 0..5 {
        assert_eq!(app.get("/api/v1/leads", &admin.token).await.status, 200);
    }
    // The allowance is the token's, whatever the operation.
    let elsewhere = format!("/api/v1/leads/{}", uuid::Uuid::new_v4());
    app.call(Method::GET, &elsewhere, Some(&token), None, None)
        .await
        .problem(429, "rate-limited");
}

both!(rate_limit_answers_429_with_retry_after with three_per_minute);
