//! Human-readable quote numbers (`Q-2026-000042`) from the `number_sequences` table.
//!
//! One atomic `UPDATE … SET next_value = next_value + 1 … RETURNING` hands out each number:
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
    // Creates the row the first time; a concurrent creator's row wins and this does nothing.
    let mut insert = Query::insert();
    insert
        .into_table(NumberSequences::Table)
        .columns([NumberSequences::Name, NumberSequences::NextValue])
        .values([Expr::val(name), Expr::val(1_i64)])
        .map_err(|e| ApiError::Internal(anyhow::Error::new(e)))?
        .on_conflict(
            OnConflict::column(NumberSequences::Name)
                .do_nothing()
                .to_owned(),
        );
    db.execute(&insert).await?;
    let update = Query::update()
        .table(NumberSequences::Table)
        .value(
            NumberSequences::NextValue,
            Expr::col(NumberSequences::NextValue).add(1_i64),
        )
        .and_where(Expr::col(NumberSequences::Name).eq(name))
        .returning_col(NumberSequences::NextValue)
        .to_owned();
    let row = db
        .query_one(&update)
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
