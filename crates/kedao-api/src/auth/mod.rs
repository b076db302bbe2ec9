//! Authentication: password hashing, access and refresh tokens, and the `Principal` every
//! handler receives.

pub mod password;
pub mod principal;
pub mod tokens;

pub use principal::Principal;
pub use tokens::TokenKeys;
