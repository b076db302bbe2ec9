//! Human-readable numbers (`Q-2026-000042`, `O-2026-000042`): one counter per kind and year.
//!
//! On PostgreSQL each counter is a native sequence (`kedao_number_<name>`): `nextval` takes no
//! row lock and waits for no commit, so concurrent quote creations and accepts do not queue
//! behind each other on one counter row (a row counter there serialises every draw through a
//! commit). A sequence is created the first time its name is drawn, starting where the
//! `number_sequences` row of that name (if any, from a database written before sequences)
//! stopped.
//!
//! On SQLite, whose single writer serialises writes anyway, the counter is the
//! `number_sequences` row, bumped by one `INSERT … ON CONFLICT DO UPDATE … RETURNING`.
//!
//! Numbers are drawn inside the transaction that uses them. A sequence never rolls back, so on
//! PostgreSQL a number drawn by a transaction that then fails is lost: numbers may have gaps,
//! never repeats.

use chrono::{DateTime, Datelike, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict, Query};
use sea_orm::{ConnectionTrait, DbBackend, DeriveIden, Statement};

use crate::error::ApiError;

#[derive(DeriveIden, Clone, Copy)]
enum NumberSequences {
    Table,
    Name,
    NextValue,
}

/// The next value of a named counter, starting at 1. Names are the store's own
/// (`quote-2026`), never a client's.
pub async fn next<C: ConnectionTrait>(db: &C, name: &str) -> Result<i64, ApiError> {
    match db.get_database_backend() {
        DbBackend::Postgres => next_from_sequence(db, name).await,
        _ => next_from_row(db, name).await,
    }
}

/// The PostgreSQL sequence behind a counter name: `quote-2026` → `kedao_number_quote_2026`.
fn sequence_name(name: &str) -> Result<String, ApiError> {
    if name.is_empty()
        || !name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    {
        return Err(ApiError::Internal(anyhow::anyhow!(
            "counter name {name:?} is not lower-case letters, digits and dashes"
        )));
    }
    Ok(format!("kedao_number_{}", name.replace('-', "_")))
}

async fn next_from_sequence<C: ConnectionTrait>(db: &C, name: &str) -> Result<i64, ApiError> {
    let sequence = sequence_name(name)?;
    // `nextval` only when the sequence exists (CASE evaluates it only then), so a missing one
    // answers NULL instead of an error that would abort the caller's transaction.
    let draw = Statement::from_sql_and_values(
        DbBackend::Postgres,
        "SELECT CASE WHEN to_regclass($1) IS NOT NULL THEN nextval($1) END AS n",
        [sequence.clone().into()],
    );
    for _ in 0..2 {
        let row = db
            .query_one_raw(draw.clone())
            .await?
            .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("nextval answered no row")))?;
        if let Some(n) = row.try_get::<Option<i64>>("", "n")? {
            return Ok(n);
        }
        create_sequence(db, name, &sequence).await?;
    }
    Err(ApiError::Internal(anyhow::anyhow!(
        "sequence {sequence} could not be created"
    )))
}

/// Creates the counter's sequence unless another transaction just did. Concurrent first draws
/// queue on an advisory lock (held to the end of the transaction), and the one that gets it
/// after another created the sequence finds it through `IF NOT EXISTS`: an `IF to_regclass(…)`
/// test there could still answer from the catalogue as it was before the wait (a test of
/// concurrent first draws caught that), whereas `CREATE` looks again once it holds the
/// schema's lock. Should two creations still meet, the loser's error is caught inside the
/// block (a subtransaction), never aborting the caller's transaction.
async fn create_sequence<C: ConnectionTrait>(
    db: &C,
    name: &str,
    sequence: &str,
) -> Result<(), ApiError> {
    // Both names were checked by `sequence_name` (letters, digits, dashes, underscores), so
    // they can stand in the block's text, which takes no parameters.
    let sql = format!(
        "DO $$ DECLARE first_value bigint; BEGIN \
           PERFORM pg_advisory_xact_lock(hashtext('kedao_number_sequences')); \
           SELECT coalesce(max(next_value), 1) INTO first_value \
             FROM number_sequences WHERE name = '{name}'; \
           EXECUTE format('CREATE SEQUENCE IF NOT EXISTS %I START WITH %s', '{sequence}', \
                          first_value); \
         EXCEPTION WHEN duplicate_table OR unique_violation THEN NULL; \
         END $$"
    );
    db.execute_unprepared(&sql).await?;
    Ok(())
}

async fn next_from_row<C: ConnectionTrait>(db: &C, name: &str) -> Result<i64, ApiError> {
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

#[cfg(test)]
mod tests {
    use super::sequence_name;

    #[test]
    fn sequence_names_are_the_counter_names_made_identifiers() {
        assert_eq!(
            sequence_name("order-2026").unwrap(),
            "kedao_number_order_2026"
        );
        assert!(sequence_name("x'; DROP TABLE users; --").is_err());
        assert!(sequence_name("").is_err());
        assert!(sequence_name("Quote-2026").is_err());
    }
}
