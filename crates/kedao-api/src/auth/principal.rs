//! The caller of a request, taken from its bearer token. Every store function takes one.
//! An integration API token acts as its user, once `auth::gate` has checked it.
//!
//! It also carries the company's calendar at the moment the request arrived: "today" for
//! due dates, overdue days and quote expiry is the date in the configured company time zone
//! (Asia/Shanghai by default), read once per request so one answer never straddles midnight.

use std::future::{Ready, ready};

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpMessage, HttpRequest, web};
use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use uuid::Uuid;

use kedao_domain::access::{self, Action, Caller, Reach, Resource, Role};
use kedao_domain::scope::{Scope, ScopeSet};

use crate::auth::TokenKeys;
use crate::auth::gate::ApiTokenGrant;
use crate::error::ApiError;
use crate::routes::AppState;
use crate::settings::DEFAULT_TIME_ZONE;

/// An authenticated caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Principal {
    pub user_id: Uuid,
    pub role: Role,
    pub team_id: Option<Uuid>,
    /// The dealer a dealer's staff member works for; `None` for the company's own staff.
    pub dealer_id: Option<Uuid>,
    /// The integration token the request came with (its `jti`), if it was one: what such a
    /// request changes is recorded as the token's doing.
    pub token_id: Option<Uuid>,
    /// That token's scopes. The gate already refused operations outside them; answers that
    /// gather several resources (a customer's timeline) leave out the ones not among them.
    pub token_scopes: Option<ScopeSet>,
    /// The company's date when the request arrived.
    pub today: NaiveDate,
    /// The company's time zone.
    pub time_zone: Tz,
}

impl Principal {
    /// The caller's reach for an action; `Forbidden` when it has none.
    pub fn reach(&self, resource: Resource, action: Action) -> Result<Reach, ApiError> {
        match access::reach(self.role, resource, action) {
            Reach::None => Err(ApiError::Forbidden(format!(
                "the {} role may not {} {}",
                self.role.as_str(),
                match action {
                    Action::Read => "read",
                    Action::Write => "change",
                },
                resource.as_str()
            ))),
            reach => Ok(reach),
        }
    }

    pub fn caller(&self) -> Caller<Uuid> {
        Caller {
            user: self.user_id,
            role: self.role,
            team: self.team_id,
            dealer: self.dealer_id,
        }
    }

    /// Whether the caller may read `resource` here: their role reaches it and, for an API
    /// token, the token holds its read scope.
    pub fn may_read(&self, resource: Resource) -> bool {
        self.reach(resource, Action::Read).is_ok()
            && self
                .token_scopes
                .is_none_or(|s| s.contains(Scope::new(resource, Action::Read)))
    }

    /// The company's calendar date of an instant.
    pub fn date_of(&self, at: DateTime<Utc>) -> NaiveDate {
        at.with_timezone(&self.time_zone).date_naive()
    }

    pub fn is_admin(&self) -> bool {
        self.role == Role::Admin
    }
}

impl FromRequest for Principal {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(authenticate(req))
    }
}

/// The token of an `Authorization: Bearer <token>` header.
pub fn bearer_token(req: &HttpRequest) -> Result<&str, ApiError> {
    let header = req
        .headers()
        .get(header::AUTHORIZATION)
        .ok_or(ApiError::Unauthorized("missing bearer token"))?;
    header
        .to_str()
        .ok()
        .and_then(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
        })
        .map(str::trim)
        .ok_or(ApiError::Unauthorized(
            "the Authorization header must be `Bearer <token>`",
        ))
}

fn authenticate(req: &HttpRequest) -> Result<Principal, ApiError> {
    let keys = req
        .app_data::<web::Data<TokenKeys>>()
        .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("token keys not configured")))?;
    let mut claims = keys
        .verify(bearer_token(req)?)
        .ok_or(ApiError::Unauthorized("the token is invalid or expired"))?;
    let mut token_id = None;
    let mut token_scopes = None;
    if claims.is_api_token() {
        // Only a token the gate checked (row, rate limit, scope) acts, as its user is now.
        let grant = req
            .extensions()
            .get::<ApiTokenGrant>()
            .filter(|g| g.jti == claims.jti)
            .cloned()
            .ok_or(ApiError::Unauthorized("API tokens are not accepted here"))?;
        claims.sub = grant.user_id;
        claims.role = grant.role;
        claims.team = grant.team_id;
        claims.dealer = grant.dealer_id;
        token_id = Some(grant.jti);
        token_scopes = Some(grant.scopes.iter().copied().collect());
    }
    let time_zone = req
        .app_data::<web::Data<AppState>>()
        .map_or(DEFAULT_TIME_ZONE, |s| s.settings.time_zone);
    Ok(Principal {
        user_id: claims.sub,
        role: claims.role,
        team_id: claims.team,
        dealer_id: claims.dealer,
        token_id,
        token_scopes,
        today: Utc::now().with_timezone(&time_zone).date_naive(),
        time_zone,
    })
}
