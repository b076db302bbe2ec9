//! Human-readable quote numbers (`Q-2026-000042`) from the `number_sequences` table.
//!
//! One atomic `INSERT … ON CONFLICT DO UPDATE SET next_value = next_value + 1 … RETURNING`
//! hands out each number:
//! concurrent creators serialize on the sequence row, so no two get the same one. A number
//! drawn by a transaction that then rolls back is lost; numbers may have gaps, never repeats.

use chrono::{DateTime, Datelike, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict, Query};
use sea_orm::{ConnectionTrait, DeriveIden};

use crate::error::ApiError;

#[derive(DeriveIden, Clone, Copy)]
enum NumberSequences {
    Table,
    Name,
    NextValue,
}

/// The next value of a named sequence, starting at 1.
pub async fn next<C: ConnectionTrait>(db: &C, name: &str) -> Result<i64, ApiError> {
    // One statement, one round trip: the first call creates the row holding the value after
    // 1; later ones bump it. The table-qualified column is the stored row's value.
    let mut upsert = Query::insert();
    upsert
        .into_table(NumberSequences::Table)
        .columns([NumberSequences::Name, NumberSequences::NextValue])
        .values([Expr::val(name), Expr::val(2_i64)])
        .map_err(|e| ApiError::Internal(anyhow::Error::new(e)))?
        .on_conflict(
            OnConflict::column(NumberSequences::Name)
                .value(
                    NumberSequences::NextValue,
                    Expr::col((NumberSequences::Table, NumberSequences::NextValue)).add(1_i64),
                )
                .to_owned(),
        )
        .returning_col(NumberSequences::NextValue);
    let row = db
        .query_one(&upsert)
        .await?
        .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("sequence {name} has no row")))?;
    let next: i64 = row.try_get("", "next_value")?;
    Ok(next - 1)
}

/// A new quote number for the year of `at`.
pub async fn next_quote_number<C: ConnectionTrait>(
    db: &C,
    at: DateTime<Utc>,
) -> Result<String, ApiError> {
    let year = at.year();
    let n = next(db, &format!("quote-{year}")).await?;
    Ok(format!("Q-{year}-{n:06}"))
}
