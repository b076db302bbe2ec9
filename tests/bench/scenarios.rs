//! The scenarios, in the order they run: the two floors, the list page (admin, rep, page 2),
//! get-by-id, and the funnel summary; then the query plans; then the quote-to-cash scenarios
//! (`scenarios_money`).

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use sea_orm::{DatabaseConnection, Statement};
use uuid::Uuid;

use crate::load::{self, Outcome};
use crate::queries;
use crate::report::{FUNNEL_TARGET, Kind, LIST_TARGET, Row};
use crate::server::{self, Session};

pub const LIST_PATH: &str = "/api/v1/leads";
pub const FUNNEL_PATH: &str = "/api/v1/funnel";

/// Scenario groups `--only` may name.
pub const GROUPS: [&str; 10] = [
    "health",
    "db-floor",
    "list",
    "page2",
    "by-id",
    "funnel",
    "receivables-sql",
    "receivables",
    "payments",
    "accept",
];

/// Everything the scenarios share.
pub struct Bench {
    pub client: reqwest::Client,
    pub base: Arc<str>,
    pub concurrency: usize,
    pub warmup: Duration,
    pub duration: Duration,
    pub funnel_runs: usize,
    /// Groups to run; empty means all.
    pub only: Vec<String>,
    /// The database floor's own pool.
    pub direct: DatabaseConnection,
    pub admin: Session,
    pub rep: Session,
    /// A manager (team scope) for the receivables reports.
    pub manager: Session,
    pub ids: Arc<Vec<Uuid>>,
    /// Connections of the write scenarios.
    pub write_concurrency: usize,
    /// Sequential runs of each receivables report and its baselines.
    pub report_runs: usize,
}

/// What the run produced.
#[derive(Default)]
pub struct Results {
    pub rows: Vec<Row>,
    pub notes: Vec<String>,
    pub plans: Vec<(String, String)>,
}

impl Bench {
    pub(crate) fn wants(&self, group: &str) -> bool {
        self.only.is_empty() || self.only.iter().any(|g| g == group)
    }

    pub(crate) fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Runs the selected scenarios, then explains the queries.
    pub async fn run(&self) -> anyhow::Result<Results> {
        let mut out = Results::default();
        let list_url = format!("{LIST_PATH}?{}", queries::LIST_QUERY);
        let admin_sql = queries::list_page(&self.admin.principal, None)?;
        let rep_sql = queries::list_page(&self.rep.principal, None)?;
        let admin = Some(self.admin.token.as_str());
        let rep = Some(self.rep.token.as_str());
        let list = format!("`GET {list_url}`");

        if self.wants("health") {
            let o = self.http("/health".into(), None).await;
            out.push(
                Kind::Baseline,
                "`GET /health` (HTTP/server floor)",
                "—",
                &o,
                None,
            );
        }
        if self.wants("db-floor") {
            let name = "list page SQL straight to PostgreSQL (database floor)";
            let o = self.sql(admin_sql.clone()).await;
            out.push(Kind::Baseline, name, "admin", &o, None);
            let o = self.sql(rep_sql.clone()).await;
            out.push(Kind::Baseline, name, "rep", &o, None);
        }
        if self.wants("list") {
            let o = self.http(list_url.clone(), admin).await;
            out.push(Kind::Measured, &list, "admin", &o, Some(LIST_TARGET));
            let o = self.http(list_url.clone(), rep).await;
            out.push(Kind::Measured, &list, "rep", &o, Some(LIST_TARGET));
        }
        let cursor = self.next_cursor(&list_url).await?;
        if self.wants("page2") {
            let o = self
                .http(format!("{list_url}&cursor={cursor}"), admin)
                .await;
            let name = "same, page 2 (`&cursor=…` of page 1: keyset)";
            out.push(Kind::Measured, name, "admin", &o, Some(LIST_TARGET));
        }
        if self.wants("by-id") {
            let o = self.by_id().await;
            let name = format!(
                "`GET {LIST_PATH}/{{id}}` (random of {} ids)",
                self.ids.len()
            );
            out.push(Kind::Measured, &name, "admin", &o, None);
        }
        let funnel = self.wants("funnel") && self.funnel_available(&mut out.notes).await;
        if funnel {
            for (who, session) in [("admin", &self.admin), ("rep", &self.rep)] {
                let o = self.sequential(FUNNEL_PATH, &session.token).await;
                let name = format!("`GET {FUNNEL_PATH}` (funnel summary)");
                out.push(Kind::Measured, &name, who, &o, Some(FUNNEL_TARGET));
            }
        }

        println!("\nquery plans …");
        let page2_sql = queries::list_page(&self.admin.principal, Some(&cursor))?;
        for (title, statement) in [
            ("list page, admin (all rows)", &admin_sql),
            ("list page, rep (own rows)", &rep_sql),
            ("list page 2, admin (keyset cursor)", &page2_sql),
        ] {
            out.plans.push((
                format!("Plan: {title}"),
                queries::explain(&self.direct, statement).await?,
            ));
        }
        if funnel {
            for (who, session) in [("admin", &self.admin), ("rep", &self.rep)] {
                let statement = queries::funnel(&self.direct, &session.principal).await?;
                out.plans.push((
                    format!("Plan: funnel summary's grouped query, {who}"),
                    queries::explain(&self.direct, &statement).await?,
                ));
            }
        }
        self.run_money(&mut out).await?;
        Ok(out)
    }

    /// `GET path` in a closed loop.
    async fn http(&self, path: String, token: Option<&str>) -> Outcome {
        let client = self.client.clone();
        let url: Arc<str> = Arc::from(self.url(&path));
        let token: Option<Arc<str>> = token.map(Arc::from);
        load::closed_loop(self.concurrency, self.warmup, self.duration, move |_| {
            let client = client.clone();
            let url = url.clone();
            let token = token.clone();
            async move {
                server::get(&client, &url, token.as_deref()).await?;
                Ok(())
            }
        })
        .await
    }

    /// `GET /api/v1/leads/{id}` with a random id of the sample per call, as admin.
    async fn by_id(&self) -> Outcome {
        let client = self.client.clone();
        let base = self.url(LIST_PATH);
        let token: Arc<str> = Arc::from(self.admin.token.as_str());
        let ids = self.ids.clone();
        load::closed_loop(self.concurrency, self.warmup, self.duration, move |r| {
            let client = client.clone();
            let token = token.clone();
            let len = u64::try_from(ids.len()).unwrap_or(1).max(1);
            let id = ids[usize::try_from(r % len).unwrap_or(0)];
            let url = format!("{base}/{id}");
            async move {
                server::get(&client, &url, Some(&token)).await?;
                Ok(())
            }
        })
        .await
    }

    /// A list statement run straight on the database in a closed loop.
    async fn sql(&self, statement: Statement) -> Outcome {
        let db = self.direct.clone();
        load::closed_loop(self.concurrency, self.warmup, self.duration, move |_| {
            let db = db.clone();
            let statement = statement.clone();
            async move {
                queries::run_list(&db, statement).await?;
                Ok(())
            }
        })
        .await
    }

    /// `GET path` `funnel_runs` times, one at a time.
    async fn sequential(&self, path: &str, token: &str) -> Outcome {
        let url = self.url(path);
        load::sequential(3, self.funnel_runs, || async {
            server::get(&self.client, &url, Some(token)).await?;
            Ok(())
        })
        .await
    }

    /// Whether this build serves the funnel; notes it when not.
    async fn funnel_available(&self, notes: &mut Vec<String>) -> bool {
        let url = self.url(FUNNEL_PATH);
        match server::get(&self.client, &url, Some(&self.admin.token)).await {
            Ok(_) => true,
            Err(e) => {
                let note = format!(
                    "`GET {FUNNEL_PATH}` is not available in this build: funnel not measured ({e:#})"
                );
                println!("{note}");
                notes.push(note);
                false
            }
        }
    }

    /// The cursor of page 1 of the list, for the page-2 scenario.
    async fn next_cursor(&self, list_url: &str) -> anyhow::Result<String> {
        let body = server::get(&self.client, &self.url(list_url), Some(&self.admin.token)).await?;
        let page: serde_json::Value =
            serde_json::from_slice(body.as_ref()).context("reading the list page")?;
        page["next_cursor"]
            .as_str()
            .map(str::to_owned)
            .context("the first list page has no next_cursor")
    }
}

impl Results {
    pub(crate) fn push(
        &mut self,
        kind: Kind,
        scenario: &str,
        caller: &'static str,
        outcome: &Outcome,
        target: Option<crate::report::Target>,
    ) {
        let row = Row::new(kind, scenario, caller, outcome, target);
        let f = row.figures;
        println!(
            "  {:<70} {:<5} {:>7.0} req/s  p50 {:>7.2} ms  p99 {:>7.2} ms  max {:>7.2} ms  errors {}",
            row.scenario,
            row.caller,
            f.per_second,
            f.p50.as_secs_f64() * 1000.0,
            f.p99.as_secs_f64() * 1000.0,
            f.max.as_secs_f64() * 1000.0,
            f.errors
        );
        self.rows.push(row);
    }
}
