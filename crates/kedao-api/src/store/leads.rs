//! Leads: list, read, create, update, delete and convert.

use sea_orm::DatabaseConnection;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, Set,
    TransactionTrait,
};
use uuid::Uuid;

use kedao_api_types::ListPage;
use kedao_api_types::leads::{LeadConversion, LeadCreate, LeadUpdate, LeadView};
use kedao_domain::access::{Action, Resource};
use kedao_domain::lead::{self, LeadSource, LeadStatus};
use kedao_domain::text;

use crate::auth::Principal;
use crate::error::{ApiError, rule};
use crate::store::entities::leads::{self as entity, Column};
use crate::store::fields::{line, note, save_versioned_model};
use crate::store::paging::{self, Paging, SortField, SortKind};
use crate::store::scope;
use crate::store::{history, masking, new_id, now};
use crate::webhooks;

/// Filters of the lead list.
#[derive(Debug, Default, Clone)]
pub struct LeadFilter {
    pub status: Option<LeadStatus>,
    pub source: Option<LeadSource>,
    pub owner_id: Option<Uuid>,
    pub dealer_id: Option<Uuid>,
    pub region: Option<String>,
    pub q: Option<String>,
}

pub const SORT_FIELDS: [SortField<Column>; 5] = [
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
    SortField {
        name: "score",
        column: Column::Score,
        kind: SortKind::Int,
    },
    SortField {
        name: "status",
        column: Column::Status,
        kind: SortKind::Text,
    },
];

pub fn view(m: entity::Model) -> LeadView {
    LeadView {
        id: m.id,
        name: m.name,
        company: m.company,
        title: m.title,
        phone: m.phone,
        email: m.email,
        source: LeadSource::parse(&m.source).unwrap_or(LeadSource::Other),
        status: LeadStatus::parse(&m.status).unwrap_or(LeadStatus::New),
        score: m.score,
        region: m.region,
        industry: m.industry,
        notes: m.notes,
        disqualify_reason: m.disqualify_reason,
        owner_id: m.owner_id,
        dealer_id: m.dealer_id,
        conversion: m.converted_at.map(|at| LeadConversion {
            account_id: m.converted_account_id,
            contact_id: m.converted_contact_id,
            opportunity_id: m.converted_opportunity_id,
            converted_at: at,
        }),
        created_at: m.created_at,
        updated_at: m.updated_at,
        version: m.version,
    }
}

fn read_scope(principal: &Principal) -> Result<Condition, ApiError> {
    let reach = principal.reach(Resource::Leads, Action::Read)?;
    Ok(scope::owner_filter(
        principal,
        reach,
        Column::OwnerId,
        Column::DealerId,
    ))
}

pub async fn list<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    filter: LeadFilter,
    paging: Paging<Column>,
) -> Result<ListPage<LeadView>, ApiError> {
    let mut cond = read_scope(principal)?;
    if let Some(s) = filter.status {
        cond = cond.add(Column::Status.eq(s.as_str()));
    }
    if let Some(s) = filter.source {
        cond = cond.add(Column::Source.eq(s.as_str()));
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
    if let Some(q) = masking::text_search(
        principal,
        filter.q.as_deref(),
        &[Column::Name, Column::Company],
        &[Column::Email, Column::Phone],
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
        |m| masking::lead(principal, view(m)),
    )
    .await
}

/// The lead if the caller may see it; `NotFound` otherwise (the two look the same).
pub async fn find<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    id: Uuid,
) -> Result<entity::Model, ApiError> {
    entity::Entity::find_by_id(id)
        .filter(read_scope(principal)?)
        .one(db)
        .await?
        .ok_or(ApiError::NotFound("lead"))
}

pub async fn get<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    id: Uuid,
) -> Result<LeadView, ApiError> {
    let lead = find(db, principal, id).await?;
    Ok(masking::lead(principal, view(lead)))
}

pub async fn create(
    db: &DatabaseConnection,
    principal: &Principal,
    input: LeadCreate,
) -> Result<LeadView, ApiError> {
    principal.reach(Resource::Leads, Action::Write)?;
    let owner = input.owner_id.unwrap_or(principal.user_id);
    let name = text::required_line(&input.name, 200).map_err(|e| rule("name", "invalid", e))?;
    let score = lead::check_score(input.score.unwrap_or(0))
        .map_err(|e| rule("score", "out-of-range", e))?;
    let email = input
        .email
        .as_deref()
        .map(text::email)
        .transpose()
        .map_err(|e| rule("email", "invalid", e))?;
    scope::check_assignable(db, principal, Resource::Leads, owner, "owner_id").await?;
    let dealer = scope::dealer_for_new(db, principal, input.dealer_id).await?;
    let at = now();
    let model = entity::ActiveModel {
        id: Set(new_id()),
        name: Set(name),
        company: Set(line(input.company.as_deref(), 200, "company")?),
        title: Set(line(input.title.as_deref(), 100, "title")?),
        phone: Set(line(input.phone.as_deref(), 100, "phone")?),
        email: Set(email),
        source: Set(input.source.as_str().to_owned()),
        status: Set(LeadStatus::New.as_str().to_owned()),
        score: Set(score),
        region: Set(line(input.region.as_deref(), 100, "region")?),
        industry: Set(line(input.industry.as_deref(), 100, "industry")?),
        notes: Set(note(input.notes.as_deref(), "notes")?),
        disqualify_reason: Set(None),
        owner_id: Set(owner),
        converted_account_id: Set(None),
        converted_contact_id: Set(None),
        converted_opportunity_id: Set(None),
        converted_at: Set(None),
        created_at: Set(at),
        updated_at: Set(at),
        version: Set(1),
        dealer_id: Set(dealer),
    };
    let txn = db.begin().await?;
    let lead = view(model.insert(&txn).await?);
    webhooks::emit(&txn, "lead.created", lead.dealer_id, &lead).await?;
    txn.commit().await?;
    Ok(masking::lead(principal, lead))
}

pub async fn update(
    db: &DatabaseConnection,
    principal: &Principal,
    id: Uuid,
    expected_version: i32,
    input: LeadUpdate,
) -> Result<LeadView, ApiError> {
    let txn = db.begin().await?;
    let current = find(&txn, principal, id).await?;
    scope::check_writable(
        &txn,
        principal,
        Resource::Leads,
        scope::Held::new(current.owner_id, current.dealer_id),
    )
    .await?;
    if current.version != expected_version {
        return Err(ApiError::PreconditionFailed {
            current_version: current.version,
        });
    }
    let status = LeadStatus::parse(&current.status).unwrap_or(LeadStatus::New);
    if status == LeadStatus::Qualified {
        return Err(ApiError::conflict(
            "lead-converted",
            "a converted lead can no longer be changed",
        ));
    }
    let mut model: entity::ActiveModel = current.clone().into();
    if let Some(name) = input.name {
        model.name = Set(text::required_line(&name, 200).map_err(|e| rule("name", "invalid", e))?);
    }
    if let Some(v) = input.company {
        model.company = Set(line(v.as_deref(), 200, "company")?);
    }
    if let Some(v) = input.title {
        model.title = Set(line(v.as_deref(), 100, "title")?);
    }
    if let Some(v) = input.phone {
        model.phone = Set(line(v.as_deref(), 100, "phone")?);
    }
    if let Some(v) = input.email {
        let email = v
            .as_deref()
            .map(text::email)
            .transpose()
            .map_err(|e| rule("email", "invalid", e))?;
        model.email = Set(email);
    }
    if let Some(v) = input.source {
        model.source = Set(v.as_str().to_owned());
    }
    if let Some(v) = input.score {
        model.score = Set(lead::check_score(v).map_err(|e| rule("score", "out-of-range", e))?);
    }
    if let Some(v) = input.region {
        model.region = Set(line(v.as_deref(), 100, "region")?);
    }
    if let Some(v) = input.industry {
        model.industry = Set(line(v.as_deref(), 100, "industry")?);
    }
    if let Some(v) = input.notes {
        model.notes = Set(note(v.as_deref(), "notes")?);
    }
    if let Some(to) = input.status {
        let next = status
            .move_to(to)
            .map_err(|e| ApiError::conflict("invalid-transition", e.to_string()))?;
        let reason = lead::check_disqualify_reason(next, input.disqualify_reason.as_deref())
            .map_err(|e| rule("disqualify_reason", "required", e))?;
        model.status = Set(next.as_str().to_owned());
        model.disqualify_reason = Set(reason);
    } else if input.disqualify_reason.is_some() {
        return Err(ApiError::field(
            "disqualify_reason",
            "unexpected",
            "a reason goes with a change of status to disqualified",
        ));
    }
    if let Some(owner) = input.owner_id {
        scope::check_assignable(&txn, principal, Resource::Leads, owner, "owner_id").await?;
        model.owner_id = Set(owner);
    }
    if let Some(dealer) = input.dealer_id {
        model.dealer_id = Set(scope::dealer_change(&txn, principal, dealer).await?);
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
        kedao_api_types::notifications::RecordType::Lead,
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
        Resource::Leads,
        id,
        &view(current),
        &after,
        after.updated_at,
    )
    .await?;
    txn.commit().await?;
    Ok(masking::lead(principal, after))
}

pub async fn delete<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    id: Uuid,
    expected_version: i32,
) -> Result<(), ApiError> {
    let current = find(db, principal, id).await?;
    scope::check_writable(
        db,
        principal,
        Resource::Leads,
        scope::Held::new(current.owner_id, current.dealer_id),
    )
    .await?;
    if current.version != expected_version {
        return Err(ApiError::PreconditionFailed {
            current_version: current.version,
        });
    }
    if current.converted_at.is_some() {
        return Err(ApiError::conflict(
            "lead-converted",
            "a converted lead is kept as the origin of its records",
        ));
    }
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
