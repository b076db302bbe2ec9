//! Credit control (信用控制): an account's credit limit, an order's credit hold and its
//! release, installments of cancelled orders (no longer owed, kept for the record), and the
//! kind of each order timeline event (a status change, a hold, a release).
//!
//! Every new column is nullable or has a default, so rows written before it stay valid and
//! writers that name their columns keep working. SQLite adds one column per statement.

use sea_orm_migration::prelude::*;

use crate::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum Accounts {
    Table,
    CreditLimit,
    CreditCurrency,
}

#[derive(DeriveIden, Clone, Copy)]
enum Orders {
    Table,
    CreditStatus,
    CreditHoldReasons,
    CreditReleasedBy,
    CreditReleasedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Installments {
    Table,
    Id,
    DueDate,
    Amount,
    Paid,
    CancelledAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum OrderEvents {
    Table,
    Kind,
}

async fn add(
    manager: &SchemaManager<'_>,
    table: impl IntoIden + 'static,
    column: &mut ColumnDef,
) -> Result<(), DbErr> {
    manager
        .alter_table(Table::alter().table(table).add_column(column).to_owned())
        .await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // The limit in storage units (scale 4) and its currency; both null: no limit.
        add(
            manager,
            Accounts::Table,
            ColumnDef::new(Accounts::CreditLimit).big_integer().null(),
        )
        .await?;
        add(
            manager,
            Accounts::Table,
            ColumnDef::new(Accounts::CreditCurrency).string().null(),
        )
        .await?;
        // `clear`, `on_hold` or `released`.
        add(
            manager,
            Orders::Table,
            ColumnDef::new(Orders::CreditStatus)
                .string()
                .not_null()
                .default("clear"),
        )
        .await?;
        // Comma-separated reason codes of the hold (`over_limit`, `overdue`).
        add(
            manager,
            Orders::Table,
            ColumnDef::new(Orders::CreditHoldReasons).string().null(),
        )
        .await?;
        add(
            manager,
            Orders::Table,
            ColumnDef::new(Orders::CreditReleasedBy).uuid().null(),
        )
        .await?;
        add(
            manager,
            Orders::Table,
            ColumnDef::new(Orders::CreditReleasedAt)
                .timestamp_with_time_zone()
                .null(),
        )
        .await?;
        add(
            manager,
            Installments::Table,
            ColumnDef::new(Installments::CancelledAt)
                .timestamp_with_time_zone()
                .null(),
        )
        .await?;
        // `status`, `credit_hold` or `credit_released`.
        add(
            manager,
            OrderEvents::Table,
            ColumnDef::new(OrderEvents::Kind)
                .string()
                .not_null()
                .default("status"),
        )
        .await?;
        // The overdue list for finance and managers walks the open installments by due date:
        // a partial index holds only those, in that order (both databases support it).
        manager
            .create_index(
                Index::create()
                    .name("idx_installments_open_due")
                    .table(Installments::Table)
                    .col(Installments::DueDate)
                    .col(Installments::Id)
                    .and_where(
                        Expr::col(Installments::Paid)
                            .lt(Expr::col(Installments::Amount))
                            .and(Expr::col(Installments::CancelledAt).is_null()),
                    )
                    .to_owned(),
            )
            .await?;
        // Unapplied credit is looked up per account whenever new installments appear.
        index(
            manager,
            Alias::new("payments"),
            "idx_payments_account_currency_unapplied",
            &["account_id", "currency", "unapplied"],
            false,
        )
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("idx_installments_open_due")
                    .table(Installments::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .drop_index(
                Index::drop()
                    .name("idx_payments_account_currency_unapplied")
                    .table(Alias::new("payments"))
                    .to_owned(),
            )
            .await?;
        let drops: [(DynIden, DynIden); 8] = [
            (
                Accounts::Table.into_iden(),
                Accounts::CreditLimit.into_iden(),
            ),
            (
                Accounts::Table.into_iden(),
                Accounts::CreditCurrency.into_iden(),
            ),
            (Orders::Table.into_iden(), Orders::CreditStatus.into_iden()),
            (
                Orders::Table.into_iden(),
                Orders::CreditHoldReasons.into_iden(),
            ),
            (
                Orders::Table.into_iden(),
                Orders::CreditReleasedBy.into_iden(),
            ),
            (
                Orders::Table.into_iden(),
                Orders::CreditReleasedAt.into_iden(),
            ),
            (
                Installments::Table.into_iden(),
                Installments::CancelledAt.into_iden(),
            ),
            (
                OrderEvents::Table.into_iden(),
                OrderEvents::Kind.into_iden(),
            ),
        ];
        for (table, column) in drops {
            manager
                .alter_table(Table::alter().table(table).drop_column(column).to_owned())
                .await?;
        }
        Ok(())
    }
}
