//! Funnel stages: add, change, delete and reorder (admins only), and how a stored stage is
//! read and checked. Every change moves the pipeline to its next version, so a pipeline's ETag
//! covers its stages and their order.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, Set, TransactionTrait,
};
use uuid::Uuid;

use kedao_api_types::pipelines::{PipelineView, StageCreate, StageReorder, StageUpdate, StageView};
use kedao_domain::pipeline::{self, Probability, StageKind, validate_stage};

use crate::auth::Principal;
use crate::error::{ApiError, rule};
use crate::store::entities::{opportunities, stage_history, stages};
use crate::store::fields::{line, required, save_versioned};
use crate::store::pipelines::{self, MAX_STAGES, bump, require_admin, stages_of};
use crate::store::{new_id, now};

/// Adds a stage at `position`, by default just before the first closed stage (so a new step
/// lands in the open part of the funnel).
pub async fn add(
    db: &DatabaseConnection,
    principal: &Principal,
    pipeline_id: Uuid,
    input: StageCreate,
) -> Result<StageView, ApiError> {
    require_admin(principal)?;
    let stage = check_stage(
        &input.name,
        input.name_zh.as_deref(),
        input.probability,
        input.kind,
        "",
    )?;
    let txn = db.begin().await?;
    let pipeline = pipelines::find(&txn, principal, pipeline_id).await?;
    let at = now();
    bump(&txn, &pipeline, at).await?;
    let mut current = stages_of(&txn, principal, pipeline_id).await?;
    if current.len() >= MAX_STAGES {
        return Err(ApiError::conflict(
            "too-many-stages",
            format!("a pipeline has at most {MAX_STAGES} stages"),
        ));
    }
    let position = match input.position {
        Some(p) => usize::try_from(p)
            .ok()
            .filter(|p| *p <= current.len())
            .ok_or_else(|| {
                ApiError::field(
                    "position",
                    "out-of-range",
                    format!("position must be from 0 to {}", current.len()),
                )
            })?,
        None => current
            .iter()
            .position(|s| stage_kind(s).is_closed())
            .unwrap_or(current.len()),
    };
    let saved = insert_stage(&txn, pipeline_id, stage, position, at).await?;
    current.insert(position, saved.clone());
    renumber(&txn, &current).await?;
    txn.commit().await?;
    Ok(stage_view(saved))
}

/// Renames a stage or changes its probability. A new probability reaches every opportunity in
/// the stage that nobody overrode, in the same transaction, so forecasts never mix the two.
pub async fn update(
    db: &DatabaseConnection,
    principal: &Principal,
    id: Uuid,
    expected_version: i32,
    input: StageUpdate,
) -> Result<StageView, ApiError> {
    require_admin(principal)?;
    let txn = db.begin().await?;
    let current = find(&txn, id).await?;
    if current.version != expected_version {
        return Err(ApiError::PreconditionFailed {
            current_version: current.version,
        });
    }
    let pipeline = pipelines::find(&txn, principal, current.pipeline_id).await?;
    let at = now();
    bump(&txn, &pipeline, at).await?;
    let mut model: stages::ActiveModel = current.clone().into();
    if let Some(name) = input.name {
        model.name = Set(required(&name, 100, "name")?);
    }
    if let Some(name_zh) = input.name_zh {
        model.name_zh = Set(line(name_zh.as_deref(), 100, "name_zh")?);
    }
    let old_probability = stage_probability(&current);
    let new_probability = match input.probability {
        Some(p) => check_probability(stage_kind(&current), p)?,
        None => old_probability,
    };
    model.probability = Set(i16::from(new_probability.percent()));
    model.version = Set(current.version + 1);
    model.updated_at = Set(at);
    save_versioned(
        &txn,
        model,
        stages::Column::Id,
        stages::Column::Version,
        id,
        current.version,
    )
    .await?;
    if new_probability != old_probability {
        // The stored probability is the effective one (it feeds the funnel's SQL sums), so it
        // follows the stage here. Versions of the opportunities stay: nobody edited them.
        opportunities::Entity::update_many()
            .col_expr(
                opportunities::Column::Probability,
                Expr::value(i16::from(new_probability.percent())),
            )
            .filter(opportunities::Column::StageId.eq(id))
            .filter(opportunities::Column::ProbabilityOverridden.eq(false))
            .exec(&txn)
            .await?;
    }
    let saved = find(&txn, id).await?;
    txn.commit().await?;
    Ok(stage_view(saved))
}

/// Deletes a stage nothing refers to, if the pipeline keeps an open, a won and a lost stage.
pub async fn delete(
    db: &DatabaseConnection,
    principal: &Principal,
    id: Uuid,
    expected_version: i32,
) -> Result<(), ApiError> {
    require_admin(principal)?;
    let txn = db.begin().await?;
    let current = find(&txn, id).await?;
    if current.version != expected_version {
        return Err(ApiError::PreconditionFailed {
            current_version: current.version,
        });
    }
    let pipeline = pipelines::find(&txn, principal, current.pipeline_id).await?;
    bump(&txn, &pipeline, now()).await?;
    let in_stage = opportunities::Entity::find()
        .filter(opportunities::Column::StageId.eq(id))
        .count(&txn)
        .await?;
    // History keeps stage ids without a foreign key; deleting a stage it names would leave
    // moves that point nowhere.
    let in_history = stage_history::Entity::find()
        .filter(
            Condition::any()
                .add(stage_history::Column::FromStageId.eq(id))
                .add(stage_history::Column::ToStageId.eq(id)),
        )
        .count(&txn)
        .await?;
    if in_stage > 0 || in_history > 0 {
        return Err(ApiError::conflict(
            "stage-in-use",
            "opportunities are or were in this stage; it can be renamed but not deleted",
        ));
    }
    let remaining: Vec<stages::Model> = stages_of(&txn, principal, pipeline.id)
        .await?
        .into_iter()
        .filter(|s| s.id != id)
        .collect();
    let kinds: Vec<StageKind> = remaining.iter().map(stage_kind).collect();
    pipeline::validate_pipeline(&kinds)
        .map_err(|e| ApiError::conflict("invalid-pipeline", e.to_string()))?;
    let result = stages::Entity::delete_many()
        .filter(stages::Column::Id.eq(id))
        .filter(stages::Column::Version.eq(expected_version))
        .exec(&txn)
        .await?;
    if result.rows_affected == 0 {
        return Err(ApiError::PreconditionFailed {
            current_version: expected_version + 1,
        });
    }
    renumber(&txn, &remaining).await?;
    txn.commit().await?;
    Ok(())
}

/// Puts a pipeline's stages in a new order, given as every stage id exactly once.
pub async fn reorder(
    db: &DatabaseConnection,
    principal: &Principal,
    pipeline_id: Uuid,
    input: StageReorder,
) -> Result<PipelineView, ApiError> {
    require_admin(principal)?;
    let txn = db.begin().await?;
    let pipeline = pipelines::find(&txn, principal, pipeline_id).await?;
    bump(&txn, &pipeline, now()).await?;
    let current = stages_of(&txn, principal, pipeline_id).await?;
    let ids: Vec<Uuid> = current.iter().map(|s| s.id).collect();
    let order = pipeline::reorder(&ids, &input.stage_ids)
        .map_err(|e| rule("stage_ids", "not-a-permutation", e))?;
    let mut by_id: Vec<Option<stages::Model>> = current.into_iter().map(Some).collect();
    let mut ordered = Vec::with_capacity(order.len());
    for id in order {
        if let Some(stage) = by_id
            .iter_mut()
            .find(|s| s.as_ref().is_some_and(|s| s.id == id))
            .and_then(Option::take)
        {
            ordered.push(stage);
        }
    }
    renumber(&txn, &ordered).await?;
    let view = pipelines::get(&txn, principal, pipeline_id).await?;
    txn.commit().await?;
    Ok(view)
}

async fn find<C: ConnectionTrait>(db: &C, id: Uuid) -> Result<stages::Model, ApiError> {
    stages::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(ApiError::NotFound("stage"))
}

/// Writes positions 0, 1, 2 … in the given order, touching only rows that moved. Stage versions
/// stay: the order belongs to the pipeline, whose version every caller here has moved.
async fn renumber<C: ConnectionTrait>(db: &C, ordered: &[stages::Model]) -> Result<(), ApiError> {
    for (i, stage) in ordered.iter().enumerate() {
        let position = position_value(i)?;
        if stage.position != position {
            stages::Entity::update_many()
                .col_expr(stages::Column::Position, Expr::value(position))
                .filter(stages::Column::Id.eq(stage.id))
                .exec(db)
                .await?;
        }
    }
    Ok(())
}

// ---- shared with `pipelines`, `opportunities` and `funnel` ----

pub fn stage_view(m: stages::Model) -> StageView {
    StageView {
        probability: stage_probability(&m).percent(),
        kind: stage_kind(&m),
        id: m.id,
        pipeline_id: m.pipeline_id,
        name: m.name,
        name_zh: m.name_zh,
        position: m.position,
        version: m.version,
    }
}

/// A stored stage's kind (the column only ever holds values `StageKind` wrote).
pub fn stage_kind(s: &stages::Model) -> StageKind {
    StageKind::parse(&s.kind).unwrap_or(StageKind::Open)
}

/// A stored stage's probability (only ever written after `validate_stage`).
pub fn stage_probability(s: &stages::Model) -> Probability {
    Probability::try_from(i64::from(s.probability)).unwrap_or(Probability::ZERO)
}

/// A stage definition after checking.
pub struct CheckedStage {
    pub name: String,
    pub name_zh: Option<String>,
    pub probability: Probability,
    pub kind: StageKind,
}

/// Checks a stage definition; `prefix` names where it sits in the body (`stages[2].`).
pub fn check_stage(
    name: &str,
    name_zh: Option<&str>,
    probability: i64,
    kind: Option<StageKind>,
    prefix: &str,
) -> Result<CheckedStage, ApiError> {
    let kind = kind.unwrap_or(StageKind::Open);
    let field = format!("{prefix}probability");
    let probability =
        Probability::try_from(probability).map_err(|e| rule(&field, "out-of-range", e))?;
    pipeline::validate_stage(kind, probability).map_err(|e| rule(&field, "invalid", e))?;
    Ok(CheckedStage {
        name: required(name, 100, &format!("{prefix}name"))?,
        name_zh: line(name_zh, 100, &format!("{prefix}name_zh"))?,
        probability,
        kind,
    })
}

/// Re-checks a stored stage against a new probability (the kind never changes).
pub fn check_probability(kind: StageKind, probability: i64) -> Result<Probability, ApiError> {
    let p =
        Probability::try_from(probability).map_err(|e| rule("probability", "out-of-range", e))?;
    validate_stage(kind, p).map_err(|e| rule("probability", "invalid", e))?;
    Ok(p)
}

pub async fn insert_stage<C: ConnectionTrait>(
    db: &C,
    pipeline_id: Uuid,
    stage: CheckedStage,
    position: usize,
    at: DateTime<Utc>,
) -> Result<stages::Model, ApiError> {
    Ok(stages::ActiveModel {
        id: Set(new_id()),
        pipeline_id: Set(pipeline_id),
        name: Set(stage.name),
        name_zh: Set(stage.name_zh),
        position: Set(position_value(position)?),
        probability: Set(i16::from(stage.probability.percent())),
        kind: Set(stage.kind.as_str().to_owned()),
        created_at: Set(at),
        updated_at: Set(at),
        version: Set(1),
    }
    .insert(db)
    .await?)
}

pub fn position_value(position: usize) -> Result<i32, ApiError> {
    i32::try_from(position).map_err(|_| ApiError::field("position", "out-of-range", "too large"))
}
