//! Demo data for the quick start: a team, one sign-in per role, and realistic accounts,
//! contacts, leads and opportunities (Chinese and English names, every funnel stage), then
//! quotes, orders, payment plans and payments (`seed_money`).

use sea_orm::DatabaseConnection;
use sea_orm::{EntityTrait, PaginatorTrait, TransactionTrait};

use kedao_api_types::users::{TeamCreate, UserCreate};
use kedao_domain::access::Role;

use crate::store::entities::users;

/// The demo sign-ins: (e-mail, role). All share [`DEMO_PASSWORD`].
pub const DEMO_USERS: [(&str, &str, Role); 6] = [
    ("admin@kedao.demo", "管理员 Admin", Role::Admin),
    ("manager@kedao.demo", "陈经理 Chen (manager)", Role::Manager),
    ("sales@kedao.demo", "王芳 Wang Fang (sales)", Role::Sales),
    ("sales2@kedao.demo", "李强 Li Qiang (sales)", Role::Sales),
    (
        "service@kedao.demo",
        "赵敏 Zhao Min (service)",
        Role::Service,
    ),
    (
        "finance@kedao.demo",
        "刘洋 Liu Yang (finance)",
        Role::Finance,
    ),
];

/// Password of every demo sign-in (demo databases only).
pub const DEMO_PASSWORD: &str = "kedao-demo-2026";

/// Seeds when the database has no users; returns whether it did.
pub async fn seed_if_empty(db: &DatabaseConnection) -> anyhow::Result<bool> {
    if users::Entity::find().count(db).await? > 0 {
        return Ok(false);
    }
    let txn = db.begin().await?;
    let team = crate::store::users::insert_team(
        &txn,
        TeamCreate {
            name: "华东销售部 East China Sales".into(),
            parent_id: None,
        },
    )
    .await
    .map_err(|e| anyhow::anyhow!("{e}"))?;
    let mut ids = Vec::new();
    let mut people = Vec::new();
    for (email, name, role) in DEMO_USERS {
        let in_team = matches!(role, Role::Manager | Role::Sales);
        let user = crate::store::users::insert(
            &txn,
            UserCreate {
                email: email.into(),
                display_name: name.into(),
                password: DEMO_PASSWORD.into(),
                role,
                team_id: in_team.then_some(team.id),
                dealer_id: None,
            },
        )
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
        ids.push((role, user.id));
        people.push((role, user.id, in_team.then_some(team.id)));
    }
    crate::seed_data::fill(&txn, &ids).await?;
    txn.commit().await?;
    // Quotes, orders and payments go through the store's own transactions.
    crate::seed_money::fill(db, &people).await?;
    Ok(true)
}

/// Prints the demo sign-ins to standard output (the README names them too).
pub fn print_sign_ins() {
    println!("Demo sign-ins (password `{DEMO_PASSWORD}`):");
    for (email, name, role) in DEMO_USERS {
        println!("  {:<22} {:<9} {}", email, role.as_str(), name);
    }
}
