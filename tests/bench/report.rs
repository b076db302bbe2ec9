//! The report: one Markdown table of every figure, the targets, and the query plans.

use std::fmt::Write as _;
use std::path::Path;
use std::time::Duration;

use anyhow::Context;

use crate::load::{Figures, Outcome};

/// A latency goal from the issue.
#[derive(Debug, Clone, Copy)]
pub struct Target {
    pub what: &'static str,
    pub p99_under: Duration,
}

/// The list page goal: p99 under 25 ms.
pub const LIST_TARGET: Target = Target {
    what: "list p99",
    p99_under: Duration::from_millis(25),
};

/// The funnel summary goal: under 150 ms (checked on p99).
pub const FUNNEL_TARGET: Target = Target {
    what: "funnel summary p99",
    p99_under: Duration::from_millis(150),
};

/// The receivables reports goal: under 200 ms (checked on p99).
pub const REPORT_TARGET: Target = Target {
    what: "receivables report p99",
    p99_under: Duration::from_millis(200),
};

/// The write goal: p99 under 20 ms at 16 concurrent connections.
pub const WRITE_TARGET: Target = Target {
    what: "write p99",
    p99_under: Duration::from_millis(20),
};

/// What a row measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A floor the other figures are read against.
    Baseline,
    Measured,
}

/// One line of the table.
#[derive(Debug, Clone)]
pub struct Row {
    pub kind: Kind,
    pub scenario: String,
    pub caller: &'static str,
    pub load: String,
    pub figures: Figures,
    pub first_error: Option<String>,
    pub target: Option<Target>,
}

impl Row {
    pub fn new(
        kind: Kind,
        scenario: impl Into<String>,
        caller: &'static str,
        outcome: &Outcome,
        target: Option<Target>,
    ) -> Row {
        let load = if outcome.concurrency == 1 {
            format!(
                "1 (sequential, {} runs)",
                outcome.latencies.len() as u64 + outcome.errors
            )
        } else {
            format!("{} connections", outcome.concurrency)
        };
        Row {
            kind,
            scenario: scenario.into(),
            caller,
            load,
            figures: outcome.figures(),
            first_error: outcome.first_error.clone(),
            target,
        }
    }

    /// `Some(message)` when the row misses its target.
    pub fn miss(&self) -> Option<String> {
        let target = self.target?;
        (self.figures.p99 >= target.p99_under || self.figures.requests == 0).then(|| {
            format!(
                "TARGET MISSED: {} — {} ({}) p99 {} ms ≥ {} ms",
                target.what,
                self.scenario,
                self.caller,
                ms(self.figures.p99),
                target.p99_under.as_millis()
            )
        })
    }

    fn verdict(&self) -> String {
        match self.target {
            None => "—".to_owned(),
            Some(t) if self.miss().is_some() => {
                format!("**missed** (< {} ms)", t.p99_under.as_millis())
            }
            Some(t) => format!("met (< {} ms)", t.p99_under.as_millis()),
        }
    }
}

fn ms(d: Duration) -> String {
    format!("{:.2}", d.as_secs_f64() * 1000.0)
}

/// Facts about the run printed above the table.
pub struct RunInfo {
    pub postgres_version: String,
    pub cpus: usize,
    pub data: String,
    pub seeding: String,
    pub setup: String,
}

/// The whole report as Markdown.
pub fn markdown(
    ctx: &RunInfo,
    rows: &[Row],
    notes: &[String],
    plans: &[(String, String)],
) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# Kedao benchmark (PostgreSQL)\n");
    let _ = writeln!(
        out,
        "- Run: {} on {} CPUs, {}",
        chrono::Utc::now().format("%Y-%m-%d %H:%M UTC"),
        ctx.cpus,
        ctx.postgres_version
    );
    let _ = writeln!(out, "- Data: {}", ctx.data);
    let _ = writeln!(out, "- Seeding: {}", ctx.seeding);
    let _ = writeln!(out, "- Setup: {}\n", ctx.setup);
    let _ = writeln!(
        out,
        "| Scenario | Caller | Load | Requests | Errors | Throughput (req/s) | p50 (ms) | p99 (ms) | Max (ms) | Target |"
    );
    let _ = writeln!(out, "|---|---|---|---:|---:|---:|---:|---:|---:|---|");
    for row in rows {
        let name = match row.kind {
            Kind::Baseline => format!("*baseline:* {}", row.scenario),
            Kind::Measured => row.scenario.clone(),
        };
        let f = row.figures;
        let _ = writeln!(
            out,
            "| {name} | {} | {} | {} | {} | {:.0} | {} | {} | {} | {} |",
            row.caller,
            row.load,
            f.requests,
            f.errors,
            f.per_second,
            ms(f.p50),
            ms(f.p99),
            ms(f.max),
            row.verdict()
        );
    }
    let _ = writeln!(
        out,
        "\nBaselines are measured in the same run: `GET /health` is the HTTP/server floor (no \
         auth, no database); the database floor is the list page's own SQL (same scope, filter, \
         keyset and order code as the store) run straight on a pool of the server's size, rows \
         decoded as the server decodes them, no HTTP. The receivables baselines run the aging \
         report's own grouped statement (built by the store's code for the same caller and \
         day, rows decoded as the server reads them) and, for comparison, the same aging as one \
         sum per group, currency and bucket, on the same pool, one at a time. Latencies are \
         per request in a closed loop of N connections, so p50 ≈ N / throughput once the \
         machine is saturated."
    );
    let errors: Vec<&Row> = rows.iter().filter(|r| r.first_error.is_some()).collect();
    if !errors.is_empty() {
        let _ = writeln!(out, "\nFirst error per scenario:\n");
        for row in errors {
            let _ = writeln!(
                out,
                "- {} ({}): {}",
                row.scenario,
                row.caller,
                row.first_error.as_deref().unwrap_or_default()
            );
        }
    }
    if !notes.is_empty() {
        let _ = writeln!(out);
        for note in notes {
            let _ = writeln!(out, "- {note}");
        }
    }
    for (title, plan) in plans {
        let _ = writeln!(out, "\n## {title}\n\n```text\n{}\n```", plan.trim_end());
    }
    out
}

/// Writes the report, creating the directory.
pub fn write(path: &Path, text: &str) -> anyhow::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    std::fs::write(path, text).with_context(|| format!("writing {}", path.display()))
}
