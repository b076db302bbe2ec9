//! How the server serves the bundle (no browser needed): content types, caching, the app's
//! routes answered with the page, and the API's 404/405 untouched.

use kedao_tests::{Backend, TestApp};

use crate::support::bundle_dir;

async fn app_with_bundle() -> TestApp {
    let dir = tokio::task::spawn_blocking(|| bundle_dir().to_path_buf())
        .await
        .unwrap();
    TestApp::spawn_with(Backend::Sqlite, move |s| s.web_dir = dir).await
}

fn header(reply: &reqwest::Response, name: &str) -> String {
    reply
        .headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_bundle_is_served_with_types_and_caching() {
    let app = app_with_bundle().await;
    let index = app.client.get(app.url("/")).send().await.unwrap();
    assert_eq!(index.status(), 200);
    assert!(header(&index, "content-type").starts_with("text/html"));
    assert_eq!(header(&index, "cache-control"), "no-cache");
    let html = index.text().await.unwrap();

    // Every file the page names, with its type, cached for good.
    let named: Vec<&str> = html
        .split('"')
        .filter(|part| part.starts_with("/app-") || part.starts_with("/style-"))
        .collect();
    assert_eq!(named.len(), 4, "css, preloaded wasm, js, wasm in {html}");
    for path in named {
        let reply = app.client.get(app.url(path)).send().await.unwrap();
        assert_eq!(reply.status(), 200, "{path}");
        let expected = match path.rsplit('.').next() {
            Some("wasm") => "application/wasm",
            Some("js") => "text/javascript",
            _ => "text/css",
        };
        assert!(
            header(&reply, "content-type").starts_with(expected),
            "{path}"
        );
        assert_eq!(
            header(&reply, "cache-control"),
            "public, max-age=31536000, immutable",
            "{path}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn app_routes_get_the_page_and_api_paths_keep_their_errors() {
    let app = app_with_bundle().await;
    for path in [
        "/leads",
        "/leads/new",
        "/opportunities/x/quote",
        "/sign-in?next=/leads",
    ] {
        let reply = app.client.get(app.url(path)).send().await.unwrap();
        assert_eq!(reply.status(), 200, "{path}");
        assert!(
            header(&reply, "content-type").starts_with("text/html"),
            "{path}"
        );
    }
    // A file the bundle lacks, an unknown API path, a write to an app path: problem+json.
    for (method, path, status) in [
        (reqwest::Method::GET, "/favicon.ico", 404),
        (reqwest::Method::GET, "/api/v1/nothing-here", 404),
        (reqwest::Method::GET, "/api", 404),
        (reqwest::Method::POST, "/leads", 404),
        (reqwest::Method::POST, "/health", 405),
    ] {
        let reply = app.call(method, path, None, None, None).await;
        assert_eq!(reply.status.as_u16(), status, "{path}: {}", reply.text);
        assert!(
            header_of(&reply, "content-type").starts_with("application/problem+json"),
            "{path}"
        );
    }
    // The API explorer is still the API's.
    let docs = app.client.get(app.url("/docs/")).send().await.unwrap();
    assert_eq!(docs.status(), 200);
    assert!(
        !docs.text().await.unwrap().contains("app-"),
        "/docs/ is not the app"
    );
}

fn header_of(reply: &kedao_tests::Reply, name: &str) -> String {
    reply
        .headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}
