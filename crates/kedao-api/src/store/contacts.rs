//! Contacts: the people at an account. A contact has no owner of its own: who may see or
//! change it follows from its account.

use chrono::NaiveDate;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, Set, TransactionTrait,
};
use uuid::Uuid;

use kedao_api_types::ListPage;
use kedao_api_types::contacts::{ContactCreate, ContactUpdate, ContactView};
use kedao_domain::access::{Action, Resource};

use crate::auth::Principal;
use crate::error::ApiError;
use crate::store::entities::contacts::{self as entity, Column};
use crate::store::entities::{accounts, leads};
use crate::store::fields::{email, line, note, required, save_versioned_model};
use crate::store::paging::{self, Paging, SortField, SortKind};
use crate::store::{masking, new_id, now, scope};

/// Filters of the contact list.
#[derive(Debug, Default, Clone)]
pub struct ContactFilter {
    pub account_id: Option<Uuid>,
    pub q: Option<String>,
}

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

pub fn view(m: entity::Model) -> ContactView {
    ContactView {
        id: m.id,
        account_id: m.account_id,
        name: m.name,
        title: m.title,
        phone: m.phone,
        mobile: m.mobile,
        email: m.email,
        birthday: m.birthday,
        is_primary: m.is_primary,
        notes: m.notes,
        created_at: m.created_at,
        updated_at: m.updated_at,
        version: m.version,
    }
}

fn read_scope(principal: &Principal) -> Result<Condition, ApiError> {
    let reach = principal.reach(Resource::Contacts, Action::Read)?;
    Ok(scope::account_filter(principal, reach, Column::AccountId))
}

/// A birthday, which cannot be in the future.
fn birthday(value: Option<NaiveDate>, today: NaiveDate) -> Result<Option<NaiveDate>, ApiError> {
    match value {
        Some(d) if d > today => Err(ApiError::field(
            "birthday",
            "out-of-range",
            "must not be in the future",
        )),
        other => Ok(other),
    }
}

/// The account a contact is written on: seen through the caller's contacts reach (422 when
/// not, since the id comes from the body), then checked for the right to change its contacts.
async fn writable_account<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    account_id: Uuid,
) -> Result<accounts::Model, ApiError> {
    let reach = principal.reach(Resource::Contacts, Action::Read)?;
    let account = accounts::Entity::find_by_id(account_id)
        .filter(scope::owned_or_shared(
            principal,
            reach,
            accounts::Column::OwnerId,
            accounts::Column::Id,
            accounts::Column::DealerId,
        ))
        .one(db)
        .await?
        .ok_or_else(|| {
            ApiError::field(
                "account_id",
                "unknown-account",
                "no account you can see has this id",
            )
        })?;
    scope::check_writable_on(
        db,
        principal,
        Resource::Contacts,
        scope::Held::new(account.owner_id, account.dealer_id),
        account.id,
    )
    .await?;
    Ok(account)
}

/// Takes the primary flag off the account's other contacts, so that an account has at most
/// one. Their version moves on too: their state changed, and an ETag read before must not
/// write the old flag back.
async fn clear_primary<C: ConnectionTrait>(
    db: &C,
    account_id: Uuid,
    except: Uuid,
) -> Result<(), ApiError> {
    entity::Entity::update_many()
        .col_expr(Column::IsPrimary, Expr::value(false))
        .col_expr(Column::Version, Expr::col(Column::Version).add(1))
        .col_expr(Column::UpdatedAt, Expr::value(now()))
        .filter(Column::AccountId.eq(account_id))
        .filter(Column::Id.ne(except))
        .filter(Column::IsPrimary.eq(true))
        .exec(db)
        .await?;
    Ok(())
}

async fn has_contacts<C: ConnectionTrait>(db: &C, account_id: Uuid) -> Result<bool, ApiError> {
    let n = entity::Entity::find()
        .filter(Column::AccountId.eq(account_id))
        .count(db)
        .await?;
    Ok(n > 0)
}

pub async fn list<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    filter: ContactFilter,
    paging: Paging<Column>,
) -> Result<ListPage<ContactView>, ApiError> {
    let mut cond = read_scope(principal)?;
    if let Some(a) = filter.account_id {
        cond = cond.add(Column::AccountId.eq(a));
    }
    if let Some(q) = masking::text_search(
        principal,
        filter.q.as_deref(),
        &[Column::Name],
        &[Column::Email, Column::Phone, Column::Mobile],
        Condition::all().add(
            Column::AccountId.in_subquery(
                sea_orm::sea_query::Query::select()
                    .column(accounts::Column::Id)
                    .from(accounts::Entity)
                    .and_where(accounts::Column::OwnerId.eq(principal.user_id))
                    .to_owned(),
            ),
        ),
    )? {
        cond = cond.add(q);
    }
    let mut page = paging::page(
        db,
        entity::Entity::find().filter(cond),
        &paging,
        Column::Id,
        |m| m.id,
        view,
    )
    .await?;
    page.items = masking::contacts(db, principal, page.items).await?;
    Ok(page)
}

/// The contact if the caller may see its account; `NotFound` otherwise.
pub async fn find<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    id: Uuid,
) -> Result<entity::Model, ApiError> {
    entity::Entity::find_by_id(id)
        .filter(read_scope(principal)?)
        .one(db)
        .await?
        .ok_or(ApiError::NotFound("contact"))
}

pub async fn get<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    id: Uuid,
) -> Result<ContactView, ApiError> {
    let contact = find(db, principal, id).await?;
    masking::contact(db, principal, view(contact)).await
}

pub async fn create(
    db: &DatabaseConnection,
    principal: &Principal,
    input: ContactCreate,
) -> Result<ContactView, ApiError> {
    principal.reach(Resource::Contacts, Action::Write)?;
    let id = new_id();
    let at = now();
    let mut model = entity::ActiveModel {
        id: Set(id),
        account_id: Set(input.account_id),
        name: Set(required(&input.name, 200, "name")?),
        title: Set(line(input.title.as_deref(), 100, "title")?),
        phone: Set(line(input.phone.as_deref(), 100, "phone")?),
        mobile: Set(line(input.mobile.as_deref(), 100, "mobile")?),
        email: Set(email(input.email.as_deref(), "email")?),
        birthday: Set(birthday(input.birthday, principal.today)?),
        is_primary: Set(false),
        notes: Set(note(input.notes.as_deref(), "notes")?),
        created_at: Set(at),
        updated_at: Set(at),
        version: Set(1),
    };
    let txn = db.begin().await?;
    writable_account(&txn, principal, input.account_id).await?;
    // An account's first contact is its main one unless the caller says otherwise.
    let primary = match input.is_primary {
        Some(p) => p,
        None => !has_contacts(&txn, input.account_id).await?,
    };
    if primary {
        clear_primary(&txn, input.account_id, id).await?;
    }
    model.is_primary = Set(primary);
    let saved = model.insert(&txn).await?;
    txn.commit().await?;
    masking::contact(db, principal, view(saved)).await
}

/// The contact a lead conversion creates for the lead's person; the account's main contact
/// when it has none yet. The caller already holds the account and the lead.
pub async fn insert_for_conversion<C: ConnectionTrait>(
    db: &C,
    account_id: Uuid,
    lead: &leads::Model,
) -> Result<Uuid, ApiError> {
    let at = now();
    let model = entity::ActiveModel {
        id: Set(new_id()),
        account_id: Set(account_id),
        name: Set(lead.name.clone()),
        title: Set(lead.title.clone()),
        phone: Set(lead.phone.clone()),
        mobile: Set(None),
        email: Set(lead.email.clone()),
        birthday: Set(None),
        is_primary: Set(!has_contacts(db, account_id).await?),
        notes: Set(None),
        created_at: Set(at),
        updated_at: Set(at),
        version: Set(1),
    };
    Ok(model.insert(db).await?.id)
}

/// The contact, checked for the caller's right to change it (through its account's owner).
async fn writable<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    id: Uuid,
    expected_version: i32,
) -> Result<entity::Model, ApiError> {
    let current = find(db, principal, id).await?;
    // The contact was visible, so its account is: read it without the scope for its owner.
    let account = accounts::Entity::find_by_id(current.account_id)
        .one(db)
        .await?
        .ok_or(ApiError::NotFound("contact"))?;
    scope::check_writable_on(
        db,
        principal,
        Resource::Contacts,
        scope::Held::new(account.owner_id, account.dealer_id),
        account.id,
    )
    .await?;
    if current.version != expected_version {
        return Err(ApiError::PreconditionFailed {
            current_version: current.version,
        });
    }
    Ok(current)
}

pub async fn update(
    db: &DatabaseConnection,
    principal: &Principal,
    id: Uuid,
    expected_version: i32,
    input: ContactUpdate,
) -> Result<ContactView, ApiError> {
    let txn = db.begin().await?;
    let current = writable(&txn, principal, id, expected_version).await?;
    let mut model: entity::ActiveModel = current.clone().into();
    if let Some(v) = input.name {
        model.name = Set(required(&v, 200, "name")?);
    }
    if let Some(v) = input.title {
        model.title = Set(line(v.as_deref(), 100, "title")?);
    }
    if let Some(v) = input.phone {
        model.phone = Set(line(v.as_deref(), 100, "phone")?);
    }
    if let Some(v) = input.mobile {
        model.mobile = Set(line(v.as_deref(), 100, "mobile")?);
    }
    if let Some(v) = input.email {
        model.email = Set(email(v.as_deref(), "email")?);
    }
    if let Some(v) = input.birthday {
        model.birthday = Set(birthday(v, principal.today)?);
    }
    if let Some(v) = input.notes {
        model.notes = Set(note(v.as_deref(), "notes")?);
    }
    if let Some(p) = input.is_primary {
        if p && !current.is_primary {
            clear_primary(&txn, current.account_id, id).await?;
        }
        model.is_primary = Set(p);
    }
    model.version = Set(current.version + 1);
    model.updated_at = Set(now());
    let saved = save_versioned_model(
        &txn,
        model,
        Column::Id,
        Column::Version,
        id,
        current.version,
    )
    .await?;
    txn.commit().await?;
    masking::contact(db, principal, view(saved)).await
}

/// Deletes a contact; opportunities that named it keep going without one (the foreign key
/// sets theirs to null).
pub async fn delete<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    id: Uuid,
    expected_version: i32,
) -> Result<(), ApiError> {
    writable(db, principal, id, expected_version).await?;
    let result = entity::Entity::delete_many()
        .filter(Column::Id.eq(id))
        .filter(Column::Version.eq(expected_version))
        .exec(db)
        .await?;
    if result.rows_affected == 0 {
        return Err(ApiError::PreconditionFailed {
            current_version: expected_version + 1,
        });
    }
    Ok(())
}
