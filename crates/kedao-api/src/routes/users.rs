//! `/users` and `/teams`: staff administration (admins change, everyone reads).

use actix_web::{HttpResponse, get, patch, post, web};
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use kedao_api_types::ListPage;
use kedao_api_types::users::{
    TeamCreate, TeamListQuery, TeamView, UserCreate, UserListQuery, UserUpdate, UserView,
};

use crate::auth::Principal;
use crate::error::ApiError;
use crate::extract::{IfMatch, ValidJson, ValidQuery};
use crate::routes::responses::{CreateErrors, ListErrors, ReadErrors, UpdateErrors};
use crate::routes::{AppState, created, ok_versioned};
use crate::store::paging::Paging;
use crate::store::users;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_users)
        .service(create_user)
        .service(get_user)
        .service(update_user)
        .service(list_teams)
        .service(create_team);
}

/// Staff users, filtered and paged.
#[utoipa::path(tag = "users", params(UserListQuery), responses((status = 200, body = ListPage<UserView>), ListErrors), security(("bearer" = [])))]
#[get("/users")]
pub async fn list_users(
    state: web::Data<AppState>,
    principal: Principal,
    ValidQuery(query): ValidQuery<UserListQuery>,
) -> Result<HttpResponse, ApiError> {
    let paging = Paging::parse(
        query.sort.as_deref(),
        query.limit,
        query.cursor.as_deref(),
        query.include_total,
        &users::USER_SORT,
        "display_name",
    )?;
    Ok(HttpResponse::Ok().json(users::list(&state.db, &principal, query, paging).await?))
}

/// Create a staff user (admins).
#[utoipa::path(tag = "users", request_body = UserCreate, responses((status = 201, body = UserView), CreateErrors), security(("bearer" = [])))]
#[post("/users")]
pub async fn create_user(
    state: web::Data<AppState>,
    principal: Principal,
    ValidJson(body): ValidJson<UserCreate>,
) -> Result<HttpResponse, ApiError> {
    let user = users::create(&state.db, &principal, body).await?;
    Ok(created(
        &user,
        user.version,
        format!("/api/v1/users/{}", user.id),
    ))
}

/// One staff user.
#[utoipa::path(tag = "users", params(("id" = Uuid, Path)), responses((status = 200, body = UserView), ReadErrors), security(("bearer" = [])))]
#[get("/users/{id}")]
pub async fn get_user(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let user = users::get(&state.db, &principal, id.into_inner()).await?;
    Ok(ok_versioned(&user, user.version))
}

/// Change a staff user's name, role, team or active flag (admins).
#[utoipa::path(tag = "users", params(("id" = Uuid, Path), ("If-Match" = String, Header, description = "ETag of the version you read")), request_body = UserUpdate, responses((status = 200, body = UserView), UpdateErrors), security(("bearer" = [])))]
#[patch("/users/{id}")]
pub async fn update_user(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<Uuid>,
    if_match: IfMatch,
    ValidJson(body): ValidJson<UserUpdate>,
) -> Result<HttpResponse, ApiError> {
    let user = users::update(&state.db, &principal, id.into_inner(), if_match.0, body).await?;
    Ok(ok_versioned(&user, user.version))
}

/// Teams, paged.
#[utoipa::path(tag = "users", params(TeamListQuery), responses((status = 200, body = ListPage<TeamView>), ListErrors), security(("bearer" = [])))]
#[get("/teams")]
pub async fn list_teams(
    state: web::Data<AppState>,
    principal: Principal,
    ValidQuery(query): ValidQuery<TeamListQuery>,
) -> Result<HttpResponse, ApiError> {
    let paging = Paging::parse(
        query.sort.as_deref(),
        query.limit,
        query.cursor.as_deref(),
        query.include_total,
        &users::TEAM_SORT,
        "name",
    )?;
    Ok(HttpResponse::Ok().json(users::list_teams(&state.db, &principal, paging).await?))
}

/// Create a team (admins).
#[utoipa::path(tag = "users", request_body = TeamCreate, responses((status = 201, body = TeamView), CreateErrors), security(("bearer" = [])))]
#[post("/teams")]
pub async fn create_team(
    state: web::Data<AppState>,
    principal: Principal,
    ValidJson(body): ValidJson<TeamCreate>,
) -> Result<HttpResponse, ApiError> {
    let team = users::create_team(&state.db, &principal, body).await?;
    Ok(HttpResponse::Created().json(team))
}
