//! Dealers (经销商): the channel partners that sell for the company. Staff read the list (to
//! pick one for an account); only admins change it. Dealer users and dealer-scoped access
//! build on this.

use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, DbErr,
    EntityTrait, PaginatorTrait, QueryFilter, Set, SqlErr, TransactionTrait,
};
use uuid::Uuid;

use kedao_api_types::ListPage;
use kedao_api_types::dealers::{DealerCreate, DealerStatus, DealerUpdate, DealerView};
use kedao_domain::access::{Action, Resource};

use crate::auth::Principal;
use crate::error::ApiError;
use crate::store::entities::dealers::{self as entity, Column};
use crate::store::fields::{line, note, required, save_versioned};
use crate::store::paging::{self, Paging, SortField, SortKind};
use crate::store::{history, new_id, now, scope, search};

/// Filters of the dealer list.
#[derive(Debug, Default, Clone)]
pub struct DealerFilter {
    pub status: Option<DealerStatus>,
    pub region: Option<String>,
    pub q: Option<String>,
}

pub const SORT_FIELDS: [SortField<Column>; 3] = [
    SortField {
        name: "code",
        column: Column::Code,
        kind: SortKind::Text,
    },
    SortField {
        name: "name",
        column: Column::Name,
        kind: SortKind::Text,
    },
    SortField {
        name: "created_at",
        column: Column::CreatedAt,
        kind: SortKind::Time,
    },
];

pub fn view(m: entity::Model) -> DealerView {
    DealerView {
        id: m.id,
        code: m.code,
        name: m.name,
        region: m.region,
        status: DealerStatus::parse(&m.status).unwrap_or(DealerStatus::Suspended),
        notes: m.notes,
        created_at: m.created_at,
        updated_at: m.updated_at,
        version: m.version,
    }
}

pub async fn list<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    filter: DealerFilter,
    paging: Paging<Column>,
) -> Result<ListPage<DealerView>, ApiError> {
    let mut cond = visible(principal)?;
    if let Some(s) = filter.status {
        cond = cond.add(Column::Status.eq(s.as_str()));
    }
    if let Some(r) = filter.region {
        cond = cond.add(Column::Region.eq(r));
    }
    if let Some(q) = search::text_filter(filter.q.as_deref(), &[Column::Code, Column::Name])? {
        cond = cond.add(q);
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

/// Dealers the caller may see: the whole list for the company's staff, their own dealer for a
/// dealer's staff.
fn visible(principal: &Principal) -> Result<Condition, ApiError> {
    let reach = principal.reach(Resource::Dealers, Action::Read)?;
    // A dealer is its own dealer; no role reaches dealers by owner.
    Ok(scope::owner_filter(
        principal,
        reach,
        Column::Id,
        Column::Id,
    ))
}

pub async fn find<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    id: Uuid,
) -> Result<entity::Model, ApiError> {
    entity::Entity::find_by_id(id)
        .filter(visible(principal)?)
        .one(db)
        .await?
        .ok_or(ApiError::NotFound("dealer"))
}

pub async fn get<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    id: Uuid,
) -> Result<DealerView, ApiError> {
    find(db, principal, id).await.map(view)
}

/// The dealer an account is given, named in a request body: it must exist and be active.
pub async fn check_assignable<C: ConnectionTrait>(db: &C, dealer_id: Uuid) -> Result<(), ApiError> {
    let dealer = entity::Entity::find_by_id(dealer_id)
        .one(db)
        .await?
        .ok_or_else(|| ApiError::field("dealer_id", "unknown-dealer", "no dealer has this id"))?;
    if dealer.status != DealerStatus::Active.as_str() {
        return Err(ApiError::field(
            "dealer_id",
            "dealer-suspended",
            "a suspended dealer takes no new accounts",
        ));
    }
    Ok(())
}

pub async fn create(
    db: &DatabaseConnection,
    principal: &Principal,
    input: DealerCreate,
) -> Result<DealerView, ApiError> {
    principal.reach(Resource::Dealers, Action::Write)?;
    let code = required(&input.code, 32, "code")?;
    let at = now();
    let model = entity::ActiveModel {
        id: Set(new_id()),
        code: Set(code.clone()),
        name: Set(required(&input.name, 200, "name")?),
        region: Set(line(input.region.as_deref(), 100, "region")?),
        status: Set(input
            .status
            .unwrap_or(DealerStatus::Active)
            .as_str()
            .to_owned()),
        notes: Set(note(input.notes.as_deref(), "notes")?),
        created_at: Set(at),
        updated_at: Set(at),
        version: Set(1),
    };
    let txn = db.begin().await?;
    ensure_code_free(&txn, &code, None).await?;
    // The unique index still decides a race between two creators of the same code.
    let saved = model.insert(&txn).await.map_err(code_taken)?;
    txn.commit().await?;
    Ok(view(saved))
}

pub async fn update(
    db: &DatabaseConnection,
    principal: &Principal,
    id: Uuid,
    expected_version: i32,
    input: DealerUpdate,
) -> Result<DealerView, ApiError> {
    principal.reach(Resource::Dealers, Action::Write)?;
    let txn = db.begin().await?;
    let current = find(&txn, principal, id).await?;
    if current.version != expected_version {
        return Err(ApiError::PreconditionFailed {
            current_version: current.version,
        });
    }
    let mut model: entity::ActiveModel = current.clone().into();
    if let Some(code) = input.code {
        let code = required(&code, 32, "code")?;
        ensure_code_free(&txn, &code, Some(id)).await?;
        model.code = Set(code);
    }
    if let Some(name) = input.name {
        model.name = Set(required(&name, 200, "name")?);
    }
    if let Some(region) = input.region {
        model.region = Set(line(region.as_deref(), 100, "region")?);
    }
    if let Some(status) = input.status {
        model.status = Set(status.as_str().to_owned());
    }
    if let Some(notes) = input.notes {
        model.notes = Set(note(notes.as_deref(), "notes")?);
    }
    let at = now();
    model.version = Set(current.version + 1);
    model.updated_at = Set(at);
    save_versioned(
        &txn,
        model,
        Column::Id,
        Column::Version,
        id,
        current.version,
    )
    .await?;
    let after = view(find(&txn, principal, id).await?);
    history::track(
        &txn,
        principal,
        Resource::Dealers,
        id,
        &view(current),
        &after,
        at,
    )
    .await?;
    txn.commit().await?;
    Ok(after)
}

async fn ensure_code_free<C: ConnectionTrait>(
    db: &C,
    code: &str,
    except: Option<Uuid>,
) -> Result<(), ApiError> {
    let mut select = entity::Entity::find().filter(Column::Code.eq(code));
    if let Some(id) = except {
        select = select.filter(Column::Id.ne(id));
    }
    if select.count(db).await? > 0 {
        return Err(ApiError::conflict("code-taken", "a dealer has this code"));
    }
    Ok(())
}

fn code_taken(e: DbErr) -> ApiError {
    if matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) {
        ApiError::conflict("code-taken", "a dealer has this code")
    } else {
        e.into()
    }
}
