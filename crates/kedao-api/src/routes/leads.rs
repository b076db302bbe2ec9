//! `/leads`: the lead list, records, status changes and conversion.

use actix_web::{HttpResponse, delete, get, patch, post, web};
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use kedao_api_types::ListPage;
use kedao_api_types::leads::{
    LeadConvert, LeadConvertResult, LeadCreate, LeadDistribute, LeadDistribution, LeadListQuery,
    LeadUpdate, LeadView,
};

use crate::auth::Principal;
use crate::error::ApiError;
use crate::extract::{IfMatch, ValidJson, ValidQuery};
use crate::routes::responses::{CreateErrors, DeleteErrors, ListErrors, ReadErrors, UpdateErrors};
use crate::routes::{AppState, created, ok_versioned};
use crate::store::leads::{self, LeadFilter, SORT_FIELDS};
use crate::store::paging::Paging;
use crate::store::{conversion, lead_distribution};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list)
        .service(create)
        .service(get_one)
        .service(update)
        .service(remove)
        .service(convert)
        .service(distribute);
}

/// Leads the caller may see, filtered, sorted and paged by cursor.
#[utoipa::path(tag = "leads", params(LeadListQuery), responses((status = 200, body = ListPage<LeadView>), ListErrors), security(("bearer" = [])))]
#[get("/leads")]
pub async fn list(
    state: web::Data<AppState>,
    principal: Principal,
    ValidQuery(query): ValidQuery<LeadListQuery>,
) -> Result<HttpResponse, ApiError> {
    let paging = Paging::parse(
        query.sort.as_deref(),
        query.limit,
        query.cursor.as_deref(),
        query.include_total,
        &SORT_FIELDS,
        "-created_at",
    )?;
    let filter = LeadFilter {
        status: query.status,
        source: query.source,
        owner_id: query.owner_id,
        dealer_id: query.dealer_id,
        region: query.region,
        q: query.q,
    };
    Ok(HttpResponse::Ok().json(leads::list(&state.db, &principal, filter, paging).await?))
}

/// Create a lead (owned by the caller unless `owner_id` says otherwise).
#[utoipa::path(tag = "leads", request_body = LeadCreate, responses((status = 201, body = LeadView), CreateErrors), security(("bearer" = [])))]
#[post("/leads")]
pub async fn create(
    state: web::Data<AppState>,
    principal: Principal,
    ValidJson(body): ValidJson<LeadCreate>,
) -> Result<HttpResponse, ApiError> {
    let lead = leads::create(&state.db, &principal, body).await?;
    Ok(created(
        &lead,
        lead.version,
        format!("/api/v1/leads/{}", lead.id),
    ))
}

/// One lead.
#[utoipa::path(tag = "leads", params(("id" = Uuid, Path)), responses((status = 200, body = LeadView), ReadErrors), security(("bearer" = [])))]
#[get("/leads/{id}")]
pub async fn get_one(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let lead = leads::get(&state.db, &principal, id.into_inner()).await?;
    Ok(ok_versioned(&lead, lead.version))
}

/// Change a lead, including its status (new → working → disqualified; disqualified → working).
#[utoipa::path(tag = "leads", params(("id" = Uuid, Path), ("If-Match" = String, Header, description = "ETag of the version you read")), request_body = LeadUpdate, responses((status = 200, body = LeadView), UpdateErrors), security(("bearer" = [])))]
#[patch("/leads/{id}")]
pub async fn update(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<Uuid>,
    if_match: IfMatch,
    ValidJson(body): ValidJson<LeadUpdate>,
) -> Result<HttpResponse, ApiError> {
    let lead = leads::update(&state.db, &principal, id.into_inner(), if_match.0, body).await?;
    Ok(ok_versioned(&lead, lead.version))
}

/// Delete a lead that was not converted.
#[utoipa::path(tag = "leads", params(("id" = Uuid, Path), ("If-Match" = String, Header, description = "ETag of the version you read")), responses((status = 204, description = "Deleted"), DeleteErrors), security(("bearer" = [])))]
#[delete("/leads/{id}")]
pub async fn remove(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<Uuid>,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    leads::delete(&state.db, &principal, id.into_inner(), if_match.0).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Convert a lead, in one transaction, into an account (new, or an existing one given by
/// `account_id`), a contact for the person and optionally an opportunity; the lead becomes
/// `qualified` and links to what it became.
#[utoipa::path(tag = "leads", params(("id" = Uuid, Path)), request_body = LeadConvert, responses((status = 200, body = LeadConvertResult), CreateErrors), security(("bearer" = [])))]
#[post("/leads/{id}/convert")]
pub async fn convert(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<Uuid>,
    ValidJson(body): ValidJson<LeadConvert>,
) -> Result<HttpResponse, ApiError> {
    let result = conversion::convert(&state.db, &principal, id.into_inner(), body).await?;
    Ok(HttpResponse::Ok().json(result))
}

/// Hand undistributed open leads to dealers by region (company staff only): each goes to an
/// active dealer of its region with the fewest open leads; at most 500 per call. Hand a single
/// lead to a dealer by hand with `PATCH /leads/{id}` and `dealer_id`.
#[utoipa::path(tag = "leads", request_body = LeadDistribute, responses((status = 200, body = LeadDistribution), CreateErrors), security(("bearer" = [])))]
#[post("/leads/distribute")]
pub async fn distribute(
    state: web::Data<AppState>,
    principal: Principal,
    ValidJson(body): ValidJson<LeadDistribute>,
) -> Result<HttpResponse, ApiError> {
    let result = lead_distribution::distribute(&state.db, &principal, body).await?;
    Ok(HttpResponse::Ok().json(result))
}
