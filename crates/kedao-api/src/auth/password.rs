//! Argon2id password hashes. Hashing is slow on purpose, so it runs on the blocking pool.

use argon2::Argon2;
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};

use crate::error::ApiError;

/// Hashes a password (argon2id, default parameters, random salt).
pub async fn hash(password: String) -> Result<String, ApiError> {
    actix_web::web::block(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| anyhow::anyhow!("hashing failed: {e}"))
    })
    .await
    .map_err(|e| anyhow::anyhow!("blocking pool: {e}"))?
    .map_err(ApiError::Internal)
}

/// Checks a password against a stored hash. With no stored hash (unknown user) it still does
/// the work of a check against a fixed hash, so response time does not reveal which e-mail
/// addresses have accounts.
pub async fn verify(password: String, stored: Option<String>) -> Result<bool, ApiError> {
    actix_web::web::block(move || {
        let (hash, known) = match stored {
            Some(h) => (h, true),
            None => (DUMMY_HASH.to_owned(), false),
        };
        let parsed =
            PasswordHash::new(&hash).map_err(|e| anyhow::anyhow!("stored hash unreadable: {e}"))?;
        let ok = Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok();
        Ok::<bool, anyhow::Error>(ok && known)
    })
    .await
    .map_err(|e| anyhow::anyhow!("blocking pool: {e}"))?
    .map_err(ApiError::Internal)
}

/// An argon2id hash of a random string nobody knows.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$2rQnU9OSC9X9b1J8UvcN0TBzFCwXVNh9fT0rXOxJ4aQ";
