//! The records notes and attachments hang on, found through each record's own read rules, so
//! that a note or a file is seen by exactly those who may see its record (a dealer's staff
//! never reach another dealer's customer through a file).

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use sea_orm::{ConnectionTrait, EntityTrait};
use uuid::Uuid;

use kedao_api_types::notifications::RecordType;
use kedao_domain::access::Role;

use crate::auth::Principal;
use crate::error::ApiError;
use crate::store::entities::users;
use crate::store::{accounts, contacts, leads, opportunities, orders, quotes};

/// A record the caller may see: its kind, id, customer (if any) and a name to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VisibleRecord {
    pub record_type: RecordType,
    pub id: Uuid,
    pub account_id: Option<Uuid>,
    pub name: String,
}

/// The record if the caller may read it; `NotFound` otherwise (also for kinds that carry no
/// notes or files).
pub async fn find<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    record_type: RecordType,
    id: Uuid,
) -> Result<VisibleRecord, ApiError> {
    let (account_id, name) = match record_type {
        RecordType::Account => {
            let a = accounts::find(db, principal, id).await?;
            (Some(a.id), a.name)
        }
        RecordType::Contact => {
            let c = contacts::find(db, principal, id).await?;
            (Some(c.account_id), c.name)
        }
        RecordType::Lead => {
            let l = leads::find(db, principal, id).await?;
            (l.converted_account_id, l.name)
        }
        RecordType::Opportunity => {
            let o = opportunities::find(db, principal, id).await?;
            (Some(o.account_id), o.title)
        }
        RecordType::Quote => {
            let q = quotes::find(db, principal, id).await?;
            (Some(q.account_id), q.number)
        }
        RecordType::Order => {
            let o = orders::find(db, principal, id).await?;
            (Some(o.account_id), o.number)
        }
        RecordType::Activity => return Err(ApiError::NotFound("record")),
    };
    Ok(VisibleRecord {
        record_type,
        id,
        account_id,
        name,
    })
}

/// Checks a record kind can carry notes and files (all but activities).
pub fn check_kind(record_type: RecordType) -> Result<(), ApiError> {
    if record_type == RecordType::Activity {
        return Err(ApiError::field(
            "record_type",
            "invalid",
            "notes and attachments go on accounts, contacts, leads, opportunities, quotes or orders",
        ));
    }
    Ok(())
}

/// An active user as a caller, with their role's reach now: used to ask whether someone else
/// (a mentioned colleague, a digest's reader) may see a record. `None` for an unknown or
/// inactive user.
pub async fn principal_of<C: ConnectionTrait>(
    db: &C,
    user_id: Uuid,
    at: DateTime<Utc>,
    time_zone: Tz,
) -> Result<Option<Principal>, ApiError> {
    let Some(user) = users::Entity::find_by_id(user_id)
        .one(db)
        .await?
        .filter(|u| u.active)
    else {
        return Ok(None);
    };
    Ok(Role::parse(&user.role).map(|role| acting_as(&user, role, at, time_zone)))
}

/// The caller a stored user is.
pub fn acting_as(user: &users::Model, role: Role, at: DateTime<Utc>, time_zone: Tz) -> Principal {
    Principal {
        user_id: user.id,
        role,
        team_id: user.team_id,
        dealer_id: user.dealer_id,
        token_id: None,
        token_scopes: None,
        today: at.with_timezone(&time_zone).date_naive(),
        time_zone,
    }
}
