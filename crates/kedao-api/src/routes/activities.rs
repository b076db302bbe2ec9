//! `/activities`: calls, visits, meetings, tasks, notes and e-mail logs on customers.

use actix_web::{HttpResponse, delete, get, patch, post, web};
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use kedao_api_types::ListPage;
use kedao_api_types::activities::{
    ActivityCreate, ActivityListQuery, ActivityUpdate, ActivityView, CalendarQuery,
};

use crate::auth::Principal;
use crate::error::ApiError;
use crate::extract::{IfMatch, ValidJson, ValidQuery};
use crate::routes::responses::{CreateErrors, DeleteErrors, ListErrors, ReadErrors, UpdateErrors};
use crate::routes::{AppState, created, ok_versioned};
use crate::store::activities::{self, ActivityFilter, SORT_FIELDS};
use crate::store::paging::Paging;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(calendar)
        .service(list)
        .service(create)
        .service(get_one)
        .service(update)
        .service(remove);
}

/// Activities the caller may read (on customers and leads they may read, or that they took
/// part in or were copied on), newest first, paged by cursor.
#[utoipa::path(tag = "activities", params(ActivityListQuery), responses((status = 200, body = ListPage<ActivityView>), ListErrors), security(("bearer" = [])))]
#[get("/activities")]
pub async fn list(
    state: web::Data<AppState>,
    principal: Principal,
    ValidQuery(query): ValidQuery<ActivityListQuery>,
) -> Result<HttpResponse, ApiError> {
    let paging = Paging::parse(
        query.sort.as_deref(),
        query.limit,
        query.cursor.as_deref(),
        query.include_total,
        &SORT_FIELDS,
        "-created_at",
    )?;
    let filter = ActivityFilter {
        account_id: query.account_id,
        lead_id: query.lead_id,
        opportunity_id: query.opportunity_id,
        owner_id: query.owner_id,
        kind: query.kind,
        status: query.status,
    };
    Ok(HttpResponse::Ok().json(activities::list(&state.db, &principal, filter, paging).await?))
}

/// Log an interaction or plan one: on an account (or a lead without one), optionally on one
/// of the account's contacts, opportunities, quotes or orders, with participants and people
/// copied (抄送).
#[utoipa::path(tag = "activities", request_body = ActivityCreate, responses((status = 201, body = ActivityView), CreateErrors), security(("bearer" = [])))]
#[post("/activities")]
pub async fn create(
    state: web::Data<AppState>,
    principal: Principal,
    ValidJson(body): ValidJson<ActivityCreate>,
) -> Result<HttpResponse, ApiError> {
    let activity = activities::create(&state.db, &principal, body).await?;
    Ok(created(
        &activity,
        activity.version,
        format!("/api/v1/activities/{}", activity.id),
    ))
}

/// One activity.
#[utoipa::path(tag = "activities", params(("id" = Uuid, Path)), responses((status = 200, body = ActivityView), ReadErrors), security(("bearer" = [])))]
#[get("/activities/{id}")]
pub async fn get_one(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let activity = activities::get(&state.db, &principal, id.into_inner()).await?;
    Ok(ok_versioned(&activity, activity.version))
}

/// Change an activity: reschedule a plan, record its outcome and mark it done, mark a task
/// done or undone.
#[utoipa::path(tag = "activities", params(("id" = Uuid, Path), ("If-Match" = String, Header, description = "ETag of the version you read")), request_body = ActivityUpdate, responses((status = 200, body = ActivityView), UpdateErrors), security(("bearer" = [])))]
#[patch("/activities/{id}")]
pub async fn update(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<Uuid>,
    if_match: IfMatch,
    ValidJson(body): ValidJson<ActivityUpdate>,
) -> Result<HttpResponse, ApiError> {
    let activity =
        activities::update(&state.db, &principal, id.into_inner(), if_match.0, body).await?;
    Ok(ok_versioned(&activity, activity.version))
}

/// Delete an activity.
#[utoipa::path(tag = "activities", params(("id" = Uuid, Path), ("If-Match" = String, Header, description = "ETag of the version you read")), responses((status = 204, description = "Deleted"), DeleteErrors), security(("bearer" = [])))]
#[delete("/activities/{id}")]
pub async fn remove(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<Uuid>,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    activities::delete(&state.db, &principal, id.into_inner(), if_match.0).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// A user's plans and tasks between two days (default: the caller's), or a team's (its members'
/// and sub-teams', for their managers), earliest first, as far as the caller may read them.
#[utoipa::path(tag = "activities", params(CalendarQuery), responses((status = 200, body = Vec<ActivityView>), ListErrors), security(("bearer" = [])))]
#[get("/calendar")]
pub async fn calendar(
    state: web::Data<AppState>,
    principal: Principal,
    ValidQuery(query): ValidQuery<CalendarQuery>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(activities::calendar(&state.db, &principal, query).await?))
}
