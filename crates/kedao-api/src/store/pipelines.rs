//! Pipelines: the default one every installation starts with, and their administration.
//! Their stages are changed in `stages`; both share the helpers at the end of this file.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, Set, SqlErr, TransactionTrait,
};
use uuid::Uuid;

use kedao_api_types::pipelines::{PipelineCreate, PipelineUpdate, PipelineView};
use kedao_domain::access::{Action, Reach, Resource};
use kedao_domain::pipeline::{DEFAULT_FUNNEL, StageKind, validate_pipeline};

use crate::auth::Principal;
use crate::error::{ApiError, rule};
use crate::store::entities::{opportunities, pipelines, stages};
use crate::store::fields::{required, save_versioned};
use crate::store::stages::{check_stage, insert_stage, stage_view};
use crate::store::{new_id, now};

/// Name of the pipeline every installation starts with.
pub const DEFAULT_PIPELINE_NAME: &str = "标准销售流程 Standard sales";

/// Most stages a pipeline may have: more is not a funnel anyone can read.
pub const MAX_STAGES: usize = 30;

/// Installs the seeds' funnel as the default pipeline when there is no pipeline at all.
pub async fn ensure_default(db: &DatabaseConnection) -> anyhow::Result<()> {
    let txn = db.begin().await?;
    if pipelines::Entity::find().count(&txn).await? > 0 {
        return Ok(());
    }
    let at = now();
    let pipeline = pipelines::ActiveModel {
        id: Set(new_id()),
        name: Set(DEFAULT_PIPELINE_NAME.to_owned()),
        is_default: Set(true),
        created_at: Set(at),
        updated_at: Set(at),
        version: Set(1),
    }
    .insert(&txn)
    .await?;
    for (position, (name, name_zh, kind, probability)) in DEFAULT_FUNNEL.iter().enumerate() {
        stages::ActiveModel {
            id: Set(new_id()),
            pipeline_id: Set(pipeline.id),
            name: Set((*name).to_owned()),
            name_zh: Set(Some((*name_zh).to_owned())),
            position: Set(i32::try_from(position)?),
            probability: Set(i16::from(*probability)),
            kind: Set(kind.as_str().to_owned()),
            created_at: Set(at),
            updated_at: Set(at),
            version: Set(1),
        }
        .insert(&txn)
        .await?;
    }
    txn.commit().await?;
    Ok(())
}

pub async fn list<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
) -> Result<Vec<PipelineView>, ApiError> {
    principal.reach(Resource::Pipelines, Action::Read)?;
    let rows = pipelines::Entity::find()
        .order_by_asc(pipelines::Column::CreatedAt)
        .order_by_asc(pipelines::Column::Id)
        .all(db)
        .await?;
    // One query for every stage rather than one per pipeline.
    let mut all_stages = stages::Entity::find()
        .order_by_asc(stages::Column::Position)
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|p| {
            let (mine, rest) = all_stages.drain(..).partition(|s| s.pipeline_id == p.id);
            all_stages = rest;
            view(p, mine)
        })
        .collect())
}

pub async fn get<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    id: Uuid,
) -> Result<PipelineView, ApiError> {
    let pipeline = find(db, principal, id).await?;
    let stages = stages_of(db, principal, id).await?;
    Ok(view(pipeline, stages))
}

pub async fn create(
    db: &DatabaseConnection,
    principal: &Principal,
    input: PipelineCreate,
) -> Result<PipelineView, ApiError> {
    require_admin(principal)?;
    let name = required(&input.name, 100, "name")?;
    if input.stages.len() > MAX_STAGES {
        return Err(ApiError::field(
            "stages",
            "too-many",
            format!("at most {MAX_STAGES} stages"),
        ));
    }
    let checked = input
        .stages
        .iter()
        .enumerate()
        .map(|(i, s)| {
            check_stage(
                &s.name,
                s.name_zh.as_deref(),
                s.probability,
                s.kind,
                &format!("stages[{i}]."),
            )
        })
        .collect::<Result<Vec<_>, _>>()?;
    let kinds: Vec<StageKind> = checked.iter().map(|s| s.kind).collect();
    validate_pipeline(&kinds).map_err(|e| rule("stages", "incomplete-pipeline", e))?;

    let txn = db.begin().await?;
    ensure_name_free(&txn, &name, None).await?;
    let at = now();
    let is_default = input.is_default == Some(true);
    if is_default {
        clear_default(&txn, at).await?;
    }
    let pipeline = pipelines::ActiveModel {
        id: Set(new_id()),
        name: Set(name),
        is_default: Set(is_default),
        created_at: Set(at),
        updated_at: Set(at),
        version: Set(1),
    }
    .insert(&txn)
    .await
    .map_err(name_taken)?;
    let mut saved = Vec::with_capacity(checked.len());
    for (position, stage) in checked.into_iter().enumerate() {
        saved.push(insert_stage(&txn, pipeline.id, stage, position, at).await?);
    }
    txn.commit().await?;
    Ok(view(pipeline, saved))
}

pub async fn update(
    db: &DatabaseConnection,
    principal: &Principal,
    id: Uuid,
    expected_version: i32,
    input: PipelineUpdate,
) -> Result<PipelineView, ApiError> {
    require_admin(principal)?;
    let txn = db.begin().await?;
    let current = find(&txn, principal, id).await?;
    if current.version != expected_version {
        return Err(ApiError::PreconditionFailed {
            current_version: current.version,
        });
    }
    let at = now();
    let mut model: pipelines::ActiveModel = current.clone().into();
    if let Some(name) = input.name {
        let name = required(&name, 100, "name")?;
        ensure_name_free(&txn, &name, Some(id)).await?;
        model.name = Set(name);
    }
    match input.is_default {
        Some(true) if !current.is_default => {
            clear_default(&txn, at).await?;
            model.is_default = Set(true);
        }
        // There is always exactly one default: it moves by making another pipeline the default.
        Some(false) if current.is_default => {
            return Err(ApiError::field(
                "is_default",
                "invalid",
                "make another pipeline the default instead",
            ));
        }
        _ => {}
    }
    model.version = Set(current.version + 1);
    model.updated_at = Set(at);
    save_versioned(
        &txn,
        model,
        pipelines::Column::Id,
        pipelines::Column::Version,
        id,
        current.version,
    )
    .await
    .map_err(|e| match e {
        ApiError::Internal(cause) => match cause.downcast::<DbErr>() {
            Ok(db_err) => name_taken(db_err),
            Err(other) => ApiError::Internal(other),
        },
        other => other,
    })?;
    let view = get(&txn, principal, id).await?;
    txn.commit().await?;
    Ok(view)
}

pub async fn delete(
    db: &DatabaseConnection,
    principal: &Principal,
    id: Uuid,
    expected_version: i32,
) -> Result<(), ApiError> {
    require_admin(principal)?;
    let txn = db.begin().await?;
    let current = find(&txn, principal, id).await?;
    if current.version != expected_version {
        return Err(ApiError::PreconditionFailed {
            current_version: current.version,
        });
    }
    if current.is_default {
        return Err(ApiError::conflict(
            "pipeline-default",
            "the default pipeline cannot be deleted; make another pipeline the default first",
        ));
    }
    let used = opportunities::Entity::find()
        .filter(opportunities::Column::PipelineId.eq(id))
        .count(&txn)
        .await?;
    if used > 0 {
        return Err(ApiError::conflict(
            "pipeline-in-use",
            format!("{used} opportunities use this pipeline"),
        ));
    }
    // Stages go explicitly rather than by cascade, so the result does not depend on whether
    // the connection enforces foreign keys.
    stages::Entity::delete_many()
        .filter(stages::Column::PipelineId.eq(id))
        .exec(&txn)
        .await?;
    let result = pipelines::Entity::delete_many()
        .filter(pipelines::Column::Id.eq(id))
        .filter(pipelines::Column::Version.eq(expected_version))
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

// ---- shared with `stages`, `opportunities` and `funnel` ----

pub fn view(p: pipelines::Model, stages: Vec<stages::Model>) -> PipelineView {
    PipelineView {
        id: p.id,
        name: p.name,
        is_default: p.is_default,
        stages: stages.into_iter().map(stage_view).collect(),
        created_at: p.created_at,
        updated_at: p.updated_at,
        version: p.version,
    }
}

/// Only admins change pipelines: they shape every team's forecast.
pub fn require_admin(principal: &Principal) -> Result<(), ApiError> {
    match principal.reach(Resource::Pipelines, Action::Write)? {
        Reach::All => Ok(()),
        _ => Err(ApiError::Forbidden(
            "only admins manage pipelines".to_owned(),
        )),
    }
}

/// The pipeline, if the caller may read pipelines.
pub async fn find<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    id: Uuid,
) -> Result<pipelines::Model, ApiError> {
    principal.reach(Resource::Pipelines, Action::Read)?;
    pipelines::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(ApiError::NotFound("pipeline"))
}

/// The named pipeline, or the default one; an unknown id is an invalid `field`.
pub async fn resolve<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    id: Option<Uuid>,
    field: &str,
) -> Result<pipelines::Model, ApiError> {
    principal.reach(Resource::Pipelines, Action::Read)?;
    let found = match id {
        Some(id) => pipelines::Entity::find_by_id(id).one(db).await?,
        None => {
            pipelines::Entity::find()
                .filter(pipelines::Column::IsDefault.eq(true))
                .one(db)
                .await?
        }
    };
    match (found, id) {
        (Some(p), _) => Ok(p),
        (None, Some(_)) => Err(ApiError::field(
            field,
            "unknown-pipeline",
            "no pipeline has this id",
        )),
        (None, None) => Err(ApiError::conflict(
            "no-default-pipeline",
            "there is no default pipeline; an admin must create one",
        )),
    }
}

/// A pipeline's stages in order.
pub async fn stages_of<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    pipeline_id: Uuid,
) -> Result<Vec<stages::Model>, ApiError> {
    principal.reach(Resource::Pipelines, Action::Read)?;
    Ok(stages::Entity::find()
        .filter(stages::Column::PipelineId.eq(pipeline_id))
        .order_by_asc(stages::Column::Position)
        .order_by_asc(stages::Column::Id)
        .all(db)
        .await?)
}

/// Moves the pipeline to its next version. Every stage change starts with this: the row update
/// locks the pipeline, so concurrent stage changes of one pipeline run one after the other,
/// and one that read an older version fails with 412 instead of overwriting.
pub async fn bump<C: ConnectionTrait>(
    db: &C,
    pipeline: &pipelines::Model,
    at: DateTime<Utc>,
) -> Result<(), ApiError> {
    let result = pipelines::Entity::update_many()
        .col_expr(
            pipelines::Column::Version,
            Expr::value(pipeline.version + 1),
        )
        .col_expr(pipelines::Column::UpdatedAt, Expr::value(at))
        .filter(pipelines::Column::Id.eq(pipeline.id))
        .filter(pipelines::Column::Version.eq(pipeline.version))
        .exec(db)
        .await?;
    if result.rows_affected == 0 {
        return Err(ApiError::PreconditionFailed {
            current_version: pipeline.version + 1,
        });
    }
    Ok(())
}

/// The default flag moves: whichever pipeline had it loses it (and changes version).
async fn clear_default<C: ConnectionTrait>(db: &C, at: DateTime<Utc>) -> Result<(), ApiError> {
    pipelines::Entity::update_many()
        .col_expr(pipelines::Column::IsDefault, Expr::value(false))
        .col_expr(
            pipelines::Column::Version,
            Expr::col(pipelines::Column::Version).add(1),
        )
        .col_expr(pipelines::Column::UpdatedAt, Expr::value(at))
        .filter(pipelines::Column::IsDefault.eq(true))
        .exec(db)
        .await?;
    Ok(())
}

async fn ensure_name_free<C: ConnectionTrait>(
    db: &C,
    name: &str,
    except: Option<Uuid>,
) -> Result<(), ApiError> {
    let mut query = pipelines::Entity::find().filter(pipelines::Column::Name.eq(name));
    if let Some(id) = except {
        query = query.filter(pipelines::Column::Id.ne(id));
    }
    if query.count(db).await? > 0 {
        return Err(name_taken_error());
    }
    Ok(())
}

/// The unique index is the last word when two admins pick the same name at the same moment.
fn name_taken(e: DbErr) -> ApiError {
    match e.sql_err() {
        Some(SqlErr::UniqueConstraintViolation(_)) => name_taken_error(),
        _ => e.into(),
    }
}

fn name_taken_error() -> ApiError {
    ApiError::conflict("name-taken", "a pipeline with this name exists")
}
