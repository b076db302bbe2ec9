//! Pipelines and their stages.

use sea_orm::DatabaseConnection;
use sea_orm::{ActiveModelTrait, EntityTrait, PaginatorTrait, Set, TransactionTrait};

use kedao_domain::pipeline::DEFAULT_FUNNEL;

use crate::store::entities::{pipelines, stages};
use crate::store::{new_id, now};

/// Name of the pipeline every installation starts with.
pub const DEFAULT_PIPELINE_NAME: &str = "标准销售流程 Standard sales";

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
