//! `/dealers`: the channel partners (经销商).

use actix_web::{HttpResponse, get, patch, post, web};
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use kedao_api_types::ListPage;
use kedao_api_types::dealers::{DealerCreate, DealerListQuery, DealerUpdate, DealerView};

use crate::auth::Principal;
use crate::error::ApiError;
use crate::extract::{IfMatch, ValidJson, ValidQuery};
use crate::routes::responses::{CreateErrors, ListErrors, ReadErrors, UpdateErrors};
use crate::routes::{AppState, created, ok_versioned};
use crate::store::dealers::{self, DealerFilter, SORT_FIELDS};
use crate::store::paging::Paging;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list)
        .service(create)
        .service(get_one)
        .service(update);
}

/// Dealers, filtered, sorted and paged by cursor.
#[utoipa::path(tag = "dealers", params(DealerListQuery), responses((status = 200, body = ListPage<DealerView>), ListErrors), security(("bearer" = [])))]
#[get("/dealers")]
pub async fn list(
    state: web::Data<AppState>,
    principal: Principal,
    ValidQuery(query): ValidQuery<DealerListQuery>,
) -> Result<HttpResponse, ApiError> {
    let paging = Paging::parse(
        query.sort.as_deref(),
        query.limit,
        query.cursor.as_deref(),
        query.include_total,
        &SORT_FIELDS,
        "code",
    )?;
    let filter = DealerFilter {
        status: query.status,
        region: query.region,
        q: query.q,
    };
    Ok(HttpResponse::Ok().json(dealers::list(&state.db, &principal, filter, paging).await?))
}

/// Add a dealer (admins only); the code is unique.
#[utoipa::path(tag = "dealers", request_body = DealerCreate, responses((status = 201, body = DealerView), CreateErrors), security(("bearer" = [])))]
#[post("/dealers")]
pub async fn create(
    state: web::Data<AppState>,
    principal: Principal,
    ValidJson(body): ValidJson<DealerCreate>,
) -> Result<HttpResponse, ApiError> {
    let dealer = dealers::create(&state.db, &principal, body).await?;
    Ok(created(
        &dealer,
        dealer.version,
        format!("/api/v1/dealers/{}", dealer.id),
    ))
}

/// One dealer.
#[utoipa::path(tag = "dealers", params(("id" = Uuid, Path)), responses((status = 200, body = DealerView), ReadErrors), security(("bearer" = [])))]
#[get("/dealers/{id}")]
pub async fn get_one(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let dealer = dealers::get(&state.db, &principal, id.into_inner()).await?;
    Ok(ok_versioned(&dealer, dealer.version))
}

/// Change a dealer (admins only). A suspended dealer keeps its accounts but takes no new ones.
#[utoipa::path(tag = "dealers", params(("id" = Uuid, Path), ("If-Match" = String, Header, description = "ETag of the version you read")), request_body = DealerUpdate, responses((status = 200, body = DealerView), UpdateErrors), security(("bearer" = [])))]
#[patch("/dealers/{id}")]
pub async fn update(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<Uuid>,
    if_match: IfMatch,
    ValidJson(body): ValidJson<DealerUpdate>,
) -> Result<HttpResponse, ApiError> {
    let dealer = dealers::update(&state.db, &principal, id.into_inner(), if_match.0, body).await?;
    Ok(ok_versioned(&dealer, dealer.version))
}
