//! Access tokens (short-lived HS256 JWTs) and refresh tokens (random, stored only as hashes,
//! rotated on every use; reusing a spent one revokes its whole family, which stops a thief who
//! copied one).

use base64::Engine;
use chrono::{DateTime, Utc};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use rand::RngCore;
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use kedao_domain::access::Role;

/// Audience and issuer of every token this server signs.
pub const AUDIENCE: &str = "kedao-api";
pub const ISSUER: &str = "kedao";

/// What an access token says.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claims {
    pub sub: Uuid,
    pub role: Role,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team: Option<Uuid>,
    /// The dealer of a dealer's staff member.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dealer: Option<Uuid>,
    pub exp: i64,
    pub iat: i64,
    pub jti: Uuid,
    pub aud: String,
    pub iss: String,
    /// An integration API token's space-separated scopes (`leads:read orders:write`). Staff
    /// access tokens carry none: they have their role's full rights.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
}

impl Claims {
    /// Whether these are an integration API token's claims (checked against its stored row on
    /// every request) rather than a staff session's.
    pub fn is_api_token(&self) -> bool {
        self.scope.is_some()
    }
}

/// The signing and verifying keys, built once from the configured secret.
#[derive(Clone)]
pub struct TokenKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    pub access_ttl_secs: u64,
}

impl TokenKeys {
    pub fn new(secret: &SecretString, access_ttl_secs: u64) -> Self {
        let bytes = secret.expose_secret().as_bytes();
        // Only HS256 is accepted: a token naming another algorithm (or `none`) is refused.
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_audience(&[AUDIENCE]);
        validation.set_issuer(&[ISSUER]);
        validation.set_required_spec_claims(&["exp", "sub", "aud", "iss"]);
        validation.leeway = 5;
        TokenKeys {
            encoding: EncodingKey::from_secret(bytes),
            decoding: DecodingKey::from_secret(bytes),
            validation,
            access_ttl_secs,
        }
    }

    /// Signs an access token.
    pub fn issue(
        &self,
        user: Uuid,
        role: Role,
        team: Option<Uuid>,
        dealer: Option<Uuid>,
        now: DateTime<Utc>,
    ) -> anyhow::Result<String> {
        let claims = Claims {
            sub: user,
            role,
            team,
            dealer,
            iat: now.timestamp(),
            exp: now.timestamp() + i64::try_from(self.access_ttl_secs)?,
            jti: Uuid::now_v7(),
            aud: AUDIENCE.to_owned(),
            iss: ISSUER.to_owned(),
            scope: None,
        };
        self.sign(&claims)
    }

    /// Signs any claims (HS256 with the server's secret): integration API tokens, and tests
    /// that need a token with claims login never issues.
    pub fn sign(&self, claims: &Claims) -> anyhow::Result<String> {
        Ok(jsonwebtoken::encode(
            &Header::new(Algorithm::HS256),
            claims,
            &self.encoding,
        )?)
    }

    /// Verifies an access token's signature, algorithm, audience, issuer and expiry.
    pub fn verify(&self, token: &str) -> Option<Claims> {
        jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation)
            .ok()
            .map(|d| d.claims)
    }
}

/// A new random refresh token (256 bits, URL-safe) and the hash stored for it.
pub fn new_refresh_token() -> (String, String) {
    let mut bytes = [0_u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    let token = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
    let hash = hash_refresh_token(&token);
    (token, hash)
}

/// The stored form of a refresh token.
pub fn hash_refresh_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}
