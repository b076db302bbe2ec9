//! Every operation of the served spec refuses missing, forged, expired and foreign tokens, and
//! API tokens without its scope; and each token's copy of the spec shows just what it may call.
//! The operations are read from the spec, never listed by hand, so a new endpoint is covered
//! the day it is added.

use std::collections::HashMap;

use chrono::{Duration, Utc};
use kedao_api::auth::TokenKeys;
use kedao_api::auth::tokens::{AUDIENCE, Claims, ISSUER};
use kedao_domain::access::Role;
use kedao_domain::scope::Scope;
use kedao_tests::{Actor, Reply, TestApp, both};
use reqwest::Method;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::api_tokens::api_token;

/// A secured operation of the spec: method, path with random ids, the scope it declares.
struct Operation {
    method: Method,
    path: String,
    scope: Option<String>,
}

async fn served_spec(app: &TestApp, token: Option<&str>) -> Reply {
    app.call(Method::GET, "/api-docs/openapi.json", token, None, None)
        .await
}

/// The operations that declare a security requirement; public ones (sign-in, health) declare
/// none and are skipped.
fn secured_operations(spec: &Value) -> Vec<Operation> {
    let mut operations = Vec::new();
    for (template, item) in spec["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            let Some(security) = operation["security"].as_array().filter(|s| !s.is_empty()) else {
                continue;
            };
            let path = template
                .split('/')
                .map(|segment| {
                    if segment.starts_with('{') {
                        Uuid::new_v4().to_string()
                    } else {
                        segment.to_owned()
                    }
                })
                .collect::<Vec<_>>()
                .join("/");
            let scope = security[0]["bearer"][0].as_str().map(str::to_owned);
            operations.push(Operation {
                method: method.to_uppercase().parse().unwrap(),
                path,
                scope,
            });
        }
    }
    operations
}

fn keys(app: &TestApp) -> TokenKeys {
    TokenKeys::new(&app.settings.jwt_secret, 900)
}

fn claims(actor: &Actor, scope: Option<&str>) -> Claims {
    let now = Utc::now();
    Claims {
        sub: actor.id,
        role: actor.role,
        team: actor.team_id,
        dealer: actor.dealer_id,
        exp: (now + Duration::minutes(10)).timestamp(),
        iat: now.timestamp(),
        jti: Uuid::now_v7(),
        aud: AUDIENCE.to_owned(),
        iss: ISSUER.to_owned(),
        scope: scope.map(str::to_owned),
    }
}

/// Tokens that must never get in: each with what is wrong with it.
fn bad_tokens(app: &TestApp, admin: &Actor, api_token_id: Uuid) -> Vec<(&'static str, String)> {
    let keys = keys(app);
    let mut forged = admin.token.clone();
    forged.truncate(forged.len() - 4);
    forged.push_str("AAAA");
    let payload = admin.token.split('.').nth(1).unwrap();
    let alg_none = format!("eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.{payload}.");
    let expired = keys
        .issue(
            admin.id,
            Role::Admin,
            None,
            None,
            Utc::now() - Duration::hours(2),
        )
        .unwrap();
    let mut foreign = claims(admin, None);
    foreign.aud = "another-api".to_owned();
    let mut expired_api = claims(admin, Some("leads:read leads:write"));
    expired_api.jti = api_token_id;
    expired_api.exp = (Utc::now() - Duration::hours(1)).timestamp();
    let other_key = TokenKeys::new(
        &secrecy::SecretString::from("another-secret-another-secret-another-secret"),
        900,
    );
    vec![
        ("a bad signature", forged),
        ("alg none", alg_none),
        ("an expired session", expired),
        ("another audience", keys.sign(&foreign).unwrap()),
        ("an expired API token", keys.sign(&expired_api).unwrap()),
        (
            "another server's key",
            other_key.sign(&claims(admin, Some("leads:read"))).unwrap(),
        ),
        (
            "an unknown API token",
            keys.sign(&claims(admin, Some("leads:read"))).unwrap(),
        ),
    ]
}

#[track_caller]
fn refused(reply: &Reply, status: u16, code: &str, what: &str, op: &Operation) {
    assert!(
        reply.status.as_u16() == status && reply.body["code"] == code,
        "{} {} with {what}: expected {status} {code}, got {} {}",
        op.method,
        op.path,
        reply.status,
        reply.text
    );
    reply.problem(status, code);
}

async fn every_operation_refuses_bad_credentials_and_missing_scopes(app: TestApp) {
    let admin = app.admin().await;
    let spec = served_spec(&app, None).await;
    let operations = secured_operations(spec.ok());
    assert!(
        operations.len() > 90,
        "only {} operations",
        operations.len()
    );
    let (_, some_token) = api_token(&app, &admin, &["leads:read"]).await;
    let bad = bad_tokens(
        &app,
        &admin,
        some_token["id"].as_str().unwrap().parse().unwrap(),
    );

    // For each scope, a token with every other scope.
    let every: Vec<String> = Scope::all().map(|s| s.to_string()).collect();
    let mut lacking: HashMap<String, String> = HashMap::new();
    for op in &operations {
        let missing = op.scope.clone().unwrap_or_else(|| "leads:read".to_owned());
        if lacking.contains_key(&missing) {
            continue;
        }
        let others: Vec<&str> = every
            .iter()
            .filter(|s| **s != missing)
            .map(String::as_str)
            .collect();
        let (token, _) = api_token(&app, &admin, &others).await;
        lacking.insert(missing, token);
    }

    for op in &operations {
        let none = app
            .call(op.method.clone(), &op.path, None, None, None)
            .await;
        refused(&none, 401, "unauthorized", "no credentials", op);
        for (what, token) in &bad {
            let reply = app
                .call(op.method.clone(), &op.path, Some(token), None, None)
                .await;
            refused(&reply, 401, "unauthorized", what, op);
        }
        let missing = op.scope.clone().unwrap_or_else(|| "leads:read".to_owned());
        let reply = app
            .call(
                op.method.clone(),
                &op.path,
                Some(&lacking[&missing]),
                None,
                None,
            )
            .await;
        match &op.scope {
            Some(scope) => {
                refused(
                    &reply,
                    403,
                    "insufficient-scope",
                    "a token lacking the scope",
                    op,
                );
                assert!(
                    reply.body["detail"]
                        .as_str()
                        .unwrap()
                        .contains(scope.as_str()),
                    "{} {}: {}",
                    op.method,
                    op.path,
                    reply.text
                );
            }
            // Token management: for signed-in staff only.
            None => refused(&reply, 403, "forbidden", "any API token", op),
        }
    }
}

async fn a_tokens_spec_shows_exactly_what_it_may_call(app: TestApp) {
    let admin = app.admin().await;
    let full = served_spec(&app, None).await;
    let full_ops = secured_operations(full.ok());
    let (token, row) = api_token(&app, &admin, &["leads:read"]).await;
    let mine = served_spec(&app, Some(&token)).await;
    assert!(
        mine.ok()["paths"]["/api/v1/leads"].get("get").is_some(),
        "{}",
        mine.text
    );
    assert!(mine.body["paths"]["/api/v1/leads"].get("post").is_none());
    assert!(mine.body["paths"].get("/api/v1/orders").is_none());
    let my_ops = secured_operations(&mine.body);
    assert!(
        my_ops
            .iter()
            .all(|op| op.scope.as_deref() == Some("leads:read"))
    );
    let expected = full_ops
        .iter()
        .filter(|op| op.scope.as_deref() == Some("leads:read"))
        .count();
    assert!(expected >= 3);
    assert_eq!(my_ops.len(), expected);
    // Public operations stay: a token may always sign in or check health.
    assert!(mine.body["paths"]["/health"].get("get").is_some());

    // Scopes within the role: a finance user's session sees no leads (the role has none).
    let finance = app.user(Role::Finance, None).await;
    let theirs = served_spec(&app, Some(&finance.token)).await;
    assert!(theirs.ok()["paths"].get("/api/v1/leads").is_none());
    assert!(
        theirs.body["paths"]["/api/v1/payments"]
            .get("post")
            .is_some()
    );
    // An admin's session sees everything; nobody without a token sees less.
    let everything = served_spec(&app, Some(&admin.token)).await;
    assert_eq!(secured_operations(everything.ok()).len(), full_ops.len());

    // A token that is no good gets 401, not a spec.
    let id = row["id"].as_str().unwrap();
    app.post(
        &format!("/api/v1/api-tokens/{id}/revoke"),
        &admin.token,
        &json!({}),
    )
    .await
    .ok();
    served_spec(&app, Some(&token))
        .await
        .problem(401, "unauthorized");
    served_spec(&app, Some("not-a-jwt"))
        .await
        .problem(401, "unauthorized");
}

async fn spelling_a_path_differently_does_not_pass_the_gate(app: TestApp) {
    let admin = app.admin().await;
    let (token, _) = api_token(&app, &admin, &["users:read"]).await;
    let lead = app
        .post(
            "/api/v1/leads",
            &admin.token,
            &json!({"name": "王伟", "source": "web"}),
        )
        .await;
    let id = lead.ok()["id"].as_str().unwrap();
    for path in [
        "/api/v1/le%61ds".to_owned(),
        "/api/v1/leads/".to_owned(),
        "/api/v1//leads".to_owned(),
        "/api/v1/LEADS".to_owned(),
        format!("/api/v1/le%61ds/{id}"),
        format!("/api/v1/leads/{id}/"),
    ] {
        let reply = app.call(Method::GET, &path, Some(&token), None, None).await;
        assert!(
            [403, 404].contains(&reply.status.as_u16()) && !reply.text.contains(id),
            "GET {path}: {} {}",
            reply.status,
            reply.text
        );
        reply.problem(reply.status.as_u16(), reply.body["code"].as_str().unwrap());
    }
}

both!(
    spelling_a_path_differently_does_not_pass_the_gate,
    every_operation_refuses_bad_credentials_and_missing_scopes,
    a_tokens_spec_shows_exactly_what_it_may_call
);
