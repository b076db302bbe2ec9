use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "order_lines")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub order_id: Uuid,
    pub position: i32,
    pub product_id: Option<Uuid>,
    pub description: String,
    /// Quantity, unit price and figures at scale 4.
    pub quantity: i64,
    pub unit_price: i64,
    /// Percent × 100.
    pub discount_bp: i32,
    pub tax_rate_bp: i32,
    pub gross: i64,
    pub discount: i64,
    pub net: i64,
    pub tax: i64,
    pub total: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
