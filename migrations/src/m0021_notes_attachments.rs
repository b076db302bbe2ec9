//! Notes (便签) with @mentions, and file attachments, on accounts, contacts, leads,
//! opportunities, quotes and orders. Both carry the record's account (when it has one) so
//! that a customer's timeline finds them with one index range.
//!
//! An attachment's bytes are not in the database: they live content-addressed under the data
//! directory (`attachments/<sha[0..2]>/<sha>`), so identical files are stored once.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum Notes {
    Table,
    Id,
    RecordType,
    RecordId,
    AccountId,
    AuthorId,
    Body,
    Mentions,
    CreatedAt,
    UpdatedAt,
    DeletedAt,
    Version,
}

#[derive(DeriveIden, Clone, Copy)]
enum Attachments {
    Table,
    Id,
    RecordType,
    RecordId,
    AccountId,
    FileName,
    ContentType,
    SizeBytes,
    Sha256,
    UploadedBy,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Notes::Table)
                    .col(uuid(Notes::Id).primary_key())
                    .col(string(Notes::RecordType))
                    .col(uuid(Notes::RecordId))
                    .col(uuid_null(Notes::AccountId))
                    .col(uuid(Notes::AuthorId))
                    .col(text(Notes::Body))
                    // JSON array of user ids.
                    .col(json_binary(Notes::Mentions))
                    .col(timestamp_with_time_zone(Notes::CreatedAt))
                    .col(timestamp_with_time_zone(Notes::UpdatedAt))
                    .col(timestamp_with_time_zone_null(Notes::DeletedAt))
                    .col(integer(Notes::Version))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Attachments::Table)
                    .col(uuid(Attachments::Id).primary_key())
                    .col(string(Attachments::RecordType))
                    .col(uuid(Attachments::RecordId))
                    .col(uuid_null(Attachments::AccountId))
                    .col(string(Attachments::FileName))
                    .col(string(Attachments::ContentType))
                    .col(big_integer(Attachments::SizeBytes))
                    .col(string(Attachments::Sha256))
                    .col(uuid(Attachments::UploadedBy))
                    .col(timestamp_with_time_zone(Attachments::CreatedAt))
                    .to_owned(),
            )
            .await?;
        for (table, name, columns) in [
            (
                Notes::Table.into_iden(),
                "idx_notes_record",
                &["record_type", "record_id", "created_at", "id"][..],
            ),
            (
                Notes::Table.into_iden(),
                "idx_notes_account",
                &["account_id", "created_at", "id"][..],
            ),
            (
                Attachments::Table.into_iden(),
                "idx_attachments_record",
                &["record_type", "record_id", "created_at", "id"][..],
            ),
            (
                Attachments::Table.into_iden(),
                "idx_attachments_sha256",
                &["sha256"][..],
            ),
        ] {
            index(manager, table, name, columns, false).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Attachments::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Notes::Table).to_owned())
            .await
    }
}
