//! The admin's view of the queue: listing jobs, reading one, retrying a dead one, counting
//! jobs by state. Shared by the `/jobs` endpoints and the `kedao jobs` command; the endpoints
//! check the caller first (see [`check`]).

use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, FromQueryResult, QueryFilter, QuerySelect,
};
use uuid::Uuid;

use kedao_api_types::ListPage;
use kedao_api_types::jobs::{JobStatus, JobSummary, JobView};
use kedao_domain::access::{Action, Resource};

use crate::auth::Principal;
use crate::error::ApiError;
use crate::jobs::queue::{DEAD, QUEUED};
use crate::store::entities::jobs::{Column, Entity, Model};
use crate::store::now;
use crate::store::paging::{self, Paging, SortField, SortKind};

pub const SORT_FIELDS: [SortField<Column>; 2] = [
    SortField {
        name: "created_at",
        column: Column::CreatedAt,
        kind: SortKind::Time,
    },
    SortField {
        name: "run_at",
        column: Column::RunAt,
        kind: SortKind::Time,
    },
];

/// The queue is the operator's: only roles reaching every job (admins) inspect it.
pub fn check(principal: &Principal, action: Action) -> Result<(), ApiError> {
    principal.reach(Resource::Jobs, action).map(|_| ())
}

pub fn view(m: Model) -> JobView {
    JobView {
        id: m.id,
        kind: m.kind,
        payload: serde_json::from_str(&m.payload).unwrap_or(serde_json::Value::Null),
        unique_key: m.unique_key,
        status: JobStatus::parse(&m.status).unwrap_or(JobStatus::Queued),
        attempts: m.attempts,
        max_attempts: m.max_attempts,
        run_at: m.run_at,
        locked_by: m.locked_by,
        locked_until: m.locked_until,
        last_error: m.last_error,
        created_at: m.created_at,
        updated_at: m.updated_at,
        finished_at: m.finished_at,
    }
}

/// Jobs in a state and/or of a kind, paged.
pub async fn list<C: ConnectionTrait>(
    conn: &C,
    status: Option<JobStatus>,
    kind: Option<&str>,
    paging: Paging<Column>,
) -> Result<ListPage<JobView>, ApiError> {
    let mut cond = Condition::all();
    if let Some(status) = status {
        cond = cond.add(Column::Status.eq(status.as_str()));
    }
    if let Some(kind) = kind {
        cond = cond.add(Column::Kind.eq(kind));
    }
    paging::page(
        conn,
        Entity::find().filter(cond),
        &paging,
        Column::Id,
        |m| m.id,
        view,
    )
    .await
}

pub async fn get<C: ConnectionTrait>(conn: &C, id: Uuid) -> Result<JobView, ApiError> {
    Entity::find_by_id(id)
        .one(conn)
        .await?
        .map(view)
        .ok_or(ApiError::NotFound("job"))
}

/// Queues a dead job again with its attempts reset, to run now. Only dead jobs: a queued or
/// running one is already on its way, a done one finished (409).
pub async fn retry<C: ConnectionTrait>(conn: &C, id: Uuid) -> Result<JobView, ApiError> {
    let at = now();
    let updated = Entity::update_many()
        .col_expr(Column::Status, Expr::value(QUEUED))
        .col_expr(Column::Attempts, Expr::value(0))
        .col_expr(Column::RunAt, Expr::value(at))
        .col_expr(
            Column::FinishedAt,
            Expr::value(Option::<chrono::DateTime<chrono::Utc>>::None),
        )
        .col_expr(Column::UpdatedAt, Expr::value(at))
        .filter(Column::Id.eq(id))
        .filter(Column::Status.eq(DEAD))
        .exec(conn)
        .await?;
    let job = get(conn, id).await?;
    if updated.rows_affected == 0 {
        return Err(ApiError::conflict(
            "job-not-dead",
            format!(
                "only dead jobs are retried; this one is {}",
                job.status.as_str()
            ),
        ));
    }
    tracing::info!(job = %id, kind = %job.kind, "dead job queued again");
    Ok(job)
}

#[derive(Debug, FromQueryResult)]
struct StatusCount {
    status: String,
    n: i64,
}

/// How many jobs are in each state.
pub async fn summary<C: ConnectionTrait>(conn: &C) -> Result<JobSummary, ApiError> {
    let rows = Entity::find()
        .select_only()
        .column(Column::Status)
        .column_as(Column::Id.count(), "n")
        .group_by(Column::Status)
        .into_model::<StatusCount>()
        .all(conn)
        .await?;
    let mut summary = JobSummary::default();
    for row in rows {
        let n = u64::try_from(row.n).unwrap_or(0);
        match JobStatus::parse(&row.status) {
            Some(JobStatus::Queued) => summary.queued = n,
            Some(JobStatus::Running) => summary.running = n,
            Some(JobStatus::Done) => summary.done = n,
            Some(JobStatus::Dead) => summary.dead = n,
            None => {}
        }
    }
    Ok(summary)
}
