use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "quotes")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub number: String,
    pub revision: i32,
    pub opportunity_id: Uuid,
    pub account_id: Uuid,
    pub owner_id: Uuid,
    pub status: String,
    pub currency: String,
    pub valid_until: Date,
    /// Figures at scale 4 (see `kedao_domain::money`).
    pub subtotal: i64,
    pub discount: i64,
    pub net: i64,
    pub tax: i64,
    pub grand_total: i64,
    /// Percent × 100.
    pub max_discount_bp: i32,
    pub needs_approval: bool,
    pub approved_by: Option<Uuid>,
    pub approved_at: Option<DateTimeUtc>,
    pub sent_at: Option<DateTimeUtc>,
    pub notes: Option<String>,
    pub created_by: Uuid,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
    /// The dealer the record belongs to (see migration m0014).
    pub dealer_id: Option<Uuid>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
