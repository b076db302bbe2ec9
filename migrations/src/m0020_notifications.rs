//! Notifications (通知): reminders, mentions and hand-overs addressed to one user.
//!
//! `(user_id, occurrence_key)` is unique: every producer inserts with `ON CONFLICT DO
//! NOTHING`, so a reminder fires once per occurrence however many times, and on however many
//! replicas, the scan that finds it runs.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum Notifications {
    Table,
    Id,
    UserId,
    Kind,
    Title,
    Summary,
    RecordType,
    RecordId,
    OccurrenceKey,
    SourceId,
    SourceDate,
    CreatedAt,
    ReadAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Notifications::Table)
                    .col(uuid(Notifications::Id).primary_key())
                    .col(uuid(Notifications::UserId))
                    .col(string(Notifications::Kind))
                    .col(string(Notifications::Title))
                    .col(text(Notifications::Summary))
                    .col(string_null(Notifications::RecordType))
                    .col(uuid_null(Notifications::RecordId))
                    .col(string(Notifications::OccurrenceKey))
                    // What occurred (a task, an installment) and its due date: lets a scan
                    // skip, in its query, what an earlier scan already notified.
                    .col(uuid_null(Notifications::SourceId))
                    .col(date_null(Notifications::SourceDate))
                    .col(timestamp_with_time_zone(Notifications::CreatedAt))
                    .col(timestamp_with_time_zone_null(Notifications::ReadAt))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            Notifications::Table,
            "uq_notifications_occurrence",
            &["user_id", "occurrence_key"],
            true,
        )
        .await?;
        // A user's list, newest first, and their unread ones.
        index(
            manager,
            Notifications::Table,
            "idx_notifications_user",
            &["user_id", "created_at", "id"],
            false,
        )
        .await?;
        index(
            manager,
            Notifications::Table,
            "idx_notifications_unread",
            &["user_id", "read_at"],
            false,
        )
        .await?;
        index(
            manager,
            Notifications::Table,
            "idx_notifications_source",
            &["source_id", "kind", "source_date"],
            false,
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Notifications::Table).to_owned())
            .await
    }
}
