//! `/products`: the price book.

use actix_web::{HttpResponse, get, patch, post, web};
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use kedao_api_types::ListPage;
use kedao_api_types::products::{ProductCreate, ProductListQuery, ProductUpdate, ProductView};

use crate::auth::Principal;
use crate::error::ApiError;
use crate::extract::{IfMatch, ValidJson, ValidQuery};
use crate::routes::responses::{CreateErrors, ListErrors, ReadErrors, UpdateErrors};
use crate::routes::{AppState, created, ok_versioned};
use crate::store::paging::Paging;
use crate::store::products::{self, ProductFilter, SORT_FIELDS};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list)
        .service(create)
        .service(get_one)
        .service(update);
}

/// Products of the price book, filtered, sorted and paged by cursor.
#[utoipa::path(tag = "products", params(ProductListQuery), responses((status = 200, body = ListPage<ProductView>), ListErrors), security(("bearer" = [])))]
#[get("/products")]
pub async fn list(
    state: web::Data<AppState>,
    principal: Principal,
    ValidQuery(query): ValidQuery<ProductListQuery>,
) -> Result<HttpResponse, ApiError> {
    let paging = Paging::parse(
        query.sort.as_deref(),
        query.limit,
        query.cursor.as_deref(),
        query.include_total,
        &SORT_FIELDS,
        "sku",
    )?;
    let filter = ProductFilter {
        active: query.active,
        currency: query.currency,
        q: query.q,
    };
    Ok(HttpResponse::Ok().json(products::list(&state.db, &principal, filter, paging).await?))
}

/// Add a product (admins only); the SKU is unique.
#[utoipa::path(tag = "products", request_body = ProductCreate, responses((status = 201, body = ProductView), CreateErrors), security(("bearer" = [])))]
#[post("/products")]
pub async fn create(
    state: web::Data<AppState>,
    principal: Principal,
    ValidJson(body): ValidJson<ProductCreate>,
) -> Result<HttpResponse, ApiError> {
    let product = products::create(&state.db, &principal, body).await?;
    Ok(created(
        &product,
        product.version,
        format!("/api/v1/products/{}", product.id),
    ))
}

/// One product.
#[utoipa::path(tag = "products", params(("id" = Uuid, Path)), responses((status = 200, body = ProductView), ReadErrors), security(("bearer" = [])))]
#[get("/products/{id}")]
pub async fn get_one(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let product = products::get(&state.db, &principal, id.into_inner()).await?;
    Ok(ok_versioned(&product, product.version))
}

/// Change a product (admins only). Quotes already written keep their own prices.
#[utoipa::path(tag = "products", params(("id" = Uuid, Path), ("If-Match" = String, Header, description = "ETag of the version you read")), request_body = ProductUpdate, responses((status = 200, body = ProductView), UpdateErrors), security(("bearer" = [])))]
#[patch("/products/{id}")]
pub async fn update(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<Uuid>,
    if_match: IfMatch,
    ValidJson(body): ValidJson<ProductUpdate>,
) -> Result<HttpResponse, ApiError> {
    let product =
        products::update(&state.db, &principal, id.into_inner(), if_match.0, body).await?;
    Ok(ok_versioned(&product, product.version))
}
