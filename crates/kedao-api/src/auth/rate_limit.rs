//! Per-token request limits for integration API tokens: at most N requests per token per
//! minute (`KEDAO_TOKEN_RATE_LIMIT_PER_MINUTE`); beyond that 429 with `Retry-After`.
//!
//! The counts are kept in this server process's memory, not in the database: counting in the
//! database would add a write to every request, which is what the limit protects against.
//! Several replicas behind a load balancer therefore each enforce the limit on the requests
//! they see, so a token may get up to N per replica per minute. Staff sessions are not limited
//! here (sign-in has its own throttle).

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use uuid::Uuid;

const WINDOW: Duration = Duration::from_secs(60);

/// Tokens tracked before windows that have ended are swept out.
const SWEEP_AT: usize = 10_000;

/// Fixed one-minute windows per token id, starting at the token's first request in each.
pub struct RateLimiter {
    per_minute: u32,
    windows: Mutex<HashMap<Uuid, (Instant, u32)>>,
}

impl RateLimiter {
    pub fn new(per_minute: u32) -> RateLimiter {
        RateLimiter {
            per_minute,
            windows: Mutex::new(HashMap::new()),
        }
    }

    /// Counts a request of token `id`; `Err(seconds)` when it is over the limit, with the
    /// whole seconds until its window ends (at least 1).
    pub fn check(&self, id: Uuid) -> Result<(), u64> {
        self.check_at(id, Instant::now())
    }

    fn check_at(&self, id: Uuid, now: Instant) -> Result<(), u64> {
        // A poisoned lock only means another request panicked while counting: the counts are
        // still usable.
        let mut windows = self
            .windows
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if windows.len() >= SWEEP_AT {
            windows.retain(|_, (start, _)| now.duration_since(*start) < WINDOW);
        }
        let (start, count) = windows.entry(id).or_insert((now, 0));
        if now.duration_since(*start) >= WINDOW {
            *start = now;
            *count = 0;
        }
        if *count >= self.per_minute {
            let left = WINDOW.saturating_sub(now.duration_since(*start));
            let rounded_up = left.as_secs() + u64::from(left.subsec_nanos() > 0);
            return Err(rounded_up.max(1));
        }
        *count += 1;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_limit_holds_within_a_window_and_resets_after_it() {
        let limiter = RateLimiter::new(3);
        let (a, b) = (Uuid::now_v7(), Uuid::now_v7());
        let t0 = Instant::now();
        for _ in 0..3 {
            assert_eq!(limiter.check_at(a, t0), Ok(()));
        }
        let retry = limiter
            .check_at(a, t0 + Duration::from_millis(10_500))
            .unwrap_err();
        assert_eq!(retry, 50, "49.5 s left rounds up");
        assert_eq!(limiter.check_at(b, t0), Ok(()), "tokens count apart");
        assert_eq!(limiter.check_at(a, t0 + WINDOW), Ok(()));
    }

    #[test]
    fn retry_after_is_never_zero() {
        let limiter = RateLimiter::new(1);
        let id = Uuid::now_v7();
        let t0 = Instant::now();
        assert_eq!(limiter.check_at(id, t0), Ok(()));
        let almost = t0 + WINDOW - Duration::from_nanos(1);
        assert_eq!(limiter.check_at(id, almost), Err(1));
        assert_eq!(limiter.check_at(id, t0), Err(60));
    }
}
