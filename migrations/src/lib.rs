//! The Kedao schema: the only place tables and indexes are defined. The same migrations run on
//! SQLite (the embedded default) and PostgreSQL (production), and the tests run them too.
//!
//! Conventions: ids are UUIDv7 (time-ordered, unguessable enough for URLs, and index-friendly);
//! money is a 64-bit integer at scale 4 beside its currency code (exact on both databases);
//! instants are UTC timestamps, calendar dates are dates; every editable record has a `version`
//! that optimistic concurrency checks.

pub use sea_orm_migration::prelude::*;

mod m0001_users_and_auth;
mod m0002_sales_core;
mod m0004_products_quotes;
mod m0005_orders;
mod m0006_receivables;
mod m0007_credit_control;
mod m0008_team_hierarchy;
mod m0009_dealers;
mod m0010_login_attempts;
mod m0011_field_history;
mod m0012_account_shares;
mod m0013_payment_order_index;
mod m0014_dealer_records;
mod m0015_api_tokens;
mod m0016_internal_fields;
mod m0017_activities;
mod m0018_jobs;
mod m0019_webhooks;
mod m0020_notifications;
mod m0021_notes_attachments;
mod m0022_notification_params;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m0001_users_and_auth::Migration),
            Box::new(m0002_sales_core::Migration),
            Box::new(m0004_products_quotes::Migration),
            Box::new(m0005_orders::Migration),
            Box::new(m0006_receivables::Migration),
            Box::new(m0007_credit_control::Migration),
            Box::new(m0008_team_hierarchy::Migration),
            Box::new(m0009_dealers::Migration),
            Box::new(m0010_login_attempts::Migration),
            Box::new(m0011_field_history::Migration),
            Box::new(m0012_account_shares::Migration),
            Box::new(m0013_payment_order_index::Migration),
            Box::new(m0014_dealer_records::Migration),
            Box::new(m0015_api_tokens::Migration),
            Box::new(m0016_internal_fields::Migration),
            Box::new(m0017_activities::Migration),
            Box::new(m0018_jobs::Migration),
            Box::new(m0019_webhooks::Migration),
            Box::new(m0020_notifications::Migration),
            Box::new(m0021_notes_attachments::Migration),
            Box::new(m0022_notification_params::Migration),
        ]
    }
}

/// A foreign key from `table.column` to `target.id`.
pub(crate) fn fk(
    table: impl IntoIden + Copy + 'static,
    column: impl IntoIden + 'static,
    target: impl IntoIden + 'static,
    on_delete: ForeignKeyAction,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(table, column)
        .to(target, Alias::new("id"))
        .on_delete(on_delete)
        .to_owned()
}

/// Creates an index named after its table and columns.
pub(crate) async fn index(
    manager: &SchemaManager<'_>,
    table: impl IntoIden + 'static,
    name: &str,
    columns: &[&'static str],
    unique: bool,
) -> Result<(), DbErr> {
    let mut stmt = Index::create();
    stmt.name(name).table(table);
    for c in columns {
        stmt.col(Alias::new(*c));
    }
    if unique {
        stmt.unique();
    }
    manager.create_index(stmt.to_owned()).await
}
