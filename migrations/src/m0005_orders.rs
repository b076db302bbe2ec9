//! Orders (订单): what an accepted quote (or a direct entry) becomes, their lines as sold, and
//! the events of their fulfilment.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::m0001_users_and_auth::Users;
use crate::{fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Tables of earlier migrations that orders point at.
#[derive(DeriveIden, Clone, Copy)]
enum Accounts {
    Table,
}

#[derive(DeriveIden, Clone, Copy)]
enum Opportunities {
    Table,
}

#[derive(DeriveIden, Clone, Copy)]
enum Quotes {
    Table,
}

#[derive(DeriveIden, Clone, Copy)]
enum Products {
    Table,
}

#[derive(DeriveIden, Clone, Copy)]
enum Orders {
    Table,
    Id,
    Number,
    QuoteId,
    OpportunityId,
    AccountId,
    OwnerId,
    Status,
    Currency,
    Subtotal,
    Discount,
    Net,
    Tax,
    GrandTotal,
    Notes,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
    Version,
}

#[derive(DeriveIden, Clone, Copy)]
enum OrderLines {
    Table,
    Id,
    OrderId,
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

#[derive(DeriveIden, Clone, Copy)]
enum OrderEvents {
    Table,
    Id,
    OrderId,
    FromStatus,
    ToStatus,
    ActorId,
    Note,
    At,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Orders::Table)
                    .col(uuid(Orders::Id).primary_key())
                    .col(string(Orders::Number).unique_key())
                    .col(uuid_null(Orders::QuoteId))
                    .col(uuid_null(Orders::OpportunityId))
                    .col(uuid(Orders::AccountId))
                    .col(uuid(Orders::OwnerId))
                    .col(string(Orders::Status))
                    .col(string(Orders::Currency))
                    .col(big_integer(Orders::Subtotal))
                    .col(big_integer(Orders::Discount))
                    .col(big_integer(Orders::Net))
                    .col(big_integer(Orders::Tax))
                    .col(big_integer(Orders::GrandTotal))
                    .col(text_null(Orders::Notes))
                    .col(uuid(Orders::CreatedBy))
                    .col(timestamp_with_time_zone(Orders::CreatedAt))
                    .col(timestamp_with_time_zone(Orders::UpdatedAt))
                    .col(integer(Orders::Version))
                    .foreign_key(&mut fk(
                        Orders::Table,
                        Orders::QuoteId,
                        Quotes::Table,
                        ForeignKeyAction::Restrict,
                    ))
                    .foreign_key(&mut fk(
                        Orders::Table,
                        Orders::OpportunityId,
                        Opportunities::Table,
                        ForeignKeyAction::Restrict,
                    ))
                    .foreign_key(&mut fk(
                        Orders::Table,
                        Orders::AccountId,
                        Accounts::Table,
                        ForeignKeyAction::Restrict,
                    ))
                    .foreign_key(&mut fk(
                        Orders::Table,
                        Orders::OwnerId,
                        Users::Table,
                        ForeignKeyAction::Restrict,
                    ))
                    .to_owned(),
            )
            .await?;
        // One quote can never make two orders, whatever races (NULLs, direct entries, repeat).
        index(
            manager,
            Orders::Table,
            "idx_orders_quote",
            &["quote_id"],
            true,
        )
        .await?;
        index(
            manager,
            Orders::Table,
            "idx_orders_owner_created",
            &["owner_id", "created_at", "id"],
            false,
        )
        .await?;
        index(
            manager,
            Orders::Table,
            "idx_orders_created",
            &["created_at", "id"],
            false,
        )
        .await?;
        index(
            manager,
            Orders::Table,
            "idx_orders_account",
            &["account_id"],
            false,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(OrderLines::Table)
                    .col(uuid(OrderLines::Id).primary_key())
                    .col(uuid(OrderLines::OrderId))
                    .col(integer(OrderLines::Position))
                    .col(uuid_null(OrderLines::ProductId))
                    .col(string(OrderLines::Description))
                    .col(big_integer(OrderLines::Quantity))
                    .col(big_integer(OrderLines::UnitPrice))
                    .col(integer(OrderLines::DiscountBp))
                    .col(integer(OrderLines::TaxRateBp))
                    .col(big_integer(OrderLines::Gross))
                    .col(big_integer(OrderLines::Discount))
                    .col(big_integer(OrderLines::Net))
                    .col(big_integer(OrderLines::Tax))
                    .col(big_integer(OrderLines::Total))
                    .foreign_key(&mut fk(
                        OrderLines::Table,
                        OrderLines::OrderId,
                        Orders::Table,
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        OrderLines::Table,
                        OrderLines::ProductId,
                        Products::Table,
                        ForeignKeyAction::Restrict,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            OrderLines::Table,
            "idx_order_lines_order",
            &["order_id", "position"],
            false,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(OrderEvents::Table)
                    .col(uuid(OrderEvents::Id).primary_key())
                    .col(uuid(OrderEvents::OrderId))
                    .col(string_null(OrderEvents::FromStatus))
                    .col(string(OrderEvents::ToStatus))
                    .col(uuid(OrderEvents::ActorId))
                    .col(text_null(OrderEvents::Note))
                    .col(timestamp_with_time_zone(OrderEvents::At))
                    .foreign_key(&mut fk(
                        OrderEvents::Table,
                        OrderEvents::OrderId,
                        Orders::Table,
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        OrderEvents::Table,
                        OrderEvents::ActorId,
                        Users::Table,
                        ForeignKeyAction::Restrict,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            OrderEvents::Table,
            "idx_order_events_order_at",
            &["order_id", "at"],
            false,
        )
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for t in ["order_events", "order_lines", "orders"] {
            manager
                .drop_table(Table::drop().table(Alias::new(t)).to_owned())
                .await?;
        }
        Ok(())
    }
}
