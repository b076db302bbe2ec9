//! Field masking per audience. A dealer's salesperson (`dealer_user`) sees the phone numbers
//! and e-mail addresses of the dealer's customers only on records they own themselves; on the
//! rest they read `138****8000`. The company's staff and a dealer's administrator see them in
//! the clear. Internal fields (a product's cost and margin, internal notes on accounts and
//! opportunities) are never shown to a dealer's staff at all. Applied by the stores to every
//! record they answer with.

use std::collections::HashSet;

use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};
use uuid::Uuid;

use kedao_api_types::accounts::AccountView;
use kedao_api_types::contacts::ContactView;
use kedao_api_types::leads::LeadView;
use kedao_api_types::opportunities::OpportunityView;
use kedao_api_types::products::ProductView;
use kedao_domain::access::Role;
use kedao_domain::mask;

use crate::auth::Principal;
use crate::error::ApiError;
use crate::store::entities::accounts;
use crate::store::search;

/// Whether the caller reads the contact details of a record owned by `owner` in the clear.
fn in_clear(principal: &Principal, owner: Uuid) -> bool {
    principal.role != Role::DealerUser || owner == principal.user_id
}

fn hide(phone: &mut Option<String>, email: &mut Option<String>) {
    *phone = phone.as_deref().map(mask::phone);
    *email = email.as_deref().map(mask::email);
}

pub fn lead(principal: &Principal, mut v: LeadView) -> LeadView {
    if !in_clear(principal, v.owner_id) {
        hide(&mut v.phone, &mut v.email);
    }
    v
}

pub fn account(principal: &Principal, mut v: AccountView) -> AccountView {
    if !in_clear(principal, v.owner_id) {
        hide(&mut v.phone, &mut v.email);
    }
    if principal.dealer_id.is_some() {
        v.internal_notes = None;
    }
    v
}

/// A product's cost and margin are the company's business, never a dealer's.
pub fn product(principal: &Principal, mut v: ProductView) -> ProductView {
    if principal.dealer_id.is_some() {
        v.cost = None;
        v.margin_percent = None;
    }
    v
}

/// Free-text search that cannot unmask: `q` matches the `open` columns of every row, and the
/// contact columns (phone, e-mail) only where the caller reads them in the clear — for a
/// dealer's salesperson, rows matching `owned` — so searching for a number cannot tell whose
/// masked record holds it.
pub fn text_search<C: ColumnTrait>(
    principal: &Principal,
    q: Option<&str>,
    open: &[C],
    contact: &[C],
    owned: Condition,
) -> Result<Option<Condition>, ApiError> {
    let (Some(open), Some(mut contact)) = (
        search::text_filter(q, open)?,
        search::text_filter(q, contact)?,
    ) else {
        return Ok(None);
    };
    if principal.role == Role::DealerUser {
        contact = Condition::all().add(owned).add(contact);
    }
    Ok(Some(Condition::any().add(open).add(contact)))
}

/// Internal notes a caller may write: none at all for a dealer's staff.
pub fn internal_notes(
    principal: &Principal,
    notes: Option<&str>,
) -> Result<Option<String>, ApiError> {
    if principal.dealer_id.is_some() && notes.is_some() {
        return Err(ApiError::field(
            "internal_notes",
            "internal",
            "internal notes are the company's; a dealer's staff do not write them",
        ));
    }
    crate::store::fields::note(notes, "internal_notes")
}

pub fn opportunity(principal: &Principal, mut v: OpportunityView) -> OpportunityView {
    if principal.dealer_id.is_some() {
        v.internal_notes = None;
    }
    v
}

/// Contacts have no owner of their own: their account's owner decides.
pub async fn contacts<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    mut views: Vec<ContactView>,
) -> Result<Vec<ContactView>, ApiError> {
    if principal.role != Role::DealerUser || views.is_empty() {
        return Ok(views);
    }
    let mine: HashSet<Uuid> = accounts::Entity::find()
        .select_only()
        .column(accounts::Column::Id)
        .filter(accounts::Column::Id.is_in(views.iter().map(|c| c.account_id)))
        .filter(accounts::Column::OwnerId.eq(principal.user_id))
        .into_tuple::<Uuid>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    for v in views.iter_mut().filter(|v| !mine.contains(&v.account_id)) {
        hide(&mut v.phone, &mut v.email);
        v.mobile = v.mobile.as_deref().map(mask::phone);
    }
    Ok(views)
}

pub async fn contact<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    v: ContactView,
) -> Result<ContactView, ApiError> {
    let mut one = contacts(db, principal, vec![v]).await?;
    one.pop().ok_or(ApiError::NotFound("contact"))
}
