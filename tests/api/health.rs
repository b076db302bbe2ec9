use kedao_tests::{TestApp, both};
use reqwest::Method;

async fn health_and_ready_answer_with_a_request_id(app: TestApp) {
    for path in ["/health", "/ready"] {
        let reply = app.call(Method::GET, path, None, None, None).await;
        assert_eq!(reply.status, 200, "{path}");
        assert_eq!(reply.body["status"], "ok");
        let id = reply
            .headers
            .get("x-request-id")
            .expect("request id")
            .to_str()
            .unwrap();
        assert!(!id.is_empty());
    }
    // A sane incoming request id is kept, so logs can be joined across systems.
    let reply = app
        .client
        .get(app.url("/health"))
        .header("x-request-id", "abc-123")
        .send()
        .await
        .unwrap();
    assert_eq!(reply.headers()["x-request-id"], "abc-123");
}

async fn api_explorer_is_served_offline(app: TestApp) {
    let page = app.client.get(app.url("/docs/")).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("swagger"), "explorer page: {html}");
    // Its script is served by us, not a CDN.
    let js = app
        .client
        .get(app.url("/docs/swagger-ui-bundle.js"))
        .send()
        .await
        .unwrap();
    assert_eq!(js.status(), 200);
    assert!(js.text().await.unwrap().len() > 100_000);
    let spec = app
        .call(Method::GET, "/api-docs/openapi.json", None, None, None)
        .await;
    assert_eq!(spec.status, 200);
    assert!(spec.body["openapi"].as_str().unwrap().starts_with("3.1"));
}

both!(
    health_and_ready_answer_with_a_request_id,
    api_explorer_is_served_offline
);
