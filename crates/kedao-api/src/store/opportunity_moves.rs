//! Changing an opportunity, including moving it through the funnel, and the checks that
//! creating one shares: the account the caller may see, the account's contact, the stage of
//! the pipeline, and the history row every move leaves.

use std::str::FromStr;

use chrono::{DateTime, Utc};
use sea_orm::sea_query::InsertStatement;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect,
    QueryTrait, Select, Set, TransactionTrait,
};
use uuid::Uuid;

use kedao_api_types::opportunities::{OpportunityUpdate, OpportunityView};
use kedao_domain::Currency;
use kedao_domain::access::{Action, Resource};
use kedao_domain::money::Money;
use kedao_domain::pipeline::{
    Probability, StageError, StageKind, check_move, effective_probability,
};

use crate::auth::Principal;
use crate::error::{ApiError, rule};
use crate::store::entities::opportunities::{self as entity, Column};
use crate::store::entities::{accounts, contacts, stage_history, stages};
use crate::store::fields::{labels, note, required, save_versioned_model};
use crate::store::opportunities::{find, view};
use crate::store::stages::{stage_kind, stage_probability};
use crate::store::{history, masking, new_id, now, scope};
use crate::webhooks;

/// Changes an opportunity. A new `stage_id` is a move: checked (a lost stage needs a reason),
/// timestamped, and recorded in the stage history in the same transaction.
pub async fn update(
    db: &DatabaseConnection,
    principal: &Principal,
    id: Uuid,
    expected_version: i32,
    input: OpportunityUpdate,
) -> Result<OpportunityView, ApiError> {
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
    let at = now();
    let mut model: entity::ActiveModel = current.clone().into();
    if let Some(title) = input.title {
        model.title = Set(required(&title, 200, "title")?);
    }
    if let Some(contact) = input.contact_id {
        if let Some(c) = contact {
            check_contact(&txn, principal, current.account_id, c, "contact_id").await?;
        }
        model.contact_id = Set(contact);
    }
    if let Some(d) = input.expected_close_date {
        model.expected_close_date = Set(d);
    }
    if let Some(s) = input.source {
        model.source = Set(s.as_str().to_owned());
    }
    if let Some(c) = input.competitors {
        model.competitors = Set(labels(&c, 20, 100, "competitors")?);
    }
    if let Some(d) = input.description {
        model.description = Set(note(d.as_deref(), "description")?);
    }
    if let Some(v) = input.internal_notes {
        model.internal_notes = Set(masking::internal_notes(principal, v.as_deref())?);
    }
    if let Some(owner) = input.owner_id {
        scope::check_assignable(&txn, principal, Resource::Opportunities, owner, "owner_id")
            .await?;
        model.owner_id = Set(owner);
    }
    if input.amount.is_some() || input.currency.is_some() {
        // A new currency re-checks the kept amount too: 12.50 cannot become JPY.
        let old_currency = Currency::from_str(&current.currency).unwrap_or(Currency::Cny);
        let currency = input.currency.unwrap_or(old_currency);
        let field = if input.amount.is_some() {
            "amount"
        } else {
            "currency"
        };
        let amount = input
            .amount
            .unwrap_or_else(|| Money::from_storage(current.amount, old_currency).amount());
        let money = Money::new(amount, currency).map_err(|e| rule(field, "invalid", e))?;
        model.amount = Set(money.to_storage().map_err(|e| rule(field, "invalid", e))?);
        model.currency = Set(currency.code().to_owned());
    }

    let from = stage_in_pipeline(
        &txn,
        principal,
        current.pipeline_id,
        current.stage_id,
        "stage_id",
    )
    .await?;
    let to = match input.stage_id {
        Some(s) if s != current.stage_id => {
            Some(stage_in_pipeline(&txn, principal, current.pipeline_id, s, "stage_id").await?)
        }
        _ => None,
    };
    let moved = to.is_some();
    let stage = to.unwrap_or_else(|| from.clone());
    let kind = stage_kind(&stage);
    if moved {
        let reason = check_move(kind, input.lost_reason.as_deref())
            .map_err(|e| rule("lost_reason", "required", e))?;
        model.lost_reason = Set(reason);
        model.stage_id = Set(stage.id);
        model.stage_changed_at = Set(at);
        model.closed_at = Set(closed_at(
            Some(stage_kind(&from)),
            kind,
            current.closed_at,
            at,
        ));
        record_move(&txn, id, Some(from.id), stage.id, principal.user_id, at).await?;
    } else if let Some(reason) = input.lost_reason {
        // Without a move, a reason only corrects the one a lost deal already has.
        if kind != StageKind::Lost {
            return Err(rule(
                "lost_reason",
                "unexpected",
                StageError::LostReasonOnOpenDeal,
            ));
        }
        let reason =
            check_move(kind, Some(&reason)).map_err(|e| rule("lost_reason", "required", e))?;
        model.lost_reason = Set(reason);
    }

    // The override: a number sets it, `null` drops it, and a move without one drops it too —
    // a person's estimate was about the old stage, the new stage's figure is the better guess.
    let kept = current
        .probability_overridden
        .then(|| Probability::try_from(i64::from(current.probability)).ok())
        .flatten();
    let overridden = match input.probability {
        Some(Some(p)) => {
            Some(Probability::try_from(p).map_err(|e| rule("probability", "out-of-range", e))?)
        }
        Some(None) => None,
        None if moved => None,
        None => kept,
    };
    let probability = effective_probability(kind, stage_probability(&stage), overridden);
    model.probability = Set(i16::from(probability.percent()));
    model.probability_overridden = Set(overridden.is_some() && !kind.is_closed());

    model.version = Set(current.version + 1);
    model.updated_at = Set(at);
    let saved = save_versioned_model(
        &txn,
        model,
        Column::Id,
        Column::Version,
        id,
        current.version,
    )
    .await?;
    let moved = saved.stage_id != current.stage_id;
    let after = view(saved, kind);
    crate::store::notifications::reassigned(
        &txn,
        principal,
        kedao_api_types::notifications::RecordType::Opportunity,
        id,
        &after.title,
        current.owner_id,
        after.owner_id,
        at,
    )
    .await?;
    if moved {
        webhooks::emit(&txn, "opportunity.stage_changed", after.dealer_id, &after).await?;
    }
    // The key fields do not depend on the stage kind the view is told.
    history::track(
        &txn,
        principal,
        Resource::Opportunities,
        id,
        &view(current, kind),
        &after,
        at,
    )
    .await?;
    txn.commit().await?;
    Ok(masking::opportunity(principal, after))
}

/// When a deal closed: set on entering a won or lost stage, kept while it moves between stages
/// of the same closed kind (contract signed → implementation), cleared when it reopens.
pub fn closed_at(
    from: Option<StageKind>,
    to: StageKind,
    current: Option<DateTime<Utc>>,
    at: DateTime<Utc>,
) -> Option<DateTime<Utc>> {
    match (from, to.is_closed()) {
        (_, false) => None,
        (Some(from), true) if from == to => current.or(Some(at)),
        (_, true) => Some(at),
    }
}

/// Records one move in the stage history (`from` is `None` for the stage it was created in).
pub async fn record_move<C: ConnectionTrait>(
    db: &C,
    opportunity_id: Uuid,
    from: Option<Uuid>,
    to: Uuid,
    by: Uuid,
    at: DateTime<Utc>,
) -> Result<(), ApiError> {
    db.execute(&move_insert(opportunity_id, from, to, by, at))
        .await?;
    Ok(())
}

/// The insert of [`record_move`], for a caller that sends it with other writes.
pub fn move_insert(
    opportunity_id: Uuid,
    from: Option<Uuid>,
    to: Uuid,
    by: Uuid,
    at: DateTime<Utc>,
) -> InsertStatement {
    stage_history::Entity::insert(stage_history::ActiveModel {
        id: Set(new_id()),
        opportunity_id: Set(opportunity_id),
        from_stage_id: Set(from),
        to_stage_id: Set(to),
        changed_by: Set(by),
        changed_at: Set(at),
    })
    .into_query()
}

/// The account, if the caller's read reach on accounts covers it; an invalid `field` otherwise
/// (a deal may only be opened on a customer the caller can see).
pub async fn visible_account<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    id: Uuid,
    field: &str,
) -> Result<accounts::Model, ApiError> {
    let found = visible_account_select(principal, id)?.one(db).await?;
    found.ok_or_else(|| unknown_account(field))
}

/// As `visible_account`, and locks the account's row to the end of the transaction in the same
/// statement: the first lock of a money transaction (see `credit::lock_account`).
pub async fn visible_account_locked<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    id: Uuid,
    field: &str,
) -> Result<accounts::Model, ApiError> {
    let found = visible_account_select(principal, id)?
        .lock_exclusive()
        .one(db)
        .await?;
    found.ok_or_else(|| unknown_account(field))
}

fn visible_account_select(
    principal: &Principal,
    id: Uuid,
) -> Result<Select<accounts::Entity>, ApiError> {
    let reach = principal.reach(Resource::Accounts, Action::Read)?;
    Ok(
        accounts::Entity::find_by_id(id).filter(scope::owned_or_shared(
            principal,
            reach,
            accounts::Column::OwnerId,
            accounts::Column::Id,
            accounts::Column::DealerId,
        )),
    )
}

fn unknown_account(field: &str) -> ApiError {
    ApiError::field(
        field,
        "unknown-account",
        "no account you can see has this id",
    )
}

/// Checks that the contact belongs to the opportunity's account (which the caller sees).
pub async fn check_contact<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    account_id: Uuid,
    contact_id: Uuid,
    field: &str,
) -> Result<(), ApiError> {
    principal.reach(Resource::Opportunities, Action::Read)?;
    contacts::Entity::find_by_id(contact_id)
        .filter(contacts::Column::AccountId.eq(account_id))
        .one(db)
        .await?
        .map(|_| ())
        .ok_or_else(|| {
            ApiError::field(
                field,
                "unknown-contact",
                "no contact of the opportunity's account has this id",
            )
        })
}

/// The stage, if it belongs to the pipeline; an invalid `field` otherwise.
pub async fn stage_in_pipeline<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    pipeline_id: Uuid,
    stage_id: Uuid,
    field: &str,
) -> Result<stages::Model, ApiError> {
    // Reading a stage is reading its pipeline.
    principal.reach(Resource::Pipelines, Action::Read)?;
    let stage = stages::Entity::find_by_id(stage_id)
        .one(db)
        .await?
        .ok_or_else(|| ApiError::field(field, "unknown-stage", "no stage has this id"))?;
    if stage.pipeline_id != pipeline_id {
        return Err(rule(field, "foreign-stage", StageError::ForeignStage));
    }
    Ok(stage)
}
