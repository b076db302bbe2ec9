use kedao_tests::{TestApp, both};
use serde_json::{Value, json};

async fn create(app: &TestApp, token: &str, body: Value) -> Value {
    let reply = app.post("/api/v1/leads", token, &body).await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    assert!(reply.headers.get("location").is_some());
    reply.body
}

async fn create_read_update_delete(app: TestApp) {
    let rep = app.rep(None).await;
    let lead = create(
        &app,
        &rep.token,
        json!({"name": " 李雷 ", "company": "杭州云杉制造有限公司", "email": "Li.Lei@Yunshan.example.cn", "source": "exhibition", "score": 60, "notes": "展会上认识 🚀"}),
    )
    .await;
    assert_eq!(lead["name"], "李雷", "trimmed");
    assert_eq!(lead["email"], "li.lei@yunshan.example.cn");
    assert_eq!(lead["status"], "new");
    assert_eq!(lead["owner_id"], rep.id.to_string());
    assert_eq!(lead["notes"], "展会上认识 🚀");
    let id = lead["id"].as_str().unwrap();
    let path = format!("/api/v1/leads/{id}");

    let read = app.get(&path, &rep.token).await;
    assert_eq!(read.ok()["company"], "杭州云杉制造有限公司");
    assert_eq!(read.etag(), "\"1\"");

    // Update needs If-Match; a stale one is refused and changes nothing.
    let no_if_match = app
        .call(
            reqwest::Method::PATCH,
            &path,
            Some(&rep.token),
            Some(&json!({"score": 80})),
            None,
        )
        .await;
    no_if_match.problem(428, "if-match-required");
    let updated = app
        .patch(
            &path,
            &rep.token,
            &read.etag(),
            &json!({"score": 80, "status": "working", "company": null}),
        )
        .await;
    assert_eq!(updated.ok()["score"], 80);
    assert_eq!(updated.body["status"], "working");
    assert_eq!(updated.body["company"], Value::Null);
    assert_eq!(updated.etag(), "\"2\"");
    let stale = app
        .patch(&path, &rep.token, &read.etag(), &json!({"score": 10}))
        .await;
    stale.problem(412, "stale-version");
    assert_eq!(app.get(&path, &rep.token).await.body["score"], 80);

    // Delete with the current version.
    app.delete(&path, &rep.token, "\"1\"")
        .await
        .problem(412, "stale-version");
    assert_eq!(
        app.delete(&path, &rep.token, &updated.etag()).await.status,
        204
    );
    app.get(&path, &rep.token).await.problem(404, "not-found");
}

async fn status_rules(app: TestApp) {
    let rep = app.rep(None).await;
    let lead = create(
        &app,
        &rep.token,
        json!({"name": "Emily Chen", "source": "web"}),
    )
    .await;
    let path = format!("/api/v1/leads/{}", lead["id"].as_str().unwrap());
    // Qualified only by converting.
    app.patch(&path, &rep.token, "\"1\"", &json!({"status": "qualified"}))
        .await
        .problem(409, "invalid-transition");
    // Disqualifying needs a reason.
    app.patch(
        &path,
        &rep.token,
        "\"1\"",
        &json!({"status": "disqualified"}),
    )
    .await
    .invalid_field("disqualify_reason");
    let dq = app
        .patch(
            &path,
            &rep.token,
            "\"1\"",
            &json!({"status": "disqualified", "disqualify_reason": "无预算"}),
        )
        .await;
    assert_eq!(dq.ok()["disqualify_reason"], "无预算");
    // Reopen clears the reason.
    let reopened = app
        .patch(&path, &rep.token, &dq.etag(), &json!({"status": "working"}))
        .await;
    assert_eq!(reopened.ok()["status"], "working");
    assert_eq!(reopened.body["disqualify_reason"], Value::Null);
    app.patch(
        &path,
        &rep.token,
        &reopened.etag(),
        &json!({"status": "new"}),
    )
    .await
    .problem(409, "invalid-transition");
}

async fn reps_see_own_managers_team_admins_all(app: TestApp) {
    let east = app.team("华东").await;
    let west = app.team("西南").await;
    let rep_a = app.rep(Some(east)).await;
    let rep_b = app.rep(Some(east)).await;
    let rep_c = app.rep(Some(west)).await;
    let manager = app.manager(Some(east)).await;
    let admin = app.admin().await;
    let a = create(
        &app,
        &rep_a.token,
        json!({"name": "A 的线索", "source": "call"}),
    )
    .await;
    create(
        &app,
        &rep_b.token,
        json!({"name": "B 的线索", "source": "call"}),
    )
    .await;
    let c = create(
        &app,
        &rep_c.token,
        json!({"name": "C's lead", "source": "call"}),
    )
    .await;

    let names = |reply: &kedao_tests::Reply| -> Vec<String> {
        reply.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l["name"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(
        names(&app.get("/api/v1/leads", &rep_a.token).await),
        vec!["A 的线索"]
    );
    let mut team = names(&app.get("/api/v1/leads", &manager.token).await);
    team.sort();
    assert_eq!(team, vec!["A 的线索", "B 的线索"]);
    assert_eq!(
        app.get("/api/v1/leads", &admin.token).await.body["items"]
            .as_array()
            .unwrap()
            .len(),
        3
    );

    // Another rep's lead is invisible: 404, not 403, so ids reveal nothing.
    let c_path = format!("/api/v1/leads/{}", c["id"].as_str().unwrap());
    app.get(&c_path, &rep_a.token)
        .await
        .problem(404, "not-found");
    app.get(&c_path, &manager.token)
        .await
        .problem(404, "not-found");
    app.patch(&c_path, &rep_a.token, "\"1\"", &json!({"score": 1}))
        .await
        .problem(404, "not-found");

    // The manager can work the team's lead; a rep cannot give a lead to another team.
    let a_path = format!("/api/v1/leads/{}", a["id"].as_str().unwrap());
    assert_eq!(
        app.patch(&a_path, &manager.token, "\"1\"", &json!({"score": 55}))
            .await
            .status,
        200
    );
    app.patch(
        &a_path,
        &rep_a.token,
        "\"2\"",
        &json!({"owner_id": rep_c.id}),
    )
    .await
    .problem(403, "forbidden");
    // Finance has no access to leads at all.
    let finance = app.user(kedao_domain::access::Role::Finance, None).await;
    app.get("/api/v1/leads", &finance.token)
        .await
        .problem(403, "forbidden");
}

async fn filter_search_sort_and_cursor_paging(app: TestApp) {
    let rep = app.rep(None).await;
    for (i, (name, company)) in [
        ("张伟", "苏州恒达机械有限公司"),
        ("John Smith", "Acme Industrial Supply Co."),
        ("王芳", "深圳市华信电子科技有限公司"),
        ("Anna Müller", "Summit 50% Tools"),
        ("李娜", "恒达物流"),
    ]
    .iter()
    .enumerate()
    {
        create(&app, &rep.token, json!({"name": name, "company": company, "source": if i % 2 == 0 { "web" } else { "call" }, "score": i * 10})).await;
    }
    let names = |reply: &kedao_tests::Reply| -> Vec<String> {
        reply.ok()["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l["name"].as_str().unwrap().to_owned())
            .collect()
    };
    // Chinese substring search, Latin case-insensitive search, literal %.
    let mut hits = names(
        &app.get(
            "/api/v1/leads?q=%E6%81%92%E8%BE%BE",
            &app.rep(None).await.token,
        )
        .await,
    );
    assert!(hits.is_empty(), "another rep sees nothing");
    hits = names(
        &app.get("/api/v1/leads?q=%E6%81%92%E8%BE%BE", &rep.token)
            .await,
    );
    hits.sort();
    assert_eq!(hits, vec!["张伟", "李娜"]);
    assert_eq!(
        names(&app.get("/api/v1/leads?q=ACME", &rep.token).await),
        vec!["John Smith"]
    );
    assert_eq!(
        names(&app.get("/api/v1/leads?q=50%25", &rep.token).await),
        vec!["Anna Müller"]
    );
    assert_eq!(
        names(
            &app.get("/api/v1/leads?source=call&sort=name", &rep.token)
                .await
        ),
        vec!["Anna Müller", "John Smith"]
    );

    // Sorted by score descending, two per page, every row exactly once.
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    let mut pages = 0;
    loop {
        let path = match &cursor {
            Some(c) => format!("/api/v1/leads?sort=-score&limit=2&cursor={c}"),
            None => "/api/v1/leads?sort=-score&limit=2&include_total=true".to_owned(),
        };
        let page = app.get(&path, &rep.token).await;
        if cursor.is_none() {
            assert_eq!(page.ok()["total"], 5);
        } else {
            assert!(page.ok().get("total").is_none(), "total only when asked");
        }
        for l in page.body["items"].as_array().unwrap() {
            seen.push(l["score"].as_i64().unwrap());
        }
        pages += 1;
        match page.body["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_owned()),
            None => break,
        }
    }
    assert_eq!(pages, 3);
    assert_eq!(seen, vec![40, 30, 20, 10, 0]);
}

both!(
    create_read_update_delete,
    status_rules,
    reps_see_own_managers_team_admins_all,
    filter_search_sort_and_cursor_paging
);
