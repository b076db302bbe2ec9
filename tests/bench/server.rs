//! The real server, started in-process on a free port over the benchmark database, and the
//! HTTP calls the scenarios make.

use std::time::Duration;

use actix_web::dev::ServerHandle;
use anyhow::{Context, bail};
use secrecy::SecretString;
use serde_json::json;

use kedao_api::auth::Principal;
use kedao_api::settings::{Environment, LogFormat};
use kedao_api::{Application, Settings};
use kedao_api_types::auth::TokenPair;

/// Access tokens outlive the whole run (the default 15 minutes could expire mid-run).
const TOKEN_TTL_SECS: u64 = 4 * 3600;
const JWT_SECRET: &str = "kedao-bench-secret-kedao-bench-secret-0123456789";

/// The running server.
pub struct Running {
    pub base: String,
    pub client: reqwest::Client,
    handle: ServerHandle,
}

/// A signed-in caller.
#[derive(Debug, Clone)]
pub struct Session {
    pub token: String,
    pub principal: Principal,
}

/// Starts the server as `kedao serve` would, with 2 HTTP workers and a pool of
/// `pool` database connections.
pub async fn start(database_url: &str, workers: usize, pool: u32) -> anyhow::Result<Running> {
    let settings = Settings {
        env: Environment::Development,
        bind: "127.0.0.1:0".into(),
        data_dir: std::env::temp_dir().join("kedao-bench"),
        database_url: SecretString::from(database_url.to_owned()),
        jwt_secret: SecretString::from(JWT_SECRET),
        log_format: LogFormat::Human,
        access_token_ttl_secs: TOKEN_TTL_SECS,
        refresh_token_ttl_days: 1,
        max_body_bytes: 1024 * 1024,
        workers: Some(workers),
        db_max_connections: pool,
        quote_approval_discount_percent: rust_decimal::Decimal::from(15),
        default_payment_terms_days: 30,
        company: kedao_api::settings::CompanyProfile::default(),
        time_zone: kedao_api::settings::DEFAULT_TIME_ZONE,
        credit_hold_overdue_days: 30,
        login_max_failures_per_account: 5,
        login_max_failures_per_address: 50,
        login_throttle_window_secs: 900,
        // The benchmark measures the API only.
        web_dir: std::env::temp_dir().join("kedao-bench").join("no-web-app"),
        token_rate_limit_per_minute: 600,
        task_reminder_hours: 24,
        installment_reminder_days: 3,
        max_attachment_bytes: 10 * 1024 * 1024,
        // As `kedao serve` runs by default: one job worker beside the API.
        job_workers: 1,
        job_poll_ms: 500,
        job_lease_secs: 60,
        job_shutdown_grace_secs: 10,
        job_schedule: true,
        webhook_max_attempts: 8,
        webhook_allow_private: false,
        webhook_timeout_secs: 10,
        webhook_disable_after: 10,
    };
    let db = kedao_api::db::connect(&settings)
        .await
        .context("connecting the server's pool")?;
    let app = Application::with_database(settings, db).context("building the server")?;
    let base = format!("http://127.0.0.1:{}", app.port());
    let server = app.into_server();
    let handle = server.handle();
    tokio::spawn(server);
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(256)
        .tcp_nodelay(true)
        .timeout(Duration::from_secs(60))
        .build()
        .context("building the HTTP client")?;
    Ok(Running {
        base,
        client,
        handle,
    })
}

impl Running {
    /// Signs in over HTTP.
    pub async fn sign_in(&self, email: &str, password: &str) -> anyhow::Result<Session> {
        let reply = self
            .client
            .post(format!("{}/api/v1/auth/login", self.base))
            .json(&json!({"email": email, "password": password}))
            .send()
            .await
            .with_context(|| format!("signing in as {email}"))?;
        let status = reply.status();
        if !status.is_success() {
            bail!(
                "signing in as {email}: {status}: {}",
                reply.text().await.unwrap_or_default()
            );
        }
        let pair: TokenPair = reply
            .json()
            .await
            .with_context(|| format!("reading the sign-in answer for {email}"))?;
        Ok(Session {
            token: pair.access_token,
            principal: Principal {
                user_id: pair.user.id,
                role: pair.user.role,
                team_id: pair.user.team_id,
                dealer_id: pair.user.dealer_id,
                token_id: None,
                token_scopes: None,
                today: chrono::Utc::now()
                    .with_timezone(&kedao_api::settings::DEFAULT_TIME_ZONE)
                    .date_naive(),
                time_zone: kedao_api::settings::DEFAULT_TIME_ZONE,
            },
        })
    }

    /// Stops the server, letting in-flight requests finish.
    pub async fn stop(self) {
        self.handle.stop(true).await;
    }
}

/// GETs `url`; an answer other than 2xx is an error. Returns the whole body.
pub async fn get(
    client: &reqwest::Client,
    url: &str,
    token: Option<&str>,
) -> anyhow::Result<impl AsRef<[u8]> + use<>> {
    let mut request = client.get(url);
    if let Some(t) = token {
        request = request.bearer_auth(t);
    }
    let reply = request.send().await.with_context(|| format!("GET {url}"))?;
    let status = reply.status();
    let body = reply
        .bytes()
        .await
        .with_context(|| format!("reading GET {url}"))?;
    if !status.is_success() {
        let text = String::from_utf8_lossy(&body);
        bail!(
            "GET {url}: {status}: {}",
            text.chars().take(300).collect::<String>()
        );
    }
    Ok(body)
}

/// POSTs `body` (JSON, or nothing) to `url` as `token`, with `If-Match: "version"` when given;
/// an answer other than `expected` is an error. Returns the whole body.
pub async fn post(
    client: &reqwest::Client,
    url: &str,
    token: &str,
    body: Option<&serde_json::Value>,
    if_match: Option<i32>,
    expected: reqwest::StatusCode,
) -> anyhow::Result<impl AsRef<[u8]> + use<>> {
    let mut request = client.post(url).bearer_auth(token);
    if let Some(b) = body {
        request = request.json(b);
    }
    if let Some(v) = if_match {
        request = request.header(reqwest::header::IF_MATCH, format!("\"{v}\""));
    }
    let reply = request
        .send()
        .await
        .with_context(|| format!("POST {url}"))?;
    let status = reply.status();
    let bytes = reply
        .bytes()
        .await
        .with_context(|| format!("reading POST {url}"))?;
    if status != expected {
        let text = String::from_utf8_lossy(&bytes);
        bail!(
            "POST {url}: {status} (expected {expected}): {}",
            text.chars().take(300).collect::<String>()
        );
    }
    Ok(bytes)
}
