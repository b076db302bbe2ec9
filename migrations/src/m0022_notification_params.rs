//! The values a notification's title and summary are made of (JSON object of strings), so a
//! client words them in the reader's language instead of showing the server's English.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Alias::new("notifications"))
                    .add_column(ColumnDef::new(Alias::new("params")).text().null())
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Alias::new("notifications"))
                    .drop_column(Alias::new("params"))
                    .to_owned(),
            )
            .await
    }
}
