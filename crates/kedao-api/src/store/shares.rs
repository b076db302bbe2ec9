//! Sharing an account (with its contacts, opportunities, quotes, orders and receivables) with
//! a user or a team, to read or to read and write (`scope::owned_or_shared` applies it to
//! every read, `scope::check_writable_on` to writes). Only those who may change the account
//! by its owner share it or revoke a share; a revoked share is kept, marked revoked.

use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, Set, TransactionTrait,
};
use uuid::Uuid;

use kedao_api_types::ListPage;
use kedao_api_types::shares::{ShareAccess, ShareCreate, ShareView};
use kedao_domain::access::Resource;

use crate::auth::Principal;
use crate::error::ApiError;
use crate::store::entities::account_shares::{self as entity, Column};
use crate::store::entities::{teams, users};
use crate::store::{accounts, new_id, now, scope};

fn view(m: entity::Model) -> ShareView {
    ShareView {
        id: m.id,
        account_id: m.account_id,
        user_id: m.user_id,
        team_id: m.team_id,
        access: ShareAccess::parse(&m.access).unwrap_or(ShareAccess::Read),
        created_by: m.created_by,
        created_at: m.created_at,
        revoked_at: m.revoked_at,
        revoked_by: m.revoked_by,
    }
}

/// The account's shares, revoked ones included, oldest first (whoever sees the account).
pub async fn list<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    account_id: Uuid,
) -> Result<ListPage<ShareView>, ApiError> {
    let account = accounts::find(db, principal, account_id).await?;
    let rows = entity::Entity::find()
        .filter(Column::AccountId.eq(account.id))
        .order_by_asc(Column::CreatedAt)
        .order_by_asc(Column::Id)
        .all(db)
        .await?;
    Ok(ListPage::complete(rows.into_iter().map(view).collect()))
}

/// The account, if the caller may change it as its owner, its manager or an admin.
async fn shareable<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    account_id: Uuid,
) -> Result<Uuid, ApiError> {
    let account = accounts::find(db, principal, account_id).await?;
    scope::check_writable(
        db,
        principal,
        Resource::Accounts,
        scope::Held::new(account.owner_id, account.dealer_id),
    )
    .await?;
    // Shares widen what the company's staff see; a dealer's reach is its dealer and nothing
    // a share could add to it.
    if principal.dealer_id.is_some() {
        return Err(ApiError::Forbidden(
            "a dealer's staff do not share accounts".to_owned(),
        ));
    }
    Ok(account.id)
}

pub async fn create(
    db: &DatabaseConnection,
    principal: &Principal,
    account_id: Uuid,
    input: ShareCreate,
) -> Result<ShareView, ApiError> {
    let txn = db.begin().await?;
    let account = shareable(&txn, principal, account_id).await?;
    match (input.user_id, input.team_id) {
        (Some(user), None) => {
            let user = users::Entity::find_by_id(user)
                .one(&txn)
                .await?
                .filter(|u| u.active)
                .ok_or_else(|| {
                    ApiError::field("user_id", "unknown-user", "no active user has this id")
                })?;
            if user.dealer_id.is_some() {
                return Err(ApiError::field(
                    "user_id",
                    "dealer-staff",
                    "accounts are shared with the company's staff, not a dealer's",
                ));
            }
        }
        (None, Some(team)) => {
            teams::Entity::find_by_id(team)
                .one(&txn)
                .await?
                .ok_or_else(|| ApiError::field("team_id", "unknown-team", "no team has this id"))?;
        }
        _ => {
            return Err(ApiError::field(
                "user_id",
                "one-of",
                "share with exactly one of user_id or team_id",
            ));
        }
    }
    let saved = entity::ActiveModel {
        id: Set(new_id()),
        account_id: Set(account),
        user_id: Set(input.user_id),
        team_id: Set(input.team_id),
        access: Set(input.access.as_str().to_owned()),
        created_by: Set(principal.user_id),
        created_at: Set(now()),
        revoked_at: Set(None),
        revoked_by: Set(None),
    }
    .insert(&txn)
    .await?;
    txn.commit().await?;
    Ok(view(saved))
}

/// Revokes a share at once: the next request of its users no longer reaches the account.
pub async fn revoke(
    db: &DatabaseConnection,
    principal: &Principal,
    account_id: Uuid,
    share_id: Uuid,
) -> Result<ShareView, ApiError> {
    let txn = db.begin().await?;
    let account = shareable(&txn, principal, account_id).await?;
    let share = entity::Entity::find_by_id(share_id)
        .filter(Column::AccountId.eq(account))
        .one(&txn)
        .await?
        .ok_or(ApiError::NotFound("share"))?;
    if share.revoked_at.is_some() {
        return Err(ApiError::conflict(
            "share-revoked",
            "this share has already been revoked",
        ));
    }
    let mut model: entity::ActiveModel = share.into();
    model.revoked_at = Set(Some(now()));
    model.revoked_by = Set(Some(principal.user_id));
    let saved = model.update(&txn).await?;
    txn.commit().await?;
    Ok(view(saved))
}
