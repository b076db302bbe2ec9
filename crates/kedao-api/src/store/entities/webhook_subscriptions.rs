use sea_orm::entity::prelude::*;

/// A URL subscribed to event types (see `crate::webhooks`).
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "webhook_subscriptions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub url: String,
    /// Space-separated event types.
    pub events: String,
    /// Signs deliveries; never in an answer other than create and rotate.
    pub secret: String,
    pub dealer_id: Option<Uuid>,
    pub created_by: Uuid,
    pub active: bool,
    /// Deliveries that failed for good in a row.
    pub failure_count: i32,
    pub disabled_reason: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
