//! The opportunity list: filters, sorts and cursor paging over what the caller may see.

use std::collections::HashMap;

use chrono::NaiveDate;
use sea_orm::sea_query::Query;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter};
use uuid::Uuid;

use kedao_api_types::ListPage;
use kedao_api_types::opportunities::OpportunityView;
use kedao_domain::pipeline::StageKind;

use crate::auth::Principal;
use crate::error::ApiError;
use crate::store::entities::opportunities::{self as entity, Column};
use crate::store::entities::stages;
use crate::store::opportunities::{read_scope, view};
use crate::store::paging::{self, Paging, SortField, SortKind};
use crate::store::stages::stage_kind;
use crate::store::{masking, search};

/// Filters of the opportunity list.
#[derive(Debug, Default, Clone)]
pub struct OpportunityFilter {
    pub pipeline_id: Option<Uuid>,
    pub stage_id: Option<Uuid>,
    pub owner_id: Option<Uuid>,
    pub account_id: Option<Uuid>,
    pub status: Option<StageKind>,
    pub close_from: Option<NaiveDate>,
    pub close_to: Option<NaiveDate>,
    pub q: Option<String>,
}

pub const SORT_FIELDS: [SortField<Column>; 5] = [
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
    SortField {
        name: "expected_close_date",
        column: Column::ExpectedCloseDate,
        kind: SortKind::Date,
    },
    SortField {
        name: "amount",
        column: Column::Amount,
        kind: SortKind::Int,
    },
    SortField {
        name: "title",
        column: Column::Title,
        kind: SortKind::Text,
    },
];

pub async fn list<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    filter: OpportunityFilter,
    paging: Paging<Column>,
) -> Result<ListPage<OpportunityView>, ApiError> {
    let mut cond = read_scope(principal)?;
    if let Some(p) = filter.pipeline_id {
        cond = cond.add(Column::PipelineId.eq(p));
    }
    if let Some(s) = filter.stage_id {
        cond = cond.add(Column::StageId.eq(s));
    }
    if let Some(o) = filter.owner_id {
        cond = cond.add(Column::OwnerId.eq(o));
    }
    if let Some(a) = filter.account_id {
        cond = cond.add(Column::AccountId.eq(a));
    }
    if let Some(kind) = filter.status {
        // Won or lost is a property of the stage, so the filter goes through the stages table
        // (a handful of rows) rather than a copy kept on every opportunity.
        cond = cond.add(
            Column::StageId.in_subquery(
                Query::select()
                    .column(stages::Column::Id)
                    .from(stages::Entity)
                    .and_where(stages::Column::Kind.eq(kind.as_str()))
                    .to_owned(),
            ),
        );
    }
    if let Some(d) = filter.close_from {
        cond = cond.add(Column::ExpectedCloseDate.gte(d));
    }
    if let Some(d) = filter.close_to {
        cond = cond.add(Column::ExpectedCloseDate.lte(d));
    }
    if let Some(q) = search::text_filter(filter.q.as_deref(), &[Column::Title])? {
        cond = cond.add(q);
    }
    let total = if paging.include_total {
        Some(
            entity::Entity::find()
                .filter(cond.clone())
                .count(db)
                .await?,
        )
    } else {
        None
    };
    let rows = paging::apply(entity::Entity::find().filter(cond), &paging, Column::Id)
        .all(db)
        .await?;
    let kinds = kinds_of(db, rows.iter().map(|r| r.stage_id)).await?;
    Ok(paging::finish(
        rows,
        &paging,
        |m| m.id,
        total,
        |m| {
            let kind = kinds.get(&m.stage_id).copied().unwrap_or(StageKind::Open);
            masking::opportunity(principal, view(m, kind))
        },
    ))
}

/// The kinds of the given stages, in one query.
async fn kinds_of<C: ConnectionTrait>(
    db: &C,
    ids: impl Iterator<Item = Uuid>,
) -> Result<HashMap<Uuid, StageKind>, ApiError> {
    let mut ids: Vec<Uuid> = ids.collect();
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows = stages::Entity::find()
        .filter(stages::Column::Id.is_in(ids))
        .all(db)
        .await?;
    Ok(rows.iter().map(|s| (s.id, stage_kind(s))).collect())
}
