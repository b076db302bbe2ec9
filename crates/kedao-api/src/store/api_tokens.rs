//! Integration API tokens: issuing, listing, revoking and rotating them, and checking one on
//! each request it makes.
//!
//! A token is a JWT signed like staff access tokens, with the creating user as subject, the
//! scopes in a `scope` claim and the row's id as `jti`. Only the row is kept, never the token:
//! revoking is setting `revoked_at`, and [`authorize`] reads the row by primary key on every
//! request, so a revoked token stops at once. Admins manage every token; other roles none
//! (dealer admins, their dealer's: see [`Visibility`]).

use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait,
    QueryFilter, Set, TransactionTrait,
};
use uuid::Uuid;

use kedao_api_types::ListPage;
use kedao_api_types::api_tokens::{
    ApiTokenCreate, ApiTokenIssued, ApiTokenView, DEFAULT_TOKEN_DAYS, MAX_TOKEN_DAYS,
};
use kedao_api_types::dealers::DealerStatus;
use kedao_domain::access::Role;
use kedao_domain::scope::{self, Scope};

use crate::auth::Principal;
use crate::auth::tokens::{AUDIENCE, Claims, ISSUER, TokenKeys};
use crate::error::ApiError;
use crate::store::entities::api_tokens::{self as entity, Column};
use crate::store::entities::{dealers, users};
use crate::store::fields::required;
use crate::store::paging::{self, Paging, SortField, SortKind};
use crate::store::{new_id, now};

/// How often at most a token's `last_used_at` is written: often enough to tell a live
/// integration from a dead one, rarely enough not to add a write to every request.
const LAST_USED_GRANULARITY_SECS: i64 = 60;

pub const SORT_FIELDS: [SortField<Column>; 2] = [
    SortField {
        name: "created_at",
        column: Column::CreatedAt,
        kind: SortKind::Time,
    },
    SortField {
        name: "name",
        column: Column::Name,
        kind: SortKind::Text,
    },
];

/// Which tokens a caller manages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Visibility {
    /// Every token (admins).
    All,
    /// The tokens of one dealer (that dealer's admins).
    Dealer(Uuid),
}

impl Visibility {
    fn of(principal: &Principal) -> Result<Visibility, ApiError> {
        match principal.role {
            Role::Admin => Ok(Visibility::All),
            Role::DealerAdmin => principal.dealer_id.map(Visibility::Dealer).ok_or_else(|| {
                ApiError::Forbidden("a dealer admin without a dealer manages no tokens".to_owned())
            }),
            _ => Err(ApiError::Forbidden(
                "only admins, and dealer admins for their dealer, manage API tokens".to_owned(),
            )),
        }
    }

    fn condition(self) -> Condition {
        match self {
            Visibility::All => Condition::all(),
            Visibility::Dealer(dealer) => Condition::all().add(Column::DealerId.eq(dealer)),
        }
    }

    /// The dealer a new token of this caller acts for, checked against the one asked for.
    fn dealer_for(self, asked: Option<Uuid>) -> Result<Option<Uuid>, ApiError> {
        match (self, asked) {
            (Visibility::All, None) => Ok(None),
            (Visibility::All, Some(_)) => Err(ApiError::Forbidden(
                "a token acts for its creator's dealer; only a dealer admin's token acts for a dealer"
                    .to_owned(),
            )),
            (Visibility::Dealer(own), None) => Ok(Some(own)),
            (Visibility::Dealer(own), Some(asked)) if asked == own => Ok(Some(own)),
            (Visibility::Dealer(_), Some(_)) => Err(ApiError::Forbidden(
                "a dealer admin creates tokens for their own dealer only".to_owned(),
            )),
        }
    }
}

pub fn view(m: entity::Model) -> ApiTokenView {
    ApiTokenView {
        id: m.id,
        name: m.name,
        scopes: scope::parse_list(&m.scopes)
            .iter()
            .map(Scope::to_string)
            .collect(),
        created_by: m.created_by,
        dealer_id: m.dealer_id,
        created_at: m.created_at,
        expires_at: m.expires_at,
        last_used_at: m.last_used_at,
        revoked_at: m.revoked_at,
        replaced_by: m.replaced_by,
    }
}

/// The requested scopes, each known and each one the creator's role has.
fn checked_scopes(requested: &[String], role: Role) -> Result<Vec<Scope>, ApiError> {
    let mut scopes = Vec::with_capacity(requested.len());
    for text in requested {
        let scope = Scope::parse(text.trim()).ok_or_else(|| {
            ApiError::field(
                "scopes",
                "unknown-scope",
                format!("`{text}` is no scope: use `resource:read` or `resource:write`, e.g. `leads:read`"),
            )
        })?;
        if !scope.granted_to(role) {
            return Err(ApiError::Forbidden(format!(
                "the {} role does not have `{scope}`, so its tokens cannot either",
                role.as_str()
            )));
        }
        scopes.push(scope);
    }
    scopes.sort();
    scopes.dedup();
    Ok(scopes)
}

/// Signs the token of a row for the user it acts as.
fn sign(keys: &TokenKeys, row: &entity::Model, user: &users::Model) -> Result<String, ApiError> {
    let role = Role::parse(&user.role)
        .ok_or_else(|| anyhow::anyhow!("user {} has an unknown role", user.id))?;
    let claims = Claims {
        sub: user.id,
        role,
        team: user.team_id,
        dealer: row.dealer_id,
        exp: row.expires_at.timestamp(),
        iat: row.created_at.timestamp(),
        jti: row.id,
        aud: AUDIENCE.to_owned(),
        iss: ISSUER.to_owned(),
        scope: Some(row.scopes.clone()),
    };
    Ok(keys.sign(&claims)?)
}

async fn user<C: ConnectionTrait>(db: &C, id: Uuid) -> Result<users::Model, ApiError> {
    users::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("user {id} of an API token is gone")))
}

/// Issues a token acting as the caller, limited to the requested scopes.
pub async fn create(
    db: &DatabaseConnection,
    keys: &TokenKeys,
    principal: &Principal,
    input: ApiTokenCreate,
) -> Result<ApiTokenIssued, ApiError> {
    let visibility = Visibility::of(principal)?;
    let name = required(&input.name, 100, "name")?;
    let scopes = checked_scopes(&input.scopes, principal.role)?;
    let dealer_id = visibility.dealer_for(input.dealer_id)?;
    let days = input
        .expires_in_days
        .unwrap_or(DEFAULT_TOKEN_DAYS)
        .clamp(1, MAX_TOKEN_DAYS);
    let at = now();
    let row = entity::ActiveModel {
        id: Set(new_id()),
        name: Set(name),
        scopes: Set(scope::format_list(&scopes)),
        created_by: Set(principal.user_id),
        dealer_id: Set(dealer_id),
        created_at: Set(at),
        expires_at: Set(at + Duration::days(i64::from(days))),
        last_used_at: Set(None),
        revoked_at: Set(None),
        revoked_by: Set(None),
        replaced_by: Set(None),
    }
    .insert(db)
    .await?;
    let creator = user(db, principal.user_id).await?;
    let token = sign(keys, &row, &creator)?;
    tracing::info!(api_token = %row.id, scopes = %row.scopes, "API token created");
    Ok(ApiTokenIssued {
        token,
        api_token: view(row),
    })
}

pub async fn list<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    revoked: Option<bool>,
    paging: Paging<Column>,
) -> Result<ListPage<ApiTokenView>, ApiError> {
    let mut cond = Visibility::of(principal)?.condition();
    match revoked {
        Some(true) => cond = cond.add(Column::RevokedAt.is_not_null()),
        Some(false) => cond = cond.add(Column::RevokedAt.is_null()),
        None => {}
    }
    paging::page(
        db,
        entity::Entity::find().filter(cond),
        &paging,
        Column::Id,
        |m| m.id,
        view,
    )
    .await
}

async fn find<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    id: Uuid,
) -> Result<entity::Model, ApiError> {
    let cond = Visibility::of(principal)?.condition();
    entity::Entity::find_by_id(id)
        .filter(cond)
        .one(db)
        .await?
        .ok_or(ApiError::NotFound("API token"))
}

pub async fn get<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    id: Uuid,
) -> Result<ApiTokenView, ApiError> {
    find(db, principal, id).await.map(view)
}

/// Revokes a token: its next request is refused. Revoking a revoked token changes nothing.
pub async fn revoke<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    id: Uuid,
) -> Result<ApiTokenView, ApiError> {
    let row = find(db, principal, id).await?;
    if row.revoked_at.is_some() {
        return Ok(view(row));
    }
    let mut active: entity::ActiveModel = row.into();
    active.revoked_at = Set(Some(now()));
    active.revoked_by = Set(Some(principal.user_id));
    let row = active.update(db).await?;
    tracing::info!(api_token = %row.id, "API token revoked");
    Ok(view(row))
}

/// Replaces a live token with a new one of the same name, scopes, dealer and lifetime, acting
/// as the same user, and revokes the old one, in one transaction.
pub async fn rotate(
    db: &DatabaseConnection,
    keys: &TokenKeys,
    principal: &Principal,
    id: Uuid,
) -> Result<ApiTokenIssued, ApiError> {
    let txn = db.begin().await?;
    let old = find(&txn, principal, id).await?;
    if old.revoked_at.is_some() {
        return Err(ApiError::conflict(
            "token-revoked",
            "a revoked token cannot be rotated: create a new one",
        ));
    }
    let creator = user(&txn, old.created_by).await?;
    if !creator.active || creator.dealer_id != old.dealer_id {
        return Err(ApiError::conflict(
            "creator-inactive",
            "the user this token acts as is deactivated or has left its dealer: create a new token",
        ));
    }
    let at = now();
    let lifetime = old.expires_at - old.created_at;
    let new = entity::ActiveModel {
        id: Set(new_id()),
        name: Set(old.name.clone()),
        scopes: Set(old.scopes.clone()),
        created_by: Set(old.created_by),
        dealer_id: Set(old.dealer_id),
        created_at: Set(at),
        expires_at: Set(at + lifetime),
        last_used_at: Set(None),
        revoked_at: Set(None),
        revoked_by: Set(None),
        replaced_by: Set(None),
    }
    .insert(&txn)
    .await?;
    // Only a still-live row is revoked: of two rotations at once, one wins.
    let revoked = entity::Entity::update_many()
        .col_expr(Column::RevokedAt, Expr::value(at))
        .col_expr(Column::RevokedBy, Expr::value(principal.user_id))
        .col_expr(Column::ReplacedBy, Expr::value(new.id))
        .filter(Column::Id.eq(old.id))
        .filter(Column::RevokedAt.is_null())
        .exec(&txn)
        .await?;
    if revoked.rows_affected != 1 {
        return Err(crate::store::retry::lost_race());
    }
    let token = sign(keys, &new, &creator)?;
    txn.commit().await?;
    tracing::info!(api_token = %old.id, replaced_by = %new.id, "API token rotated");
    Ok(ApiTokenIssued {
        token,
        api_token: view(new),
    })
}

/// A token that may act: its row and the user it acts as.
pub struct Authorized {
    pub token: entity::Model,
    pub user: users::Model,
}

/// Checks the row of a token presented with a valid signature: it exists, is not revoked or
/// expired, and its user is still active. Marks it used (at most once a minute).
pub async fn authorize<C: ConnectionTrait>(
    db: &C,
    jti: Uuid,
    at: DateTime<Utc>,
) -> Result<Authorized, ApiError> {
    let token = entity::Entity::find_by_id(jti)
        .one(db)
        .await?
        .ok_or(ApiError::Unauthorized("the API token is unknown"))?;
    if token.revoked_at.is_some() {
        return Err(ApiError::Unauthorized("the API token has been revoked"));
    }
    if token.expires_at <= at {
        return Err(ApiError::Unauthorized("the API token has expired"));
    }
    let user = users::Entity::find_by_id(token.created_by)
        .one(db)
        .await?
        .filter(|u| u.active)
        .ok_or(ApiError::Unauthorized(
            "the user the API token acts as is deactivated",
        ))?;
    // A dealer admin's token acts for that dealer only while its user still works for it.
    if user.dealer_id != token.dealer_id {
        return Err(ApiError::Unauthorized(
            "the user the API token acts as no longer works for its dealer",
        ));
    }
    // As with sign-in: a suspended dealer's tokens stop at once.
    if let Some(dealer) = token.dealer_id {
        let active = dealers::Entity::find_by_id(dealer)
            .one(db)
            .await?
            .is_some_and(|d| d.status == DealerStatus::Active.as_str());
        if !active {
            return Err(ApiError::Unauthorized(
                "the dealer the API token acts for is suspended",
            ));
        }
    }
    let stale = at - Duration::seconds(LAST_USED_GRANULARITY_SECS);
    if token.last_used_at.is_none_or(|used| used < stale) {
        entity::Entity::update_many()
            .col_expr(Column::LastUsedAt, Expr::value(at))
            .filter(Column::Id.eq(jti))
            .filter(
                Condition::any()
                    .add(Column::LastUsedAt.is_null())
                    .add(Column::LastUsedAt.lt(stale)),
            )
            .exec(db)
            .await?;
    }
    Ok(Authorized { token, user })
}
