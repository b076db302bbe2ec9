//! Accounts, contacts, the relationship network, leads, pipelines, stages, opportunities and
//! their stage history.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::m0001_users_and_auth::Users;
use crate::{fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum Accounts {
    Table,
    Id,
    Name,
    CustomerType,
    Industry,
    Size,
    Region,
    Phone,
    Email,
    Website,
    Address,
    Tags,
    Notes,
    OwnerId,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
    Version,
}

#[derive(DeriveIden, Clone, Copy)]
enum Contacts {
    Table,
    Id,
    AccountId,
    Name,
    Title,
    Phone,
    Mobile,
    Email,
    Birthday,
    IsPrimary,
    Notes,
    CreatedAt,
    UpdatedAt,
    Version,
}

#[derive(DeriveIden, Clone, Copy)]
enum AccountLinks {
    Table,
    Id,
    FromAccountId,
    ToAccountId,
    Kind,
    Note,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Leads {
    Table,
    Id,
    Name,
    Company,
    Title,
    Phone,
    Email,
    Source,
    Status,
    Score,
    Region,
    Industry,
    Notes,
    DisqualifyReason,
    OwnerId,
    ConvertedAccountId,
    ConvertedContactId,
    ConvertedOpportunityId,
    ConvertedAt,
    CreatedAt,
    UpdatedAt,
    Version,
}

#[derive(DeriveIden, Clone, Copy)]
enum Pipelines {
    Table,
    Id,
    Name,
    IsDefault,
    CreatedAt,
    UpdatedAt,
    Version,
}

#[derive(DeriveIden, Clone, Copy)]
enum Stages {
    Table,
    Id,
    PipelineId,
    Name,
    NameZh,
    Position,
    Probability,
    Kind,
    CreatedAt,
    UpdatedAt,
    Version,
}

#[derive(DeriveIden, Clone, Copy)]
enum Opportunities {
    Table,
    Id,
    Title,
    AccountId,
    ContactId,
    PipelineId,
    StageId,
    Amount,
    Currency,
    Probability,
    ProbabilityOverridden,
    ExpectedCloseDate,
    Source,
    Competitors,
    LostReason,
    Description,
    LeadId,
    OwnerId,
    StageChangedAt,
    ClosedAt,
    CreatedAt,
    UpdatedAt,
    Version,
}

#[derive(DeriveIden, Clone, Copy)]
enum StageHistory {
    Table,
    Id,
    OpportunityId,
    FromStageId,
    ToStageId,
    ChangedBy,
    ChangedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Accounts::Table)
                    .col(uuid(Accounts::Id).primary_key())
                    .col(string(Accounts::Name))
                    .col(string(Accounts::CustomerType))
                    .col(string_null(Accounts::Industry))
                    .col(string_null(Accounts::Size))
                    .col(string_null(Accounts::Region))
                    .col(string_null(Accounts::Phone))
                    .col(string_null(Accounts::Email))
                    .col(string_null(Accounts::Website))
                    .col(string_null(Accounts::Address))
                    .col(json_binary(Accounts::Tags))
                    .col(text_null(Accounts::Notes))
                    .col(uuid(Accounts::OwnerId))
                    .col(uuid(Accounts::CreatedBy))
                    .col(timestamp_with_time_zone(Accounts::CreatedAt))
                    .col(timestamp_with_time_zone(Accounts::UpdatedAt))
                    .col(integer(Accounts::Version))
                    .foreign_key(&mut fk(
                        Accounts::Table,
                        Accounts::OwnerId,
                        Users::Table,
                        ForeignKeyAction::Restrict,
                    ))
                    .foreign_key(&mut fk(
                        Accounts::Table,
                        Accounts::CreatedBy,
                        Users::Table,
                        ForeignKeyAction::Restrict,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            Accounts::Table,
            "idx_accounts_owner_created",
            &["owner_id", "created_at", "id"],
            false,
        )
        .await?;
        index(
            manager,
            Accounts::Table,
            "idx_accounts_created",
            &["created_at", "id"],
            false,
        )
        .await?;
        index(
            manager,
            Accounts::Table,
            "idx_accounts_name",
            &["name", "id"],
            false,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(Contacts::Table)
                    .col(uuid(Contacts::Id).primary_key())
                    .col(uuid(Contacts::AccountId))
                    .col(string(Contacts::Name))
                    .col(string_null(Contacts::Title))
                    .col(string_null(Contacts::Phone))
                    .col(string_null(Contacts::Mobile))
                    .col(string_null(Contacts::Email))
                    .col(date_null(Contacts::Birthday))
                    .col(boolean(Contacts::IsPrimary))
                    .col(text_null(Contacts::Notes))
                    .col(timestamp_with_time_zone(Contacts::CreatedAt))
                    .col(timestamp_with_time_zone(Contacts::UpdatedAt))
                    .col(integer(Contacts::Version))
                    .foreign_key(&mut fk(
                        Contacts::Table,
                        Contacts::AccountId,
                        Accounts::Table,
                        ForeignKeyAction::Restrict,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            Contacts::Table,
            "idx_contacts_account",
            &["account_id", "created_at", "id"],
            false,
        )
        .await?;
        index(
            manager,
            Contacts::Table,
            "idx_contacts_created",
            &["created_at", "id"],
            false,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(AccountLinks::Table)
                    .col(uuid(AccountLinks::Id).primary_key())
                    .col(uuid(AccountLinks::FromAccountId))
                    .col(uuid(AccountLinks::ToAccountId))
                    .col(string(AccountLinks::Kind))
                    .col(string_null(AccountLinks::Note))
                    .col(uuid(AccountLinks::CreatedBy))
                    .col(timestamp_with_time_zone(AccountLinks::CreatedAt))
                    .foreign_key(&mut fk(
                        AccountLinks::Table,
                        AccountLinks::FromAccountId,
                        Accounts::Table,
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        AccountLinks::Table,
                        AccountLinks::ToAccountId,
                        Accounts::Table,
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            AccountLinks::Table,
            "uq_account_links",
            &["from_account_id", "to_account_id", "kind"],
            true,
        )
        .await?;
        index(
            manager,
            AccountLinks::Table,
            "idx_account_links_to",
            &["to_account_id"],
            false,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(Leads::Table)
                    .col(uuid(Leads::Id).primary_key())
                    .col(string(Leads::Name))
                    .col(string_null(Leads::Company))
                    .col(string_null(Leads::Title))
                    .col(string_null(Leads::Phone))
                    .col(string_null(Leads::Email))
                    .col(string(Leads::Source))
                    .col(string(Leads::Status))
                    .col(small_integer(Leads::Score))
                    .col(string_null(Leads::Region))
                    .col(string_null(Leads::Industry))
                    .col(text_null(Leads::Notes))
                    .col(string_null(Leads::DisqualifyReason))
                    .col(uuid(Leads::OwnerId))
                    .col(uuid_null(Leads::ConvertedAccountId))
                    .col(uuid_null(Leads::ConvertedContactId))
                    .col(uuid_null(Leads::ConvertedOpportunityId))
                    .col(timestamp_with_time_zone_null(Leads::ConvertedAt))
                    .col(timestamp_with_time_zone(Leads::CreatedAt))
                    .col(timestamp_with_time_zone(Leads::UpdatedAt))
                    .col(integer(Leads::Version))
                    .foreign_key(&mut fk(
                        Leads::Table,
                        Leads::OwnerId,
                        Users::Table,
                        ForeignKeyAction::Restrict,
                    ))
                    .foreign_key(&mut fk(
                        Leads::Table,
                        Leads::ConvertedAccountId,
                        Accounts::Table,
                        ForeignKeyAction::SetNull,
                    ))
                    .to_owned(),
            )
            .await?;
        // List pages filter by owner (reps) or status (everyone) and sort newest first; each
        // index ends in (created_at, id) so a keyset page is one index range scan.
        index(
            manager,
            Leads::Table,
            "idx_leads_owner_created",
            &["owner_id", "created_at", "id"],
            false,
        )
        .await?;
        index(
            manager,
            Leads::Table,
            "idx_leads_status_created",
            &["status", "created_at", "id"],
            false,
        )
        .await?;
        index(
            manager,
            Leads::Table,
            "idx_leads_owner_status_created",
            &["owner_id", "status", "created_at", "id"],
            false,
        )
        .await?;
        index(
            manager,
            Leads::Table,
            "idx_leads_created",
            &["created_at", "id"],
            false,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(Pipelines::Table)
                    .col(uuid(Pipelines::Id).primary_key())
                    .col(string(Pipelines::Name).unique_key())
                    .col(boolean(Pipelines::IsDefault))
                    .col(timestamp_with_time_zone(Pipelines::CreatedAt))
                    .col(timestamp_with_time_zone(Pipelines::UpdatedAt))
                    .col(integer(Pipelines::Version))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Stages::Table)
                    .col(uuid(Stages::Id).primary_key())
                    .col(uuid(Stages::PipelineId))
                    .col(string(Stages::Name))
                    .col(string_null(Stages::NameZh))
                    .col(integer(Stages::Position))
                    .col(small_integer(Stages::Probability))
                    .col(string(Stages::Kind))
                    .col(timestamp_with_time_zone(Stages::CreatedAt))
                    .col(timestamp_with_time_zone(Stages::UpdatedAt))
                    .col(integer(Stages::Version))
                    .foreign_key(&mut fk(
                        Stages::Table,
                        Stages::PipelineId,
                        Pipelines::Table,
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            Stages::Table,
            "idx_stages_pipeline",
            &["pipeline_id", "position"],
            false,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(Opportunities::Table)
                    .col(uuid(Opportunities::Id).primary_key())
                    .col(string(Opportunities::Title))
                    .col(uuid(Opportunities::AccountId))
                    .col(uuid_null(Opportunities::ContactId))
                    .col(uuid(Opportunities::PipelineId))
                    .col(uuid(Opportunities::StageId))
                    .col(big_integer(Opportunities::Amount))
                    .col(string(Opportunities::Currency))
                    .col(small_integer(Opportunities::Probability))
                    .col(boolean(Opportunities::ProbabilityOverridden))
                    .col(date(Opportunities::ExpectedCloseDate))
                    .col(string(Opportunities::Source))
                    .col(json_binary(Opportunities::Competitors))
                    .col(string_null(Opportunities::LostReason))
                    .col(text_null(Opportunities::Description))
                    .col(uuid_null(Opportunities::LeadId))
                    .col(uuid(Opportunities::OwnerId))
                    .col(timestamp_with_time_zone(Opportunities::StageChangedAt))
                    .col(timestamp_with_time_zone_null(Opportunities::ClosedAt))
                    .col(timestamp_with_time_zone(Opportunities::CreatedAt))
                    .col(timestamp_with_time_zone(Opportunities::UpdatedAt))
                    .col(integer(Opportunities::Version))
                    .foreign_key(&mut fk(
                        Opportunities::Table,
                        Opportunities::AccountId,
                        Accounts::Table,
                        ForeignKeyAction::Restrict,
                    ))
                    .foreign_key(&mut fk(
                        Opportunities::Table,
                        Opportunities::ContactId,
                        Contacts::Table,
                        ForeignKeyAction::SetNull,
                    ))
                    .foreign_key(&mut fk(
                        Opportunities::Table,
                        Opportunities::PipelineId,
                        Pipelines::Table,
                        ForeignKeyAction::Restrict,
                    ))
                    .foreign_key(&mut fk(
                        Opportunities::Table,
                        Opportunities::StageId,
                        Stages::Table,
                        ForeignKeyAction::Restrict,
                    ))
                    .foreign_key(&mut fk(
                        Opportunities::Table,
                        Opportunities::OwnerId,
                        Users::Table,
                        ForeignKeyAction::Restrict,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            Opportunities::Table,
            "idx_opps_owner_created",
            &["owner_id", "created_at", "id"],
            false,
        )
        .await?;
        index(
            manager,
            Opportunities::Table,
            "idx_opps_stage_created",
            &["stage_id", "created_at", "id"],
            false,
        )
        .await?;
        index(
            manager,
            Opportunities::Table,
            "idx_opps_created",
            &["created_at", "id"],
            false,
        )
        .await?;
        index(
            manager,
            Opportunities::Table,
            "idx_opps_account",
            &["account_id"],
            false,
        )
        .await?;
        index(
            manager,
            Opportunities::Table,
            "idx_opps_pipeline_stage",
            &["pipeline_id", "stage_id", "currency"],
            false,
        )
        .await?;
        index(
            manager,
            Opportunities::Table,
            "idx_opps_close",
            &["expected_close_date", "id"],
            false,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(StageHistory::Table)
                    .col(uuid(StageHistory::Id).primary_key())
                    .col(uuid(StageHistory::OpportunityId))
                    .col(uuid_null(StageHistory::FromStageId))
                    .col(uuid(StageHistory::ToStageId))
                    .col(uuid(StageHistory::ChangedBy))
                    .col(timestamp_with_time_zone(StageHistory::ChangedAt))
                    .foreign_key(&mut fk(
                        StageHistory::Table,
                        StageHistory::OpportunityId,
                        Opportunities::Table,
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            StageHistory::Table,
            "idx_stage_history_opp",
            &["opportunity_id", "changed_at"],
            false,
        )
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            "stage_history",
            "opportunities",
            "stages",
            "pipelines",
            "leads",
            "account_links",
            "contacts",
            "accounts",
        ] {
            manager
                .drop_table(Table::drop().table(Alias::new(t)).to_owned())
                .await?;
        }
        Ok(())
    }
}
