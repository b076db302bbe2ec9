//! The team hierarchy as a closure table: one row per (ancestor, descendant) pair, a team
//! being its own ancestor at depth 0. "Everyone under this manager's team" is then one indexed
//! lookup on both databases, with no recursive query in every scoped read.

use std::collections::HashMap;

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, prelude::Uuid};

use crate::m0001_users_and_auth::Teams;
use crate::{fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum TeamClosure {
    Table,
    AncestorId,
    DescendantId,
    Depth,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(TeamClosure::Table)
                    .col(uuid(TeamClosure::AncestorId))
                    .col(uuid(TeamClosure::DescendantId))
                    .col(integer(TeamClosure::Depth))
                    .primary_key(
                        Index::create()
                            .col(TeamClosure::AncestorId)
                            .col(TeamClosure::DescendantId),
                    )
                    .foreign_key(&mut fk(
                        TeamClosure::Table,
                        TeamClosure::AncestorId,
                        Teams::Table,
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        TeamClosure::Table,
                        TeamClosure::DescendantId,
                        Teams::Table,
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            TeamClosure::Table,
            "idx_team_closure_descendant",
            &["descendant_id", "ancestor_id"],
            false,
        )
        .await?;
        backfill(manager).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(TeamClosure::Table).to_owned())
            .await
    }
}

/// Fills the closure from the teams that already exist (their `parent_id` chains).
async fn backfill(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    let db = manager.get_connection();
    let select = Query::select()
        .columns([Teams::Id, Teams::ParentId])
        .from(Teams::Table)
        .to_owned();
    let mut parent: HashMap<Uuid, Option<Uuid>> = HashMap::new();
    for row in db.query_all(&select).await? {
        parent.insert(row.try_get("", "id")?, row.try_get("", "parent_id")?);
    }
    for team in parent.keys() {
        let mut at = Some(*team);
        let mut depth: i32 = 0;
        // The chain is finite: parents were set at creation and never form a cycle; the
        // bound keeps a corrupted table from looping forever.
        while let Some(ancestor) = at.filter(|_| (depth as usize) <= parent.len()) {
            let insert = Query::insert()
                .into_table(TeamClosure::Table)
                .columns([
                    TeamClosure::AncestorId,
                    TeamClosure::DescendantId,
                    TeamClosure::Depth,
                ])
                .values([ancestor.into(), (*team).into(), depth.into()])
                .map_err(|e| DbErr::Custom(e.to_string()))?
                .to_owned();
            db.execute(&insert).await?;
            at = parent.get(&ancestor).copied().flatten();
            depth += 1;
        }
    }
    Ok(())
}
