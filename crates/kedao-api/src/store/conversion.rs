//! Lead conversion: one transaction that turns a qualified prospect into an account (or
//! attaches it to an existing one), a contact and, optionally, an opportunity.

use sea_orm::DatabaseConnection;
use sea_orm::{Set, TransactionTrait};
use uuid::Uuid;

use kedao_api_types::leads::{LeadConvert, LeadConvertResult};
use kedao_domain::access::Resource;
use kedao_domain::lead::LeadStatus;

use crate::auth::Principal;
use crate::error::ApiError;
use crate::store::entities::leads::{self as entity, Column};
use crate::store::fields::save_versioned_model;
use crate::store::leads::{find, view};
use crate::store::{accounts, contacts, history, now, opportunities, scope};
use crate::webhooks;

/// Converts a lead in one transaction: account (new or existing), contact, optional
/// opportunity, and the lead marked qualified with links to all three.
pub async fn convert(
    db: &DatabaseConnection,
    principal: &Principal,
    id: Uuid,
    input: LeadConvert,
) -> Result<LeadConvertResult, ApiError> {
    let txn = db.begin().await?;
    let current = find(&txn, principal, id).await?;
    scope::check_writable(
        &txn,
        principal,
        Resource::Leads,
        scope::Held::new(current.owner_id, current.dealer_id),
    )
    .await?;
    let status = LeadStatus::parse(&current.status).unwrap_or(LeadStatus::New);
    let qualified = status
        .convert()
        .map_err(|e| ApiError::conflict("invalid-transition", e.to_string()))?;
    let owner = current.owner_id;

    let (account_id, account_created) = match input.account_id {
        Some(existing) => {
            let account = accounts::find(&txn, principal, existing)
                .await
                .map_err(|_| {
                    ApiError::field(
                        "account_id",
                        "unknown-account",
                        "no account you can see has this id",
                    )
                })?;
            // The new contact joins that account, so the caller must be allowed to add to it.
            scope::check_writable(
                &txn,
                principal,
                Resource::Contacts,
                scope::Held::new(account.owner_id, account.dealer_id),
            )
            .await?;
            (account.id, false)
        }
        None => {
            let name = input
                .account_name
                .clone()
                .or_else(|| current.company.clone())
                .unwrap_or_else(|| current.name.clone());
            let account =
                accounts::insert_for_conversion(&txn, principal, &current, name, owner).await?;
            (account, true)
        }
    };
    let contact_id = contacts::insert_for_conversion(&txn, account_id, &current).await?;
    let opportunity_id = match input.opportunity {
        Some(opp) => Some(
            opportunities::insert_for_conversion(
                &txn, principal, &current, account_id, contact_id, opp,
            )
            .await?,
        ),
        None => None,
    };

    let at = now();
    let mut model: entity::ActiveModel = current.clone().into();
    model.status = Set(qualified.as_str().to_owned());
    model.converted_account_id = Set(Some(account_id));
    model.converted_contact_id = Set(Some(contact_id));
    model.converted_opportunity_id = Set(opportunity_id);
    model.converted_at = Set(Some(at));
    model.updated_at = Set(at);
    model.version = Set(current.version + 1);
    let lead = save_versioned_model(
        &txn,
        model,
        Column::Id,
        Column::Version,
        id,
        current.version,
    )
    .await?;
    let after = view(lead);
    history::track(
        &txn,
        principal,
        Resource::Leads,
        id,
        &view(current),
        &after,
        at,
    )
    .await?;
    let result = LeadConvertResult {
        lead: after,
        account_id,
        account_created,
        contact_id,
        opportunity_id,
    };
    webhooks::emit(&txn, "lead.converted", result.lead.dealer_id, &result).await?;
    txn.commit().await?;
    Ok(result)
}
