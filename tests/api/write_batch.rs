//! Write batches (`store::write_batch`), which send a quote accept's or a payment's writes
//! together: each write's row count comes back (a version-checked update that found its row
//! moved on counts 0), a parent and its children can be written in one batch, and a batch
//! whose write breaks a foreign key fails as a whole, leaving nothing behind once the
//! transaction rolls back. On PostgreSQL the batch is one statement; on SQLite, one write after
//! the other.

use sea_orm::{
    ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryTrait, Set, TransactionTrait,
};
use uuid::Uuid;

use kedao_api::store::entities::{pipelines, stages};
use kedao_api::store::fields::versioned_update;
use kedao_api::store::write_batch::WriteBatch;
use kedao_api::store::{new_id, now};
use kedao_tests::{TestApp, both};

fn new_pipeline(name: &str) -> pipelines::Model {
    pipelines::Model {
        id: new_id(),
        name: name.to_owned(),
        is_default: false,
        created_at: now(),
        updated_at: now(),
        version: 1,
    }
}

/// The insert of `n` open stages of `pipeline_id`.
fn stages_insert(pipeline_id: Uuid, n: i32) -> sea_orm::sea_query::InsertStatement {
    stages::Entity::insert_many((0..n).map(|i| stages::ActiveModel {
        id: Set(new_id()),
        pipeline_id: Set(pipeline_id),
        name: Set(format!("Step {i}")),
        name_zh: Set(None),
        position: Set(i),
        probability: Set(10),
        kind: Set("open".to_owned()),
        created_at: Set(now()),
        updated_at: Set(now()),
        version: Set(1),
    }))
    .into_query()
}

/// A rename of `id`, checked against `version`.
fn rename(id: Uuid, version: i32, name: &str) -> sea_orm::sea_query::UpdateStatement {
    let model = pipelines::ActiveModel {
        name: Set(name.to_owned()),
        version: Set(version + 1),
        ..Default::default()
    };
    versioned_update(
        model,
        pipelines::Column::Id,
        pipelines::Column::Version,
        id,
        version,
    )
}

async fn a_batch_answers_each_writes_row_count(app: TestApp) {
    let db = app.db().await;
    let existing = new_pipeline("Batch probe: existing");
    pipelines::Entity::insert(pipelines::ActiveModel::from(existing.clone()))
        .exec_without_returning(&db)
        .await
        .unwrap();

    let txn = db.begin().await.unwrap();
    let parent = new_pipeline("Batch probe: parent");
    let mut batch = WriteBatch::new();
    let parent_write = batch.insert(
        pipelines::Entity::insert(pipelines::ActiveModel::from(parent.clone())).into_query(),
    );
    let children_write = batch.insert(stages_insert(parent.id, 3));
    let current_rename = batch.update(rename(existing.id, existing.version, "Renamed"));
    let stale_rename = batch.update(rename(new_id(), 1, "Nobody"));
    let written = batch.run(&txn).await.expect("the batch runs");
    txn.commit().await.unwrap();

    assert_eq!(written.of(parent_write), 1);
    assert_eq!(written.of(children_write), 3);
    assert_eq!(
        written.of(current_rename),
        1,
        "the rename at the current version"
    );
    assert_eq!(written.of(stale_rename), 0, "no row at that id and version");
    let children = stages::Entity::find()
        .filter(stages::Column::PipelineId.eq(parent.id))
        .count(&db)
        .await
        .unwrap();
    assert_eq!(children, 3);
    let renamed = pipelines::Entity::find_by_id(existing.id)
        .one(&db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((renamed.name.as_str(), renamed.version), ("Renamed", 2));
}

async fn a_batch_that_breaks_a_foreign_key_writes_nothing(app: TestApp) {
    let db = app.db().await;
    let txn = db.begin().await.unwrap();
    let parent = new_pipeline("Batch probe: orphaned");
    let mut batch = WriteBatch::new();
    batch.insert(
        pipelines::Entity::insert(pipelines::ActiveModel::from(parent.clone())).into_query(),
    );
    batch.insert(stages_insert(parent.id, 2));
    // Stages of a pipeline that does not exist.
    batch.insert(stages_insert(new_id(), 1));
    let failed = batch.run(&txn).await;
    assert!(failed.is_err(), "a stage without its pipeline: {failed:?}");
    drop(txn);

    let kept = pipelines::Entity::find_by_id(parent.id)
        .one(&db)
        .await
        .unwrap();
    assert_eq!(kept, None, "the rolled-back batch left its pipeline");
    let orphans = stages::Entity::find()
        .filter(stages::Column::PipelineId.eq(parent.id))
        .count(&db)
        .await
        .unwrap();
    assert_eq!(orphans, 0);
}

both!(
    a_batch_answers_each_writes_row_count,
    a_batch_that_breaks_a_foreign_key_writes_nothing,
);
