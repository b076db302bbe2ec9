use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "payments")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub account_id: Uuid,
    pub order_id: Option<Uuid>,
    /// Scale 4 (see `kedao_domain::money`).
    pub amount: i64,
    pub currency: String,
    pub received_on: Date,
    pub method: String,
    pub reference: Option<String>,
    pub unapplied: i64,
    pub voided_at: Option<DateTimeUtc>,
    pub voided_by: Option<Uuid>,
    pub created_by: Uuid,
    pub created_at: DateTimeUtc,
    pub version: i32,
    /// The dealer the record belongs to (see migration m0014).
    pub dealer_id: Option<Uuid>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
