//! Activities (跟进记录): calls, visits, meetings, tasks, notes and e-mail logs on a customer.
//!
//! An activity is read by whoever may read what it hangs on — its account, or its lead while
//! the lead has no account — and by the people who took part or were copied (抄送): a rep's
//! visit plan copied to the manager reaches the manager. It is changed within the reach of its
//! owner's records (a manager for the team, a dealer for its own). The dealer of an activity
//! is its customer's, so dealer isolation holds here as everywhere.

use std::collections::BTreeSet;

use sea_orm::sea_query::Query;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait,
    QueryFilter, QuerySelect, Set, TransactionTrait,
};
use uuid::Uuid;

use kedao_api_types::ListPage;
use kedao_api_types::activities::{
    ActivityCreate, ActivityKind, ActivityStatus, ActivityUpdate, ActivityView, CalendarQuery,
    Priority,
};
use kedao_domain::access::{Action, Reach, Resource};

use crate::auth::Principal;
use crate::error::ApiError;
use crate::store::entities::activities::{self as entity, Column};
use crate::store::entities::{activity_people as people, leads, users};
use crate::store::fields::{line, note, required, save_versioned_model};
use crate::store::paging::{self, Paging, SortField, SortKind};
use crate::store::{accounts, contacts, new_id, now, opportunities, orders, quotes, scope};
use crate::webhooks;

const PARTICIPANT: &str = "participant";
const COPIED: &str = "copied";

/// Filters of the activity list.
#[derive(Debug, Default, Clone)]
pub struct ActivityFilter {
    pub account_id: Option<Uuid>,
    pub lead_id: Option<Uuid>,
    pub opportunity_id: Option<Uuid>,
    pub owner_id: Option<Uuid>,
    pub kind: Option<ActivityKind>,
    pub status: Option<ActivityStatus>,
}

pub const SORT_FIELDS: [SortField<Column>; 2] = [
    SortField {
        name: "created_at",
        column: Column::CreatedAt,
        kind: SortKind::Time,
    },
    SortField {
        name: "updated_at",
        column: Column::UpdatedAt,
        kind: SortKind::Time,
    },
];

fn view(m: entity::Model, people: &[people::Model]) -> ActivityView {
    let of = |role: &str| {
        people
            .iter()
            .filter(|p| p.activity_id == m.id && p.role == role)
            .map(|p| p.user_id)
            .collect()
    };
    ActivityView {
        id: m.id,
        kind: ActivityKind::parse(&m.kind).unwrap_or(ActivityKind::Note),
        subject: m.subject,
        status: ActivityStatus::parse(&m.status).unwrap_or(ActivityStatus::Done),
        account_id: m.account_id,
        lead_id: m.lead_id,
        contact_id: m.contact_id,
        opportunity_id: m.opportunity_id,
        quote_id: m.quote_id,
        order_id: m.order_id,
        owner_id: m.owner_id,
        dealer_id: m.dealer_id,
        planned_start: m.planned_start,
        planned_end: m.planned_end,
        place: m.place,
        purpose: m.purpose,
        outcome: m.outcome,
        done_at: m.done_at,
        due_date: m.due_date,
        priority: Priority::parse(&m.priority).unwrap_or(Priority::Normal),
        participants: of(PARTICIPANT),
        copied_to: of(COPIED),
        created_by: m.created_by,
        created_at: m.created_at,
        updated_at: m.updated_at,
        version: m.version,
    }
}

/// The reach a role has on a resource, `None` instead of an error when it has none.
fn reach_or_none(principal: &Principal, resource: Resource) -> Reach {
    principal
        .reach(resource, Action::Read)
        .unwrap_or(Reach::None)
}

/// Activities the caller may read: on an account they may read, on a lead (without an
/// account) they may read, or one they took part in or were copied on.
pub fn read_scope(principal: &Principal) -> Result<Condition, ApiError> {
    principal.reach(Resource::Activities, Action::Read)?;
    let on_account =
        Condition::all()
            .add(Column::AccountId.is_not_null())
            .add(scope::account_filter(
                principal,
                reach_or_none(principal, Resource::Accounts),
                Column::AccountId,
            ));
    let on_lead = Condition::all().add(Column::AccountId.is_null()).add(
        Column::LeadId.in_subquery(
            Query::select()
                .column(leads::Column::Id)
                .from(leads::Entity)
                .cond_where(scope::owner_filter(
                    principal,
                    reach_or_none(principal, Resource::Leads),
                    leads::Column::OwnerId,
                    leads::Column::DealerId,
                ))
                .to_owned(),
        ),
    );
    let involved = Column::Id.in_subquery(
        Query::select()
            .column(people::Column::ActivityId)
            .from(people::Entity)
            .and_where(people::Column::UserId.eq(principal.user_id))
            .to_owned(),
    );
    Ok(Condition::all().add(Condition::any().add(on_account).add(on_lead).add(involved)))
}

async fn people_of<C: ConnectionTrait>(
    db: &C,
    ids: impl IntoIterator<Item = Uuid>,
) -> Result<Vec<people::Model>, ApiError> {
    Ok(people::Entity::find()
        .filter(people::Column::ActivityId.is_in(ids))
        .all(db)
        .await?)
}

pub async fn list<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    filter: ActivityFilter,
    paging: Paging<Column>,
) -> Result<ListPage<ActivityView>, ApiError> {
    let mut cond = read_scope(principal)?;
    if let Some(a) = filter.account_id {
        cond = cond.add(Column::AccountId.eq(a));
    }
    if let Some(l) = filter.lead_id {
        cond = cond.add(Column::LeadId.eq(l));
    }
    if let Some(o) = filter.opportunity_id {
        cond = cond.add(Column::OpportunityId.eq(o));
    }
    if let Some(o) = filter.owner_id {
        cond = cond.add(Column::OwnerId.eq(o));
    }
    if let Some(k) = filter.kind {
        cond = cond.add(Column::Kind.eq(k.as_str()));
    }
    if let Some(s) = filter.status {
        cond = cond.add(Column::Status.eq(s.as_str()));
    }
    let page = paging::page(
        db,
        entity::Entity::find().filter(cond),
        &paging,
        Column::Id,
        |m| m.id,
        |m| m,
    )
    .await?;
    // The people of the whole page in one query.
    let people = people_of(db, page.items.iter().map(|m| m.id)).await?;
    Ok(ListPage {
        items: page.items.into_iter().map(|m| view(m, &people)).collect(),
        next_cursor: page.next_cursor,
        total: page.total,
    })
}

pub async fn find<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    id: Uuid,
) -> Result<entity::Model, ApiError> {
    entity::Entity::find_by_id(id)
        .filter(read_scope(principal)?)
        .one(db)
        .await?
        .ok_or(ApiError::NotFound("activity"))
}

pub async fn get<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    id: Uuid,
) -> Result<ActivityView, ApiError> {
    let m = find(db, principal, id).await?;
    let people = people_of(db, [m.id]).await?;
    Ok(view(m, &people))
}

/// A record named in the body that the caller cannot see, or that is not the activity's
/// account's, is a field error naming it.
fn unknown(field: &str) -> ApiError {
    ApiError::field(
        field,
        "unknown-record",
        "no record of this customer you can see has this id",
    )
}

fn visible_or_unknown<T>(found: Result<T, ApiError>, field: &str) -> Result<T, ApiError> {
    match found {
        Err(ApiError::NotFound(_)) => Err(unknown(field)),
        other => other,
    }
}

/// The account and dealer an activity hangs on, after checking every record it names.
async fn check_links<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    input: &ActivityCreate,
) -> Result<(Option<Uuid>, Option<Uuid>), ApiError> {
    let account = match input.account_id {
        Some(id) => Some(visible_or_unknown(
            accounts::find(db, principal, id).await,
            "account_id",
        )?),
        None => None,
    };
    let lead = match input.lead_id {
        Some(id) => Some(visible_or_unknown(
            crate::store::leads::find(db, principal, id).await,
            "lead_id",
        )?),
        None => None,
    };
    let (account_id, dealer_id) = match (&account, &lead) {
        (Some(a), _) => (Some(a.id), a.dealer_id),
        (None, Some(l)) => (None, l.dealer_id),
        (None, None) => {
            return Err(ApiError::field(
                "account_id",
                "required",
                "an activity is on an account (or on a lead that has none yet)",
            ));
        }
    };
    let same = |field: &str, of: Uuid| match account_id {
        Some(a) if a == of => Ok(()),
        _ => Err(unknown(field)),
    };
    if let Some(id) = input.contact_id {
        let c = visible_or_unknown(contacts::find(db, principal, id).await, "contact_id")?;
        same("contact_id", c.account_id)?;
    }
    if let Some(id) = input.opportunity_id {
        let o = visible_or_unknown(
            opportunities::find(db, principal, id).await,
            "opportunity_id",
        )?;
        same("opportunity_id", o.account_id)?;
    }
    if let Some(id) = input.quote_id {
        let q = visible_or_unknown(quotes::find(db, principal, id).await, "quote_id")?;
        same("quote_id", q.account_id)?;
    }
    if let Some(id) = input.order_id {
        let o = visible_or_unknown(orders::find(db, principal, id).await, "order_id")?;
        same("order_id", o.account_id)?;
    }
    Ok((account_id, dealer_id))
}

/// The people on an activity: active users, and — so that a copy never carries a customer
/// across the dealer line — the company's staff or the activity's own dealer's.
async fn check_people<C: ConnectionTrait>(
    db: &C,
    ids: &[Uuid],
    dealer: Option<Uuid>,
    field: &str,
) -> Result<BTreeSet<Uuid>, ApiError> {
    let wanted: BTreeSet<Uuid> = ids.iter().copied().collect();
    let found = users::Entity::find()
        .filter(users::Column::Id.is_in(wanted.iter().copied()))
        .filter(users::Column::Active.eq(true))
        .all(db)
        .await?;
    let allowed: BTreeSet<Uuid> = found
        .iter()
        .filter(|u| u.dealer_id.is_none() || u.dealer_id == dealer)
        .map(|u| u.id)
        .collect();
    if allowed != wanted {
        return Err(ApiError::field(
            field,
            "unknown-user",
            "each person must be an active user who may work on this customer",
        ));
    }
    Ok(wanted)
}

fn check_times(
    start: Option<chrono::DateTime<chrono::Utc>>,
    end: Option<chrono::DateTime<chrono::Utc>>,
) -> Result<(), ApiError> {
    match (start, end) {
        (Some(s), Some(e)) if e < s => Err(ApiError::field(
            "planned_end",
            "before-start",
            "a plan ends after it starts",
        )),
        _ => Ok(()),
    }
}

pub async fn create(
    db: &DatabaseConnection,
    principal: &Principal,
    input: ActivityCreate,
) -> Result<ActivityView, ApiError> {
    principal.reach(Resource::Activities, Action::Write)?;
    let subject = required(&input.subject, 200, "subject")?;
    let place = line(input.place.as_deref(), 200, "place")?;
    let purpose = note(input.purpose.as_deref(), "purpose")?;
    let outcome = note(input.outcome.as_deref(), "outcome")?;
    check_times(input.planned_start, input.planned_end)?;
    let owner = input.owner_id.unwrap_or(principal.user_id);
    let txn = db.begin().await?;
    let (account_id, dealer_id) = check_links(&txn, principal, &input).await?;
    scope::check_assignable(&txn, principal, Resource::Activities, owner, "owner_id").await?;
    let participants = check_people(&txn, &input.participants, dealer_id, "participants").await?;
    let copied = check_people(&txn, &input.copied_to, dealer_id, "copied_to").await?;
    let status = input.status.unwrap_or(
        if input.kind == ActivityKind::Task || input.planned_start.is_some() {
            ActivityStatus::Planned
        } else {
            ActivityStatus::Done
        },
    );
    let at = now();
    let model = entity::ActiveModel {
        id: Set(new_id()),
        kind: Set(input.kind.as_str().to_owned()),
        subject: Set(subject),
        status: Set(status.as_str().to_owned()),
        account_id: Set(account_id),
        lead_id: Set(input.lead_id),
        contact_id: Set(input.contact_id),
        opportunity_id: Set(input.opportunity_id),
        quote_id: Set(input.quote_id),
        order_id: Set(input.order_id),
        owner_id: Set(owner),
        dealer_id: Set(dealer_id),
        planned_start: Set(input.planned_start),
        planned_end: Set(input.planned_end),
        place: Set(place),
        purpose: Set(purpose),
        outcome: Set(outcome),
        done_at: Set((status == ActivityStatus::Done).then_some(at)),
        due_date: Set(input.due_date),
        priority: Set(input
            .priority
            .unwrap_or(Priority::Normal)
            .as_str()
            .to_owned()),
        created_by: Set(principal.user_id),
        created_at: Set(at),
        updated_at: Set(at),
        version: Set(1),
    }
    .insert(&txn)
    .await?;
    // A participant who is also copied is simply a participant.
    let rows: Vec<people::ActiveModel> = participants
        .iter()
        .map(|u| (*u, PARTICIPANT))
        .chain(copied.difference(&participants).map(|u| (*u, COPIED)))
        .map(|(user, role)| people::ActiveModel {
            activity_id: Set(model.id),
            user_id: Set(user),
            role: Set(role.to_owned()),
        })
        .collect();
    if !rows.is_empty() {
        people::Entity::insert_many(rows).exec(&txn).await?;
    }
    let saved_people = people_of(&txn, [model.id]).await?;
    let created = view(model, &saved_people);
    webhooks::emit(&txn, "activity.created", created.dealer_id, &created).await?;
    txn.commit().await?;
    Ok(created)
}

/// The activity if the caller may change it: they can see it and its owner is within their
/// write reach (taking part or being copied gives no right to edit).
async fn writable<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    id: Uuid,
    expected_version: i32,
) -> Result<entity::Model, ApiError> {
    let current = find(db, principal, id).await?;
    scope::check_writable(
        db,
        principal,
        Resource::Activities,
        scope::Held::new(current.owner_id, current.dealer_id),
    )
    .await?;
    if current.version != expected_version {
        return Err(ApiError::PreconditionFailed {
            current_version: current.version,
        });
    }
    Ok(current)
}

pub async fn update(
    db: &DatabaseConnection,
    principal: &Principal,
    id: Uuid,
    expected_version: i32,
    input: ActivityUpdate,
) -> Result<ActivityView, ApiError> {
    let txn = db.begin().await?;
    let current = writable(&txn, principal, id, expected_version).await?;
    let mut model: entity::ActiveModel = current.clone().into();
    if let Some(s) = input.subject {
        model.subject = Set(required(&s, 200, "subject")?);
    }
    let start = input.planned_start.unwrap_or(current.planned_start);
    let end = input.planned_end.unwrap_or(current.planned_end);
    check_times(start, end)?;
    model.planned_start = Set(start);
    model.planned_end = Set(end);
    if let Some(v) = input.place {
        model.place = Set(line(v.as_deref(), 200, "place")?);
    }
    if let Some(v) = input.purpose {
        model.purpose = Set(note(v.as_deref(), "purpose")?);
    }
    if let Some(v) = input.outcome {
        model.outcome = Set(note(v.as_deref(), "outcome")?);
    }
    if let Some(v) = input.due_date {
        model.due_date = Set(v);
    }
    if let Some(p) = input.priority {
        model.priority = Set(p.as_str().to_owned());
    }
    let at = now();
    if let Some(status) = input.status {
        model.status = Set(status.as_str().to_owned());
        // Done when it became done; a task marked undone again forgets when.
        model.done_at = Set(match status {
            ActivityStatus::Done => current.done_at.or(Some(at)),
            _ => None,
        });
    }
    model.version = Set(current.version + 1);
    model.updated_at = Set(at);
    let saved = save_versioned_model(
        &txn,
        model,
        Column::Id,
        Column::Version,
        id,
        current.version,
    )
    .await?;
    let people = people_of(&txn, [id]).await?;
    let completed = saved.done_at.is_some() && current.done_at.is_none();
    let updated = view(saved, &people);
    let event = match completed {
        true => "activity.completed",
        false => "activity.updated",
    };
    webhooks::emit(&txn, event, updated.dealer_id, &updated).await?;
    txn.commit().await?;
    Ok(updated)
}

pub async fn delete(
    db: &DatabaseConnection,
    principal: &Principal,
    id: Uuid,
    expected_version: i32,
) -> Result<(), ApiError> {
    let txn = db.begin().await?;
    writable(&txn, principal, id, expected_version).await?;
    people::Entity::delete_many()
        .filter(people::Column::ActivityId.eq(id))
        .exec(&txn)
        .await?;
    entity::Entity::delete_by_id(id).exec(&txn).await?;
    txn.commit().await?;
    Ok(())
}

/// The longest calendar range one request may ask for, in days.
const CALENDAR_MAX_DAYS: i64 = 92;

/// Plans (by planned start) and tasks (by due date) of a user or a team between two days of
/// the company's calendar, earliest first — as far as the caller may read them.
pub async fn calendar<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    query: CalendarQuery,
) -> Result<Vec<ActivityView>, ApiError> {
    if query.to < query.from {
        return Err(ApiError::field(
            "to",
            "before-from",
            "the range ends on or after `from`",
        ));
    }
    if (query.to - query.from).num_days() >= CALENDAR_MAX_DAYS {
        return Err(ApiError::field(
            "to",
            "too-long",
            format!("a calendar covers at most {CALENDAR_MAX_DAYS} days"),
        ));
    }
    let whose = match (query.user, query.team) {
        (Some(_), Some(_)) => {
            return Err(ApiError::field(
                "team",
                "one-of",
                "ask for a user's calendar or a team's, not both",
            ));
        }
        (_, Some(team)) => Column::OwnerId.in_subquery(scope::team_members(team)),
        (user, None) => Column::OwnerId.eq(user.unwrap_or(principal.user_id)),
    };
    let start_of = |day: chrono::NaiveDate| {
        day.and_hms_opt(0, 0, 0)
            .and_then(|t| t.and_local_timezone(principal.time_zone).earliest())
            .map(|t| t.with_timezone(&chrono::Utc))
            .ok_or_else(|| ApiError::field("from", "invalid", "not a day of the calendar"))
    };
    let (start, end) = (
        start_of(query.from)?,
        start_of(query.to + chrono::Days::new(1))?,
    );
    let in_range = Condition::any()
        .add(
            Condition::all()
                .add(Column::PlannedStart.gte(start))
                .add(Column::PlannedStart.lt(end)),
        )
        .add(
            Condition::all()
                .add(Column::DueDate.gte(query.from))
                .add(Column::DueDate.lte(query.to)),
        );
    let rows = entity::Entity::find()
        .filter(read_scope(principal)?)
        .filter(whose)
        .filter(in_range)
        .filter(Column::Status.ne(ActivityStatus::Cancelled.as_str()))
        .limit(1000)
        .all(db)
        .await?;
    let people = people_of(db, rows.iter().map(|m| m.id)).await?;
    let mut views: Vec<ActivityView> = rows.into_iter().map(|m| view(m, &people)).collect();
    // Plans by their start, tasks by the start of their due day.
    let when = |v: &ActivityView| {
        v.planned_start
            .or_else(|| v.due_date.and_then(|d| start_of(d).ok()))
    };
    views.sort_by_key(|v| (when(v), v.id));
    Ok(views)
}
