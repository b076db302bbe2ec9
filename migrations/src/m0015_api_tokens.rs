//! Integration API tokens. The token itself (a signed JWT) is shown once and never stored:
//! the row, keyed by the token's unique id (`jti`), is what makes it revocable, and is checked
//! on every request the token makes.
//!
//! `scopes` is the space-separated scope list (`leads:read orders:write`); `dealer_id` binds a
//! dealer admin's token to its dealer; a rotated token points at its successor.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::{fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum ApiTokens {
    Table,
    Id,
    Name,
    Scopes,
    CreatedBy,
    DealerId,
    CreatedAt,
    ExpiresAt,
    LastUsedAt,
    RevokedAt,
    RevokedBy,
    ReplacedBy,
}

#[derive(DeriveIden, Clone, Copy)]
enum Users {
    Table,
}

#[derive(DeriveIden, Clone, Copy)]
enum Dealers {
    Table,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ApiTokens::Table)
                    .col(uuid(ApiTokens::Id).primary_key())
                    .col(string_len(ApiTokens::Name, 100))
                    .col(text(ApiTokens::Scopes))
                    .col(uuid(ApiTokens::CreatedBy))
                    .col(uuid_null(ApiTokens::DealerId))
                    .col(timestamp_with_time_zone(ApiTokens::CreatedAt))
                    .col(timestamp_with_time_zone(ApiTokens::ExpiresAt))
                    .col(timestamp_with_time_zone_null(ApiTokens::LastUsedAt))
                    .col(timestamp_with_time_zone_null(ApiTokens::RevokedAt))
                    .col(uuid_null(ApiTokens::RevokedBy))
                    .col(uuid_null(ApiTokens::ReplacedBy))
                    .foreign_key(&mut fk(
                        ApiTokens::Table,
                        ApiTokens::CreatedBy,
                        Users::Table,
                        ForeignKeyAction::Restrict,
                    ))
                    .foreign_key(&mut fk(
                        ApiTokens::Table,
                        ApiTokens::DealerId,
                        Dealers::Table,
                        ForeignKeyAction::Restrict,
                    ))
                    .to_owned(),
            )
            .await?;
        // A dealer admin lists their dealer's tokens, newest first.
        index(
            manager,
            ApiTokens::Table,
            "idx_api_tokens_dealer",
            &["dealer_id", "created_at"],
            false,
        )
        .await?;
        // An admin lists every token, newest first (and the foreign key to users is checked).
        index(
            manager,
            ApiTokens::Table,
            "idx_api_tokens_created_by",
            &["created_by"],
            false,
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ApiTokens::Table).to_owned())
            .await
    }
}
