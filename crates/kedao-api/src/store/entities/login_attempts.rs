use sea_orm::entity::prelude::*;

/// A sign-in attempt against one throttle key (see `store::login_attempts`).
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "login_attempts")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// `account` or `address`.
    pub kind: String,
    /// SHA-256 (hex) of the lower-cased e-mail address, or the client's network address.
    pub key: String,
    /// The client's network address, whatever the kind.
    pub address: String,
    pub attempted_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
