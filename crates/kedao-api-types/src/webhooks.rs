//! Outbound webhooks (`/webhooks`): subscriptions of a URL to events, and their deliveries.
//!
//! Each delivery is a `POST` of `{id, type, created_at, data}` signed with the subscription's
//! secret: `Kedao-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A subscription as listed: everything but its secret.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WebhookView {
    pub id: Uuid,
    pub url: String,
    /// Event types, e.g. `lead.created`.
    pub events: Vec<String>,
    /// A dealer's subscription receives only the events of that dealer's records.
    pub dealer_id: Option<Uuid>,
    pub created_by: Uuid,
    /// False once disabled, by a user or after too many failed deliveries in a row.
    pub active: bool,
    /// Deliveries in a row that failed for good.
    pub failure_count: i32,
    pub disabled_reason: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i32,
}

/// A new subscription, or one whose secret was just rotated: the only answers that carry the
/// secret.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WebhookWithSecret {
    /// Verifies the `Kedao-Signature` header. Shown once: keep it now.
    pub secret: String,
    pub webhook: WebhookView,
}

/// A new subscription.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "validate", derive(validator::Validate))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "url": "https://erp.example.com/kedao/events", "events": ["lead.created", "payment.recorded"]
})))]
#[serde(deny_unknown_fields)]
pub struct WebhookCreate {
    /// An `http` or `https` URL on a public address.
    #[cfg_attr(feature = "validate", validate(length(min = 1, max = 2000)))]
    pub url: String,
    /// At least one known event type.
    #[cfg_attr(feature = "validate", validate(length(min = 1, max = 32)))]
    pub events: Vec<String>,
    /// Only this dealer's events: a dealer admin's own dealer (the default for them); an
    /// admin may name any dealer.
    pub dealer_id: Option<Uuid>,
}

/// Changes to a subscription. Activating it again clears its failures.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "validate", derive(validator::Validate))]
#[serde(deny_unknown_fields)]
pub struct WebhookUpdate {
    #[cfg_attr(feature = "validate", validate(length(min = 1, max = 2000)))]
    pub url: Option<String>,
    #[cfg_attr(feature = "validate", validate(length(min = 1, max = 32)))]
    pub events: Option<Vec<String>>,
    pub active: Option<bool>,
}

/// Paging of subscriptions.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct WebhookListQuery {
    pub active: Option<bool>,
    /// 1–200, default 50.
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 200))]
    pub limit: Option<u64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Also count all matching rows.
    pub include_total: Option<bool>,
}

/// Where a delivery is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DeliveryStatus {
    /// Not sent yet, or failed and waiting for its next attempt.
    Pending,
    /// The receiver answered 2xx.
    Delivered,
    /// Every attempt failed (or the subscription was disabled meanwhile).
    Failed,
}

impl DeliveryStatus {
    pub const ALL: [DeliveryStatus; 3] = [
        DeliveryStatus::Pending,
        DeliveryStatus::Delivered,
        DeliveryStatus::Failed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            DeliveryStatus::Pending => "pending",
            DeliveryStatus::Delivered => "delivered",
            DeliveryStatus::Failed => "failed",
        }
    }

    pub fn parse(s: &str) -> Option<DeliveryStatus> {
        DeliveryStatus::ALL.into_iter().find(|v| v.as_str() == s)
    }
}

/// One event sent to one subscription, with its last attempt's outcome.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DeliveryView {
    /// Sent as the `Kedao-Delivery` header.
    pub id: Uuid,
    pub subscription_id: Uuid,
    /// The event's id (the body's `id`), the same on a redelivery.
    pub event_id: Uuid,
    pub event_type: String,
    pub status: DeliveryStatus,
    pub attempts: i32,
    /// The receiver's last answer, if it answered.
    pub response_code: Option<i32>,
    /// How long the last attempt took.
    pub latency_ms: Option<i64>,
    /// Why the last attempt failed.
    pub error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub delivered_at: Option<DateTime<Utc>>,
}

/// Paging of a subscription's deliveries (newest first).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct DeliveryListQuery {
    pub status: Option<DeliveryStatus>,
    /// 1–200, default 50.
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 200))]
    pub limit: Option<u64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Also count all matching rows.
    pub include_total: Option<bool>,
}
