//! Outbound webhooks: subscriptions of a URL to event types, and the log of each delivery.
//!
//! `events` is the space-separated list of event types (`lead.created payment.recorded`);
//! `secret` signs the deliveries (it is shown once, when the subscription is created or its
//! secret rotated); `dealer_id` makes a dealer admin's subscription receive only the events of
//! that dealer's records. A subscription that keeps failing is disabled (`active = false` with
//! a `disabled_reason`).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::{fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum WebhookSubscriptions {
    Table,
    Id,
    Url,
    Events,
    Secret,
    DealerId,
    CreatedBy,
    Active,
    FailureCount,
    DisabledReason,
    CreatedAt,
    UpdatedAt,
    Version,
}

#[derive(DeriveIden, Clone, Copy)]
enum WebhookDeliveries {
    Table,
    Id,
    SubscriptionId,
    EventId,
    EventType,
    Payload,
    Status,
    Attempts,
    ResponseCode,
    LatencyMs,
    Error,
    CreatedAt,
    DeliveredAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Users {
    Table,
}

#[derive(DeriveIden, Clone, Copy)]
enum Dealers {
    Table,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(WebhookSubscriptions::Table)
                    .col(uuid(WebhookSubscriptions::Id).primary_key())
                    .col(string_len(WebhookSubscriptions::Url, 2000))
                    .col(text(WebhookSubscriptions::Events))
                    .col(string_len(WebhookSubscriptions::Secret, 200))
                    .col(uuid_null(WebhookSubscriptions::DealerId))
                    .col(uuid(WebhookSubscriptions::CreatedBy))
                    .col(boolean(WebhookSubscriptions::Active))
                    .col(integer(WebhookSubscriptions::FailureCount))
                    .col(text_null(WebhookSubscriptions::DisabledReason))
                    .col(timestamp_with_time_zone(WebhookSubscriptions::CreatedAt))
                    .col(timestamp_with_time_zone(WebhookSubscriptions::UpdatedAt))
                    .col(integer(WebhookSubscriptions::Version))
                    .foreign_key(&mut fk(
                        WebhookSubscriptions::Table,
                        WebhookSubscriptions::CreatedBy,
                        Users::Table,
                        ForeignKeyAction::Restrict,
                    ))
                    .foreign_key(&mut fk(
                        WebhookSubscriptions::Table,
                        WebhookSubscriptions::DealerId,
                        Dealers::Table,
                        ForeignKeyAction::Restrict,
                    ))
                    .to_owned(),
            )
            .await?;
        // Fan-out reads the active subscriptions; a dealer admin lists their dealer's.
        index(
            manager,
            WebhookSubscriptions::Table,
            "idx_webhook_subscriptions_dealer",
            &["dealer_id", "created_at"],
            false,
        )
        .await?;
        manager
            .create_table(
                Table::create()
                    .table(WebhookDeliveries::Table)
                    .col(uuid(WebhookDeliveries::Id).primary_key())
                    .col(uuid(WebhookDeliveries::SubscriptionId))
                    .col(uuid(WebhookDeliveries::EventId))
                    .col(string_len(WebhookDeliveries::EventType, 100))
                    // The exact body sent, so a redelivery sends the same event.
                    .col(text(WebhookDeliveries::Payload))
                    .col(string_len(WebhookDeliveries::Status, 20))
                    .col(integer(WebhookDeliveries::Attempts))
                    .col(integer_null(WebhookDeliveries::ResponseCode))
                    .col(big_integer_null(WebhookDeliveries::LatencyMs))
                    .col(text_null(WebhookDeliveries::Error))
                    .col(timestamp_with_time_zone(WebhookDeliveries::CreatedAt))
                    .col(timestamp_with_time_zone_null(
                        WebhookDeliveries::DeliveredAt,
                    ))
                    .foreign_key(&mut fk(
                        WebhookDeliveries::Table,
                        WebhookDeliveries::SubscriptionId,
                        WebhookSubscriptions::Table,
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        // A subscription's delivery log, newest first.
        index(
            manager,
            WebhookDeliveries::Table,
            "idx_webhook_deliveries_subscription",
            &["subscription_id", "created_at"],
            false,
        )
        .await?;
        // One delivery per event and subscription, however often the fan-out runs.
        index(
            manager,
            WebhookDeliveries::Table,
            "idx_webhook_deliveries_event",
            &["event_id", "subscription_id"],
            true,
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(WebhookDeliveries::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(WebhookSubscriptions::Table).to_owned())
            .await
    }
}
