//! A customer's timeline (客户时间线): activities, notes, stage moves, quotes, orders, payments
//! and key-field changes of the account and its deals, quotes and orders, as one stream, newest
//! first, paged by a cursor of (time, id).
//!
//! Each source is read with its own scope — a caller sees on the timeline exactly the records
//! they could read one by one, and a source their role cannot read at all is left out — and
//! each brings at most one page past the cursor; the page is the newest of those.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Query, SelectStatement};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};
use uuid::Uuid;

use kedao_api_types::accounts::{Timeline, TimelineEntry, TimelineKind};
use kedao_api_types::notes::RecordType;
use kedao_domain::access::Resource;
use kedao_domain::money::Money;

use crate::auth::Principal;
use crate::error::ApiError;
use crate::store::entities::{
    activities as activity_rows, field_changes, notes as note_rows,
    opportunities as opportunity_rows, orders as order_rows, payments as payment_rows,
    quotes as quote_rows, stage_history, stages,
};
use crate::store::products::currency_of;
use crate::store::{accounts, activities, opportunities, orders, quotes};

/// How much of a note its timeline entry shows.
const NOTE_SUMMARY_CHARS: usize = 200;

/// A position in the stream: entries strictly older than (at, id) come next.
#[derive(Debug, Clone, Copy)]
struct Cursor {
    at: DateTime<Utc>,
    id: Uuid,
}

fn parse_cursor(cursor: Option<&str>) -> Result<Option<Cursor>, ApiError> {
    let Some(text) = cursor else {
        return Ok(None);
    };
    let bad = || ApiError::field("cursor", "invalid", "not a cursor this list gave out");
    let (micros, id) = text.split_once('.').ok_or_else(bad)?;
    let at = micros
        .parse::<i64>()
        .ok()
        .and_then(DateTime::from_timestamp_micros)
        .ok_or_else(bad)?;
    let id = Uuid::parse_str(id).map_err(|_| bad())?;
    Ok(Some(Cursor { at, id }))
}

fn cursor_text(entry: &TimelineEntry) -> String {
    format!("{}.{}", entry.at.timestamp_micros(), entry.id)
}

/// Rows older than the cursor, in `(at, id)` order.
fn older<A: ColumnTrait, I: ColumnTrait>(cursor: Option<Cursor>, at: A, id: I) -> Condition {
    match cursor {
        None => Condition::all(),
        Some(c) => Condition::any()
            .add(at.lt(c.at))
            .add(Condition::all().add(at.eq(c.at)).add(id.lt(c.id))),
    }
}

/// Ids of `column`'s rows of the account that `scope` lets the caller read.
fn ids_of<E: EntityTrait, C: ColumnTrait>(
    entity: E,
    id: C,
    account_col: C,
    account: Uuid,
    scope: Condition,
) -> SelectStatement {
    Query::select()
        .column(id)
        .from(entity)
        .and_where(account_col.eq(account))
        .cond_where(scope)
        .to_owned()
}

/// A source's scope, if the caller may read it at all (role and, for an API token, scope).
fn readable(
    principal: &Principal,
    resource: Resource,
    scope: fn(&Principal) -> Result<Condition, ApiError>,
) -> Option<Condition> {
    if principal.may_read(resource) {
        scope(principal).ok()
    } else {
        None
    }
}

pub async fn of_account<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    account_id: Uuid,
    limit: Option<u64>,
    cursor: Option<&str>,
) -> Result<Timeline, ApiError> {
    let limit = match limit {
        None => 50,
        Some(n @ 1..=200) => n,
        Some(_) => {
            return Err(ApiError::field("limit", "out-of-range", "from 1 to 200"));
        }
    };
    let cursor = parse_cursor(cursor)?;
    // One past the page from every source: enough to know whether an older page exists.
    let fetch = limit + 1;
    let account = accounts::find(db, principal, account_id).await?;
    let mut entries = Vec::new();

    if let Some(scope) = readable(principal, Resource::Activities, activities::read_scope) {
        let rows = activity_rows::Entity::find()
            .filter(activity_rows::Column::AccountId.eq(account.id))
            .filter(scope)
            .filter(older(
                cursor,
                activity_rows::Column::CreatedAt,
                activity_rows::Column::Id,
            ))
            .order_by_desc(activity_rows::Column::CreatedAt)
            .order_by_desc(activity_rows::Column::Id)
            .limit(fetch)
            .all(db)
            .await?;
        entries.extend(rows.into_iter().map(|a| TimelineEntry {
            id: a.id,
            kind: TimelineKind::Activity,
            at: a.created_at,
            record_id: a.id,
            actor_id: Some(a.owner_id),
            summary: format!("{}: {}", a.kind, a.subject),
        }));
    }

    let deals = readable(
        principal,
        Resource::Opportunities,
        opportunities::read_scope,
    )
    .map(|scope| {
        ids_of(
            opportunity_rows::Entity,
            opportunity_rows::Column::Id,
            opportunity_rows::Column::AccountId,
            account.id,
            scope,
        )
    });
    if let Some(deals) = &deals {
        let moves = stage_history::Entity::find()
            .filter(stage_history::Column::OpportunityId.in_subquery(deals.clone()))
            .filter(older(
                cursor,
                stage_history::Column::ChangedAt,
                stage_history::Column::Id,
            ))
            .order_by_desc(stage_history::Column::ChangedAt)
            .order_by_desc(stage_history::Column::Id)
            .limit(fetch)
            .all(db)
            .await?;
        let names: HashMap<Uuid, String> = stages::Entity::find()
            .filter(stages::Column::Id.is_in(moves.iter().map(|m| m.to_stage_id)))
            .all(db)
            .await?
            .into_iter()
            .map(|s| (s.id, s.name))
            .collect();
        entries.extend(moves.into_iter().map(|m| TimelineEntry {
            id: m.id,
            kind: TimelineKind::StageMove,
            at: m.changed_at,
            record_id: m.opportunity_id,
            actor_id: Some(m.changed_by),
            summary: format!(
                "→ {}",
                names.get(&m.to_stage_id).map_or("?", String::as_str)
            ),
        }));
    }

    let quote_ids = readable(principal, Resource::Quotes, quotes::read_scope).map(|scope| {
        ids_of(
            quote_rows::Entity,
            quote_rows::Column::Id,
            quote_rows::Column::AccountId,
            account.id,
            scope,
        )
    });
    if let Some(ids) = &quote_ids {
        let rows = quote_rows::Entity::find()
            .filter(quote_rows::Column::Id.in_subquery(ids.clone()))
            .filter(older(
                cursor,
                quote_rows::Column::CreatedAt,
                quote_rows::Column::Id,
            ))
            .order_by_desc(quote_rows::Column::CreatedAt)
            .order_by_desc(quote_rows::Column::Id)
            .limit(fetch)
            .all(db)
            .await?;
        entries.extend(rows.into_iter().map(|q| TimelineEntry {
            id: q.id,
            kind: TimelineKind::Quote,
            at: q.created_at,
            record_id: q.id,
            actor_id: Some(q.created_by),
            summary: format!(
                "{} r{} {} {} ({})",
                q.number,
                q.revision,
                Money::from_storage(q.grand_total, currency_of(&q.currency)).amount(),
                q.currency,
                q.status
            ),
        }));
    }

    let order_ids = readable(principal, Resource::Orders, orders::read_scope).map(|scope| {
        ids_of(
            order_rows::Entity,
            order_rows::Column::Id,
            order_rows::Column::AccountId,
            account.id,
            scope,
        )
    });
    if let Some(ids) = &order_ids {
        let rows = order_rows::Entity::find()
            .filter(order_rows::Column::Id.in_subquery(ids.clone()))
            .filter(older(
                cursor,
                order_rows::Column::CreatedAt,
                order_rows::Column::Id,
            ))
            .order_by_desc(order_rows::Column::CreatedAt)
            .order_by_desc(order_rows::Column::Id)
            .limit(fetch)
            .all(db)
            .await?;
        entries.extend(rows.into_iter().map(|o| TimelineEntry {
            id: o.id,
            kind: TimelineKind::Order,
            at: o.created_at,
            record_id: o.id,
            actor_id: Some(o.created_by),
            summary: format!(
                "{} {} {} ({})",
                o.number,
                Money::from_storage(o.grand_total, currency_of(&o.currency)).amount(),
                o.currency,
                o.status
            ),
        }));
    }

    // Notes on the account (and its contacts), and on the deals, quotes and orders above.
    let mut noted =
        Condition::any().add(note_rows::Column::RecordType.eq(RecordType::Account.as_str()));
    if principal.may_read(Resource::Contacts) {
        noted = noted.add(note_rows::Column::RecordType.eq(RecordType::Contact.as_str()));
    }
    for (record_type, ids) in [
        (RecordType::Opportunity, &deals),
        (RecordType::Quote, &quote_ids),
        (RecordType::Order, &order_ids),
    ] {
        if let Some(ids) = ids {
            noted = noted.add(
                Condition::all()
                    .add(note_rows::Column::RecordType.eq(record_type.as_str()))
                    .add(note_rows::Column::RecordId.in_subquery(ids.clone())),
            );
        }
    }
    let rows = note_rows::Entity::find()
        .filter(note_rows::Column::AccountId.eq(account.id))
        .filter(note_rows::Column::DeletedAt.is_null())
        .filter(noted)
        .filter(older(
            cursor,
            note_rows::Column::CreatedAt,
            note_rows::Column::Id,
        ))
        .order_by_desc(note_rows::Column::CreatedAt)
        .order_by_desc(note_rows::Column::Id)
        .limit(fetch)
        .all(db)
        .await?;
    entries.extend(rows.into_iter().map(|n| TimelineEntry {
        id: n.id,
        kind: TimelineKind::Note,
        at: n.created_at,
        record_id: n.id,
        actor_id: Some(n.author_id),
        summary: n.body.chars().take(NOTE_SUMMARY_CHARS).collect(),
    }));

    // Payments are the account's receivables: seen by whoever may read those.
    if principal.may_read(Resource::Receivables) {
        let rows = payment_rows::Entity::find()
            .filter(payment_rows::Column::AccountId.eq(account.id))
            .filter(older(
                cursor,
                payment_rows::Column::CreatedAt,
                payment_rows::Column::Id,
            ))
            .order_by_desc(payment_rows::Column::CreatedAt)
            .order_by_desc(payment_rows::Column::Id)
            .limit(fetch)
            .all(db)
            .await?;
        entries.extend(rows.into_iter().map(|p| TimelineEntry {
            id: p.id,
            kind: TimelineKind::Payment,
            at: p.created_at,
            record_id: p.id,
            actor_id: Some(p.created_by),
            summary: format!(
                "{} {} ({}){}",
                Money::from_storage(p.amount, currency_of(&p.currency)).amount(),
                p.currency,
                p.method,
                if p.voided_at.is_some() {
                    ", voided"
                } else {
                    ""
                }
            ),
        }));
    }

    // Key-field changes of the account and of the records above the caller may read.
    let mut changed = Condition::any().add(
        Condition::all()
            .add(field_changes::Column::Resource.eq(Resource::Accounts.as_str()))
            .add(field_changes::Column::RecordId.eq(account.id)),
    );
    for (resource, ids) in [
        (Resource::Opportunities, deals),
        (Resource::Quotes, quote_ids),
        (Resource::Orders, order_ids),
    ] {
        if let Some(ids) = ids {
            changed = changed.add(
                Condition::all()
                    .add(field_changes::Column::Resource.eq(resource.as_str()))
                    .add(field_changes::Column::RecordId.in_subquery(ids)),
            );
        }
    }
    let rows = field_changes::Entity::find()
        .filter(changed)
        .filter(older(
            cursor,
            field_changes::Column::At,
            field_changes::Column::Id,
        ))
        .order_by_desc(field_changes::Column::At)
        .order_by_desc(field_changes::Column::Id)
        .limit(fetch)
        .all(db)
        .await?;
    entries.extend(rows.into_iter().map(|c| TimelineEntry {
        id: c.id,
        kind: TimelineKind::FieldChange,
        at: c.at,
        record_id: c.record_id,
        actor_id: c.actor_id,
        summary: format!(
            "{}.{}: {} → {}",
            c.resource,
            c.field,
            c.old_value.as_deref().unwrap_or("—"),
            c.new_value.as_deref().unwrap_or("—")
        ),
    }));

    // Newest first across the sources; each brought at most a page, so the page is exact.
    entries.sort_by(|a, b| b.at.cmp(&a.at).then(b.id.cmp(&a.id)));
    let limit = usize::try_from(limit).unwrap_or(usize::MAX);
    let next_cursor = (entries.len() > limit).then(|| cursor_text(&entries[limit - 1]));
    entries.truncate(limit);
    Ok(Timeline {
        items: entries,
        next_cursor,
    })
}
