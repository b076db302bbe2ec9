//! The quote-to-cash part of the benchmark database: products, orders with lines and timelines,
//! payment plans, payments and allocations, and the pool of sent quotes the accept scenario
//! takes one by one. Seeded on top of the core seed (its accounts, opportunities and users), by
//! PostgreSQL itself in the same style (`seed_orders_sql`, `seed_receivables_sql`), and
//! checked against the API's invariants before it is used.

use std::time::Instant;

use anyhow::{Context, bail};
use sea_orm::{ConnectionTrait, DatabaseConnection};

use crate::restore;
use crate::seed::{scalar, step};
use crate::seed_orders_sql::{
    MONEY_SESSION_SQL, POOL_NOTE, SEQUENCES_SQL, lines_sql, order_plan_sql, orders_sql,
    products_sql, quote_plan_sql, quotes_sql, totals_sql,
};
use crate::seed_receivables_sql::{
    CHECKS, INSTALLMENT_PLAN_SQL, RECEIVABLES_SQL, payment_plan_sql,
};
use crate::seed_sql::{SESSION_SQL, quote};

/// Kept as the comment of table `orders`: a quote-to-cash seed made by another version of
/// this code (other rules, other distributions) is seeded again rather than measured.
const SEED_MARK: &str = "kedao-bench quote-to-cash seed, version 2";

/// How many quote-to-cash rows to generate.
#[derive(Debug, Clone, Copy)]
pub struct MoneyVolume {
    pub products: u64,
    pub orders: u64,
    /// Sent quotes in the accept pool.
    pub sent_quotes: u64,
}

impl MoneyVolume {
    /// Installments the seed makes: 1, 2, 3, 4 per order in turn (2.5 per order on average).
    pub fn installments(self) -> u64 {
        let (cycles, rest) = (self.orders / 4, self.orders % 4);
        cycles * 10 + rest * (rest + 1) / 2
    }
}

/// Quote-to-cash row counts found in the database.
#[derive(Debug, Clone, Copy, Default)]
pub struct MoneyCounts {
    pub products: u64,
    pub orders: u64,
    pub order_lines: u64,
    pub installments: u64,
    pub payments: u64,
    pub allocations: u64,
    /// Quotes of the accept pool (whatever their status).
    pub pool_quotes: u64,
    /// Whether this version of the seed made them.
    pub current: bool,
}

impl MoneyCounts {
    /// Whether the database holds exactly this volume (after `restore` undid earlier runs).
    pub fn complete(&self, v: MoneyVolume) -> bool {
        self.current
            && self.products == v.products
            && self.orders == v.orders
            && self.order_lines >= v.orders
            && self.installments == v.installments()
            && self.payments > 0
            && self.allocations > 0
            && self.pool_quotes == v.sent_quotes
    }
}

/// Refuses volumes the seed cannot make.
pub fn check(v: MoneyVolume) -> anyhow::Result<()> {
    if v.products < 10 {
        bail!("--products must be at least 10 (one in ten is priced in USD)");
    }
    if v.orders == 0 || v.sent_quotes == 0 {
        bail!("--orders and --sent-quotes must be greater than 0");
    }
    Ok(())
}

pub async fn count(db: &DatabaseConnection) -> anyhow::Result<MoneyCounts> {
    let n = |v: i64| u64::try_from(v).unwrap_or(0);
    let pool = format!(
        "SELECT count(*) FROM quotes WHERE notes = {}",
        quote(POOL_NOTE)
    );
    Ok(MoneyCounts {
        products: n(scalar(db, "SELECT count(*) FROM products").await?),
        orders: n(scalar(db, "SELECT count(*) FROM orders").await?),
        order_lines: n(scalar(db, "SELECT count(*) FROM order_lines").await?),
        installments: n(scalar(db, "SELECT count(*) FROM installments").await?),
        payments: n(scalar(db, "SELECT count(*) FROM payments").await?),
        allocations: n(scalar(db, "SELECT count(*) FROM allocations").await?),
        pool_quotes: n(scalar(db, &pool).await?),
        current: seed_mark(db).await? == SEED_MARK,
    })
}

async fn seed_mark(db: &DatabaseConnection) -> anyhow::Result<String> {
    let row = db
        .query_one_raw(sea_orm::Statement::from_string(
            db.get_database_backend(),
            "SELECT coalesce(obj_description('orders'::regclass, 'pg_class'), '')",
        ))
        .await?
        .context("no row from obj_description")?;
    Ok(row.try_get_by_index::<String>(0)?)
}

/// Empties the quote-to-cash tables (and their counters) for a fresh money seed on a core seed
/// that is kept. CASCADE also empties any later table that points at them.
pub async fn clear(db: &DatabaseConnection) -> anyhow::Result<()> {
    step(
        db,
        "emptying the quote-to-cash tables",
        "TRUNCATE allocations, payments, installments, order_events, order_lines, orders, \
         quote_lines, quotes, products CASCADE; \
         DELETE FROM number_sequences WHERE name LIKE 'order-%' OR name LIKE 'quote-%';",
    )
    .await
}

/// Seeds the quote-to-cash tables; the core seed must be there.
pub async fn seed(db: &DatabaseConnection, v: MoneyVolume) -> anyhow::Result<()> {
    println!(
        "seeding {} products, {} orders, {} installments, {} sent quotes …",
        v.products,
        v.orders,
        v.installments(),
        v.sent_quotes
    );
    let started = Instant::now();
    step(db, "money session setup", SESSION_SQL).await?;
    step(db, "account numbering", MONEY_SESSION_SQL).await?;
    step(db, "products", &products_sql(v)).await?;
    step(db, "order plan", &order_plan_sql(v)).await?;
    step(
        db,
        "order lines (priced)",
        &lines_sql("seed_order", "seed_line"),
    )
    .await?;
    step(db, "order totals", &totals_sql("seed_line", "seed_total")).await?;
    step(db, "orders, lines and timelines", &orders_sql()).await?;
    step(db, "installment plan", INSTALLMENT_PLAN_SQL).await?;
    step(db, "payment plan", &payment_plan_sql()).await?;
    step(
        db,
        "installments, payments and allocations",
        RECEIVABLES_SQL,
    )
    .await?;
    step(db, "sent quote pool", &quote_plan_sql(v)).await?;
    step(
        db,
        "quote lines (priced)",
        &lines_sql("seed_quote", "seed_qline"),
    )
    .await?;
    step(db, "quote totals", &totals_sql("seed_qline", "seed_qtotal")).await?;
    step(db, "quotes and lines", &quotes_sql()).await?;
    step(db, "number counters", SEQUENCES_SQL).await?;
    step(
        db,
        "clean-up",
        "DROP TABLE seed_owner, seed_acct, seed_product, seed_product_n, seed_order, seed_line, \
         seed_total, seed_inst, seed_pay, seed_quote, seed_qline, seed_qtotal",
    )
    .await?;
    restore::cancelled_installments(db).await?;
    check_invariants(db).await?;
    let pool = count(db).await?.pool_quotes;
    if pool != v.sent_quotes {
        bail!(
            "only {pool} opportunities are in an open stage for {} sent quotes: lower --sent-quotes",
            v.sent_quotes
        );
    }
    step(
        db,
        "VACUUM (ANALYZE) quote-to-cash tables",
        "VACUUM (ANALYZE) products, orders, order_lines, order_events, installments, payments, \
         allocations, quotes, quote_lines, number_sequences",
    )
    .await?;
    step(
        db,
        "seed mark",
        &format!("COMMENT ON TABLE orders IS {}", quote(SEED_MARK)),
    )
    .await?;
    step(db, "CHECKPOINT", "CHECKPOINT").await?;
    println!(
        "  quote-to-cash seed: {:.1} s",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// Fails when a seeded row breaks an invariant the API keeps: a bench on inconsistent data
/// would measure something the API can never produce.
async fn check_invariants(db: &DatabaseConnection) -> anyhow::Result<()> {
    let started = Instant::now();
    let mut broken = Vec::new();
    for (what, sql) in CHECKS {
        let n = scalar(db, sql)
            .await
            .with_context(|| format!("checking {what}"))?;
        if n != 0 {
            broken.push(format!("{n} {what}"));
        }
    }
    if !broken.is_empty() {
        bail!("the seed is inconsistent: {}", broken.join("; "));
    }
    println!(
        "  invariants checked (figures, plans, allocations): {:.1} s",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// The statement that counts open installments in every aging bucket (for a sanity note).
pub fn bucket_counts_sql() -> &'static str {
    "SELECT count(*) FILTER (WHERE due_date >= current_date), \
            count(*) FILTER (WHERE due_date < current_date AND due_date >= current_date - 30), \
            count(*) FILTER (WHERE due_date < current_date - 30 AND due_date >= current_date - 60), \
            count(*) FILTER (WHERE due_date < current_date - 60 AND due_date >= current_date - 90), \
            count(*) FILTER (WHERE due_date < current_date - 90) \
     FROM installments WHERE paid < amount AND cancelled_at IS NULL"
}

/// Open installments per aging bucket (not due, 1–30, 31–60, 61–90, over 90 days).
pub async fn bucket_counts<C: ConnectionTrait>(db: &C) -> anyhow::Result<[i64; 5]> {
    let row = db
        .query_one_raw(sea_orm::Statement::from_string(
            db.get_database_backend(),
            bucket_counts_sql(),
        ))
        .await?
        .context("no row from the bucket counts")?;
    let mut out = [0_i64; 5];
    for (i, slot) in out.iter_mut().enumerate() {
        *slot = row.try_get_by_index::<i64>(i)?;
    }
    Ok(out)
}
