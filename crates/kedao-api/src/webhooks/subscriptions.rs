//! Webhook subscriptions: creating, reading, changing, deleting them, rotating their secret,
//! and disabling one that keeps failing.
//!
//! Admins manage every subscription; a dealer admin only their dealer's, which carry the
//! dealer and receive only its events (the permission table's `webhooks` row, through
//! `store::scope`). Another dealer's subscription is a 404. The secret is in the answer to
//! create and rotate only.

use chrono::{DateTime, Utc};
use rand::RngCore;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, Set,
};
use uuid::Uuid;

use kedao_api_types::ListPage;
use kedao_api_types::notifications::NotificationKind;
use kedao_api_types::webhooks::{WebhookCreate, WebhookUpdate, WebhookView, WebhookWithSecret};
use kedao_domain::access::{Action, Reach, Resource};
use kedao_domain::webhooks::is_event_type;

use crate::auth::Principal;
use crate::error::ApiError;
use crate::store::entities::dealers;
use crate::store::entities::webhook_subscriptions::{self as entity, Column};
use crate::store::fields::save_versioned;
use crate::store::notifications::{self, NewNotification};
use crate::store::paging::{self, Paging, SortField, SortKind};
use crate::store::{new_id, now, scope};
use crate::webhooks::guard;

pub const SORT_FIELDS: [SortField<Column>; 1] = [SortField {
    name: "created_at",
    column: Column::CreatedAt,
    kind: SortKind::Time,
}];

pub fn view(m: entity::Model) -> WebhookView {
    WebhookView {
        id: m.id,
        url: m.url,
        events: m.events.split_whitespace().map(str::to_owned).collect(),
        dealer_id: m.dealer_id,
        created_by: m.created_by,
        active: m.active,
        failure_count: m.failure_count,
        disabled_reason: m.disabled_reason,
        created_at: m.created_at,
        updated_at: m.updated_at,
        version: m.version,
    }
}

/// The subscriptions the caller manages with `action`.
fn visible(principal: &Principal, action: Action) -> Result<Condition, ApiError> {
    let reach = principal.reach(Resource::Webhooks, action)?;
    Ok(scope::owner_filter(
        principal,
        reach,
        Column::CreatedBy,
        Column::DealerId,
    ))
}

/// A new signing secret: 32 random bytes, hex, with a prefix that says what it is.
fn new_secret() -> String {
    let mut bytes = [0_u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    format!("whsec_{}", hex::encode(bytes))
}

/// Known event types, deduplicated, as stored (space-separated).
fn checked_events(events: &[String]) -> Result<String, ApiError> {
    if events.is_empty() {
        return Err(ApiError::field(
            "events",
            "required",
            "name at least one event type",
        ));
    }
    let mut names = Vec::with_capacity(events.len());
    for event in events {
        let event = event.trim();
        if !is_event_type(event) {
            return Err(ApiError::field(
                "events",
                "unknown-event",
                format!(
                    "`{event}` is no event type; known: {}",
                    kedao_domain::webhooks::EVENT_TYPES.join(", ")
                ),
            ));
        }
        names.push(event.to_owned());
    }
    names.sort();
    names.dedup();
    Ok(names.join(" "))
}

/// An http(s) URL the server may post to (see `guard`).
async fn checked_url(url: &str, allow_private: bool) -> Result<String, ApiError> {
    guard::check_subscribable(url, allow_private)
        .await
        .map(|u| u.to_string())
        .map_err(|refused| ApiError::field("url", "invalid-url", format!("the URL {refused}")))
}

/// The dealer a new subscription is for: a dealer admin's own (any other is refused), or for
/// an admin the dealer named (which must exist), if any.
async fn dealer_for<C: ConnectionTrait>(
    conn: &C,
    principal: &Principal,
    asked: Option<Uuid>,
) -> Result<Option<Uuid>, ApiError> {
    match principal.reach(Resource::Webhooks, Action::Write)? {
        Reach::Dealer => match (principal.dealer_id, asked) {
            (Some(own), None) => Ok(Some(own)),
            (Some(own), Some(asked)) if asked == own => Ok(Some(own)),
            _ => Err(ApiError::Forbidden(
                "a dealer admin subscribes for their own dealer only".to_owned(),
            )),
        },
        _ => match asked {
            None => Ok(None),
            Some(dealer) => match dealers::Entity::find_by_id(dealer).one(conn).await? {
                Some(_) => Ok(Some(dealer)),
                None => Err(ApiError::field("dealer_id", "not-found", "no such dealer")),
            },
        },
    }
}

pub async fn create<C: ConnectionTrait>(
    conn: &C,
    principal: &Principal,
    allow_private: bool,
    input: WebhookCreate,
) -> Result<WebhookWithSecret, ApiError> {
    principal.reach(Resource::Webhooks, Action::Write)?;
    let url = checked_url(&input.url, allow_private).await?;
    let events = checked_events(&input.events)?;
    let dealer_id = dealer_for(conn, principal, input.dealer_id).await?;
    let secret = new_secret();
    let at = now();
    let row = entity::ActiveModel {
        id: Set(new_id()),
        url: Set(url),
        events: Set(events),
        secret: Set(secret.clone()),
        dealer_id: Set(dealer_id),
        created_by: Set(principal.user_id),
        active: Set(true),
        failure_count: Set(0),
        disabled_reason: Set(None),
        created_at: Set(at),
        updated_at: Set(at),
        version: Set(1),
    }
    .insert(conn)
    .await?;
    tracing::info!(webhook = %row.id, events = %row.events, "webhook subscribed");
    Ok(WebhookWithSecret {
        secret,
        webhook: view(row),
    })
}

pub async fn list<C: ConnectionTrait>(
    conn: &C,
    principal: &Principal,
    active: Option<bool>,
    paging: Paging<Column>,
) -> Result<ListPage<WebhookView>, ApiError> {
    let mut cond = visible(principal, Action::Read)?;
    if let Some(active) = active {
        cond = cond.add(Column::Active.eq(active));
    }
    paging::page(
        conn,
        entity::Entity::find().filter(cond),
        &paging,
        Column::Id,
        |m| m.id,
        view,
    )
    .await
}

/// A subscription the caller may see with `action`; 404 for any other.
pub async fn find<C: ConnectionTrait>(
    conn: &C,
    principal: &Principal,
    id: Uuid,
    action: Action,
) -> Result<entity::Model, ApiError> {
    entity::Entity::find_by_id(id)
        .filter(visible(principal, action)?)
        .one(conn)
        .await?
        .ok_or(ApiError::NotFound("webhook"))
}

pub async fn get<C: ConnectionTrait>(
    conn: &C,
    principal: &Principal,
    id: Uuid,
) -> Result<WebhookView, ApiError> {
    Ok(view(find(conn, principal, id, Action::Read).await?))
}

/// Changes the URL, the events or whether it is active. Activating it again clears its
/// failures and the reason it was disabled.
pub async fn update<C: ConnectionTrait>(
    conn: &C,
    principal: &Principal,
    allow_private: bool,
    id: Uuid,
    version: i32,
    input: WebhookUpdate,
) -> Result<WebhookView, ApiError> {
    let current = find(conn, principal, id, Action::Write).await?;
    if current.version != version {
        return Err(ApiError::PreconditionFailed {
            current_version: current.version,
        });
    }
    let mut model = entity::ActiveModel {
        updated_at: Set(now()),
        version: Set(version + 1),
        ..Default::default()
    };
    if let Some(url) = &input.url {
        model.url = Set(checked_url(url, allow_private).await?);
    }
    if let Some(events) = &input.events {
        model.events = Set(checked_events(events)?);
    }
    match input.active {
        Some(true) => {
            model.active = Set(true);
            model.failure_count = Set(0);
            model.disabled_reason = Set(None);
        }
        Some(false) => {
            model.active = Set(false);
            model.disabled_reason = Set(Some("disabled by a user".to_owned()));
        }
        None => {}
    }
    save_versioned(conn, model, Column::Id, Column::Version, id, version).await?;
    get(conn, principal, id).await
}

pub async fn delete<C: ConnectionTrait>(
    conn: &C,
    principal: &Principal,
    id: Uuid,
) -> Result<(), ApiError> {
    let current = find(conn, principal, id, Action::Write).await?;
    entity::Entity::delete_by_id(current.id).exec(conn).await?;
    tracing::info!(webhook = %id, "webhook deleted");
    Ok(())
}

/// A new secret; the old one stops signing at once.
pub async fn rotate_secret<C: ConnectionTrait>(
    conn: &C,
    principal: &Principal,
    id: Uuid,
) -> Result<WebhookWithSecret, ApiError> {
    let current = find(conn, principal, id, Action::Write).await?;
    let secret = new_secret();
    entity::Entity::update_many()
        .col_expr(Column::Secret, Expr::value(secret.clone()))
        .col_expr(Column::UpdatedAt, Expr::value(now()))
        .col_expr(Column::Version, Expr::col(Column::Version).add(1))
        .filter(Column::Id.eq(current.id))
        .exec(conn)
        .await?;
    tracing::info!(webhook = %id, "webhook secret rotated");
    Ok(WebhookWithSecret {
        secret,
        webhook: get(conn, principal, id).await?,
    })
}

/// Counts a delivery that failed for good; disables the subscription when that makes
/// `disable_after` in a row.
pub async fn record_failure<C: ConnectionTrait>(
    conn: &C,
    id: Uuid,
    disable_after: u32,
) -> Result<(), ApiError> {
    entity::Entity::update_many()
        .col_expr(Column::FailureCount, Expr::col(Column::FailureCount).add(1))
        .filter(Column::Id.eq(id))
        .exec(conn)
        .await?;
    let failures = entity::Entity::find_by_id(id)
        .one(conn)
        .await?
        .map_or(0, |s| s.failure_count);
    if failures >= i32::try_from(disable_after).unwrap_or(i32::MAX) {
        disable(
            conn,
            id,
            &format!("disabled after {failures} failed deliveries in a row"),
        )
        .await?;
    }
    Ok(())
}

/// A delivery succeeded: the failures in a row start again from zero.
pub async fn record_success<C: ConnectionTrait>(conn: &C, id: Uuid) -> Result<(), ApiError> {
    entity::Entity::update_many()
        .col_expr(Column::FailureCount, Expr::value(0))
        .filter(Column::Id.eq(id))
        .filter(Column::FailureCount.ne(0))
        .exec(conn)
        .await?;
    Ok(())
}

/// Disables a subscription that keeps failing, with the reason; the one place that happens,
/// so telling its owner (an in-app notification) belongs here. Returns whether it was active.
pub async fn disable<C: ConnectionTrait>(
    conn: &C,
    id: Uuid,
    reason: &str,
) -> Result<bool, ApiError> {
    let at = now();
    let changed = entity::Entity::update_many()
        .col_expr(Column::Active, Expr::value(false))
        .col_expr(Column::DisabledReason, Expr::value(reason))
        .col_expr(Column::UpdatedAt, Expr::value(at))
        .col_expr(Column::Version, Expr::col(Column::Version).add(1))
        .filter(Column::Id.eq(id))
        .filter(Column::Active.eq(true))
        .exec(conn)
        .await?;
    let was_active = changed.rows_affected > 0;
    if was_active {
        tracing::warn!(webhook = %id, reason, "webhook subscription disabled");
        tell_owner_disabled(conn, id, reason, at).await?;
    }
    Ok(was_active)
}

/// Tells whoever subscribed that the subscription was switched off, in the app. The summary
/// names the host only: a URL's path or query may carry the receiver's own token.
async fn tell_owner_disabled<C: ConnectionTrait>(
    conn: &C,
    id: Uuid,
    reason: &str,
    at: DateTime<Utc>,
) -> Result<(), ApiError> {
    let Some(sub) = entity::Entity::find_by_id(id).one(conn).await? else {
        return Ok(());
    };
    let host = reqwest::Url::parse(&sub.url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_owned))
        .unwrap_or_default();
    notifications::notify(
        conn,
        NewNotification {
            user_id: sub.created_by,
            kind: NotificationKind::WebhookDisabled,
            title: format!("Webhook to {host} disabled"),
            summary: format!(
                "Subscription {id} was disabled: {reason}. Fix the receiver, then enable it again."
            ),
            record: None,
            occurrence_key: format!("webhook_disabled:{id}:{}", at.timestamp_micros()),
            source: None,
            params: vec![
                ("host", host.clone()),
                ("id", id.to_string()),
                ("reason", reason.to_owned()),
            ],
        },
    )
    .await?;
    Ok(())
}
