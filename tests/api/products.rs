//! The price book: records, admin-only writes, unique SKUs, money and tax-rate rules, the list.

use kedao_domain::access::Role;
use kedao_tests::{TestApp, both};
use serde_json::{Value, json};

/// A product created by a fresh admin; returns its body.
pub async fn product(app: &TestApp, body: Value) -> Value {
    let admin = app.admin().await;
    let reply = app.post("/api/v1/products", &admin.token, &body).await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    reply.body
}

async fn crud_and_admin_only_writes(app: TestApp) {
    let admin = app.admin().await;
    let rep = app.rep(None).await;
    let created = app
        .post(
            "/api/v1/products",
            &admin.token,
            &json!({"sku": " CNC-850 ", "name": "立式加工中心", "name_en": "VMC 850", "unit": "台",
                    "list_price": "268000", "tax_rate_percent": "13"}),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.text);
    let p = &created.body;
    assert_eq!(p["sku"], "CNC-850", "trimmed");
    assert_eq!(p["list_price"], "268000.00");
    assert_eq!(p["currency"], "CNY");
    assert_eq!(p["tax_rate_percent"], "13");
    assert_eq!(p["active"], true);
    let path = format!("/api/v1/products/{}", p["id"].as_str().unwrap());

    // Everyone reads the price book; only admins change it.
    let read = app.get(&path, &rep.token).await;
    assert_eq!(read.ok()["name"], "立式加工中心");
    assert_eq!(read.etag(), "\"1\"");
    let finance = app.user(Role::Finance, None).await;
    assert_eq!(app.get(&path, &finance.token).await.status, 200);
    app.post(
        "/api/v1/products",
        &rep.token,
        &json!({"sku": "X", "name": "x", "list_price": "1"}),
    )
    .await
    .problem(403, "forbidden");
    app.patch(&path, &rep.token, "\"1\"", &json!({"name": "改"}))
        .await
        .problem(403, "forbidden");

    let updated = app
        .patch(
            &path,
            &admin.token,
            "\"1\"",
            &json!({"list_price": "259000.50", "active": false, "name_en": null}),
        )
        .await;
    assert_eq!(updated.ok()["list_price"], "259000.50");
    assert_eq!(updated.body["active"], false);
    assert_eq!(updated.body["name_en"], Value::Null);
    assert_eq!(updated.etag(), "\"2\"");
    app.patch(&path, &admin.token, "\"1\"", &json!({"name": "旧"}))
        .await
        .problem(412, "stale-version");
    app.patch(&path, &admin.token, "\"2\"", &json!({"currency": "JPY"}))
        .await
        .invalid_field("currency");
}

async fn duplicate_sku_and_bad_input(app: TestApp) {
    let admin = app.admin().await;
    product(
        &app,
        json!({"sku": "SKU-1", "name": "一", "list_price": "1"}),
    )
    .await;
    app.post(
        "/api/v1/products",
        &admin.token,
        &json!({"sku": "SKU-1", "name": "二", "list_price": "2"}),
    )
    .await
    .problem(409, "sku-taken");
    let before = app.count("products").await;
    for (body, field) in [
        (
            json!({"sku": "A", "name": "a", "list_price": "1.005"}),
            "list_price",
        ),
        (
            json!({"sku": "A", "name": "a", "list_price": "-1"}),
            "list_price",
        ),
        (
            json!({"sku": "A", "name": "a", "list_price": "1", "tax_rate_percent": "101"}),
            "tax_rate_percent",
        ),
        (
            json!({"sku": "A", "name": "a", "list_price": "1", "tax_rate_percent": "-1"}),
            "tax_rate_percent",
        ),
        (
            json!({"sku": "A", "name": "a", "list_price": "1", "tax_rate_percent": "13.005"}),
            "tax_rate_percent",
        ),
        (json!({"sku": " ", "name": "a", "list_price": "1"}), "sku"),
        (
            json!({"sku": "A", "name": "a", "list_price": "1", "colour": "red"}),
            "colour",
        ),
    ] {
        app.post("/api/v1/products", &admin.token, &body)
            .await
            .invalid_field(field);
    }
    assert_eq!(app.count("products").await, before, "nothing stored");
}

async fn list_filters_and_pages(app: TestApp) {
    let rep = app.rep(None).await;
    for (sku, name, currency, active) in [
        ("B-2", "伺服电机", "CNY", true),
        ("A-1", "Spindle", "USD", true),
        ("C-3", "旧型号电机", "CNY", false),
    ] {
        product(
            &app,
            json!({"sku": sku, "name": name, "list_price": "10", "currency": currency, "active": active}),
        )
        .await;
    }
    let skus = |v: &Value| -> Vec<String> {
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["sku"].as_str().unwrap().to_owned())
            .collect()
    };
    let all = app.get("/api/v1/products", &rep.token).await;
    assert_eq!(skus(all.ok()), ["A-1", "B-2", "C-3"], "by SKU by default");
    let active = app
        .get("/api/v1/products?active=true&currency=CNY", &rep.token)
        .await;
    assert_eq!(skus(active.ok()), ["B-2"]);
    let q = app
        .get("/api/v1/products?q=电机&sort=-sku", &rep.token)
        .await;
    assert_eq!(skus(q.ok()), ["C-3", "B-2"]);
    let first = app.get("/api/v1/products?limit=2", &rep.token).await;
    let cursor = first.ok()["next_cursor"].as_str().unwrap().to_owned();
    let second = app
        .get(
            &format!("/api/v1/products?limit=2&cursor={cursor}"),
            &rep.token,
        )
        .await;
    assert_eq!(skus(second.ok()), ["C-3"]);
    app.get("/api/v1/products?sort=price", &rep.token)
        .await
        .invalid_field("sort");
}

both!(
    crud_and_admin_only_writes,
    duplicate_sku_and_bad_input,
    list_filters_and_pages
);
