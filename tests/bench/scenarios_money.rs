//! The quote-to-cash scenarios, run after the others: the receivables baselines (the aging
//! report's own grouped statement, and another shape of it, straight to PostgreSQL), the aging
//! and summary reports over HTTP (one at a time, like the funnel), then the two writes at
//! `--write-concurrency` connections: payments and quote accepts, each request on its own
//! account or quote so the figures measure the work, not lock waits on one row.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use anyhow::{Context, ensure};
use reqwest::StatusCode;
use sea_orm::Statement;
use serde_json::json;

use crate::load::{self, Outcome};
use crate::queries;
use crate::queries_money::{self, PaymentTarget};
use crate::report::{Kind, REPORT_TARGET, WRITE_TARGET};
use crate::scenarios::{Bench, Results};
use crate::seed_money;
use crate::server::{self, Session};
use kedao_api_types::receivables::ReceivablesGroupBy;

pub const AGING_PATH: &str = "/api/v1/receivables/aging";
/// Sequential runs of the whole-report export (each reads every page).
const EXPORT_RUNS: usize = 10;
pub const SUMMARY_PATH: &str = "/api/v1/receivables/summary";
pub const PAYMENTS_PATH: &str = "/api/v1/payments";
pub const QUOTES_PATH: &str = "/api/v1/quotes";

/// Accounts drawn for the payment scenario: far more than a run at 2 cores can use.
const PAYMENT_TARGETS: usize = 50_000;

impl Bench {
    /// Runs the selected quote-to-cash scenarios and explains their queries.
    pub(crate) async fn run_money(&self, out: &mut Results) -> anyhow::Result<()> {
        let callers: [(&'static str, &Session); 2] =
            [("admin", &self.admin), ("manager", &self.manager)];
        if self.wants("receivables-sql") {
            for (who, session, by) in [
                ("admin", &self.admin, ReceivablesGroupBy::Account),
                ("admin", &self.admin, ReceivablesGroupBy::Owner),
                ("manager", &self.manager, ReceivablesGroupBy::Account),
            ] {
                let statement = queries_money::aging_statement(&session.principal, by)?;
                let o = self.sql_sequential(statement, false).await;
                let name = format!(
                    "the aging report's own GROUP BY {} statement straight to PostgreSQL \
                     (database floor)",
                    by.as_str()
                );
                out.push(Kind::Baseline, &name, who, &o, None);
            }
            let statement = queries_money::aging_grouped(&self.admin.principal, "account")?;
            let o = self.sql_sequential(statement, true).await;
            let name = "the same aging as GROUP BY account, currency, bucket (one sum per row, \
                        no names) straight to PostgreSQL";
            out.push(Kind::Baseline, name, "admin", &o, None);
        }
        if self.wants("receivables") {
            self.note_report_shape(&mut out.notes).await?;
            for (who, session) in callers {
                for by in ["account", "owner"] {
                    let path = format!("{AGING_PATH}?group_by={by}");
                    let o = self.sequential_get(&path, &session.token).await;
                    out.push(
                        Kind::Measured,
                        &format!("`GET {path}`"),
                        who,
                        &o,
                        Some(REPORT_TARGET),
                    );
                }
            }
            let path = format!("{SUMMARY_PATH}?group_by=owner");
            let o = self.sequential_get(&path, &self.admin.token).await;
            let name = format!("`GET {path}`");
            out.push(Kind::Measured, &name, "admin", &o, Some(REPORT_TARGET));
            // The whole by-account report as CSV: a row per customer and currency, every page.
            let path = format!("{AGING_PATH}/export?group_by=account");
            let o = self
                .sequential_get_times(&path, &self.admin.token, EXPORT_RUNS)
                .await;
            let name = format!("`GET {path}` (the whole report as CSV)");
            out.push(Kind::Measured, &name, "admin", &o, None);
            // The whole overdue list (the collection list) as CSV, named rows, every page.
            let path = "/api/v1/receivables/overdue/export";
            let o = self
                .sequential_get_times(path, &self.admin.token, EXPORT_RUNS)
                .await;
            let name = format!("`GET {path}` (the whole overdue list as CSV)");
            out.push(Kind::Measured, &name, "admin", &o, None);
        }
        let mut payment_sample = None;
        if self.wants("payments") {
            let targets = queries_money::payment_targets(&self.direct, PAYMENT_TARGETS).await?;
            payment_sample = targets.first().cloned();
            let available = targets.len();
            let (o, used) = self.payments(targets).await;
            let used = used.min(available);
            let name =
                format!("`POST {PAYMENTS_PATH}` (40% of a distinct account's open installments)");
            out.push(Kind::Measured, &name, "admin", &o, Some(WRITE_TARGET));
            out.notes.push(format!(
                "The payment scenario recorded {used} payments (warm-up included); the next run \
                 removes them before it measures."
            ));
        }
        if self.wants("accept") {
            let pool = queries_money::sent_quotes(&self.direct).await?;
            let size = pool.len();
            let (o, used) = self.accepts(pool).await;
            let used = used.min(size);
            let name = format!("`POST {QUOTES_PATH}/{{id}}/accept` (a distinct sent quote each)");
            out.push(Kind::Measured, &name, "admin", &o, Some(WRITE_TARGET));
            out.notes.push(format!(
                "The accept scenario used {used} of {size} sent quotes in the pool (warm-up \
                 included); the next run restores them."
            ));
        }
        self.money_plans(out, payment_sample).await
    }

    /// `EXPLAIN (ANALYZE, BUFFERS)` of what the reports and a payment send.
    async fn money_plans(
        &self,
        out: &mut Results,
        payment_sample: Option<PaymentTarget>,
    ) -> anyhow::Result<()> {
        if self.wants("receivables") || self.wants("receivables-sql") {
            for (who, session, by) in [
                ("admin", &self.admin, ReceivablesGroupBy::Account),
                ("admin", &self.admin, ReceivablesGroupBy::Owner),
                ("manager", &self.manager, ReceivablesGroupBy::Account),
            ] {
                let statement = queries_money::aging_statement(&session.principal, by)?;
                out.plans.push((
                    format!("Plan: aging report by {}, {who}", by.as_str()),
                    queries::explain(&self.direct, &statement).await?,
                ));
            }
            let statement = queries_money::aging_grouped(&self.admin.principal, "account")?;
            out.plans.push((
                "Plan: aging as GROUP BY account, currency, bucket, admin (comparison)".to_owned(),
                queries::explain(&self.direct, &statement).await?,
            ));
        }
        if let Some(t) = payment_sample {
            let statement = queries_money::payment_installments(t.account_id, &t.currency);
            out.plans.push((
                "Plan: a payment's read of the account's open installments".to_owned(),
                queries::explain(&self.direct, &statement).await?,
            ));
        }
        Ok(())
    }

    /// `GET path` `report_runs` times, one at a time.
    async fn sequential_get(&self, path: &str, token: &str) -> Outcome {
        self.sequential_get_times(path, token, self.report_runs)
            .await
    }

    /// `GET path` `runs` times, one at a time.
    async fn sequential_get_times(&self, path: &str, token: &str, runs: usize) -> Outcome {
        let url = self.url(path);
        load::sequential(3, runs, || async {
            server::get(&self.client, &url, Some(token)).await?;
            Ok(())
        })
        .await
    }

    /// A report statement run straight on the database `report_runs` times, one at a time;
    /// `bucket_rows` for the comparison shape, else the store's own.
    async fn sql_sequential(&self, statement: Statement, bucket_rows: bool) -> Outcome {
        load::sequential(3, self.report_runs, || async {
            if bucket_rows {
                queries_money::run_grouped(&self.direct, statement.clone()).await?;
            } else {
                queries_money::run_report(&self.direct, statement.clone()).await?;
            }
            Ok(())
        })
        .await
    }

    /// Notes how big the admin's aging answers are and whether every bucket has something in
    /// it (a report over empty buckets would measure less than a real one).
    async fn note_report_shape(&self, notes: &mut Vec<String>) -> anyhow::Result<()> {
        for by in ["account", "owner"] {
            let url = self.url(&format!("{AGING_PATH}?group_by={by}"));
            let body = server::get(&self.client, &url, Some(&self.admin.token)).await?;
            let report: serde_json::Value =
                serde_json::from_slice(body.as_ref()).context("reading the aging report")?;
            let rows = report["rows"].as_array().map_or(0, Vec::len);
            ensure!(rows > 0, "the aging report by {by} has no rows");
            notes.push(format!(
                "`GET {AGING_PATH}?group_by={by}` as admin answers {rows} rows, {} KB of JSON.",
                body.as_ref().len() / 1024
            ));
        }
        let buckets = seed_money::bucket_counts(&self.direct).await?;
        let note = format!(
            "Open installments per aging bucket (not due, 1–30, 31–60, 61–90, over 90 days): {}.",
            buckets.map(|n| n.to_string()).join(", ")
        );
        ensure!(
            buckets.iter().all(|n| *n > 0),
            "an aging bucket is empty: {note}"
        );
        notes.push(note);
        Ok(())
    }

    /// `POST /api/v1/payments` in a closed loop, each call for the next account of `targets`.
    /// Returns the outcome and how many targets were used.
    async fn payments(&self, targets: Vec<PaymentTarget>) -> (Outcome, usize) {
        let client = self.client.clone();
        let url: Arc<str> = Arc::from(self.url(PAYMENTS_PATH));
        let token: Arc<str> = Arc::from(self.admin.token.as_str());
        let targets = Arc::new(targets);
        let next = Arc::new(AtomicUsize::new(0));
        let counter = next.clone();
        let today = chrono::Utc::now().date_naive().to_string();
        let o = load::closed_loop(
            self.write_concurrency,
            self.warmup,
            self.duration,
            move |_| {
                let n = counter.fetch_add(1, Ordering::Relaxed);
                let target = targets.get(n).cloned();
                let body = target.map(|t| {
                    json!({
                        "account_id": t.account_id,
                        "amount": t.amount(),
                        "currency": t.currency,
                        "received_on": today,
                        "method": "bank_transfer",
                        "reference": queries_money::payment_reference(n),
                    })
                });
                let (client, url, token) = (client.clone(), url.clone(), token.clone());
                async move {
                    let body = body.context("ran out of accounts with open installments")?;
                    let reply = server::post(
                        &client,
                        &url,
                        &token,
                        Some(&body),
                        None,
                        StatusCode::CREATED,
                    )
                    .await?;
                    let payment: serde_json::Value =
                        serde_json::from_slice(reply.as_ref()).context("reading the payment")?;
                    let applied = payment["allocations"]
                        .as_array()
                        .is_some_and(|a| !a.is_empty());
                    ensure!(applied, "the payment was applied to nothing: {payment}");
                    Ok(())
                }
            },
        )
        .await;
        (o, next.load(Ordering::Relaxed))
    }

    /// `POST /api/v1/quotes/{id}/accept` in a closed loop, each call for the next quote of the
    /// pool at the version it was read at (`If-Match`). Returns the outcome and how many quotes
    /// were used.
    async fn accepts(&self, pool: Vec<(uuid::Uuid, i32)>) -> (Outcome, usize) {
        let client = self.client.clone();
        let base = self.url(QUOTES_PATH);
        let token: Arc<str> = Arc::from(self.admin.token.as_str());
        let pool = Arc::new(pool);
        let next = Arc::new(AtomicUsize::new(0));
        let counter = next.clone();
        let o = load::closed_loop(
            self.write_concurrency,
            self.warmup,
            self.duration,
            move |_| {
                let quote = pool.get(counter.fetch_add(1, Ordering::Relaxed)).copied();
                let url = quote.map(|(id, _)| format!("{base}/{id}/accept"));
                let (client, token) = (client.clone(), token.clone());
                async move {
                    let (url, (_, version)) = url
                        .zip(quote)
                        .context("ran out of sent quotes: raise --sent-quotes")?;
                    let reply = server::post(
                        &client,
                        &url,
                        &token,
                        None,
                        Some(version),
                        StatusCode::CREATED,
                    )
                    .await?;
                    let order: serde_json::Value =
                        serde_json::from_slice(reply.as_ref()).context("reading the order")?;
                    let numbered = order["number"]
                        .as_str()
                        .is_some_and(|n| n.starts_with("O-"));
                    ensure!(numbered, "the accept answered no order: {order}");
                    Ok(())
                }
            },
        )
        .await;
        (o, next.load(Ordering::Relaxed))
    }
}
