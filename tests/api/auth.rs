use kedao_tests::actors::{PASSWORD, actor_from};
use kedao_tests::{TestApp, both};
use reqwest::Method;
use serde_json::json;

async fn sign_in_refresh_rotate_and_sign_out(app: TestApp) {
    let admin = app.admin().await;
    let me = app.get("/api/v1/auth/me", &admin.token).await;
    assert_eq!(me.ok()["email"], admin.email.as_str());
    assert_eq!(me.body["role"], "admin");
    assert!(me.body.get("password_hash").is_none());

    // Refresh gives a new pair; the old refresh token is spent.
    let refreshed = app
        .call(
            Method::POST,
            "/api/v1/auth/refresh",
            None,
            Some(&json!({"refresh_token": admin.refresh_token})),
            None,
        )
        .await;
    let second = actor_from(refreshed.ok());
    assert_ne!(second.refresh_token, admin.refresh_token);
    assert_eq!(app.get("/api/v1/auth/me", &second.token).await.status, 200);

    // Reusing the spent token is refused and revokes the family: the newer token dies too.
    let reuse = app
        .call(
            Method::POST,
            "/api/v1/auth/refresh",
            None,
            Some(&json!({"refresh_token": admin.refresh_token})),
            None,
        )
        .await;
    reuse.problem(401, "unauthorized");
    let after = app
        .call(
            Method::POST,
            "/api/v1/auth/refresh",
            None,
            Some(&json!({"refresh_token": second.refresh_token})),
            None,
        )
        .await;
    after.problem(401, "unauthorized");

    // Sign-out ends a fresh session's refresh token.
    let third = app.sign_in(&admin.email).await;
    let out = app
        .call(
            Method::POST,
            "/api/v1/auth/logout",
            None,
            Some(&json!({"refresh_token": third.refresh_token})),
            None,
        )
        .await;
    assert_eq!(out.status, 204);
    let dead = app
        .call(
            Method::POST,
            "/api/v1/auth/refresh",
            None,
            Some(&json!({"refresh_token": third.refresh_token})),
            None,
        )
        .await;
    dead.problem(401, "unauthorized");
}

async fn wrong_credentials_and_bad_tokens_get_401(app: TestApp) {
    let admin = app.admin().await;
    for body in [
        json!({"email": admin.email, "password": "wrong-password-123"}),
        json!({"email": "nobody@kedao.test", "password": PASSWORD}),
    ] {
        let reply = app
            .call(Method::POST, "/api/v1/auth/login", None, Some(&body), None)
            .await;
        let problem = reply.problem(401, "unauthorized");
        // The answer does not say which of the two was wrong.
        assert_eq!(problem["detail"], "wrong e-mail address or password");
    }
    let no_token = app
        .call(Method::GET, "/api/v1/leads", None, None, None)
        .await;
    no_token.problem(401, "unauthorized");
    assert_eq!(no_token.headers["www-authenticate"], "Bearer");
    let garbage = app.get("/api/v1/leads", "not-a-jwt").await;
    garbage.problem(401, "unauthorized");
    // A token signed with another key.
    let mut forged = admin.token.clone();
    forged.truncate(forged.len() - 4);
    forged.push_str("AAAA");
    app.get("/api/v1/leads", &forged)
        .await
        .problem(401, "unauthorized");
    // `alg: none` with the same claims.
    let claims = admin.token.split('.').nth(1).unwrap();
    let none = format!("eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.{claims}.");
    app.get("/api/v1/leads", &none)
        .await
        .problem(401, "unauthorized");
}

async fn admins_manage_users_and_others_cannot(app: TestApp) {
    let admin = app.admin().await;
    let team = app.team("华南销售部").await;
    let created = app
        .post(
            "/api/v1/users",
            &admin.token,
            &json!({"email": "Zhou.Jie@Example.cn", "display_name": "周杰", "password": "twelve-chars-ok", "role": "sales", "team_id": team}),
        )
        .await;
    assert_eq!(created.status, 201);
    assert_eq!(created.body["email"], "zhou.jie@example.cn");
    let rep = app
        .sign_in_with("zhou.jie@example.cn", "twelve-chars-ok")
        .await;
    assert_eq!(rep.team_id, Some(team));

    // Duplicate e-mail: 409; short password: 422 naming the field.
    let dup = app
        .post("/api/v1/users", &admin.token, &json!({"email": "zhou.jie@example.cn", "display_name": "x", "password": "twelve-chars-ok", "role": "sales"}))
        .await;
    dup.problem(409, "email-taken");
    let short = app
        .post(
            "/api/v1/users",
            &admin.token,
            &json!({"email": "a@b.cn", "display_name": "x", "password": "short", "role": "sales"}),
        )
        .await;
    short.invalid_field("password");

    // A rep may list users (to pick owners) but not create them.
    let found = app
        .get(
            "/api/v1/users?role=sales&q=%E5%91%A8&include_total=true",
            &rep.token,
        )
        .await;
    assert_eq!(found.ok()["total"], 1);
    assert_eq!(found.body["items"][0]["display_name"], "周杰");
    let teams = app.get("/api/v1/teams?limit=1", &rep.token).await;
    assert_eq!(teams.ok()["items"].as_array().unwrap().len(), 1);
    let denied = app
        .post("/api/v1/users", &rep.token, &json!({"email": "c@d.cn", "display_name": "x", "password": "twelve-chars-ok", "role": "admin"}))
        .await;
    denied.problem(403, "forbidden");

    // Deactivating a user stops their sign-in.
    let id = created.body["id"].as_str().unwrap();
    let etag = created.etag();
    let off = app
        .patch(
            &format!("/api/v1/users/{id}"),
            &admin.token,
            &etag,
            &json!({"active": false}),
        )
        .await;
    assert_eq!(off.ok()["active"], false);
    let login = app
        .call(
            Method::POST,
            "/api/v1/auth/login",
            None,
            Some(&json!({"email": "zhou.jie@example.cn", "password": "twelve-chars-ok"})),
            None,
        )
        .await;
    login.problem(401, "unauthorized");
}

both!(
    sign_in_refresh_rotate_and_sign_out,
    wrong_credentials_and_bad_tokens_get_401,
    admins_manage_users_and_others_cannot
);

async fn create_admin_command_makes_a_working_admin(app: TestApp) {
    let err = kedao_api::admin::create_admin(
        &app.settings,
        "boss@kedao.test".into(),
        "老板".into(),
        "short".into(),
    )
    .await
    .unwrap_err();
    assert!(err.to_string().contains("12 characters"), "{err}");
    let user = kedao_api::admin::create_admin(
        &app.settings,
        "Boss@Kedao.test".into(),
        "老板".into(),
        "a-strong-passphrase".into(),
    )
    .await
    .unwrap();
    assert_eq!(user.email, "boss@kedao.test");
    let admin = app
        .sign_in_with("boss@kedao.test", "a-strong-passphrase")
        .await;
    assert_eq!(admin.role, kedao_domain::access::Role::Admin);
    let dup = kedao_api::admin::create_admin(
        &app.settings,
        "boss@kedao.test".into(),
        "x".into(),
        "a-strong-passphrase".into(),
    )
    .await
    .unwrap_err();
    assert!(dup.to_string().contains("exists"), "{dup}");
}

both!(create_admin_command_makes_a_working_admin);
