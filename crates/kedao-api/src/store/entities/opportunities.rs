use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "opportunities")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub title: String,
    pub account_id: Uuid,
    pub contact_id: Option<Uuid>,
    pub pipeline_id: Uuid,
    pub stage_id: Uuid,
    /// Exact amount at scale 4 (see `kedao_domain::money`).
    pub amount: i64,
    pub currency: String,
    pub probability: i16,
    pub probability_overridden: bool,
    pub expected_close_date: Date,
    pub source: String,
    pub competitors: Json,
    pub lost_reason: Option<String>,
    pub description: Option<String>,
    pub lead_id: Option<Uuid>,
    pub owner_id: Uuid,
    pub stage_changed_at: DateTimeUtc,
    pub closed_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
    /// The dealer the record belongs to (see migration m0014).
    pub dealer_id: Option<Uuid>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
