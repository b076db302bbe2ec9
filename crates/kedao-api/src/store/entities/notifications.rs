use sea_orm::entity::prelude::*;

/// A notification addressed to one user (see migration m0020).
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "notifications")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub user_id: Uuid,
    pub kind: String,
    pub title: String,
    pub summary: String,
    pub record_type: Option<String>,
    pub record_id: Option<Uuid>,
    /// Unique per user: what makes a reminder fire once per occurrence.
    pub occurrence_key: String,
    /// The task or installment a reminder is about, and its due date then.
    pub source_id: Option<Uuid>,
    pub source_date: Option<Date>,
    pub created_at: DateTimeUtc,
    pub read_at: Option<DateTimeUtc>,
    /// The values the title and summary are made of, as a JSON object of strings.
    pub params: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
