//! The receivables reports whole, for export: every page of a by-account report, read in one
//! read-only transaction so the pages agree with each other (on PostgreSQL at repeatable read,
//! one snapshot for all of them; SQLite's transaction is one snapshot already).

use std::future::Future;

use sea_orm::{
    AccessMode, DatabaseConnection, DatabaseTransaction, DbBackend, IsolationLevel,
    TransactionTrait,
};

use kedao_api_types::receivables::{AgingReport, OverdueView, ReceivablesGroupBy, SummaryReport};

use crate::auth::Principal;
use crate::error::ApiError;
use crate::store::paging::Paging;
use crate::store::receivable_reports::{MAX_ACCOUNT_PAGE, OVERDUE_SORT, aging, overdue, summary};

/// The whole aging report.
pub async fn whole_aging(
    db: &DatabaseConnection,
    principal: &Principal,
    by: ReceivablesGroupBy,
) -> Result<AgingReport, ApiError> {
    let txn = snapshot(db).await?;
    let mut report = aging(&txn, principal, by, Some(MAX_ACCOUNT_PAGE), None).await?;
    report.rows = every_page(report.rows, report.next_cursor.take(), |cursor| {
        let txn = &txn;
        async move {
            let page = aging(txn, principal, by, Some(MAX_ACCOUNT_PAGE), Some(&cursor)).await?;
            Ok((page.rows, page.next_cursor))
        }
    })
    .await?;
    txn.commit().await?;
    Ok(report)
}

/// The whole per-group summary of outstanding and overdue.
pub async fn whole_summary(
    db: &DatabaseConnection,
    principal: &Principal,
    by: ReceivablesGroupBy,
) -> Result<SummaryReport, ApiError> {
    let txn = snapshot(db).await?;
    let mut report = summary(&txn, principal, by, Some(MAX_ACCOUNT_PAGE), None).await?;
    report.rows = every_page(report.rows, report.next_cursor.take(), |cursor| {
        let txn = &txn;
        async move {
            let page = summary(txn, principal, by, Some(MAX_ACCOUNT_PAGE), Some(&cursor)).await?;
            Ok((page.rows, page.next_cursor))
        }
    })
    .await?;
    txn.commit().await?;
    Ok(report)
}

/// Rows per page read for the overdue export: five times an API page, so a hundred thousand
/// overdue installments take a hundred pages (each with its three name look-ups), not five
/// hundred.
const OVERDUE_EXPORT_PAGE: u64 = 1000;

/// The whole overdue list, most days overdue first.
pub async fn whole_overdue(
    db: &DatabaseConnection,
    principal: &Principal,
) -> Result<Vec<OverdueView>, ApiError> {
    let txn = snapshot(db).await?;
    let page_after = |cursor: Option<String>| {
        let txn = &txn;
        async move {
            let mut paging = Paging::parse(
                None,
                None,
                cursor.as_deref(),
                None,
                &OVERDUE_SORT,
                "due_date",
            )?;
            paging.limit = OVERDUE_EXPORT_PAGE;
            let page = overdue(txn, principal, paging).await?;
            Ok((page.items, page.next_cursor))
        }
    };
    let (first, next) = page_after(None).await?;
    let rows = every_page(first, next, |cursor| page_after(Some(cursor))).await?;
    txn.commit().await?;
    Ok(rows)
}

/// A read-only transaction that sees one state of the database throughout.
async fn snapshot(db: &DatabaseConnection) -> Result<DatabaseTransaction, ApiError> {
    let txn = match db.get_database_backend() {
        DbBackend::Postgres => {
            db.begin_with_config(
                Some(IsolationLevel::RepeatableRead),
                Some(AccessMode::ReadOnly),
            )
            .await?
        }
        _ => db.begin().await?,
    };
    Ok(txn)
}

/// The first page's rows followed by those of every page after it.
async fn every_page<R, F, Fut>(
    mut rows: Vec<R>,
    mut next: Option<String>,
    mut read: F,
) -> Result<Vec<R>, ApiError>
where
    F: FnMut(String) -> Fut,
    Fut: Future<Output = Result<(Vec<R>, Option<String>), ApiError>>,
{
    while let Some(cursor) = next {
        let (more, after) = read(cursor).await?;
        rows.extend(more);
        next = after;
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn every_page_follows_the_cursors_to_the_end() {
        // Pages of three rows after the first, the last one short and without a cursor.
        let read = |cursor: String| async move {
            let from: u32 = cursor
                .parse()
                .map_err(|e| ApiError::Internal(anyhow::Error::new(e)))?;
            let rows: Vec<u32> = (from..(from + 3).min(10)).collect();
            let next = (from + 3 < 10).then(|| (from + 3).to_string());
            Ok((rows, next))
        };
        let all = every_page(vec![0, 1], Some("2".to_owned()), read)
            .await
            .unwrap();
        assert_eq!(all, (0..10).collect::<Vec<u32>>());
        let alone = every_page(vec![7], None, read).await.unwrap();
        assert_eq!(
            alone,
            [7],
            "a first page without a cursor is the whole report"
        );
    }
}
