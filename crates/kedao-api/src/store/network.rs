//! The relationship network (网状管理): typed links between accounts, and the network around
//! an account drawn breadth-first.

use std::collections::{BTreeMap, HashMap};

use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, Set, SqlErr,
};
use uuid::Uuid;

use kedao_api_types::accounts::{
    CustomerType, LinkCreate, LinkKind, LinkView, Network, NetworkNode,
};
use kedao_domain::access::{Action, Resource};

use crate::auth::Principal;
use crate::error::ApiError;
use crate::store::entities::account_links::{self as entity, Column};
use crate::store::entities::accounts;
use crate::store::fields::line;
use crate::store::{accounts as account_store, new_id, now, scope};

/// Default and largest number of hops of a network.
pub const DEFAULT_DEPTH: u32 = 2;
pub const MAX_DEPTH: u32 = 5;
/// A network stops growing at this many accounts, so a hub cannot make one request read the
/// whole table.
pub const MAX_NODES: usize = 500;

pub fn view(m: entity::Model) -> LinkView {
    LinkView {
        id: m.id,
        from_account_id: m.from_account_id,
        to_account_id: m.to_account_id,
        kind: LinkKind::parse(&m.kind).unwrap_or(LinkKind::Peer),
        note: m.note,
        created_at: m.created_at,
    }
}

/// Links with either end at `account_id`.
fn touching(account_id: Uuid) -> Condition {
    Condition::any()
        .add(Column::FromAccountId.eq(account_id))
        .add(Column::ToAccountId.eq(account_id))
}

/// Links the caller may see around an account (both directions), oldest first.
pub async fn list<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    account_id: Uuid,
) -> Result<Vec<LinkView>, ApiError> {
    let account = account_store::find(db, principal, account_id).await?;
    let rows = entity::Entity::find()
        .filter(touching(account.id))
        .order_by_asc(Column::CreatedAt)
        .order_by_asc(Column::Id)
        .all(db)
        .await?;
    Ok(rows.into_iter().map(view).collect())
}

/// Links `from_id` to another account; the caller must see both and may change the first.
pub async fn create<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    from_id: Uuid,
    input: LinkCreate,
) -> Result<LinkView, ApiError> {
    let from = account_store::find(db, principal, from_id).await?;
    scope::check_writable_on(
        db,
        principal,
        Resource::Accounts,
        scope::Held::new(from.owner_id, from.dealer_id),
        from.id,
    )
    .await?;
    if input.to_account_id == from.id {
        return Err(ApiError::field(
            "to_account_id",
            "self-link",
            "an account cannot be linked to itself",
        ));
    }
    let note = line(input.note.as_deref(), 200, "note")?;
    let to = match account_store::find(db, principal, input.to_account_id).await {
        Ok(to) => to,
        Err(ApiError::NotFound(_)) => {
            return Err(ApiError::field(
                "to_account_id",
                "unknown-account",
                "no account you can see has this id",
            ));
        }
        Err(e) => return Err(e),
    };
    let model = entity::ActiveModel {
        id: Set(new_id()),
        from_account_id: Set(from.id),
        to_account_id: Set(to.id),
        kind: Set(input.kind.as_str().to_owned()),
        note: Set(note),
        created_by: Set(principal.user_id),
        created_at: Set(now()),
    };
    // The unique index decides duplicates, so two racing requests cannot both add one.
    match model.insert(db).await {
        Ok(saved) => Ok(view(saved)),
        Err(e) if matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => Err(
            ApiError::conflict("link-exists", "these accounts are already linked this way"),
        ),
        Err(e) => Err(e.into()),
    }
}

/// Removes a link touching `account_id`; the caller needs the right to change its source,
/// as they would to create it.
pub async fn delete<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    account_id: Uuid,
    link_id: Uuid,
) -> Result<(), ApiError> {
    let account = account_store::find(db, principal, account_id).await?;
    let link = entity::Entity::find_by_id(link_id)
        .filter(touching(account.id))
        .one(db)
        .await?
        .ok_or(ApiError::NotFound("link"))?;
    let source = account_store::find(db, principal, link.from_account_id)
        .await
        .map_err(|_| ApiError::NotFound("link"))?;
    scope::check_writable_on(
        db,
        principal,
        Resource::Accounts,
        scope::Held::new(source.owner_id, source.dealer_id),
        source.id,
    )
    .await?;
    entity::Entity::delete_by_id(link.id).exec(db).await?;
    Ok(())
}

/// The network around `root` up to `depth` hops, following links in both directions.
///
/// One query per hop (links touching any account of the current ring), not one per account.
/// Accounts the caller may not see are kept as nodes without name or type: the shape of the
/// network is true, and nothing about those accounts leaks but their id.
pub async fn network<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    root: Uuid,
    depth: Option<u32>,
) -> Result<Network, ApiError> {
    let depth = depth.unwrap_or(DEFAULT_DEPTH);
    if !(1..=MAX_DEPTH).contains(&depth) {
        return Err(ApiError::field(
            "depth",
            "out-of-range",
            format!("depth must be from 1 to {MAX_DEPTH}"),
        ));
    }
    let root = account_store::find(db, principal, root).await?;
    let mut hops: HashMap<Uuid, u32> = HashMap::from([(root.id, 0)]);
    let mut edges: BTreeMap<Uuid, entity::Model> = BTreeMap::new();
    let mut ring = vec![root.id];
    for hop in 1..=depth {
        let links = entity::Entity::find()
            .filter(
                Condition::any()
                    .add(Column::FromAccountId.is_in(ring.clone()))
                    .add(Column::ToAccountId.is_in(ring.clone())),
            )
            .all(db)
            .await?;
        let mut next = Vec::new();
        for link in links {
            for end in [link.from_account_id, link.to_account_id] {
                if hops.len() < MAX_NODES && !hops.contains_key(&end) {
                    hops.insert(end, hop);
                    next.push(end);
                }
            }
            edges.insert(link.id, link);
        }
        if next.is_empty() {
            ring.clear();
            break;
        }
        ring = next;
    }
    // Links between two accounts of the outermost ring were not touched by any query above.
    if ring.len() > 1 {
        let links = entity::Entity::find()
            .filter(Column::FromAccountId.is_in(ring.clone()))
            .filter(Column::ToAccountId.is_in(ring))
            .all(db)
            .await?;
        edges.extend(links.into_iter().map(|l| (l.id, l)));
    }

    let reach = principal.reach(Resource::Accounts, Action::Read)?;
    let visible: HashMap<Uuid, accounts::Model> = accounts::Entity::find()
        .filter(accounts::Column::Id.is_in(hops.keys().copied()))
        .filter(scope::owned_or_shared(
            principal,
            reach,
            accounts::Column::OwnerId,
            accounts::Column::Id,
            accounts::Column::DealerId,
        ))
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.id, a))
        .collect();
    let mut nodes: Vec<NetworkNode> = hops
        .iter()
        .map(|(id, hop)| {
            let account = visible.get(id);
            NetworkNode {
                id: *id,
                name: account.map(|a| a.name.clone()),
                customer_type: account.and_then(|a| CustomerType::parse(&a.customer_type)),
                depth: *hop,
            }
        })
        .collect();
    nodes.sort_by_key(|n| (n.depth, n.id));
    // A capped network drops links to the accounts it left out.
    let edges = edges
        .into_values()
        .filter(|l| hops.contains_key(&l.from_account_id) && hops.contains_key(&l.to_account_id))
        .map(view)
        .collect();
    Ok(Network {
        root: root.id,
        nodes,
        edges,
    })
}
