//! Accounts: list, read, create (also from a lead conversion), update and delete. The
//! relationship network between accounts is in `network`.

use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, DbBackend,
    EntityTrait, PaginatorTrait, QueryFilter, Set, TransactionTrait,
};
use uuid::Uuid;

use kedao_api_types::ListPage;
use kedao_api_types::accounts::{
    AccountCreate, AccountUpdate, AccountView, CompanySize, CustomerType,
};
use kedao_domain::access::{Action, Resource};

use crate::auth::Principal;
use crate::error::ApiError;
use crate::store::entities::accounts::{self as entity, Column};
use crate::store::entities::{account_links, contacts, leads, opportunities};
use crate::store::fields::{email, labels, line, note, required, save_versioned_model};
use crate::store::history;
use crate::store::paging::{self, Paging, SortField, SortKind};
use crate::store::{masking, new_id, now, scope, string_list};

/// At most this many tags per account, each at most `TAG_MAX_CHARS` characters.
pub const TAG_MAX_ITEMS: usize = 20;
pub const TAG_MAX_CHARS: usize = 50;

/// Filters of the account list.
#[derive(Debug, Default, Clone)]
pub struct AccountFilter {
    pub customer_type: Option<CustomerType>,
    pub owner_id: Option<Uuid>,
    pub dealer_id: Option<Uuid>,
    pub region: Option<String>,
    pub industry: Option<String>,
    pub tag: Option<String>,
    pub q: Option<String>,
}

pub const SORT_FIELDS: [SortField<Column>; 3] = [
    SortField {
        name: "created_at",
        column: Column::CreatedAt,
        kind: SortKind::Time,
    },
    SortField {
        name: "updated_at",
        column: Column::UpdatedAt,
        kind: SortKind::Time,
    },
    SortField {
        name: "name",
        column: Column::Name,
        kind: SortKind::Text,
    },
];

pub fn view(m: entity::Model) -> AccountView {
    AccountView {
        id: m.id,
        name: m.name,
        customer_type: CustomerType::parse(&m.customer_type).unwrap_or(CustomerType::Potential),
        industry: m.industry,
        size: m.size.as_deref().and_then(CompanySize::parse),
        region: m.region,
        phone: m.phone,
        email: m.email,
        website: m.website,
        address: m.address,
        tags: string_list(&m.tags),
        notes: m.notes,
        internal_notes: m.internal_notes,
        owner_id: m.owner_id,
        dealer_id: m.dealer_id,
        created_at: m.created_at,
        updated_at: m.updated_at,
        version: m.version,
    }
}

fn read_scope(principal: &Principal) -> Result<Condition, ApiError> {
    let reach = principal.reach(Resource::Accounts, Action::Read)?;
    Ok(scope::owned_or_shared(
        principal,
        reach,
        Column::OwnerId,
        Column::Id,
        Column::DealerId,
    ))
}

/// Accounts whose tag list contains exactly `tag`. JSON containment is spelled differently by
/// each backend, and a LIKE over the JSON text would depend on how each one escapes it.
fn has_tag(backend: DbBackend, tag: &str) -> Result<Condition, ApiError> {
    let expr = match backend {
        DbBackend::Postgres => Expr::cust_with_values(
            r#""accounts"."tags" @> $1::jsonb"#,
            [serde_json::Value::from(vec![tag]).to_string()],
        ),
        DbBackend::Sqlite => Expr::cust_with_values(
            r#"EXISTS (SELECT 1 FROM json_each("accounts"."tags") AS t WHERE t.value = ?)"#,
            [tag.to_owned()],
        ),
        other => {
            return Err(ApiError::Internal(anyhow::anyhow!(
                "tag filter not implemented for {other:?}"
            )));
        }
    };
    Ok(Condition::all().add(expr))
}

pub async fn list<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    filter: AccountFilter,
    paging: Paging<Column>,
) -> Result<ListPage<AccountView>, ApiError> {
    let mut cond = read_scope(principal)?;
    if let Some(t) = filter.customer_type {
        cond = cond.add(Column::CustomerType.eq(t.as_str()));
    }
    if let Some(o) = filter.owner_id {
        cond = cond.add(Column::OwnerId.eq(o));
    }
    if let Some(d) = filter.dealer_id {
        cond = cond.add(Column::DealerId.eq(d));
    }
    if let Some(r) = filter.region.as_deref() {
        cond = cond.add(Column::Region.eq(r.trim()));
    }
    if let Some(i) = filter.industry.as_deref() {
        cond = cond.add(Column::Industry.eq(i.trim()));
    }
    if let Some(tag) = filter
        .tag
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
    {
        cond = cond.add(has_tag(db.get_database_backend(), tag)?);
    }
    if let Some(q) = masking::text_search(
        principal,
        filter.q.as_deref(),
        &[Column::Name, Column::Website],
        &[Column::Phone, Column::Email],
        Condition::all().add(Column::OwnerId.eq(principal.user_id)),
    )? {
        cond = cond.add(q);
    }
    paging::page(
        db,
        entity::Entity::find().filter(cond),
        &paging,
        Column::Id,
        |m| m.id,
        |m| masking::account(principal, view(m)),
    )
    .await
}

/// The account if the caller may see it; `NotFound` otherwise (the two look the same).
pub async fn find<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    id: Uuid,
) -> Result<entity::Model, ApiError> {
    entity::Entity::find_by_id(id)
        .filter(read_scope(principal)?)
        .one(db)
        .await?
        .ok_or(ApiError::NotFound("account"))
}

pub async fn get<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    id: Uuid,
) -> Result<AccountView, ApiError> {
    let account = find(db, principal, id).await?;
    Ok(masking::account(principal, view(account)))
}

pub async fn create<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    input: AccountCreate,
) -> Result<AccountView, ApiError> {
    principal.reach(Resource::Accounts, Action::Write)?;
    let owner = input.owner_id.unwrap_or(principal.user_id);
    let name = required(&input.name, 200, "name")?;
    let tags = labels(
        input.tags.as_deref().unwrap_or_default(),
        TAG_MAX_ITEMS,
        TAG_MAX_CHARS,
        "tags",
    )?;
    let at = now();
    let model = entity::ActiveModel {
        id: Set(new_id()),
        name: Set(name),
        customer_type: Set(input
            .customer_type
            .unwrap_or(CustomerType::Potential)
            .as_str()
            .to_owned()),
        industry: Set(line(input.industry.as_deref(), 100, "industry")?),
        size: Set(input.size.map(|s| s.as_str().to_owned())),
        region: Set(line(input.region.as_deref(), 100, "region")?),
        phone: Set(line(input.phone.as_deref(), 100, "phone")?),
        email: Set(email(input.email.as_deref(), "email")?),
        website: Set(line(input.website.as_deref(), 200, "website")?),
        address: Set(line(input.address.as_deref(), 200, "address")?),
        tags: Set(tags),
        notes: Set(note(input.notes.as_deref(), "notes")?),
        owner_id: Set(owner),
        created_by: Set(principal.user_id),
        created_at: Set(at),
        updated_at: Set(at),
        version: Set(1),
        credit_limit: Set(None),
        credit_currency: Set(None),
        dealer_id: Set(scope::dealer_for_new(db, principal, input.dealer_id).await?),
        internal_notes: Set(masking::internal_notes(
            principal,
            input.internal_notes.as_deref(),
        )?),
    };
    // Checked after the fields so that bad input is reported before a question of rights.
    scope::check_assignable(db, principal, Resource::Accounts, owner, "owner_id").await?;
    Ok(masking::account(principal, view(model.insert(db).await?)))
}

/// The account a lead conversion creates, from the lead's details. The lead's fields were
/// checked when it was saved; only the account name (which may come from the request) is
/// checked again.
pub async fn insert_for_conversion<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    lead: &leads::Model,
    name: String,
    owner: Uuid,
) -> Result<Uuid, ApiError> {
    principal.reach(Resource::Accounts, Action::Write)?;
    let name = required(&name, 200, "account_name")?;
    scope::check_assignable(db, principal, Resource::Accounts, owner, "owner_id").await?;
    let at = now();
    let model = entity::ActiveModel {
        id: Set(new_id()),
        name: Set(name),
        customer_type: Set(CustomerType::Potential.as_str().to_owned()),
        industry: Set(lead.industry.clone()),
        size: Set(None),
        region: Set(lead.region.clone()),
        phone: Set(lead.phone.clone()),
        email: Set(lead.email.clone()),
        website: Set(None),
        address: Set(None),
        tags: Set(serde_json::Value::Array(Vec::new())),
        notes: Set(None),
        owner_id: Set(owner),
        created_by: Set(principal.user_id),
        created_at: Set(at),
        updated_at: Set(at),
        version: Set(1),
        credit_limit: Set(None),
        credit_currency: Set(None),
        // A lead distributed to a dealer becomes that dealer's customer.
        dealer_id: Set(lead.dealer_id),
        internal_notes: Set(None),
    };
    Ok(model.insert(db).await?.id)
}

pub async fn update(
    db: &DatabaseConnection,
    principal: &Principal,
    id: Uuid,
    expected_version: i32,
    input: AccountUpdate,
) -> Result<AccountView, ApiError> {
    let txn = db.begin().await?;
    let current = find(&txn, principal, id).await?;
    scope::check_writable_on(
        &txn,
        principal,
        Resource::Accounts,
        scope::Held::new(current.owner_id, current.dealer_id),
        current.id,
    )
    .await?;
    if current.version != expected_version {
        return Err(ApiError::PreconditionFailed {
            current_version: current.version,
        });
    }
    let mut model: entity::ActiveModel = current.clone().into();
    if let Some(v) = input.name {
        model.name = Set(required(&v, 200, "name")?);
    }
    if let Some(v) = input.customer_type {
        model.customer_type = Set(v.as_str().to_owned());
    }
    if let Some(v) = input.industry {
        model.industry = Set(line(v.as_deref(), 100, "industry")?);
    }
    if let Some(v) = input.size {
        model.size = Set(v.map(|s| s.as_str().to_owned()));
    }
    if let Some(v) = input.region {
        model.region = Set(line(v.as_deref(), 100, "region")?);
    }
    if let Some(v) = input.phone {
        model.phone = Set(line(v.as_deref(), 100, "phone")?);
    }
    if let Some(v) = input.email {
        model.email = Set(email(v.as_deref(), "email")?);
    }
    if let Some(v) = input.website {
        model.website = Set(line(v.as_deref(), 200, "website")?);
    }
    if let Some(v) = input.address {
        model.address = Set(line(v.as_deref(), 200, "address")?);
    }
    if let Some(v) = input.tags {
        model.tags = Set(labels(&v, TAG_MAX_ITEMS, TAG_MAX_CHARS, "tags")?);
    }
    if let Some(v) = input.notes {
        model.notes = Set(note(v.as_deref(), "notes")?);
    }
    if let Some(dealer) = input.dealer_id {
        model.dealer_id = Set(scope::dealer_change(&txn, principal, dealer).await?);
    }
    if let Some(v) = input.internal_notes {
        model.internal_notes = Set(masking::internal_notes(principal, v.as_deref())?);
    }
    if let Some(owner) = input.owner_id {
        scope::check_assignable(&txn, principal, Resource::Accounts, owner, "owner_id").await?;
        model.owner_id = Set(owner);
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
    let after = view(saved);
    crate::store::notifications::reassigned(
        &txn,
        principal,
        kedao_api_types::notifications::RecordType::Account,
        id,
        &after.name,
        current.owner_id,
        after.owner_id,
        after.updated_at,
    )
    .await?;
    history::track(
        &txn,
        principal,
        Resource::Accounts,
        id,
        &view(current),
        &after,
        after.updated_at,
    )
    .await?;
    txn.commit().await?;
    Ok(masking::account(principal, after))
}

/// Deletes an account that nothing hangs on any more; its links go with it.
pub async fn delete(
    db: &DatabaseConnection,
    principal: &Principal,
    id: Uuid,
    expected_version: i32,
) -> Result<(), ApiError> {
    let txn = db.begin().await?;
    let current = find(&txn, principal, id).await?;
    scope::check_writable_on(
        &txn,
        principal,
        Resource::Accounts,
        scope::Held::new(current.owner_id, current.dealer_id),
        current.id,
    )
    .await?;
    if current.version != expected_version {
        return Err(ApiError::PreconditionFailed {
            current_version: current.version,
        });
    }
    // Counted without the caller's scope on purpose: a contact or an opportunity someone
    // else owns still hangs on this account, and deleting under it would orphan their work.
    let contacts = contacts::Entity::find()
        .filter(contacts::Column::AccountId.eq(id))
        .count(&txn)
        .await?;
    let opportunities = opportunities::Entity::find()
        .filter(opportunities::Column::AccountId.eq(id))
        .count(&txn)
        .await?;
    if contacts > 0 || opportunities > 0 {
        return Err(ApiError::conflict(
            "account-in-use",
            format!(
                "the account still has {contacts} contact(s) and {opportunities} opportunity(ies); move or delete them first"
            ),
        ));
    }
    // The foreign keys cascade too; deleting here keeps that from depending on the backend's
    // foreign-key settings.
    account_links::Entity::delete_many()
        .filter(
            Condition::any()
                .add(account_links::Column::FromAccountId.eq(id))
                .add(account_links::Column::ToAccountId.eq(id)),
        )
        .exec(&txn)
        .await?;
    let result = entity::Entity::delete_many()
        .filter(Column::Id.eq(id))
        .filter(Column::Version.eq(expected_version))
        .exec(&txn)
        .await?;
    if result.rows_affected == 0 {
        return Err(ApiError::PreconditionFailed {
            current_version: expected_version + 1,
        });
    }
    txn.commit().await?;
    Ok(())
}
