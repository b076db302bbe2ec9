//! Sharing an account (with everything that hangs on it) with a user or a team.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// What a share allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ShareAccess {
    /// See the account, its contacts, opportunities, quotes, orders and receivables.
    Read,
    /// Also change them, as far as the caller's role may change such records at all.
    ReadWrite,
}

impl ShareAccess {
    pub fn as_str(self) -> &'static str {
        match self {
            ShareAccess::Read => "read",
            ShareAccess::ReadWrite => "read_write",
        }
    }

    pub fn parse(s: &str) -> Option<ShareAccess> {
        [ShareAccess::Read, ShareAccess::ReadWrite]
            .into_iter()
            .find(|a| a.as_str() == s)
    }
}

/// A new share: with exactly one of a user or a team (its members and its sub-teams').
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "validate", derive(validator::Validate))]
#[serde(deny_unknown_fields)]
pub struct ShareCreate {
    pub user_id: Option<Uuid>,
    pub team_id: Option<Uuid>,
    pub access: ShareAccess,
}

/// A share of an account.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ShareView {
    pub id: Uuid,
    pub account_id: Uuid,
    pub user_id: Option<Uuid>,
    pub team_id: Option<Uuid>,
    pub access: ShareAccess,
    pub created_by: Uuid,
    pub created_at: DateTime<Utc>,
    /// Set once revoked; a revoked share grants nothing and is kept for the record.
    pub revoked_at: Option<DateTime<Utc>>,
    pub revoked_by: Option<Uuid>,
}
