//! `/pipelines` and `/stages`: the funnels deals move through (everyone reads, admins change).

use actix_web::{HttpResponse, delete, get, patch, post, web};
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use kedao_api_types::ListPage;
use kedao_api_types::pipelines::{
    PipelineCreate, PipelineUpdate, PipelineView, StageCreate, StageReorder, StageUpdate, StageView,
};

use crate::auth::Principal;
use crate::error::ApiError;
use crate::extract::{IfMatch, ValidJson};
use crate::routes::responses::{CreateErrors, DeleteErrors, ListErrors, ReadErrors, UpdateErrors};
use crate::routes::{AppState, created, ok_versioned};
use crate::store::{pipelines, stages};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list)
        .service(create)
        .service(get_one)
        .service(update)
        .service(remove)
        .service(add_stage)
        .service(reorder_stages)
        .service(update_stage)
        .service(remove_stage);
}

/// Every pipeline with its stages in order.
#[utoipa::path(tag = "pipelines", responses((status = 200, body = ListPage<PipelineView>), ListErrors), security(("bearer" = [])))]
#[get("/pipelines")]
pub async fn list(
    state: web::Data<AppState>,
    principal: Principal,
) -> Result<HttpResponse, ApiError> {
    let all = pipelines::list(&state.db, &principal).await?;
    Ok(HttpResponse::Ok().json(ListPage::complete(all)))
}

/// Create a pipeline with its stages (admins); at least one open, one won and one lost stage.
#[utoipa::path(tag = "pipelines", request_body = PipelineCreate, responses((status = 201, body = PipelineView), CreateErrors), security(("bearer" = [])))]
#[post("/pipelines")]
pub async fn create(
    state: web::Data<AppState>,
    principal: Principal,
    ValidJson(body): ValidJson<PipelineCreate>,
) -> Result<HttpResponse, ApiError> {
    let pipeline = pipelines::create(&state.db, &principal, body).await?;
    Ok(created(
        &pipeline,
        pipeline.version,
        format!("/api/v1/pipelines/{}", pipeline.id),
    ))
}

/// One pipeline with its stages in order.
#[utoipa::path(tag = "pipelines", params(("id" = Uuid, Path)), responses((status = 200, body = PipelineView), ReadErrors), security(("bearer" = [])))]
#[get("/pipelines/{id}")]
pub async fn get_one(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let pipeline = pipelines::get(&state.db, &principal, id.into_inner()).await?;
    Ok(ok_versioned(&pipeline, pipeline.version))
}

/// Rename a pipeline or make it the default (admins).
#[utoipa::path(tag = "pipelines", params(("id" = Uuid, Path), ("If-Match" = String, Header, description = "ETag of the version you read")), request_body = PipelineUpdate, responses((status = 200, body = PipelineView), UpdateErrors), security(("bearer" = [])))]
#[patch("/pipelines/{id}")]
pub async fn update(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<Uuid>,
    if_match: IfMatch,
    ValidJson(body): ValidJson<PipelineUpdate>,
) -> Result<HttpResponse, ApiError> {
    let pipeline =
        pipelines::update(&state.db, &principal, id.into_inner(), if_match.0, body).await?;
    Ok(ok_versioned(&pipeline, pipeline.version))
}

/// Delete a pipeline that is not the default and no opportunity uses (admins).
#[utoipa::path(tag = "pipelines", params(("id" = Uuid, Path), ("If-Match" = String, Header, description = "ETag of the version you read")), responses((status = 204, description = "Deleted"), DeleteErrors), security(("bearer" = [])))]
#[delete("/pipelines/{id}")]
pub async fn remove(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<Uuid>,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    pipelines::delete(&state.db, &principal, id.into_inner(), if_match.0).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Add a stage (admins); by default it goes just before the first won or lost stage.
#[utoipa::path(tag = "pipelines", params(("id" = Uuid, Path)), request_body = StageCreate, responses((status = 201, body = StageView), CreateErrors), security(("bearer" = [])))]
#[post("/pipelines/{id}/stages")]
pub async fn add_stage(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<Uuid>,
    ValidJson(body): ValidJson<StageCreate>,
) -> Result<HttpResponse, ApiError> {
    let stage = stages::add(&state.db, &principal, id.into_inner(), body).await?;
    Ok(created(
        &stage,
        stage.version,
        format!("/api/v1/pipelines/{}", stage.pipeline_id),
    ))
}

/// Put a pipeline's stages in a new order: every stage id exactly once (admins).
#[utoipa::path(tag = "pipelines", params(("id" = Uuid, Path)), request_body = StageReorder, responses((status = 200, body = PipelineView), CreateErrors), security(("bearer" = [])))]
#[post("/pipelines/{id}/stages/reorder")]
pub async fn reorder_stages(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<Uuid>,
    ValidJson(body): ValidJson<StageReorder>,
) -> Result<HttpResponse, ApiError> {
    let pipeline = stages::reorder(&state.db, &principal, id.into_inner(), body).await?;
    Ok(ok_versioned(&pipeline, pipeline.version))
}

/// Rename a stage or change its probability (admins). Opportunities in the stage without an
/// override take the new probability.
#[utoipa::path(tag = "pipelines", params(("id" = Uuid, Path), ("If-Match" = String, Header, description = "ETag of the version you read")), request_body = StageUpdate, responses((status = 200, body = StageView), UpdateErrors), security(("bearer" = [])))]
#[patch("/stages/{id}")]
pub async fn update_stage(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<Uuid>,
    if_match: IfMatch,
    ValidJson(body): ValidJson<StageUpdate>,
) -> Result<HttpResponse, ApiError> {
    let stage = stages::update(&state.db, &principal, id.into_inner(), if_match.0, body).await?;
    Ok(ok_versioned(&stage, stage.version))
}

/// Delete a stage no opportunity is or was in, if the pipeline stays complete (admins).
#[utoipa::path(tag = "pipelines", params(("id" = Uuid, Path), ("If-Match" = String, Header, description = "ETag of the version you read")), responses((status = 204, description = "Deleted"), DeleteErrors), security(("bearer" = [])))]
#[delete("/stages/{id}")]
pub async fn remove_stage(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<Uuid>,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    stages::delete(&state.db, &principal, id.into_inner(), if_match.0).await?;
    Ok(HttpResponse::NoContent().finish())
}
