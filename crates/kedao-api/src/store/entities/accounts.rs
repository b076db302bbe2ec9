use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "accounts")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub name: String,
    pub customer_type: String,
    pub industry: Option<String>,
    pub size: Option<String>,
    pub region: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub website: Option<String>,
    pub address: Option<String>,
    pub tags: Json,
    pub notes: Option<String>,
    pub owner_id: Uuid,
    pub created_by: Uuid,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
    /// Internal: never shown to a dealer (migration m0016).
    pub internal_notes: Option<String>,
    /// Credit limit in storage units (scale 4) in `credit_currency`; `None`: no limit.
    pub credit_limit: Option<i64>,
    pub credit_currency: Option<String>,
    /// The dealer (经销商) serving the account; `None`: served directly.
    pub dealer_id: Option<Uuid>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
