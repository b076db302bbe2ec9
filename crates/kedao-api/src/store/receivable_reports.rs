//! Receivables reports, scoped by the caller's read reach on receivables (the installment's
//! owner is the order's): aging and outstanding/overdue totals, each one grouped query (see
//! `sql`), and the overdue list paged by cursor (most days overdue first). Installments of
//! cancelled orders (`cancelled_at` set) are not owed and appear in none of them.
//!
//! "Today" is the company's date (`Principal::today`, in the configured time zone).
//!
//! Report rows are ordered by currency (in `Currency` order: CNY first), then the group's
//! total descending, then group id (the row without a team or dealer last): the same on
//! both databases, whatever order the grouping produced. By account — a row per customer, so
//! possibly a hundred thousand — the report comes a page at a time in (account, currency)
//! order instead, which lets the database stop after the page.

pub mod sql;

use std::cmp::Reverse;
use std::collections::HashMap;

use rust_decimal::Decimal;
use sea_orm::sea_query::SelectStatement;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryResult, QuerySelect};
use uuid::Uuid;

use kedao_api_types::ListPage;
use kedao_api_types::receivables::{
    AgingReport, AgingRow, OverdueView, ReceivablesGroupBy, SummaryReport, SummaryRow,
};
use kedao_domain::Currency;
use kedao_domain::access::{Action, Resource};
use kedao_domain::money::storage_sum_to_decimal;

use crate::auth::Principal;
use crate::error::ApiError;
use crate::store::entities::installments::{self as entity, Column};
use crate::store::entities::{accounts, orders, users};
use crate::store::paging::{self, Paging, SortField, SortKind};
use crate::store::products::currency_of;
use crate::store::receivables::is_open;
use crate::store::receivables::{day, view};
use crate::store::{scope, sum_units};

/// One row of a grouped report: the group, its name, the currency and the figures in storage
/// units, in the order the statement sums them.
struct Group {
    id: Option<Uuid>,
    name: Option<String>,
    currency: Currency,
    sums: Vec<i128>,
}

impl Group {
    fn figure(&self, i: usize) -> Decimal {
        storage_sum_to_decimal(self.sums.get(i).copied().unwrap_or(0), self.currency)
    }
}

/// Runs a grouped statement and reads its rows, sorted (see the module doc) by the figure
/// `rank` returns.
async fn groups<C: ConnectionTrait>(
    db: &C,
    statement: &SelectStatement,
    figures: &[sql::Figure],
    rank: impl Fn(&[i128]) -> i128,
    page: Option<&sql::AccountPage>,
) -> Result<(Vec<Group>, Option<String>), ApiError> {
    let rows = db.query_all(statement).await?;
    let mut groups = rows
        .iter()
        .map(|row| read_group(row, figures))
        .collect::<Result<Vec<_>, _>>()?;
    let Some(page) = page else {
        groups.sort_by_key(|g| (g.currency, Reverse(rank(&g.sums)), g.id.is_none(), g.id));
        return Ok((groups, None));
    };
    let limit = usize::try_from(page.limit).unwrap_or(usize::MAX);
    let next = if groups.len() > limit {
        groups.truncate(limit);
        groups
            .last()
            .and_then(|g| g.id.map(|id| format!("{id}~{}", g.currency.code())))
    } else {
        None
    };
    Ok((groups, next))
}

/// Rows per page of the by-account reports.
const DEFAULT_ACCOUNT_PAGE: u64 = 200;
pub(crate) const MAX_ACCOUNT_PAGE: u64 = 1000;

/// The page to read when grouping by account (`None` for the other groupings).
fn account_page(
    by: ReceivablesGroupBy,
    limit: Option<u64>,
    cursor: Option<&str>,
) -> Result<Option<sql::AccountPage>, ApiError> {
    if by != ReceivablesGroupBy::Account {
        return Ok(None);
    }
    let limit = limit.unwrap_or(DEFAULT_ACCOUNT_PAGE);
    if !(1..=MAX_ACCOUNT_PAGE).contains(&limit) {
        return Err(ApiError::field(
            "limit",
            "out-of-range",
            format!("must be from 1 to {MAX_ACCOUNT_PAGE}"),
        ));
    }
    let after = match cursor {
        None => None,
        Some(c) => {
            let bad = || ApiError::field("cursor", "invalid", "not a cursor this report gave");
            let (id, code) = c.split_once('~').ok_or_else(bad)?;
            let id = Uuid::parse_str(id).map_err(|_| bad())?;
            let currency = code.parse::<Currency>().map_err(|_| bad())?;
            Some((id, currency.code().to_owned()))
        }
    };
    Ok(Some(sql::AccountPage { after, limit }))
}

fn read_group(row: &QueryResult, figures: &[sql::Figure]) -> Result<Group, ApiError> {
    let code: String = row.try_get("", sql::CURRENCY)?;
    let sums = figures
        .iter()
        .map(|f| {
            row.try_get::<String>("", f.column)
                .map_err(ApiError::from)
                .and_then(|t| sum_units(&t))
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Group {
        id: row.try_get("", sql::GROUP_ID)?,
        name: row.try_get("", sql::GROUP_NAME)?,
        currency: currency_of(&code),
        sums,
    })
}

/// Outstanding amounts by group, currency and aging bucket.
pub async fn aging<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    by: ReceivablesGroupBy,
    limit: Option<u64>,
    cursor: Option<&str>,
) -> Result<AgingReport, ApiError> {
    let page = account_page(by, limit, cursor)?;
    let statement = sql::aging(principal, by, page.as_ref())?;
    let figures = sql::AGING.map(|(_, f)| f);
    let (rows, next_cursor) =
        groups(db, &statement, &figures, |s| s.iter().sum(), page.as_ref()).await?;
    let rows = rows
        .into_iter()
        .map(|g| AgingRow {
            not_due: g.figure(0),
            d1_30: g.figure(1),
            d31_60: g.figure(2),
            d61_90: g.figure(3),
            over_90: g.figure(4),
            // Rounded once from the exact sum, as the money rule says for a shown figure.
            total: storage_sum_to_decimal(g.sums.iter().sum(), g.currency),
            group_id: g.id,
            group_name: g.name,
            currency: g.currency,
        })
        .collect();
    Ok(AgingReport {
        group_by: by,
        as_of: principal.today,
        rows,
        next_cursor,
    })
}

/// Outstanding and overdue totals by group and currency.
pub async fn summary<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    by: ReceivablesGroupBy,
    limit: Option<u64>,
    cursor: Option<&str>,
) -> Result<SummaryReport, ApiError> {
    let page = account_page(by, limit, cursor)?;
    let statement = sql::summary(principal, by, page.as_ref())?;
    let outstanding = |s: &[i128]| s.first().copied().unwrap_or(0);
    let (rows, next_cursor) =
        groups(db, &statement, &sql::SUMMARY, outstanding, page.as_ref()).await?;
    let rows = rows
        .into_iter()
        .map(|g| SummaryRow {
            outstanding: g.figure(0),
            overdue: g.figure(1),
            group_id: g.id,
            group_name: g.name,
            currency: g.currency,
        })
        .collect();
    Ok(SummaryReport {
        group_by: by,
        as_of: principal.today,
        rows,
        next_cursor,
    })
}

/// The `name` column of each of `ids` that has a row.
async fn names<C: ConnectionTrait, E: EntityTrait>(
    db: &C,
    id: E::Column,
    name: E::Column,
    ids: Vec<Uuid>,
) -> Result<HashMap<Uuid, String>, ApiError> {
    // Only the two columns: a page of the export names up to a thousand rows.
    Ok(E::find()
        .select_only()
        .column(id)
        .column(name)
        .filter(id.is_in(ids))
        .into_tuple::<(Uuid, String)>()
        .all(db)
        .await?
        .into_iter()
        .collect())
}

/// The one order of the overdue list: oldest due date (most days overdue) first.
pub const OVERDUE_SORT: [SortField<Column>; 1] = [SortField {
    name: "due_date",
    column: Column::DueDate,
    kind: SortKind::Date,
}];

/// Overdue installments, most days overdue first, paged by cursor.
pub async fn overdue<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    paging: Paging<Column>,
) -> Result<ListPage<OverdueView>, ApiError> {
    let reach = principal.reach(Resource::Receivables, Action::Read)?;
    let as_of = principal.today;
    let t = day(as_of);
    let select = entity::Entity::find()
        .filter(scope::owned_or_shared(
            principal,
            reach,
            Column::OwnerId,
            Column::AccountId,
            Column::DealerId,
        ))
        .filter(is_open())
        .filter(Column::DueDate.lt(as_of));
    let page = paging::page(
        db,
        select,
        &paging,
        Column::Id,
        |m| m.id,
        |m| OverdueView {
            installment: view(&m, t),
            account_id: m.account_id,
            account_name: String::new(),
            order_number: String::new(),
            owner_id: m.owner_id,
            owner_name: String::new(),
            days_overdue: t - day(m.due_date),
        },
    )
    .await?;
    name_overdue(db, page).await
}

/// Fills in the names a page of the overdue list points at (accounts, order numbers, owners):
/// three reads for the whole page.
async fn name_overdue<C: ConnectionTrait>(
    db: &C,
    mut page: ListPage<OverdueView>,
) -> Result<ListPage<OverdueView>, ApiError> {
    let ids = |id: fn(&OverdueView) -> Uuid| -> Vec<Uuid> {
        let mut ids: Vec<Uuid> = page.items.iter().map(id).collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    };
    let accounts = names::<_, accounts::Entity>(
        db,
        accounts::Column::Id,
        accounts::Column::Name,
        ids(|o| o.account_id),
    )
    .await?;
    let orders = names::<_, orders::Entity>(
        db,
        orders::Column::Id,
        orders::Column::Number,
        ids(|o| o.installment.order_id),
    )
    .await?;
    let owners = names::<_, users::Entity>(
        db,
        users::Column::Id,
        users::Column::DisplayName,
        ids(|o| o.owner_id),
    )
    .await?;
    for o in &mut page.items {
        let name = |names: &HashMap<Uuid, String>, id: &Uuid| names.get(id).cloned();
        o.account_name = name(&accounts, &o.account_id).unwrap_or_default();
        o.order_number = name(&orders, &o.installment.order_id).unwrap_or_default();
        o.owner_name = name(&owners, &o.owner_id).unwrap_or_default();
    }
    Ok(page)
}
