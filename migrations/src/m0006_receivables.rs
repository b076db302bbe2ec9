//! Receivables (应收款 / 回款): each order's payment plan (installments), the payments received
//! from accounts, and how each payment was allocated to installments.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::m0001_users_and_auth::Users;
use crate::{fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum Accounts {
    Table,
}

#[derive(DeriveIden, Clone, Copy)]
enum Orders {
    Table,
}

#[derive(DeriveIden, Clone, Copy)]
enum Installments {
    Table,
    Id,
    OrderId,
    AccountId,
    OwnerId,
    Seq,
    DueDate,
    Amount,
    Paid,
    Currency,
    CreatedAt,
    UpdatedAt,
    Version,
}

#[derive(DeriveIden, Clone, Copy)]
enum Payments {
    Table,
    Id,
    AccountId,
    OrderId,
    Amount,
    Currency,
    ReceivedOn,
    Method,
    Reference,
    Unapplied,
    VoidedAt,
    VoidedBy,
    CreatedBy,
    CreatedAt,
    Version,
}

#[derive(DeriveIden, Clone, Copy)]
enum Allocations {
    Table,
    Id,
    PaymentId,
    InstallmentId,
    Amount,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Installments::Table)
                    .col(uuid(Installments::Id).primary_key())
                    .col(uuid(Installments::OrderId))
                    .col(uuid(Installments::AccountId))
                    .col(uuid(Installments::OwnerId))
                    .col(integer(Installments::Seq))
                    .col(date(Installments::DueDate))
                    .col(big_integer(Installments::Amount))
                    .col(big_integer(Installments::Paid))
                    .col(string(Installments::Currency))
                    .col(timestamp_with_time_zone(Installments::CreatedAt))
                    .col(timestamp_with_time_zone(Installments::UpdatedAt))
                    .col(integer(Installments::Version))
                    .foreign_key(&mut fk(
                        Installments::Table,
                        Installments::OrderId,
                        Orders::Table,
                        ForeignKeyAction::Restrict,
                    ))
                    .foreign_key(&mut fk(
                        Installments::Table,
                        Installments::AccountId,
                        Accounts::Table,
                        ForeignKeyAction::Restrict,
                    ))
                    .foreign_key(&mut fk(
                        Installments::Table,
                        Installments::OwnerId,
                        Users::Table,
                        ForeignKeyAction::Restrict,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            Installments::Table,
            "idx_installments_account_due",
            &["account_id", "due_date"],
            false,
        )
        .await?;
        index(
            manager,
            Installments::Table,
            "idx_installments_owner_due",
            &["owner_id", "due_date"],
            false,
        )
        .await?;
        index(
            manager,
            Installments::Table,
            "idx_installments_order_seq",
            &["order_id", "seq"],
            false,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(Payments::Table)
                    .col(uuid(Payments::Id).primary_key())
                    .col(uuid(Payments::AccountId))
                    .col(uuid_null(Payments::OrderId))
                    .col(big_integer(Payments::Amount))
                    .col(string(Payments::Currency))
                    .col(date(Payments::ReceivedOn))
                    .col(string(Payments::Method))
                    .col(string_null(Payments::Reference))
                    .col(big_integer(Payments::Unapplied))
                    .col(timestamp_with_time_zone_null(Payments::VoidedAt))
                    .col(uuid_null(Payments::VoidedBy))
                    .col(uuid(Payments::CreatedBy))
                    .col(timestamp_with_time_zone(Payments::CreatedAt))
                    .col(integer(Payments::Version))
                    .foreign_key(&mut fk(
                        Payments::Table,
                        Payments::AccountId,
                        Accounts::Table,
                        ForeignKeyAction::Restrict,
                    ))
                    .foreign_key(&mut fk(
                        Payments::Table,
                        Payments::OrderId,
                        Orders::Table,
                        ForeignKeyAction::Restrict,
                    ))
                    .foreign_key(&mut fk(
                        Payments::Table,
                        Payments::CreatedBy,
                        Users::Table,
                        ForeignKeyAction::Restrict,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            Payments::Table,
            "idx_payments_account_received",
            &["account_id", "received_on"],
            false,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(Allocations::Table)
                    .col(uuid(Allocations::Id).primary_key())
                    .col(uuid(Allocations::PaymentId))
                    .col(uuid(Allocations::InstallmentId))
                    .col(big_integer(Allocations::Amount))
                    .col(timestamp_with_time_zone(Allocations::CreatedAt))
                    .foreign_key(&mut fk(
                        Allocations::Table,
                        Allocations::PaymentId,
                        Payments::Table,
                        ForeignKeyAction::Restrict,
                    ))
                    .foreign_key(&mut fk(
                        Allocations::Table,
                        Allocations::InstallmentId,
                        Installments::Table,
                        ForeignKeyAction::Restrict,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            Allocations::Table,
            "idx_allocations_payment",
            &["payment_id"],
            false,
        )
        .await?;
        index(
            manager,
            Allocations::Table,
            "idx_allocations_installment",
            &["installment_id"],
            false,
        )
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for t in ["allocations", "payments", "installments"] {
            manager
                .drop_table(Table::drop().table(Alias::new(t)).to_owned())
                .await?;
        }
        Ok(())
    }
}
