//! Staff users and teams.

use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, Set, TransactionTrait,
};
use uuid::Uuid;

use kedao_api_types::ListPage;
use kedao_api_types::users::{
    TeamCreate, TeamView, UserCreate, UserListQuery, UserUpdate, UserView,
};
use kedao_domain::access::{Action, Reach, Resource, Role};
use kedao_domain::text;

use crate::auth::{Principal, password};
use crate::error::{ApiError, rule};
use crate::store::entities::{team_closure, teams, users};
use crate::store::paging::{self, Paging, SortField, SortKind};
use crate::store::{new_id, now, scope, search};

pub fn view(u: users::Model) -> UserView {
    UserView {
        id: u.id,
        email: u.email,
        display_name: u.display_name,
        role: Role::parse(&u.role).unwrap_or(Role::Sales),
        team_id: u.team_id,
        dealer_id: u.dealer_id,
        active: u.active,
        created_at: u.created_at,
        version: u.version,
    }
}

/// Creates a user without an access check: for `kedao create-admin`, the demo seed and the
/// admin-only endpoint (which checks first).
pub async fn insert<C: ConnectionTrait>(
    db: &C,
    input: UserCreate,
) -> Result<users::Model, ApiError> {
    let email = text::email(&input.email).map_err(|e| rule("email", "invalid", e))?;
    let display_name = text::required_line(&input.display_name, 100)
        .map_err(|e| rule("display_name", "invalid", e))?;
    if input.password.chars().count() < 12 {
        return Err(ApiError::field(
            "password",
            "too-short",
            "passwords have at least 12 characters",
        ));
    }
    if let Some(team) = input.team_id {
        teams::Entity::find_by_id(team)
            .one(db)
            .await?
            .ok_or_else(|| ApiError::field("team_id", "unknown-team", "no team has this id"))?;
    }
    check_dealer_membership(db, input.role, input.dealer_id, input.team_id).await?;
    if users::Entity::find()
        .filter(users::Column::Email.eq(&email))
        .count(db)
        .await?
        > 0
    {
        return Err(ApiError::conflict(
            "email-taken",
            "a user with this e-mail address exists",
        ));
    }
    let hash = password::hash(input.password).await?;
    let at = now();
    let model = users::ActiveModel {
        id: Set(new_id()),
        email: Set(email),
        display_name: Set(display_name),
        password_hash: Set(hash),
        role: Set(input.role.as_str().to_owned()),
        team_id: Set(input.team_id),
        dealer_id: Set(input.dealer_id),
        active: Set(true),
        created_at: Set(at),
        updated_at: Set(at),
        version: Set(1),
    };
    Ok(model.insert(db).await?)
}

pub async fn create<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    input: UserCreate,
) -> Result<UserView, ApiError> {
    require_admin(principal, Resource::Users)?;
    insert(db, input).await.map(view)
}

pub const USER_SORT: [SortField<users::Column>; 3] = [
    SortField {
        name: "display_name",
        column: users::Column::DisplayName,
        kind: SortKind::Text,
    },
    SortField {
        name: "email",
        column: users::Column::Email,
        kind: SortKind::Text,
    },
    SortField {
        name: "created_at",
        column: users::Column::CreatedAt,
        kind: SortKind::Time,
    },
];

pub const TEAM_SORT: [SortField<teams::Column>; 2] = [
    SortField {
        name: "name",
        column: teams::Column::Name,
        kind: SortKind::Text,
    },
    SortField {
        name: "created_at",
        column: teams::Column::CreatedAt,
        kind: SortKind::Time,
    },
];

/// Staff users, for choosing owners and for administration; everyone on staff may read them.
pub async fn list<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    filter: UserListQuery,
    paging: Paging<users::Column>,
) -> Result<ListPage<UserView>, ApiError> {
    let mut cond = dealer_staff_filter(principal)?;
    if let Some(role) = filter.role {
        cond = cond.add(users::Column::Role.eq(role.as_str()));
    }
    if let Some(team) = filter.team_id {
        cond = cond.add(users::Column::TeamId.eq(team));
    }
    if let Some(dealer) = filter.dealer_id {
        cond = cond.add(users::Column::DealerId.eq(dealer));
    }
    if let Some(active) = filter.active {
        cond = cond.add(users::Column::Active.eq(active));
    }
    let text = [users::Column::DisplayName, users::Column::Email];
    if let Some(q) = search::text_filter(filter.q.as_deref(), &text)? {
        cond = cond.add(q);
    }
    let select = users::Entity::find().filter(cond);
    paging::page(db, select, &paging, users::Column::Id, |m| m.id, view).await
}

pub async fn get<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    id: Uuid,
) -> Result<UserView, ApiError> {
    users::Entity::find_by_id(id)
        .filter(dealer_staff_filter(principal)?)
        .one(db)
        .await?
        .map(view)
        .ok_or(ApiError::NotFound("user"))
}

pub async fn update<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    id: Uuid,
    expected_version: i32,
    input: UserUpdate,
) -> Result<UserView, ApiError> {
    require_admin(principal, Resource::Users)?;
    let current = users::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(ApiError::NotFound("user"))?;
    if current.version != expected_version {
        return Err(ApiError::PreconditionFailed {
            current_version: current.version,
        });
    }
    if id == principal.user_id
        && (input.active == Some(false) || input.role.is_some_and(|r| r != Role::Admin))
    {
        return Err(ApiError::conflict(
            "self-lockout",
            "you may not deactivate or demote yourself",
        ));
    }
    let mut model: users::ActiveModel = current.clone().into();
    if let Some(name) = input.display_name {
        model.display_name =
            Set(text::required_line(&name, 100).map_err(|e| rule("display_name", "invalid", e))?);
    }
    if let Some(role) = input.role {
        model.role = Set(role.as_str().to_owned());
    }
    if let Some(team) = input.team_id {
        if let Some(t) = team {
            teams::Entity::find_by_id(t)
                .one(db)
                .await?
                .ok_or_else(|| ApiError::field("team_id", "unknown-team", "no team has this id"))?;
        }
        model.team_id = Set(team);
    }
    if let Some(dealer) = input.dealer_id {
        model.dealer_id = Set(dealer);
    }
    let role = input
        .role
        .or_else(|| Role::parse(&current.role))
        .unwrap_or(Role::Sales);
    let dealer = input.dealer_id.unwrap_or(current.dealer_id);
    let team = input.team_id.unwrap_or(current.team_id);
    check_dealer_membership(db, role, dealer, team).await?;
    if let Some(active) = input.active {
        model.active = Set(active);
    }
    model.version = Set(current.version + 1);
    model.updated_at = Set(now());
    let result = users::Entity::update_many()
        .set(model)
        .filter(users::Column::Id.eq(id))
        .filter(users::Column::Version.eq(current.version))
        .exec(db)
        .await?;
    if result.rows_affected == 0 {
        return Err(ApiError::PreconditionFailed {
            current_version: current.version + 1,
        });
    }
    get(db, principal, id).await
}

pub async fn create_team(
    db: &DatabaseConnection,
    principal: &Principal,
    input: TeamCreate,
) -> Result<TeamView, ApiError> {
    require_admin(principal, Resource::Teams)?;
    let txn = db.begin().await?;
    let team = insert_team(&txn, input).await?;
    txn.commit().await?;
    Ok(team)
}

/// Creates a team without an access check (for the demo seed and the admin endpoint).
pub async fn insert_team<C: ConnectionTrait>(
    db: &C,
    input: TeamCreate,
) -> Result<TeamView, ApiError> {
    let name = text::required_line(&input.name, 100).map_err(|e| rule("name", "invalid", e))?;
    if teams::Entity::find()
        .filter(teams::Column::Name.eq(&name))
        .count(db)
        .await?
        > 0
    {
        return Err(ApiError::conflict(
            "name-taken",
            "a team with this name exists",
        ));
    }
    if let Some(parent) = input.parent_id {
        teams::Entity::find_by_id(parent)
            .one(db)
            .await?
            .ok_or_else(|| ApiError::field("parent_id", "unknown-team", "no team has this id"))?;
    }
    let model = teams::ActiveModel {
        id: Set(new_id()),
        name: Set(name),
        parent_id: Set(input.parent_id),
        created_at: Set(now()),
    }
    .insert(db)
    .await?;
    // The closure: the team is its own ancestor, then its parent's ancestors one level up.
    let mut rows = vec![team_closure::ActiveModel {
        ancestor_id: Set(model.id),
        descendant_id: Set(model.id),
        depth: Set(0),
    }];
    if let Some(parent) = model.parent_id {
        for above in team_closure::Entity::find()
            .filter(team_closure::Column::DescendantId.eq(parent))
            .all(db)
            .await?
        {
            rows.push(team_closure::ActiveModel {
                ancestor_id: Set(above.ancestor_id),
                descendant_id: Set(model.id),
                depth: Set(above.depth + 1),
            });
        }
    }
    team_closure::Entity::insert_many(rows).exec(db).await?;
    Ok(team_view(model))
}

pub async fn list_teams<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    paging: Paging<teams::Column>,
) -> Result<ListPage<TeamView>, ApiError> {
    principal.reach(Resource::Teams, Action::Read)?;
    paging::page(
        db,
        teams::Entity::find(),
        &paging,
        teams::Column::Id,
        |m| m.id,
        team_view,
    )
    .await
}

fn team_view(t: teams::Model) -> TeamView {
    TeamView {
        id: t.id,
        name: t.name,
        parent_id: t.parent_id,
        created_at: t.created_at,
    }
}

/// Users a caller may see: all of them for the company's staff; a dealer's staff see the
/// people of their own dealer only — the one scoping function, with a user as its own owner.
fn dealer_staff_filter(principal: &Principal) -> Result<Condition, ApiError> {
    let reach = principal.reach(Resource::Users, Action::Read)?;
    Ok(scope::owner_filter(
        principal,
        reach,
        users::Column::Id,
        users::Column::DealerId,
    ))
}

/// A dealer's staff work for exactly one existing dealer and belong to no team of the
/// company's; the company's staff work for no dealer.
async fn check_dealer_membership<C: ConnectionTrait>(
    db: &C,
    role: Role,
    dealer: Option<Uuid>,
    team: Option<Uuid>,
) -> Result<(), ApiError> {
    match (role.is_dealer(), dealer) {
        (true, Some(dealer)) => {
            crate::store::dealers::check_assignable(db, dealer).await?;
            if team.is_some() {
                return Err(ApiError::field(
                    "team_id",
                    "dealer-staff",
                    "a dealer's staff belong to no team of the company",
                ));
            }
            Ok(())
        }
        (true, None) => Err(ApiError::field(
            "dealer_id",
            "required",
            "the dealer roles need the dealer the user works for",
        )),
        (false, Some(_)) => Err(ApiError::field(
            "dealer_id",
            "staff-role",
            "only the dealer roles work for a dealer",
        )),
        (false, None) => Ok(()),
    }
}

fn require_admin(principal: &Principal, resource: Resource) -> Result<(), ApiError> {
    match principal.reach(resource, Action::Write)? {
        Reach::All => Ok(()),
        _ => Err(ApiError::Forbidden(format!(
            "only admins manage {}",
            resource.as_str()
        ))),
    }
}
