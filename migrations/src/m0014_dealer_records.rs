//! Dealer isolation: dealer staff are users with a dealer, and every record a dealer works on
//! carries it — leads, opportunities, quotes, orders, payments and the installments owed on
//! orders (accounts already do). The
//! data layer filters on this column for dealer callers, so it is indexed on every table.

use sea_orm_migration::prelude::*;

use crate::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The tables that gain a `dealer_id`, with the name of its index.
const TABLES: [(&str, &str); 7] = [
    ("users", "idx_users_dealer"),
    ("leads", "idx_leads_dealer"),
    ("opportunities", "idx_opportunities_dealer"),
    ("quotes", "idx_quotes_dealer"),
    ("orders", "idx_orders_dealer"),
    ("payments", "idx_payments_dealer"),
    ("installments", "idx_installments_dealer"),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (table, index_name) in TABLES {
            // One column per statement: SQLite alters one column at a time. No foreign key
            // (SQLite cannot add one to an existing table); the store checks the dealer.
            manager
                .alter_table(
                    Table::alter()
                        .table(Alias::new(table))
                        .add_column(ColumnDef::new(Alias::new("dealer_id")).uuid().null())
                        .to_owned(),
                )
                .await?;
            index(
                manager,
                Alias::new(table),
                index_name,
                &["dealer_id"],
                false,
            )
            .await?;
        }
        // Records already on a dealer's account belong to that dealer.
        for table in ["opportunities", "quotes", "orders", "payments"] {
            manager
                .get_connection()
                .execute_unprepared(&format!(
                    "UPDATE {table} SET dealer_id = \
                     (SELECT a.dealer_id FROM accounts a WHERE a.id = {table}.account_id)"
                ))
                .await?;
        }
        manager
            .get_connection()
            .execute_unprepared(
                "UPDATE installments SET dealer_id = \
                 (SELECT o.dealer_id FROM orders o WHERE o.id = installments.order_id)",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (table, index_name) in TABLES {
            manager
                .drop_index(
                    Index::drop()
                        .name(index_name)
                        .table(Alias::new(table))
                        .to_owned(),
                )
                .await?;
            manager
                .alter_table(
                    Table::alter()
                        .table(Alias::new(table))
                        .drop_column(Alias::new("dealer_id"))
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
