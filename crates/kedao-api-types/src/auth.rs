//! Sign-in and session tokens.

use serde::{Deserialize, Serialize};

use crate::users::UserView;

/// Credentials for signing in.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "validate", derive(validator::Validate))]
#[cfg_attr(feature = "openapi", schema(example = json!({"email": "admin@kedao.local", "password": "correct horse battery staple"})))]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    #[cfg_attr(feature = "validate", validate(length(min = 1, max = 254)))]
    pub email: String,
    #[cfg_attr(feature = "validate", validate(length(min = 1, max = 1024)))]
    pub password: String,
}

/// A refresh token, exchanged for a new pair (and spent by the exchange).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "validate", derive(validator::Validate))]
#[serde(deny_unknown_fields)]
pub struct RefreshRequest {
    #[cfg_attr(feature = "validate", validate(length(min = 1, max = 200)))]
    pub refresh_token: String,
}

/// A fresh session: a short-lived access token and a one-use refresh token.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TokenPair {
    /// Send as `Authorization: Bearer <access_token>`.
    pub access_token: String,
    /// Always `Bearer`.
    pub token_type: String,
    /// Seconds until the access token expires.
    pub expires_in: u64,
    /// Exchange at `/api/v1/auth/refresh` before it expires; each is valid once.
    pub refresh_token: String,
    pub user: UserView,
}
