//! Who sees which opportunities, and the list's filters, sorting and cursor paging.

use kedao_domain::access::Role;
use kedao_tests::{TestApp, both};
use serde_json::json;

use super::{account, contact, create, default_stages, id, path};

async fn reps_see_own_managers_team_admins_all(app: TestApp) {
    let east = app.team("华东").await;
    let west = app.team("西南").await;
    let rep_a = app.rep(Some(east)).await;
    let rep_b = app.rep(Some(east)).await;
    let rep_c = app.rep(Some(west)).await;
    let manager = app.manager(Some(east)).await;
    let admin = app.admin().await;
    let mut ids = Vec::new();
    let mut accounts = Vec::new();
    for (rep, name) in [(&rep_a, "A 公司"), (&rep_b, "B 公司"), (&rep_c, "C Ltd")] {
        let acc = account(&app, rep, name).await;
        let opp = create(
            &app,
            &rep.token,
            json!({"title": format!("{name} 项目"), "account_id": acc, "amount": "100", "expected_close_date": "2027-03-01"}),
        )
        .await;
        ids.push(id(&opp).to_owned());
        accounts.push(acc);
    }
    let titles = |reply: &kedao_tests::Reply| -> Vec<String> {
        let mut t: Vec<String> = reply.ok()["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["title"].as_str().unwrap().to_owned())
            .collect();
        t.sort();
        t
    };
    assert_eq!(
        titles(&app.get("/api/v1/opportunities", &rep_a.token).await),
        vec!["A 公司 项目"]
    );
    assert_eq!(
        titles(&app.get("/api/v1/opportunities", &manager.token).await),
        vec!["A 公司 项目", "B 公司 项目"]
    );
    assert_eq!(
        titles(&app.get("/api/v1/opportunities", &admin.token).await).len(),
        3
    );
    let finance = app.user(Role::Finance, None).await;
    assert_eq!(
        titles(&app.get("/api/v1/opportunities", &finance.token).await).len(),
        3
    );
    let c_path = format!("/api/v1/opportunities/{}", ids[2]);
    app.get(&c_path, &rep_a.token)
        .await
        .problem(404, "not-found");
    app.get(&c_path, &manager.token)
        .await
        .problem(404, "not-found");
    app.patch(&c_path, &rep_a.token, "\"1\"", &json!({"title": "x"}))
        .await
        .problem(404, "not-found");
    app.delete(&c_path, &manager.token, "\"1\"")
        .await
        .problem(404, "not-found");

    // Deals only on accounts the caller sees, contacts only of that account.
    let body = |acc: &str| json!({"title": "越权", "account_id": acc, "amount": "1", "expected_close_date": "2027-03-01"});
    app.post("/api/v1/opportunities", &rep_a.token, &body(&accounts[2]))
        .await
        .invalid_field("account_id");
    let c_contact = contact(&app, &rep_c, &accounts[2], "Carol").await;
    let mut with_contact = body(&accounts[0]);
    with_contact["contact_id"] = json!(c_contact);
    app.post("/api/v1/opportunities", &rep_a.token, &with_contact)
        .await
        .invalid_field("contact_id");
    let a_contact = contact(&app, &rep_a, &accounts[0], "王芳").await;
    with_contact["contact_id"] = json!(a_contact);
    assert_eq!(
        app.post("/api/v1/opportunities", &rep_a.token, &with_contact)
            .await
            .status,
        201
    );

    // The manager works the team's deal; a rep cannot hand one to another team.
    let a_path = format!("/api/v1/opportunities/{}", ids[0]);
    assert_eq!(
        app.patch(&a_path, &manager.token, "\"1\"", &json!({"amount": "200"}))
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
    app.post("/api/v1/opportunities", &finance.token, &body(&accounts[0]))
        .await
        .problem(403, "forbidden");
    let service = app.user(Role::Service, None).await;
    app.get("/api/v1/opportunities", &service.token)
        .await
        .problem(403, "forbidden");
}

async fn filter_sort_and_cursor_paging(app: TestApp) {
    let rep = app.rep(None).await;
    let acc = account(&app, &rep, "恒达物流").await;
    let stages = default_stages(&app, &rep.token).await;
    let mut created = Vec::new();
    for (title, amount, close) in [
        ("恒达 仓储系统", "300.00", "2027-01-10"),
        ("Forklift fleet", "100.00", "2027-02-10"),
        ("恒达 冷链", "500.00", "2027-03-10"),
        ("Conveyor", "200.00", "2027-04-10"),
        ("Racking", "400.00", "2027-05-10"),
    ] {
        created.push(
            create(
                &app,
                &rep.token,
                json!({"title": title, "account_id": acc, "amount": amount, "expected_close_date": close}),
            )
            .await,
        );
    }
    for i in [0, 3] {
        app.patch(
            &path(&created[i]),
            &rep.token,
            "\"1\"",
            &json!({"stage_id": stages[4]}),
        )
        .await
        .ok();
    }
    let titles = |reply: &kedao_tests::Reply| -> Vec<String> {
        reply.ok()["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["title"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(
        titles(
            &app.get("/api/v1/opportunities?status=won&sort=amount", &rep.token)
                .await
        ),
        vec!["Conveyor", "恒达 仓储系统"]
    );
    assert_eq!(
        titles(
            &app.get("/api/v1/opportunities?status=open&sort=amount", &rep.token)
                .await
        ),
        vec!["Forklift fleet", "Racking", "恒达 冷链"]
    );
    assert_eq!(
        titles(
            &app.get(
                "/api/v1/opportunities?close_from=2027-02-10&close_to=2027-04-09&sort=expected_close_date",
                &rep.token
            )
            .await
        ),
        vec!["Forklift fleet", "恒达 冷链"]
    );
    assert_eq!(
        titles(
            &app.get(
                &format!(
                    "/api/v1/opportunities?stage_id={}&q=%E6%81%92%E8%BE%BE",
                    stages[4]
                ),
                &rep.token
            )
            .await
        ),
        vec!["恒达 仓储系统"]
    );
    app.get("/api/v1/opportunities?status=pending", &rep.token)
        .await
        .invalid_field("status");
    app.get("/api/v1/opportunities?sort=probability", &rep.token)
        .await
        .invalid_field("sort");

    // By amount descending, two per page, each row exactly once.
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    let mut pages = 0;
    loop {
        let p = match &cursor {
            Some(c) => format!("/api/v1/opportunities?sort=-amount&limit=2&cursor={c}"),
            None => "/api/v1/opportunities?sort=-amount&limit=2&include_total=true".to_owned(),
        };
        let page = app.get(&p, &rep.token).await;
        if cursor.is_none() {
            assert_eq!(page.ok()["total"], 5);
        }
        for o in page.ok()["items"].as_array().unwrap() {
            seen.push(o["amount"].as_str().unwrap().to_owned());
        }
        pages += 1;
        match page.body["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_owned()),
            None => break,
        }
    }
    assert_eq!(pages, 3);
    assert_eq!(seen, vec!["500.00", "400.00", "300.00", "200.00", "100.00"]);
}

both!(
    reps_see_own_managers_team_admins_all,
    filter_sort_and_cursor_paging
);
