//! Distributing leads to dealers by region (线索分配): each undistributed open lead goes to an
//! active dealer serving its region, the one with the fewest open leads first, so that a batch
//! spreads evenly. Only the company's staff distribute, and only leads they may change; every
//! hand-over is in the lead's field history.

use std::collections::HashMap;

use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    TransactionTrait,
};
use uuid::Uuid;

use kedao_api_types::dealers::DealerStatus;
use kedao_api_types::leads::{LeadDistribute, LeadDistributed, LeadDistribution};
use kedao_domain::access::{Action, Resource};
use kedao_domain::lead::LeadStatus;

use crate::auth::Principal;
use crate::error::ApiError;
use crate::store::entities::dealers;
use crate::store::entities::leads::{self as entity, Column};
use crate::store::leads::view;
use crate::store::{history, now, scope};

/// The most leads one call hands out.
const BATCH: u64 = 500;

pub async fn distribute(
    db: &DatabaseConnection,
    principal: &Principal,
    input: LeadDistribute,
) -> Result<LeadDistribution, ApiError> {
    let reach = principal.reach(Resource::Leads, Action::Write)?;
    if principal.dealer_id.is_some() {
        return Err(ApiError::Forbidden(
            "only the company's staff distribute leads to dealers".to_owned(),
        ));
    }
    let open = [LeadStatus::New.as_str(), LeadStatus::Working.as_str()];
    let txn = db.begin().await?;
    let mut select = entity::Entity::find()
        .filter(scope::owner_filter(
            principal,
            reach,
            Column::OwnerId,
            Column::DealerId,
        ))
        .filter(Column::DealerId.is_null())
        .filter(Column::Status.is_in(open))
        .order_by_asc(Column::CreatedAt)
        .order_by_asc(Column::Id)
        .limit(BATCH);
    if let Some(ids) = &input.lead_ids {
        select = select.filter(Column::Id.is_in(ids.iter().copied()));
    }
    if let Some(region) = input.region.as_deref() {
        select = select.filter(Column::Region.eq(region.trim()));
    }
    let leads = select.all(&txn).await?;

    let dealers = dealers::Entity::find()
        .filter(dealers::Column::Status.eq(DealerStatus::Active.as_str()))
        .filter(dealers::Column::Region.is_not_null())
        .order_by_asc(dealers::Column::Code)
        .all(&txn)
        .await?;
    let mut load: HashMap<Uuid, i64> = entity::Entity::find()
        .select_only()
        .column(Column::DealerId)
        .column_as(Column::Id.count(), "open")
        .filter(Column::DealerId.is_in(dealers.iter().map(|d| d.id)))
        .filter(Column::Status.is_in(open))
        .group_by(Column::DealerId)
        .into_tuple::<(Uuid, i64)>()
        .all(&txn)
        .await?
        .into_iter()
        .collect();

    let at = now();
    let mut result = LeadDistribution {
        distributed: Vec::new(),
        unmatched: Vec::new(),
    };
    for lead in leads {
        let region = lead.region.as_deref().map(str::trim).unwrap_or_default();
        // Dealers are in code order, so among equally loaded ones the first code wins.
        let chosen = dealers
            .iter()
            .filter(|d| !region.is_empty() && d.region.as_deref().map(str::trim) == Some(region))
            .min_by_key(|d| load.get(&d.id).copied().unwrap_or(0));
        let Some(dealer) = chosen else {
            result.unmatched.push(lead.id);
            continue;
        };
        // Guarded on the lead still being undistributed: a concurrent hand-over wins, and this
        // lead is then simply not reported.
        let done = entity::Entity::update_many()
            .col_expr(Column::DealerId, Expr::value(dealer.id))
            .col_expr(Column::Version, Expr::col(Column::Version).add(1))
            .col_expr(Column::UpdatedAt, Expr::value(at))
            .filter(Column::Id.eq(lead.id))
            .filter(Column::DealerId.is_null())
            .exec(&txn)
            .await?;
        if done.rows_affected == 0 {
            continue;
        }
        *load.entry(dealer.id).or_insert(0) += 1;
        let before = view(lead.clone());
        let mut after = before.clone();
        after.dealer_id = Some(dealer.id);
        history::track(
            &txn,
            principal,
            Resource::Leads,
            lead.id,
            &before,
            &after,
            at,
        )
        .await?;
        result.distributed.push(LeadDistributed {
            lead_id: lead.id,
            dealer_id: dealer.id,
        });
    }
    txn.commit().await?;
    Ok(result)
}
