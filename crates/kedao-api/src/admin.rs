//! Operator commands behind `kedao create-admin`, in the library so tests run the same code.

use kedao_api_types::users::{UserCreate, UserView};
use kedao_domain::access::Role;

use crate::settings::Settings;
use crate::{db, store};

/// Creates an admin user in the configured database (migrating it first if needed).
pub async fn create_admin(
    settings: &Settings,
    email: String,
    display_name: String,
    password: String,
) -> anyhow::Result<UserView> {
    let conn = db::connect(settings).await?;
    db::migrate(&conn).await?;
    let input = UserCreate {
        email,
        display_name,
        password,
        role: Role::Admin,
        team_id: None,
        dealer_id: None,
    };
    let user = store::users::insert(&conn, input).await.map_err(|e| {
        // Show the client-facing explanation (e.g. "password: passwords have at least 12
        // characters"), which names the problem precisely.
        anyhow::anyhow!("{}", e.problem().detail.unwrap_or_else(|| e.to_string()))
    })?;
    conn.close().await.ok();
    Ok(store::users::view(user))
}

/// Runs one reminder scan on the configured database now (`kedao reminders run`, e.g. from
/// cron until the job runner schedules it); what it newly notified.
pub async fn run_reminders(
    settings: &Settings,
) -> anyhow::Result<kedao_api_types::notifications::ScanCounts> {
    let conn = db::connect(settings).await?;
    db::migrate(&conn).await?;
    let counts = store::reminders::scan(&conn, settings, store::now())
        .await
        .map_err(|e| anyhow::anyhow!("reminder scan failed: {e}"))?;
    conn.close().await.ok();
    Ok(counts)
}
