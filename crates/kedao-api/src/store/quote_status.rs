//! A quote's life: draft → sent → accepted | rejected | expired, the manager's approval of a
//! large discount, and revisions (a new draft with the same number; the old one superseded).
//!
//! `expired` is never stored: a sent quote whose `valid_until` day has passed is expired when
//! read and when a transition is checked, so no background job has to flip it on time.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use sea_orm::{ActiveModelTrait, ConnectionTrait, DatabaseConnection, Set, TransactionTrait};
use uuid::Uuid;

use kedao_api_types::quotes::{QuoteStatus, QuoteView};
use kedao_domain::access::{Resource, Role};

use crate::auth::Principal;
use crate::error::ApiError;
use crate::store::entities::quotes::{self as entity, Column};
use crate::store::fields::save_versioned;
use crate::store::quote_lines as lines;
use crate::store::quotes::{check_valid_until, get, view, writable};
use crate::store::{history, new_id, now, scope};

/// The status a stored quote has on `today`: a sent quote past its last valid day is expired.
pub fn effective_status(stored: &str, valid_until: NaiveDate, today: NaiveDate) -> QuoteStatus {
    match QuoteStatus::parse(stored) {
        Some(QuoteStatus::Sent) if valid_until < today => QuoteStatus::Expired,
        Some(status) => status,
        None => QuoteStatus::Draft,
    }
}

fn invalid(from: QuoteStatus, action: &str) -> ApiError {
    ApiError::conflict(
        "invalid-transition",
        format!("a {} quote cannot be {action}", from.as_str()),
    )
}

/// Saves a status change at the version the caller read, and answers with the saved quote.
async fn save<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    current: &entity::Model,
    mut model: entity::ActiveModel,
) -> Result<QuoteView, ApiError> {
    // History compares key fields only, never lines: the record before needs no lines read.
    let before = view(current.clone(), Vec::new(), principal.today);
    let at = now();
    model.version = Set(current.version + 1);
    model.updated_at = Set(at);
    save_versioned(
        db,
        model,
        Column::Id,
        Column::Version,
        current.id,
        current.version,
    )
    .await?;
    let after = get(db, principal, current.id).await?;
    history::track(
        db,
        principal,
        Resource::Quotes,
        current.id,
        &before,
        &after,
        at,
    )
    .await?;
    Ok(after)
}

/// Sends a draft to the customer: needs an approval when its discount asks for one, and a
/// `valid_until` that has not passed.
pub async fn send(
    db: &DatabaseConnection,
    principal: &Principal,
    id: Uuid,
    expected_version: i32,
) -> Result<QuoteView, ApiError> {
    let txn = db.begin().await?;
    let current = writable(&txn, principal, id, expected_version).await?;
    let today = principal.today;
    let status = effective_status(&current.status, current.valid_until, today);
    if status != QuoteStatus::Draft {
        return Err(invalid(status, "sent"));
    }
    if current.needs_approval && current.approved_at.is_none() {
        return Err(ApiError::conflict(
            "approval-required",
            "a line discount is above the approval threshold: a manager must approve first",
        ));
    }
    check_valid_until(current.valid_until, today)?;
    let mut model: entity::ActiveModel = current.clone().into();
    model.status = Set(QuoteStatus::Sent.as_str().to_owned());
    model.sent_at = Set(Some(now()));
    let saved = save(&txn, principal, &current, model).await?;
    txn.commit().await?;
    Ok(saved)
}

/// Approves a draft whose discount needs it: an admin, or a manager of the owner's team (or
/// of a team above it).
pub async fn approve(
    db: &DatabaseConnection,
    principal: &Principal,
    id: Uuid,
    expected_version: i32,
) -> Result<QuoteView, ApiError> {
    let txn = db.begin().await?;
    let current = writable(&txn, principal, id, expected_version).await?;
    let may_approve = match principal.role {
        Role::Admin => true,
        Role::Manager => scope::manages(&txn, principal, current.owner_id).await?,
        _ => false,
    };
    if !may_approve {
        return Err(ApiError::Forbidden(
            "only a manager of the owner's team or an admin may approve a quote".to_owned(),
        ));
    }
    let status = effective_status(&current.status, current.valid_until, principal.today);
    if status != QuoteStatus::Draft {
        return Err(invalid(status, "approved"));
    }
    if !current.needs_approval || current.approved_at.is_some() {
        return Err(ApiError::conflict(
            "invalid-transition",
            "the quote does not need an approval",
        ));
    }
    let mut model: entity::ActiveModel = current.clone().into();
    model.approved_by = Set(Some(principal.user_id));
    model.approved_at = Set(Some(now()));
    let saved = save(&txn, principal, &current, model).await?;
    txn.commit().await?;
    Ok(saved)
}

/// Records the customer's refusal of a sent, still valid quote.
pub async fn reject(
    db: &DatabaseConnection,
    principal: &Principal,
    id: Uuid,
    expected_version: i32,
) -> Result<QuoteView, ApiError> {
    let txn = db.begin().await?;
    let current = writable(&txn, principal, id, expected_version).await?;
    let status = effective_status(&current.status, current.valid_until, principal.today);
    if status != QuoteStatus::Sent {
        return Err(invalid(status, "rejected"));
    }
    let mut model: entity::ActiveModel = current.clone().into();
    model.status = Set(QuoteStatus::Rejected.as_str().to_owned());
    let saved = save(&txn, principal, &current, model).await?;
    txn.commit().await?;
    Ok(saved)
}

/// Opens revision n + 1 of the latest revision as a draft with the same number and lines;
/// the old revision is superseded in the same transaction. An accepted quote is final.
pub async fn revise(
    db: &DatabaseConnection,
    principal: &Principal,
    id: Uuid,
    expected_version: i32,
    threshold: Decimal,
) -> Result<QuoteView, ApiError> {
    let txn = db.begin().await?;
    let current = writable(&txn, principal, id, expected_version).await?;
    let today = principal.today;
    let status = effective_status(&current.status, current.valid_until, today);
    if matches!(status, QuoteStatus::Accepted | QuoteStatus::Superseded) {
        return Err(invalid(status, "revised"));
    }
    let mut old: entity::ActiveModel = current.clone().into();
    old.status = Set(QuoteStatus::Superseded.as_str().to_owned());
    old.version = Set(current.version + 1);
    old.updated_at = Set(now());
    // History compares key fields only, never lines: the record before needs no lines read.
    let before = view(current.clone(), Vec::new(), today);
    // The version check makes two concurrent revisions of one quote impossible: one loses.
    save_versioned(&txn, old, Column::Id, Column::Version, id, current.version).await?;
    let superseded = get(&txn, principal, id).await?;
    history::track(
        &txn,
        principal,
        Resource::Quotes,
        id,
        &before,
        &superseded,
        superseded.updated_at,
    )
    .await?;

    let at = now();
    let copied_lines = lines::of(&txn, vec![current.id]).await?;
    let mut model: entity::ActiveModel = current.clone().into();
    model.id = Set(new_id());
    model.revision = Set(current.revision + 1);
    model.status = Set(QuoteStatus::Draft.as_str().to_owned());
    // The approval was for the old revision, and today's threshold decides the new one.
    model.needs_approval = Set(Decimal::new(i64::from(current.max_discount_bp), 2) > threshold);
    model.approved_by = Set(None);
    model.approved_at = Set(None);
    model.sent_at = Set(None);
    // A revision of an expired quote would be unsendable without a new date; the owner sets
    // one before sending (sending checks it).
    model.created_by = Set(principal.user_id);
    model.created_at = Set(at);
    model.updated_at = Set(at);
    model.version = Set(1);
    let saved = model.insert(&txn).await?;
    let rows = lines::copy(&txn, &copied_lines, saved.id).await?;
    txn.commit().await?;
    Ok(view(saved, rows, today))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn a_sent_quote_expires_after_its_last_valid_day() {
        let today = day("2026-05-10");
        assert_eq!(
            effective_status("sent", day("2026-05-10"), today),
            QuoteStatus::Sent,
            "valid through its last day"
        );
        assert_eq!(
            effective_status("sent", day("2026-05-09"), today),
            QuoteStatus::Expired
        );
    }

    #[test]
    fn only_sent_quotes_expire() {
        let today = day("2026-05-10");
        let past = day("2026-01-01");
        for stored in ["draft", "accepted", "rejected", "superseded"] {
            assert_eq!(effective_status(stored, past, today).as_str(), stored);
        }
    }
}
