//! Field history (字段变更记录): every change to a key field of a record, kept append-only —
//! who (user or token), when, old value, new value. Writers call `track` in the transaction
//! of the change with the record's wire form before and after; the values recorded are the
//! very strings a client reads, so history and record never disagree on a format.
//!
//! A record's history is readable by whoever may read the record; a deleted record's history
//! stays, readable by admins.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::InsertStatement;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryTrait, Set};
use serde::Serialize;
use serde_json::Value;
use uuid::Uuid;

use kedao_api_types::ListPage;
use kedao_api_types::history::FieldChangeView;
use kedao_domain::access::Resource;

use crate::auth::Principal;
use crate::error::ApiError;
use crate::store::entities::field_changes::{self as entity, Column};
use crate::store::paging::{self, Paging, SortField, SortKind};
use crate::store::{accounts, dealers, leads, new_id, opportunities, orders, products, quotes};

/// The key fields whose changes are kept, per resource (names as in the record's JSON).
pub fn key_fields(resource: Resource) -> &'static [&'static str] {
    match resource {
        Resource::Accounts => &[
            "name",
            "owner_id",
            "dealer_id",
            "customer_type",
            "credit_limit",
            "credit_currency",
        ],
        Resource::Leads => &["owner_id", "dealer_id", "status", "disqualify_reason"],
        Resource::Opportunities => &[
            "owner_id",
            "stage_id",
            "amount",
            "currency",
            "probability",
            "expected_close_date",
            "lost_reason",
        ],
        Resource::Quotes => &[
            "owner_id",
            "status",
            "valid_until",
            "grand_total",
            "discount",
            "max_discount_percent",
            "approved_by",
        ],
        Resource::Orders => &["owner_id", "status", "credit_status"],
        Resource::Products => &[
            "sku",
            "list_price",
            "currency",
            "tax_rate_percent",
            "active",
        ],
        Resource::Dealers => &["code", "name", "region", "status"],
        _ => &[],
    }
}

/// A JSON value as history keeps it: strings as they are, `null` as nothing, the rest as JSON.
fn as_text(v: Option<&Value>) -> Option<String> {
    match v {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(other) => Some(other.to_string()),
    }
}

/// The key fields that differ between two JSON forms of a record: (field, old, new).
pub fn diff(
    fields: &[&'static str],
    before: &Value,
    after: &Value,
) -> Vec<(&'static str, Option<String>, Option<String>)> {
    fields
        .iter()
        .filter_map(|f| {
            let (old, new) = (as_text(before.get(f)), as_text(after.get(f)));
            (old != new).then_some((*f, old, new))
        })
        .collect()
}

/// Keeps the changes of `resource`'s key fields between `before` and `after` (any wire form).
pub async fn track<C: ConnectionTrait, V: Serialize>(
    db: &C,
    principal: &Principal,
    resource: Resource,
    record_id: Uuid,
    before: &V,
    after: &V,
    at: DateTime<Utc>,
) -> Result<(), ApiError> {
    let rows = changes(principal, resource, record_id, before, after, at)?;
    insert(db, rows).await
}

/// The history rows of one record's change, for a writer that changes several records and
/// keeps all their history with one `insert`.
pub fn changes<V: Serialize>(
    principal: &Principal,
    resource: Resource,
    record_id: Uuid,
    before: &V,
    after: &V,
    at: DateTime<Utc>,
) -> Result<Vec<entity::ActiveModel>, ApiError> {
    let json = |v: &V| serde_json::to_value(v).map_err(|e| ApiError::Internal(e.into()));
    let changed = diff(key_fields(resource), &json(before)?, &json(after)?);
    Ok(changed
        .into_iter()
        .map(|(field, old, new)| entity::ActiveModel {
            id: Set(new_id()),
            resource: Set(resource.as_str().to_owned()),
            record_id: Set(record_id),
            field: Set(field.to_owned()),
            old_value: Set(old),
            new_value: Set(new),
            actor_id: Set(Some(principal.user_id)),
            token_id: Set(principal.token_id),
            at: Set(at),
        })
        .collect())
}

/// Writes history rows in one statement (none: no statement): they are written inside the
/// caller's transaction, often while it holds locks.
pub async fn insert<C: ConnectionTrait>(
    db: &C,
    rows: Vec<entity::ActiveModel>,
) -> Result<(), ApiError> {
    if let Some(insert) = insert_rows(rows) {
        db.execute(&insert).await?;
    }
    Ok(())
}

/// The statement of [`insert`] (none for no rows), for a caller that sends it with other
/// writes.
pub fn insert_rows(rows: Vec<entity::ActiveModel>) -> Option<InsertStatement> {
    (!rows.is_empty()).then(|| entity::Entity::insert_many(rows).into_query())
}

pub const SORT_FIELDS: [SortField<Column>; 1] = [SortField {
    name: "at",
    column: Column::At,
    kind: SortKind::Time,
}];

/// Whether the caller may read the record (its own read rules); `NotFound` otherwise.
async fn check_readable<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    resource: Resource,
    id: Uuid,
) -> Result<(), ApiError> {
    match resource {
        Resource::Accounts => accounts::find(db, principal, id).await.map(|_| ()),
        Resource::Leads => leads::find(db, principal, id).await.map(|_| ()),
        Resource::Opportunities => opportunities::find(db, principal, id).await.map(|_| ()),
        Resource::Quotes => quotes::find(db, principal, id).await.map(|_| ()),
        Resource::Orders => orders::find(db, principal, id).await.map(|_| ()),
        Resource::Products => products::find(db, principal, id).await.map(|_| ()),
        Resource::Dealers => dealers::find(db, principal, id).await.map(|_| ()),
        _ => Err(ApiError::NotFound("record")),
    }
}

/// The record's key-field changes, paged by cursor. A record the caller cannot read answers
/// 404; an admin still reads the history of a deleted record.
pub async fn list<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    resource: Resource,
    id: Uuid,
    paging: Paging<Column>,
) -> Result<ListPage<FieldChangeView>, ApiError> {
    let select = entity::Entity::find()
        .filter(Column::Resource.eq(resource.as_str()))
        .filter(Column::RecordId.eq(id));
    match check_readable(db, principal, resource, id).await {
        Ok(()) => {}
        // A deleted record: its history is still there for an admin (an id that never had
        // a record has no history, and stays a 404).
        Err(ApiError::NotFound(what)) if principal.is_admin() => {
            if select.clone().one(db).await?.is_none() {
                return Err(ApiError::NotFound(what));
            }
        }
        Err(e) => return Err(e),
    }
    paging::page(db, select, &paging, Column::Id, |m| m.id, view).await
}

fn view(m: entity::Model) -> FieldChangeView {
    FieldChangeView {
        id: m.id,
        field: m.field,
        old_value: m.old_value,
        new_value: m.new_value,
        actor_id: m.actor_id,
        token_id: m.token_id,
        at: m.at,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn only_changed_key_fields_are_kept() {
        let before =
            json!({"owner_id": "a", "amount": "100.00", "title": "x", "lost_reason": null});
        let after =
            json!({"owner_id": "b", "amount": "100.00", "title": "y", "lost_reason": "价格"});
        let got = diff(key_fields(Resource::Opportunities), &before, &after);
        assert_eq!(
            got,
            [
                ("owner_id", Some("a".into()), Some("b".into())),
                ("lost_reason", None, Some("价格".into())),
            ]
        );
        assert!(
            diff(
                &["probability"],
                &json!({"probability": 30}),
                &json!({"probability": 30})
            )
            .is_empty()
        );
        assert_eq!(
            diff(
                &["probability"],
                &json!({"probability": 30}),
                &json!({"probability": 50})
            ),
            [("probability", Some("30".into()), Some("50".into()))]
        );
    }
}
