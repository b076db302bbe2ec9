//! Sign-in, refresh-token rotation and sign-out.

use std::net::IpAddr;

use chrono::Duration;
use sea_orm::DatabaseConnection;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set, TransactionTrait,
};
use uuid::Uuid;

use kedao_api_types::auth::TokenPair;
use kedao_api_types::dealers::DealerStatus;
use kedao_domain::access::Role;

use crate::auth::password;
use crate::auth::tokens::{self, TokenKeys};
use crate::error::ApiError;
use crate::store::entities::{dealers, refresh_tokens, users};
use crate::store::login_attempts::{self, LoginThrottle};
use crate::store::{new_id, now, users as user_store};

/// Checks e-mail and password and opens a session, unless the account or the client address
/// has had too many failed attempts lately (`TooManyAttempts`, even with the right password).
/// A wrong e-mail address or password is one answer, whichever it was.
pub async fn login(
    db: &DatabaseConnection,
    keys: &TokenKeys,
    refresh_ttl_days: u64,
    throttle: &LoginThrottle,
    client: Option<IpAddr>,
    email: &str,
    password_text: String,
) -> Result<TokenPair, ApiError> {
    let email = email.trim().to_lowercase();
    let attempt = login_attempts::begin(db, throttle, &email, client).await?;
    match check_password(db, &email, password_text).await {
        Ok(user) => {
            attempt.succeeded(db).await;
            issue(db, keys, refresh_ttl_days, user, new_id()).await
        }
        Err(wrong @ ApiError::Unauthorized(_)) => {
            attempt.failed(db).await;
            Err(wrong)
        }
        Err(other) => {
            attempt.abandoned(db).await;
            Err(other)
        }
    }
}

/// The active user with this e-mail address and password.
async fn check_password(
    db: &DatabaseConnection,
    email: &str,
    password_text: String,
) -> Result<users::Model, ApiError> {
    let user = users::Entity::find()
        .filter(users::Column::Email.eq(email))
        .one(db)
        .await?;
    let stored = user.as_ref().map(|u| u.password_hash.clone());
    let ok = password::verify(password_text, stored).await?;
    match user {
        Some(u) if ok && u.active => Ok(u),
        _ => Err(ApiError::Unauthorized("wrong e-mail address or password")),
    }
}

/// Spends a refresh token for a new pair. A token that was already spent means it was copied:
/// the whole family (every token descended from that sign-in) is revoked.
pub async fn refresh(
    db: &DatabaseConnection,
    keys: &TokenKeys,
    refresh_ttl_days: u64,
    token: &str,
) -> Result<TokenPair, ApiError> {
    let invalid = ApiError::Unauthorized("the refresh token is invalid or expired");
    let hash = tokens::hash_refresh_token(token);
    let txn = db.begin().await?;
    let Some(row) = refresh_tokens::Entity::find()
        .filter(refresh_tokens::Column::TokenHash.eq(hash))
        .one(&txn)
        .await?
    else {
        return Err(invalid);
    };
    let at = now();
    if row.revoked_at.is_some() {
        revoke_family(&txn, row.family_id).await?;
        txn.commit().await?;
        tracing::warn!(user = %row.user_id, "refresh token reused; session family revoked");
        return Err(invalid);
    }
    if row.expires_at <= at {
        return Err(invalid);
    }
    // Spend it; the version check is the row's revoked_at being still null, so two concurrent
    // refreshes with the same token cannot both succeed.
    let spent = refresh_tokens::Entity::update_many()
        .col_expr(refresh_tokens::Column::RevokedAt, Expr::value(at))
        .filter(refresh_tokens::Column::Id.eq(row.id))
        .filter(refresh_tokens::Column::RevokedAt.is_null())
        .exec(&txn)
        .await?;
    if spent.rows_affected == 0 {
        return Err(invalid);
    }
    let user = users::Entity::find_by_id(row.user_id)
        .one(&txn)
        .await?
        .filter(|u| u.active)
        .ok_or(invalid)?;
    let pair = issue(&txn, keys, refresh_ttl_days, user, row.family_id).await?;
    txn.commit().await?;
    Ok(pair)
}

/// Ends the session the refresh token belongs to.
pub async fn logout<C: ConnectionTrait>(db: &C, token: &str) -> Result<(), ApiError> {
    let hash = tokens::hash_refresh_token(token);
    if let Some(row) = refresh_tokens::Entity::find()
        .filter(refresh_tokens::Column::TokenHash.eq(hash))
        .one(db)
        .await?
    {
        revoke_family(db, row.family_id).await?;
    }
    Ok(())
}

async fn revoke_family<C: ConnectionTrait>(db: &C, family: Uuid) -> Result<(), ApiError> {
    refresh_tokens::Entity::update_many()
        .col_expr(refresh_tokens::Column::RevokedAt, Expr::value(now()))
        .filter(refresh_tokens::Column::FamilyId.eq(family))
        .filter(refresh_tokens::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}

async fn issue<C: ConnectionTrait>(
    db: &C,
    keys: &TokenKeys,
    refresh_ttl_days: u64,
    user: users::Model,
    family: Uuid,
) -> Result<TokenPair, ApiError> {
    let at = now();
    let role = Role::parse(&user.role)
        .ok_or_else(|| anyhow::anyhow!("user {} has unknown role", user.id))?;
    if let Some(dealer) = user.dealer_id {
        // A suspended dealer's staff stop working at once: no new session, no refresh.
        let active = dealers::Entity::find_by_id(dealer)
            .one(db)
            .await?
            .is_some_and(|d| d.status == DealerStatus::Active.as_str());
        if !active {
            return Err(ApiError::Forbidden(
                "the dealer this account works for is suspended".to_owned(),
            ));
        }
    }
    let access_token = keys.issue(user.id, role, user.team_id, user.dealer_id, at)?;
    let (refresh_token, hash) = tokens::new_refresh_token();
    let days = i64::try_from(refresh_ttl_days).map_err(anyhow::Error::from)?;
    refresh_tokens::ActiveModel {
        id: Set(new_id()),
        user_id: Set(user.id),
        family_id: Set(family),
        token_hash: Set(hash),
        expires_at: Set(at + Duration::days(days)),
        created_at: Set(at),
        revoked_at: Set(None),
    }
    .insert(db)
    .await?;
    Ok(TokenPair {
        access_token,
        token_type: "Bearer".to_owned(),
        expires_in: keys.access_ttl_secs,
        refresh_token,
        user: user_store::view(user),
    })
}
