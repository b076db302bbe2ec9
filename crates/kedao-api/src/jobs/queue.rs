//! The worker's side of the queue: claiming due jobs under a lease, extending the lease, and
//! recording how a job ended. Every write is one statement guarded by the worker's id, so a
//! worker that lost its lease (it stalled and another worker reclaimed the job) changes
//! nothing.

use std::time::Duration;

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DbBackend, EntityTrait, Statement, Value};

use kedao_domain::jobs::backoff_secs;

use crate::error::ApiError;
use crate::store::entities::jobs::{Entity, Model};
use crate::store::now;

pub const QUEUED: &str = "queued";
pub const RUNNING: &str = "running";
pub const DONE: &str = "done";
pub const DEAD: &str = "dead";

/// The longest error text kept on a job: enough to diagnose, never a whole response body.
const MAX_ERROR_CHARS: usize = 500;

/// `sql` with `$n` placeholders, as the backend wants them (`?n` on SQLite).
fn statement(backend: DbBackend, sql: &str, values: Vec<Value>) -> Statement {
    let sql = match backend {
        DbBackend::Postgres => sql.to_owned(),
        _ => sql.replace('$', "?"),
    };
    Statement::from_sql_and_values(backend, sql, values)
}

/// Due jobs: queued ones whose time has come and running ones whose lease ran out, as of the
/// time in placeholder `now` (`$1`, `$3` …).
fn claimable(now: &str) -> String {
    format!(
        "((status = 'queued' AND run_at <= {now}) OR (status = 'running' AND locked_until < {now}))"
    )
}

/// Claims up to `limit` due jobs for `worker` until `now + lease`: queued jobs whose `run_at`
/// has come, and running jobs whose lease ran out (their worker died). One statement: on
/// PostgreSQL the inner `SELECT … FOR UPDATE SKIP LOCKED` lets concurrent workers each take
/// different rows without waiting; SQLite runs one writer at a time, so the statement is
/// atomic there as it stands.
pub async fn claim<C: ConnectionTrait>(
    conn: &C,
    worker: &str,
    limit: u64,
    lease: Duration,
) -> Result<Vec<Model>, ApiError> {
    let at = now();
    let until = at + lease;
    let backend = conn.get_database_backend();
    // An idle worker only reads: the claim is a write, and on SQLite a write takes the
    // database's one write lock, which another connection's transaction (a CLI command, a
    // seed) would otherwise meet every poll.
    let due = conn
        .query_one_raw(statement(
            backend,
            &format!("SELECT 1 FROM jobs WHERE {} LIMIT 1", claimable("$1")),
            vec![at.into()],
        ))
        .await?;
    if due.is_none() {
        return Ok(Vec::new());
    }
    let lock = match backend {
        DbBackend::Postgres => "FOR UPDATE SKIP LOCKED",
        _ => "",
    };
    let claimable = claimable("$3");
    let sql = format!(
        "UPDATE jobs SET status = 'running', locked_by = $1, locked_until = $2, \
         attempts = attempts + 1, updated_at = $3 \
         WHERE id IN (SELECT id FROM jobs WHERE {claimable} \
           ORDER BY run_at LIMIT $4 {lock}) \
         RETURNING *"
    );
    let values = vec![
        worker.into(),
        until.into(),
        at.into(),
        i64::try_from(limit).unwrap_or(1).into(),
    ];
    Ok(Entity::find()
        .from_raw_sql(statement(backend, &sql, values))
        .all(conn)
        .await?)
}

/// Extends the lease of a job `worker` still holds; false when it no longer holds it.
pub async fn heartbeat<C: ConnectionTrait>(
    conn: &C,
    job: &Model,
    worker: &str,
    lease: Duration,
) -> Result<bool, ApiError> {
    let at = now();
    let sql = "UPDATE jobs SET locked_until = $1, updated_at = $2 \
               WHERE id = $3 AND status = 'running' AND locked_by = $4";
    let values = vec![(at + lease).into(), at.into(), job.id.into(), worker.into()];
    let done = conn
        .execute_raw(statement(conn.get_database_backend(), sql, values))
        .await?;
    Ok(done.rows_affected() > 0)
}

/// Marks a job done.
pub async fn complete<C: ConnectionTrait>(
    conn: &C,
    job: &Model,
    worker: &str,
) -> Result<(), ApiError> {
    let at = now();
    let sql = "UPDATE jobs SET status = 'done', locked_by = NULL, locked_until = NULL, \
               last_error = NULL, finished_at = $1, updated_at = $1 \
               WHERE id = $2 AND status = 'running' AND locked_by = $3";
    let values = vec![at.into(), job.id.into(), worker.into()];
    conn.execute_raw(statement(conn.get_database_backend(), sql, values))
        .await?;
    Ok(())
}

/// How a failed attempt ends: another try later, or the job parked as dead.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum AfterFailure {
    RetryAt(DateTime<Utc>),
    Dead,
}

/// What happens after `job`'s attempt failed: dead after its last attempt (or at once when
/// `permanent`), else a retry after the backoff of that many attempts.
pub fn after_failure(job: &Model, permanent: bool, at: DateTime<Utc>) -> AfterFailure {
    if permanent || job.attempts >= job.max_attempts {
        return AfterFailure::Dead;
    }
    let attempt = u32::try_from(job.attempts).unwrap_or(1);
    let wait = backoff_secs(attempt, rand::random::<f64>());
    AfterFailure::RetryAt(at + Duration::from_secs(wait))
}

/// Records a failed attempt: queued again for later, or dead.
pub async fn fail<C: ConnectionTrait>(
    conn: &C,
    job: &Model,
    worker: &str,
    error: &str,
    permanent: bool,
) -> Result<AfterFailure, ApiError> {
    let at = now();
    let error: String = error.chars().take(MAX_ERROR_CHARS).collect();
    let outcome = after_failure(job, permanent, at);
    let (sql, values): (&str, Vec<Value>) = match outcome {
        AfterFailure::RetryAt(run_at) => (
            "UPDATE jobs SET status = 'queued', run_at = $1, last_error = $2, locked_by = NULL, \
             locked_until = NULL, updated_at = $3 \
             WHERE id = $4 AND status = 'running' AND locked_by = $5",
            vec![
                run_at.into(),
                error.into(),
                at.into(),
                job.id.into(),
                worker.into(),
            ],
        ),
        AfterFailure::Dead => (
            "UPDATE jobs SET status = 'dead', last_error = $1, locked_by = NULL, \
             locked_until = NULL, finished_at = $2, updated_at = $2 \
             WHERE id = $3 AND status = 'running' AND locked_by = $4",
            vec![error.into(), at.into(), job.id.into(), worker.into()],
        ),
    };
    conn.execute_raw(statement(conn.get_database_backend(), sql, values))
        .await?;
    Ok(outcome)
}

/// Hands a job back unfinished (the worker is shutting down): queued again at once for
/// another worker, the interrupted attempt not counted.
pub async fn release<C: ConnectionTrait>(
    conn: &C,
    job: &Model,
    worker: &str,
) -> Result<(), ApiError> {
    let at = now();
    let sql = "UPDATE jobs SET status = 'queued', run_at = $1, locked_by = NULL, \
               locked_until = NULL, attempts = CASE WHEN attempts > 0 THEN attempts - 1 ELSE 0 END, \
               updated_at = $1 \
               WHERE id = $2 AND status = 'running' AND locked_by = $3";
    let values = vec![at.into(), job.id.into(), worker.into()];
    conn.execute_raw(statement(conn.get_database_backend(), sql, values))
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job(attempts: i32, max_attempts: i32) -> Model {
        let at = now();
        Model {
            id: uuid::Uuid::now_v7(),
            kind: "test".to_owned(),
            payload: "{}".to_owned(),
            unique_key: None,
            status: RUNNING.to_owned(),
            attempts,
            max_attempts,
            run_at: at,
            locked_by: Some("w".to_owned()),
            locked_until: Some(at),
            last_error: None,
            created_at: at,
            updated_at: at,
            finished_at: None,
        }
    }

    #[test]
    fn failures_back_off_until_the_last_attempt() {
        let at = now();
        match after_failure(&job(1, 3), false, at) {
            AfterFailure::RetryAt(t) => {
                let wait = t - at;
                assert!(wait >= chrono::Duration::seconds(2), "{wait}");
                assert!(wait <= chrono::Duration::milliseconds(2500), "{wait}");
            }
            AfterFailure::Dead => panic!("the first of three attempts is retried"),
        }
        match after_failure(&job(2, 3), false, at) {
            AfterFailure::RetryAt(t) => assert!(t - at >= chrono::Duration::seconds(4)),
            AfterFailure::Dead => panic!("the second of three attempts is retried"),
        }
        assert_eq!(after_failure(&job(3, 3), false, at), AfterFailure::Dead);
        assert_eq!(after_failure(&job(1, 3), true, at), AfterFailure::Dead);
    }
}
