//! The workers inside `kedao serve`: each claims one due job at a time, runs its handler while
//! a heartbeat extends the lease, and records the outcome. Beside them one scheduler task
//! enqueues the periodic jobs (see `schedule`).
//!
//! Shutdown: [`JobRunner::stop_claiming`] (on SIGTERM/SIGINT) makes the workers take no new
//! job; a job in flight gets `KEDAO_JOB_SHUTDOWN_GRACE_SECS` to finish, after which its handler is stopped
//! and the job released to the queue for another worker. A process killed outright releases
//! nothing: its jobs come back when their leases run out.

use std::sync::Arc;
use std::time::Duration;

use sea_orm::DatabaseConnection;
use tokio::sync::watch;
use tokio::task::JoinHandle;
use tokio::time::Instant;
use tracing::Instrument;
use uuid::Uuid;

use crate::jobs::{handlers, queue, schedule};
use crate::settings::Settings;
use crate::store::entities::jobs::Model;

/// What a handler gets to do its work.
pub struct JobContext {
    pub db: DatabaseConnection,
    pub settings: Settings,
}

/// The running workers and scheduler of this process.
pub struct JobRunner {
    stop: watch::Sender<bool>,
    tasks: Vec<JoinHandle<()>>,
}

impl JobRunner {
    /// Starts `settings.job_workers` workers and the scheduler; `None` when configured to run
    /// no workers. Must be called inside the server's runtime.
    pub fn start(db: DatabaseConnection, settings: &Settings) -> Option<JobRunner> {
        if settings.job_workers == 0 {
            return None;
        }
        let (stop, stopped) = watch::channel(false);
        let ctx = Arc::new(JobContext {
            db,
            settings: settings.clone(),
        });
        // Unique per process and worker, and saying which process holds a job.
        let process = format!(
            "{}-{}",
            std::process::id(),
            &Uuid::new_v4().simple().to_string()[..8]
        );
        let mut tasks: Vec<JoinHandle<()>> = (0..settings.job_workers)
            .map(|n| {
                let worker = format!("worker-{process}-{n}");
                tokio::spawn(work(ctx.clone(), worker, stopped.clone()))
            })
            .collect();
        if settings.job_schedule {
            tasks.push(tokio::spawn(schedule::run(ctx, stopped)));
        }
        tracing::info!(workers = settings.job_workers, "background jobs started");
        Some(JobRunner { stop, tasks })
    }

    /// Takes no new job from now on (in-flight ones go on, within the grace period).
    pub fn stop_claiming(&self) {
        self.stop.send_replace(true);
    }

    /// A handle that stops claiming when the process is told to stop.
    pub fn stopper(&self) -> watch::Sender<bool> {
        self.stop.clone()
    }

    /// Stops claiming and waits for the jobs in flight to finish or be released.
    pub async fn shutdown(self) {
        self.stop_claiming();
        for task in self.tasks {
            if let Err(e) = task.await {
                tracing::warn!(error = %e, "a job worker ended abnormally");
            }
        }
        tracing::info!("background jobs stopped");
    }

    /// Leaves the workers running for as long as the runtime does (tests, which never send
    /// the stop).
    pub fn detach(self) {
        // The workers treat a dropped sender as "never stop"; dropping the handles detaches.
        drop(self.tasks);
    }
}

/// Resolves once the stop is sent; never when the sender is gone without sending it.
pub async fn stopped(stop: &mut watch::Receiver<bool>) {
    loop {
        if *stop.borrow_and_update() {
            return;
        }
        if stop.changed().await.is_err() {
            std::future::pending::<()>().await;
        }
    }
}

/// One worker: claim, run, record; sleep a poll interval when nothing is due.
async fn work(ctx: Arc<JobContext>, worker: String, mut stop: watch::Receiver<bool>) {
    let poll = Duration::from_millis(ctx.settings.job_poll_ms);
    let lease = Duration::from_secs(ctx.settings.job_lease_secs);
    loop {
        if *stop.borrow() {
            break;
        }
        match queue::claim(&ctx.db, &worker, 1, lease).await {
            Ok(jobs) if !jobs.is_empty() => {
                for job in jobs {
                    run_one(&ctx, &worker, job, &mut stop, lease).await;
                }
                continue;
            }
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "claiming jobs failed"),
        }
        tokio::select! {
            _ = tokio::time::sleep(poll) => {}
            _ = stopped(&mut stop) => {}
        }
    }
}

/// Runs one claimed job to its end: done, failed (retry or dead), or released at shutdown.
async fn run_one(
    ctx: &Arc<JobContext>,
    worker: &str,
    job: Model,
    stop: &mut watch::Receiver<bool>,
    lease: Duration,
) {
    let span = tracing::info_span!("job", job = %job.id, kind = %job.kind, attempt = job.attempts);
    let mut handler = tokio::spawn({
        let ctx = ctx.clone();
        let job = job.clone();
        async move { handlers::run(&ctx, &job).await }.instrument(span.clone())
    });
    let mut beat = tokio::time::interval((lease / 3).max(Duration::from_millis(100)));
    beat.tick().await;
    // Far away until the stop comes; then the end of the grace period.
    let grace_over = tokio::time::sleep_until(Instant::now() + Duration::from_secs(365 * 86_400));
    tokio::pin!(grace_over);
    let mut stopping = false;
    let outcome = loop {
        tokio::select! {
            result = &mut handler => break Some(result),
            _ = beat.tick() => match queue::heartbeat(&ctx.db, &job, worker, lease).await {
                Ok(true) => {}
                Ok(false) => tracing::warn!(parent: &span, "lost the job's lease; another worker may run it too"),
                Err(e) => tracing::warn!(parent: &span, error = %e, "heartbeat failed"),
            },
            _ = stopped(stop), if !stopping => {
                stopping = true;
                let grace = Duration::from_secs(ctx.settings.job_shutdown_grace_secs);
                grace_over.as_mut().reset(Instant::now() + grace);
            }
            _ = &mut grace_over => {
                handler.abort();
                break None;
            }
        }
    };
    let recorded = match outcome {
        Some(Ok(Ok(()))) => queue::complete(&ctx.db, &job, worker).await,
        Some(Ok(Err(e))) => {
            let after = queue::fail(&ctx.db, &job, worker, &e.message, e.permanent).await;
            if let Ok(after) = &after {
                tracing::warn!(parent: &span, error = %e.message, outcome = ?after, "job failed");
            }
            after.map(|_| ())
        }
        Some(Err(join)) => {
            let message = format!("the handler stopped abnormally: {join}");
            tracing::error!(parent: &span, "{message}");
            queue::fail(&ctx.db, &job, worker, &message, false)
                .await
                .map(|_| ())
        }
        None => {
            tracing::info!(parent: &span, "shutting down: job released to the queue");
            queue::release(&ctx.db, &job, worker).await
        }
    };
    if let Err(e) = recorded {
        // The lease runs out and the job comes back: nothing is lost.
        tracing::warn!(parent: &span, error = %e, "could not record the job's outcome");
    }
}
