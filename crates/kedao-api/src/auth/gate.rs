//! The gate in front of every documented operation: one place that authenticates the caller
//! and enforces what the operation requires (see `auth::scopes`), before any handler or
//! extractor runs. So a new endpoint cannot forget it, and an unauthenticated request gets 401
//! whatever else is wrong with it.
//!
//! - public operations pass untouched;
//! - a staff session token (from sign-in) passes with its role's full rights;
//! - an integration API token is checked against its stored row (revoked → 401), counted
//!   against its rate limit (→ 429), and must hold the operation's scope (→ 403 naming it).
//!   What it may then do is also bounded by its user's role, which handlers check as for
//!   staff. The gate hands the checked token to the `Principal` extractor as an
//!   [`ApiTokenGrant`]; without one the extractor refuses an API token, so a route the gate
//!   does not cover fails closed.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{HttpMessage, HttpRequest, ResponseError, web};
use uuid::Uuid;

use kedao_domain::access::Role;
use kedao_domain::scope::{self, Scope};

use crate::auth::principal::bearer_token;
use crate::auth::scopes::{OperationTable, Requirement};
use crate::auth::tokens::Claims;
use crate::auth::{RateLimiter, TokenKeys};
use crate::error::ApiError;
use crate::routes::AppState;
use crate::store::{api_tokens, now};

/// An API token the gate admitted, as the user it acts as is now (role and team are read
/// from the user at each request: a demoted creator's tokens lose rights at once).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiTokenGrant {
    pub jti: Uuid,
    pub user_id: Uuid,
    pub role: Role,
    pub team_id: Option<Uuid>,
    /// The dealer the token acts for (a dealer admin's token), the same as its user's.
    pub dealer_id: Option<Uuid>,
    pub scopes: Vec<Scope>,
}

/// Who is calling, once the bearer token is checked.
#[derive(Debug, Clone)]
pub enum Caller {
    /// A staff session: the role's full rights.
    Staff(Claims),
    /// An integration API token: its scopes, within its user's role.
    ApiToken(ApiTokenGrant),
}

impl Caller {
    fn role(&self) -> Role {
        match self {
            Caller::Staff(claims) => claims.role,
            Caller::ApiToken(grant) => grant.role,
        }
    }

    /// Whether the caller may call an operation with this requirement, as far as scopes go
    /// (the role's reach is checked by the handler, which knows the records).
    pub fn admit(&self, requirement: Requirement) -> Result<(), ApiError> {
        match (self, requirement) {
            (_, Requirement::Public) | (Caller::Staff(_), _) => Ok(()),
            (Caller::ApiToken(_), Requirement::Session) => Err(ApiError::Forbidden(
                "API tokens cannot call this operation: sign in".to_owned(),
            )),
            (Caller::ApiToken(grant), Requirement::Scope(needed)) => {
                if grant.scopes.contains(&needed) {
                    Ok(())
                } else {
                    Err(ApiError::InsufficientScope(needed.to_string()))
                }
            }
        }
    }

    /// Whether the caller could call such an operation at all: its scopes allow it and its
    /// role has some reach for it. Decides what the caller's copy of the spec shows.
    pub fn may_call(&self, requirement: Requirement) -> bool {
        self.admit(requirement).is_ok()
            && match requirement {
                Requirement::Scope(needed) => needed.granted_to(self.role()),
                Requirement::Public | Requirement::Session => true,
            }
    }
}

/// Checks the request's bearer token: signature, algorithm, audience, issuer and expiry; for
/// an API token also its row (revocation) and its rate limit.
pub async fn identify(req: &HttpRequest) -> Result<Caller, ApiError> {
    let keys = req
        .app_data::<web::Data<TokenKeys>>()
        .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("token keys not configured")))?;
    let claims = keys
        .verify(bearer_token(req)?)
        .ok_or(ApiError::Unauthorized("the token is invalid or expired"))?;
    if !claims.is_api_token() {
        return Ok(Caller::Staff(claims));
    }
    let state = req
        .app_data::<web::Data<AppState>>()
        .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("state not configured")))?;
    let authorized = api_tokens::authorize(&state.db, claims.jti, now()).await?;
    if let Some(limiter) = req.app_data::<web::Data<RateLimiter>>() {
        limiter
            .check(claims.jti)
            .map_err(|retry_after_secs| ApiError::RateLimited { retry_after_secs })?;
    }
    let role = Role::parse(&authorized.user.role)
        .ok_or_else(|| anyhow::anyhow!("user {} has an unknown role", authorized.user.id))?;
    Ok(Caller::ApiToken(ApiTokenGrant {
        jti: claims.jti,
        user_id: authorized.user.id,
        role,
        team_id: authorized.user.team_id,
        dealer_id: authorized.token.dealer_id,
        scopes: scope::parse_list(&authorized.token.scopes),
    }))
}

/// The middleware (`actix_web::middleware::from_fn`).
pub async fn gate(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    // The path as the router sees it (percent-decoded), so the gate and the router agree on
    // which operation a request reaches.
    let requirement = req
        .app_data::<web::Data<OperationTable>>()
        .and_then(|table| table.requirement(req.method().as_str(), req.match_info().as_str()));
    let Some(requirement) = requirement.filter(|r| *r != Requirement::Public) else {
        return Ok(next.call(req).await?.map_into_boxed_body());
    };
    let admitted = match identify(req.request()).await {
        Ok(caller) => caller.admit(requirement).map(|()| caller),
        Err(e) => Err(e),
    };
    match admitted {
        Ok(Caller::ApiToken(grant)) => {
            req.extensions_mut().insert(grant);
        }
        Ok(Caller::Staff(_)) => {}
        Err(e) => {
            let response = e.error_response();
            return Ok(req.into_response(response));
        }
    }
    Ok(next.call(req).await?.map_into_boxed_body())
}
