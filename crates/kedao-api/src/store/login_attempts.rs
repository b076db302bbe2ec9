//! Sign-in throttling: after too many failed sign-ins for one e-mail address, or from one
//! client address, within a window, further attempts are refused with 429 until the window
//! has moved past enough of them — even with the right password.
//!
//! The counts live in the database (several stateless replicas share it). An attempt writes
//! its rows (one for the account, one for the client address) *before* the password is
//! checked, and then counts the other rows of each key in the window. Counting first and
//! writing after the slow password check would let a burst of parallel guesses all pass the
//! count; this way concurrent attempts see each other, and a burst can at worst refuse a few
//! too many, never let more through. When the outcome is known the rows are settled: kept as
//! failures, or removed.
//!
//! Unknown e-mail addresses are counted exactly like known ones, so the throttle does not tell
//! which accounts exist. Refused attempts are not counted, so hammering a locked account does
//! not keep it locked once the window has passed.

use std::net::{IpAddr, Ipv6Addr};

use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::error::ApiError;
use crate::store::entities::login_attempts::{self, Column, Entity};
use crate::store::{new_id, now};

const ACCOUNT: &str = "account";
const ADDRESS: &str = "address";

/// How failed sign-ins are throttled (from the settings).
#[derive(Debug, Clone, Copy)]
pub struct LoginThrottle {
    /// Failures for one e-mail address within the window before it is refused.
    pub max_per_account: u32,
    /// Failures from one client address within the window before it is refused.
    pub max_per_address: u32,
    pub window_secs: u64,
}

/// A sign-in attempt the throttle let through; its rows wait for the outcome.
#[must_use = "settle the attempt: succeeded, failed or abandoned"]
pub struct Attempt {
    account_key: String,
    rows: Vec<Uuid>,
    window: Duration,
}

/// Records an attempt for `email` from `client` and checks both limits. Refused with
/// `TooManyAttempts` (nothing recorded) when either key already has its limit of attempts in
/// the window; `Retry-After` is when the older of them leave it.
///
/// `client` is the TCP peer's address, never `X-Forwarded-For`: with no trusted proxy in front
/// that header is whatever the caller wants, and would let one client pose as many addresses.
pub async fn begin<C: ConnectionTrait>(
    db: &C,
    throttle: &LoginThrottle,
    email: &str,
    client: Option<IpAddr>,
) -> Result<Attempt, ApiError> {
    let at = now();
    let window_secs = i64::try_from(throttle.window_secs).map_err(anyhow::Error::from)?;
    let window = Duration::seconds(window_secs);
    let account_key = account_key(email);
    let address = client.map_or_else(|| "unknown".to_owned(), |ip| ip.to_canonical().to_string());
    let mut keys = vec![(ACCOUNT, account_key.clone(), throttle.max_per_account)];
    // Without a peer address (not a TCP connection) there is no address to count.
    if let Some(ip) = client {
        keys.push((ADDRESS, network(ip), throttle.max_per_address));
    }
    let rows: Vec<(Uuid, login_attempts::ActiveModel)> = keys
        .iter()
        .map(|(kind, key, _)| {
            let id = new_id();
            let row = login_attempts::ActiveModel {
                id: Set(id),
                kind: Set((*kind).to_owned()),
                key: Set(key.clone()),
                address: Set(address.clone()),
                attempted_at: Set(at),
            };
            (id, row)
        })
        .collect();
    let ids: Vec<Uuid> = rows.iter().map(|(id, _)| *id).collect();
    Entity::insert_many(rows.into_iter().map(|(_, row)| row))
        .exec(db)
        .await?;
    let attempt = Attempt {
        account_key,
        rows: ids,
        window,
    };

    let mut free_at: Option<DateTime<Utc>> = None;
    for ((kind, key, max), own) in keys.iter().zip(&attempt.rows) {
        if let Some(until) = blocked_until(db, kind, key, *own, *max, at - window).await? {
            free_at = free_at.max(Some(until + window));
        }
    }
    match free_at {
        None => Ok(attempt),
        Some(free_at) => {
            attempt.release(db).await;
            tracing::warn!(address = %address, "sign-in refused: too many failed attempts");
            Err(ApiError::TooManyAttempts {
                retry_after_secs: whole_seconds(free_at - at),
            })
        }
    }
}

impl Attempt {
    /// The password was right: the account's failures are forgiven, and this attempt was no
    /// failure of its address either.
    pub async fn succeeded<C: ConnectionTrait>(self, db: &C) {
        let forgiven = Entity::delete_many()
            .filter(
                Condition::any()
                    .add(
                        Condition::all()
                            .add(Column::Kind.eq(ACCOUNT))
                            .add(Column::Key.eq(self.account_key.as_str())),
                    )
                    .add(Column::Id.is_in(self.rows.clone())),
            )
            .exec(db)
            .await;
        // The sign-in itself is sound; a count left standing only makes a later lock sooner.
        if let Err(e) = forgiven {
            tracing::warn!(error = %e, "clearing the failed sign-ins of an account failed");
        }
    }

    /// Wrong e-mail address or password: the rows stay as failures. Rows that have left the
    /// window are pruned on the way, so the table holds about one window of failures.
    pub async fn failed<C: ConnectionTrait>(self, db: &C) {
        let pruned = Entity::delete_many()
            .filter(Column::AttemptedAt.lte(now() - self.window))
            .exec(db)
            .await;
        if let Err(e) = pruned {
            tracing::warn!(error = %e, "pruning old sign-in attempts failed");
        }
    }

    /// Something broke before the password was judged: the attempt is held against no one.
    pub async fn abandoned<C: ConnectionTrait>(self, db: &C) {
        self.release(db).await;
    }

    async fn release<C: ConnectionTrait>(&self, db: &C) {
        let released = Entity::delete_many()
            .filter(Column::Id.is_in(self.rows.clone()))
            .exec(db)
            .await;
        // Left in place, the rows count as failures until the window passes: tolerable.
        if let Err(e) = released {
            tracing::warn!(error = %e, "removing a sign-in attempt failed");
        }
    }
}

/// When the key, already at its limit of other attempts since `since`, falls below it again:
/// when the oldest of its newest `max` attempts leaves the window (`None`: not at the limit).
async fn blocked_until<C: ConnectionTrait>(
    db: &C,
    kind: &str,
    key: &str,
    own: Uuid,
    max: u32,
    since: DateTime<Utc>,
) -> Result<Option<DateTime<Utc>>, ApiError> {
    let newest: Vec<DateTime<Utc>> = Entity::find()
        .select_only()
        .column(Column::AttemptedAt)
        .filter(Column::Kind.eq(kind))
        .filter(Column::Key.eq(key))
        .filter(Column::AttemptedAt.gt(since))
        .filter(Column::Id.ne(own))
        .order_by_desc(Column::AttemptedAt)
        .limit(u64::from(max))
        .into_tuple()
        .all(db)
        .await?;
    let at_limit = usize::try_from(max).is_ok_and(|max| newest.len() >= max);
    Ok(newest.last().copied().filter(|_| at_limit))
}

/// The account's key: the SHA-256 of the normalized e-mail address, so the table is no list
/// of addresses.
fn account_key(email: &str) -> String {
    hex::encode(Sha256::digest(email.trim().to_lowercase().as_bytes()))
}

/// The unit an address limit counts: an IPv4 address, or an IPv6 client's /64 (a subscriber
/// usually holds a whole /64, and could otherwise rotate through it).
fn network(ip: IpAddr) -> String {
    match ip.to_canonical() {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => {
            let [a, b, c, d, ..] = v6.segments();
            format!("{}/64", Ipv6Addr::new(a, b, c, d, 0, 0, 0, 0))
        }
    }
}

/// A wait in whole seconds for `Retry-After`, rounded up (never 0: the limit still holds now).
fn whole_seconds(wait: Duration) -> u64 {
    let micros = u64::try_from(wait.num_microseconds().unwrap_or(i64::MAX)).unwrap_or(0);
    micros.div_ceil(1_000_000).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn account_keys_ignore_case_and_spaces_and_hide_the_address() {
        let key = account_key(" Zhou.Jie@Example.CN ");
        assert_eq!(key, account_key("zhou.jie@example.cn"));
        assert_eq!(key.len(), 64);
        assert!(!key.contains("example"));
    }

    #[test]
    fn ipv6_clients_are_counted_by_their_slash_64() {
        let a: IpAddr = "2001:db8:1:2:aaaa::1".parse().unwrap();
        let b: IpAddr = "2001:db8:1:2:bbbb::9".parse().unwrap();
        let other: IpAddr = "2001:db8:1:3::1".parse().unwrap();
        assert_eq!(network(a), "2001:db8:1:2::/64");
        assert_eq!(network(a), network(b));
        assert_ne!(network(a), network(other));
        assert_eq!(network("203.0.113.7".parse().unwrap()), "203.0.113.7");
        // An IPv4 client seen through an IPv6 socket is the same client.
        assert_eq!(
            network("::ffff:203.0.113.7".parse().unwrap()),
            "203.0.113.7"
        );
    }

    #[test]
    fn retry_after_rounds_up_to_a_whole_second() {
        assert_eq!(whole_seconds(Duration::milliseconds(1)), 1);
        assert_eq!(whole_seconds(Duration::zero()), 1);
        assert_eq!(whole_seconds(Duration::seconds(-3)), 1);
        assert_eq!(whole_seconds(Duration::milliseconds(899_001)), 900);
        assert_eq!(whole_seconds(Duration::seconds(900)), 900);
    }
}
