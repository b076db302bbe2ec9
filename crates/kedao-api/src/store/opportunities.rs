//! Opportunities: read, create (also from a lead conversion), delete and stage history. The
//! list is in `opportunity_list`; changes, including stage moves, in `opportunity_moves`.

use std::str::FromStr;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait,
    QueryFilter, QueryOrder, Set, TransactionTrait,
};
use uuid::Uuid;

use kedao_api_types::leads::LeadConvertOpportunity;
use kedao_api_types::opportunities::{OpportunityCreate, OpportunityView, StageMove};
use kedao_domain::Currency;
use kedao_domain::access::{Action, Resource};
use kedao_domain::lead::LeadSource;
use kedao_domain::money::Money;
use kedao_domain::pipeline::{Probability, StageKind, check_move, effective_probability};

use crate::auth::Principal;
use crate::error::{ApiError, rule};
use crate::store::entities::opportunities::{self as entity, Column};
use crate::store::entities::{leads, stage_history, stages};
use crate::store::fields::{labels, note, required};
use crate::store::opportunity_moves::{
    check_contact, closed_at, record_move, stage_in_pipeline, visible_account,
};
use crate::store::pipelines;
use crate::store::stages::{stage_kind, stage_probability};
use crate::store::{new_id, now, scope, string_list};

/// The wire form; `kind` is the kind of the opportunity's stage.
pub fn view(m: entity::Model, kind: StageKind) -> OpportunityView {
    let currency = Currency::from_str(&m.currency).unwrap_or(Currency::Cny);
    let money = Money::from_storage(m.amount, currency);
    let probability = Probability::try_from(i64::from(m.probability)).unwrap_or(Probability::ZERO);
    OpportunityView {
        id: m.id,
        dealer_id: m.dealer_id,
        title: m.title,
        account_id: m.account_id,
        contact_id: m.contact_id,
        pipeline_id: m.pipeline_id,
        stage_id: m.stage_id,
        stage_kind: kind,
        amount: money.amount(),
        currency,
        probability: probability.percent(),
        probability_overridden: m.probability_overridden,
        weighted_amount: money.weighted(probability).amount(),
        expected_close_date: m.expected_close_date,
        source: LeadSource::parse(&m.source).unwrap_or(LeadSource::Other),
        competitors: string_list(&m.competitors),
        lost_reason: m.lost_reason,
        description: m.description,
        lead_id: m.lead_id,
        owner_id: m.owner_id,
        stage_changed_at: m.stage_changed_at,
        closed_at: m.closed_at,
        created_at: m.created_at,
        updated_at: m.updated_at,
        version: m.version,
    }
}

/// Opportunities the caller may see: owner-scoped by their read reach.
pub fn read_scope(principal: &Principal) -> Result<Condition, ApiError> {
    let reach = principal.reach(Resource::Opportunities, Action::Read)?;
    Ok(scope::owned_or_shared(
        principal,
        reach,
        Column::OwnerId,
        Column::AccountId,
        Column::DealerId,
    ))
}

/// The opportunity if the caller may see it; `NotFound` otherwise (the two look the same).
pub async fn find<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    id: Uuid,
) -> Result<entity::Model, ApiError> {
    entity::Entity::find_by_id(id)
        .filter(read_scope(principal)?)
        .one(db)
        .await?
        .ok_or(ApiError::NotFound("opportunity"))
}

/// The wire form of a stored row, with its stage's kind read alongside.
pub async fn view_of<C: ConnectionTrait>(
    db: &C,
    m: entity::Model,
) -> Result<OpportunityView, ApiError> {
    let kind = stages::Entity::find_by_id(m.stage_id)
        .one(db)
        .await?
        .map_or(StageKind::Open, |s| stage_kind(&s));
    Ok(view(m, kind))
}

pub async fn get<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    id: Uuid,
) -> Result<OpportunityView, ApiError> {
    let m = find(db, principal, id).await?;
    view_of(db, m).await
}

pub async fn create(
    db: &DatabaseConnection,
    principal: &Principal,
    input: OpportunityCreate,
) -> Result<OpportunityView, ApiError> {
    principal.reach(Resource::Opportunities, Action::Write)?;
    let draft = Draft {
        title: Some(input.title),
        account_id: input.account_id,
        contact_id: input.contact_id,
        pipeline_id: input.pipeline_id,
        stage_id: input.stage_id,
        amount: input.amount,
        currency: input.currency.unwrap_or(Currency::Cny),
        probability: input.probability,
        expected_close_date: input.expected_close_date,
        source: input.source.unwrap_or(LeadSource::Other),
        competitors: input.competitors.unwrap_or_default(),
        lost_reason: input.lost_reason,
        description: input.description,
        lead_id: None,
        owner_id: input.owner_id.unwrap_or(principal.user_id),
    };
    let txn = db.begin().await?;
    let (saved, kind) = insert(&txn, principal, draft, "").await?;
    txn.commit().await?;
    Ok(view(saved, kind))
}

/// Opens the opportunity of a lead conversion, inside the conversion's transaction: titled
/// after the account unless given, in the first open stage of the given or default pipeline,
/// owned by the lead's owner, with the lead's source and a link back to the lead.
pub async fn insert_for_conversion<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    lead: &leads::Model,
    account_id: Uuid,
    contact_id: Uuid,
    input: kedao_api_types::leads::LeadConvertOpportunity,
) -> Result<Uuid, ApiError> {
    principal.reach(Resource::Opportunities, Action::Write)?;
    let LeadConvertOpportunity {
        title,
        amount,
        currency,
        expected_close_date,
        pipeline_id,
    } = input;
    let draft = Draft {
        title,
        account_id,
        contact_id: Some(contact_id),
        pipeline_id,
        stage_id: None,
        amount,
        currency: currency.unwrap_or(Currency::Cny),
        probability: None,
        expected_close_date,
        source: LeadSource::parse(&lead.source).unwrap_or(LeadSource::Other),
        competitors: Vec::new(),
        lost_reason: None,
        description: None,
        lead_id: Some(lead.id),
        owner_id: lead.owner_id,
    };
    let (saved, _) = insert(db, principal, draft, "opportunity.").await?;
    Ok(saved.id)
}

/// A new opportunity before checking: what `create` and `insert_for_conversion` share.
struct Draft {
    /// `None` takes the account's name.
    title: Option<String>,
    account_id: Uuid,
    contact_id: Option<Uuid>,
    pipeline_id: Option<Uuid>,
    stage_id: Option<Uuid>,
    amount: Decimal,
    currency: Currency,
    probability: Option<i64>,
    expected_close_date: NaiveDate,
    source: LeadSource,
    competitors: Vec<String>,
    lost_reason: Option<String>,
    description: Option<String>,
    lead_id: Option<Uuid>,
    owner_id: Uuid,
}

/// Checks and stores a new opportunity with its first history row (from nowhere to its stage).
/// `prefix` names where the fields sit in the request body (`opportunity.` in a conversion).
async fn insert<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    draft: Draft,
    prefix: &str,
) -> Result<(entity::Model, StageKind), ApiError> {
    let field = |name: &str| format!("{prefix}{name}");
    scope::check_assignable(
        db,
        principal,
        Resource::Opportunities,
        draft.owner_id,
        &field("owner_id"),
    )
    .await?;
    let account = visible_account(db, principal, draft.account_id, &field("account_id")).await?;
    let title = required(
        draft.title.as_deref().unwrap_or(&account.name),
        200,
        &field("title"),
    )?;
    if let Some(contact) = draft.contact_id {
        check_contact(db, principal, account.id, contact, &field("contact_id")).await?;
    }
    let pipeline =
        pipelines::resolve(db, principal, draft.pipeline_id, &field("pipeline_id")).await?;
    let stage = match draft.stage_id {
        Some(id) => stage_in_pipeline(db, principal, pipeline.id, id, &field("stage_id")).await?,
        None => first_open_stage(db, principal, pipeline.id).await?,
    };
    let money = Money::new(draft.amount, draft.currency)
        .map_err(|e| rule(&field("amount"), "invalid", e))?;
    let amount = money
        .to_storage()
        .map_err(|e| rule(&field("amount"), "invalid", e))?;
    let overridden = draft
        .probability
        .map(Probability::try_from)
        .transpose()
        .map_err(|e| rule(&field("probability"), "out-of-range", e))?;
    let kind = stage_kind(&stage);
    let lost_reason = check_move(kind, draft.lost_reason.as_deref())
        .map_err(|e| rule(&field("lost_reason"), "required", e))?;
    let probability = effective_probability(kind, stage_probability(&stage), overridden);
    let at = now();
    let model = entity::ActiveModel {
        id: Set(new_id()),
        title: Set(title),
        account_id: Set(account.id),
        contact_id: Set(draft.contact_id),
        pipeline_id: Set(pipeline.id),
        stage_id: Set(stage.id),
        amount: Set(amount),
        currency: Set(draft.currency.code().to_owned()),
        probability: Set(i16::from(probability.percent())),
        // A closed stage ignores the override, so it is not kept as one.
        probability_overridden: Set(overridden.is_some() && !kind.is_closed()),
        expected_close_date: Set(draft.expected_close_date),
        source: Set(draft.source.as_str().to_owned()),
        competitors: Set(labels(&draft.competitors, 20, 100, &field("competitors"))?),
        lost_reason: Set(lost_reason),
        description: Set(note(draft.description.as_deref(), &field("description"))?),
        lead_id: Set(draft.lead_id),
        owner_id: Set(draft.owner_id),
        stage_changed_at: Set(at),
        closed_at: Set(closed_at(None, kind, None, at)),
        created_at: Set(at),
        updated_at: Set(at),
        version: Set(1),
        // A deal is worked by whoever serves the account: its dealer, or the company.
        dealer_id: Set(account.dealer_id),
    };
    let saved = model.insert(db).await?;
    record_move(db, saved.id, None, stage.id, principal.user_id, at).await?;
    Ok((saved, kind))
}

/// Where new opportunities start: the pipeline's first open stage.
async fn first_open_stage<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    pipeline_id: Uuid,
) -> Result<stages::Model, ApiError> {
    pipelines::stages_of(db, principal, pipeline_id)
        .await?
        .into_iter()
        .find(|s| stage_kind(s) == StageKind::Open)
        .ok_or_else(|| ApiError::conflict("invalid-pipeline", "the pipeline has no open stage"))
}

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
        Resource::Opportunities,
        scope::Held::new(current.owner_id, current.dealer_id),
        current.account_id,
    )
    .await?;
    if current.version != expected_version {
        return Err(ApiError::PreconditionFailed {
            current_version: current.version,
        });
    }
    // The history goes with its opportunity; deleted explicitly so that the result does not
    // depend on the connection enforcing the cascade.
    stage_history::Entity::delete_many()
        .filter(stage_history::Column::OpportunityId.eq(id))
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

/// The stage moves of an opportunity the caller may see, oldest first.
pub async fn history<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    id: Uuid,
) -> Result<Vec<StageMove>, ApiError> {
    let opportunity = find(db, principal, id).await?;
    let rows = stage_history::Entity::find()
        .filter(stage_history::Column::OpportunityId.eq(opportunity.id))
        .order_by_asc(stage_history::Column::ChangedAt)
        .order_by_asc(stage_history::Column::Id)
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|h| StageMove {
            id: h.id,
            opportunity_id: h.opportunity_id,
            from_stage_id: h.from_stage_id,
            to_stage_id: h.to_stage_id,
            changed_by: h.changed_by,
            changed_at: h.changed_at,
        })
        .collect())
}
