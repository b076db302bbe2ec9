//! The team hierarchy: a manager reaches everyone in their team and in every team below it
//! (上级可见下级), never sideways or upwards; and the closure that makes it one lookup is
//! filled for teams that existed before it.

use kedao_migrations::{Migrator, MigratorTrait};
use kedao_tests::{Actor, TestApp, both};
use sea_orm::{ConnectionTrait, Database, Statement};
use serde_json::json;

use crate::opportunities::account;

async fn names(app: &TestApp, by: &Actor) -> Vec<String> {
    let reply = app.get("/api/v1/accounts?sort=name", &by.token).await;
    let mut out: Vec<String> = reply.ok()["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["name"].as_str().unwrap().to_owned())
        .collect();
    out.sort();
    out
}

async fn managers_reach_their_sub_teams(app: TestApp) {
    let region = app.team("华东大区").await;
    let shanghai = app.sub_team("上海组", region).await;
    let pudong = app.sub_team("浦东小组", shanghai).await;
    let south = app.team("华南").await;
    let region_mgr = app.manager(Some(region)).await;
    let shanghai_mgr = app.manager(Some(shanghai)).await;
    let pudong_mgr = app.manager(Some(pudong)).await;
    let shanghai_rep = app.rep(Some(shanghai)).await;
    let pudong_rep = app.rep(Some(pudong)).await;
    let south_rep = app.rep(Some(south)).await;
    account(&app, &shanghai_rep, "上海客户").await;
    let pudong_acc = account(&app, &pudong_rep, "浦东客户").await;
    account(&app, &south_rep, "广州客户").await;
    let lead = app
        .post(
            "/api/v1/leads",
            &south_rep.token,
            &json!({"name": "华南线索", "source": "call"}),
        )
        .await;
    assert_eq!(lead.status, 201, "{}", lead.text);

    assert_eq!(names(&app, &region_mgr).await, ["上海客户", "浦东客户"]);
    assert_eq!(names(&app, &shanghai_mgr).await, ["上海客户", "浦东客户"]);
    assert_eq!(names(&app, &pudong_mgr).await, ["浦东客户"]);
    // A filter narrows the manager's reach, never widens it (a filter once ORed into the
    // team condition showed every team's matching rows).
    let filtered = app.get("/api/v1/accounts?q=客户", &pudong_mgr.token).await;
    let found: Vec<&str> = filtered.ok()["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["name"].as_str().unwrap())
        .collect();
    assert_eq!(found, ["浦东客户"]);
    let leads = app.get("/api/v1/leads?status=new", &pudong_mgr.token).await;
    assert!(leads.ok()["items"].as_array().unwrap().is_empty());

    // A manager above may change and reassign within the whole subtree, not outside it.
    let path = format!("/api/v1/accounts/{pudong_acc}");
    let read = app.get(&path, &region_mgr.token).await;
    let etag = read.etag();
    app.patch(
        &path,
        &region_mgr.token,
        &etag,
        &json!({"owner_id": south_rep.id}),
    )
    .await
    .problem(403, "forbidden");
    let moved = app
        .patch(
            &path,
            &region_mgr.token,
            &etag,
            &json!({"owner_id": shanghai_rep.id}),
        )
        .await;
    assert_eq!(moved.ok()["owner_id"], shanghai_rep.id.to_string());
    // Now owned in 上海组: the 浦东 manager no longer sees it, the 上海 manager still does.
    app.get(&path, &pudong_mgr.token)
        .await
        .problem(404, "not-found");
    assert_eq!(app.get(&path, &shanghai_mgr.token).await.status, 200);

    // A parent that does not exist is refused.
    let admin = app.admin().await;
    app.post(
        "/api/v1/teams",
        &admin.token,
        &json!({"name": "孤儿组", "parent_id": "0190f3a4-1d2e-7c3b-9a8f-6e5d4c3b2a10"}),
    )
    .await
    .invalid_field("parent_id");
}

both!(managers_reach_their_sub_teams);

/// Teams made before the closure existed get their rows when the migration runs.
#[tokio::test]
async fn the_closure_is_filled_for_existing_teams() {
    let db = Database::connect("sqlite::memory:").await.unwrap();
    // Every migration before the closure's.
    let before = Migrator::migrations()
        .iter()
        .position(|m| m.name() == "m0008_team_hierarchy")
        .unwrap();
    Migrator::up(&db, Some(u32::try_from(before).unwrap()))
        .await
        .unwrap();
    let backend = db.get_database_backend();
    let (a, b, c) = (
        uuid::Uuid::now_v7(),
        uuid::Uuid::now_v7(),
        uuid::Uuid::now_v7(),
    );
    for (id, parent, name) in [(a, None, "A"), (b, Some(a), "B"), (c, Some(b), "C")] {
        db.execute_raw(Statement::from_sql_and_values(
            backend,
            "INSERT INTO teams (id, name, parent_id, created_at) VALUES (?, ?, ?, ?)",
            [
                id.into(),
                name.into(),
                parent.into(),
                chrono::Utc::now().into(),
            ],
        ))
        .await
        .unwrap();
    }
    Migrator::up(&db, None).await.unwrap();
    let rows = db
        .query_all_raw(Statement::from_string(
            backend,
            "SELECT depth FROM team_closure ORDER BY depth",
        ))
        .await
        .unwrap();
    let depths: Vec<i32> = rows
        .iter()
        .map(|r| r.try_get("", "depth").unwrap())
        .collect();
    // A, B, C themselves; B under A, C under B; C under A.
    assert_eq!(depths, [0, 0, 0, 1, 1, 2]);
}
