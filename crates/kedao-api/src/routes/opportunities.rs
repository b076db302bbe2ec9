//! `/opportunities` and `/funnel`: deals, their stage moves and the funnel summary.

use actix_web::{HttpResponse, delete, get, patch, post, web};
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use kedao_api_types::ListPage;
use kedao_api_types::opportunities::{
    Funnel, FunnelQuery, OpportunityCreate, OpportunityListQuery, OpportunityUpdate,
    OpportunityView, StageMove,
};

use crate::auth::Principal;
use crate::error::ApiError;
use crate::extract::{IfMatch, ValidJson, ValidQuery};
use crate::routes::responses::{CreateErrors, DeleteErrors, ListErrors, ReadErrors, UpdateErrors};
use crate::routes::{AppState, created, ok_versioned};
use crate::store::funnel::{self, FunnelFilter};
use crate::store::opportunities;
use crate::store::opportunity_list::{self, OpportunityFilter, SORT_FIELDS};
use crate::store::opportunity_moves;
use crate::store::paging::Paging;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list)
        .service(create)
        .service(get_one)
        .service(update)
        .service(remove)
        .service(stage_history)
        .service(summary);
}

/// Opportunities the caller may see, filtered, sorted and paged by cursor.
#[utoipa::path(tag = "opportunities", params(OpportunityListQuery), responses((status = 200, body = ListPage<OpportunityView>), ListErrors), security(("bearer" = [])))]
#[get("/opportunities")]
pub async fn list(
    state: web::Data<AppState>,
    principal: Principal,
    ValidQuery(query): ValidQuery<OpportunityListQuery>,
) -> Result<HttpResponse, ApiError> {
    let paging = Paging::parse(
        query.sort.as_deref(),
        query.limit,
        query.cursor.as_deref(),
        query.include_total,
        &SORT_FIELDS,
        "-created_at",
    )?;
    let filter = OpportunityFilter {
        pipeline_id: query.pipeline_id,
        stage_id: query.stage_id,
        owner_id: query.owner_id,
        account_id: query.account_id,
        status: query.status,
        close_from: query.close_from,
        close_to: query.close_to,
        q: query.q,
    };
    Ok(HttpResponse::Ok()
        .json(opportunity_list::list(&state.db, &principal, filter, paging).await?))
}

/// Open an opportunity on an account the caller can see (in the default pipeline's first open
/// stage unless told otherwise).
#[utoipa::path(tag = "opportunities", request_body = OpportunityCreate, responses((status = 201, body = OpportunityView), CreateErrors), security(("bearer" = [])))]
#[post("/opportunities")]
pub async fn create(
    state: web::Data<AppState>,
    principal: Principal,
    ValidJson(body): ValidJson<OpportunityCreate>,
) -> Result<HttpResponse, ApiError> {
    let opportunity = opportunities::create(&state.db, &principal, body).await?;
    Ok(created(
        &opportunity,
        opportunity.version,
        format!("/api/v1/opportunities/{}", opportunity.id),
    ))
}

/// One opportunity.
#[utoipa::path(tag = "opportunities", params(("id" = Uuid, Path)), responses((status = 200, body = OpportunityView), ReadErrors), security(("bearer" = [])))]
#[get("/opportunities/{id}")]
pub async fn get_one(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let opportunity = opportunities::get(&state.db, &principal, id.into_inner()).await?;
    Ok(ok_versioned(&opportunity, opportunity.version))
}

/// Change an opportunity; a new `stage_id` moves it (a lost stage needs `lost_reason`) and is
/// recorded in its stage history.
#[utoipa::path(tag = "opportunities", params(("id" = Uuid, Path), ("If-Match" = String, Header, description = "ETag of the version you read")), request_body = OpportunityUpdate, responses((status = 200, body = OpportunityView), UpdateErrors), security(("bearer" = [])))]
#[patch("/opportunities/{id}")]
pub async fn update(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<Uuid>,
    if_match: IfMatch,
    ValidJson(body): ValidJson<OpportunityUpdate>,
) -> Result<HttpResponse, ApiError> {
    let opportunity =
        opportunity_moves::update(&state.db, &principal, id.into_inner(), if_match.0, body).await?;
    Ok(ok_versioned(&opportunity, opportunity.version))
}

/// Delete an opportunity and its stage history.
#[utoipa::path(tag = "opportunities", params(("id" = Uuid, Path), ("If-Match" = String, Header, description = "ETag of the version you read")), responses((status = 204, description = "Deleted"), DeleteErrors), security(("bearer" = [])))]
#[delete("/opportunities/{id}")]
pub async fn remove(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<Uuid>,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    opportunities::delete(&state.db, &principal, id.into_inner(), if_match.0).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The stages an opportunity went through, oldest first (the first from `null`: its creation).
#[utoipa::path(tag = "opportunities", params(("id" = Uuid, Path)), responses((status = 200, body = ListPage<StageMove>), ReadErrors), security(("bearer" = [])))]
#[get("/opportunities/{id}/stage-history")]
pub async fn stage_history(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let moves = opportunities::history(&state.db, &principal, id.into_inner()).await?;
    Ok(HttpResponse::Ok().json(ListPage::complete(moves)))
}

/// The funnel of a pipeline (the default unless named): per stage, the number of deals the
/// caller may see and their amount and weighted amount per currency.
#[utoipa::path(tag = "opportunities", params(FunnelQuery), responses((status = 200, body = Funnel), ListErrors), security(("bearer" = [])))]
#[get("/funnel")]
pub async fn summary(
    state: web::Data<AppState>,
    principal: Principal,
    ValidQuery(query): ValidQuery<FunnelQuery>,
) -> Result<HttpResponse, ApiError> {
    let filter = FunnelFilter {
        pipeline_id: query.pipeline_id,
        owner_id: query.owner_id,
        team_id: query.team_id,
        close_from: query.close_from,
        close_to: query.close_to,
    };
    Ok(HttpResponse::Ok().json(funnel::funnel(&state.db, &principal, filter).await?))
}
