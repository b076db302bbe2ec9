use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "order_events")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub order_id: Uuid,
    /// `None` for the status the order was created in.
    pub from_status: Option<String>,
    pub to_status: String,
    pub actor_id: Uuid,
    pub note: Option<String>,
    pub at: DateTimeUtc,
    /// `status`, `credit_hold` or `credit_released`.
    pub kind: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
