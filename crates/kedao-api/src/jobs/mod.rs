//! Durable background jobs, kept in the `jobs` table of the same database as the records.
//!
//! - [`enqueue`] adds a job with one statement, on any connection — inside the caller's
//!   transaction, so the job exists exactly when the change that causes it commits.
//! - Workers ([`worker`]) run inside `kedao serve`: they claim due jobs under a lease
//!   ([`queue::claim`]), extend it while the handler runs, and record the outcome. A job whose
//!   worker died (killed process) is claimed again once its lease runs out, so no job is lost;
//!   a job may therefore run more than once, and handlers are written to be repeatable.
//! - A failed job is retried after an exponential backoff with jitter, and parked as `dead`
//!   after its last attempt, for an admin to look at and retry ([`admin`]).
//! - The [`schedule`] enqueues the periodic jobs, one per time slot whatever the number of
//!   replicas (their `unique_key` names the slot).
//! - [`handlers`] maps each kind to the code that runs it.

pub mod admin;
pub mod handlers;
pub mod queue;
pub mod schedule;
pub mod worker;

use chrono::{DateTime, Utc};
use sea_orm::ConnectionTrait;
use sea_orm::sea_query::{Expr, InsertStatement, OnConflict, Query, SelectStatement, SimpleExpr};
use serde::Serialize;

use crate::error::ApiError;
use crate::store::entities::jobs::{Column, Entity};
use crate::store::{new_id, now};

pub use worker::JobRunner;

/// Attempts a job gets unless its enqueuer says otherwise.
pub const DEFAULT_MAX_ATTEMPTS: i32 = 8;

/// A job to add.
#[derive(Debug, Clone)]
pub struct NewJob {
    /// Which handler runs it (see [`handlers`]).
    pub kind: &'static str,
    pub payload: serde_json::Value,
    /// A job with the key of an existing one (in any state) is not added again.
    pub unique_key: Option<String>,
    /// Not before this instant; `None` is now.
    pub run_at: Option<DateTime<Utc>>,
    /// Attempts before it is parked as dead.
    pub max_attempts: i32,
}

impl NewJob {
    /// A job to run now, without a dedupe key.
    pub fn now(kind: &'static str, payload: impl Serialize) -> Result<NewJob, ApiError> {
        Ok(NewJob {
            kind,
            payload: serde_json::to_value(payload).map_err(anyhow::Error::new)?,
            unique_key: None,
            run_at: None,
            max_attempts: DEFAULT_MAX_ATTEMPTS,
        })
    }

    pub fn unique(mut self, key: impl Into<String>) -> NewJob {
        self.unique_key = Some(key.into());
        self
    }

    pub fn max_attempts(mut self, n: u32) -> NewJob {
        self.max_attempts = i32::try_from(n.max(1)).unwrap_or(i32::MAX);
        self
    }
}

/// Adds a job in one statement (`INSERT … ON CONFLICT (unique_key) DO NOTHING`), on whatever
/// connection or transaction it is given. Returns whether a job was added (false: a job with
/// the same unique key exists).
pub async fn enqueue<C: ConnectionTrait>(conn: &C, job: NewJob) -> Result<bool, ApiError> {
    insert_job(conn, job, None).await
}

/// [`enqueue`], in the same one statement, only if `exists` finds a row (`INSERT … SELECT …
/// WHERE EXISTS (…)`): for work that is only wanted while something asks for it, without a
/// separate read.
pub async fn enqueue_if_exists<C: ConnectionTrait>(
    conn: &C,
    job: NewJob,
    exists: SelectStatement,
) -> Result<bool, ApiError> {
    insert_job(conn, job, Some(exists)).await
}

async fn insert_job<C: ConnectionTrait>(
    conn: &C,
    job: NewJob,
    exists: Option<SelectStatement>,
) -> Result<bool, ApiError> {
    let result = conn.execute(&job_insert(job, exists)?).await?;
    Ok(result.rows_affected() > 0)
}

/// The insert of [`enqueue_if_exists`] (or, without `exists`, of `enqueue`), for a caller that
/// sends it with other writes.
pub fn job_insert(
    job: NewJob,
    exists: Option<SelectStatement>,
) -> Result<InsertStatement, ApiError> {
    let at = now();
    let values: [SimpleExpr; 10] = [
        new_id().into(),
        job.kind.into(),
        job.payload.to_string().into(),
        job.unique_key.into(),
        queue::QUEUED.into(),
        0_i32.into(),
        job.max_attempts.into(),
        job.run_at.unwrap_or(at).into(),
        at.into(),
        at.into(),
    ];
    let mut insert = Query::insert();
    insert.into_table(Entity).columns([
        Column::Id,
        Column::Kind,
        Column::Payload,
        Column::UniqueKey,
        Column::Status,
        Column::Attempts,
        Column::MaxAttempts,
        Column::RunAt,
        Column::CreatedAt,
        Column::UpdatedAt,
    ]);
    match exists {
        None => insert.values(values),
        // The WHERE also keeps SQLite from reading `ON CONFLICT` as a join constraint.
        Some(exists) => insert.select_from(
            Query::select()
                .exprs(values)
                .and_where(Expr::exists(exists))
                .to_owned(),
        ),
    }
    .map_err(|e| ApiError::Internal(anyhow::Error::new(e)))?;
    insert.on_conflict(
        OnConflict::column(Column::UniqueKey)
            .do_nothing()
            .to_owned(),
    );
    Ok(insert)
}
