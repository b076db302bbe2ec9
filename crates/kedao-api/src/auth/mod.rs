//! Authentication: password hashing, access and refresh tokens, and the `Principal` every
//! handler receives; integration API tokens, their scopes and the gate that enforces them.

pub mod gate;
pub mod password;
pub mod principal;
pub mod rate_limit;
pub mod scopes;
pub mod tokens;

pub use principal::Principal;
pub use rate_limit::RateLimiter;
pub use tokens::TokenKeys;
