//! Puts back what an earlier run's write scenarios changed, so a re-used database measures the
//! same data every run: the payments the payment scenario recorded are taken off their
//! installments and deleted; the orders the accept scenario made are deleted, their quotes sent
//! again and their opportunities moved back to the stage they were in. Then, when the seed
//! has aged, due dates and quote validity are moved forward so every aging bucket stays filled
//! and the pool's quotes stay valid.
//!
//! Runs before the "already seeded" check: accepting a quote adds a stage-history row, which
//! would otherwise make the core look incomplete and cost a full re-seed.

use std::time::Instant;

use anyhow::Context;
use sea_orm::{ConnectionTrait, DatabaseConnection, TransactionTrait};

use crate::seed_orders_sql::POOL_NOTE;
use crate::seed_sql::quote;

/// `reference` prefix of every payment the payment scenario records.
pub const PAYMENT_REFERENCE: &str = "kedao-bench payment scenario";

/// A helper index that exists only inside the restoring transaction.
const RESTORE_INDEX: &str = "kedao_bench_restore_payments_order";

/// Days a reused seed may age before its dates are moved forward.
const MAX_DRIFT_DAYS: i64 = 7;

fn bench_payments() -> String {
    format!(
        "SELECT id FROM payments WHERE reference LIKE {}",
        quote(&format!("{PAYMENT_REFERENCE}%"))
    )
}

fn pool_quotes(column: &str) -> String {
    format!(
        "SELECT {column} FROM quotes WHERE notes = {}",
        quote(POOL_NOTE)
    )
}

/// The undo statements in order, each with what it undoes.
fn statements() -> Vec<(&'static str, String)> {
    let payments = bench_payments();
    let pool = pool_quotes("id");
    let pool_opps = pool_quotes("opportunity_id");
    let bench_orders = format!("SELECT id FROM orders WHERE quote_id IN ({pool})");
    let bench_installments =
        format!("SELECT id FROM installments WHERE order_id IN ({bench_orders})");
    vec![
        (
            "installments paid by bench payments",
            format!(
                "UPDATE installments i SET paid = i.paid - u.amount, version = i.version - u.n \
                 FROM (SELECT a.installment_id, sum(a.amount) AS amount, count(*)::int AS n \
                       FROM allocations a JOIN payments p ON p.id = a.payment_id \
                       WHERE p.id IN ({payments}) AND p.voided_at IS NULL \
                       GROUP BY a.installment_id) u \
                 WHERE i.id = u.installment_id"
            ),
        ),
        (
            "bench payments' allocations",
            format!("DELETE FROM allocations WHERE payment_id IN ({payments})"),
        ),
        (
            "bench payments",
            format!("DELETE FROM payments WHERE id IN ({payments})"),
        ),
        (
            // A new order's installment may take the account's unapplied credit.
            "credit applied to accepted pool quotes' orders",
            format!(
                "UPDATE payments p SET unapplied = p.unapplied + x.amount \
                 FROM (SELECT payment_id, sum(amount) AS amount FROM allocations \
                       WHERE installment_id IN ({bench_installments}) GROUP BY payment_id) x \
                 WHERE p.id = x.payment_id"
            ),
        ),
        (
            "allocations to accepted pool quotes' orders",
            format!("DELETE FROM allocations WHERE installment_id IN ({bench_installments})"),
        ),
        (
            "installments of accepted pool quotes' orders",
            format!("DELETE FROM installments WHERE order_id IN ({bench_orders})"),
        ),
        (
            // Deleting an order checks `payments.order_id` (ON DELETE RESTRICT), which has no
            // index: without this one each deleted order scans every payment. Dropped below.
            "(index for the clean-up)",
            format!("CREATE INDEX IF NOT EXISTS {RESTORE_INDEX} ON payments (order_id)"),
        ),
        (
            // Lines and timeline events go with them (ON DELETE CASCADE).
            "orders of accepted pool quotes",
            format!("DELETE FROM orders WHERE id IN ({bench_orders})"),
        ),
        (
            "(index for the clean-up)",
            format!("DROP INDEX IF EXISTS {RESTORE_INDEX}"),
        ),
        (
            "opportunities won by accepting a pool quote",
            // Pool opportunities were seeded in an open stage at version 1, never changed.
            format!(
                "UPDATE opportunities o SET stage_id = m.from_stage_id, probability = s.probability, \
                   probability_overridden = false, closed_at = NULL, lost_reason = NULL, \
                   stage_changed_at = o.created_at, updated_at = o.created_at, version = 1 \
                 FROM (SELECT DISTINCT ON (opportunity_id) opportunity_id, from_stage_id \
                       FROM stage_history \
                       WHERE from_stage_id IS NOT NULL AND opportunity_id IN ({pool_opps}) \
                       ORDER BY opportunity_id, changed_at, id) m \
                 JOIN stages s ON s.id = m.from_stage_id \
                 WHERE o.id = m.opportunity_id"
            ),
        ),
        (
            "their stage moves",
            format!(
                "DELETE FROM stage_history \
                 WHERE from_stage_id IS NOT NULL AND opportunity_id IN ({pool_opps})"
            ),
        ),
        (
            "pool quotes accepted",
            format!(
                "UPDATE quotes SET status = 'sent', version = 2, updated_at = sent_at \
                 WHERE notes = {} AND (status <> 'sent' OR version <> 2)",
                quote(POOL_NOTE)
            ),
        ),
        (
            "pool quotes close to expiry (valid for 30–60 more days again)",
            format!(
                "UPDATE quotes SET valid_until = current_date + 30 + \
                   abs(hashtext(id::text)) % 30 \
                 WHERE notes = {} AND valid_until < current_date + 14",
                quote(POOL_NOTE)
            ),
        ),
    ]
}

/// Undoes earlier runs' writes in one transaction; prints what it changed.
pub async fn restore(db: &DatabaseConnection) -> anyhow::Result<()> {
    let started = Instant::now();
    let txn = db.begin().await?;
    let mut changed = Vec::new();
    for (what, sql) in statements() {
        let done = txn
            .execute_unprepared(&sql)
            .await
            .with_context(|| format!("restoring {what} (`--reseed` starts afresh)"))?;
        if done.rows_affected() > 0 && !what.starts_with('(') {
            changed.push(format!("{} {what}", done.rows_affected()));
        }
    }
    if table_exists(&txn, "field_changes").await? {
        // The seed writes no field history: what there is of pool quotes and their
        // opportunities was written by accepting them.
        let done = txn
            .execute_unprepared(&format!(
                "DELETE FROM field_changes WHERE record_id IN ({}) OR record_id IN ({})",
                pool_quotes("id"),
                pool_quotes("opportunity_id")
            ))
            .await
            .context("restoring the field history of pool quotes")?;
        if done.rows_affected() > 0 {
            changed.push(format!("{} field changes", done.rows_affected()));
        }
    }
    // The seed queues no jobs, delivers nothing and notifies nobody: what there is came from
    // earlier runs (events of their writes, scheduled scans), and a backlog left queued would
    // keep this run's job worker busy beside the measured requests.
    for table in ["jobs", "webhook_deliveries", "notifications"] {
        if table_exists(&txn, table).await? {
            let done = txn
                .execute_unprepared(&format!("DELETE FROM {table}"))
                .await
                .with_context(|| format!("clearing {table}"))?;
            if done.rows_affected() > 0 {
                changed.push(format!("{} {table}", done.rows_affected()));
            }
        }
    }
    txn.commit().await?;
    let cancelled = cancelled_installments(db).await?;
    if cancelled > 0 {
        changed.push(format!(
            "{cancelled} installments of cancelled orders marked cancelled"
        ));
    }
    if !changed.is_empty() {
        // The undone rows are dead tuples until vacuumed: left to autovacuum, the next run
        // would measure whenever it happens to start.
        db.execute_unprepared(&format!("VACUUM ANALYZE {}", WRITTEN_TABLES.join(", ")))
            .await
            .context("vacuuming what the restore changed")?;
        println!(
            "restored what earlier runs wrote ({:.1} s): {}",
            started.elapsed().as_secs_f64(),
            changed.join(", ")
        );
    }
    redate(db).await
}

/// The tables the write scenarios and their restore change.
const WRITTEN_TABLES: [&str; 10] = [
    "installments",
    "allocations",
    "payments",
    "orders",
    "order_lines",
    "order_events",
    "quotes",
    "opportunities",
    "stage_history",
    "field_changes",
];

/// Whether the schema has `table` (later migrations add tables the restore cleans when there).
async fn table_exists<C: ConnectionTrait>(db: &C, table: &str) -> anyhow::Result<bool> {
    let row = db
        .query_one_raw(sea_orm::Statement::from_string(
            db.get_database_backend(),
            format!("SELECT to_regclass({}) IS NOT NULL", quote(table)),
        ))
        .await?
        .context("no row from to_regclass")?;
    Ok(row.try_get_by_index::<bool>(0)?)
}

/// Marks the installments of cancelled orders cancelled, as the API does on cancelling, once
/// the schema has `installments.cancelled_at` (migration m0007): a seed made before that
/// migration gets it on its next run. Returns how many rows it marked.
pub async fn cancelled_installments(db: &DatabaseConnection) -> anyhow::Result<u64> {
    let exists = db
        .query_one_raw(sea_orm::Statement::from_string(
            db.get_database_backend(),
            "SELECT 1 AS one FROM information_schema.columns \
             WHERE table_name = 'installments' AND column_name = 'cancelled_at' \
               AND table_schema = current_schema()",
        ))
        .await?
        .is_some();
    if !exists {
        return Ok(0);
    }
    let done = db
        .execute_unprepared(
            "UPDATE installments i SET cancelled_at = o.updated_at FROM orders o \
             WHERE o.id = i.order_id AND o.status = 'cancelled' AND i.cancelled_at IS NULL",
        )
        .await
        .context("marking installments of cancelled orders cancelled")?;
    Ok(done.rows_affected())
}

/// Moves due dates and receipt dates forward by the days the seed has aged, once that is more
/// than a week: the seed puts the latest due date 90 days after the day it ran.
async fn redate(db: &DatabaseConnection) -> anyhow::Result<()> {
    let row = db
        .query_one_raw(sea_orm::Statement::from_string(
            db.get_database_backend(),
            "SELECT (current_date + 90 - max(due_date))::bigint FROM installments",
        ))
        .await?;
    let drift = match row.map(|r| r.try_get_by_index::<Option<i64>>(0)) {
        Some(Ok(Some(d))) => d,
        _ => return Ok(()),
    };
    if drift < MAX_DRIFT_DAYS {
        return Ok(());
    }
    let started = Instant::now();
    let txn = db.begin().await?;
    for sql in [
        format!("UPDATE installments SET due_date = due_date + {drift}"),
        format!("UPDATE payments SET received_on = least(current_date, received_on + {drift})"),
    ] {
        txn.execute_unprepared(&sql)
            .await
            .with_context(|| format!("moving dates forward: {sql}"))?;
    }
    txn.commit().await?;
    db.execute_unprepared("VACUUM (ANALYZE) installments, payments")
        .await
        .context("vacuuming after moving dates")?;
    println!(
        "the seed had aged {drift} days: due and receipt dates moved forward ({:.1} s)",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
