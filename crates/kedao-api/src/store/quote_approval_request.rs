//! Asking for a discount approval (申请审批): the owner of a draft whose discount needs a
//! manager's approval tells the people who may give it — the managers of the owner's team and
//! of the teams above it, or the admins when there is no such manager — with an in-app
//! notification that opens the quote. Asking again for the same version notifies nobody twice.

use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, TransactionTrait};
use uuid::Uuid;

use kedao_api_types::notifications::{NotificationKind, RecordType};
use kedao_api_types::quotes::{ApprovalRequested, QuoteStatus};
use kedao_domain::access::Role;

use crate::auth::Principal;
use crate::error::ApiError;
use crate::store::entities::users;
use crate::store::notifications::{NewNotification, notify_many};
use crate::store::quote_status::effective_status;
use crate::store::quotes::writable;
use crate::store::{now, scope};

/// Notifies the approvers of a draft that needs an approval; answers with who was asked.
pub async fn request_approval(
    db: &DatabaseConnection,
    principal: &Principal,
    id: Uuid,
    expected_version: i32,
) -> Result<ApprovalRequested, ApiError> {
    let txn = db.begin().await?;
    let quote = writable(&txn, principal, id, expected_version).await?;
    let status = effective_status(&quote.status, quote.valid_until, principal.today);
    if status != QuoteStatus::Draft || !quote.needs_approval || quote.approved_at.is_some() {
        return Err(ApiError::conflict(
            "invalid-transition",
            "only a draft whose discount still needs an approval can be sent for approval",
        ));
    }
    let teams = scope::teams_above_user(&txn, quote.owner_id).await?;
    let active = || users::Entity::find().filter(users::Column::Active.eq(true));
    let mut approvers = active()
        .filter(users::Column::Role.eq(Role::Manager.as_str()))
        .filter(users::Column::TeamId.is_in(teams))
        .all(&txn)
        .await?;
    if approvers.is_empty() {
        approvers = active()
            .filter(users::Column::Role.eq(Role::Admin.as_str()))
            .all(&txn)
            .await?;
    }
    approvers.retain(|u| u.id != principal.user_id);
    if approvers.is_empty() {
        return Err(ApiError::conflict(
            "no-approver",
            "nobody else may approve this quote: no active manager above its owner, and no admin",
        ));
    }
    let total = kedao_domain::money::Money::from_storage(
        quote.grand_total,
        crate::store::products::currency_of(&quote.currency),
    )
    .amount()
    .to_string();
    let title = format!(
        "Approval requested: quote {} r{}",
        quote.number, quote.revision
    );
    let summary = format!(
        "A discount on quote {} (grand total {total} {}) needs your approval.",
        quote.number, quote.currency
    );
    let params = vec![
        ("number", quote.number.clone()),
        ("revision", quote.revision.to_string()),
        ("total", total),
        ("currency", quote.currency.clone()),
    ];
    let notifications = approvers
        .iter()
        .map(|u| NewNotification {
            user_id: u.id,
            kind: NotificationKind::ApprovalRequested,
            title: title.clone(),
            summary: summary.clone(),
            record: Some((RecordType::Quote, quote.id)),
            occurrence_key: format!("approval_requested:{}:{}", quote.id, quote.version),
            source: None,
            params: params.clone(),
        })
        .collect();
    notify_many(&txn, notifications, now()).await?;
    txn.commit().await?;
    Ok(ApprovalRequested {
        quote_id: quote.id,
        approvers: approvers.into_iter().map(|u| u.id).collect(),
    })
}
