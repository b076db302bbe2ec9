//! When to refresh the session: the access token lives `expires_in` seconds (15 minutes by
//! default); it is renewed silently a minute before it ends, and a request about to be sent
//! with a token that is (nearly) spent refreshes first.

/// Renew this long before expiry.
pub const REFRESH_MARGIN_MS: f64 = 60_000.0;

/// The tokens of a signed-in session.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Tokens {
    pub access_token: String,
    pub refresh_token: String,
    /// Milliseconds since the epoch (the browser clock) when the access token ends.
    pub expires_at_ms: f64,
}

impl Tokens {
    pub fn new(
        access_token: String,
        refresh_token: String,
        now_ms: f64,
        expires_in_secs: u64,
    ) -> Tokens {
        Tokens {
            access_token,
            refresh_token,
            expires_at_ms: now_ms + expires_in_secs as f64 * 1000.0,
        }
    }

    /// Milliseconds to wait before the silent refresh: a minute before expiry, or halfway
    /// through a lifetime shorter than two minutes; never negative.
    pub fn refresh_delay_ms(&self, now_ms: f64) -> u32 {
        let left = self.expires_at_ms - now_ms;
        let delay = if left > 2.0 * REFRESH_MARGIN_MS {
            left - REFRESH_MARGIN_MS
        } else {
            left / 2.0
        };
        delay.clamp(0.0, f64::from(u32::MAX)) as u32
    }

    /// Whether a request should refresh before going out.
    pub fn is_nearly_spent(&self, now_ms: f64) -> bool {
        self.expires_at_ms - now_ms < 10_000.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refresh_a_minute_before_expiry() {
        let tokens = Tokens::new("a".into(), "r".into(), 1_000.0, 900);
        assert_eq!(tokens.refresh_delay_ms(1_000.0), 840_000);
        assert_eq!(tokens.refresh_delay_ms(1_000.0 + 840_000.0), 30_000);
        assert_eq!(tokens.refresh_delay_ms(10_000_000.0), 0);
    }

    #[test]
    fn short_lifetimes_refresh_halfway() {
        let tokens = Tokens::new("a".into(), "r".into(), 0.0, 60);
        assert_eq!(tokens.refresh_delay_ms(0.0), 30_000);
        assert!(!tokens.is_nearly_spent(0.0));
        assert!(tokens.is_nearly_spent(55_000.0));
    }
}
