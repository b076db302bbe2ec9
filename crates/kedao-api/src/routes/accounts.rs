//! `/accounts`: the account list and records, their links and the relationship network.

use actix_web::{HttpResponse, delete, get, patch, post, web};
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use kedao_api_types::ListPage;
use kedao_api_types::accounts::{
    AccountCreate, AccountListQuery, AccountUpdate, AccountView, LinkCreate, LinkView, Network,
    NetworkQuery, Timeline, TimelineQuery,
};

use crate::auth::Principal;
use crate::error::ApiError;
use crate::extract::{IfMatch, ValidJson, ValidQuery};
use crate::routes::responses::{CreateErrors, DeleteErrors, ListErrors, ReadErrors, UpdateErrors};
use crate::routes::{AppState, created, ok_versioned};
use crate::store::accounts::{self, AccountFilter, SORT_FIELDS};
use crate::store::paging::Paging;
use crate::store::{network, timeline};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list)
        .service(create)
        .service(get_one)
        .service(update)
        .service(remove)
        .service(links)
        .service(link)
        .service(unlink)
        .service(network_of)
        .service(timeline_of);
}

/// The customer's whole story in one stream, newest first: activities, stage moves, quotes,
/// orders, payments and key-field changes of the account and its deals, quotes and orders —
/// each as far as the caller may read it.
#[utoipa::path(tag = "accounts", params(("id" = Uuid, Path), TimelineQuery), responses((status = 200, body = Timeline), ReadErrors), security(("bearer" = [])))]
#[get("/accounts/{id}/timeline")]
pub async fn timeline_of(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<Uuid>,
    ValidQuery(query): ValidQuery<TimelineQuery>,
) -> Result<HttpResponse, ApiError> {
    let page = timeline::of_account(
        &state.db,
        &principal,
        id.into_inner(),
        query.limit,
        query.cursor.as_deref(),
    )
    .await?;
    Ok(HttpResponse::Ok().json(page))
}

/// Accounts the caller may see, filtered, sorted and paged by cursor.
#[utoipa::path(tag = "accounts", params(AccountListQuery), responses((status = 200, body = ListPage<AccountView>), ListErrors), security(("bearer" = [])))]
#[get("/accounts")]
pub async fn list(
    state: web::Data<AppState>,
    principal: Principal,
    ValidQuery(query): ValidQuery<AccountListQuery>,
) -> Result<HttpResponse, ApiError> {
    let paging = Paging::parse(
        query.sort.as_deref(),
        query.limit,
        query.cursor.as_deref(),
        query.include_total,
        &SORT_FIELDS,
        "-created_at",
    )?;
    let filter = AccountFilter {
        customer_type: query.customer_type,
        owner_id: query.owner_id,
        dealer_id: query.dealer_id,
        region: query.region,
        industry: query.industry,
        tag: query.tag,
        q: query.q,
    };
    Ok(HttpResponse::Ok().json(accounts::list(&state.db, &principal, filter, paging).await?))
}

/// Create an account (owned by the caller unless `owner_id` says otherwise).
#[utoipa::path(tag = "accounts", request_body = AccountCreate, responses((status = 201, body = AccountView), CreateErrors), security(("bearer" = [])))]
#[post("/accounts")]
pub async fn create(
    state: web::Data<AppState>,
    principal: Principal,
    ValidJson(body): ValidJson<AccountCreate>,
) -> Result<HttpResponse, ApiError> {
    let account = accounts::create(&state.db, &principal, body).await?;
    Ok(created(
        &account,
        account.version,
        format!("/api/v1/accounts/{}", account.id),
    ))
}

/// One account.
#[utoipa::path(tag = "accounts", params(("id" = Uuid, Path)), responses((status = 200, body = AccountView), ReadErrors), security(("bearer" = [])))]
#[get("/accounts/{id}")]
pub async fn get_one(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let account = accounts::get(&state.db, &principal, id.into_inner()).await?;
    Ok(ok_versioned(&account, account.version))
}

/// Change an account, including its owner.
#[utoipa::path(tag = "accounts", params(("id" = Uuid, Path), ("If-Match" = String, Header, description = "ETag of the version you read")), request_body = AccountUpdate, responses((status = 200, body = AccountView), UpdateErrors), security(("bearer" = [])))]
#[patch("/accounts/{id}")]
pub async fn update(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<Uuid>,
    if_match: IfMatch,
    ValidJson(body): ValidJson<AccountUpdate>,
) -> Result<HttpResponse, ApiError> {
    let account =
        accounts::update(&state.db, &principal, id.into_inner(), if_match.0, body).await?;
    Ok(ok_versioned(&account, account.version))
}

/// Delete an account without contacts or opportunities (409 `account-in-use` otherwise); its
/// links go with it.
#[utoipa::path(tag = "accounts", params(("id" = Uuid, Path), ("If-Match" = String, Header, description = "ETag of the version you read")), responses((status = 204, description = "Deleted"), DeleteErrors), security(("bearer" = [])))]
#[delete("/accounts/{id}")]
pub async fn remove(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<Uuid>,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    accounts::delete(&state.db, &principal, id.into_inner(), if_match.0).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The links of an account, in both directions, oldest first.
#[utoipa::path(tag = "accounts", params(("id" = Uuid, Path)), responses((status = 200, body = ListPage<LinkView>), ReadErrors), security(("bearer" = [])))]
#[get("/accounts/{id}/links")]
pub async fn links(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let links = network::list(&state.db, &principal, id.into_inner()).await?;
    Ok(HttpResponse::Ok().json(ListPage::complete(links)))
}

/// Link this account to another one the caller can see (409 `link-exists` for the same
/// target and kind twice).
#[utoipa::path(tag = "accounts", params(("id" = Uuid, Path)), request_body = LinkCreate, responses((status = 201, body = LinkView), CreateErrors), security(("bearer" = [])))]
#[post("/accounts/{id}/links")]
pub async fn link(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<Uuid>,
    ValidJson(body): ValidJson<LinkCreate>,
) -> Result<HttpResponse, ApiError> {
    let link = network::create(&state.db, &principal, id.into_inner(), body).await?;
    Ok(HttpResponse::Created().json(link))
}

/// Remove a link of this account.
#[utoipa::path(tag = "accounts", params(("id" = Uuid, Path), ("link_id" = Uuid, Path)), responses((status = 204, description = "Deleted"), ReadErrors), security(("bearer" = [])))]
#[delete("/accounts/{id}/links/{link_id}")]
pub async fn unlink(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<(Uuid, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (id, link_id) = path.into_inner();
    network::delete(&state.db, &principal, id, link_id).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The relationship network around an account, breadth-first over links in both directions
/// (at most 500 accounts). Accounts the caller may not see appear without name or type.
#[utoipa::path(tag = "accounts", params(("id" = Uuid, Path), NetworkQuery), responses((status = 200, body = Network), ReadErrors, ListErrors), security(("bearer" = [])))]
#[get("/accounts/{id}/network")]
pub async fn network_of(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<Uuid>,
    ValidQuery(query): ValidQuery<NetworkQuery>,
) -> Result<HttpResponse, ApiError> {
    let network = network::network(&state.db, &principal, id.into_inner(), query.depth).await?;
    Ok(HttpResponse::Ok().json(network))
}
