//! Durable background jobs: a queue in the same database as the records, so a job is enqueued
//! in the same transaction as the change that causes it and survives any crash.
//!
//! A worker claims a job by setting `status = 'running'`, `locked_by` and a lease
//! (`locked_until`); a job whose lease ran out (its worker died) is claimed again. `unique_key`
//! dedupes scheduled jobs across replicas (one job per slot) and fan-out jobs (one delivery per
//! event and subscription).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum Jobs {
    Table,
    Id,
    Kind,
    Payload,
    UniqueKey,
    Status,
    Attempts,
    MaxAttempts,
    RunAt,
    LockedBy,
    LockedUntil,
    LastError,
    CreatedAt,
    UpdatedAt,
    FinishedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Jobs::Table)
                    .col(uuid(Jobs::Id).primary_key())
                    .col(string_len(Jobs::Kind, 100))
                    .col(text(Jobs::Payload))
                    .col(string_len_null(Jobs::UniqueKey, 200).unique_key())
                    .col(string_len(Jobs::Status, 20))
                    .col(integer(Jobs::Attempts))
                    .col(integer(Jobs::MaxAttempts))
                    .col(timestamp_with_time_zone(Jobs::RunAt))
                    .col(string_len_null(Jobs::LockedBy, 100))
                    .col(timestamp_with_time_zone_null(Jobs::LockedUntil))
                    .col(text_null(Jobs::LastError))
                    .col(timestamp_with_time_zone(Jobs::CreatedAt))
                    .col(timestamp_with_time_zone(Jobs::UpdatedAt))
                    .col(timestamp_with_time_zone_null(Jobs::FinishedAt))
                    .to_owned(),
            )
            .await?;
        // The claim: queued jobs that are due, oldest first (and running ones whose lease ran
        // out, found through the same index).
        index(
            manager,
            Jobs::Table,
            "idx_jobs_claim",
            &["status", "run_at"],
            false,
        )
        .await?;
        // The admin list by kind.
        index(
            manager,
            Jobs::Table,
            "idx_jobs_kind",
            &["kind", "status"],
            false,
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Jobs::Table).to_owned())
            .await
    }
}
