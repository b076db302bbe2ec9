//! Field masking per audience. A dealer's salesperson (`dealer_user`) sees the phone numbers
//! and e-mail addresses of the dealer's customers only on records they own themselves; on the
//! rest they read `138****8000`. The company's staff and a dealer's administrator see them in
//! the clear. Applied by the stores to every lead, account and contact they answer with.

use std::collections::HashSet;

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};
use uuid::Uuid;

use kedao_api_types::accounts::AccountView;
use kedao_api_types::contacts::ContactView;
use kedao_api_types::leads::LeadView;
use kedao_domain::access::Role;
use kedao_domain::mask;

use crate::auth::Principal;
use crate::error::ApiError;
use crate::store::entities::accounts;

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
