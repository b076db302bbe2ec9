//! A running server and an HTTP client for it.

use std::path::{Path, PathBuf};

use reqwest::header::{HeaderMap, HeaderValue};
use reqwest::{Method, StatusCode};
use secrecy::SecretString;
use serde_json::Value;
use tempfile::TempDir;

use kedao_api::settings::{Environment, LogFormat};
use kedao_api::{Application, Settings};

use crate::postgres;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A server on a random port with its own fresh database.
pub struct TestApp {
    pub address: String,
    pub backend: Backend,
    pub client: reqwest::Client,
    pub settings: Settings,
    _data_dir: TempDir,
    pg_database: Option<(String, String)>,
}

/// An HTTP answer, read whole.
#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Value,
    pub text: String,
}

impl Reply {
    /// The `ETag` header.
    pub fn etag(&self) -> String {
        self.headers
            .get("etag")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    }

    /// Asserts a problem+json answer with this status and code; returns the body.
    #[track_caller]
    pub fn problem(&self, status: u16, code: &str) -> &Value {
        assert_eq!(self.status.as_u16(), status, "status of {}", self.text);
        let ct = self
            .headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        assert!(
            ct.starts_with("application/problem+json"),
            "content type {ct} of {}",
            self.text
        );
        assert_eq!(self.body["code"], code, "code of {}", self.text);
        assert_eq!(self.body["status"], status, "status field of {}", self.text);
        assert!(
            self.body["type"].as_str().is_some_and(|t| !t.is_empty()),
            "type of {}",
            self.text
        );
        &self.body
    }

    /// Asserts the problem names `field` among its invalid fields.
    #[track_caller]
    pub fn invalid_field(&self, field: &str) -> &Value {
        let body = self.problem(422, "validation-failed");
        let fields: Vec<&str> = body["errors"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|e| e["field"].as_str())
            .collect();
        assert!(
            fields.contains(&field),
            "expected invalid field {field}, got {fields:?} in {}",
            self.text
        );
        body
    }

    #[track_caller]
    pub fn ok(&self) -> &Value {
        assert!(
            self.status.is_success(),
            "expected success, got {}: {}",
            self.status,
            self.text
        );
        &self.body
    }
}

const TEST_SECRET: &str = "test-secret-test-secret-test-secret-test-secret";

/// The settings every test server starts from, over `database_url` with its files in
/// `data_dir`: quick background jobs, webhooks allowed to loopback receivers.
pub fn test_settings(data_dir: &Path, database_url: String) -> Settings {
    Settings {
        env: Environment::Development,
        bind: "127.0.0.1:0".into(),
        data_dir: PathBuf::from(data_dir),
        database_url: SecretString::from(database_url),
        jwt_secret: SecretString::from(TEST_SECRET),
        log_format: LogFormat::Human,
        access_token_ttl_secs: 900,
        refresh_token_ttl_days: 30,
        max_body_bytes: 64 * 1024,
        workers: Some(2),
        db_max_connections: 8,
        quote_approval_discount_percent: rust_decimal::Decimal::from(15),
        default_payment_terms_days: 30,
        // A seller with every field, so the documents' tests see each printed.
        company: kedao_api::settings::CompanyProfile {
            name: "恒信机床 Hengxin Machine Tools".into(),
            address: Some("上海市浦东新区张江路 88 号".into()),
            phone: Some("+86 21 5555 0100".into()),
            tax_id: Some("91310115MA1K4XXXXX".into()),
            bank_account: Some("招商银行上海张江支行 1219 0000 0000 0001".into()),
        },
        time_zone: kedao_api::settings::DEFAULT_TIME_ZONE,
        credit_hold_overdue_days: 30,
        login_max_failures_per_account: 5,
        login_max_failures_per_address: 50,
        login_throttle_window_secs: 900,
        // No browser app unless a test builds one and points here (see `browser`).
        web_dir: data_dir.join("no-web-app"),
        token_rate_limit_per_minute: 600,
        task_reminder_hours: 24,
        installment_reminder_days: 3,
        max_attachment_bytes: 10 * 1024 * 1024,
        // One background worker polling often, so jobs caused by a request run promptly.
        job_workers: 1,
        job_poll_ms: 50,
        job_lease_secs: 60,
        job_shutdown_grace_secs: 10,
        // The periodic jobs (a reminder scan, prunes) only where a test asks for them: one
        // running late under load would change what another test counts.
        job_schedule: false,
        webhook_max_attempts: 8,
        // The tests' webhook receivers listen on loopback.
        webhook_allow_private: true,
        webhook_timeout_secs: 5,
        webhook_disable_after: 10,
    }
}

impl TestApp {
    /// Spawns on the given backend; panics if PostgreSQL is asked for but not configured.
    pub async fn spawn(backend: Backend) -> TestApp {
        TestApp::spawn_with(backend, |_| {}).await
    }

    /// Spawns with settings changed from the test defaults by `configure`.
    pub async fn spawn_with(backend: Backend, configure: impl FnOnce(&mut Settings)) -> TestApp {
        match backend {
            Backend::Sqlite => TestApp::start(Backend::Sqlite, None, configure).await,
            Backend::Postgres => {
                let pg = TestApp::postgres_database()
                    .await
                    .expect("KEDAO_TEST_POSTGRES_URL is not set");
                TestApp::start(Backend::Postgres, Some(pg), configure).await
            }
        }
    }

    /// Spawns on PostgreSQL when `KEDAO_TEST_POSTGRES_URL` is set. Without it the test is
    /// skipped, except under CI (`CI` set), where a missing database is a failure.
    pub async fn spawn_postgres() -> Option<TestApp> {
        TestApp::spawn_postgres_with(|_| {}).await
    }

    /// `spawn_postgres` with settings changed by `configure`.
    pub async fn spawn_postgres_with(configure: impl FnOnce(&mut Settings)) -> Option<TestApp> {
        let pg = TestApp::postgres_database().await?;
        Some(TestApp::start(Backend::Postgres, Some(pg), configure).await)
    }

    /// A fresh PostgreSQL database (server URL, name), or `None` when none is configured.
    async fn postgres_database() -> Option<(String, String)> {
        let Some(server) = postgres::server_url() else {
            assert!(
                std::env::var("CI").is_err(),
                "CI must set KEDAO_TEST_POSTGRES_URL: every HTTP test runs on PostgreSQL too"
            );
            eprintln!("KEDAO_TEST_POSTGRES_URL not set: PostgreSQL variant skipped");
            return None;
        };
        let name = postgres::create_database(&server).await;
        Some((server, name))
    }

    async fn start(
        backend: Backend,
        pg: Option<(String, String)>,
        configure: impl FnOnce(&mut Settings),
    ) -> TestApp {
        if std::env::var("TEST_LOG").is_ok() {
            kedao_api::telemetry::init(LogFormat::Human);
        }
        let data_dir = tempfile::tempdir().expect("temp dir");
        let database_url = match &pg {
            Some((server, name)) => format!("{server}/{name}"),
            None => format!(
                "sqlite://{}?mode=rwc",
                data_dir.path().join("kedao.db").display()
            ),
        };
        let mut settings = test_settings(data_dir.path(), database_url);
        configure(&mut settings);
        let app = Application::build(settings.clone())
            .await
            .expect("build app");
        let address = format!("http://127.0.0.1:{}", app.port());
        tokio::spawn(app.into_server());
        TestApp {
            address,
            backend,
            client: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .expect("client"),
            settings,
            _data_dir: data_dir,
            pg_database: pg,
        }
    }

    /// A second server on this one's database (two replicas, on PostgreSQL), with settings
    /// changed by `configure`. It leaves the database to this app to drop.
    pub async fn spawn_sibling(&self, configure: impl FnOnce(&mut Settings)) -> TestApp {
        let data_dir = tempfile::tempdir().expect("temp dir");
        let mut settings = self.settings.clone();
        settings.data_dir = PathBuf::from(data_dir.path());
        configure(&mut settings);
        let app = Application::build(settings.clone())
            .await
            .expect("build sibling app");
        let address = format!("http://127.0.0.1:{}", app.port());
        tokio::spawn(app.into_server());
        TestApp {
            address,
            backend: self.backend,
            client: self.client.clone(),
            settings,
            _data_dir: data_dir,
            pg_database: None,
        }
    }

    /// Runs a statement straight on the server's database: for what HTTP cannot do, such as
    /// letting days pass (moving a stored date into the past).
    pub async fn execute_sql(&self, sql: &str) {
        use sea_orm::ConnectionTrait;
        let db = self.db().await;
        db.execute_unprepared(sql).await.expect("run the statement");
        db.close().await.expect("close the connection");
    }

    /// The company's date today, as the server computes it (in its configured time zone).
    pub fn today(&self) -> chrono::NaiveDate {
        chrono::Utc::now()
            .with_timezone(&self.settings.time_zone)
            .date_naive()
    }

    /// The company's date `days` from today (negative: in the past), as `YYYY-MM-DD`.
    pub fn days_from_today(&self, days: i64) -> String {
        (self.today() + chrono::Duration::days(days)).to_string()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    /// Sends a request; `body` is sent as JSON when given; `if_match` as the header.
    pub async fn call(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<&Value>,
        if_match: Option<&str>,
    ) -> Reply {
        let mut req = self.client.request(method, self.url(path));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(b) = body {
            req = req.json(b);
        }
        if let Some(v) = if_match {
            req = req.header(
                "If-Match",
                HeaderValue::from_str(v).expect("if-match value"),
            );
        }
        Reply::read(req.send().await.expect("request sent")).await
    }

    /// Sends a raw body with a content type.
    pub async fn raw(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        content_type: &str,
        body: Vec<u8>,
    ) -> Reply {
        let mut req = self
            .client
            .request(method, self.url(path))
            .header("content-type", content_type)
            .body(body);
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        Reply::read(req.send().await.expect("request sent")).await
    }

    pub async fn get(&self, path: &str, token: &str) -> Reply {
        self.call(Method::GET, path, Some(token), None, None).await
    }

    pub async fn post(&self, path: &str, token: &str, body: &Value) -> Reply {
        self.call(Method::POST, path, Some(token), Some(body), None)
            .await
    }

    pub async fn patch(&self, path: &str, token: &str, etag: &str, body: &Value) -> Reply {
        self.call(Method::PATCH, path, Some(token), Some(body), Some(etag))
            .await
    }

    pub async fn delete(&self, path: &str, token: &str, etag: &str) -> Reply {
        self.call(Method::DELETE, path, Some(token), None, Some(etag))
            .await
    }

    /// A direct connection to the test database, for asserting that nothing changed.
    pub async fn db(&self) -> sea_orm::DatabaseConnection {
        kedao_api::db::connect(&self.settings)
            .await
            .expect("connect to test database")
    }

    /// Row count of a table, read straight from the database.
    pub async fn count(&self, table: &str) -> i64 {
        use sea_orm::ConnectionTrait;
        let db = self.db().await;
        let row = db
            .query_one_raw(sea_orm::Statement::from_string(
                db.get_database_backend(),
                format!("SELECT COUNT(*) AS n FROM {table}"),
            ))
            .await
            .expect("count query")
            .expect("a row");
        let n: i64 = row.try_get("", "n").expect("count value");
        db.close().await.ok();
        n
    }
}

impl Reply {
    async fn read(res: reqwest::Response) -> Reply {
        let status = res.status();
        let headers = res.headers().clone();
        let text = res.text().await.unwrap_or_default();
        let body = serde_json::from_str(&text).unwrap_or(Value::Null);
        Reply {
            status,
            headers,
            body,
            text,
        }
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some((server, name)) = self.pg_database.take() {
            postgres::drop_database(server, name);
        }
    }
}
