//! The `webhook.deliver` job: posts one delivery's body to its subscription's URL, signed,
//! and logs the attempt. A failure (non-2xx, timeout, refused address) fails the job, which
//! the queue retries with backoff; after the last attempt the delivery is failed and counts
//! towards disabling the subscription.

use std::time::{Duration, Instant};

use chrono::Utc;
use reqwest::header::{CONTENT_TYPE, USER_AGENT};
use reqwest::redirect::Policy;
use sea_orm::{EntityTrait, TransactionTrait};

use kedao_api_types::webhooks::DeliveryStatus;

use crate::jobs::handlers::{JobError, payload};
use crate::jobs::worker::JobContext;
use crate::store::entities::jobs::Model as Job;
use crate::store::entities::{webhook_deliveries, webhook_subscriptions};
use crate::webhooks::deliveries::{self, Attempt, DeliverJob};
use crate::webhooks::guard::{self, Resolve};
use crate::webhooks::{signature, subscriptions};

/// A failed attempt.
struct Failure {
    response_code: Option<i32>,
    latency_ms: Option<i64>,
    error: String,
    /// Retrying cannot help (the address is refused).
    permanent: bool,
}

impl Failure {
    fn before_sending(error: String, permanent: bool) -> Failure {
        Failure {
            response_code: None,
            latency_ms: None,
            error,
            permanent,
        }
    }
}

pub async fn run(ctx: &JobContext, job: &Job) -> Result<(), JobError> {
    let DeliverJob { delivery_id } = payload(job)?;
    // Gone with its subscription (deleted): nothing to send.
    let Some(delivery) = webhook_deliveries::Entity::find_by_id(delivery_id)
        .one(&ctx.db)
        .await?
    else {
        return Ok(());
    };
    let Some(subscription) = webhook_subscriptions::Entity::find_by_id(delivery.subscription_id)
        .one(&ctx.db)
        .await?
    else {
        return Ok(());
    };
    if !subscription.active {
        deliveries::record_attempt(
            &ctx.db,
            delivery.id,
            Attempt {
                status: DeliveryStatus::Failed,
                response_code: None,
                latency_ms: None,
                error: Some("not sent: the subscription is disabled".to_owned()),
            },
        )
        .await?;
        return Ok(());
    }
    match send(ctx, &subscription, &delivery).await {
        Ok((code, latency_ms)) => {
            deliveries::record_attempt(
                &ctx.db,
                delivery.id,
                Attempt {
                    status: DeliveryStatus::Delivered,
                    response_code: Some(code),
                    latency_ms: Some(latency_ms),
                    error: None,
                },
            )
            .await?;
            subscriptions::record_success(&ctx.db, subscription.id).await?;
            Ok(())
        }
        Err(failure) => {
            let last = failure.permanent || job.attempts >= job.max_attempts;
            deliveries::record_attempt(
                &ctx.db,
                delivery.id,
                Attempt {
                    status: if last {
                        DeliveryStatus::Failed
                    } else {
                        DeliveryStatus::Pending
                    },
                    response_code: failure.response_code,
                    latency_ms: failure.latency_ms,
                    error: Some(failure.error.clone()),
                },
            )
            .await?;
            if last {
                // The count, the disabling and the owner's notification together.
                let txn = ctx.db.begin().await?;
                subscriptions::record_failure(
                    &txn,
                    subscription.id,
                    ctx.settings.webhook_disable_after,
                )
                .await?;
                txn.commit().await?;
            }
            Err(JobError {
                message: failure.error,
                permanent: failure.permanent,
            })
        }
    }
}

/// Posts the body; the answer's status and the time it took, or why it failed.
async fn send(
    ctx: &JobContext,
    subscription: &webhook_subscriptions::Model,
    delivery: &webhook_deliveries::Model,
) -> Result<(i32, i64), Failure> {
    let url = guard::parse(&subscription.url)
        .map_err(|r| Failure::before_sending(format!("the URL {r}"), true))?;
    let target = guard::resolve(&url, ctx.settings.webhook_allow_private)
        .await
        .map_err(|e| match e {
            Resolve::Refused(r) => Failure::before_sending(format!("refused: the URL {r}"), true),
            Resolve::Failed(message) => Failure::before_sending(message, false),
        })?;
    // Connect only to the addresses just checked; follow no redirect (it could lead anywhere);
    // no proxy (it would resolve the host again, unchecked).
    let mut client = reqwest::Client::builder()
        .redirect(Policy::none())
        .no_proxy()
        .timeout(Duration::from_secs(ctx.settings.webhook_timeout_secs));
    if let Some((host, addrs)) = &target.pinned {
        client = client.resolve_to_addrs(host, addrs);
    }
    let client = client
        .build()
        .map_err(|e| Failure::before_sending(format!("HTTP client: {}", e.without_url()), false))?;
    let timestamp = Utc::now().timestamp();
    let started = Instant::now();
    let sent = client
        .post(target.url)
        .header(CONTENT_TYPE, "application/json")
        .header(
            USER_AGENT,
            concat!("Kedao-Webhooks/", env!("CARGO_PKG_VERSION")),
        )
        .header(
            signature::HEADER,
            signature::header_value(&subscription.secret, timestamp, delivery.payload.as_bytes()),
        )
        .header("Kedao-Event", &delivery.event_type)
        .header("Kedao-Delivery", delivery.id.to_string())
        .body(delivery.payload.clone())
        .send()
        .await;
    let latency_ms = i64::try_from(started.elapsed().as_millis()).unwrap_or(i64::MAX);
    match sent {
        Ok(response) if response.status().is_success() => {
            Ok((i32::from(response.status().as_u16()), latency_ms))
        }
        Ok(response) => Err(Failure {
            response_code: Some(i32::from(response.status().as_u16())),
            latency_ms: Some(latency_ms),
            error: format!("the receiver answered {}", response.status()),
            permanent: false,
        }),
        Err(e) => Err(Failure {
            response_code: None,
            latency_ms: Some(latency_ms),
            // Without the URL: its query string may hold the receiver's own token.
            error: if e.is_timeout() {
                format!("no answer within {} s", ctx.settings.webhook_timeout_secs)
            } else {
                format!("sending failed: {}", e.without_url())
            },
            permanent: false,
        }),
    }
}
