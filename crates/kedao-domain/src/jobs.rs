//! Rules of the background job queue that need no I/O: how long a failed job waits before
//! its next attempt.

/// The longest wait between two attempts, in seconds (an hour).
pub const MAX_BACKOFF_SECS: u64 = 60 * 60;

/// Seconds to wait after the `attempt`-th failed attempt (1-based): 2^attempt, capped at
/// [`MAX_BACKOFF_SECS`], plus up to a quarter of it as jitter (`jitter_unit` in 0..1, drawn by
/// the caller) so that jobs failing together do not all come back at the same moment.
pub fn backoff_secs(attempt: u32, jitter_unit: f64) -> u64 {
    let base = 2_u64
        .checked_pow(attempt.min(32))
        .unwrap_or(MAX_BACKOFF_SECS)
        .min(MAX_BACKOFF_SECS);
    // Whole seconds of jitter: a scheduling delay, not an amount, so a float is fine here.
    let jitter = (base as f64 * 0.25 * jitter_unit.clamp(0.0, 1.0)) as u64;
    (base + jitter).min(MAX_BACKOFF_SECS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_then_stops_at_the_cap() {
        assert_eq!(backoff_secs(1, 0.0), 2);
        assert_eq!(backoff_secs(2, 0.0), 4);
        assert_eq!(backoff_secs(5, 0.0), 32);
        assert_eq!(backoff_secs(12, 0.0), MAX_BACKOFF_SECS);
        assert_eq!(backoff_secs(40, 1.0), MAX_BACKOFF_SECS);
    }

    #[test]
    fn jitter_adds_at_most_a_quarter() {
        assert_eq!(backoff_secs(4, 1.0), 20);
        assert!((16..=20).contains(&backoff_secs(4, 0.5)));
        assert_eq!(backoff_secs(4, 7.0), 20, "jitter is clamped");
    }
}
