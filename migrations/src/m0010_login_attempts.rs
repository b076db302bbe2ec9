//! Sign-in attempts, for throttling password guessing. The counts live here rather than in
//! process memory because several stateless API replicas share one database.
//!
//! One row per attempt and key: `kind` is `account` (the key is the SHA-256 of the lower-cased
//! e-mail address, so the table is no list of addresses) or `address` (the key is the client's
//! network address). Rows are written when an attempt starts; a successful sign-in removes
//! its account's rows, so what remains are failures (and attempts still in flight). Rows
//! older than the throttle window are pruned as failures are written.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum LoginAttempts {
    Table,
    Id,
    Kind,
    Key,
    Address,
    AttemptedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(LoginAttempts::Table)
                    .col(uuid(LoginAttempts::Id).primary_key())
                    .col(string_len(LoginAttempts::Kind, 16))
                    .col(string_len(LoginAttempts::Key, 64))
                    .col(string_len(LoginAttempts::Address, 64))
                    .col(timestamp_with_time_zone(LoginAttempts::AttemptedAt))
                    .to_owned(),
            )
            .await?;
        // "The newest attempts of this key since T": one range scan.
        index(
            manager,
            LoginAttempts::Table,
            "idx_login_attempts_key",
            &["kind", "key", "attempted_at"],
            false,
        )
        .await?;
        // Pruning everything older than the window.
        index(
            manager,
            LoginAttempts::Table,
            "idx_login_attempts_time",
            &["attempted_at"],
            false,
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(LoginAttempts::Table).to_owned())
            .await
    }
}
