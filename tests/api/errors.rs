//! Bad input of every kind gets a precise problem+json 4xx and changes nothing.

use kedao_tests::{TestApp, both};
use reqwest::Method;
use serde_json::json;

async fn malformed_bodies_are_refused_without_changes(app: TestApp) {
    let rep = app.rep(None).await;
    let before = app.count("leads").await;

    let syntax = app
        .raw(
            Method::POST,
            "/api/v1/leads",
            Some(&rep.token),
            "application/json",
            b"{\"name\": ".to_vec(),
        )
        .await;
    syntax.problem(400, "malformed-json");

    let media = app
        .raw(
            Method::POST,
            "/api/v1/leads",
            Some(&rep.token),
            "text/plain",
            b"name=x".to_vec(),
        )
        .await;
    media.problem(415, "unsupported-media-type");

    let big = format!(
        "{{\"name\": \"{}\", \"source\": \"web\"}}",
        "x".repeat(100 * 1024)
    );
    let too_large = app
        .raw(
            Method::POST,
            "/api/v1/leads",
            Some(&rep.token),
            "application/json",
            big.into_bytes(),
        )
        .await;
    too_large.problem(413, "payload-too-large");

    let missing = app
        .post("/api/v1/leads", &rep.token, &json!({"name": "张伟"}))
        .await;
    assert_eq!(
        missing.invalid_field("source")["errors"][0]["code"],
        "required"
    );

    let wrong_type = app
        .post(
            "/api/v1/leads",
            &rep.token,
            &json!({"name": "张伟", "source": "web", "score": "high"}),
        )
        .await;
    wrong_type.invalid_field("score");

    let unknown_enum = app
        .post(
            "/api/v1/leads",
            &rep.token,
            &json!({"name": "张伟", "source": "pigeon"}),
        )
        .await;
    unknown_enum.invalid_field("source");

    let unknown_field = app
        .post(
            "/api/v1/leads",
            &rep.token,
            &json!({"name": "张伟", "source": "web", "colour": "red"}),
        )
        .await;
    unknown_field.invalid_field("colour");

    let blank = app
        .post(
            "/api/v1/leads",
            &rep.token,
            &json!({"name": "   ", "source": "web"}),
        )
        .await;
    blank.invalid_field("name");

    let too_long = app
        .post(
            "/api/v1/leads",
            &rep.token,
            &json!({"name": "华".repeat(201), "source": "web"}),
        )
        .await;
    too_long.invalid_field("name");

    let score = app
        .post(
            "/api/v1/leads",
            &rep.token,
            &json!({"name": "张伟", "source": "web", "score": 101}),
        )
        .await;
    score.invalid_field("score");

    let email = app
        .post(
            "/api/v1/leads",
            &rep.token,
            &json!({"name": "张伟", "source": "web", "email": "not-an-email"}),
        )
        .await;
    email.invalid_field("email");

    let not_object = app
        .post("/api/v1/leads", &rep.token, &json!([1, 2, 3]))
        .await;
    assert_eq!(not_object.status, 422);

    assert_eq!(app.count("leads").await, before, "nothing was written");
}

async fn unknown_routes_ids_and_parameters(app: TestApp) {
    let rep = app.rep(None).await;
    app.get("/api/v1/nothing-here", &rep.token)
        .await
        .problem(404, "not-found");
    app.get("/api/v1/leads/not-a-uuid", &rep.token)
        .await
        .problem(404, "not-found");
    app.get(
        &format!("/api/v1/leads/{}", uuid::Uuid::now_v7()),
        &rep.token,
    )
    .await
    .problem(404, "not-found");
    app.get("/api/v1/leads?limit=0", &rep.token)
        .await
        .invalid_field("limit");
    app.get("/api/v1/leads?limit=abc", &rep.token)
        .await
        .invalid_field("limit");
    app.get("/api/v1/leads?sort=password", &rep.token)
        .await
        .invalid_field("sort");
    app.get("/api/v1/leads?cursor=garbage", &rep.token)
        .await
        .invalid_field("cursor");
    app.get("/api/v1/leads?status=maybe", &rep.token)
        .await
        .invalid_field("status");
    app.get("/api/v1/leads?bogus=1", &rep.token)
        .await
        .invalid_field("bogus");
}

both!(
    malformed_bodies_are_refused_without_changes,
    unknown_routes_ids_and_parameters
);

async fn wrong_methods_get_405_with_allow(app: TestApp) {
    let rep = app.rep(None).await;
    let reply = app
        .call(
            Method::PUT,
            "/api/v1/leads",
            Some(&rep.token),
            Some(&json!({})),
            None,
        )
        .await;
    reply.problem(405, "method-not-allowed");
    let allow = reply.headers["allow"].to_str().unwrap();
    assert!(allow.contains("GET") && allow.contains("POST"), "{allow}");
    let id = uuid::Uuid::now_v7();
    let reply = app
        .call(
            Method::POST,
            &format!("/api/v1/leads/{id}"),
            Some(&rep.token),
            Some(&json!({})),
            None,
        )
        .await;
    reply.problem(405, "method-not-allowed");
    assert!(reply.headers["allow"].to_str().unwrap().contains("PATCH"));
    let trace = app.call(Method::TRACE, "/health", None, None, None).await;
    trace.problem(405, "method-not-allowed");
    app.call(
        Method::GET,
        "/api/v1/leads/x/y/z",
        Some(&rep.token),
        None,
        None,
    )
    .await
    .problem(404, "not-found");
}

both!(wrong_methods_get_405_with_allow);
