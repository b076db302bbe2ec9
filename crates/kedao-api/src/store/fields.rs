//! Field helpers shared by the stores: trimmed, checked text and version-checked writes.

use sea_orm::sea_query::UpdateStatement;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryTrait,
    TryIntoModel,
};
use uuid::Uuid;

use kedao_domain::text;

use crate::error::{ApiError, rule};

/// Writes `model` only if the row is still at `version`; 412 otherwise. This is the guard
/// against lost updates: two writers that read the same version cannot both succeed.
pub async fn save_versioned<C, A, E>(
    db: &C,
    model: A,
    id_col: E::Column,
    version_col: E::Column,
    id: Uuid,
    version: i32,
) -> Result<(), ApiError>
where
    C: ConnectionTrait,
    E: EntityTrait,
    A: ActiveModelTrait<Entity = E>,
{
    let result = db
        .execute(&versioned_update(model, id_col, version_col, id, version))
        .await?;
    if result.rows_affected() == 0 {
        return Err(stale(version));
    }
    Ok(())
}

/// The update [`save_versioned`] sends, for a caller that sends it with other writes (see
/// `write_batch`) and answers [`stale`] when it wrote no row.
pub fn versioned_update<A, E>(
    model: A,
    id_col: E::Column,
    version_col: E::Column,
    id: Uuid,
    version: i32,
) -> UpdateStatement
where
    E: EntityTrait,
    A: ActiveModelTrait<Entity = E>,
{
    E::update_many()
        .set(model)
        .filter(id_col.eq(id))
        .filter(version_col.eq(version))
        .into_query()
}

/// The 412 of a versioned write that found the row no longer at `version`.
pub fn stale(version: i32) -> ApiError {
    ApiError::PreconditionFailed {
        current_version: version + 1,
    }
}

/// `save_versioned`, answering the row as saved. The model is a read row with some columns
/// set, and no column is computed by the database on update, so the saved row is the model
/// itself: no read-back (which also answers a caller who just gave the record away).
pub async fn save_versioned_model<C, A, E>(
    db: &C,
    model: A,
    id_col: E::Column,
    version_col: E::Column,
    id: Uuid,
    version: i32,
) -> Result<E::Model, ApiError>
where
    C: ConnectionTrait,
    E: EntityTrait,
    A: ActiveModelTrait<Entity = E> + TryIntoModel<E::Model>,
{
    let saved = model.clone().try_into_model()?;
    save_versioned(db, model, id_col, version_col, id, version).await?;
    Ok(saved)
}

/// An optional single-line field, trimmed and checked; blank becomes `None`.
pub fn line(value: Option<&str>, max: usize, field: &str) -> Result<Option<String>, ApiError> {
    match value {
        Some(v) => text::optional_line(v, max).map_err(|e| rule(field, "invalid", e)),
        None => Ok(None),
    }
}

/// A required single-line field, trimmed and checked.
pub fn required(value: &str, max: usize, field: &str) -> Result<String, ApiError> {
    text::required_line(value, max).map_err(|e| rule(field, "invalid", e))
}

/// An optional multi-line field, trimmed and checked.
pub fn note(value: Option<&str>, field: &str) -> Result<Option<String>, ApiError> {
    match value {
        Some(v) => {
            text::optional_text(v, kedao_api_types::NOTE_MAX).map_err(|e| rule(field, "invalid", e))
        }
        None => Ok(None),
    }
}

/// An optional e-mail address, normalized.
pub fn email(value: Option<&str>, field: &str) -> Result<Option<String>, ApiError> {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        Some(v) => text::email(v)
            .map(Some)
            .map_err(|e| rule(field, "invalid", e)),
        None => Ok(None),
    }
}

/// A list of short labels (tags, competitors): trimmed, blank and duplicate entries dropped.
pub fn labels(
    values: &[String],
    max_items: usize,
    max_chars: usize,
    field: &str,
) -> Result<serde_json::Value, ApiError> {
    let mut out: Vec<String> = Vec::new();
    for (i, v) in values.iter().enumerate() {
        let label = text::optional_line(v, max_chars)
            .map_err(|e| rule(&format!("{field}[{i}]"), "invalid", e))?;
        if let Some(label) = label
            && !out.contains(&label)
        {
            out.push(label);
        }
    }
    if out.len() > max_items {
        return Err(ApiError::field(
            field,
            "too-many",
            format!("at most {max_items} entries"),
        ));
    }
    Ok(serde_json::Value::from(out))
}
