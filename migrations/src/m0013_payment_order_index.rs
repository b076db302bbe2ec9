//! Payments aimed at an order are looked up by order (and the foreign key from payments to
//! orders is checked by it): without an index each lookup scans every payment.

use sea_orm_migration::prelude::*;

use crate::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        index(
            manager,
            Alias::new("payments"),
            "idx_payments_order",
            &["order_id"],
            false,
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("idx_payments_order")
                    .table(Alias::new("payments"))
                    .to_owned(),
            )
            .await
    }
}
