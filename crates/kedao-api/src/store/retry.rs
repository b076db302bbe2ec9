//! Retrying a transaction that lost a race. Money changes lock their rows in one global order
//! (the account, then payments by id, then installments by id), which rules out most
//! deadlocks; what remains — a guarded update that found the row changed, or a deadlock or
//! serialization failure the database reports — is retried here on fresh rows, so the client
//! sees a 409 `concurrent-update` only when the race persists.

use crate::error::ApiError;

/// How many times a transaction is tried before the 409 goes back to the client.
const ATTEMPTS: usize = 8;

/// The code of a conflict that is about timing, not the request.
pub const RACE: &str = "concurrent-update";

/// A race lost inside a transaction: roll back and try again.
pub fn lost_race() -> ApiError {
    ApiError::conflict(
        RACE,
        "the records changed at the same moment; send the request again",
    )
}

fn is_race(e: &ApiError) -> bool {
    matches!(e, ApiError::Conflict { code, .. } if *code == RACE)
}

/// Runs `attempt` (a whole transaction) until it succeeds, fails for a reason other than a
/// race, or has lost the race `ATTEMPTS` times.
pub async fn retrying<T>(
    mut attempt: impl AsyncFnMut() -> Result<T, ApiError>,
) -> Result<T, ApiError> {
    let mut tries = 0;
    loop {
        tries += 1;
        match attempt().await {
            Err(e) if is_race(&e) && tries < ATTEMPTS => {
                // A short, growing pause lets the winner commit before the next try.
                tokio::time::sleep(std::time::Duration::from_millis(2 * tries as u64)).await;
            }
            other => return other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn races_are_retried_other_errors_are_not() {
        let mut calls = 0;
        let out = retrying(async || {
            calls += 1;
            if calls < 3 {
                Err(lost_race())
            } else {
                Ok(calls)
            }
        })
        .await;
        assert_eq!(out.unwrap(), 3);

        let mut calls = 0;
        let out: Result<(), _> = retrying(async || {
            calls += 1;
            Err(ApiError::NotFound("order"))
        })
        .await;
        assert!(matches!(out, Err(ApiError::NotFound(_))));
        assert_eq!(calls, 1);

        let mut calls = 0;
        let out: Result<(), _> = retrying(async || {
            calls += 1;
            Err(lost_race())
        })
        .await;
        assert!(matches!(out, Err(ApiError::Conflict { .. })));
        assert_eq!(calls, ATTEMPTS);
    }
}
