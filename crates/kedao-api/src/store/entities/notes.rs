use sea_orm::entity::prelude::*;

/// A note (便签) on a record, with the users it mentions (see migration m0021).
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "notes")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub record_type: String,
    pub record_id: Uuid,
    pub account_id: Option<Uuid>,
    pub author_id: Uuid,
    pub body: String,
    /// JSON array of user ids.
    pub mentions: Json,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub deleted_at: Option<DateTimeUtc>,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
