//! Accounts and the relationship network between them.

use kedao_domain::access::Role;
use kedao_tests::{Reply, TestApp, both};
use serde_json::{Value, json};

mod network;

pub(crate) async fn create(app: &TestApp, token: &str, body: Value) -> Value {
    let reply = app.post("/api/v1/accounts", token, &body).await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    assert_eq!(reply.etag(), "\"1\"");
    reply.body
}

pub(crate) fn id(v: &Value) -> &str {
    v["id"].as_str().unwrap()
}

pub(crate) fn path(v: &Value) -> String {
    format!("/api/v1/accounts/{}", id(v))
}

fn names(reply: &Reply) -> Vec<String> {
    reply.ok()["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["name"].as_str().unwrap().to_owned())
        .collect()
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

async fn create_read_update_delete(app: TestApp) {
    let rep = app.rep(None).await;
    let reply = app
        .post(
            "/api/v1/accounts",
            &rep.token,
            &json!({"name": " 苏州恒达机械有限公司 ", "customer_type": "target", "industry": "机械制造", "size": "medium", "region": "华东", "email": "Sales@HengDa.example.cn", "tags": ["华东", " 重点跟进 ", "华东", ""], "notes": "老客户介绍 🚀"}),
        )
        .await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    let account = reply.body.clone();
    assert_eq!(
        reply.headers["location"].to_str().unwrap(),
        path(&account).as_str()
    );
    assert_eq!(account["name"], "苏州恒达机械有限公司", "trimmed");
    assert_eq!(account["email"], "sales@hengda.example.cn");
    assert_eq!(
        account["tags"],
        json!(["华东", "重点跟进"]),
        "trimmed, deduplicated"
    );
    assert_eq!(account["owner_id"], rep.id.to_string());
    assert_eq!(account["notes"], "老客户介绍 🚀");
    let p = path(&account);

    let read = app.get(&p, &rep.token).await;
    assert_eq!(read.ok()["size"], "medium");
    assert_eq!(read.etag(), "\"1\"");

    app.call(
        reqwest::Method::PATCH,
        &p,
        Some(&rep.token),
        Some(&json!({"region": "华南"})),
        None,
    )
    .await
    .problem(428, "if-match-required");
    let updated = app
        .patch(
            &p,
            &rep.token,
            &read.etag(),
            &json!({"customer_type": "key", "region": null, "tags": ["VIP 🌟"], "name": "恒达集团"}),
        )
        .await;
    assert_eq!(updated.ok()["customer_type"], "key");
    assert_eq!(updated.body["region"], Value::Null);
    assert_eq!(updated.body["tags"], json!(["VIP 🌟"]));
    assert_eq!(
        updated.body["industry"], "机械制造",
        "absent fields unchanged"
    );
    assert_eq!(updated.etag(), "\"2\"");
    app.patch(&p, &rep.token, &read.etag(), &json!({"name": "旧版本"}))
        .await
        .problem(412, "stale-version");
    assert_eq!(app.get(&p, &rep.token).await.body["name"], "恒达集团");

    app.delete(&p, &rep.token, "\"1\"")
        .await
        .problem(412, "stale-version");
    assert_eq!(app.delete(&p, &rep.token, "\"2\"").await.status, 204);
    app.get(&p, &rep.token).await.problem(404, "not-found");
    assert_eq!(app.count("accounts").await, 0);
}

async fn visibility_follows_role_and_team(app: TestApp) {
    let east = app.team("华东").await;
    let west = app.team("西南").await;
    let rep_a = app.rep(Some(east)).await;
    let rep_b = app.rep(Some(east)).await;
    let rep_c = app.rep(Some(west)).await;
    let manager = app.manager(Some(east)).await;
    let admin = app.admin().await;
    let finance = app.user(Role::Finance, None).await;
    let a = create(&app, &rep_a.token, json!({"name": "A 客户"})).await;
    create(&app, &rep_b.token, json!({"name": "B 客户"})).await;
    let c = create(&app, &rep_c.token, json!({"name": "C customer"})).await;

    let list = |token: String| {
        let app = &app;
        async move { sorted(names(&app.get("/api/v1/accounts", &token).await)) }
    };
    assert_eq!(list(rep_a.token.clone()).await, vec!["A 客户"]);
    assert_eq!(list(manager.token.clone()).await, vec!["A 客户", "B 客户"]);
    assert_eq!(list(admin.token.clone()).await.len(), 3);
    assert_eq!(list(finance.token.clone()).await.len(), 3);

    // Another rep's (or team's) account is invisible: 404, never 403.
    app.get(&path(&c), &rep_a.token)
        .await
        .problem(404, "not-found");
    app.get(&path(&c), &manager.token)
        .await
        .problem(404, "not-found");
    app.patch(&path(&c), &rep_a.token, "\"1\"", &json!({"name": "x"}))
        .await
        .problem(404, "not-found");
    app.delete(&path(&c), &rep_a.token, "\"1\"")
        .await
        .problem(404, "not-found");

    // Finance reads every account and changes none.
    assert_eq!(
        app.get(&path(&c), &finance.token).await.ok()["name"],
        "C customer"
    );
    app.patch(&path(&c), &finance.token, "\"1\"", &json!({"name": "x"}))
        .await
        .problem(403, "forbidden");
    app.post(
        "/api/v1/accounts",
        &finance.token,
        &json!({"name": "财务建的"}),
    )
    .await
    .problem(403, "forbidden");

    // The manager works the team's accounts; a rep cannot hand one to another team.
    let by_manager = app
        .patch(
            &path(&a),
            &manager.token,
            "\"1\"",
            &json!({"owner_id": rep_b.id}),
        )
        .await;
    assert_eq!(by_manager.ok()["owner_id"], rep_b.id.to_string());
    app.get(&path(&a), &rep_a.token)
        .await
        .problem(404, "not-found");
    let b_account = app.get(&path(&a), &rep_b.token).await;
    app.patch(
        &path(&a),
        &rep_b.token,
        &b_account.etag(),
        &json!({"owner_id": rep_c.id}),
    )
    .await
    .problem(403, "forbidden");
    app.post(
        "/api/v1/accounts",
        &rep_a.token,
        &json!({"name": "给别人的", "owner_id": rep_c.id}),
    )
    .await
    .problem(403, "forbidden");
    // The admin may.
    let moved = app
        .patch(
            &path(&a),
            &admin.token,
            &b_account.etag(),
            &json!({"owner_id": rep_c.id}),
        )
        .await;
    assert_eq!(moved.ok()["owner_id"], rep_c.id.to_string());
    assert_eq!(app.count("accounts").await, 3);
}

async fn bad_input_changes_nothing(app: TestApp) {
    let rep = app.rep(None).await;
    let account = create(&app, &rep.token, json!({"name": "客道科技"})).await;
    let too_many: Vec<String> = (0..21).map(|i| format!("标签{i}")).collect();
    let cases = [
        (json!({"customer_type": "key"}), "name"),
        (json!({"name": "   "}), "name"),
        (json!({"name": "x".repeat(201)}), "name"),
        (json!({"name": "x", "colour": "red"}), "colour"),
        (
            json!({"name": "x", "customer_type": "vip"}),
            "customer_type",
        ),
        (json!({"name": "x", "size": "huge"}), "size"),
        (json!({"name": "x", "tags": too_many}), "tags"),
        (json!({"name": "x", "tags": ["好".repeat(51)]}), "tags[0]"),
        (json!({"name": "x", "email": "not-an-email"}), "email"),
        (
            json!({"name": "x", "owner_id": uuid::Uuid::new_v4()}),
            "owner_id",
        ),
        (json!({"name": "x", "tags": "华东"}), "tags"),
    ];
    for (body, field) in cases {
        app.post("/api/v1/accounts", &rep.token, &body)
            .await
            .invalid_field(field);
    }
    // Exactly 20 tags of 50 characters are fine.
    let twenty: Vec<String> = (0..20)
        .map(|i| format!("{i:02}{}", "签".repeat(48)))
        .collect();
    let full = create(&app, &rep.token, json!({"name": "满标签", "tags": twenty})).await;
    assert_eq!(full["tags"].as_array().unwrap().len(), 20);
    assert_eq!(app.count("accounts").await, 2);

    let p = path(&account);
    for (body, field) in [
        (json!({"name": ""}), "name"),
        (json!({"customer_type": "vip"}), "customer_type"),
        (json!({"tags": too_many}), "tags"),
        (json!({"id": "x"}), "id"),
    ] {
        app.patch(&p, &rep.token, "\"1\"", &body)
            .await
            .invalid_field(field);
    }
    let read = app.get(&p, &rep.token).await;
    assert_eq!(read.etag(), "\"1\"", "nothing was saved");
    assert_eq!(read.body["name"], "客道科技");
}

async fn deleting_an_account_in_use_is_refused(app: TestApp) {
    let rep = app.rep(None).await;
    let account = create(&app, &rep.token, json!({"name": "在用客户"})).await;
    let p = path(&account);
    let contact = app
        .post(
            "/api/v1/contacts",
            &rep.token,
            &json!({"account_id": id(&account), "name": "王芳"}),
        )
        .await;
    contact.ok();
    app.delete(&p, &rep.token, "\"1\"")
        .await
        .problem(409, "account-in-use");
    let contact_path = format!("/api/v1/contacts/{}", id(&contact.body));
    assert_eq!(
        app.delete(&contact_path, &rep.token, "\"1\"").await.status,
        204
    );

    let opportunity = app
        .post(
            "/api/v1/opportunities",
            &rep.token,
            &json!({"title": "产线升级", "account_id": id(&account), "amount": "1000.00", "expected_close_date": "2030-01-31"}),
        )
        .await;
    opportunity.ok();
    app.delete(&p, &rep.token, "\"1\"")
        .await
        .problem(409, "account-in-use");
    assert_eq!(app.count("accounts").await, 1);
    let opp_path = format!("/api/v1/opportunities/{}", id(&opportunity.body));
    let etag = app.get(&opp_path, &rep.token).await.etag();
    assert_eq!(app.delete(&opp_path, &rep.token, &etag).await.status, 204);

    // Free now; its links go with it.
    let other = create(&app, &rep.token, json!({"name": "伙伴"})).await;
    app.post(
        &format!("{p}/links"),
        &rep.token,
        &json!({"to_account_id": id(&other), "kind": "peer"}),
    )
    .await
    .ok();
    assert_eq!(app.delete(&p, &rep.token, "\"1\"").await.status, 204);
    assert_eq!(app.count("account_links").await, 0);
    assert_eq!(app.count("accounts").await, 1);
}

async fn tag_filter_search_and_cursor_paging(app: TestApp) {
    let rep = app.rep(None).await;
    for (name, tags, website) in [
        (
            "苏州恒达机械有限公司",
            json!(["华东", "重点跟进"]),
            "https://hengda.example.cn",
        ),
        ("恒达物流", json!(["华东"]), "https://logistics.example.cn"),
        (
            "Acme Industrial",
            json!(["华东地区", "VIP \"gold\""]),
            "https://acme.example.com",
        ),
        (
            "深圳华信电子",
            json!(["华南", "50%_off"]),
            "https://huaxin.example.cn",
        ),
        ("Summit Tools", json!([]), "https://summit.example.com"),
    ] {
        create(
            &app,
            &rep.token,
            json!({"name": name, "tags": tags, "website": website}),
        )
        .await;
    }
    // Another rep's account with the same tag stays out of every answer.
    let other = app.rep(None).await;
    create(
        &app,
        &other.token,
        json!({"name": "别人的恒达", "tags": ["华东"]}),
    )
    .await;

    let get = |query: &str| format!("/api/v1/accounts?{query}");
    // %E5%8D%8E%E4%B8%9C = 华东: exact tag, not a substring of 华东地区.
    assert_eq!(
        sorted(names(
            &app.get(&get("tag=%E5%8D%8E%E4%B8%9C"), &rep.token).await
        )),
        vec!["恒达物流", "苏州恒达机械有限公司"]
    );
    assert_eq!(
        names(&app.get(&get("tag=VIP%20%22gold%22"), &rep.token).await),
        vec!["Acme Industrial"]
    );
    assert_eq!(
        names(&app.get(&get("tag=50%25_off"), &rep.token).await),
        vec!["深圳华信电子"]
    );
    assert!(names(&app.get(&get("tag=50%25"), &rep.token).await).is_empty());
    // Chinese substring (恒达), Latin case-insensitive over the website.
    assert_eq!(
        sorted(names(
            &app.get(&get("q=%E6%81%92%E8%BE%BE"), &rep.token).await
        )),
        vec!["恒达物流", "苏州恒达机械有限公司"]
    );
    assert_eq!(
        names(&app.get(&get("q=ACME.EXAMPLE"), &rep.token).await),
        vec!["Acme Industrial"]
    );
    app.get(&get("customer_type=vip"), &rep.token)
        .await
        .invalid_field("customer_type");
    app.get(&get("sort=website"), &rep.token)
        .await
        .invalid_field("sort");

    // By name, two per page: every account exactly once, in order.
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let query = match &cursor {
            Some(c) => format!("sort=name&limit=2&cursor={c}"),
            None => "sort=name&limit=2&include_total=true".to_owned(),
        };
        let page = app.get(&get(&query), &rep.token).await;
        if cursor.is_none() {
            assert_eq!(page.ok()["total"], 5);
        }
        seen.extend(names(&page));
        match page.body["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_owned()),
            None => break,
        }
    }
    // The order itself is the database's collation; the pages must cover each row once.
    assert_eq!(seen.len(), 5);
    assert_eq!(
        sorted(seen),
        sorted(
            [
                "苏州恒达机械有限公司",
                "恒达物流",
                "Acme Industrial",
                "深圳华信电子",
                "Summit Tools"
            ]
            .map(String::from)
            .to_vec()
        )
    );
}

both!(
    create_read_update_delete,
    visibility_follows_role_and_team,
    bad_input_changes_nothing,
    deleting_an_account_in_use_is_refused,
    tag_filter_search_and_cursor_paging,
);
