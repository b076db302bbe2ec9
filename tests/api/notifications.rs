//! Notifications: each user reads and marks only their own; a record handed to someone else
//! notifies them (never someone who took it themselves); the reminder scan notifies each
//! occurrence exactly once, however often and on however many servers it runs at once.

use chrono::Datelike;
use serde_json::{Value, json};

use kedao_domain::access::Role;
use kedao_tests::{Actor, TestApp, both};

use crate::jobs::scheduling;
use crate::opportunities::{self, account};
use crate::receivables::order;

/// The user's notifications, newest first.
async fn inbox(app: &TestApp, who: &Actor) -> Vec<Value> {
    let reply = app.get("/api/v1/notifications?limit=200", &who.token).await;
    reply.ok()["items"].as_array().unwrap().clone()
}

fn of_kind<'a>(items: &'a [Value], kind: &str) -> Vec<&'a Value> {
    items.iter().filter(|n| n["kind"] == kind).collect()
}

async fn unread(app: &TestApp, who: &Actor) -> u64 {
    let reply = app
        .get("/api/v1/notifications/unread-count", &who.token)
        .await;
    reply.ok()["unread"].as_u64().unwrap()
}

/// Hands the account to `to`, as `by`.
async fn reassign(app: &TestApp, by: &Actor, acc: &str, to: &Actor) {
    let path = format!("/api/v1/accounts/{acc}");
    let etag = app.get(&path, &by.token).await.etag();
    let reply = app
        .patch(&path, &by.token, &etag, &json!({"owner_id": to.id}))
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
}

async fn reassignment_notifies_the_new_owner_who_reads_and_marks_their_own(app: TestApp) {
    let team = app.team("华东").await;
    let rep = app.rep(Some(team)).await;
    let colleague = app.rep(Some(team)).await;
    let manager = app.manager(Some(team)).await;
    let acc = account(&app, &rep, "云杉科技").await;

    // The manager hands it to the colleague: the colleague is told, with a link to it.
    reassign(&app, &manager, &acc, &colleague).await;
    let told = inbox(&app, &colleague).await;
    assert_eq!(told.len(), 1, "{told:?}");
    assert_eq!(told[0]["kind"], "reassigned");
    assert_eq!(told[0]["record_type"], "account");
    assert_eq!(told[0]["record_id"], acc.as_str());
    assert!(told[0]["read_at"].is_null());
    // Taking it oneself tells nobody.
    reassign(&app, &manager, &acc, &manager).await;
    assert!(inbox(&app, &manager).await.is_empty());
    // Handing it back to the rep tells the rep, once more for the colleague if it comes back.
    reassign(&app, &manager, &acc, &rep).await;
    reassign(&app, &manager, &acc, &colleague).await;
    assert_eq!(of_kind(&inbox(&app, &rep).await, "reassigned").len(), 1);
    let told = inbox(&app, &colleague).await;
    assert_eq!(told.len(), 2);
    assert!(told[0]["created_at"].as_str() >= told[1]["created_at"].as_str());

    // Unread count, mark one read, the unread filter, read-all.
    assert_eq!(unread(&app, &colleague).await, 2);
    let first = told[0]["id"].as_str().unwrap();
    let read = app
        .call(
            reqwest::Method::POST,
            &format!("/api/v1/notifications/{first}/read"),
            Some(&colleague.token),
            None,
            None,
        )
        .await;
    assert!(read.ok()["read_at"].is_string(), "{}", read.text);
    assert_eq!(unread(&app, &colleague).await, 1);
    let unread_only = app
        .get("/api/v1/notifications?unread=true", &colleague.token)
        .await;
    let items = unread_only.ok()["items"].as_array().unwrap();
    assert_eq!(items.len(), 1);
    assert_ne!(items[0]["id"], first);

    // Another user's notification is not found, and stays unread.
    let theirs = items[0]["id"].as_str().unwrap();
    let stolen = app
        .call(
            reqwest::Method::POST,
            &format!("/api/v1/notifications/{theirs}/read"),
            Some(&rep.token),
            None,
            None,
        )
        .await;
    stolen.problem(404, "not-found");
    assert_eq!(unread(&app, &colleague).await, 1);

    let all = app
        .call(
            reqwest::Method::POST,
            "/api/v1/notifications/read-all",
            Some(&colleague.token),
            None,
            None,
        )
        .await;
    assert_eq!(all.ok()["marked"], 1);
    assert_eq!(unread(&app, &colleague).await, 0);
    // The rep's own stay unread.
    assert_eq!(unread(&app, &rep).await, 1);

    // Leads and deals handed over notify the same way, linking to them.
    let lead = app
        .post(
            "/api/v1/leads",
            &rep.token,
            &json!({"name": "李雷", "source": "exhibition"}),
        )
        .await;
    assert_eq!(lead.status, 201, "{}", lead.text);
    let acc2 = account(&app, &rep, "恒达机械").await;
    let opp = opportunities::create(
        &app,
        &rep.token,
        json!({"title": "数控机床 20 台", "account_id": acc2, "amount": "1000.00",
               "expected_close_date": "2027-02-28"}),
    )
    .await;
    for (path, body, record_type) in [
        ("leads", &lead.body, "lead"),
        ("opportunities", &opp, "opportunity"),
    ] {
        let path = format!("/api/v1/{path}/{}", body["id"].as_str().unwrap());
        let etag = app.get(&path, &manager.token).await.etag();
        let moved = app
            .patch(
                &path,
                &manager.token,
                &etag,
                &json!({"owner_id": colleague.id}),
            )
            .await;
        assert_eq!(moved.status, 200, "{}", moved.text);
        let newest = &inbox(&app, &colleague).await[0];
        assert_eq!(newest["kind"], "reassigned");
        assert_eq!(newest["record_type"], record_type);
        assert_eq!(newest["record_id"], body["id"]);
    }
    assert_eq!(unread(&app, &colleague).await, 2);
}

/// The company's calendar far from UTC: Kiritimati is UTC+14.
fn kiritimati(settings: &mut kedao_api::Settings) {
    settings.time_zone = "Pacific/Kiritimati".parse().unwrap();
    // The scans here are the test's own: no scheduled scan may run between them (one would,
    // on the hour).
    settings.job_workers = 0;
}

async fn run_scan(app: &TestApp, admin: &Actor) -> Value {
    let reply = app
        .call(
            reqwest::Method::POST,
            "/api/v1/admin/reminders/run",
            Some(&admin.token),
            None,
            None,
        )
        .await;
    reply.ok().clone()
}

fn total(counts: &Value) -> u64 {
    counts
        .as_object()
        .unwrap()
        .values()
        .map(|v| v.as_u64().unwrap())
        .sum()
}

async fn reminders_fire_once_per_occurrence(app: TestApp) {
    let team = app.team("华东").await;
    let rep = app.rep(Some(team)).await;
    let manager = app.manager(Some(team)).await;
    let finance = app.user(Role::Finance, None).await;
    let admin = app.admin().await;
    let acc = account(&app, &rep, "寿星客户").await;

    // A task due tomorrow, one overdue, one done (no reminder).
    let mut tasks = Vec::new();
    for (subject, due, status) in [
        ("明天回访", 1, "planned"),
        ("逾期报价跟进", -2, "planned"),
        ("已完成任务", -1, "done"),
    ] {
        let reply = app
            .post(
                "/api/v1/activities",
                &rep.token,
                &json!({"kind": "task", "subject": subject, "account_id": acc,
                        "due_date": app.days_from_today(due), "status": status}),
            )
            .await;
        assert_eq!(reply.status, 201, "{}", reply.text);
        tasks.push(reply);
    }
    // An installment due in two company days and one overdue.
    let o = order(&app, &rep, &acc, "1000", "CNY").await;
    let plan_path = format!("/api/v1/orders/{}/plan", o["id"].as_str().unwrap());
    let etag = app.get(&plan_path, &rep.token).await.etag();
    let plan = app
        .call(
            reqwest::Method::PUT,
            &plan_path,
            Some(&rep.token),
            Some(&json!({"installments": [
                {"due_date": app.days_from_today(-5), "amount": "300"},
                {"due_date": app.days_from_today(2), "amount": "700"}]})),
            Some(&etag),
        )
        .await;
    plan.ok();
    // A contact born on this company day (28 years back keeps a 29 February a leap day).
    let today = app.today();
    let birthday = today.with_year(today.year() - 28).unwrap();
    let contact = app
        .post(
            "/api/v1/contacts",
            &rep.token,
            &json!({"account_id": acc, "name": "王寿星", "birthday": birthday.to_string()}),
        )
        .await;
    assert_eq!(contact.status, 201, "{}", contact.text);

    // Only an admin runs the scan.
    let refused = app
        .call(
            reqwest::Method::POST,
            "/api/v1/admin/reminders/run",
            Some(&rep.token),
            None,
            None,
        )
        .await;
    refused.problem(403, "forbidden");

    // Three scans at once, one of them on a second server over the same database.
    let replica = app.spawn_sibling(|_| {}).await;
    let (a, b, c) = tokio::join!(
        run_scan(&app, &admin),
        run_scan(&replica, &admin),
        run_scan(&app, &admin)
    );
    let sum = |field: &str| {
        [&a, &b, &c]
            .iter()
            .map(|r| r[field].as_u64().unwrap())
            .sum::<u64>()
    };
    for (field, expected) in [
        ("task_due", 1),
        ("task_overdue", 1),
        ("installment_due", 1),
        ("installment_overdue", 1),
        ("receivables_digest", 2),
        ("birthday", 1),
    ] {
        assert_eq!(sum(field), expected, "{field}: {a} {b} {c}");
    }
    assert_eq!(app.count("notifications").await, 7);
    // Again, on either server: nothing new.
    assert_eq!(total(&run_scan(&app, &admin).await), 0);
    assert_eq!(total(&run_scan(&replica, &admin).await), 0);
    // The command-line scan (`kedao reminders run`) finds nothing new either.
    let counts = kedao_api::admin::run_reminders(&app.settings)
        .await
        .unwrap();
    assert_eq!(counts, Default::default());
    assert_eq!(app.count("notifications").await, 7);

    // A task whose due date moves is a new occurrence: reminded of once more.
    let overdue = &tasks[1];
    let moved = app
        .patch(
            &format!(
                "/api/v1/activities/{}",
                overdue.body["id"].as_str().unwrap()
            ),
            &rep.token,
            &overdue.etag(),
            &json!({"due_date": app.days_from_today(-3)}),
        )
        .await;
    assert_eq!(moved.status, 200, "{}", moved.text);
    let again = run_scan(&replica, &admin).await;
    assert_eq!(
        (again["task_overdue"].as_u64(), total(&again)),
        (Some(1), 1)
    );
    assert_eq!(total(&run_scan(&app, &admin).await), 0);

    let mine = inbox(&app, &rep).await;
    for kind in [
        "task_due",
        "installment_due",
        "installment_overdue",
        "birthday",
    ] {
        assert_eq!(of_kind(&mine, kind).len(), 1, "{kind} in {mine:?}");
    }
    assert_eq!(of_kind(&mine, "task_overdue").len(), 2);
    let task = of_kind(&mine, "task_due")[0];
    assert_eq!(task["record_type"], "activity");
    assert!(task["summary"].as_str().unwrap().contains("明天回访"));
    let due = of_kind(&mine, "installment_due")[0];
    assert_eq!(due["record_type"], "order");
    assert_eq!(due["record_id"], o["id"]);
    assert!(due["summary"].as_str().unwrap().contains("700"), "{due}");
    let born = of_kind(&mine, "birthday")[0];
    assert_eq!(born["record_id"], contact.body["id"]);
    // The values the wording is made of, for clients in other languages.
    assert_eq!(born["params"]["name"], "王寿星");
    assert_eq!(due["params"]["seq"], "2");
    assert!(
        due["params"]["open"].as_str().unwrap().contains("700"),
        "{due}"
    );
    // The digest goes to finance and to the rep's manager, once each, with the overdue money.
    for reader in [&finance, &manager] {
        let got = inbox(&app, reader).await;
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(got[0]["kind"], "receivables_digest");
        assert!(
            got[0]["summary"].as_str().unwrap().contains("300"),
            "{}",
            got[0]
        );
    }
    assert!(inbox(&app, &admin).await.is_empty());
}

/// The reminder scan as the job runner schedules it: every server's scheduler enqueues the
/// hour's `reminders.scan` under one key, so with two servers on one database (PostgreSQL) an
/// overdue task is still reminded of once, without anyone asking for a scan.
async fn scheduled_reminders_fire_once_with_two_servers(app: TestApp) {
    let rep = app.rep(None).await;
    // The scan of the hour the server started in has run, on an empty database.
    crate::jobs::wait_jobs(&app, SCAN, "the start-up slot done", |rows| {
        rows.len() == 1 && rows[0].status == "done"
    })
    .await;
    let acc = account(&app, &rep, "逾期任务客户").await;
    let task = app
        .post(
            "/api/v1/activities",
            &rep.token,
            &json!({"kind": "task", "subject": "补寄合同", "account_id": acc,
                    "due_date": app.days_from_today(-2)}),
        )
        .await;
    assert_eq!(task.status, 201, "{}", task.text);
    let second = match app.backend {
        kedao_tests::Backend::Postgres => Some(app.spawn_sibling(|_| {}).await),
        kedao_tests::Backend::Sqlite => None,
    };
    // The hour's slot free again (as when the next hour begins): both schedulers race for it.
    app.execute_sql(&format!("DELETE FROM jobs WHERE kind = '{SCAN}'"))
        .await;
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(20);
    while of_kind(&inbox(&app, &rep).await, "task_overdue").is_empty() {
        assert!(
            tokio::time::Instant::now() < deadline,
            "no scheduled reminder"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    // Several scheduler ticks of both servers later: one scan job, one reminder.
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    let scans = crate::jobs::jobs_of(&app, SCAN).await;
    assert_eq!(scans.len(), 1, "{scans:#?}");
    let got = inbox(&app, &rep).await;
    let overdue = of_kind(&got, "task_overdue");
    assert_eq!(overdue.len(), 1, "{got:?}");
    assert_eq!(overdue[0]["record_id"], task.body["id"]);
    drop(second);
}

const SCAN: &str = "reminders.scan";

both!(reassignment_notifies_the_new_owner_who_reads_and_marks_their_own);
both!(reminders_fire_once_per_occurrence with kiritimati);
both!(scheduled_reminders_fire_once_with_two_servers with scheduling);
