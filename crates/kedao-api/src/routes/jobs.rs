//! `/jobs`: the background job queue, for admins — what is queued, running, done or dead,
//! and retrying a dead job.

use actix_web::{HttpResponse, get, post, web};
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use kedao_api_types::ListPage;
use kedao_api_types::jobs::{JobListQuery, JobSummary, JobView};
use kedao_domain::access::Action;

use crate::auth::Principal;
use crate::error::ApiError;
use crate::extract::ValidQuery;
use crate::jobs::admin::{self, SORT_FIELDS};
use crate::routes::AppState;
use crate::routes::responses::{CreateErrors, ListErrors, ReadErrors};
use crate::store::paging::Paging;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(summary)
        .service(list)
        .service(get_one)
        .service(retry);
}

/// Jobs, newest first, optionally of one state (`dead`: those waiting for a retry) and kind.
#[utoipa::path(tag = "jobs", params(JobListQuery), responses((status = 200, body = ListPage<JobView>), ListErrors), security(("bearer" = [])))]
#[get("/jobs")]
pub async fn list(
    state: web::Data<AppState>,
    principal: Principal,
    ValidQuery(query): ValidQuery<JobListQuery>,
) -> Result<HttpResponse, ApiError> {
    admin::check(&principal, Action::Read)?;
    let paging = Paging::parse(
        query.sort.as_deref(),
        query.limit,
        query.cursor.as_deref(),
        query.include_total,
        &SORT_FIELDS,
        "-created_at",
    )?;
    let page = admin::list(&state.db, query.status, query.kind.as_deref(), paging).await?;
    Ok(HttpResponse::Ok().json(page))
}

/// How many jobs are queued, running, done and dead.
#[utoipa::path(tag = "jobs", responses((status = 200, body = JobSummary), ReadErrors), security(("bearer" = [])))]
#[get("/jobs/summary")]
pub async fn summary(
    state: web::Data<AppState>,
    principal: Principal,
) -> Result<HttpResponse, ApiError> {
    admin::check(&principal, Action::Read)?;
    Ok(HttpResponse::Ok().json(admin::summary(&state.db).await?))
}

/// One job, with its payload and last error.
#[utoipa::path(tag = "jobs", params(("id" = Uuid, Path)), responses((status = 200, body = JobView), ReadErrors), security(("bearer" = [])))]
#[get("/jobs/{id}")]
pub async fn get_one(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    admin::check(&principal, Action::Read)?;
    Ok(HttpResponse::Ok().json(admin::get(&state.db, id.into_inner()).await?))
}

/// Queue a dead job again, its attempts reset, to run now (409 for a job that is not dead).
#[utoipa::path(tag = "jobs", params(("id" = Uuid, Path)), responses((status = 200, body = JobView), CreateErrors), security(("bearer" = [])))]
#[post("/jobs/{id}/retry")]
pub async fn retry(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    admin::check(&principal, Action::Write)?;
    Ok(HttpResponse::Ok().json(admin::retry(&state.db, id.into_inner()).await?))
}
