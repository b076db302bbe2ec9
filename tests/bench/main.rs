//! `kedao-bench` (`just bench`): seeds a PostgreSQL database with 1,000,000 leads and 300,000
//! opportunities, starts the real server in-process and measures throughput and latency of
//! the list page, page 2, get-by-id and the funnel summary, beside two floors measured in the
//! same run: `GET /health` (HTTP and server) and the list SQL sent straight to PostgreSQL
//! (database). The quote-to-cash part adds 200,000 orders with 500,000 installments, their
//! payments, and a pool of sent quotes, and measures the receivables reports (beside the same
//! report as one GROUP BY straight to PostgreSQL), recording payments and accepting quotes.
//! Prints a Markdown table and writes it to `target/bench-report.md`.
//!
//! A benchmark, not a test: it fails only on errors. Missed latency targets are printed.

mod load;
mod queries;
mod queries_money;
mod report;
mod restore;
mod scenarios;
mod scenarios_money;
mod seed;
mod seed_money;
mod seed_orders_sql;
mod seed_receivables_sql;
mod seed_sql;
mod server;
mod vocab;
mod vocab_money;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use anyhow::bail;
use clap::Parser;

#[derive(Debug, Parser)]
#[command(
    name = "kedao-bench",
    about = "Benchmarks the Kedao API at a million rows on PostgreSQL"
)]
struct Args {
    /// PostgreSQL server URL, without a database name.
    #[arg(
        long,
        env = "KEDAO_TEST_POSTGRES_URL",
        default_value = "postgres://postgres@127.0.0.1:5432"
    )]
    database_url: String,
    /// Database to create and seed (re-used when it already holds the requested volume).
    #[arg(long, default_value = "kedao_bench")]
    database: String,
    /// Drop and re-create the database and seed it again.
    #[arg(long)]
    reseed: bool,
    /// Measured seconds per scenario.
    #[arg(long, default_value_t = 15)]
    seconds: u64,
    /// Unrecorded warm-up seconds before each scenario.
    #[arg(long, default_value_t = 2)]
    warmup: u64,
    /// Concurrent connections (client tasks).
    #[arg(long, default_value_t = 32)]
    concurrency: usize,
    /// The server's database pool (and the database floor's), in connections [default: the
    /// server's own default, 8]
    #[arg(long)]
    pool: Option<u32>,
    /// The server's HTTP worker threads.
    #[arg(long, default_value_t = 2)]
    workers: usize,
    /// Sequential runs of the funnel summary.
    #[arg(long, default_value_t = 50)]
    funnel_runs: usize,
    /// Connections of the write scenarios (payments, quote accepts).
    #[arg(long, default_value_t = 16)]
    write_concurrency: usize,
    /// Sequential runs of each receivables report and its database baselines.
    #[arg(long, default_value_t = 30)]
    report_runs: usize,
    /// Only these scenario groups (comma-separated): health, db-floor, list, page2, by-id,
    /// funnel, receivables-sql, receivables, payments, accept.
    #[arg(long, value_delimiter = ',')]
    only: Vec<String>,
    #[arg(long, default_value_t = 1_000_000)]
    leads: u64,
    #[arg(long, default_value_t = 100_000)]
    accounts: u64,
    #[arg(long, default_value_t = 300_000)]
    opportunities: u64,
    #[arg(long, default_value_t = 300)]
    products: u64,
    /// Orders; each has 1–4 installments, 2.5 on average (200,000 orders: 500,000).
    #[arg(long, default_value_t = 200_000)]
    orders: u64,
    /// Sent quotes in the pool the accept scenario takes one by one.
    #[arg(long, default_value_t = 20_000)]
    sent_quotes: u64,
    /// Where to write the Markdown report [default: the workspace's target/bench-report.md].
    #[arg(long)]
    report: Option<PathBuf>,
}

const ID_SAMPLE: u64 = 10_000;

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    if let Some(unknown) = args
        .only
        .iter()
        .find(|g| !scenarios::GROUPS.contains(&g.as_str()))
    {
        bail!(
            "--only: unknown group `{unknown}`; the groups are {}",
            scenarios::GROUPS.join(", ")
        );
    }
    let server_url = args.database_url.clone();
    if !server_url.starts_with("postgres") {
        bail!("--database-url must be a postgres:// server URL, got {server_url}");
    }
    let volume = seed::Volume {
        leads: args.leads,
        accounts: args.accounts,
        opportunities: args.opportunities,
    };
    let money_volume = seed_money::MoneyVolume {
        products: args.products,
        orders: args.orders,
        sent_quotes: args.sent_quotes,
    };
    seed_money::check(money_volume)?;
    let prepared = seed::prepare(
        &server_url,
        &args.database,
        volume,
        money_volume,
        args.reseed,
    )
    .await?;

    let database_url = seed::database_url(&server_url, &args.database);
    let pool = args
        .pool
        .unwrap_or(kedao_api::settings::DEFAULT_DB_MAX_CONNECTIONS);
    let running = server::start(&database_url, args.workers, pool).await?;
    println!("server listening on {}", running.base);
    let admin = running.sign_in(seed::ADMIN_EMAIL, seed::PASSWORD).await?;
    let rep = running.sign_in(seed::REP_EMAIL, seed::PASSWORD).await?;
    let manager = running.sign_in(seed::MANAGER_EMAIL, seed::PASSWORD).await?;
    // The database floor gets its own pool, of the server's size and default options.
    let direct = seed::connect(&server_url, &args.database, pool).await?;
    let waited = queries::wait_for_periodic_jobs(&direct).await?;
    println!(
        "the server's periodic jobs for this slot ran first ({:.1} s)",
        waited.as_secs_f64()
    );
    let ids = queries::sample_ids(&direct, ID_SAMPLE).await?;
    if ids.is_empty() {
        bail!("no leads to sample ids from");
    }
    let postgres_version = queries::text(&direct, "SHOW server_version").await?;
    let load_before = load_average();

    let bench = scenarios::Bench {
        client: running.client.clone(),
        base: Arc::from(running.base.as_str()),
        concurrency: args.concurrency,
        warmup: Duration::from_secs(args.warmup),
        duration: Duration::from_secs(args.seconds),
        funnel_runs: args.funnel_runs,
        only: args.only.clone(),
        direct: direct.clone(),
        admin,
        rep,
        manager,
        ids: Arc::new(ids),
        write_concurrency: args.write_concurrency,
        report_runs: args.report_runs,
    };
    println!(
        "\nscenarios: {} s each after {} s warm-up, {} connections",
        args.seconds, args.warmup, args.concurrency
    );
    let mut results = bench.run().await?;
    running.stop().await;
    direct.close().await.ok();

    let misses: Vec<String> = results.rows.iter().filter_map(report::Row::miss).collect();
    results.notes.extend(misses.iter().cloned());
    let c = prepared.counts;
    let m = prepared.money;
    let info = report::RunInfo {
        postgres_version: format!("PostgreSQL {postgres_version}"),
        cpus: std::thread::available_parallelism().map_or(1, usize::from),
        data: format!(
            "{} leads, {} accounts, {} opportunities, {} stage-history rows, {} users; {} products, \
             {} orders ({} lines), {} installments, {} payments ({} allocations), {} sent quotes \
             in the accept pool (database `{}`)",
            c.leads,
            c.accounts,
            c.opportunities,
            c.stage_history,
            c.users,
            m.products,
            m.orders,
            m.order_lines,
            m.installments,
            m.payments,
            m.allocations,
            m.pool_quotes,
            args.database
        ),
        seeding: match (prepared.seeding, prepared.money_only) {
            (Some(d), false) => format!("{:.1} s (this run)", d.as_secs_f64()),
            (Some(d), true) => format!(
                "{:.1} s (this run, quote-to-cash tables only; the core was re-used)",
                d.as_secs_f64()
            ),
            (None, _) => "already seeded (re-used; `--reseed` to time it)".to_owned(),
        },
        setup: format!(
            "server in-process ({} actix workers, pool of {} connections); client in the same \
             process (reqwest, HTTP/1.1 keep-alive, closed loop of {} connections); PostgreSQL on \
             the same machine; {} s per scenario after {} s warm-up; the funnel {} times and each \
             receivables report {} times one after the other; writes at {} connections; 1-minute \
             load average when the scenarios started: {load_before} (other work on the machine \
             skews the figures)",
            args.workers,
            pool,
            args.concurrency,
            args.seconds,
            args.warmup,
            args.funnel_runs,
            args.report_runs,
            args.write_concurrency,
        ),
    };
    let text = report::markdown(&info, &results.rows, &results.notes, &results.plans);
    println!("\n{text}");
    let path = args.report.clone().unwrap_or_else(default_report);
    report::write(&path, &text)?;
    println!("report written to {}", path.display());
    for miss in &misses {
        println!("{miss}");
    }
    let errors: u64 = results.rows.iter().map(|r| r.figures.errors).sum();
    if errors > 0 {
        bail!("{errors} requests failed (the report shows each scenario's first error)");
    }
    Ok(())
}

/// `target/bench-report.md` of the workspace.
fn default_report() -> PathBuf {
    let tests = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    tests
        .parent()
        .unwrap_or(tests)
        .join("target")
        .join("bench-report.md")
}

/// The 1-minute load average.
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|s| s.split_whitespace().next().map(str::to_owned))
        .unwrap_or_else(|| "unknown".to_owned())
}
