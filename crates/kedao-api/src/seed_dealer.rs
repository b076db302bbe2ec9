//! Demo dealer (经销商): the East China dealer gets an administrator and a salesperson, a
//! sixth of the demo customers (with their deals, quotes, orders and money) served through it,
//! and leads distributed to it — so the dealer sign-ins show a dealer's world, masking included.

use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};
use uuid::Uuid;

use kedao_api_types::users::UserCreate;
use kedao_domain::access::Role;

use crate::seed::DEMO_PASSWORD;
use crate::store::entities::{
    accounts, dealers, installments, leads, opportunities, orders, payments, quotes,
};

/// The demo dealer whose staff sign in (created by the money seed).
pub const DEMO_DEALER_CODE: &str = "D-SZ-001";

/// The dealer's sign-ins: (e-mail, name, role).
pub const DEMO_DEALER_USERS: [(&str, &str, Role); 2] = [
    (
        "dealer@kedao.demo",
        "孙总 Sun (dealer admin)",
        Role::DealerAdmin,
    ),
    (
        "dealer.sales@kedao.demo",
        "周杰 Zhou Jie (dealer sales)",
        Role::DealerUser,
    ),
];

pub async fn fill(txn: &DatabaseTransaction) -> anyhow::Result<()> {
    // The East China dealer of the money seed (`seed_money`) sells through these sign-ins.
    let dealer = dealers::Entity::find()
        .filter(dealers::Column::Code.eq(DEMO_DEALER_CODE))
        .one(txn)
        .await?
        .ok_or_else(|| anyhow::anyhow!("the demo dealer {DEMO_DEALER_CODE} is missing"))?;
    let mut seller = None;
    for (email, name, role) in DEMO_DEALER_USERS {
        let user = crate::store::users::insert(
            txn,
            UserCreate {
                email: email.into(),
                display_name: name.into(),
                password: DEMO_PASSWORD.into(),
                role,
                team_id: None,
                dealer_id: Some(dealer.id),
            },
        )
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
        if role == Role::DealerUser {
            seller = Some(user.id);
        }
    }
    let d = dealer.id;
    // Every sixth customer by name (and those the money seed gave it), with everything that
    // hangs on them, is the dealer's.
    let all = accounts::Entity::find()
        .order_by_asc(accounts::Column::Name)
        .order_by_asc(accounts::Column::Id)
        .all(txn)
        .await?;
    let chosen: Vec<Uuid> = all
        .iter()
        .enumerate()
        .filter(|(n, a)| n % 6 == 5 || a.dealer_id == Some(dealer.id))
        .map(|(_, a)| a.id)
        .collect();
    accounts::Entity::update_many()
        .col_expr(accounts::Column::DealerId, Expr::value(d))
        .filter(accounts::Column::Id.is_in(chosen.clone()))
        .exec(txn)
        .await?;
    macro_rules! follow_account {
        ($($entity:ident),*) => {$(
            $entity::Entity::update_many()
                .col_expr($entity::Column::DealerId, Expr::value(d))
                .filter($entity::Column::AccountId.is_in(chosen.clone()))
                .exec(txn)
                .await?;
        )*};
    }
    follow_account!(opportunities, quotes, orders, installments, payments);
    // Twenty open leads handed over; the dealer's salesperson works ten of them.
    let handed: Vec<Uuid> = leads::Entity::find()
        .filter(leads::Column::Status.is_in(["new", "working"]))
        .order_by_asc(leads::Column::CreatedAt)
        .order_by_asc(leads::Column::Id)
        .limit(20)
        .all(txn)
        .await?
        .into_iter()
        .map(|l| l.id)
        .collect();
    leads::Entity::update_many()
        .col_expr(leads::Column::DealerId, Expr::value(d))
        .filter(leads::Column::Id.is_in(handed.clone()))
        .exec(txn)
        .await?;
    if let Some(seller) = seller {
        leads::Entity::update_many()
            .col_expr(leads::Column::OwnerId, Expr::value(seller))
            .filter(leads::Column::Id.is_in(handed.into_iter().take(10)))
            .exec(txn)
            .await?;
    }
    Ok(())
}
