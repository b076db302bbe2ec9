//! The price book (products), human-readable number sequences, quotes (报价) and their lines.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::m0001_users_and_auth::Users;
use crate::{fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Tables of earlier migrations that quotes point at (their own enums are private there).
#[derive(DeriveIden, Clone, Copy)]
enum Accounts {
    Table,
}

#[derive(DeriveIden, Clone, Copy)]
enum Opportunities {
    Table,
}

#[derive(DeriveIden, Clone, Copy)]
enum Products {
    Table,
    Id,
    Sku,
    Name,
    NameEn,
    Unit,
    ListPrice,
    Currency,
    TaxRateBp,
    Active,
    CreatedAt,
    UpdatedAt,
    Version,
}

#[derive(DeriveIden, Clone, Copy)]
enum NumberSequences {
    Table,
    Name,
    NextValue,
}

#[derive(DeriveIden, Clone, Copy)]
enum Quotes {
    Table,
    Id,
    Number,
    Revision,
    OpportunityId,
    AccountId,
    OwnerId,
    Status,
    Currency,
    ValidUntil,
    Subtotal,
    Discount,
    Net,
    Tax,
    GrandTotal,
    MaxDiscountBp,
    NeedsApproval,
    ApprovedBy,
    ApprovedAt,
    SentAt,
    Notes,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
    Version,
}

#[derive(DeriveIden, Clone, Copy)]
enum QuoteLines {
    Table,
    Id,
    QuoteId,
    Position,
    ProductId,
    Description,
    Quantity,
    UnitPrice,
    DiscountBp,
    TaxRateBp,
    Gross,
    Discount,
    Net,
    Tax,
    Total,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Products::Table)
                    .col(uuid(Products::Id).primary_key())
                    .col(string(Products::Sku).unique_key())
                    .col(string(Products::Name))
                    .col(string_null(Products::NameEn))
                    .col(string(Products::Unit))
                    .col(big_integer(Products::ListPrice))
                    .col(string(Products::Currency))
                    // Percent × 100 (basis points): 13% VAT is 1300, exact as an integer.
                    .col(integer(Products::TaxRateBp))
                    .col(boolean(Products::Active))
                    .col(timestamp_with_time_zone(Products::CreatedAt))
                    .col(timestamp_with_time_zone(Products::UpdatedAt))
                    .col(integer(Products::Version))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            Products::Table,
            "idx_products_created",
            &["created_at", "id"],
            false,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(NumberSequences::Table)
                    .col(string(NumberSequences::Name).primary_key())
                    .col(big_integer(NumberSequences::NextValue))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Quotes::Table)
                    .col(uuid(Quotes::Id).primary_key())
                    .col(string(Quotes::Number))
                    .col(integer(Quotes::Revision))
                    .col(uuid(Quotes::OpportunityId))
                    .col(uuid(Quotes::AccountId))
                    .col(uuid(Quotes::OwnerId))
                    .col(string(Quotes::Status))
                    .col(string(Quotes::Currency))
                    .col(date(Quotes::ValidUntil))
                    .col(big_integer(Quotes::Subtotal))
                    .col(big_integer(Quotes::Discount))
                    .col(big_integer(Quotes::Net))
                    .col(big_integer(Quotes::Tax))
                    .col(big_integer(Quotes::GrandTotal))
                    .col(integer(Quotes::MaxDiscountBp))
                    .col(boolean(Quotes::NeedsApproval))
                    .col(uuid_null(Quotes::ApprovedBy))
                    .col(timestamp_with_time_zone_null(Quotes::ApprovedAt))
                    .col(timestamp_with_time_zone_null(Quotes::SentAt))
                    .col(text_null(Quotes::Notes))
                    .col(uuid(Quotes::CreatedBy))
                    .col(timestamp_with_time_zone(Quotes::CreatedAt))
                    .col(timestamp_with_time_zone(Quotes::UpdatedAt))
                    .col(integer(Quotes::Version))
                    .foreign_key(&mut fk(
                        Quotes::Table,
                        Quotes::OpportunityId,
                        Opportunities::Table,
                        ForeignKeyAction::Restrict,
                    ))
                    .foreign_key(&mut fk(
                        Quotes::Table,
                        Quotes::AccountId,
                        Accounts::Table,
                        ForeignKeyAction::Restrict,
                    ))
                    .foreign_key(&mut fk(
                        Quotes::Table,
                        Quotes::OwnerId,
                        Users::Table,
                        ForeignKeyAction::Restrict,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            Quotes::Table,
            "idx_quotes_number_revision",
            &["number", "revision"],
            true,
        )
        .await?;
        // Keyset pages end in (created_at, id): one index range scan per page.
        index(
            manager,
            Quotes::Table,
            "idx_quotes_owner_created",
            &["owner_id", "created_at", "id"],
            false,
        )
        .await?;
        index(
            manager,
            Quotes::Table,
            "idx_quotes_opportunity",
            &["opportunity_id"],
            false,
        )
        .await?;
        index(
            manager,
            Quotes::Table,
            "idx_quotes_created",
            &["created_at", "id"],
            false,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(QuoteLines::Table)
                    .col(uuid(QuoteLines::Id).primary_key())
                    .col(uuid(QuoteLines::QuoteId))
                    .col(integer(QuoteLines::Position))
                    .col(uuid_null(QuoteLines::ProductId))
                    .col(string(QuoteLines::Description))
                    .col(big_integer(QuoteLines::Quantity))
                    .col(big_integer(QuoteLines::UnitPrice))
                    .col(integer(QuoteLines::DiscountBp))
                    .col(integer(QuoteLines::TaxRateBp))
                    .col(big_integer(QuoteLines::Gross))
                    .col(big_integer(QuoteLines::Discount))
                    .col(big_integer(QuoteLines::Net))
                    .col(big_integer(QuoteLines::Tax))
                    .col(big_integer(QuoteLines::Total))
                    .foreign_key(&mut fk(
                        QuoteLines::Table,
                        QuoteLines::QuoteId,
                        Quotes::Table,
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        QuoteLines::Table,
                        QuoteLines::ProductId,
                        Products::Table,
                        ForeignKeyAction::Restrict,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            QuoteLines::Table,
            "idx_quote_lines_quote",
            &["quote_id", "position"],
            false,
        )
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for t in ["quote_lines", "quotes", "number_sequences", "products"] {
            manager
                .drop_table(Table::drop().table(Alias::new(t)).to_owned())
                .await?;
        }
        Ok(())
    }
}
