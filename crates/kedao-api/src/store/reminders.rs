//! Reminders (提醒): one idempotent pass over what is coming due or overdue, turning each
//! occurrence into a notification for the person who has to act.
//!
//! Every notification carries an occurrence key (`task_due:<task>:<due date>`,
//! `installment_overdue:<installment>:<due date>`, `birthday:<contact>:<year>`, …) unique per
//! user, and is inserted with `ON CONFLICT DO NOTHING`: the scan may run any number of times,
//! at once in several processes, and each occurrence is still notified exactly once. A task
//! or installment whose due date moves is a new occurrence.
//!
//! Candidates are read a page at a time in id order (so concurrent scans insert in the same
//! order and never deadlock), each page inserted in one statement; tasks and installments
//! already reminded of for their current due date are left out by the query itself, so a scan
//! reads only what is new however many overdue rows have piled up. "Today" is the company's
//! date (`settings.time_zone`) at `now`.

pub mod digest;

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use chrono_tz::Tz;
use sea_orm::sea_query::{Expr, ExprTrait, Order, Query};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseBackend, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use uuid::Uuid;

use kedao_api_types::activities::{ActivityKind, ActivityStatus};
use kedao_api_types::notifications::{NotificationKind, RecordType, ScanCounts};
use kedao_domain::money::Money;

use crate::error::ApiError;
use crate::settings::Settings;
use crate::store::entities::{accounts, activities, contacts, installments, notifications};
use crate::store::notifications::{NewNotification, notify_many};
use crate::store::products::currency_of;
use crate::store::receivables::is_open;

/// Candidates read (and notifications inserted) per statement.
const PAGE: u64 = 500;

/// Runs every reminder once for `now`; what was newly notified, per kind.
pub async fn scan(
    db: &DatabaseConnection,
    settings: &Settings,
    now: DateTime<Utc>,
) -> Result<ScanCounts, ApiError> {
    let today = now.with_timezone(&settings.time_zone).date_naive();
    let task_horizon = last_day_starting_within(
        now,
        settings.time_zone,
        Duration::hours(i64::from(settings.task_reminder_hours)),
    );
    let installment_horizon = today + Duration::days(i64::from(settings.installment_reminder_days));
    Ok(ScanCounts {
        task_due: tasks(db, now, today, Some(task_horizon)).await?,
        task_overdue: tasks(db, now, today, None).await?,
        installment_due: installment_reminders(db, now, today, Some(installment_horizon)).await?,
        installment_overdue: installment_reminders(db, now, today, None).await?,
        receivables_digest: digest::send(db, settings.time_zone, now).await?,
        birthday: birthdays(db, now, today).await?,
    })
}

/// The last company day that starts within `within` of `now` (a task is due from the start
/// of its due day).
fn last_day_starting_within(now: DateTime<Utc>, tz: Tz, within: Duration) -> NaiveDate {
    (now + within).with_timezone(&tz).date_naive()
}

/// Open tasks due from today to `until` (a `task_due` each), or — without `until` — due
/// before today (a `task_overdue` each), to their owners.
async fn tasks(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
    today: NaiveDate,
    until: Option<NaiveDate>,
) -> Result<u64, ApiError> {
    use activities::Column;
    let (kind, due) = match until {
        Some(until) => (
            NotificationKind::TaskDue,
            Column::DueDate.between(today, until),
        ),
        None => (NotificationKind::TaskOverdue, Column::DueDate.lt(today)),
    };
    let mut inserted = 0;
    let mut after = Uuid::nil();
    loop {
        let rows: Vec<(Uuid, Uuid, String, NaiveDate)> = activities::Entity::find()
            .select_only()
            .columns([
                Column::Id,
                Column::OwnerId,
                Column::Subject,
                Column::DueDate,
            ])
            .filter(Column::Kind.eq(ActivityKind::Task.as_str()))
            .filter(Column::Status.eq(ActivityStatus::Planned.as_str()))
            .filter(due.clone())
            .filter(not_yet_notified(
                kind,
                activities::Entity,
                Column::Id,
                Column::DueDate,
            ))
            .filter(Column::Id.gt(after))
            .order_by_asc(Column::Id)
            .limit(PAGE)
            .into_tuple()
            .all(db)
            .await?;
        let Some(last) = rows.last() else { break };
        after = last.0;
        let full = rows.len() as u64 == PAGE;
        let batch = rows
            .into_iter()
            .map(|(id, owner, subject, due)| NewNotification {
                user_id: owner,
                kind,
                title: match kind {
                    NotificationKind::TaskDue => format!("Task due {due}"),
                    _ => format!("Task overdue since {due}"),
                },
                summary: subject.clone(),
                record: Some((RecordType::Activity, id)),
                occurrence_key: format!("{}:{id}:{due}", key_prefix(kind)),
                source: Some((id, due)),
                params: vec![("due", due.to_string()), ("subject", subject)],
            })
            .collect();
        inserted += notify_many(db, batch, now).await?;
        if !full {
            break;
        }
    }
    Ok(inserted)
}

/// Rows of `entity` (a task or an installment) not yet reminded of, with this kind, for their
/// current due date. Only spares a scan the reading of rows it would not insert: the unique
/// occurrence key is what guarantees once, also between two scans running at once.
fn not_yet_notified<E: EntityTrait, C: ColumnTrait>(
    kind: NotificationKind,
    entity: E,
    id: C,
    due_date: C,
) -> Expr {
    use notifications::Column as N;
    Expr::exists(
        Query::select()
            .expr(Expr::val(1))
            .from(notifications::Entity)
            .and_where(Expr::col((notifications::Entity, N::SourceId)).equals((entity, id)))
            .and_where(Expr::col((notifications::Entity, N::Kind)).eq(kind.as_str()))
            .and_where(Expr::col((notifications::Entity, N::SourceDate)).equals((entity, due_date)))
            .to_owned(),
    )
    .not()
}

fn key_prefix(kind: NotificationKind) -> &'static str {
    match kind {
        NotificationKind::TaskDue => "task_due",
        NotificationKind::TaskOverdue => "task_overdue",
        NotificationKind::InstallmentDue => "installment_due",
        _ => "installment_overdue",
    }
}

/// Open installments due from today to `until`, or — without `until` — overdue, to the
/// order's owner, linked to the order.
async fn installment_reminders(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
    today: NaiveDate,
    until: Option<NaiveDate>,
) -> Result<u64, ApiError> {
    use installments::Column;
    let (kind, due) = match until {
        Some(until) => (
            NotificationKind::InstallmentDue,
            Column::DueDate.between(today, until),
        ),
        None => (
            NotificationKind::InstallmentOverdue,
            Column::DueDate.lt(today),
        ),
    };
    installment_pages(db, now, kind, due).await
}

async fn installment_pages(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
    kind: NotificationKind,
    due: Expr,
) -> Result<u64, ApiError> {
    use installments::Column;
    let mut inserted = 0;
    let mut after = Uuid::nil();
    loop {
        let rows = installments::Entity::find()
            .filter(is_open())
            .filter(due.clone())
            .filter(not_yet_notified(
                kind,
                installments::Entity,
                Column::Id,
                Column::DueDate,
            ))
            .filter(Column::Id.gt(after))
            .order_by_asc(Column::Id)
            .limit(PAGE)
            .all(db)
            .await?;
        let Some(last) = rows.last() else { break };
        after = last.id;
        let full = rows.len() as u64 == PAGE;
        let batch = rows
            .into_iter()
            .map(|i| {
                let open = Money::from_storage(i.amount - i.paid, currency_of(&i.currency));
                NewNotification {
                    user_id: i.owner_id,
                    kind,
                    title: match kind {
                        NotificationKind::InstallmentDue => {
                            format!("Installment {} due {}", i.seq, i.due_date)
                        }
                        _ => format!("Installment {} overdue since {}", i.seq, i.due_date),
                    },
                    summary: format!("{open} still to be paid."),
                    record: Some((RecordType::Order, i.order_id)),
                    occurrence_key: format!("{}:{}:{}", key_prefix(kind), i.id, i.due_date),
                    source: Some((i.id, i.due_date)),
                    params: vec![
                        ("seq", i.seq.to_string()),
                        ("due", i.due_date.to_string()),
                        ("open", open.to_string()),
                    ],
                }
            })
            .collect();
        inserted += notify_many(db, batch, now).await?;
        if !full {
            break;
        }
    }
    Ok(inserted)
}

/// The birthdays (month and day) celebrated on `today`: its own, and Feb 29 on Feb 28 of a
/// year without one.
fn birthdays_on(today: NaiveDate) -> Vec<String> {
    let mut days = vec![today.format("%m-%d").to_string()];
    let leap = NaiveDate::from_ymd_opt(today.year(), 2, 29).is_some();
    if !leap && today.month() == 2 && today.day() == 28 {
        days.push("02-29".to_owned());
    }
    days
}

/// Contacts whose birthday is today, to their account's owner, once a year.
async fn birthdays(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
    today: NaiveDate,
) -> Result<u64, ApiError> {
    let month_day = match db.get_database_backend() {
        DatabaseBackend::Postgres => Expr::cust("to_char(\"contacts\".\"birthday\", 'MM-DD')"),
        _ => Expr::cust("strftime('%m-%d', \"contacts\".\"birthday\")"),
    };
    let mut inserted = 0;
    let mut after = Uuid::nil();
    loop {
        let select = Query::select()
            .expr_as(
                Expr::col((contacts::Entity, contacts::Column::Id)),
                "contact_id",
            )
            .expr_as(
                Expr::col((contacts::Entity, contacts::Column::Name)),
                "contact_name",
            )
            .expr_as(
                Expr::col((accounts::Entity, accounts::Column::OwnerId)),
                "owner_id",
            )
            .from(contacts::Entity)
            .inner_join(
                accounts::Entity,
                Expr::col((accounts::Entity, accounts::Column::Id))
                    .equals((contacts::Entity, contacts::Column::AccountId)),
            )
            .and_where(Expr::col((contacts::Entity, contacts::Column::Birthday)).is_not_null())
            .and_where(month_day.clone().is_in(birthdays_on(today)))
            .and_where(Expr::col((contacts::Entity, contacts::Column::Id)).gt(after))
            .order_by((contacts::Entity, contacts::Column::Id), Order::Asc)
            .limit(PAGE)
            .to_owned();
        let rows = db.query_all(&select).await?;
        let mut batch = Vec::with_capacity(rows.len());
        for row in &rows {
            let contact: Uuid = row.try_get("", "contact_id")?;
            let name: String = row.try_get("", "contact_name")?;
            let owner: Uuid = row.try_get("", "owner_id")?;
            after = contact;
            batch.push(NewNotification {
                user_id: owner,
                kind: NotificationKind::Birthday,
                title: format!("{name}'s birthday is today"),
                summary: format!("Wish {name} a happy birthday."),
                record: Some((RecordType::Contact, contact)),
                occurrence_key: format!("birthday:{contact}:{}", today.year()),
                source: None,
                params: vec![("name", name.clone())],
            });
        }
        inserted += notify_many(db, batch, now).await?;
        if (rows.len() as u64) < PAGE {
            break;
        }
    }
    Ok(inserted)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn feb_29_birthdays_fall_on_feb_28_in_common_years() {
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(birthdays_on(day(2027, 2, 28)), ["02-28", "02-29"]);
        assert_eq!(birthdays_on(day(2028, 2, 28)), ["02-28"]);
        assert_eq!(birthdays_on(day(2028, 2, 29)), ["02-29"]);
        assert_eq!(birthdays_on(day(2027, 7, 4)), ["07-04"]);
    }

    #[test]
    fn the_task_horizon_is_in_the_company_calendar() {
        // 20:00 UTC is already 10:00 the next day at Kiritimati (UTC+14).
        let now = DateTime::parse_from_rfc3339("2026-11-24T20:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let horizon = last_day_starting_within(now, Tz::Pacific__Kiritimati, Duration::hours(24));
        assert_eq!(horizon, NaiveDate::from_ymd_opt(2026, 11, 26).unwrap());
    }
}
