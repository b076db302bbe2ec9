//! SQL the benchmark runs directly: the list page exactly as the store builds it (same scope,
//! filter, keyset and order code), the funnel's grouped query, the id sample, and
//! `EXPLAIN (ANALYZE, BUFFERS)`.

use std::time::{Duration, Instant};

use anyhow::{Context, anyhow, bail};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbBackend, EntityTrait, QueryFilter,
    QuerySelect, QueryTrait, Statement,
};
use uuid::Uuid;

use kedao_api::auth::Principal;
use kedao_api::store::entities::leads::{Column, Entity};
use kedao_api::store::leads::SORT_FIELDS;
use kedao_api::store::paging::{self, Paging};
use kedao_api::store::scope;
use kedao_domain::access::{Action, Resource};

/// The list scenario's filter and order: `status=working&sort=-created_at&limit=50`.
pub const LIST_QUERY: &str = "status=working&sort=-created_at&limit=50";

/// The statement `GET /api/v1/leads?status=working&sort=-created_at&limit=50[&cursor=…]`
/// sends to the database for `principal`.
pub fn list_page(principal: &Principal, cursor: Option<&str>) -> anyhow::Result<Statement> {
    let paging = Paging::parse(
        Some("-created_at"),
        Some(50),
        cursor,
        None,
        &SORT_FIELDS,
        "-created_at",
    )
    .map_err(|e| anyhow!("paging: {e}"))?;
    let reach = principal
        .reach(Resource::Leads, Action::Read)
        .map_err(|e| anyhow!("reach: {e}"))?;
    let condition = scope::owner_filter(principal, reach, Column::OwnerId, Column::DealerId)
        .add(Column::Status.eq("working"));
    Ok(
        paging::apply(Entity::find().filter(condition), &paging, Column::Id)
            .build(DbBackend::Postgres),
    )
}

/// Runs a prepared list statement and decodes the rows as the store does.
pub async fn run_list(db: &DatabaseConnection, statement: Statement) -> anyhow::Result<usize> {
    let rows = Entity::find().from_raw_sql(statement).all(db).await?;
    anyhow::ensure!(!rows.is_empty(), "the list page came back empty");
    Ok(rows.len())
}

/// Up to `n` lead ids drawn at random.
pub async fn sample_ids(db: &DatabaseConnection, n: u64) -> anyhow::Result<Vec<Uuid>> {
    let rows = db
        .query_all_raw(Statement::from_string(
            DbBackend::Postgres,
            format!("SELECT id FROM leads ORDER BY random() LIMIT {n}"),
        ))
        .await
        .context("sampling lead ids")?;
    rows.iter()
        .map(|r| r.try_get_by_index::<Uuid>(0).map_err(Into::into))
        .collect()
}

/// `EXPLAIN (ANALYZE, BUFFERS)` of a statement, its parameters bound as the server binds them.
pub async fn explain(db: &DatabaseConnection, statement: &Statement) -> anyhow::Result<String> {
    let explained = Statement {
        sql: format!("EXPLAIN (ANALYZE, BUFFERS) {}", statement.sql),
        ..statement.clone()
    };
    let rows = db
        .query_all_raw(explained)
        .await
        .with_context(|| format!("EXPLAIN of {}", statement.sql))?;
    let mut lines = vec![format!("-- {statement}")];
    for row in rows {
        lines.push(row.try_get_by_index::<String>(0)?);
    }
    Ok(lines.join("\n"))
}

/// A scalar text answer (`SHOW server_version`).
pub async fn text(db: &DatabaseConnection, sql: &str) -> anyhow::Result<String> {
    let row = db
        .query_one_raw(Statement::from_string(DbBackend::Postgres, sql))
        .await?
        .with_context(|| format!("no row from {sql}"))?;
    Ok(row.try_get_by_index::<String>(0)?)
}

/// Waits until the server's scheduler has queued this slot's periodic jobs and its worker has
/// finished them: the daily scans go over every installment, and a scenario measured while
/// they run would measure them too. Answers how long that took.
pub async fn wait_for_periodic_jobs(db: &DatabaseConnection) -> anyhow::Result<Duration> {
    use kedao_api::jobs::schedule::SCHEDULE;
    let kinds = SCHEDULE
        .iter()
        .map(|(kind, _)| format!("'{kind}'"))
        .collect::<Vec<_>>()
        .join(", ");
    let sql = format!(
        "SELECT (SELECT count(DISTINCT kind) FROM jobs WHERE kind IN ({kinds})) = {} \
           AND NOT EXISTS (SELECT 1 FROM jobs WHERE status IN ('queued', 'running'))",
        SCHEDULE.len()
    );
    let started = Instant::now();
    loop {
        let row = db
            .query_one_raw(Statement::from_string(DbBackend::Postgres, &sql))
            .await?
            .context("no row from the job queue's state")?;
        if row.try_get_by_index::<bool>(0)? {
            return Ok(started.elapsed());
        }
        if started.elapsed() > Duration::from_secs(600) {
            bail!("the periodic jobs did not finish within 10 minutes");
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

/// The grouped query of the funnel summary (`store::funnel`) for `principal` on the default
/// pipeline, built the same way: scope, pipeline, group by stage and currency.
pub async fn funnel(db: &DatabaseConnection, principal: &Principal) -> anyhow::Result<Statement> {
    use kedao_api::store::entities::opportunities::{Column as O, Entity as Opportunities};

    let row = db
        .query_one_raw(Statement::from_string(
            DbBackend::Postgres,
            "SELECT id FROM pipelines WHERE is_default ORDER BY created_at LIMIT 1",
        ))
        .await?
        .context("no default pipeline")?;
    let pipeline: Uuid = row.try_get_by_index(0)?;
    let reach = principal
        .reach(Resource::Opportunities, Action::Read)
        .map_err(|e| anyhow!("reach: {e}"))?;
    let condition = scope::owner_filter(principal, reach, O::OwnerId, O::DealerId)
        .add(O::PipelineId.eq(pipeline));
    Ok(Opportunities::find()
        .select_only()
        .column(O::StageId)
        .column(O::Currency)
        .expr_as(Expr::col(O::Id).count(), "n")
        .expr_as(Expr::col(O::Amount).sum().cast_as("TEXT"), "amount_sum")
        .expr_as(
            Expr::col(O::Amount)
                .mul(Expr::col(O::Probability))
                .sum()
                .cast_as("TEXT"),
            "weighted_sum",
        )
        .filter(condition)
        .group_by(O::StageId)
        .group_by(O::Currency)
        .build(DbBackend::Postgres))
}
