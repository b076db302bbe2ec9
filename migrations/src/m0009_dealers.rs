//! Dealers (经销商): the channel partners that sell for the company, and the accounts they
//! serve. An account without a dealer is served directly by the company's own reps.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum Dealers {
    Table,
    Id,
    Code,
    Name,
    Region,
    Status,
    Notes,
    CreatedAt,
    UpdatedAt,
    Version,
}

#[derive(DeriveIden, Clone, Copy)]
enum Accounts {
    Table,
    DealerId,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Dealers::Table)
                    .col(uuid(Dealers::Id).primary_key())
                    .col(string(Dealers::Code).unique_key())
                    .col(string(Dealers::Name))
                    .col(string_null(Dealers::Region))
                    // `active` or `suspended`.
                    .col(string(Dealers::Status))
                    .col(string_null(Dealers::Notes))
                    .col(timestamp_with_time_zone(Dealers::CreatedAt))
                    .col(timestamp_with_time_zone(Dealers::UpdatedAt))
                    .col(integer(Dealers::Version))
                    .to_owned(),
            )
            .await?;
        // SQLite cannot add a foreign key to an existing table, so neither database gets one
        // here: the store checks that the dealer exists when an account names it.
        manager
            .alter_table(
                Table::alter()
                    .table(Accounts::Table)
                    .add_column(ColumnDef::new(Accounts::DealerId).uuid().null())
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            Accounts::Table,
            "idx_accounts_dealer",
            &["dealer_id"],
            false,
        )
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("idx_accounts_dealer")
                    .table(Accounts::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Accounts::Table)
                    .drop_column(Accounts::DealerId)
                    .to_owned(),
            )
            .await?;
        manager
            .drop_table(Table::drop().table(Dealers::Table).to_owned())
            .await
    }
}
