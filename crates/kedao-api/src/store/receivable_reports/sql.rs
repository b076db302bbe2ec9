//! The statements of the grouped receivables reports (aging and summary): one pass over the
//! caller's open installments, `GROUP BY` the report's key and currency, each figure a `SUM` of
//! `amount - paid` (storage units) under a `CASE` on `due_date`.
//!
//! The boundary dates are computed here from the company's today and bound as parameters, so
//! the statement compares dates only and is the same on SQLite (ISO text dates) and
//! PostgreSQL, and nothing the caller sends is ever formatted into it. Sums come back as text:
//! PostgreSQL sums BIGINT into NUMERIC, which may exceed an `i64`, and text reads the same on
//! both databases. Display names are joined after grouping, to the group rows only rather than
//! to every installment.

use chrono::{Days, NaiveDate};
use sea_orm::ColumnTrait;
use sea_orm::sea_query::{
    Condition, Expr, ExprTrait, IntoIden, JoinType, Order, Query, SelectStatement,
};
use uuid::Uuid;

use kedao_api_types::receivables::ReceivablesGroupBy;
use kedao_domain::access::{Action, Reach, Resource};
use kedao_domain::receivable::AgingBucket;

use crate::auth::Principal;
use crate::error::ApiError;
use crate::store::entities::installments::{Column, Entity as Installments};
use crate::store::entities::{accounts, dealers, teams, users};
use crate::store::scope;

/// Column of the group key (account, owner, team or dealer id; null for the owners without a
/// team, or the accounts without a dealer).
pub const GROUP_ID: &str = "group_id";
/// Column of the group's display name.
pub const GROUP_NAME: &str = "group_name";
/// Column of the currency code.
pub const CURRENCY: &str = "currency";

/// The grouped rows, before names are joined.
const GROUPS: &str = "g";
/// The installment's owner, joined to group by team.
const OWNER: &str = "owner";
/// The installment's account, joined to group by dealer.
const ACCOUNT: &str = "account";
/// The table the group's name is read from.
const NAMES: &str = "n";

/// A range of days overdue (today − due date), both ends inclusive; `None` is open-ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DaysOverdue {
    pub from: Option<u64>,
    pub to: Option<u64>,
}

/// One summed figure of a report: its column name and the installments it adds up.
#[derive(Debug, Clone, Copy)]
pub struct Figure {
    pub column: &'static str,
    pub days: DaysOverdue,
}

const fn figure(column: &'static str, from: Option<u64>, to: Option<u64>) -> Figure {
    Figure {
        column,
        days: DaysOverdue { from, to },
    }
}

/// The aging buckets as `kedao_domain::receivable::aging_bucket` cuts them (a test below
/// holds the two together): due today or later is not due; then 1–30, 31–60, 61–90 and over
/// 90 days overdue.
pub const AGING: [(AgingBucket, Figure); 5] = [
    (AgingBucket::NotDue, figure("not_due", None, Some(0))),
    (AgingBucket::Days1To30, figure("d1_30", Some(1), Some(30))),
    (
        AgingBucket::Days31To60,
        figure("d31_60", Some(31), Some(60)),
    ),
    (
        AgingBucket::Days61To90,
        figure("d61_90", Some(61), Some(90)),
    ),
    (AgingBucket::Over90, figure("over_90", Some(91), None)),
];

/// The summary's figures: everything outstanding, and what of it is past due.
pub const SUMMARY: [Figure; 2] = [
    figure("outstanding", None, None),
    figure("overdue", Some(1), None),
];

/// A page of the by-account report: rows after (account, currency) `after`, at most `limit`
/// (the statement asks for one more, to know whether a next page exists).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountPage {
    pub after: Option<(Uuid, String)>,
    pub limit: u64,
}

/// The aging report's statement for the caller.
pub fn aging(
    principal: &Principal,
    by: ReceivablesGroupBy,
    page: Option<&AccountPage>,
) -> Result<SelectStatement, ApiError> {
    let reach = principal.reach(Resource::Receivables, Action::Read)?;
    let figures = AGING.map(|(_, f)| f);
    Ok(grouped(
        principal,
        reach,
        by,
        principal.today,
        &figures,
        page,
    ))
}

/// The summary report's statement for the caller.
pub fn summary(
    principal: &Principal,
    by: ReceivablesGroupBy,
    page: Option<&AccountPage>,
) -> Result<SelectStatement, ApiError> {
    let reach = principal.reach(Resource::Receivables, Action::Read)?;
    Ok(grouped(
        principal,
        reach,
        by,
        principal.today,
        &SUMMARY,
        page,
    ))
}

/// `today` minus `days`; dates this far back cannot underflow, the minimum is only a bound.
fn days_before(today: NaiveDate, days: u64) -> NaiveDate {
    today
        .checked_sub_days(Days::new(days))
        .unwrap_or(NaiveDate::MIN)
}

/// The installments `days` overdue as of `today`, as a condition on `due_date`: `None` when it
/// is every installment.
fn due_condition(today: NaiveDate, days: DaysOverdue) -> Option<Condition> {
    let due = || Expr::col((Installments, Column::DueDate));
    let mut cond = Condition::all();
    // today − due ≥ from  ⇔  due ≤ today − from
    if let Some(from) = days.from {
        cond = cond.add(due().lte(days_before(today, from)));
    }
    // today − due ≤ to  ⇔  due ≥ today − to
    if let Some(to) = days.to {
        cond = cond.add(due().gte(days_before(today, to)));
    }
    (!cond.is_empty()).then_some(cond)
}

/// The open installments the caller may see, grouped by `by` and currency, with `figures`
/// summed; the group's display name joined after.
pub fn grouped(
    principal: &Principal,
    reach: Reach,
    by: ReceivablesGroupBy,
    today: NaiveDate,
    figures: &[Figure],
    page: Option<&AccountPage>,
) -> SelectStatement {
    let key = match by {
        ReceivablesGroupBy::Account => Expr::col((Installments, Column::AccountId)),
        ReceivablesGroupBy::Owner => Expr::col((Installments, Column::OwnerId)),
        ReceivablesGroupBy::Team => Expr::col((OWNER, users::Column::TeamId)),
        ReceivablesGroupBy::Dealer => Expr::col((ACCOUNT, accounts::Column::DealerId)),
    };
    let currency = Expr::col((Installments, Column::Currency));
    let mut inner = Query::select();
    inner
        .expr_as(key.clone(), GROUP_ID)
        .expr_as(currency.clone(), CURRENCY);
    for f in figures {
        let outstanding =
            Expr::col((Installments, Column::Amount)).sub(Expr::col((Installments, Column::Paid)));
        let summed = match due_condition(today, f.days) {
            Some(cond) => Expr::case(cond, outstanding).finally(0_i64).into(),
            None => outstanding,
        };
        inner.expr_as(summed.sum().cast_as("TEXT"), f.column);
    }
    inner.from(Installments);
    if by == ReceivablesGroupBy::Team {
        inner.join_as(
            JoinType::InnerJoin,
            users::Entity,
            OWNER,
            Expr::col((OWNER, users::Column::Id)).equals((Installments, Column::OwnerId)),
        );
    }
    if by == ReceivablesGroupBy::Dealer {
        inner.join_as(
            JoinType::InnerJoin,
            accounts::Entity,
            ACCOUNT,
            Expr::col((ACCOUNT, accounts::Column::Id)).equals((Installments, Column::AccountId)),
        );
    }
    inner
        .cond_where(scope::owned_or_shared(
            principal,
            reach,
            Column::OwnerId,
            Column::AccountId,
            Column::DealerId,
        ))
        .and_where(
            Expr::col((Installments, Column::Paid)).lt(Expr::col((Installments, Column::Amount))),
        )
        .and_where(Column::CancelledAt.is_null())
        .add_group_by([key.clone(), currency.clone()]);
    // By account, a page at a time in (account, currency) order: PostgreSQL then walks the
    // account index and stops after the page instead of grouping every installment.
    if let Some(page) = page.filter(|_| by == ReceivablesGroupBy::Account) {
        if let Some((account, code)) = &page.after {
            inner.and_where(
                Expr::tuple([key.clone(), currency.clone()])
                    .gt(Expr::tuple([Expr::val(*account), Expr::val(code.clone())])),
            );
        }
        inner
            .order_by_expr(key, Order::Asc)
            .order_by_expr(currency, Order::Asc)
            .limit(page.limit + 1);
    }

    let (names, name_col, name_id) = match by {
        ReceivablesGroupBy::Account => (
            accounts::Entity.into_iden(),
            accounts::Column::Name.into_iden(),
            accounts::Column::Id.into_iden(),
        ),
        ReceivablesGroupBy::Owner => (
            users::Entity.into_iden(),
            users::Column::DisplayName.into_iden(),
            users::Column::Id.into_iden(),
        ),
        ReceivablesGroupBy::Team => (
            teams::Entity.into_iden(),
            teams::Column::Name.into_iden(),
            teams::Column::Id.into_iden(),
        ),
        ReceivablesGroupBy::Dealer => (
            dealers::Entity.into_iden(),
            dealers::Column::Name.into_iden(),
            dealers::Column::Id.into_iden(),
        ),
    };
    let mut outer = Query::select();
    outer
        .column((GROUPS, GROUP_ID))
        .expr_as(Expr::col((NAMES, name_col)), GROUP_NAME)
        .column((GROUPS, CURRENCY));
    for f in figures {
        outer.column((GROUPS, f.column));
    }
    outer.from_subquery(inner, GROUPS).join_as(
        JoinType::LeftJoin,
        names,
        NAMES,
        Expr::col((NAMES, name_id)).equals((GROUPS, GROUP_ID)),
    );
    if page.is_some() && by == ReceivablesGroupBy::Account {
        outer
            .order_by((GROUPS, GROUP_ID), Order::Asc)
            .order_by((GROUPS, CURRENCY), Order::Asc);
    }
    outer
}

#[cfg(test)]
mod tests {
    use super::*;
    use kedao_domain::receivable::aging_bucket;

    fn contains(days: DaysOverdue, d: i64) -> bool {
        days.from
            .is_none_or(|from| d >= i64::try_from(from).unwrap())
            && days.to.is_none_or(|to| d <= i64::try_from(to).unwrap())
    }

    /// Each number of days overdue falls in exactly one bucket, the one the domain names.
    #[test]
    fn buckets_are_the_domains() {
        for d in -400..=400 {
            let hits: Vec<AgingBucket> = AGING
                .iter()
                .filter(|(_, f)| contains(f.days, d))
                .map(|(b, _)| *b)
                .collect();
            assert_eq!(hits, vec![aging_bucket(1000 - d, 1000)], "{d} days overdue");
        }
    }

    /// The conditions compare `due_date` with exactly the dates the ranges say.
    #[test]
    fn boundary_dates() {
        let today = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
        assert_eq!(
            days_before(today, 30),
            NaiveDate::from_ymd_opt(2026, 1, 30).unwrap()
        );
        assert!(due_condition(today, SUMMARY[0].days).is_none());
        let sql = |f: Figure| {
            Query::select()
                .expr(Expr::val(1))
                .cond_where(due_condition(today, f.days).unwrap())
                .to_owned()
                .to_string(sea_orm::sea_query::PostgresQueryBuilder)
        };
        assert!(
            sql(AGING[0].1).ends_with(r#""due_date" >= '2026-03-01'"#),
            "{}",
            sql(AGING[0].1)
        );
        assert!(
            sql(AGING[1].1).ends_with(
                r#""due_date" <= '2026-02-28' AND "installments"."due_date" >= '2026-01-30'"#
            ),
            "{}",
            sql(AGING[1].1)
        );
        assert!(
            sql(AGING[4].1).ends_with(r#""due_date" <= '2025-11-30'"#),
            "{}",
            sql(AGING[4].1)
        );
    }
}
