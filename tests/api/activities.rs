//! Activities: visibility follows the customer (or lead) they hang on, plus the people who
//! took part or were copied; plans become done with an outcome; bad input stores nothing.

use serde_json::{Value, json};

use kedao_tests::{Actor, TestApp, both};

use crate::opportunities::account;

async fn activity(app: &TestApp, by: &Actor, body: Value) -> Value {
    let reply = app.post("/api/v1/activities", &by.token, &body).await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    reply.body
}

fn path(a: &Value) -> String {
    format!("/api/v1/activities/{}", a["id"].as_str().unwrap())
}

fn ids(reply: &kedao_tests::Reply) -> Vec<String> {
    reply.ok()["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap().to_owned())
        .collect()
}

async fn visibility_follows_the_customer_and_the_copies(app: TestApp) {
    let east = app.team("华东").await;
    let west = app.team("西南").await;
    let rep = app.rep(Some(east)).await;
    let manager = app.manager(Some(east)).await;
    let colleague = app.rep(Some(west)).await;
    let stranger = app.rep(Some(west)).await;
    let acc = account(&app, &rep, "云杉科技").await;
    let plan = activity(
        &app,
        &rep,
        json!({"kind": "visit", "subject": "拜访采购部", "account_id": acc,
               "planned_start": "2027-03-02T02:00:00Z", "planned_end": "2027-03-02T04:00:00Z",
               "place": "苏州", "purpose": "确认预算", "copied_to": [colleague.id]}),
    )
    .await;
    assert_eq!(plan["status"], "planned");
    assert_eq!(plan["copied_to"], json!([colleague.id]));
    let call = activity(
        &app,
        &rep,
        json!({"kind": "call", "subject": "电话回访", "account_id": acc, "outcome": "客户满意"}),
    )
    .await;
    assert_eq!(call["status"], "done");
    assert!(call["done_at"].is_string());
    let (plan_id, call_id) = (plan["id"].as_str().unwrap(), call["id"].as_str().unwrap());

    // The owner and the manager above see both; the copied colleague the copy only.
    for who in [&rep, &manager] {
        let seen = ids(&app.get("/api/v1/activities", &who.token).await);
        assert!(seen.contains(&plan_id.to_owned()) && seen.contains(&call_id.to_owned()));
    }
    let copied = app.get("/api/v1/activities", &colleague.token).await;
    assert_eq!(ids(&copied), [plan_id]);
    assert_eq!(app.get(&path(&plan), &colleague.token).await.status, 200);
    assert_eq!(app.get(&path(&call), &colleague.token).await.status, 404);
    // Being copied gives no right to change it.
    let edit = app
        .patch(
            &path(&plan),
            &colleague.token,
            "\"1\"",
            &json!({"subject": "x"}),
        )
        .await;
    assert_eq!(edit.status, 403, "{}", edit.text);
    // A stranger sees nothing, until the account is shared with them.
    assert!(ids(&app.get("/api/v1/activities", &stranger.token).await).is_empty());
    assert_eq!(app.get(&path(&call), &stranger.token).await.status, 404);
    let share = app
        .post(
            &format!("/api/v1/accounts/{acc}/shares"),
            &rep.token,
            &json!({"user_id": stranger.id, "access": "read"}),
        )
        .await;
    assert_eq!(share.status, 201, "{}", share.text);
    let shared = app
        .get(
            &format!("/api/v1/activities?account_id={acc}"),
            &stranger.token,
        )
        .await;
    assert_eq!(ids(&shared).len(), 2);

    // An activity on a lead without an account reaches whoever sees the lead.
    let lead = app
        .post(
            "/api/v1/leads",
            &rep.token,
            &json!({"name": "赵六", "source": "web"}),
        )
        .await;
    let on_lead = activity(
        &app,
        &rep,
        json!({"kind": "task", "subject": "发送资料", "lead_id": lead.ok()["id"],
               "due_date": "2027-01-10", "priority": "high"}),
    )
    .await;
    assert_eq!(on_lead["status"], "planned");
    assert_eq!(app.get(&path(&on_lead), &manager.token).await.status, 200);
    assert_eq!(app.get(&path(&on_lead), &stranger.token).await.status, 404);
}

async fn a_plan_becomes_done_and_a_task_undone(app: TestApp) {
    let rep = app.rep(None).await;
    let acc = account(&app, &rep, "长城机械").await;
    let task = activity(
        &app,
        &rep,
        json!({"kind": "task", "subject": "准备报价", "account_id": acc, "due_date": "2027-02-01"}),
    )
    .await;
    let done = app
        .patch(
            &path(&task),
            &rep.token,
            "\"1\"",
            &json!({"status": "done", "outcome": "已发送"}),
        )
        .await;
    assert_eq!(done.ok()["status"], "done");
    assert!(done.body["done_at"].is_string());
    assert_eq!(done.body["outcome"], "已发送");
    let stale = app
        .patch(
            &path(&task),
            &rep.token,
            "\"1\"",
            &json!({"status": "planned"}),
        )
        .await;
    assert_eq!(stale.status, 412, "{}", stale.text);
    let undone = app
        .patch(
            &path(&task),
            &rep.token,
            &done.etag(),
            &json!({"status": "planned"}),
        )
        .await;
    assert_eq!(undone.ok()["status"], "planned");
    assert!(undone.body["done_at"].is_null());
    let gone = app.delete(&path(&task), &rep.token, &undone.etag()).await;
    assert_eq!(gone.status, 204);
    assert_eq!(app.get(&path(&task), &rep.token).await.status, 404);
}

async fn bad_activities_store_nothing(app: TestApp) {
    let rep = app.rep(None).await;
    let other = app.rep(None).await;
    let acc = account(&app, &rep, "甲").await;
    let elsewhere = account(&app, &rep, "乙").await;
    let contact = app
        .post(
            "/api/v1/contacts",
            &rep.token,
            &json!({"account_id": elsewhere, "name": "王五"}),
        )
        .await;
    let foreign = account(&app, &other, "丙").await;
    let cases = [
        (json!({"kind": "call", "subject": "x"}), "account_id"),
        (
            json!({"kind": "call", "subject": "x", "account_id": foreign}),
            "account_id",
        ),
        (
            json!({"kind": "call", "subject": "x", "account_id": acc,
                   "contact_id": contact.ok()["id"]}),
            "contact_id",
        ),
        (
            json!({"kind": "visit", "subject": "x", "account_id": acc,
                   "planned_start": "2027-03-02T04:00:00Z", "planned_end": "2027-03-02T02:00:00Z"}),
            "planned_end",
        ),
        (
            json!({"kind": "call", "subject": "x", "account_id": acc,
                   "participants": [uuid::Uuid::new_v4()]}),
            "participants",
        ),
        (
            json!({"kind": "call", "subject": "  ", "account_id": acc}),
            "subject",
        ),
    ];
    for (body, field) in cases {
        let reply = app.post("/api/v1/activities", &rep.token, &body).await;
        reply.invalid_field(field);
    }
    let unknown_kind = app
        .post(
            "/api/v1/activities",
            &rep.token,
            &json!({"kind": "party", "subject": "x", "account_id": acc}),
        )
        .await;
    assert_eq!(unknown_kind.status, 422, "{}", unknown_kind.text);
    assert_eq!(app.count("activities").await, 0);
}

both!(
    visibility_follows_the_customer_and_the_copies,
    a_plan_becomes_done_and_a_task_undone,
    bad_activities_store_nothing
);

/// The timeline: every kind of event on the customer in one stream, newest first, paged by a
/// cursor without gaps or repeats, each source as far as the caller may read it.
async fn the_customer_timeline_tells_the_whole_story(app: TestApp) {
    let rep = app.rep(None).await;
    let acc = account(&app, &rep, "云杉科技").await;
    let opp = app
        .post(
            "/api/v1/opportunities",
            &rep.token,
            &json!({"title": "产线", "account_id": acc, "amount": "1000",
                    "expected_close_date": "2099-01-01"}),
        )
        .await;
    let opp_id = opp.ok()["id"].as_str().unwrap().to_owned();
    let quote = app
        .post(
            "/api/v1/quotes",
            &rep.token,
            &json!({"opportunity_id": opp_id, "valid_until": "2099-01-01", "lines": [
                {"description": "设备", "quantity": "1", "unit_price": "1000", "tax_rate_percent": "0"}]}),
        )
        .await;
    let q = quote.ok()["id"].as_str().unwrap().to_owned();
    let sent = app
        .call(
            reqwest::Method::POST,
            &format!("/api/v1/quotes/{q}/send"),
            Some(&rep.token),
            None,
            Some("\"1\""),
        )
        .await;
    let accepted = app
        .call(
            reqwest::Method::POST,
            &format!("/api/v1/quotes/{q}/accept"),
            Some(&rep.token),
            None,
            Some(&sent.etag()),
        )
        .await;
    assert_eq!(accepted.status, 201, "{}", accepted.text);
    let paid = app
        .post(
            "/api/v1/payments",
            &rep.token,
            &json!({"account_id": acc, "amount": "300", "currency": "CNY",
                    "received_on": "2026-01-15", "method": "bank_transfer"}),
        )
        .await;
    assert_eq!(paid.status, 201, "{}", paid.text);
    activity(
        &app,
        &rep,
        json!({"kind": "call", "subject": "确认到货", "account_id": acc}),
    )
    .await;
    let current = app
        .get(&format!("/api/v1/accounts/{acc}"), &rep.token)
        .await;
    let renamed = app
        .patch(
            &format!("/api/v1/accounts/{acc}"),
            &rep.token,
            &current.etag(),
            &json!({"name": "云杉科技股份"}),
        )
        .await;
    assert_eq!(renamed.status, 200, "{}", renamed.text);

    let all = app
        .get(
            &format!("/api/v1/accounts/{acc}/timeline?limit=200"),
            &rep.token,
        )
        .await;
    let items = all.ok()["items"].as_array().unwrap().clone();
    for kind in [
        "activity",
        "stage_move",
        "quote",
        "order",
        "payment",
        "field_change",
    ] {
        assert!(
            items.iter().any(|e| e["kind"] == kind),
            "no {kind}: {}",
            all.text
        );
    }
    let times: Vec<&str> = items.iter().map(|e| e["at"].as_str().unwrap()).collect();
    let parsed: Vec<chrono::DateTime<chrono::Utc>> =
        times.iter().map(|t| t.parse().unwrap()).collect();
    assert!(
        parsed.windows(2).all(|w| w[0] >= w[1]),
        "newest first: {times:?}"
    );

    // Pages of three walk the same stream, no gaps, no repeats.
    let mut walked = Vec::new();
    let mut next: Option<String> = None;
    loop {
        let page_path = match &next {
            Some(c) => format!("/api/v1/accounts/{acc}/timeline?limit=3&cursor={c}"),
            None => format!("/api/v1/accounts/{acc}/timeline?limit=3"),
        };
        let page = app.get(&page_path, &rep.token).await;
        for e in page.ok()["items"].as_array().unwrap() {
            walked.push(e["id"].clone());
        }
        match page.body["next_cursor"].as_str() {
            Some(c) => next = Some(c.to_owned()),
            None => break,
        }
    }
    let ids: Vec<Value> = items.iter().map(|e| e["id"].clone()).collect();
    assert_eq!(walked, ids);

    let bad = app
        .get(
            &format!("/api/v1/accounts/{acc}/timeline?cursor=nonsense"),
            &rep.token,
        )
        .await;
    bad.invalid_field("cursor");
    let stranger = app.rep(None).await;
    let hidden = app
        .get(&format!("/api/v1/accounts/{acc}/timeline"), &stranger.token)
        .await;
    assert_eq!(hidden.status, 404);
    // Service reads the customer and its activities, not its deals, quotes, orders or money.
    let service = app.user(kedao_domain::access::Role::Service, None).await;
    let seen = app
        .get(
            &format!("/api/v1/accounts/{acc}/timeline?limit=200"),
            &service.token,
        )
        .await;
    let kinds: Vec<&str> = seen.ok()["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert!(
        kinds.contains(&"activity") && kinds.contains(&"field_change"),
        "{kinds:?}"
    );
    assert!(
        !kinds
            .iter()
            .any(|k| ["stage_move", "quote", "order", "payment"].contains(k)),
        "{kinds:?}"
    );
    // An API token sees the sources its scopes name, even when its creator could see more.
    let admin = app.admin().await;
    let (token, _) =
        crate::api_tokens::api_token(&app, &admin, &["accounts:read", "orders:read"]).await;
    let narrowed = app
        .get(
            &format!("/api/v1/accounts/{acc}/timeline?limit=200"),
            &token,
        )
        .await;
    let kinds: Vec<&str> = narrowed.ok()["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert!(kinds.contains(&"order"), "{kinds:?}");
    assert!(
        !kinds
            .iter()
            .any(|k| ["activity", "stage_move", "quote", "payment"].contains(k)),
        "{kinds:?}"
    );
}

both!(the_customer_timeline_tells_the_whole_story);

/// The calendar: a user's plans and tasks in a range of days, a team's for its manager, only
/// what the caller may read, never cancelled ones; ranges are checked.
async fn calendars_of_people_and_teams(app: TestApp) {
    let team = app.team("华北").await;
    let rep = app.rep(Some(team)).await;
    let manager = app.manager(Some(team)).await;
    let outsider = app.rep(None).await;
    let acc = account(&app, &rep, "北方重工").await;
    let plan = |start: &str| {
        json!({"kind": "visit", "subject": format!("拜访 {start}"), "account_id": acc,
               "planned_start": start})
    };
    // 2027-03-02 01:00 Beijing time is still 1 March in UTC: the company's day decides.
    let early = activity(&app, &rep, plan("2027-03-01T17:00:00Z")).await;
    let later = activity(&app, &rep, plan("2027-03-05T02:00:00Z")).await;
    let outside = activity(&app, &rep, plan("2027-03-09T02:00:00Z")).await;
    let task = activity(
        &app,
        &rep,
        json!({"kind": "task", "subject": "寄样品", "account_id": acc, "due_date": "2027-03-03"}),
    )
    .await;
    let cancelled = activity(&app, &rep, plan("2027-03-04T02:00:00Z")).await;
    let off = app
        .patch(
            &path(&cancelled),
            &rep.token,
            "\"1\"",
            &json!({"status": "cancelled"}),
        )
        .await;
    assert_eq!(off.status, 200, "{}", off.text);

    let range = "from=2027-03-02&to=2027-03-08";
    let mine = app
        .get(&format!("/api/v1/calendar?{range}"), &rep.token)
        .await;
    let got: Vec<&Value> = mine
        .ok()
        .as_array()
        .unwrap()
        .iter()
        .map(|a| &a["id"])
        .collect();
    assert_eq!(
        got,
        [&early["id"], &task["id"], &later["id"]],
        "{}",
        mine.text
    );
    assert!(!mine.text.contains(outside["id"].as_str().unwrap()));

    let teams = app
        .get(
            &format!("/api/v1/calendar?{range}&team={team}"),
            &manager.token,
        )
        .await;
    assert_eq!(teams.ok().as_array().unwrap().len(), 3);
    let reps = app
        .get(
            &format!("/api/v1/calendar?{range}&user={}", rep.id),
            &manager.token,
        )
        .await;
    assert_eq!(reps.ok().as_array().unwrap().len(), 3);
    app.get(
        &format!("/api/v1/calendar?{range}&user={}&team={team}", rep.id),
        &manager.token,
    )
    .await
    .invalid_field("team");
    // `user_id` is the same parameter under its older name.
    let peeking = app
        .get(
            &format!("/api/v1/calendar?{range}&user_id={}", rep.id),
            &outsider.token,
        )
        .await;
    assert_eq!(peeking.ok().as_array().unwrap().len(), 0);

    let backwards = app
        .get("/api/v1/calendar?from=2027-03-08&to=2027-03-02", &rep.token)
        .await;
    backwards.invalid_field("to");
    let too_long = app
        .get("/api/v1/calendar?from=2027-01-01&to=2027-12-31", &rep.token)
        .await;
    too_long.invalid_field("to");
}

both!(calendars_of_people_and_teams);
