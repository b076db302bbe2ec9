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
    /// The dealer the record belongs to (see migration m0014).
    pub dealer_id: Option<Uuid>,
    /// `clear`, `on_hold` or `released` (see `kedao_domain::credit`).
    pub credit_status: String,
    /// Comma-separated hold reason codes.
    pub credit_hold_reasons: Option<String>,
    pub credit_released_by: Option<Uuid>,
    pub credit_released_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
