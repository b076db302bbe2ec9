//! The one place that turns a caller and their reach into a row filter.
//!
//! Reach `All` filters nothing; `Own` keeps rows the caller owns; `Team` keeps rows owned by
//! anyone in the caller's team or in any team below it (`team_closure`); `Dealer` keeps rows
//! that carry the caller's dealer, whoever owns them, and nothing else — shares never widen
//! it, so a dealer's staff cannot be shown another dealer's customer. Records without an
//! owner of their own (contacts) are scoped through the record they belong to (their account).

use sea_orm::sea_query::{Expr, ExprTrait, Query, SelectStatement};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use kedao_api_types::shares::ShareAccess;
use kedao_domain::access::{self, Action, Ownership, Reach, Resource};

use crate::auth::Principal;
use crate::error::ApiError;
use crate::store::entities::{account_shares, accounts, team_closure, users};

/// Rows (owned in `owner_col`, of the dealer in `dealer_col`) that `reach` lets the caller
/// see or change.
pub fn owner_filter<C: ColumnTrait, D: ColumnTrait>(
    principal: &Principal,
    reach: Reach,
    owner_col: C,
    dealer_col: D,
) -> Condition {
    match (reach, principal.team_id) {
        (Reach::All, _) => Condition::all(),
        (Reach::Dealer, _) => Condition::all().add(of_callers_dealer(principal, dealer_col)),
        // Always an `all` on the outside: callers add their filters to it, and those must be
        // ANDed with the scope, never ORed into it.
        (Reach::Team, Some(team)) => Condition::all().add(
            Condition::any()
                .add(owner_col.eq(principal.user_id))
                .add(owner_col.in_subquery(team_members(team))),
        ),
        (Reach::Team, None) | (Reach::Own, _) => {
            Condition::all().add(owner_col.eq(principal.user_id))
        }
        (Reach::None, _) => Condition::all().add(Expr::val(1).eq(0)),
    }
}

/// Rows of the caller's dealer; none at all for a caller without one.
fn of_callers_dealer<D: ColumnTrait>(principal: &Principal, dealer_col: D) -> Condition {
    match principal.dealer_id {
        Some(dealer) => Condition::all().add(dealer_col.eq(dealer)),
        None => Condition::all().add(Expr::val(1).eq(0)),
    }
}

/// Ids of the users in a team or any team below it.
pub fn team_members(team: Uuid) -> SelectStatement {
    Query::select()
        .column(users::Column::Id)
        .from(users::Entity)
        .and_where(users::Column::TeamId.in_subquery(teams_under(team)))
        .to_owned()
}

/// A team and every team below it.
fn teams_under(team: Uuid) -> SelectStatement {
    Query::select()
        .column(team_closure::Column::DescendantId)
        .from(team_closure::Entity)
        .and_where(team_closure::Column::AncestorId.eq(team))
        .to_owned()
}

/// A user's team and every team above it (empty for a user without a team or no such user).
pub async fn teams_above_user<C: ConnectionTrait>(
    db: &C,
    user: Uuid,
) -> Result<Vec<Uuid>, ApiError> {
    let Some(team) = users::Entity::find_by_id(user)
        .one(db)
        .await?
        .and_then(|u| u.team_id)
    else {
        return Ok(Vec::new());
    };
    Ok(team_closure::Entity::find()
        .filter(team_closure::Column::DescendantId.eq(team))
        .all(db)
        .await?
        .into_iter()
        .map(|row| row.ancestor_id)
        .collect())
}

/// Whether `owner` is in the caller's team or a team below it (a manager's people).
pub async fn manages<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    owner: Uuid,
) -> Result<bool, ApiError> {
    Ok(match principal.team_id {
        Some(team) => teams_above_user(db, owner).await?.contains(&team),
        None => false,
    })
}

/// Ids of the accounts the caller may see with `reach` on accounts (shared ones included).
pub fn visible_accounts(principal: &Principal, reach: Reach) -> SelectStatement {
    Query::select()
        .column(accounts::Column::Id)
        .from(accounts::Entity)
        .cond_where(owned_or_shared(
            principal,
            reach,
            accounts::Column::OwnerId,
            accounts::Column::Id,
            accounts::Column::DealerId,
        ))
        .to_owned()
}

/// Ids of the accounts shared with the caller (with them, or with their team or a team
/// above it) and not revoked; only read-write shares when `write`.
pub fn shared_accounts(principal: &Principal, write: bool) -> SelectStatement {
    let mut with_caller =
        Condition::any().add(account_shares::Column::UserId.eq(principal.user_id));
    if let Some(team) = principal.team_id {
        with_caller = with_caller.add(
            account_shares::Column::TeamId.in_subquery(
                Query::select()
                    .column(team_closure::Column::AncestorId)
                    .from(team_closure::Entity)
                    .and_where(team_closure::Column::DescendantId.eq(team))
                    .to_owned(),
            ),
        );
    }
    let mut select = Query::select();
    select
        .column(account_shares::Column::AccountId)
        .from(account_shares::Entity)
        .and_where(account_shares::Column::RevokedAt.is_null())
        .cond_where(with_caller);
    if write {
        select.and_where(account_shares::Column::Access.eq(ShareAccess::ReadWrite.as_str()));
    }
    select.to_owned()
}

/// Rows the caller reaches by owner (or dealer), or whose account is shared with them. A
/// share widens a staff reach the role has; it gives nothing to a role with none on the
/// resource, nor to a dealer's staff.
pub fn owned_or_shared<O: ColumnTrait, A: ColumnTrait, D: ColumnTrait>(
    principal: &Principal,
    reach: Reach,
    owner_col: O,
    account_col: A,
    dealer_col: D,
) -> Condition {
    match reach {
        Reach::All | Reach::None | Reach::Dealer => {
            owner_filter(principal, reach, owner_col, dealer_col)
        }
        // Wrapped in an `all`, so that filters a caller adds to it are ANDed, not ORed.
        Reach::Own | Reach::Team => Condition::all().add(
            Condition::any()
                .add(owner_filter(principal, reach, owner_col, dealer_col))
                .add(account_col.in_subquery(shared_accounts(principal, false))),
        ),
    }
}

/// `check_writable`, or else a read-write share of the record's account (for a role that
/// may change such records at all).
pub async fn check_writable_on<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    resource: Resource,
    record: Held,
    account_id: Uuid,
) -> Result<(), ApiError> {
    match check_writable(db, principal, resource, record).await {
        Ok(()) => Ok(()),
        // Shares are for the company's staff; a dealer's reach is its dealer's records.
        Err(ApiError::Forbidden(why)) if principal.dealer_id.is_none() => {
            let shared = account_shares::Entity::find()
                .filter(account_shares::Column::AccountId.eq(account_id))
                .filter(
                    account_shares::Column::AccountId.in_subquery(shared_accounts(principal, true)),
                )
                .one(db)
                .await?;
            if shared.is_some() {
                Ok(())
            } else {
                Err(ApiError::Forbidden(why))
            }
        }
        Err(e) => Err(e),
    }
}

/// Rows whose `account_col` points at an account the caller may see.
pub fn account_filter<C: ColumnTrait>(
    principal: &Principal,
    reach: Reach,
    account_col: C,
) -> Condition {
    match reach {
        Reach::All => Condition::all(),
        _ => Condition::all().add(account_col.in_subquery(visible_accounts(principal, reach))),
    }
}

/// Checks that `owner` may own a record the caller writes: the user exists and is active, and
/// the caller's write reach covers them (a rep cannot hand a lead to someone else's team).
pub async fn check_assignable<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    resource: Resource,
    owner: Uuid,
    field: &str,
) -> Result<(), ApiError> {
    let reach = principal.reach(resource, Action::Write)?;
    let user = users::Entity::find_by_id(owner)
        .one(db)
        .await?
        .filter(|u| u.active)
        .ok_or_else(|| ApiError::field(field, "unknown-user", "no active user has this id"))?;
    let record = Ownership {
        owner: user.id,
        owner_teams: teams_above_user(db, user.id).await?,
        dealer: user.dealer_id,
    };
    if access::allows(&principal.caller(), reach, &record) {
        Ok(())
    } else {
        Err(ApiError::Forbidden(format!(
            "you may not assign {} to that user",
            resource.as_str()
        )))
    }
}

/// Who holds a record: its owner and its dealer, the two things write reach looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Held {
    pub owner: Uuid,
    pub dealer: Option<Uuid>,
}

impl Held {
    pub fn new(owner: Uuid, dealer: Option<Uuid>) -> Self {
        Held { owner, dealer }
    }
}

/// The dealer a new record gets: a dealer's staff always create for their own dealer (a
/// dealer named in the body must be theirs); the company's staff may name any active dealer.
pub async fn dealer_for_new<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    named: Option<Uuid>,
) -> Result<Option<Uuid>, ApiError> {
    match (principal.dealer_id, named) {
        (Some(own), Some(other)) if own != other => Err(ApiError::field(
            "dealer_id",
            "other-dealer",
            "a dealer's staff create records for their own dealer only",
        )),
        (Some(own), _) => Ok(Some(own)),
        (None, Some(dealer)) => {
            crate::store::dealers::check_assignable(db, dealer).await?;
            Ok(Some(dealer))
        }
        (None, None) => Ok(None),
    }
}

/// The dealer a record is moved to (`None`: back to the company). Handing customers and leads
/// to dealers is the company's decision: a dealer's staff cannot move a record to another
/// dealer or take it from their own.
pub async fn dealer_change<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    dealer: Option<Uuid>,
) -> Result<Option<Uuid>, ApiError> {
    if principal.dealer_id.is_some() {
        return Err(ApiError::field(
            "dealer_id",
            "not-yours-to-move",
            "only the company's staff move records between dealers",
        ));
    }
    match dealer {
        Some(d) => dealer_for_new(db, principal, Some(d)).await,
        None => Ok(None),
    }
}

/// Checks that the caller may change a record they can already see (reads may reach further
/// than writes: finance reads accounts but changes none).
pub async fn check_writable<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    resource: Resource,
    held: Held,
) -> Result<(), ApiError> {
    let reach = principal.reach(resource, Action::Write)?;
    if reach == Reach::All || (reach != Reach::Dealer && held.owner == principal.user_id) {
        return Ok(());
    }
    let record = Ownership {
        owner: held.owner,
        owner_teams: match reach {
            Reach::Team => teams_above_user(db, held.owner).await?,
            _ => Vec::new(),
        },
        dealer: held.dealer,
    };
    if access::allows(&principal.caller(), reach, &record) {
        Ok(())
    } else {
        Err(ApiError::Forbidden(format!(
            "you may not change these {}",
            resource.as_str()
        )))
    }
}
