//! SQL the quote-to-cash scenarios run directly: the aging report's own grouped statement
//! (built by the store's `receivable_reports::sql`) for the database baseline, another shape
//! of it for comparison, the open-installment read of a payment
//! (`receivables::open_installments`), and the pools the write scenarios draw from.

use std::collections::HashMap;

use anyhow::{Context, anyhow};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbBackend, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, QueryTrait, Statement,
};
use uuid::Uuid;

use kedao_api::auth::Principal;
use kedao_api::store::entities::installments::{Column, Entity};
use kedao_api::store::{receivable_reports, scope};
use kedao_api_types::receivables::ReceivablesGroupBy;
use kedao_domain::access::{Action, Resource};

use crate::restore::PAYMENT_REFERENCE;
use crate::seed_orders_sql::POOL_NOTE;
use crate::seed_sql::quote;

/// The scope condition of a receivables read for `principal`, as the store builds it.
fn receivables_scope(principal: &Principal) -> anyhow::Result<sea_orm::Condition> {
    let reach = principal
        .reach(Resource::Receivables, Action::Read)
        .map_err(|e| anyhow!("reach: {e}"))?;
    Ok(scope::owner_filter(
        principal,
        reach,
        Column::OwnerId,
        Column::DealerId,
    ))
}

/// The statement `GET /api/v1/receivables/aging?group_by=…` sends for `principal`: the
/// store's own (`store::receivable_reports::sql::aging`), with the caller's "today" — by
/// account, its first page of 200 rows, as the API's default.
pub fn aging_statement(principal: &Principal, by: ReceivablesGroupBy) -> anyhow::Result<Statement> {
    let first_page = receivable_reports::sql::AccountPage {
        after: None,
        limit: 200,
    };
    let select = receivable_reports::sql::aging(principal, by, Some(&first_page))
        .map_err(|e| anyhow!("{e}"))?;
    Ok(DbBackend::Postgres.build(&select))
}

/// Runs a report statement and decodes its rows as the server reads them (group, name,
/// currency, each figure's text sum); returns how many rows.
pub async fn run_report(db: &DatabaseConnection, statement: Statement) -> anyhow::Result<usize> {
    use receivable_reports::sql;
    let rows = db.query_all_raw(statement).await?;
    for row in &rows {
        let _: (Option<Uuid>, Option<String>, String) = (
            row.try_get("", sql::GROUP_ID)?,
            row.try_get("", sql::GROUP_NAME)?,
            row.try_get("", sql::CURRENCY)?,
        );
        for (_, figure) in sql::AGING {
            let sum: String = row.try_get("", figure.column)?;
            let digits = sum.split('.').next().unwrap_or(&sum);
            let _: i128 = digits.parse()?;
        }
    }
    anyhow::ensure!(!rows.is_empty(), "the aging report came back empty");
    Ok(rows.len())
}

/// The aging bucket of `kedao_domain::receivable::aging_bucket` as SQL: 0 not due, 1 for 1–30
/// days past due, 2 for 31–60, 3 for 61–90, 4 over 90.
const BUCKET: &str = "CASE WHEN due_date >= current_date THEN 0 \
                      WHEN due_date >= current_date - 30 THEN 1 \
                      WHEN due_date >= current_date - 60 THEN 2 \
                      WHEN due_date >= current_date - 90 THEN 3 ELSE 4 END";

/// Another shape of the same report, for comparison: one sum per group, currency and bucket
/// (a CASE per bucket is five sums per row), folded into report rows by the caller; no
/// names. Same scope (without account shares) and open-installment filter. `by` is `account`
/// or `owner`.
pub fn aging_grouped(principal: &Principal, by: &str) -> anyhow::Result<Statement> {
    let group = match by {
        "account" => Column::AccountId,
        "owner" => Column::OwnerId,
        other => return Err(anyhow!("unknown group_by {other}")),
    };
    Ok(Entity::find()
        .select_only()
        .column_as(group, "group_id")
        .column(Column::Currency)
        .expr_as(Expr::cust(BUCKET), "bucket")
        .expr_as(Expr::cust("sum(amount - paid)::text"), "outstanding")
        .filter(receivables_scope(principal)?)
        .filter(Expr::col(Column::Paid).lt(Expr::col(Column::Amount)))
        .filter(Column::CancelledAt.is_null())
        .group_by(group)
        .group_by(Column::Currency)
        .group_by(Expr::cust("bucket"))
        .build(DbBackend::Postgres))
}

/// Runs the grouped aging statement, decodes its rows and folds the buckets into one row per
/// group and currency, as the report does; returns how many report rows.
pub async fn run_grouped(db: &DatabaseConnection, statement: Statement) -> anyhow::Result<usize> {
    let rows = db.query_all_raw(statement).await?;
    let mut report: HashMap<(Uuid, String), [i128; 5]> = HashMap::new();
    for row in &rows {
        let (group, currency, bucket, sum): (Uuid, String, i32, String) = (
            row.try_get_by_index(0)?,
            row.try_get_by_index(1)?,
            row.try_get_by_index(2)?,
            row.try_get_by_index(3)?,
        );
        let slot = usize::try_from(bucket)?.min(4);
        report.entry((group, currency)).or_default()[slot] += sum.parse::<i128>()?;
    }
    anyhow::ensure!(!report.is_empty(), "the grouped aging came back empty");
    Ok(report.len())
}

/// The read a payment makes first (`receivables::open_installments`): the account's open
/// installments in its currency, oldest due first.
pub fn payment_installments(account: Uuid, currency: &str) -> Statement {
    Entity::find()
        .filter(Column::AccountId.eq(account))
        .filter(Column::Currency.eq(currency))
        .filter(Column::CancelledAt.is_null())
        .filter(Expr::col(Column::Paid).lt(Expr::col(Column::Amount)))
        .order_by_asc(Column::DueDate)
        .order_by_asc(Column::Seq)
        .order_by_asc(Column::Id)
        .build(DbBackend::Postgres)
}

/// An account with something open in one currency: what one payment request pays part of.
#[derive(Debug, Clone)]
pub struct PaymentTarget {
    pub account_id: Uuid,
    pub currency: String,
    /// Outstanding in storage units (scale 4).
    pub outstanding: i64,
}

impl PaymentTarget {
    /// 40% of what is outstanding, in whole cents and at least one: always applied in full.
    pub fn amount(&self) -> String {
        let cents = self.outstanding / 100;
        let pay = Ord::max(cents * 2 / 5, 1);
        format!("{}.{:02}", pay / 100, pay % 100)
    }
}

/// Distinct accounts with open installments (one currency each), in a fixed shuffled order.
pub async fn payment_targets(
    db: &DatabaseConnection,
    limit: usize,
) -> anyhow::Result<Vec<PaymentTarget>> {
    let sql = format!(
        "SELECT account_id, currency, outstanding FROM ( \
           SELECT DISTINCT ON (account_id) account_id, currency, \
                  sum(amount - paid)::bigint AS outstanding \
           FROM installments WHERE paid < amount AND cancelled_at IS NULL \
           GROUP BY account_id, currency \
           ORDER BY account_id, outstanding DESC) t \
         ORDER BY md5(account_id::text) LIMIT {limit}"
    );
    let rows = db
        .query_all_raw(Statement::from_string(DbBackend::Postgres, sql))
        .await
        .context("finding accounts with open installments")?;
    rows.iter()
        .map(|r| {
            Ok(PaymentTarget {
                account_id: r.try_get_by_index(0)?,
                currency: r.try_get_by_index(1)?,
                outstanding: r.try_get_by_index(2)?,
            })
        })
        .collect()
}

/// The accept pool's quotes that are still sent and valid tomorrow, with their versions.
pub async fn sent_quotes(db: &DatabaseConnection) -> anyhow::Result<Vec<(Uuid, i32)>> {
    let sql = format!(
        "SELECT id, version FROM quotes \
         WHERE notes = {} AND status = 'sent' AND valid_until > current_date + 1 \
         ORDER BY number",
        quote(POOL_NOTE)
    );
    let rows = db
        .query_all_raw(Statement::from_string(DbBackend::Postgres, sql))
        .await
        .context("finding the sent quotes of the accept pool")?;
    rows.iter()
        .map(|r| Ok((r.try_get_by_index(0)?, r.try_get_by_index(1)?)))
        .collect()
}

/// The `reference` of the `n`th payment the scenario records (`restore` finds them by it).
pub fn payment_reference(n: usize) -> String {
    format!("{PAYMENT_REFERENCE} #{n}")
}
