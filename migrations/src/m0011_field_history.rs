//! Field history: every change to a key field of a record (owner, stage, amount, status,
//! prices, discounts, dealer, credit terms …), append-only. No foreign key to the record, so
//! deleting a record leaves its history.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum FieldChanges {
    Table,
    Id,
    Resource,
    RecordId,
    Field,
    OldValue,
    NewValue,
    ActorId,
    TokenId,
    At,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(FieldChanges::Table)
                    .col(uuid(FieldChanges::Id).primary_key())
                    // `accounts`, `opportunities` … (`kedao_domain::access::Resource`).
                    .col(string(FieldChanges::Resource))
                    .col(uuid(FieldChanges::RecordId))
                    .col(string(FieldChanges::Field))
                    .col(text_null(FieldChanges::OldValue))
                    .col(text_null(FieldChanges::NewValue))
                    // Who: a user, or (for integrations) an API token.
                    .col(uuid_null(FieldChanges::ActorId))
                    .col(uuid_null(FieldChanges::TokenId))
                    .col(timestamp_with_time_zone(FieldChanges::At))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            FieldChanges::Table,
            "idx_field_changes_record",
            &["resource", "record_id", "at", "id"],
            false,
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(FieldChanges::Table).to_owned())
            .await
    }
}
