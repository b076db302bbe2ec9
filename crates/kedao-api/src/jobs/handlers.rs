//! What each kind of job does. To add a kind: a name constant, a `match` arm calling the
//! function that does the work, and (for periodic work) a line in `schedule`.

use serde::de::DeserializeOwned;

use crate::error::ApiError;
use crate::jobs::schedule;
use crate::jobs::worker::JobContext;
use crate::store::entities::jobs::Model;
use crate::store::{attachment_files, now, reminders};
use crate::webhooks;

/// Why a job's attempt failed.
#[derive(Debug)]
pub struct JobError {
    /// Kept on the job (shortened): never a secret.
    pub message: String,
    /// Retrying cannot help (unknown kind, unreadable payload): dead at once.
    pub permanent: bool,
}

impl JobError {
    /// A failure worth another attempt later.
    pub fn retry(message: impl Into<String>) -> JobError {
        JobError {
            message: message.into(),
            permanent: false,
        }
    }

    pub fn permanent(message: impl Into<String>) -> JobError {
        JobError {
            message: message.into(),
            permanent: true,
        }
    }
}

impl From<ApiError> for JobError {
    fn from(e: ApiError) -> JobError {
        JobError::retry(e.to_string())
    }
}

impl From<sea_orm::DbErr> for JobError {
    fn from(e: sea_orm::DbErr) -> JobError {
        JobError::retry(format!("database: {e}"))
    }
}

/// The job's payload as the handler expects it.
pub fn payload<T: DeserializeOwned>(job: &Model) -> Result<T, JobError> {
    serde_json::from_str(&job.payload).map_err(|e| {
        JobError::permanent(format!(
            "the payload of a {} job is unreadable: {e}",
            job.kind
        ))
    })
}

/// Runs one attempt of `job`.
pub async fn run(ctx: &JobContext, job: &Model) -> Result<(), JobError> {
    match job.kind.as_str() {
        webhooks::EVENT_JOB => webhooks::fan_out::run(ctx, job).await,
        webhooks::DELIVER_JOB => webhooks::deliver::run(ctx, job).await,
        schedule::INSTALLMENTS_OVERDUE => webhooks::overdue::run(ctx, job).await,
        schedule::PRUNE_FINISHED => schedule::prune_finished(ctx).await,
        schedule::PRUNE_ATTACHMENTS => {
            let removed = attachment_files::prune(&ctx.db, &ctx.settings.data_dir).await?;
            tracing::info!(removed, "unreferenced attachment files pruned");
            Ok(())
        }
        schedule::REMINDERS_SCAN => {
            let counts = reminders::scan(&ctx.db, &ctx.settings, now()).await?;
            tracing::info!(?counts, "reminders scanned");
            Ok(())
        }
        other => Err(JobError::permanent(format!(
            "no handler for job kind `{other}`"
        ))),
    }
}
