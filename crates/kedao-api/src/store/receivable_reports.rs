//! Receivables reports, scoped by the caller's read reach on receivables (the installment's
//! owner is the order's): aging and outstanding/overdue totals in one scan of the open
//! installments, and the overdue list paged by cursor (most days overdue first).
//!
//! "Today" is the company's date (`Principal::today`, in the configured time zone).

use std::collections::BTreeMap;

use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};
use uuid::Uuid;

use kedao_api_types::ListPage;
use kedao_api_types::receivables::{
    AgingReport, AgingRow, OverdueView, ReceivablesGroupBy, SummaryReport, SummaryRow,
};
use kedao_domain::access::{Action, Resource};
use kedao_domain::money::storage_sum_to_decimal;
use kedao_domain::receivable::{AgingBucket, aging_bucket};

use crate::auth::Principal;
use crate::error::ApiError;
use crate::store::entities::installments::{self as entity, Column};
use crate::store::paging::{self, Paging, SortField, SortKind};
use crate::store::products::currency_of;
use crate::store::receivables::{day, view};
use crate::store::scope;

/// One open installment as the reports need it.
type OpenRow = (Uuid, Uuid, String, chrono::NaiveDate, i64);

/// The open installments the caller may see: (account, owner, currency, due, outstanding).
async fn open_rows<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
) -> Result<Vec<OpenRow>, ApiError> {
    let reach = principal.reach(Resource::Receivables, Action::Read)?;
    Ok(entity::Entity::find()
        .select_only()
        .column(Column::AccountId)
        .column(Column::OwnerId)
        .column(Column::Currency)
        .column(Column::DueDate)
        .column_as(
            Expr::col(Column::Amount).sub(Expr::col(Column::Paid)),
            "left",
        )
        .filter(scope::owner_filter(principal, reach, Column::OwnerId))
        .filter(Expr::col(Column::Paid).lt(Expr::col(Column::Amount)))
        .into_tuple()
        .all(db)
        .await?)
}

fn group_of(row: &OpenRow, by: ReceivablesGroupBy) -> Uuid {
    match by {
        ReceivablesGroupBy::Account => row.0,
        ReceivablesGroupBy::Owner => row.1,
    }
}

/// Outstanding amounts by group, currency and aging bucket.
pub async fn aging<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    by: ReceivablesGroupBy,
) -> Result<AgingReport, ApiError> {
    let as_of = principal.today;
    let t = day(as_of);
    // Sums in storage units (i128: no overflow), turned into decimals once.
    let mut sums: BTreeMap<(Uuid, String), [i128; 5]> = BTreeMap::new();
    for row in open_rows(db, principal).await? {
        let slot = match aging_bucket(day(row.3), t) {
            AgingBucket::NotDue => 0,
            AgingBucket::Days1To30 => 1,
            AgingBucket::Days31To60 => 2,
            AgingBucket::Days61To90 => 3,
            AgingBucket::Over90 => 4,
        };
        sums.entry((group_of(&row, by), row.2.clone())).or_default()[slot] += i128::from(row.4);
    }
    let rows = sums
        .into_iter()
        .map(|((group_id, code), s)| {
            let currency = currency_of(&code);
            let d = |units: i128| storage_sum_to_decimal(units, currency);
            AgingRow {
                group_id,
                currency,
                not_due: d(s[0]),
                d1_30: d(s[1]),
                d31_60: d(s[2]),
                d61_90: d(s[3]),
                over_90: d(s[4]),
                total: d(s.iter().sum()),
            }
        })
        .collect();
    Ok(AgingReport {
        group_by: by,
        as_of,
        rows,
    })
}

/// Outstanding and overdue totals by group and currency.
pub async fn summary<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    by: ReceivablesGroupBy,
) -> Result<SummaryReport, ApiError> {
    let as_of = principal.today;
    let mut sums: BTreeMap<(Uuid, String), (i128, i128)> = BTreeMap::new();
    for row in open_rows(db, principal).await? {
        let entry = sums.entry((group_of(&row, by), row.2.clone())).or_default();
        entry.0 += i128::from(row.4);
        if row.3 < as_of {
            entry.1 += i128::from(row.4);
        }
    }
    let rows = sums
        .into_iter()
        .map(|((group_id, code), (outstanding, overdue))| {
            let currency = currency_of(&code);
            SummaryRow {
                group_id,
                currency,
                outstanding: storage_sum_to_decimal(outstanding, currency),
                overdue: storage_sum_to_decimal(overdue, currency),
            }
        })
        .collect();
    Ok(SummaryReport {
        group_by: by,
        as_of,
        rows,
    })
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
        .filter(scope::owner_filter(principal, reach, Column::OwnerId))
        .filter(Expr::col(Column::Paid).lt(Expr::col(Column::Amount)))
        .filter(Expr::col(Column::DueDate).lt(as_of));
    paging::page(
        db,
        select,
        &paging,
        Column::Id,
        |m| m.id,
        |m| OverdueView {
            installment: view(&m, t),
            account_id: m.account_id,
            owner_id: m.owner_id,
            days_overdue: t - day(m.due_date),
        },
    )
    .await
}
