//! The job queue against a real server process: one killed with SIGKILL loses no job (it is
//! taken up again once its lease runs out), and one stopped with SIGTERM hands its job in
//! flight back to the queue and exits cleanly.
//!
//! The `kedao` binary is not built for this package, so the test binary runs itself: the
//! parent starts `child_server` (ignored, and idle without its environment variable) as a
//! child process, which builds the real `Application` and serves through
//! `run_until_stopped`, as `kedao serve` does, signal handling included.

use std::fs::File;
use std::os::unix::process::ExitStatusExt;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use kedao_api::Application;
use kedao_api::settings::LogFormat;
use kedao_api::store::entities::jobs;
use kedao_tests::receiver::{Received, Receiver};
use kedao_tests::{TestApp, both};
use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;
use secrecy::ExposeSecret;
use tempfile::TempDir;

use crate::jobs::{jobs_of, new_lead, subscribe, wait_jobs};

/// Set (to the database URL) only in the child process: makes `child_server` serve.
const CHILD_DATABASE_URL: &str = "KEDAO_TEST_CHILD_DATABASE_URL";
/// The child's test, by its full name in this binary.
const CHILD_TEST: &str = "jobs_process::child_server";
/// Short, so a killed server's job comes back within the test.
const LEASE_SECS: u64 = 2;
/// Short, and shorter than the receiver hangs, so SIGTERM has to hand the job back.
const GRACE_SECS: u64 = 1;
const DELIVER: &str = "webhook.deliver";

/// The server process of the tests below; it does nothing when run without its parent.
#[actix_web::test]
#[ignore = "a server process that the tests of this module start; not a test by itself"]
async fn child_server() {
    let Ok(database_url) = std::env::var(CHILD_DATABASE_URL) else {
        return;
    };
    kedao_api::telemetry::init(LogFormat::Human);
    let data_dir = tempfile::tempdir().expect("temp dir");
    let mut settings = kedao_tests::app::test_settings(data_dir.path(), database_url);
    settings.job_workers = 1;
    settings.job_lease_secs = LEASE_SECS;
    settings.job_shutdown_grace_secs = GRACE_SECS;
    // The delivery in flight must outlast the grace period, not time out before it.
    settings.webhook_timeout_secs = 30;
    let app = Application::build(settings)
        .await
        .expect("build the server");
    app.run_until_stopped().await.expect("serve until stopped");
}

/// A `child_server` process on a test app's database; killed when dropped (a failing test
/// leaves no server behind), printing its log if the test failed.
struct ChildServer {
    child: Child,
    log_dir: TempDir,
}

impl ChildServer {
    fn start(app: &TestApp) -> ChildServer {
        let log_dir = tempfile::tempdir().expect("temp dir");
        let log = File::create(log_dir.path().join("child.log")).expect("child log");
        let child = Command::new(std::env::current_exe().expect("test binary"))
            .args([CHILD_TEST, "--exact", "--ignored", "--nocapture"])
            .env(
                CHILD_DATABASE_URL,
                app.settings.database_url.expose_secret(),
            )
            .stdin(Stdio::null())
            .stdout(log.try_clone().expect("child log"))
            .stderr(log)
            .spawn()
            .expect("start the child server");
        ChildServer { child, log_dir }
    }

    /// How the child's workers name themselves in `locked_by` (see `JobRunner::start`).
    fn worker_prefix(&self) -> String {
        format!("worker-{}-", self.child.id())
    }

    fn log(&self) -> String {
        std::fs::read_to_string(self.log_dir.path().join("child.log")).unwrap_or_default()
    }

    /// Waits (up to `timeout`) for the child to exit.
    async fn exit(&mut self, timeout: Duration) -> ExitStatus {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(status) = self.child.try_wait().expect("child status") {
                return status;
            }
            assert!(
                Instant::now() < deadline,
                "the child server did not exit within {timeout:?}; its log:\n{}",
                self.log()
            );
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }
}

impl Drop for ChildServer {
    fn drop(&mut self) {
        if self.child.try_wait().ok().flatten().is_none() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
        if std::thread::panicking() {
            eprintln!(
                "child server log ({}):\n{}",
                self.log_dir.path().display(),
                self.log()
            );
        }
    }
}

/// The parent's server only takes requests: the child (and later a sibling) runs the jobs.
fn no_workers(s: &mut kedao_api::Settings) {
    s.job_workers = 0;
    s.job_lease_secs = LEASE_SECS;
}

/// Subscribes a receiver, creates a lead, starts a child server and waits until the child
/// holds the event's delivery job, with the receiver hanging on the request.
async fn delivery_in_flight_in_a_child(
    app: &TestApp,
    receiver: &Receiver,
) -> (ChildServer, jobs::Model) {
    let admin = app.admin().await;
    subscribe(app, &admin, &receiver.url, &["lead.created"]).await;
    new_lead(app, &admin, "In flight").await;
    let child = ChildServer::start(app);
    receiver.wait_for(1, Duration::from_secs(15)).await;
    let held = wait_jobs(app, DELIVER, "running in the child", |rows| {
        rows.len() == 1 && rows[0].status == "running"
    })
    .await
    .remove(0);
    let holder = held.locked_by.clone().unwrap_or_default();
    assert!(
        holder.starts_with(&child.worker_prefix()),
        "held by {holder}, not by the child {}",
        child.child.id()
    );
    assert_eq!(held.attempts, 1);
    (child, held)
}

/// The receiver got `n` requests (no more after a moment), all of one delivery.
async fn one_delivery_sent(receiver: &Receiver, n: usize) -> Vec<Received> {
    receiver.wait_for(n, Duration::from_secs(10)).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let got = receiver.received();
    assert_eq!(got.len(), n, "{got:?}");
    let id = got[0].header("Kedao-Delivery");
    assert!(!id.is_empty(), "{got:?}");
    assert!(
        got.iter().all(|r| r.header("Kedao-Delivery") == id),
        "one delivery, sent again: {got:?}"
    );
    got
}

async fn a_killed_server_process_loses_no_job(app: TestApp) {
    // The first request hangs (the child is killed while sending it); later ones succeed.
    let receiver = Receiver::start(&[0, 200]).await;
    let (mut child, _) = delivery_in_flight_in_a_child(&app, &receiver).await;
    child.child.kill().expect("SIGKILL the child");
    let status = child.exit(Duration::from_secs(5)).await;
    assert_eq!(status.signal(), Some(Signal::SIGKILL as i32), "{status:?}");
    // Nothing was handed back: the job still looks held by the dead process.
    let orphan = jobs_of(&app, DELIVER).await.remove(0);
    assert_eq!(orphan.status, "running");
    assert!(
        orphan
            .locked_by
            .as_deref()
            .is_some_and(|w| w.starts_with(&child.worker_prefix()))
    );
    let lease_end = orphan.locked_until.expect("a lease");
    // A server with a worker on the same database takes it up once the lease runs out.
    let survivor = app.spawn_sibling(|s| s.job_workers = 1).await;
    let done = wait_jobs(&survivor, DELIVER, "done", |rows| rows[0].status == "done")
        .await
        .remove(0);
    assert_eq!(done.id, orphan.id);
    assert_eq!(
        done.attempts, 2,
        "the killed attempt, then the one that succeeded"
    );
    assert!(
        done.finished_at.is_some_and(|at| at >= lease_end),
        "taken up before the lease ran out: {done:?}, lease until {lease_end}"
    );
    one_delivery_sent(&receiver, 2).await;
}

async fn sigterm_hands_the_job_in_flight_back(app: TestApp) {
    // The receiver hangs longer than the grace period.
    let receiver = Receiver::start(&[0]).await;
    let (mut child, held) = delivery_in_flight_in_a_child(&app, &receiver).await;
    let pid = Pid::from_raw(i32::try_from(child.child.id()).expect("a pid"));
    let sent = Instant::now();
    kill(pid, Signal::SIGTERM).expect("SIGTERM the child");
    let status = child.exit(Duration::from_secs(8)).await;
    let took = sent.elapsed();
    assert!(
        status.success(),
        "{status:?}; the child's log:\n{}",
        child.log()
    );
    assert!(
        took >= Duration::from_millis(900),
        "exited after {took:?}, before the job's grace period was over"
    );
    // Back in the queue, due now, without a lease; the interrupted attempt not counted.
    let released = jobs_of(&app, DELIVER).await.remove(0);
    assert_eq!(released.id, held.id);
    assert_eq!(released.status, "queued", "{released:?}");
    assert_eq!(released.attempts, 0);
    assert_eq!(released.locked_by, None);
    assert_eq!(released.locked_until, None);
    assert_eq!(released.finished_at, None);
    assert!(released.run_at <= chrono::Utc::now());
    // Another worker completes it once the receiver answers.
    receiver.answer(200);
    let worker = app.spawn_sibling(|s| s.job_workers = 1).await;
    let done = wait_jobs(&worker, DELIVER, "done", |rows| rows[0].status == "done")
        .await
        .remove(0);
    assert_eq!(done.id, held.id);
    assert_eq!(done.attempts, 1);
    one_delivery_sent(&receiver, 2).await;
}

both!(a_killed_server_process_loses_no_job with no_workers);
both!(sigterm_hands_the_job_in_flight_back with no_workers);
