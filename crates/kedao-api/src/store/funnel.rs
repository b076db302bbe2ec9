//! The funnel (销售漏斗): per stage of a pipeline, how many deals the caller may see and what
//! they are worth, per currency, plain and weighted by probability.
//!
//! The database does the adding up, in one grouped query over the caller's opportunities, so
//! the cost does not grow with what crosses the wire: at 300,000 opportunities it is one scan
//! of the pipeline's rows, not 300,000 rows sent to the server.

use std::collections::HashMap;
use std::str::FromStr;

use chrono::NaiveDate;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};
use uuid::Uuid;

use kedao_api_types::opportunities::{CurrencyTotal, Funnel, FunnelStage};
use kedao_domain::Currency;
use kedao_domain::access::{Action, Resource};
use kedao_domain::money::storage_sum_to_decimal;

use crate::auth::Principal;
use crate::error::ApiError;
use crate::store::entities::opportunities::{self as entity, Column};
use crate::store::pipelines;
use crate::store::stages::{stage_kind, stage_probability};
use crate::store::{scope, sum_units};

/// Filters of the funnel.
#[derive(Debug, Default, Clone)]
pub struct FunnelFilter {
    pub pipeline_id: Option<Uuid>,
    pub owner_id: Option<Uuid>,
    pub team_id: Option<Uuid>,
    pub close_from: Option<NaiveDate>,
    pub close_to: Option<NaiveDate>,
}

/// One group of the query: stage, currency, count, and the two sums as decimal text.
type Group = (Uuid, String, i64, String, String);

pub async fn funnel<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    filter: FunnelFilter,
) -> Result<Funnel, ApiError> {
    let reach = principal.reach(Resource::Opportunities, Action::Read)?;
    let pipeline = pipelines::resolve(db, principal, filter.pipeline_id, "pipeline_id").await?;
    let stages = pipelines::stages_of(db, principal, pipeline.id).await?;

    let mut cond = scope::owner_filter(principal, reach, Column::OwnerId, Column::DealerId)
        .add(Column::PipelineId.eq(pipeline.id));
    if let Some(owner) = filter.owner_id {
        cond = cond.add(Column::OwnerId.eq(owner));
    }
    if let Some(team) = filter.team_id {
        // A team's funnel includes its sub-teams'.
        cond = cond.add(Column::OwnerId.in_subquery(scope::team_members(team)));
    }
    if let Some(d) = filter.close_from {
        cond = cond.add(Column::ExpectedCloseDate.gte(d));
    }
    if let Some(d) = filter.close_to {
        cond = cond.add(Column::ExpectedCloseDate.lte(d));
    }
    // Sums come back as text: PostgreSQL sums BIGINT into NUMERIC, which may exceed an i64,
    // and text reads the same on both databases. amount × probability stays inside BIGINT
    // per row (at most 10^16 × 100).
    let groups: Vec<Group> = entity::Entity::find()
        .select_only()
        .column(Column::StageId)
        .column(Column::Currency)
        .expr_as(Expr::col(Column::Id).count(), "n")
        .expr_as(
            Expr::col(Column::Amount).sum().cast_as("TEXT"),
            "amount_sum",
        )
        .expr_as(
            Expr::col(Column::Amount)
                .mul(Expr::col(Column::Probability))
                .sum()
                .cast_as("TEXT"),
            "weighted_sum",
        )
        .filter(cond)
        .group_by(Column::StageId)
        .group_by(Column::Currency)
        .into_tuple()
        .all(db)
        .await?;

    let mut by_stage: HashMap<Uuid, (u64, Vec<CurrencyTotal>)> = HashMap::new();
    for (stage_id, code, count, amount_sum, weighted_sum) in groups {
        let currency = Currency::from_str(&code)
            .map_err(|e| ApiError::Internal(anyhow::anyhow!("funnel currency {code:?}: {e}")))?;
        let amount = sum_units(&amount_sum)?;
        let weighted = sum_units(&weighted_sum)?;
        let entry = by_stage.entry(stage_id).or_default();
        entry.0 += u64::try_from(count).unwrap_or(0);
        entry.1.push(CurrencyTotal {
            currency,
            amount: storage_sum_to_decimal(amount, currency),
            // The weighted sum is in storage units × percent. Dropping the last two digits
            // before rounding to the minor unit cannot change the result: the rounding
            // threshold has at most four decimals, so the truncated value is on the same side
            // of it. The sum is rounded once, as the money rule says for a shown figure.
            weighted_amount: storage_sum_to_decimal(weighted / 100, currency),
        });
    }
    let stages = stages
        .into_iter()
        .map(|s| {
            let (count, mut totals) = by_stage.remove(&s.id).unwrap_or_default();
            totals.sort_by_key(|t| t.currency);
            FunnelStage {
                stage_id: s.id,
                probability: stage_probability(&s).percent(),
                kind: stage_kind(&s),
                name: s.name,
                name_zh: s.name_zh,
                position: s.position,
                count,
                totals,
            }
        })
        .collect();
    Ok(Funnel {
        pipeline_id: pipeline.id,
        stages,
    })
}
