//! Keyset (cursor) paging and sorting, the same for every list.
//!
//! A page is `WHERE (sort_col, id) > (last_value, last_id) ORDER BY sort_col, id LIMIT n+1`
//! (or `<` and descending): one index range scan whatever the page number, and stable while
//! rows are inserted. The cursor is the last row's sort value and id, base64url-encoded JSON.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ConnectionTrait, EntityTrait, ModelTrait, Order, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Select, Value,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use kedao_api_types::ListPage;
use kedao_api_types::list::{DEFAULT_LIMIT, MAX_LIMIT};

use crate::error::ApiError;

/// The type of a sortable column, which says how its cursor value is read back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortKind {
    Time,
    Date,
    Text,
    Int,
}

/// A column a list may be sorted by.
#[derive(Debug, Clone, Copy)]
pub struct SortField<C> {
    pub name: &'static str,
    pub column: C,
    pub kind: SortKind,
}

/// The requested order.
#[derive(Debug, Clone, Copy)]
pub struct Sort<C> {
    pub field: SortField<C>,
    pub desc: bool,
}

/// Paging parameters after checking.
#[derive(Debug, Clone)]
pub struct Paging<C> {
    pub sort: Sort<C>,
    pub limit: u64,
    pub cursor: Option<(Value, Uuid)>,
    pub include_total: bool,
}

impl<C: Copy> Paging<C> {
    /// Checks `sort` (a field name, `-` in front for descending), `limit` and `cursor`.
    pub fn parse(
        sort: Option<&str>,
        limit: Option<u64>,
        cursor: Option<&str>,
        include_total: Option<bool>,
        fields: &[SortField<C>],
        default_sort: &str,
    ) -> Result<Self, ApiError> {
        let requested = sort.unwrap_or(default_sort);
        let (desc, name) = match requested.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, requested),
        };
        let field = fields
            .iter()
            .find(|f| f.name == name)
            .copied()
            .ok_or_else(|| {
                let names: Vec<_> = fields.iter().map(|f| f.name).collect();
                ApiError::field(
                    "sort",
                    "invalid-parameter",
                    format!(
                        "sort by one of {} (prefix - for descending)",
                        names.join(", ")
                    ),
                )
            })?;
        let limit = limit.unwrap_or(DEFAULT_LIMIT);
        if !(1..=MAX_LIMIT).contains(&limit) {
            return Err(ApiError::field(
                "limit",
                "out-of-range",
                format!("limit must be from 1 to {MAX_LIMIT}"),
            ));
        }
        let cursor = cursor.map(|c| decode_cursor(c, field.kind)).transpose()?;
        Ok(Paging {
            sort: Sort { field, desc },
            limit,
            cursor,
            include_total: include_total.unwrap_or(false),
        })
    }
}

#[derive(Serialize, Deserialize)]
struct CursorData {
    v: serde_json::Value,
    id: Uuid,
}

fn bad_cursor() -> ApiError {
    ApiError::field(
        "cursor",
        "invalid-parameter",
        "the cursor is not one this list returned",
    )
}

fn decode_cursor(cursor: &str, kind: SortKind) -> Result<(Value, Uuid), ApiError> {
    let bytes = URL_SAFE_NO_PAD.decode(cursor).map_err(|_| bad_cursor())?;
    let data: CursorData = serde_json::from_slice(&bytes).map_err(|_| bad_cursor())?;
    let value = match (kind, &data.v) {
        (SortKind::Time, serde_json::Value::String(s)) => DateTime::parse_from_rfc3339(s)
            .map(|t| Value::from(t.with_timezone(&Utc)))
            .map_err(|_| bad_cursor())?,
        (SortKind::Date, serde_json::Value::String(s)) => NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .map(Value::from)
            .map_err(|_| bad_cursor())?,
        (SortKind::Text, serde_json::Value::String(s)) => Value::from(s.clone()),
        (SortKind::Int, serde_json::Value::Number(n)) => {
            Value::from(n.as_i64().ok_or_else(bad_cursor)?)
        }
        _ => return Err(bad_cursor()),
    };
    Ok((value, data.id))
}

fn encode_cursor(value: Value, id: Uuid) -> Option<String> {
    let v = match value {
        Value::ChronoDateTimeUtc(Some(t)) => serde_json::Value::String(t.to_rfc3339()),
        Value::ChronoDate(Some(d)) => serde_json::Value::String(d.format("%Y-%m-%d").to_string()),
        Value::String(Some(s)) => serde_json::Value::String(s.to_string()),
        Value::BigInt(Some(n)) => serde_json::Value::from(n),
        Value::Int(Some(n)) => serde_json::Value::from(n),
        Value::SmallInt(Some(n)) => serde_json::Value::from(n),
        _ => return None,
    };
    let json = serde_json::to_vec(&CursorData { v, id }).ok()?;
    Some(URL_SAFE_NO_PAD.encode(json))
}

/// Adds the cursor condition, the order and the limit (one extra row tells if there is more).
pub fn apply<E: EntityTrait>(
    select: Select<E>,
    paging: &Paging<E::Column>,
    id_col: E::Column,
) -> Select<E> {
    let sort_col = paging.sort.field.column;
    let mut select = select;
    if let Some((value, id)) = &paging.cursor {
        let row = Expr::tuple([
            Expr::col((E::default(), sort_col)),
            Expr::col((E::default(), id_col)),
        ]);
        let last = Expr::tuple([Expr::val(value.clone()), Expr::val(*id)]);
        select = select.filter(if paging.sort.desc {
            row.lt(last)
        } else {
            row.gt(last)
        });
    }
    let order = if paging.sort.desc {
        Order::Desc
    } else {
        Order::Asc
    };
    select
        .order_by(sort_col, order.clone())
        .order_by(id_col, order)
        .limit(paging.limit + 1)
}

/// Runs a list query as one page: the count when asked for, then the page itself.
pub async fn page<C, E, T>(
    db: &C,
    select: Select<E>,
    paging: &Paging<E::Column>,
    id_col: E::Column,
    id_of: impl Fn(&E::Model) -> Uuid,
    view: impl Fn(E::Model) -> T,
) -> Result<ListPage<T>, ApiError>
where
    C: ConnectionTrait,
    E: EntityTrait,
    E::Model: Sync,
{
    let total = match paging.include_total {
        true => Some(select.clone().count(db).await?),
        false => None,
    };
    let rows = apply(select, paging, id_col).all(db).await?;
    Ok(finish(rows, paging, id_of, total, view))
}

/// Turns the fetched rows (up to limit + 1) into a page with its next cursor.
pub fn finish<M, T>(
    mut rows: Vec<M>,
    paging: &Paging<<M::Entity as EntityTrait>::Column>,
    id_of: impl Fn(&M) -> Uuid,
    total: Option<u64>,
    view: impl Fn(M) -> T,
) -> ListPage<T>
where
    M: ModelTrait,
{
    let more = rows.len() as u64 > paging.limit;
    rows.truncate(usize::try_from(paging.limit).unwrap_or(usize::MAX));
    let next_cursor = if more {
        rows.last()
            .and_then(|last| encode_cursor(last.get(paging.sort.field.column), id_of(last)))
    } else {
        None
    };
    ListPage {
        items: rows.into_iter().map(view).collect(),
        next_cursor,
        total,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_each_kind() {
        let id = Uuid::now_v7();
        let t = Utc::now();
        let c = encode_cursor(Value::from(t), id).unwrap();
        assert_eq!(
            decode_cursor(&c, SortKind::Time).unwrap(),
            (Value::from(t), id)
        );
        let c = encode_cursor(Value::from("华东 Ltd".to_owned()), id).unwrap();
        assert_eq!(
            decode_cursor(&c, SortKind::Text).unwrap().0,
            Value::from("华东 Ltd".to_owned())
        );
        let c = encode_cursor(Value::from(42_i64), id).unwrap();
        assert_eq!(
            decode_cursor(&c, SortKind::Int).unwrap().0,
            Value::from(42_i64)
        );
    }

    #[test]
    fn foreign_or_mismatched_cursors_are_refused() {
        assert!(decode_cursor("not base64!", SortKind::Time).is_err());
        let id = Uuid::now_v7();
        let c = encode_cursor(Value::from(42_i64), id).unwrap();
        assert!(decode_cursor(&c, SortKind::Time).is_err());
    }
}
