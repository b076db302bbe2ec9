//! Periodic jobs. Every process with workers runs this scheduler; each tick it enqueues each
//! periodic kind of [`SCHEDULE`] for the current slot under a `unique_key` naming the slot
//! (`installments.overdue:2026-11-24`, or `<kind>:2026-11-24T08` for hourly kinds), so however
//! many replicas tick, one job per slot exists, and the current slot missed while every server
//! was down is taken up at the next start.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};
use serde::{Deserialize, Serialize};
use tokio::sync::watch;

use crate::jobs::handlers::JobError;
use crate::jobs::worker::{JobContext, stopped};
use crate::jobs::{NewJob, enqueue, queue};
use crate::store::entities::jobs::{Column, Entity};
use crate::store::now;

/// Announces each installment overdue as of the company's date (`installment.overdue`).
pub const INSTALLMENTS_OVERDUE: &str = "installments.overdue";
/// Deletes done jobs older than [`KEEP_FINISHED_DAYS`].
pub const PRUNE_FINISHED: &str = "jobs.prune";
/// In-app reminders: tasks and installments coming due or overdue, birthdays, the daily
/// receivables digest (`store::reminders`). Hourly, so a reminder is at most an hour late;
/// each occurrence is notified once whatever the number of runs.
pub const REMINDERS_SCAN: &str = "reminders.scan";
/// Removes attachment bytes no attachment refers to any more (`store::attachment_files`).
pub const PRUNE_ATTACHMENTS: &str = "attachments.prune";

/// How long done jobs are kept for inspection (dead ones stay until an admin retries them).
pub const KEEP_FINISHED_DAYS: i64 = 14;

/// How often a periodic kind runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Every {
    /// Once per company date (`KEDAO_TIME_ZONE`): key `<kind>:2026-11-24`.
    Day,
    /// Once per UTC hour: key `<kind>:2026-11-24T08`.
    Hour,
}

/// The periodic kinds. A new one: its name, how often, and a handler arm in `handlers`.
pub const SCHEDULE: [(&str, Every); 4] = [
    (INSTALLMENTS_OVERDUE, Every::Day),
    (PRUNE_FINISHED, Every::Day),
    (REMINDERS_SCAN, Every::Hour),
    (PRUNE_ATTACHMENTS, Every::Day),
];

/// The payload of a periodic job: the slot it is for.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Slot {
    /// The company's date the slot falls on.
    pub date: NaiveDate,
    /// The slot as its key names it (`2026-11-24` or `2026-11-24T08`).
    #[serde(default)]
    pub slot: String,
}

/// The company's date at `at`.
pub fn company_date(ctx: &JobContext, at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&ctx.settings.time_zone).date_naive()
}

/// The slot containing `at` for a kind run `every` so often.
pub fn slot_of(ctx: &JobContext, every: Every, at: DateTime<Utc>) -> Slot {
    let date = company_date(ctx, at);
    let slot = match every {
        Every::Day => date.to_string(),
        Every::Hour => at.format("%Y-%m-%dT%H").to_string(),
    };
    Slot { date, slot }
}

/// Enqueues every periodic kind for the slot containing `at` (nothing for slots that already
/// have their job). Returns how many jobs were added.
pub async fn enqueue_due(ctx: &JobContext, at: DateTime<Utc>) -> Result<usize, JobError> {
    let due: Vec<(&str, Slot, String)> = SCHEDULE
        .iter()
        .map(|&(kind, every)| {
            let slot = slot_of(ctx, every, at);
            let key = format!("{kind}:{}", slot.slot);
            (kind, slot, key)
        })
        .collect();
    // Most ticks find every slot taken: one read then, and no write (on SQLite a write would
    // take the one write lock every tick).
    let taken: Vec<Option<String>> = Entity::find()
        .select_only()
        .column(Column::UniqueKey)
        .filter(Column::UniqueKey.is_in(due.iter().map(|(_, _, key)| key.clone())))
        .into_tuple()
        .all(&ctx.db)
        .await?;
    let mut added = 0;
    for (kind, slot, key) in due {
        if taken.iter().flatten().any(|k| *k == key) {
            continue;
        }
        if enqueue(&ctx.db, NewJob::now(kind, slot)?.unique(key)).await? {
            added += 1;
        }
    }
    Ok(added)
}

/// How often the scheduler looks at the clock: often enough that a new day's jobs start
/// soon after midnight, and a cheap statement each time.
fn tick(ctx: &JobContext) -> Duration {
    Duration::from_millis(ctx.settings.job_poll_ms.saturating_mul(10))
        .clamp(Duration::from_millis(200), Duration::from_secs(30))
}

/// The scheduler loop of one process.
pub async fn run(ctx: Arc<JobContext>, mut stop: watch::Receiver<bool>) {
    let every = tick(&ctx);
    loop {
        if *stop.borrow() {
            break;
        }
        match enqueue_due(&ctx, now()).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(jobs = n, "scheduled jobs enqueued"),
            Err(e) => tracing::warn!(error = %e.message, "enqueueing scheduled jobs failed"),
        }
        tokio::select! {
            _ = tokio::time::sleep(every) => {}
            _ = stopped(&mut stop) => {}
        }
    }
}

/// Deletes done jobs finished more than [`KEEP_FINISHED_DAYS`] ago. The dedupe keys they
/// carried name past slots, past days and past events, which nothing enqueues again.
pub async fn prune_finished(ctx: &JobContext) -> Result<(), JobError> {
    let before = now() - chrono::Duration::days(KEEP_FINISHED_DAYS);
    let deleted = Entity::delete_many()
        .filter(Column::Status.eq(queue::DONE))
        .filter(Column::FinishedAt.lt(before))
        .exec(&ctx.db)
        .await?;
    tracing::info!(deleted = deleted.rows_affected, "finished jobs pruned");
    Ok(())
}
