//! The load generator: N tasks, each calling one operation in a loop for a fixed time, every
//! latency recorded (no sampling, no coordinated-omission correction: a closed loop).

use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// What one run measured.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    /// Latency of every successful call.
    pub latencies: Vec<Duration>,
    pub errors: u64,
    /// The first error, to show what went wrong.
    pub first_error: Option<String>,
    /// Wall time of the measured part.
    pub elapsed: Duration,
    pub concurrency: usize,
}

impl Outcome {
    fn merge(&mut self, other: Outcome) {
        self.latencies.extend(other.latencies);
        self.errors += other.errors;
        if self.first_error.is_none() {
            self.first_error = other.first_error;
        }
    }
}

/// A cheap per-call pseudo-random number (splitmix64), so operations can pick random ids
/// without sharing a generator between tasks.
pub fn mix(task: u64, call: u64) -> u64 {
    let mut z = task
        .wrapping_mul(0x9E37_79B9_7F4A_7C15)
        .wrapping_add(call)
        .wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Runs `op` from `concurrency` tasks for `warmup` (not recorded), then for `duration`.
/// `op` gets a pseudo-random number that differs per call.
pub async fn closed_loop<F, Fut>(
    concurrency: usize,
    warmup: Duration,
    duration: Duration,
    op: F,
) -> Outcome
where
    F: Fn(u64) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = anyhow::Result<()>> + Send + 'static,
{
    let op = Arc::new(op);
    if !warmup.is_zero() {
        let _ = run_tasks(concurrency, warmup, op.clone(), 1_000_000).await;
    }
    let started = Instant::now();
    let mut outcome = run_tasks(concurrency, duration, op, 0).await;
    outcome.elapsed = started.elapsed();
    outcome.concurrency = concurrency;
    outcome
}

async fn run_tasks<F, Fut>(concurrency: usize, duration: Duration, op: Arc<F>, salt: u64) -> Outcome
where
    F: Fn(u64) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = anyhow::Result<()>> + Send + 'static,
{
    let deadline = Instant::now() + duration;
    let mut tasks = Vec::with_capacity(concurrency);
    for task in 0..concurrency {
        let op = op.clone();
        let task = u64::try_from(task).unwrap_or(0) + salt;
        tasks.push(tokio::spawn(async move {
            let mut outcome = Outcome {
                latencies: Vec::with_capacity(4096),
                ..Outcome::default()
            };
            let mut call = 0_u64;
            while Instant::now() < deadline {
                let started = Instant::now();
                let result = op(mix(task, call)).await;
                let took = started.elapsed();
                call += 1;
                match result {
                    Ok(()) => outcome.latencies.push(took),
                    Err(e) => {
                        outcome.errors += 1;
                        if outcome.first_error.is_none() {
                            outcome.first_error = Some(format!("{e:#}"));
                        }
                    }
                }
            }
            outcome
        }));
    }
    let mut total = Outcome::default();
    for task in tasks {
        match task.await {
            Ok(outcome) => total.merge(outcome),
            Err(e) => {
                total.errors += 1;
                total
                    .first_error
                    .get_or_insert_with(|| format!("load task failed: {e}"));
            }
        }
    }
    total
}

/// Runs `op` `runs` times one after the other (after `warmup_runs` unrecorded calls).
pub async fn sequential<F, Fut>(warmup_runs: usize, runs: usize, op: F) -> Outcome
where
    F: Fn() -> Fut,
    Fut: Future<Output = anyhow::Result<()>>,
{
    for _ in 0..warmup_runs {
        let _ = op().await;
    }
    let mut outcome = Outcome {
        concurrency: 1,
        ..Outcome::default()
    };
    let started = Instant::now();
    for _ in 0..runs {
        let call = Instant::now();
        match op().await {
            Ok(()) => outcome.latencies.push(call.elapsed()),
            Err(e) => {
                outcome.errors += 1;
                outcome.first_error.get_or_insert_with(|| format!("{e:#}"));
            }
        }
    }
    outcome.elapsed = started.elapsed();
    outcome
}

/// Summary figures of an outcome.
#[derive(Debug, Clone, Copy)]
pub struct Figures {
    pub requests: u64,
    pub errors: u64,
    pub per_second: f64,
    pub p50: Duration,
    pub p99: Duration,
    pub max: Duration,
}

/// The nearest-rank percentile `p` (0–100) of sorted latencies.
fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = (p / 100.0 * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

impl Outcome {
    pub fn figures(&self) -> Figures {
        let mut sorted = self.latencies.clone();
        sorted.sort_unstable();
        let secs = self.elapsed.as_secs_f64();
        Figures {
            requests: sorted.len() as u64,
            errors: self.errors,
            per_second: if secs > 0.0 {
                sorted.len() as f64 / secs
            } else {
                0.0
            },
            p50: percentile(&sorted, 50.0),
            p99: percentile(&sorted, 99.0),
            max: sorted.last().copied().unwrap_or_default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_percentiles() {
        let ms: Vec<Duration> = (1..=100).map(Duration::from_millis).collect();
        assert_eq!(percentile(&ms, 50.0), Duration::from_millis(50));
        assert_eq!(percentile(&ms, 99.0), Duration::from_millis(99));
        assert_eq!(percentile(&ms[..1], 99.0), Duration::from_millis(1));
        assert_eq!(percentile(&[], 50.0), Duration::ZERO);
    }
}
