use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "orders")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub number: String,
    pub quote_id: Option<Uuid>,
    pub opportunity_id: Option<Uuid>,
    pub account_id: Uuid,
    pub owner_id: Uuid,
    pub status: String,
    pub currency: String,
    /// Figures at scale 4 (see `kedao_domain::money`).
    pub subtotal: i64,
    pub discount: i64,
    pub net: i64,
    pub tax: i64,
    pub grand_total: i64,
    pub notes: Option<String>,
    pub created_by: Uuid,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
