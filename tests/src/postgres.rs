//! Fresh PostgreSQL databases for tests: the migrations run once per test process into a
//! template database, and each test clones it (`CREATE DATABASE … TEMPLATE`), which is much
//! faster than migrating every time. Databases are dropped when their test ends; ones left by
//! killed runs are dropped by the next run once they are two hours old.

use std::time::{SystemTime, UNIX_EPOCH};

use sea_orm::{ConnectionTrait, Database, DatabaseConnection};

/// The server URL without a database name, e.g. `postgres://postgres@127.0.0.1:5432`.
pub fn server_url() -> Option<String> {
    std::env::var("KEDAO_TEST_POSTGRES_URL")
        .ok()
        .map(|u| u.trim_end_matches('/').to_owned())
}

/// The template of this process, created by the first test that needs it.
static TEMPLATE: tokio::sync::Mutex<Option<String>> = tokio::sync::Mutex::const_new(None);

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

async fn admin(server: &str) -> DatabaseConnection {
    Database::connect(format!("{server}/postgres"))
        .await
        .expect("connect to PostgreSQL as admin")
}

/// Creates a fresh, migrated database and returns its name.
pub async fn create_database(server: &str) -> String {
    let template = template(server).await;
    let name = format!("kedao_t_{}_{}", unix_now(), uuid::Uuid::new_v4().simple());
    let conn = admin(server).await;
    conn.execute_unprepared(&format!("CREATE DATABASE {name} TEMPLATE {template}"))
        .await
        .expect("create test database");
    conn.close().await.ok();
    name
}

/// Drops a test database (from a plain thread, since it runs from `Drop`).
pub fn drop_database(server: String, name: String) {
    let handle = std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build();
        if let Ok(rt) = rt {
            rt.block_on(async {
                if let Ok(conn) = Database::connect(format!("{server}/postgres")).await {
                    let _ = conn
                        .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                        .await;
                    let _ = conn.close().await;
                }
            });
        }
    });
    let _ = handle.join();
}

async fn template(server: &str) -> String {
    // A tokio mutex works across the tests' separate runtimes: it needs no I/O driver.
    let mut guard = TEMPLATE.lock().await;
    if let Some(name) = guard.as_ref() {
        return name.clone();
    }
    let name = format!("kedao_tpl_{}_{}", unix_now(), std::process::id());
    let conn = admin(server).await;
    drop_stale(&conn).await;
    conn.execute_unprepared(&format!("CREATE DATABASE {name}"))
        .await
        .expect("create template database");
    conn.close().await.ok();
    let db = Database::connect(format!("{server}/{name}"))
        .await
        .expect("connect to template");
    kedao_api::db::migrate(&db).await.expect("migrate template");
    kedao_api::store::pipelines::ensure_default(&db)
        .await
        .expect("default pipeline");
    db.close().await.ok();
    *guard = Some(name.clone());
    name
}

async fn drop_stale(conn: &DatabaseConnection) {
    let cutoff = unix_now().saturating_sub(2 * 3600);
    let rows = conn
        .query_all_raw(sea_orm::Statement::from_string(
            conn.get_database_backend(),
            "SELECT datname FROM pg_database WHERE datname LIKE 'kedao_t%'".to_owned(),
        ))
        .await
        .unwrap_or_default();
    for row in rows {
        let Ok(name) = row.try_get::<String>("", "datname") else {
            continue;
        };
        let ts = name
            .split('_')
            .nth(2)
            .and_then(|t| t.parse::<u64>().ok())
            .unwrap_or(u64::MAX);
        if ts < cutoff {
            let _ = conn
                .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .await;
        }
    }
}
