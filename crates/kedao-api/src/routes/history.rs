//! `/{resource}/{id}/history`: the key-field changes of a record, oldest first.

use actix_web::{HttpResponse, get, web};
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use kedao_api_types::ListPage;
use kedao_api_types::history::{FieldChangeView, HistoryQuery};
use kedao_domain::access::Resource;

use crate::auth::Principal;
use crate::error::ApiError;
use crate::extract::ValidQuery;
use crate::routes::AppState;
use crate::routes::responses::ReadErrors;
use crate::store::history::{self, SORT_FIELDS};
use crate::store::paging::Paging;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(accounts_history)
        .service(leads_history)
        .service(opportunities_history)
        .service(quotes_history)
        .service(orders_history)
        .service(products_history)
        .service(dealers_history);
}

async fn answer(
    state: &AppState,
    principal: &Principal,
    resource: Resource,
    id: Uuid,
    query: HistoryQuery,
) -> Result<HttpResponse, ApiError> {
    let paging = Paging::parse(
        query.sort.as_deref(),
        query.limit,
        query.cursor.as_deref(),
        query.include_total,
        &SORT_FIELDS,
        "at",
    )?;
    let page = history::list(&state.db, principal, resource, id, paging).await?;
    Ok(HttpResponse::Ok().json(page))
}

/// One `GET /{resource}/{id}/history` operation: the same handler for each resource, each
/// with its own path and OpenAPI entry (the doc lines are the operation's description).
macro_rules! history_route {
    ($name:ident, $path:literal, $tag:literal, $resource:expr, $doc1:literal, $doc2:literal) => {
        #[doc = $doc1]
        #[doc = $doc2]
        #[utoipa::path(tag = $tag, params(("id" = Uuid, Path), HistoryQuery), responses((status = 200, body = ListPage<FieldChangeView>), ReadErrors), security(("bearer" = [])))]
        #[get($path)]
        pub async fn $name(
            state: web::Data<AppState>,
            principal: Principal,
            id: web::Path<Uuid>,
            ValidQuery(query): ValidQuery<HistoryQuery>,
        ) -> Result<HttpResponse, ApiError> {
            answer(&state, &principal, $resource, id.into_inner(), query).await
        }
    };
}

history_route!(
    accounts_history,
    "/accounts/{id}/history",
    "accounts",
    Resource::Accounts,
    " Changes to the account's key fields: who (user or token), when, old and new value. Readable",
    " by whoever may read the account; kept when it is deleted (then readable by admins)."
);

history_route!(
    leads_history,
    "/leads/{id}/history",
    "leads",
    Resource::Leads,
    " Changes to the lead's key fields: who (user or token), when, old and new value. Readable",
    " by whoever may read the lead; kept when it is deleted (then readable by admins)."
);

history_route!(
    opportunities_history,
    "/opportunities/{id}/history",
    "opportunities",
    Resource::Opportunities,
    " Changes to the opportunity's key fields: who (user or token), when, old and new value. Readable",
    " by whoever may read the opportunity; kept when it is deleted (then readable by admins)."
);

history_route!(
    quotes_history,
    "/quotes/{id}/history",
    "quotes",
    Resource::Quotes,
    " Changes to the quote's key fields: who (user or token), when, old and new value. Readable",
    " by whoever may read the quote; kept when it is deleted (then readable by admins)."
);

history_route!(
    orders_history,
    "/orders/{id}/history",
    "orders",
    Resource::Orders,
    " Changes to the order's key fields: who (user or token), when, old and new value. Readable",
    " by whoever may read the order; kept when it is deleted (then readable by admins)."
);

history_route!(
    products_history,
    "/products/{id}/history",
    "products",
    Resource::Products,
    " Changes to the product's key fields: who (user or token), when, old and new value. Readable",
    " by whoever may read the product; kept when it is deleted (then readable by admins)."
);

history_route!(
    dealers_history,
    "/dealers/{id}/history",
    "dealers",
    Resource::Dealers,
    " Changes to the dealer's key fields: who (user or token), when, old and new value. Readable",
    " by whoever may read the dealer; kept when it is deleted (then readable by admins)."
);
