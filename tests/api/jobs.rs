//! The background job queue: a job whose worker died is taken up again after its lease and
//! done once more; failing jobs back off, die after their last attempt and are retried by an
//! admin; two servers on one database schedule each slot once and deliver its event once.

use std::time::Duration;

use kedao_api::store::entities::jobs;
use kedao_domain::access::Role;
use kedao_tests::receiver::Receiver;
use kedao_tests::{Actor, TestApp, both};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::json;

/// Every job of a kind, oldest first, read straight from the database.
pub async fn jobs_of(app: &TestApp, kind: &str) -> Vec<jobs::Model> {
    let db = app.db().await;
    let rows = jobs::Entity::find()
        .filter(jobs::Column::Kind.eq(kind))
        .order_by_asc(jobs::Column::CreatedAt)
        .all(&db)
        .await
        .unwrap();
    db.close().await.ok();
    rows
}

/// Polls (up to 20 s) until the jobs of `kind` satisfy `done`; returns them.
pub async fn wait_jobs(
    app: &TestApp,
    kind: &str,
    what: &str,
    done: impl Fn(&[jobs::Model]) -> bool,
) -> Vec<jobs::Model> {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    loop {
        let rows = jobs_of(app, kind).await;
        if done(&rows) {
            return rows;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "timed out waiting for {kind} jobs: {what}; have {rows:#?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Subscribes `url` to `events` as `by`; returns the answer's body (with the secret).
pub async fn subscribe(app: &TestApp, by: &Actor, url: &str, events: &[&str]) -> serde_json::Value {
    let reply = app
        .post(
            "/api/v1/webhooks",
            &by.token,
            &json!({"url": url, "events": events}),
        )
        .await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    reply.body
}

pub async fn new_lead(app: &TestApp, by: &Actor, name: &str) -> serde_json::Value {
    let reply = app
        .post(
            "/api/v1/leads",
            &by.token,
            &json!({"name": name, "source": "web"}),
        )
        .await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    reply.body
}

fn no_workers(s: &mut kedao_api::Settings) {
    s.job_workers = 0;
    s.job_lease_secs = 1;
}

async fn a_job_survives_a_killed_worker(app: TestApp) {
    let receiver = Receiver::start(&[200]).await;
    let admin = app.admin().await;
    subscribe(&app, &admin, &receiver.url, &["lead.created"]).await;
    new_lead(&app, &admin, "Survivor").await;
    // A worker claims the event's job and dies (never heartbeats, never finishes).
    let db = app.db().await;
    let claimed =
        kedao_api::jobs::queue::claim(&db, "worker-that-dies", 10, Duration::from_secs(1))
            .await
            .unwrap();
    db.close().await.ok();
    assert_eq!(claimed.len(), 1, "{claimed:#?}");
    assert_eq!(claimed[0].kind, "webhook.event");
    assert_eq!(claimed[0].status, "running");
    // A server with a worker starts on the same database; once the lease runs out it takes
    // the job up and finishes it.
    let survivor = app.spawn_sibling(|s| s.job_workers = 1).await;
    let events = wait_jobs(&survivor, "webhook.event", "done", |rows| {
        rows.iter().all(|j| j.status == "done")
    })
    .await;
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].id, claimed[0].id);
    assert_eq!(
        events[0].attempts, 2,
        "claimed by the dead worker, then once more"
    );
    assert_ne!(events[0].locked_by.as_deref(), Some("worker-that-dies"));
    assert!(events[0].finished_at.is_some());
    // It ran exactly once more: one delivery reached the receiver.
    let got = receiver.wait_for(1, Duration::from_secs(10)).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(receiver.received().len(), 1, "{got:?}");
}

fn three_attempts(s: &mut kedao_api::Settings) {
    s.webhook_max_attempts = 3;
}

/// Lets the backoff pass: the job is due now.
async fn due_now(app: &TestApp, kind: &str) {
    app.execute_sql(&format!(
        "UPDATE jobs SET run_at = '2000-01-01T00:00:00+00:00' WHERE kind = '{kind}' AND status = 'queued'"
    ))
    .await;
}

async fn failing_jobs_back_off_die_and_are_retried_by_an_admin(app: TestApp) {
    let receiver = Receiver::start(&[500]).await;
    let admin = app.admin().await;
    subscribe(&app, &admin, &receiver.url, &["lead.created"]).await;
    new_lead(&app, &admin, "Unlucky").await;
    let kind = "webhook.deliver";
    let first = wait_jobs(&app, kind, "one failed attempt", |rows| {
        rows.len() == 1 && rows[0].attempts == 1 && rows[0].status == "queued"
    })
    .await
    .remove(0);
    assert_eq!(first.max_attempts, 3);
    // Backoff: 2 s (plus up to a quarter) after the first failure.
    let wait = first.run_at - first.updated_at;
    assert!(
        wait >= chrono::Duration::seconds(2) && wait <= chrono::Duration::milliseconds(2600),
        "first backoff {wait}"
    );
    assert!(
        first
            .last_error
            .as_deref()
            .unwrap_or_default()
            .contains("500"),
        "{first:?}"
    );
    due_now(&app, kind).await;
    let second = wait_jobs(&app, kind, "two failed attempts", |rows| {
        rows[0].attempts == 2 && rows[0].status == "queued"
    })
    .await
    .remove(0);
    let wait = second.run_at - second.updated_at;
    assert!(
        wait >= chrono::Duration::seconds(4),
        "second backoff {wait} grows"
    );
    due_now(&app, kind).await;
    let dead = wait_jobs(&app, kind, "dead", |rows| rows[0].status == "dead")
        .await
        .remove(0);
    assert_eq!(dead.attempts, 3);
    assert_eq!(receiver.received().len(), 3);

    // Only admins see the queue.
    let rep = app.user(Role::Sales, None).await;
    app.get("/api/v1/jobs", &rep.token)
        .await
        .problem(403, "forbidden");
    app.get("/api/v1/jobs/summary", &rep.token)
        .await
        .problem(403, "forbidden");
    let url = format!("/api/v1/jobs/{}/retry", dead.id);
    app.post(&url, &rep.token, &json!({}))
        .await
        .problem(403, "forbidden");

    let listed = app.get("/api/v1/jobs?status=dead", &admin.token).await;
    let items = listed.ok()["items"].as_array().unwrap().clone();
    assert_eq!(items.len(), 1, "{}", listed.text);
    assert_eq!(items[0]["id"], dead.id.to_string());
    assert_eq!(items[0]["kind"], kind);
    assert_eq!(items[0]["attempts"], 3);
    let summary = app.get("/api/v1/jobs/summary", &admin.token).await;
    assert_eq!(summary.ok()["dead"], 1, "{}", summary.text);
    let one = app
        .get(&format!("/api/v1/jobs/{}", dead.id), &admin.token)
        .await;
    assert_eq!(one.ok()["status"], "dead");

    // The receiver is fixed; the admin retries the dead job, which now succeeds.
    receiver.answer(200);
    let retried = app.post(&url, &admin.token, &json!({})).await;
    assert_eq!(retried.ok()["status"], "queued", "{}", retried.text);
    assert_eq!(retried.body["attempts"], 0);
    wait_jobs(&app, kind, "done after the retry", |rows| {
        rows[0].status == "done"
    })
    .await;
    assert_eq!(receiver.received().len(), 4);
    // A job that is not dead is not retried.
    app.post(&url, &admin.token, &json!({}))
        .await
        .problem(409, "job-not-dead");
    let missing = "/api/v1/jobs/0190f3a4-1d2e-7c3b-9a8f-6e5d4c3b2a10";
    app.get(missing, &admin.token)
        .await
        .problem(404, "not-found");
}

/// An account with a direct order whose one installment fell due long ago.
async fn overdue_installment(app: &TestApp, by: &Actor) {
    let acc = crate::opportunities::account(app, by, "欠款客户").await;
    crate::receivables::order(app, by, &acc, "1000", "CNY").await;
    app.execute_sql("UPDATE installments SET due_date = '2020-01-01'")
        .await;
}

async fn two_servers_schedule_each_slot_once(app: TestApp) {
    let receiver = Receiver::start(&[200]).await;
    let admin = app.admin().await;
    subscribe(&app, &admin, &receiver.url, &["installment.overdue"]).await;
    // On PostgreSQL a second server shares the database (SQLite: one server).
    let second = match app.backend {
        kedao_tests::Backend::Postgres => Some(app.spawn_sibling(|_| {}).await),
        kedao_tests::Backend::Sqlite => None,
    };
    let slot = "installments.overdue";
    wait_jobs(&app, slot, "today's slot done", |rows| {
        rows.len() == 1 && rows[0].status == "done"
    })
    .await;
    overdue_installment(&app, &admin).await;
    // A new slot (as on the next day): both schedulers race to enqueue it.
    app.execute_sql(&format!("DELETE FROM jobs WHERE kind = '{slot}'"))
        .await;
    let got = receiver.wait_for(1, Duration::from_secs(15)).await;
    // Several scheduler ticks of both servers later, still one job and one delivery.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let slots = jobs_of(&app, slot).await;
    assert_eq!(slots.len(), 1, "{slots:#?}");
    assert!(
        slots[0]
            .unique_key
            .as_deref()
            .unwrap()
            .starts_with("installments.overdue:")
    );
    assert_eq!(receiver.received().len(), 1, "{:?}", receiver.received());
    let event = got[0].json();
    assert_eq!(event["type"], "installment.overdue");
    assert_eq!(event["data"]["status"], "overdue");
    assert_eq!(event["data"]["due_date"], "2020-01-01");
    let announced = jobs_of(&app, "webhook.event").await;
    let overdue: Vec<_> = announced
        .iter()
        .filter(|j| {
            j.unique_key
                .as_deref()
                .is_some_and(|k| k.starts_with("installment.overdue:"))
        })
        .collect();
    assert_eq!(overdue.len(), 1, "{overdue:#?}");
    drop(second);
}

async fn released_jobs_are_taken_up_and_unknown_kinds_die(app: TestApp) {
    let receiver = Receiver::start(&[200]).await;
    let admin = app.admin().await;
    subscribe(&app, &admin, &receiver.url, &["lead.created"]).await;
    new_lead(&app, &admin, "Released").await;
    // A worker that is shutting down hands its job back: queued at once, the interrupted
    // attempt not counted, no lease.
    let db = app.db().await;
    let claimed =
        kedao_api::jobs::queue::claim(&db, "stopping-worker", 10, Duration::from_secs(60))
            .await
            .unwrap();
    assert_eq!(claimed.len(), 1);
    kedao_api::jobs::queue::release(&db, &claimed[0], "stopping-worker")
        .await
        .unwrap();
    let released = jobs_of(&app, "webhook.event").await.remove(0);
    assert_eq!(released.status, "queued");
    assert_eq!(released.attempts, 0);
    assert_eq!(released.locked_by, None);
    assert_eq!(released.locked_until, None);
    // A job nobody can run is parked as dead at once, saying why.
    let job = kedao_api::jobs::NewJob::now("no.such.kind", json!({})).unwrap();
    assert!(
        kedao_api::jobs::enqueue(&db, job.clone().unique("odd-1"))
            .await
            .unwrap()
    );
    assert!(
        !kedao_api::jobs::enqueue(&db, job.unique("odd-1"))
            .await
            .unwrap(),
        "a duplicate unique key adds nothing"
    );
    db.close().await.ok();
    // Another worker (a server with one) takes the released job up.
    let worker = app.spawn_sibling(|s| s.job_workers = 1).await;
    wait_jobs(&worker, "webhook.event", "done", |rows| {
        rows[0].status == "done"
    })
    .await;
    receiver.wait_for(1, Duration::from_secs(10)).await;
    let odd = wait_jobs(&worker, "no.such.kind", "dead", |rows| {
        rows[0].status == "dead"
    })
    .await
    .remove(0);
    assert_eq!(odd.attempts, 1);
    assert!(
        odd.last_error
            .as_deref()
            .unwrap_or_default()
            .contains("no handler"),
        "{odd:?}"
    );
}

async fn shutdown_stops_claiming_and_hands_unfinished_jobs_back(app: TestApp) {
    // A receiver that never answers keeps its delivery in flight.
    let receiver = Receiver::start(&[0]).await;
    let admin = app.admin().await;
    subscribe(&app, &admin, &receiver.url, &["lead.created"]).await;
    new_lead(&app, &admin, "Interrupted").await;
    let mut settings = app.settings.clone();
    settings.job_workers = 1;
    settings.job_shutdown_grace_secs = 1;
    settings.webhook_timeout_secs = 30;
    let runner = kedao_api::jobs::JobRunner::start(app.db().await, &settings).unwrap();
    receiver.wait_for(1, Duration::from_secs(15)).await;
    let running = wait_jobs(&app, "webhook.deliver", "running", |rows| {
        rows.len() == 1 && rows[0].status == "running"
    })
    .await
    .remove(0);
    assert_eq!(running.attempts, 1);
    // Stop: the job in flight gets its grace second, then goes back to the queue.
    let started = std::time::Instant::now();
    runner.shutdown().await;
    let took = started.elapsed();
    assert!(
        took >= Duration::from_millis(900) && took < Duration::from_secs(5),
        "{took:?}"
    );
    let released = jobs_of(&app, "webhook.deliver").await.remove(0);
    assert_eq!(released.status, "queued", "{released:?}");
    assert_eq!(
        released.attempts, 0,
        "the interrupted attempt does not count"
    );
    assert_eq!(released.locked_by, None);
    // Nothing is claimed any more: a new event's job stays queued.
    new_lead(&app, &admin, "After shutdown").await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let events = jobs_of(&app, "webhook.event").await;
    assert_eq!(events.len(), 2);
    assert_eq!(events[1].status, "queued");
}

both!(a_job_survives_a_killed_worker with no_workers);
both!(shutdown_stops_claiming_and_hands_unfinished_jobs_back with no_workers);
both!(released_jobs_are_taken_up_and_unknown_kinds_die with no_workers);
both!(failing_jobs_back_off_die_and_are_retried_by_an_admin with three_attempts);
/// The periodic jobs on, as `kedao serve` runs them.
pub fn scheduling(s: &mut kedao_api::Settings) {
    s.job_schedule = true;
}

both!(two_servers_schedule_each_slot_once with scheduling);
