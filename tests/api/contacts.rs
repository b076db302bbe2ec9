//! Contacts: scoped through their account, one primary contact per account.

use kedao_domain::access::Role;
use kedao_tests::{Reply, TestApp, both};
use serde_json::{Value, json};

async fn account(app: &TestApp, token: &str, name: &str) -> String {
    let reply = app
        .post("/api/v1/accounts", token, &json!({"name": name}))
        .await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    reply.body["id"].as_str().unwrap().to_owned()
}

async fn create(app: &TestApp, token: &str, body: Value) -> Value {
    let reply = app.post("/api/v1/contacts", token, &body).await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    assert!(reply.headers.get("location").is_some());
    assert_eq!(reply.etag(), "\"1\"");
    reply.body
}

fn path(v: &Value) -> String {
    format!("/api/v1/contacts/{}", v["id"].as_str().unwrap())
}

fn names(reply: &Reply) -> Vec<String> {
    let mut out: Vec<String> = reply.ok()["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap().to_owned())
        .collect();
    out.sort();
    out
}

async fn create_read_update_delete(app: TestApp) {
    let rep = app.rep(None).await;
    let account_id = account(&app, &rep.token, "苏州恒达机械有限公司").await;
    let contact = create(
        &app,
        &rep.token,
        json!({"account_id": account_id, "name": " 张伟 ", "title": "采购经理", "mobile": "+86 139 1234 5678", "email": "Zhang.Wei@HengDa.example.cn", "birthday": "1985-06-18", "notes": "喜欢喝茶 🍵"}),
    )
    .await;
    assert_eq!(contact["name"], "张伟");
    assert_eq!(contact["email"], "zhang.wei@hengda.example.cn");
    assert_eq!(contact["birthday"], "1985-06-18");
    assert_eq!(contact["is_primary"], true, "an account's first contact");
    assert_eq!(contact["notes"], "喜欢喝茶 🍵");
    let p = path(&contact);

    let read = app.get(&p, &rep.token).await;
    assert_eq!(read.ok()["account_id"], account_id.as_str());
    assert_eq!(read.etag(), "\"1\"");
    let updated = app
        .patch(
            &p,
            &rep.token,
            &read.etag(),
            &json!({"title": "总经理", "birthday": null, "mobile": null, "phone": "0512-6666 8888"}),
        )
        .await;
    assert_eq!(updated.ok()["title"], "总经理");
    assert_eq!(updated.body["birthday"], Value::Null);
    assert_eq!(updated.body["mobile"], Value::Null);
    assert_eq!(updated.body["name"], "张伟");
    assert_eq!(updated.etag(), "\"2\"");
    app.patch(&p, &rep.token, "\"1\"", &json!({"title": "旧"}))
        .await
        .problem(412, "stale-version");
    app.delete(&p, &rep.token, "\"1\"")
        .await
        .problem(412, "stale-version");
    assert_eq!(app.get(&p, &rep.token).await.body["title"], "总经理");
    assert_eq!(app.delete(&p, &rep.token, "\"2\"").await.status, 204);
    app.get(&p, &rep.token).await.problem(404, "not-found");
    assert_eq!(app.count("contacts").await, 0);
}

async fn visibility_follows_the_account(app: TestApp) {
    let team = app.team("华东").await;
    let rep_a = app.rep(Some(team)).await;
    let rep_b = app.rep(Some(team)).await;
    let outsider = app.rep(None).await;
    let manager = app.manager(Some(team)).await;
    let finance = app.user(Role::Finance, None).await;
    let service = app.user(Role::Service, None).await;
    let a_account = account(&app, &rep_a.token, "A 的客户").await;
    let b_account = account(&app, &rep_b.token, "B 的客户").await;
    let mine = create(
        &app,
        &rep_a.token,
        json!({"account_id": a_account, "name": "李娜"}),
    )
    .await;
    create(
        &app,
        &rep_b.token,
        json!({"account_id": b_account, "name": "王强"}),
    )
    .await;

    let list = |token: String| {
        let app = &app;
        async move { names(&app.get("/api/v1/contacts", &token).await) }
    };
    assert_eq!(list(rep_a.token.clone()).await, vec!["李娜"]);
    assert_eq!(list(manager.token.clone()).await, vec!["李娜", "王强"]);
    assert_eq!(list(finance.token.clone()).await.len(), 2);
    assert!(list(outsider.token.clone()).await.is_empty());

    // Invisible: 404 on reads and writes; a contact on an account one cannot see is a bad
    // account id (422), since the id came in the body.
    let p = path(&mine);
    app.get(&p, &outsider.token).await.problem(404, "not-found");
    app.get(&p, &rep_b.token).await.problem(404, "not-found");
    app.patch(&p, &rep_b.token, "\"1\"", &json!({"name": "x"}))
        .await
        .problem(404, "not-found");
    app.delete(&p, &outsider.token, "\"1\"")
        .await
        .problem(404, "not-found");
    app.post(
        "/api/v1/contacts",
        &rep_b.token,
        &json!({"account_id": a_account, "name": "混进来的"}),
    )
    .await
    .invalid_field("account_id");
    let unknown = app
        .post(
            "/api/v1/contacts",
            &rep_b.token,
            &json!({"account_id": uuid::Uuid::new_v4(), "name": "无主"}),
        )
        .await;
    assert_eq!(
        unknown.invalid_field("account_id")["errors"][0]["code"],
        "unknown-account"
    );

    // Finance reads and may not change; the team's manager and service staff may.
    assert_eq!(app.get(&p, &finance.token).await.ok()["name"], "李娜");
    app.patch(&p, &finance.token, "\"1\"", &json!({"name": "x"}))
        .await
        .problem(403, "forbidden");
    app.post(
        "/api/v1/contacts",
        &finance.token,
        &json!({"account_id": a_account, "name": "财务"}),
    )
    .await
    .problem(403, "forbidden");
    let by_manager = app
        .patch(&p, &manager.token, "\"1\"", &json!({"title": "厂长"}))
        .await;
    assert_eq!(by_manager.ok()["title"], "厂长");
    let by_service = app
        .patch(
            &p,
            &service.token,
            "\"2\"",
            &json!({"phone": "400-800-8888"}),
        )
        .await;
    assert_eq!(by_service.ok()["phone"], "400-800-8888");
    assert_eq!(app.count("contacts").await, 2);
}

async fn bad_input_changes_nothing(app: TestApp) {
    let rep = app.rep(None).await;
    let account_id = account(&app, &rep.token, "客道科技").await;
    let contact = create(
        &app,
        &rep.token,
        json!({"account_id": account_id, "name": "陈静"}),
    )
    .await;
    let tomorrow = (app.today() + chrono::Days::new(2)).to_string();
    let cases = [
        (json!({"account_id": account_id}), "name"),
        (json!({"name": "x"}), "account_id"),
        (json!({"account_id": account_id, "name": " "}), "name"),
        (
            json!({"account_id": "not-a-uuid", "name": "x"}),
            "account_id",
        ),
        (
            json!({"account_id": account_id, "name": "x", "wechat": "abc"}),
            "wechat",
        ),
        (
            json!({"account_id": account_id, "name": "x", "birthday": tomorrow}),
            "birthday",
        ),
        (
            json!({"account_id": account_id, "name": "x", "birthday": "1985-13-01"}),
            "birthday",
        ),
        (
            json!({"account_id": account_id, "name": "x", "email": "a@b"}),
            "email",
        ),
        (
            json!({"account_id": account_id, "name": "x", "is_primary": "yes"}),
            "is_primary",
        ),
        (
            json!({"account_id": account_id, "name": "x", "title": "长".repeat(101)}),
            "title",
        ),
    ];
    for (body, field) in cases {
        app.post("/api/v1/contacts", &rep.token, &body)
            .await
            .invalid_field(field);
    }
    assert_eq!(app.count("contacts").await, 1);
    let p = path(&contact);
    for (body, field) in [
        (json!({"birthday": tomorrow}), "birthday"),
        (json!({"name": ""}), "name"),
        (json!({"account_id": account_id}), "account_id"),
    ] {
        app.patch(&p, &rep.token, "\"1\"", &body)
            .await
            .invalid_field(field);
    }
    let read = app.get(&p, &rep.token).await;
    assert_eq!(read.etag(), "\"1\"", "nothing was saved");
    assert_eq!(read.body["birthday"], Value::Null);
}

async fn one_primary_contact_per_account(app: TestApp) {
    let rep = app.rep(None).await;
    let account_id = account(&app, &rep.token, "华信电子").await;
    let elsewhere = account(&app, &rep.token, "别的客户").await;
    let first = create(
        &app,
        &rep.token,
        json!({"account_id": account_id, "name": "一号"}),
    )
    .await;
    let second = create(
        &app,
        &rep.token,
        json!({"account_id": account_id, "name": "二号"}),
    )
    .await;
    let other = create(
        &app,
        &rep.token,
        json!({"account_id": elsewhere, "name": "外人"}),
    )
    .await;
    assert_eq!(first["is_primary"], true);
    assert_eq!(second["is_primary"], false);
    assert_eq!(other["is_primary"], true);

    let is_primary = |v: &Value| {
        let app = &app;
        let token = rep.token.clone();
        let p = path(v);
        async move {
            let r = app.get(&p, &token).await;
            (r.ok()["is_primary"].as_bool().unwrap(), r.etag())
        }
    };
    // A new primary contact takes the flag from the first; the first's version moves on.
    let third = create(
        &app,
        &rep.token,
        json!({"account_id": account_id, "name": "三号", "is_primary": true}),
    )
    .await;
    assert_eq!(third["is_primary"], true);
    assert_eq!(is_primary(&first).await, (false, "\"2\"".to_owned()));
    assert_eq!(is_primary(&second).await, (false, "\"1\"".to_owned()));
    // A stale ETag from before cannot write the old flag back.
    app.patch(
        &path(&first),
        &rep.token,
        "\"1\"",
        &json!({"is_primary": true}),
    )
    .await
    .problem(412, "stale-version");

    let promoted = app
        .patch(
            &path(&second),
            &rep.token,
            "\"1\"",
            &json!({"is_primary": true}),
        )
        .await;
    assert_eq!(promoted.ok()["is_primary"], true);
    assert!(!is_primary(&third).await.0);
    assert!(!is_primary(&first).await.0);
    assert!(is_primary(&other).await.0, "other accounts are untouched");

    let primaries = app
        .get(
            &format!("/api/v1/contacts?account_id={account_id}"),
            &rep.token,
        )
        .await;
    let flags: Vec<bool> = primaries.ok()["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["is_primary"].as_bool().unwrap())
        .collect();
    assert_eq!(flags.iter().filter(|p| **p).count(), 1);
    assert_eq!(flags.len(), 3);
}

async fn filter_search_and_cursor_paging(app: TestApp) {
    let rep = app.rep(None).await;
    let hengda = account(&app, &rep.token, "恒达").await;
    let acme = account(&app, &rep.token, "Acme").await;
    for (account_id, name, mobile, email) in [
        (
            &hengda,
            "欧阳娜娜",
            "+86 139 0000 0001",
            "ouyang@hengda.example.cn",
        ),
        (
            &hengda,
            "司马光",
            "+86 139 0000 0002",
            "sima@hengda.example.cn",
        ),
        (
            &hengda,
            "王小娜",
            "+86 139 0000 0003",
            "wang@hengda.example.cn",
        ),
        (
            &acme,
            "John Smith",
            "+1 415 555 0100",
            "john@acme.example.com",
        ),
    ] {
        create(
            &app,
            &rep.token,
            json!({"account_id": account_id, "name": name, "mobile": mobile, "email": email}),
        )
        .await;
    }
    let get = |query: String| format!("/api/v1/contacts?{query}");
    // %E5%A8%9C = 娜: a Chinese substring of two names.
    assert_eq!(
        names(&app.get(&get("q=%E5%A8%9C".into()), &rep.token).await),
        vec!["欧阳娜娜", "王小娜"]
    );
    assert_eq!(
        names(&app.get(&get("q=0002".into()), &rep.token).await),
        vec!["司马光"]
    );
    assert_eq!(
        names(&app.get(&get("q=ACME.example".into()), &rep.token).await),
        vec!["John Smith"]
    );
    assert_eq!(
        names(
            &app.get(&get(format!("account_id={acme}")), &rep.token)
                .await
        ),
        vec!["John Smith"]
    );
    app.get(&get("account_id=nope".into()), &rep.token)
        .await
        .invalid_field("account_id");
    app.get(&get("sort=email".into()), &rep.token)
        .await
        .invalid_field("sort");

    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    let mut pages = 0;
    loop {
        let query = match &cursor {
            Some(c) => format!("account_id={hengda}&sort=-created_at&limit=2&cursor={c}"),
            None => format!("account_id={hengda}&sort=-created_at&limit=2&include_total=true"),
        };
        let page = app.get(&get(query), &rep.token).await;
        if cursor.is_none() {
            assert_eq!(page.ok()["total"], 3);
        }
        for c in page.ok()["items"].as_array().unwrap() {
            seen.push(c["name"].as_str().unwrap().to_owned());
        }
        pages += 1;
        match page.body["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_owned()),
            None => break,
        }
    }
    assert_eq!(pages, 2);
    assert_eq!(seen, vec!["王小娜", "司马光", "欧阳娜娜"], "newest first");
}

both!(
    create_read_update_delete,
    visibility_follows_the_account,
    bad_input_changes_nothing,
    one_primary_contact_per_account,
    filter_search_and_cursor_paging
);
