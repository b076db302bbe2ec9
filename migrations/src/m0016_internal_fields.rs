//! Internal fields the company keeps from its dealers: a product's standard cost (and so its
//! margin), and internal notes on accounts and opportunities.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// (table, column, is money): money in minor units of the row's currency, text otherwise.
const COLUMNS: [(&str, &str, bool); 3] = [
    ("products", "cost", true),
    ("accounts", "internal_notes", false),
    ("opportunities", "internal_notes", false),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (table, column, money) in COLUMNS {
            let mut def = ColumnDef::new(Alias::new(column));
            if money {
                def.big_integer();
            } else {
                def.text();
            }
            manager
                .alter_table(
                    Table::alter()
                        .table(Alias::new(table))
                        .add_column(def.null())
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (table, column, _) in COLUMNS {
            manager
                .alter_table(
                    Table::alter()
                        .table(Alias::new(table))
                        .drop_column(Alias::new(column))
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
