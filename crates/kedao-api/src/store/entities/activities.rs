use sea_orm::entity::prelude::*;

/// A call, visit, meeting, task, note or e-mail log (see migration m0017).
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "activities")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub kind: String,
    pub subject: String,
    pub status: String,
    pub account_id: Option<Uuid>,
    pub lead_id: Option<Uuid>,
    pub contact_id: Option<Uuid>,
    pub opportunity_id: Option<Uuid>,
    pub quote_id: Option<Uuid>,
    pub order_id: Option<Uuid>,
    pub owner_id: Uuid,
    pub dealer_id: Option<Uuid>,
    pub planned_start: Option<DateTimeUtc>,
    pub planned_end: Option<DateTimeUtc>,
    pub place: Option<String>,
    pub purpose: Option<String>,
    pub outcome: Option<String>,
    pub done_at: Option<DateTimeUtc>,
    pub due_date: Option<Date>,
    pub priority: String,
    pub created_by: Uuid,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
