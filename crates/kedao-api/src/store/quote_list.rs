//! The quote list: filters, sorts and cursor paging over what the caller may see. By default
//! only the latest revision of each number is listed (earlier ones are superseded).

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter};
use uuid::Uuid;

use kedao_api_types::ListPage;
use kedao_api_types::quotes::{QuoteStatus, QuoteView};

use crate::auth::Principal;
use crate::error::ApiError;
use crate::store::entities::quotes::{self as entity, Column};
use crate::store::paging::{self, Paging, SortField, SortKind};
use crate::store::quotes::{read_scope, with_lines};
use crate::store::search;

/// Filters of the quote list.
#[derive(Debug, Default, Clone)]
pub struct QuoteFilter {
    pub opportunity_id: Option<Uuid>,
    pub account_id: Option<Uuid>,
    pub status: Option<QuoteStatus>,
    pub owner_id: Option<Uuid>,
    pub q: Option<String>,
    pub include_superseded: bool,
}

pub const SORT_FIELDS: [SortField<Column>; 3] = [
    SortField {
        name: "created_at",
        column: Column::CreatedAt,
        kind: SortKind::Time,
    },
    SortField {
        name: "number",
        column: Column::Number,
        kind: SortKind::Text,
    },
    SortField {
        name: "grand_total",
        column: Column::GrandTotal,
        kind: SortKind::Int,
    },
];

pub async fn list<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    filter: QuoteFilter,
    paging: Paging<Column>,
) -> Result<ListPage<QuoteView>, ApiError> {
    let mut cond = read_scope(principal)?;
    if let Some(o) = filter.opportunity_id {
        cond = cond.add(Column::OpportunityId.eq(o));
    }
    if let Some(a) = filter.account_id {
        cond = cond.add(Column::AccountId.eq(a));
    }
    if let Some(o) = filter.owner_id {
        cond = cond.add(Column::OwnerId.eq(o));
    }
    let superseded = QuoteStatus::Superseded.as_str();
    match filter.status {
        // Expired is sent and past its day: computed, not stored, so filtered the same way.
        Some(QuoteStatus::Expired) => {
            cond = cond
                .add(Column::Status.eq(QuoteStatus::Sent.as_str()))
                .add(Column::ValidUntil.lt(principal.today));
        }
        Some(QuoteStatus::Sent) => {
            cond = cond
                .add(Column::Status.eq(QuoteStatus::Sent.as_str()))
                .add(Column::ValidUntil.gte(principal.today));
        }
        Some(status) => cond = cond.add(Column::Status.eq(status.as_str())),
        None if !filter.include_superseded => cond = cond.add(Column::Status.ne(superseded)),
        None => {}
    }
    if let Some(q) = search::text_filter(filter.q.as_deref(), &[Column::Number])? {
        cond = cond.add(q);
    }
    let total = match paging.include_total {
        true => Some(
            entity::Entity::find()
                .filter(cond.clone())
                .count(db)
                .await?,
        ),
        false => None,
    };
    let rows = paging::apply(entity::Entity::find().filter(cond), &paging, Column::Id)
        .all(db)
        .await?;
    // Lines are read for the whole page at once, after the page is cut.
    let page = paging::finish(rows, &paging, |m| m.id, total, |m| m);
    Ok(ListPage {
        items: with_lines(db, page.items, principal.today).await?,
        next_cursor: page.next_cursor,
        total: page.total,
    })
}
