//! Activities (跟进记录): every interaction with a customer — calls, visits, meetings, tasks,
//! notes, e-mail logs — on an account (or a lead not yet converted), with the people who
//! took part and those kept informed.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum Activities {
    Table,
    Id,
    Kind,
    Subject,
    Status,
    AccountId,
    LeadId,
    ContactId,
    OpportunityId,
    QuoteId,
    OrderId,
    OwnerId,
    DealerId,
    PlannedStart,
    PlannedEnd,
    Place,
    Purpose,
    Outcome,
    DoneAt,
    DueDate,
    Priority,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
    Version,
}

#[derive(DeriveIden, Clone, Copy)]
enum ActivityPeople {
    Table,
    ActivityId,
    UserId,
    Role,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Activities::Table)
                    .col(uuid(Activities::Id).primary_key())
                    .col(string(Activities::Kind))
                    .col(string(Activities::Subject))
                    .col(string(Activities::Status))
                    .col(uuid_null(Activities::AccountId))
                    .col(uuid_null(Activities::LeadId))
                    .col(uuid_null(Activities::ContactId))
                    .col(uuid_null(Activities::OpportunityId))
                    .col(uuid_null(Activities::QuoteId))
                    .col(uuid_null(Activities::OrderId))
                    .col(uuid(Activities::OwnerId))
                    .col(uuid_null(Activities::DealerId))
                    .col(timestamp_with_time_zone_null(Activities::PlannedStart))
                    .col(timestamp_with_time_zone_null(Activities::PlannedEnd))
                    .col(string_null(Activities::Place))
                    .col(text_null(Activities::Purpose))
                    .col(text_null(Activities::Outcome))
                    .col(timestamp_with_time_zone_null(Activities::DoneAt))
                    .col(date_null(Activities::DueDate))
                    .col(string(Activities::Priority))
                    .col(uuid(Activities::CreatedBy))
                    .col(timestamp_with_time_zone(Activities::CreatedAt))
                    .col(timestamp_with_time_zone(Activities::UpdatedAt))
                    .col(integer(Activities::Version))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ActivityPeople::Table)
                    .col(uuid(ActivityPeople::ActivityId))
                    .col(uuid(ActivityPeople::UserId))
                    // `participant` or `copied`.
                    .col(string(ActivityPeople::Role))
                    .primary_key(
                        Index::create()
                            .col(ActivityPeople::ActivityId)
                            .col(ActivityPeople::UserId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ActivityPeople::Table, ActivityPeople::ActivityId)
                            .to(Activities::Table, Activities::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        // A customer's story, newest first; a lead's; a person's plans and tasks; who is
        // copied on what.
        for (name, columns) in [
            (
                "idx_activities_account",
                &["account_id", "created_at", "id"][..],
            ),
            ("idx_activities_lead", &["lead_id"][..]),
            (
                "idx_activities_owner",
                &["owner_id", "created_at", "id"][..],
            ),
            ("idx_activities_dealer", &["dealer_id"][..]),
        ] {
            index(manager, Activities::Table, name, columns, false).await?;
        }
        index(
            manager,
            ActivityPeople::Table,
            "idx_activity_people_user",
            &["user_id"],
            false,
        )
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ActivityPeople::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Activities::Table).to_owned())
            .await?;
        Ok(())
    }
}
