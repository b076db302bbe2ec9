//! The daily receivables digest (应收日报): each finance user and manager with overdue money
//! in their reach gets, once per company day, the count and amount overdue per currency —
//! read with the same receivables scope their reports use (finance: everything; a manager:
//! the team's, and accounts shared with them).

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter};

use kedao_api_types::notifications::NotificationKind;
use kedao_domain::access::{Action, Resource, Role};
use kedao_domain::money::storage_sum_to_decimal;

use crate::auth::Principal;
use crate::error::ApiError;
use crate::store::entities::{installments, users};
use crate::store::notifications::{NewNotification, notify};
use crate::store::products::currency_of;
use crate::store::receivables::is_open;
use crate::store::record_access::acting_as;
use crate::store::scope;

/// Who gets the digest.
const READERS: [Role; 2] = [Role::Finance, Role::Manager];

/// Sends today's digest to every reader who has not had it yet; how many were sent.
pub async fn send(db: &DatabaseConnection, tz: Tz, now: DateTime<Utc>) -> Result<u64, ApiError> {
    let today = now.with_timezone(&tz).date_naive();
    let readers = users::Entity::find()
        .filter(users::Column::Active.eq(true))
        .filter(users::Column::Role.is_in(READERS.map(Role::as_str)))
        .all(db)
        .await?;
    let mut sent = 0;
    for user in readers {
        let Some(role) = Role::parse(&user.role) else {
            continue;
        };
        let reader = acting_as(&user, role, now, tz);
        let totals = overdue_by_currency(db, &reader, today).await?;
        let count: i64 = totals.iter().map(|(_, n, _)| n).sum();
        if count == 0 {
            continue;
        }
        let amounts: Vec<String> = totals
            .iter()
            .map(|(code, _, units)| {
                format!(
                    "{} {code}",
                    storage_sum_to_decimal(*units, currency_of(code))
                )
            })
            .collect();
        let inserted = notify(
            db,
            NewNotification {
                user_id: user.id,
                kind: NotificationKind::ReceivablesDigest,
                title: format!("Receivables {today}: {count} installments overdue"),
                summary: format!("Overdue: {}.", amounts.join("; ")),
                record: None,
                occurrence_key: format!("digest:{today}"),
                source: None,
                params: vec![
                    ("date", today.to_string()),
                    ("count", count.to_string()),
                    ("amounts", amounts.join("; ")),
                ],
            },
        )
        .await?;
        sent += u64::from(inserted);
    }
    Ok(sent)
}

/// (currency, installments, open amount in storage units) overdue on `today` in the reader's
/// receivables scope, by currency.
async fn overdue_by_currency<C: ConnectionTrait>(
    db: &C,
    reader: &Principal,
    today: NaiveDate,
) -> Result<Vec<(String, i64, i128)>, ApiError> {
    use installments::Column;
    let Ok(reach) = reader.reach(Resource::Receivables, Action::Read) else {
        return Ok(Vec::new());
    };
    let open = Expr::col(Column::Amount).sub(Expr::col(Column::Paid));
    let select = Query::select()
        .column(Column::Currency)
        .expr_as(Expr::col(Column::Id).count(), Alias::new("n"))
        .expr_as(open.sum().cast_as("TEXT"), Alias::new("units"))
        .from(installments::Entity)
        .cond_where(scope::owned_or_shared(
            reader,
            reach,
            Column::OwnerId,
            Column::AccountId,
            Column::DealerId,
        ))
        .cond_where(is_open())
        .and_where(Column::DueDate.lt(today))
        .group_by_col(Column::Currency)
        .order_by(Column::Currency, sea_orm::Order::Asc)
        .to_owned();
    let mut totals = Vec::new();
    for row in db.query_all(&select).await? {
        let code: String = row.try_get("", "currency")?;
        let n: i64 = row.try_get("", "n")?;
        let text: String = row.try_get("", "units")?;
        // PostgreSQL's NUMERIC may show a zero fraction.
        let units = text
            .split('.')
            .next()
            .unwrap_or_default()
            .trim()
            .parse::<i128>()
            .map_err(|e| ApiError::Internal(anyhow::anyhow!("digest sum {text:?}: {e}")))?;
        totals.push((code, n, units));
    }
    Ok(totals)
}
