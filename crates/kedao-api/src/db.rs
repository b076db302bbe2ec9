//! Connecting to the database and bringing its schema up to date.

use std::time::Duration;

use anyhow::Context;
use kedao_migrations::{Migrator, MigratorTrait};
use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection};
use secrecy::ExposeSecret;

use crate::settings::Settings;

/// Opens the pool. SQLite gets a single connection: the embedded database serializes writes
/// anyway, and one connection rules out `SQLITE_BUSY` between concurrent write transactions.
pub async fn connect(settings: &Settings) -> anyhow::Result<DatabaseConnection> {
    let url = settings.database_url.expose_secret();
    if settings.is_sqlite() {
        std::fs::create_dir_all(&settings.data_dir)
            .with_context(|| format!("creating data dir {}", settings.data_dir.display()))?;
    }
    let mut options = ConnectOptions::new(url.to_owned());
    options
        .sqlx_logging(false)
        .connect_timeout(Duration::from_secs(10))
        .acquire_timeout(Duration::from_secs(30))
        // Ping only connections idle long enough to have been dropped by the server or a
        // firewall; pinging every checkout doubles the round trips of every query.
        .test_before_acquire_if_idle_for(Duration::from_secs(30));
    if settings.is_sqlite() {
        options.max_connections(1).min_connections(1);
    } else {
        options
            .max_connections(settings.db_max_connections)
            .min_connections(1);
    }
    let db = Database::connect(options)
        .await
        .context("connecting to the database")?;
    if settings.is_sqlite() {
        db.execute_unprepared(
            "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=5000;",
        )
        .await
        .context("configuring SQLite")?;
    }
    Ok(db)
}

/// Applies pending migrations.
pub async fn migrate(db: &DatabaseConnection) -> anyhow::Result<()> {
    Migrator::up(db, None).await.context("running migrations")
}

/// Whether the database answers.
pub async fn ping(db: &DatabaseConnection) -> bool {
    db.ping().await.is_ok()
}
