//! Typed configuration: defaults, then an optional TOML file (`KEDAO_CONFIG`), then
//! environment variables (`KEDAO_*`), validated once at start. Secrets are `SecretString`, so
//! they never appear in `Debug` output or logs.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
pub use chrono_tz::Tz;
use rand::RngCore;
use rust_decimal::Decimal;
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;

/// Where the server runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Environment {
    Development,
    Production,
}

/// How logs are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Human,
    Json,
}

impl LogFormat {
    /// The format named by `KEDAO_LOG_FORMAT`, read before the rest of the settings so that
    /// logging is set up before anything (settings validation included) wants to log.
    pub fn from_env() -> LogFormat {
        match std::env::var("KEDAO_LOG_FORMAT").map(|v| v.to_lowercase()) {
            Ok(v) if v == "json" => LogFormat::Json,
            _ => LogFormat::Human,
        }
    }
}

/// The company time zone when none is configured.
pub const DEFAULT_TIME_ZONE: Tz = Tz::Asia__Shanghai;

/// The shortest JWT secret accepted in production, in bytes.
pub const MIN_SECRET_BYTES: usize = 32;

/// The longest sign-in throttle window accepted: a day.
pub const MAX_LOGIN_THROTTLE_WINDOW_SECS: u64 = 24 * 60 * 60;

#[derive(Debug, Clone)]
pub struct Settings {
    /// `KEDAO_ENV`: `development` (default) or `production`.
    pub env: Environment,
    /// `KEDAO_BIND`: address to listen on (default `127.0.0.1:8080`; port 0 picks a free one).
    pub bind: String,
    /// `KEDAO_DATA_DIR`: where the embedded database and generated secrets live (`./data`).
    pub data_dir: PathBuf,
    /// `KEDAO_DATABASE_URL`: `sqlite://…` or `postgres://…` (default: SQLite in the data dir).
    pub database_url: SecretString,
    /// `KEDAO_JWT_SECRET`: HMAC key for access tokens; required and strong in production.
    pub jwt_secret: SecretString,
    /// `KEDAO_LOG_FORMAT`: `human` (default) or `json`.
    pub log_format: LogFormat,
    /// `KEDAO_ACCESS_TOKEN_TTL_SECS`: access token lifetime (default 900).
    pub access_token_ttl_secs: u64,
    /// `KEDAO_REFRESH_TOKEN_TTL_DAYS`: refresh token lifetime (default 30).
    pub refresh_token_ttl_days: u64,
    /// `KEDAO_MAX_BODY_BYTES`: largest accepted request body (default 1 MiB).
    pub max_body_bytes: usize,
    /// `KEDAO_WORKERS`: HTTP worker threads (default: one per core).
    pub workers: Option<usize>,
    /// `KEDAO_DB_MAX_CONNECTIONS`: PostgreSQL pool size (default 8).
    pub db_max_connections: u32,
    /// `KEDAO_QUOTE_APPROVAL_DISCOUNT_PERCENT`: a quote with a line discount above this needs a
    /// manager's approval before it is sent (default 15).
    pub quote_approval_discount_percent: Decimal,
    /// `KEDAO_DEFAULT_PAYMENT_TERMS_DAYS`: a new order's single installment is due this many
    /// days after the order date (default 30).
    pub default_payment_terms_days: u32,
    /// `KEDAO_COMPANY_*`: the seller printed at the head of quotes and statements.
    pub company: CompanyProfile,
    /// `KEDAO_TIME_ZONE`: the company's IANA time zone (default `Asia/Shanghai`). "Today" —
    /// for due dates, overdue days, quote expiry and statements — is the date there.
    pub time_zone: Tz,
    /// `KEDAO_CREDIT_HOLD_OVERDUE_DAYS`: a new order for an account with an installment more
    /// than this many days overdue is put on credit hold (default 30).
    pub credit_hold_overdue_days: u32,
    /// `KEDAO_LOGIN_MAX_FAILURES_PER_ACCOUNT`: failed sign-ins for one e-mail address within
    /// the throttle window after which that address is refused with 429 (default 5).
    pub login_max_failures_per_account: u32,
    /// `KEDAO_LOGIN_MAX_FAILURES_PER_ADDRESS`: failed sign-ins from one client address (an
    /// IPv6 client's /64) within the window after which it is refused with 429 (default 50).
    /// Behind a reverse proxy every client has the proxy's address: raise it there.
    pub login_max_failures_per_address: u32,
    /// `KEDAO_LOGIN_THROTTLE_WINDOW_SECS`: how far back failed sign-ins count (default 900).
    pub login_throttle_window_secs: u64,
    /// `KEDAO_WEB_DIR`: the built browser app served at `/` (default `frontend/dist`, where
    /// `kedao-web build` writes it). Without an `index.html` there only the API is served.
    pub web_dir: PathBuf,
    /// `KEDAO_TOKEN_RATE_LIMIT_PER_MINUTE`: requests one integration API token may make per
    /// minute before it gets 429 (default 600). Counted in each server process's memory, so
    /// with several replicas each enforces it on the requests it sees.
    pub token_rate_limit_per_minute: u32,
    /// `KEDAO_TASK_REMINDER_HOURS`: open tasks due within this many hours get a reminder
    /// (default 24, at most a month).
    pub task_reminder_hours: u32,
    /// `KEDAO_INSTALLMENT_REMINDER_DAYS`: installments due within this many company days get a
    /// reminder to the order's owner (default 3, at most 90).
    pub installment_reminder_days: u32,
    /// `KEDAO_MAX_ATTACHMENT_BYTES`: largest attachment accepted (default 10 MiB, at most
    /// 1 GiB); larger uploads get 413.
    pub max_attachment_bytes: u64,
    /// `KEDAO_JOB_WORKERS`: background job workers in this process (default 1; 0 runs none,
    /// e.g. for a replica that only serves HTTP).
    pub job_workers: usize,
    /// `KEDAO_JOB_POLL_MS`: how often an idle worker looks for due jobs (default 500).
    pub job_poll_ms: u64,
    /// `KEDAO_JOB_LEASE_SECS`: how long a claimed job stays a worker's without a heartbeat
    /// (default 60). A job whose worker died is taken up again this long after its last one.
    pub job_lease_secs: u64,
    /// `KEDAO_JOB_SHUTDOWN_GRACE_SECS`: how long jobs in flight may still run once the server
    /// is told to stop, before they are handed back to the queue (default 10).
    pub job_shutdown_grace_secs: u64,
    /// `KEDAO_JOB_SCHEDULE`: whether this process's workers also enqueue the periodic jobs
    /// (reminders, overdue events, prunes; default `true`; any number of replicas may).
    pub job_schedule: bool,
    /// `KEDAO_WEBHOOK_MAX_ATTEMPTS`: attempts of a delivery before its job is parked as dead
    /// and the delivery counted as failed (default 8: about eight minutes of backoff).
    pub webhook_max_attempts: u32,
    /// `KEDAO_WEBHOOK_ALLOW_PRIVATE`: `true` lets webhooks reach loopback and private
    /// addresses (default `false`: only public internet addresses, against SSRF).
    pub webhook_allow_private: bool,
    /// `KEDAO_WEBHOOK_TIMEOUT_SECS`: how long a delivery waits for the receiver (default 10).
    pub webhook_timeout_secs: u64,
    /// `KEDAO_WEBHOOK_DISABLE_AFTER`: deliveries in a row that failed for good after which a
    /// subscription is disabled (default 10).
    pub webhook_disable_after: u32,
}

/// The longest task reminder horizon accepted, in hours (a month).
pub const MAX_TASK_REMINDER_HOURS: u32 = 24 * 31;
/// The longest installment reminder horizon accepted, in days.
pub const MAX_INSTALLMENT_REMINDER_DAYS: u32 = 90;
/// The largest attachment limit accepted, in bytes.
pub const MAX_ATTACHMENT_LIMIT: u64 = 1024 * 1024 * 1024;

/// The seller as quotes and statements print it at their head.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompanyProfile {
    /// `KEDAO_COMPANY_NAME` (default `Kedao CRM`).
    pub name: String,
    /// `KEDAO_COMPANY_ADDRESS`.
    pub address: Option<String>,
    /// `KEDAO_COMPANY_PHONE`.
    pub phone: Option<String>,
    /// `KEDAO_COMPANY_TAX_ID`: the taxpayer number (纳税人识别号 / 统一社会信用代码).
    pub tax_id: Option<String>,
    /// `KEDAO_COMPANY_BANK_ACCOUNT`: the bank and account customers pay to (开户行及账号).
    pub bank_account: Option<String>,
}

impl Default for CompanyProfile {
    fn default() -> Self {
        CompanyProfile {
            name: "Kedao CRM".to_owned(),
            address: None,
            phone: None,
            tax_id: None,
            bank_account: None,
        }
    }
}

/// A free-text setting: the variable over the file, trimmed; blank is the same as unset.
fn free_text(from_env: Option<String>, from_file: Option<String>) -> Option<String> {
    let given = |v: Option<String>| v.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty());
    given(from_env).or_else(|| given(from_file))
}

/// The file form: every field optional, same names as the variables without `KEDAO_`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileSettings {
    env: Option<Environment>,
    bind: Option<String>,
    data_dir: Option<PathBuf>,
    database_url: Option<String>,
    jwt_secret: Option<String>,
    log_format: Option<LogFormat>,
    access_token_ttl_secs: Option<u64>,
    refresh_token_ttl_days: Option<u64>,
    max_body_bytes: Option<usize>,
    workers: Option<usize>,
    db_max_connections: Option<u32>,
    quote_approval_discount_percent: Option<Decimal>,
    default_payment_terms_days: Option<u32>,
    time_zone: Option<String>,
    credit_hold_overdue_days: Option<u32>,
    login_max_failures_per_account: Option<u32>,
    login_max_failures_per_address: Option<u32>,
    login_throttle_window_secs: Option<u64>,
    web_dir: Option<PathBuf>,
    token_rate_limit_per_minute: Option<u32>,
    task_reminder_hours: Option<u32>,
    installment_reminder_days: Option<u32>,
    max_attachment_bytes: Option<u64>,
    job_workers: Option<usize>,
    job_poll_ms: Option<u64>,
    job_lease_secs: Option<u64>,
    job_shutdown_grace_secs: Option<u64>,
    job_schedule: Option<bool>,
    webhook_max_attempts: Option<u32>,
    webhook_allow_private: Option<bool>,
    webhook_timeout_secs: Option<u64>,
    webhook_disable_after: Option<u32>,
    company_name: Option<String>,
    company_address: Option<String>,
    company_phone: Option<String>,
    company_tax_id: Option<String>,
    company_bank_account: Option<String>,
}

impl Settings {
    /// Reads defaults, the optional file and the environment, and validates the result.
    /// Generates a development JWT secret in the data dir when none is configured.
    pub fn load() -> anyhow::Result<Settings> {
        let file = match std::env::var("KEDAO_CONFIG") {
            Ok(path) => {
                let text = std::fs::read_to_string(&path)
                    .with_context(|| format!("reading KEDAO_CONFIG file {path}"))?;
                toml::from_str::<FileSettings>(&text)
                    .with_context(|| format!("parsing KEDAO_CONFIG file {path}"))?
            }
            Err(_) => FileSettings::default(),
        };
        let env = |name: &str| std::env::var(format!("KEDAO_{name}")).ok();
        let environment = match env("ENV") {
            Some(v) => parse_enum(&v, "KEDAO_ENV")?,
            None => file.env.unwrap_or(Environment::Development),
        };
        let data_dir = env("DATA_DIR")
            .map(PathBuf::from)
            .or(file.data_dir)
            .unwrap_or_else(|| "data".into());
        let database_url = env("DATABASE_URL")
            .or(file.database_url)
            .unwrap_or_else(|| {
                format!("sqlite://{}?mode=rwc", data_dir.join("kedao.db").display())
            });
        let log_format = match env("LOG_FORMAT") {
            Some(v) => parse_enum(&v, "KEDAO_LOG_FORMAT")?,
            None => file.log_format.unwrap_or(LogFormat::Human),
        };
        let number = |name: &str, from_file: Option<u64>, default: u64| -> anyhow::Result<u64> {
            match env(name) {
                Some(v) => v
                    .parse()
                    .with_context(|| format!("KEDAO_{name} must be a whole number")),
                None => Ok(from_file.unwrap_or(default)),
            }
        };
        let text = |name: &str, from_file: Option<String>| free_text(env(name), from_file);
        let settings = Settings {
            env: environment,
            bind: env("BIND")
                .or(file.bind)
                .unwrap_or_else(|| "127.0.0.1:8080".into()),
            database_url: SecretString::from(database_url),
            jwt_secret: SecretString::from(
                env("JWT_SECRET").or(file.jwt_secret).unwrap_or_default(),
            ),
            log_format,
            access_token_ttl_secs: number(
                "ACCESS_TOKEN_TTL_SECS",
                file.access_token_ttl_secs,
                900,
            )?,
            refresh_token_ttl_days: number(
                "REFRESH_TOKEN_TTL_DAYS",
                file.refresh_token_ttl_days,
                30,
            )?,
            max_body_bytes: usize::try_from(number(
                "MAX_BODY_BYTES",
                file.max_body_bytes.map(|v| v as u64),
                1024 * 1024,
            )?)?,
            workers: match env("WORKERS") {
                Some(v) => Some(v.parse().context("KEDAO_WORKERS must be a whole number")?),
                None => file.workers,
            },
            db_max_connections: u32::try_from(number(
                "DB_MAX_CONNECTIONS",
                file.db_max_connections.map(u64::from),
                u64::from(DEFAULT_DB_MAX_CONNECTIONS),
            )?)?,
            quote_approval_discount_percent: match env("QUOTE_APPROVAL_DISCOUNT_PERCENT") {
                Some(v) => v
                    .trim()
                    .parse()
                    .context("KEDAO_QUOTE_APPROVAL_DISCOUNT_PERCENT must be a number")?,
                None => file
                    .quote_approval_discount_percent
                    .unwrap_or(Decimal::from(15)),
            },
            default_payment_terms_days: u32::try_from(number(
                "DEFAULT_PAYMENT_TERMS_DAYS",
                file.default_payment_terms_days.map(u64::from),
                30,
            )?)?,
            time_zone: env("TIME_ZONE")
                .or(file.time_zone)
                .as_deref()
                .map_or(Ok(DEFAULT_TIME_ZONE), parse_time_zone)?,
            credit_hold_overdue_days: u32::try_from(number(
                "CREDIT_HOLD_OVERDUE_DAYS",
                file.credit_hold_overdue_days.map(u64::from),
                30,
            )?)?,
            login_max_failures_per_account: u32::try_from(number(
                "LOGIN_MAX_FAILURES_PER_ACCOUNT",
                file.login_max_failures_per_account.map(u64::from),
                5,
            )?)?,
            login_max_failures_per_address: u32::try_from(number(
                "LOGIN_MAX_FAILURES_PER_ADDRESS",
                file.login_max_failures_per_address.map(u64::from),
                50,
            )?)?,
            login_throttle_window_secs: number(
                "LOGIN_THROTTLE_WINDOW_SECS",
                file.login_throttle_window_secs,
                900,
            )?,
            web_dir: env("WEB_DIR")
                .map(PathBuf::from)
                .or(file.web_dir)
                .unwrap_or_else(|| PathBuf::from("frontend").join("dist")),
            token_rate_limit_per_minute: u32::try_from(number(
                "TOKEN_RATE_LIMIT_PER_MINUTE",
                file.token_rate_limit_per_minute.map(u64::from),
                600,
            )?)?,
            task_reminder_hours: u32::try_from(number(
                "TASK_REMINDER_HOURS",
                file.task_reminder_hours.map(u64::from),
                24,
            )?)?,
            installment_reminder_days: u32::try_from(number(
                "INSTALLMENT_REMINDER_DAYS",
                file.installment_reminder_days.map(u64::from),
                3,
            )?)?,
            max_attachment_bytes: number(
                "MAX_ATTACHMENT_BYTES",
                file.max_attachment_bytes,
                10 * 1024 * 1024,
            )?,
            job_workers: usize::try_from(number(
                "JOB_WORKERS",
                file.job_workers.map(|v| v as u64),
                1,
            )?)?,
            job_poll_ms: number("JOB_POLL_MS", file.job_poll_ms, 500)?,
            job_lease_secs: number("JOB_LEASE_SECS", file.job_lease_secs, 60)?,
            job_shutdown_grace_secs: number(
                "JOB_SHUTDOWN_GRACE_SECS",
                file.job_shutdown_grace_secs,
                10,
            )?,
            job_schedule: match env("JOB_SCHEDULE") {
                Some(v) => parse_bool(&v, "KEDAO_JOB_SCHEDULE")?,
                None => file.job_schedule.unwrap_or(true),
            },
            webhook_max_attempts: u32::try_from(number(
                "WEBHOOK_MAX_ATTEMPTS",
                file.webhook_max_attempts.map(u64::from),
                8,
            )?)?,
            webhook_allow_private: match env("WEBHOOK_ALLOW_PRIVATE") {
                Some(v) => parse_bool(&v, "KEDAO_WEBHOOK_ALLOW_PRIVATE")?,
                None => file.webhook_allow_private.unwrap_or(false),
            },
            webhook_timeout_secs: number("WEBHOOK_TIMEOUT_SECS", file.webhook_timeout_secs, 10)?,
            webhook_disable_after: u32::try_from(number(
                "WEBHOOK_DISABLE_AFTER",
                file.webhook_disable_after.map(u64::from),
                10,
            )?)?,
            company: CompanyProfile {
                name: text("COMPANY_NAME", file.company_name)
                    .unwrap_or_else(|| CompanyProfile::default().name),
                address: text("COMPANY_ADDRESS", file.company_address),
                phone: text("COMPANY_PHONE", file.company_phone),
                tax_id: text("COMPANY_TAX_ID", file.company_tax_id),
                bank_account: text("COMPANY_BANK_ACCOUNT", file.company_bank_account),
            },
            data_dir,
        };
        settings.validate()
    }

    /// Checks the combination and fills in a development secret if needed.
    pub fn validate(mut self) -> anyhow::Result<Settings> {
        if self.access_token_ttl_secs == 0 || self.refresh_token_ttl_days == 0 {
            bail!("token lifetimes must be positive");
        }
        if self.max_body_bytes < 1024 {
            bail!("KEDAO_MAX_BODY_BYTES must be at least 1024");
        }
        if self.quote_approval_discount_percent < Decimal::ZERO
            || self.quote_approval_discount_percent > Decimal::ONE_HUNDRED
        {
            bail!("KEDAO_QUOTE_APPROVAL_DISCOUNT_PERCENT must be from 0 to 100");
        }
        if self.login_max_failures_per_account == 0 || self.login_max_failures_per_address == 0 {
            bail!(
                "KEDAO_LOGIN_MAX_FAILURES_PER_ACCOUNT and KEDAO_LOGIN_MAX_FAILURES_PER_ADDRESS must be positive"
            );
        }
        if !(1..=MAX_LOGIN_THROTTLE_WINDOW_SECS).contains(&self.login_throttle_window_secs) {
            bail!(
                "KEDAO_LOGIN_THROTTLE_WINDOW_SECS must be from 1 to {MAX_LOGIN_THROTTLE_WINDOW_SECS}"
            );
        }
        if self.token_rate_limit_per_minute == 0 {
            bail!("KEDAO_TOKEN_RATE_LIMIT_PER_MINUTE must be positive");
        }
        if !(1..=MAX_TASK_REMINDER_HOURS).contains(&self.task_reminder_hours) {
            bail!("KEDAO_TASK_REMINDER_HOURS must be from 1 to {MAX_TASK_REMINDER_HOURS}");
        }
        if self.installment_reminder_days > MAX_INSTALLMENT_REMINDER_DAYS {
            bail!(
                "KEDAO_INSTALLMENT_REMINDER_DAYS must be from 0 to {MAX_INSTALLMENT_REMINDER_DAYS}"
            );
        }
        if !(1..=MAX_ATTACHMENT_LIMIT).contains(&self.max_attachment_bytes) {
            bail!("KEDAO_MAX_ATTACHMENT_BYTES must be from 1 to {MAX_ATTACHMENT_LIMIT}");
        }
        if self.job_poll_ms == 0 || self.job_lease_secs == 0 || self.webhook_max_attempts == 0 {
            bail!(
                "KEDAO_JOB_POLL_MS, KEDAO_JOB_LEASE_SECS and KEDAO_WEBHOOK_MAX_ATTEMPTS must be positive"
            );
        }
        if self.webhook_timeout_secs == 0 || self.webhook_disable_after == 0 {
            bail!("KEDAO_WEBHOOK_TIMEOUT_SECS and KEDAO_WEBHOOK_DISABLE_AFTER must be positive");
        }
        let secret_len = self.jwt_secret.expose_secret().len();
        match self.env {
            Environment::Production if secret_len < MIN_SECRET_BYTES => bail!(
                "KEDAO_JWT_SECRET must be set to at least {MIN_SECRET_BYTES} random bytes in production"
            ),
            Environment::Development if secret_len == 0 => {
                self.jwt_secret = dev_secret(&self.data_dir)?;
            }
            Environment::Development if secret_len < MIN_SECRET_BYTES => {
                tracing::warn!(
                    "KEDAO_JWT_SECRET is shorter than {MIN_SECRET_BYTES} bytes; production would refuse it"
                );
            }
            _ => {}
        }
        Ok(self)
    }

    /// The terms new orders are placed under.
    pub fn order_terms(&self) -> crate::store::orders::OrderTerms {
        crate::store::orders::OrderTerms {
            payment_terms_days: self.default_payment_terms_days,
            credit_hold_overdue_days: self.credit_hold_overdue_days,
        }
    }

    /// How failed sign-ins are throttled.
    pub fn login_throttle(&self) -> crate::store::login_attempts::LoginThrottle {
        crate::store::login_attempts::LoginThrottle {
            max_per_account: self.login_max_failures_per_account,
            max_per_address: self.login_max_failures_per_address,
            window_secs: self.login_throttle_window_secs,
        }
    }

    /// Whether the database is the embedded SQLite one.
    pub fn is_sqlite(&self) -> bool {
        self.database_url.expose_secret().starts_with("sqlite:")
    }
}

/// The default PostgreSQL pool of each replica. The database does its work on its cores:
/// beyond a few statements in flight per core, more connections only queue inside it, where
/// the writes' tails grow long (16 connections on 2 cores: payments p99 26 ms, against 18 ms
/// with 8). A bigger pool buys read throughput (the lead list about a quarter more at 16);
/// the benchmark shows both sides with `--pool`.
pub const DEFAULT_DB_MAX_CONNECTIONS: u32 = 8;

fn parse_time_zone(name: &str) -> anyhow::Result<Tz> {
    name.trim().parse::<Tz>().map_err(|_| {
        anyhow::anyhow!("KEDAO_TIME_ZONE `{name}` is not an IANA time zone such as Asia/Shanghai")
    })
}

fn parse_bool(value: &str, name: &str) -> anyhow::Result<bool> {
    match value.trim().to_lowercase().as_str() {
        "true" | "1" | "yes" => Ok(true),
        "false" | "0" | "no" => Ok(false),
        _ => bail!("{name} must be true or false, not `{value}`"),
    }
}

fn parse_enum<T: serde::de::DeserializeOwned>(value: &str, name: &str) -> anyhow::Result<T> {
    serde_json::from_value(serde_json::Value::String(value.to_lowercase()))
        .with_context(|| format!("{name} has an unknown value `{value}`"))
}

/// The development secret: generated once and kept in the data dir so sessions survive restarts.
fn dev_secret(data_dir: &Path) -> anyhow::Result<SecretString> {
    let path = data_dir.join("jwt-secret");
    if let Ok(existing) = std::fs::read_to_string(&path)
        && existing.trim().len() >= MIN_SECRET_BYTES
    {
        return Ok(SecretString::from(existing.trim().to_owned()));
    }
    std::fs::create_dir_all(data_dir)
        .with_context(|| format!("creating {}", data_dir.display()))?;
    let mut bytes = [0_u8; 48];
    rand::thread_rng().fill_bytes(&mut bytes);
    let secret = hex::encode(bytes);
    std::fs::write(&path, &secret).with_context(|| format!("writing {}", path.display()))?;
    tracing::warn!(
        path = %path.display(),
        "KEDAO_JWT_SECRET is not set: generated a development secret; set KEDAO_JWT_SECRET in production"
    );
    Ok(SecretString::from(secret))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base(env: Environment, secret: &str, dir: &Path) -> Settings {
        Settings {
            env,
            bind: "127.0.0.1:0".into(),
            data_dir: dir.to_path_buf(),
            database_url: SecretString::from("sqlite::memory:"),
            jwt_secret: SecretString::from(secret.to_owned()),
            log_format: LogFormat::Human,
            access_token_ttl_secs: 900,
            refresh_token_ttl_days: 30,
            max_body_bytes: 1024 * 1024,
            workers: None,
            db_max_connections: 4,
            quote_approval_discount_percent: Decimal::from(15),
            default_payment_terms_days: 30,
            company: crate::settings::CompanyProfile::default(),
            time_zone: DEFAULT_TIME_ZONE,
            credit_hold_overdue_days: 30,
            login_max_failures_per_account: 5,
            login_max_failures_per_address: 50,
            login_throttle_window_secs: 900,
            web_dir: dir.join("web"),
            token_rate_limit_per_minute: 600,
            task_reminder_hours: 24,
            installment_reminder_days: 3,
            max_attachment_bytes: 10 * 1024 * 1024,
            job_workers: 1,
            job_poll_ms: 500,
            job_lease_secs: 60,
            job_shutdown_grace_secs: 10,
            job_schedule: true,
            webhook_max_attempts: 8,
            webhook_allow_private: false,
            webhook_timeout_secs: 10,
            webhook_disable_after: 10,
        }
    }

    fn temp_dir(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("kedao-settings-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        dir
    }

    #[test]
    fn production_refuses_missing_or_weak_secrets() {
        let dir = temp_dir("prod");
        for secret in ["", "short-secret"] {
            let err = base(Environment::Production, secret, &dir)
                .validate()
                .err()
                .unwrap();
            assert!(err.to_string().contains("KEDAO_JWT_SECRET"), "{err}");
        }
        let strong = "x".repeat(MIN_SECRET_BYTES);
        assert!(
            base(Environment::Production, &strong, &dir)
                .validate()
                .is_ok()
        );
        assert!(
            !dir.join("jwt-secret").exists(),
            "production never generates a secret"
        );
    }

    #[test]
    fn development_generates_one_secret_and_keeps_it() {
        let dir = temp_dir("dev");
        let first = base(Environment::Development, "", &dir).validate().unwrap();
        let second = base(Environment::Development, "", &dir).validate().unwrap();
        assert!(first.jwt_secret.expose_secret().len() >= MIN_SECRET_BYTES);
        assert_eq!(
            first.jwt_secret.expose_secret(),
            second.jwt_secret.expose_secret()
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn debug_output_hides_secrets() {
        let dir = temp_dir("debug");
        let mut s = base(
            Environment::Production,
            "super-secret-value-super-secret-value",
            &dir,
        );
        s.database_url = SecretString::from("postgres://kedao:db-password@db/kedao");
        let shown = format!("{s:?}");
        assert!(!shown.contains("super-secret-value"), "{shown}");
        assert!(!shown.contains("db-password"), "{shown}");
    }

    #[test]
    fn login_throttle_limits_must_be_positive_and_the_window_at_most_a_day() {
        let dir = temp_dir("throttle");
        let strong = "x".repeat(MIN_SECRET_BYTES);
        let checked = |change: fn(&mut Settings)| {
            let mut s = base(Environment::Production, &strong, &dir);
            change(&mut s);
            s.validate().map(|_| ()).map_err(|e| e.to_string())
        };
        assert!(checked(|_| {}).is_ok());
        for change in [
            |s: &mut Settings| s.login_max_failures_per_account = 0,
            |s: &mut Settings| s.login_max_failures_per_address = 0,
            |s: &mut Settings| s.login_throttle_window_secs = 0,
            |s: &mut Settings| s.login_throttle_window_secs = MAX_LOGIN_THROTTLE_WINDOW_SECS + 1,
        ] {
            let err = checked(change).unwrap_err();
            assert!(err.contains("KEDAO_LOGIN_"), "{err}");
        }
    }

    #[test]
    fn the_token_rate_limit_must_be_positive() {
        let dir = temp_dir("token-rate");
        let mut s = base(Environment::Production, &"x".repeat(MIN_SECRET_BYTES), &dir);
        s.token_rate_limit_per_minute = 0;
        let err = s.validate().unwrap_err().to_string();
        assert!(err.contains("KEDAO_TOKEN_RATE_LIMIT_PER_MINUTE"), "{err}");
    }

    #[test]
    fn reminder_horizons_and_the_attachment_limit_are_bounded() {
        let dir = temp_dir("reminders");
        let strong = "x".repeat(MIN_SECRET_BYTES);
        let checked = |change: fn(&mut Settings)| {
            let mut s = base(Environment::Production, &strong, &dir);
            change(&mut s);
            s.validate().map(|_| ()).map_err(|e| e.to_string())
        };
        assert!(checked(|s| s.installment_reminder_days = 0).is_ok());
        for (change, name) in [
            (
                (|s: &mut Settings| s.task_reminder_hours = 0) as fn(&mut Settings),
                "KEDAO_TASK_REMINDER_HOURS",
            ),
            (
                |s: &mut Settings| s.task_reminder_hours = MAX_TASK_REMINDER_HOURS + 1,
                "KEDAO_TASK_REMINDER_HOURS",
            ),
            (
                |s: &mut Settings| s.installment_reminder_days = MAX_INSTALLMENT_REMINDER_DAYS + 1,
                "KEDAO_INSTALLMENT_REMINDER_DAYS",
            ),
            (
                |s: &mut Settings| s.max_attachment_bytes = 0,
                "KEDAO_MAX_ATTACHMENT_BYTES",
            ),
        ] {
            let err = checked(change).unwrap_err();
            assert!(err.contains(name), "{err}");
        }
    }

    #[test]
    fn free_text_prefers_the_variable_and_treats_blank_as_unset() {
        let some = |v: &str| Some(v.to_owned());
        assert_eq!(free_text(some(" 恒信 "), some("file")), some("恒信"));
        assert_eq!(free_text(None, some("file")), some("file"));
        assert_eq!(free_text(some("  "), some("file")), some("file"));
        assert_eq!(free_text(some("  "), None), None);
        assert_eq!(free_text(None, None), None);
    }

    #[test]
    fn time_zone_must_be_an_iana_name() {
        assert_eq!(
            parse_time_zone(" Asia/Shanghai ").unwrap(),
            Tz::Asia__Shanghai
        );
        assert_eq!(
            parse_time_zone("Europe/Berlin").unwrap(),
            Tz::Europe__Berlin
        );
        let err = parse_time_zone("Mars/Olympus").unwrap_err().to_string();
        assert!(err.contains("KEDAO_TIME_ZONE"), "{err}");
    }
}
