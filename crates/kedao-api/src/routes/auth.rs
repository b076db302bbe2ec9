//! `/auth`: sign in, refresh, sign out, and who am I.

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use utoipa_actix_web::service_config::ServiceConfig;

use kedao_api_types::auth::{LoginRequest, RefreshRequest, TokenPair};
use kedao_api_types::users::UserView;

use crate::auth::{Principal, TokenKeys};
use crate::error::ApiError;
use crate::extract::ValidJson;
use crate::routes::AppState;
use crate::routes::responses::{LoginErrors, PublicErrors, ReadErrors};
use crate::store::{sessions, users};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(login)
        .service(refresh)
        .service(logout)
        .service(me);
}

/// Sign in with e-mail and password.
///
/// After too many failed attempts for one e-mail address, or from one client address, within
/// the throttle window, attempts are refused with 429 (even with the right password) for the
/// `Retry-After` seconds. A successful sign-in clears the account's count.
#[utoipa::path(tag = "auth", request_body = LoginRequest, responses((status = 200, body = TokenPair), LoginErrors))]
#[post("/auth/login")]
pub async fn login(
    req: HttpRequest,
    state: web::Data<AppState>,
    keys: web::Data<TokenKeys>,
    ValidJson(body): ValidJson<LoginRequest>,
) -> Result<HttpResponse, ApiError> {
    // The TCP peer only: `X-Forwarded-For` is not trusted, as no setting names a trusted
    // proxy. Behind a reverse proxy every client therefore shares the proxy's address.
    let client = req.peer_addr().map(|peer| peer.ip());
    let pair = sessions::login(
        &state.db,
        &keys,
        state.settings.refresh_token_ttl_days,
        &state.settings.login_throttle(),
        client,
        &body.email,
        body.password,
    )
    .await?;
    Ok(HttpResponse::Ok().json(pair))
}

/// Exchange a refresh token for a new pair; the old refresh token is spent.
#[utoipa::path(tag = "auth", request_body = RefreshRequest, responses((status = 200, body = TokenPair), PublicErrors))]
#[post("/auth/refresh")]
pub async fn refresh(
    state: web::Data<AppState>,
    keys: web::Data<TokenKeys>,
    ValidJson(body): ValidJson<RefreshRequest>,
) -> Result<HttpResponse, ApiError> {
    let pair = sessions::refresh(
        &state.db,
        &keys,
        state.settings.refresh_token_ttl_days,
        &body.refresh_token,
    )
    .await?;
    Ok(HttpResponse::Ok().json(pair))
}

/// Sign out: the session's refresh tokens stop working (access tokens expire on their own).
#[utoipa::path(tag = "auth", request_body = RefreshRequest, responses((status = 204, description = "Signed out"), PublicErrors))]
#[post("/auth/logout")]
pub async fn logout(
    state: web::Data<AppState>,
    ValidJson(body): ValidJson<RefreshRequest>,
) -> Result<HttpResponse, ApiError> {
    sessions::logout(&state.db, &body.refresh_token).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The signed-in user.
#[utoipa::path(tag = "auth", responses((status = 200, body = UserView), ReadErrors), security(("bearer" = [])))]
#[get("/auth/me")]
pub async fn me(
    state: web::Data<AppState>,
    principal: Principal,
) -> Result<HttpResponse, ApiError> {
    let user = users::get(&state.db, &principal, principal.user_id).await?;
    Ok(HttpResponse::Ok().json(user))
}
