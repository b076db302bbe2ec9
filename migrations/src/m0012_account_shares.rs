//! Sharing an account (with its contacts, opportunities, quotes, orders and receivables) with
//! a user or a team, to read or to read and write. A revoked share is kept, marked revoked.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum AccountShares {
    Table,
    Id,
    AccountId,
    UserId,
    TeamId,
    Access,
    CreatedBy,
    CreatedAt,
    RevokedAt,
    RevokedBy,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(AccountShares::Table)
                    .col(uuid(AccountShares::Id).primary_key())
                    .col(uuid(AccountShares::AccountId))
                    // Exactly one of the two.
                    .col(uuid_null(AccountShares::UserId))
                    .col(uuid_null(AccountShares::TeamId))
                    // `read` or `read_write`.
                    .col(string(AccountShares::Access))
                    .col(uuid(AccountShares::CreatedBy))
                    .col(timestamp_with_time_zone(AccountShares::CreatedAt))
                    .col(timestamp_with_time_zone_null(AccountShares::RevokedAt))
                    .col(uuid_null(AccountShares::RevokedBy))
                    .to_owned(),
            )
            .await?;
        for (name, cols) in [
            ("idx_account_shares_account", &["account_id"][..]),
            ("idx_account_shares_user", &["user_id", "account_id"][..]),
            ("idx_account_shares_team", &["team_id", "account_id"][..]),
        ] {
            index(manager, AccountShares::Table, name, cols, false).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(AccountShares::Table).to_owned())
            .await
    }
}
