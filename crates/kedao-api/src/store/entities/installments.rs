use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "installments")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub order_id: Uuid,
    pub account_id: Uuid,
    pub owner_id: Uuid,
    pub seq: i32,
    pub due_date: Date,
    /// Scale 4 (see `kedao_domain::money`).
    pub amount: i64,
    pub paid: i64,
    pub currency: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
    /// The dealer of the order (see migration m0014).
    pub dealer_id: Option<Uuid>,
    /// Set when the order was cancelled: no longer owed, kept for the record.
    pub cancelled_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
