//! Client retries: how a client that got an error (or gave up waiting) tries again, as the AWS
//! SDKs' `standard` retry mode and load generators do.
//!
//! - **Attempts**: `max_attempts` counts the first try (the SDKs' `max_attempts`, default 3).
//! - **Backoff** before retry *n* (1 for the first retry), with `base` and `max` (`cap`), from AWS's
//!   "Exponential Backoff And Jitter" (the formulas of the SDKs and of AWS's own simulator):
//!   - exponential: `v = min(cap, base · 2^(n−1))`; constant: `v = min(cap, base)`;
//!   - jitter `none`: `v`; `full`: `U(0, v)` (the SDKs' choice); `equal`: `v/2 + U(0, v/2)`;
//!     `decorrelated`: `min(cap, U(base, 3 · previous))`, the previous delay starting at `base`.
//! - **Retry quota** (the SDKs' token bucket, per client): it starts full; a retry takes
//!   `retry_cost` tokens (`timeout_cost` after a timeout) and is not made if fewer are left; a
//!   request that succeeds gives back what its last retry took, or `success_increment` if it needed
//!   none, up to the initial amount.

use crate::engine::{RngStream, SimDuration};

/// How the delay grows from one retry to the next.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BackoffKind {
    /// `base · 2^(n−1)`, capped at `max`.
    Exponential,
    /// `base` every time.
    Constant,
}

/// How the delay is randomised.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Jitter {
    /// No randomness: every client waits exactly the same (the thundering herd).
    None,
    /// Uniform between 0 and the delay (the AWS SDKs' choice).
    Full,
    /// Half the delay, plus uniform up to the other half.
    Equal,
    /// Uniform between `base` and three times the previous delay, capped.
    Decorrelated,
}

/// The SDK retry quota (token bucket) of a client.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct QuotaSpec {
    /// Tokens at the start, and the most the bucket holds (SDK: 500).
    pub initial_tokens: u32,
    /// Tokens a retry after an error status takes (SDK: 5).
    pub retry_cost: u32,
    /// Tokens a retry after a timeout takes (SDK: 10).
    pub timeout_cost: u32,
    /// Tokens a request that succeeded at its first attempt gives back (SDK: 1).
    pub success_increment: u32,
}

/// A client's retry settings (`clients[i].retry`).
#[derive(Clone, Debug, PartialEq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included (1–10).
    pub max_attempts: u8,
    /// Exponential or constant.
    pub kind: BackoffKind,
    /// First delay (exponential) or every delay (constant), before jitter.
    pub base: SimDuration,
    /// Longest delay.
    pub max: SimDuration,
    /// Randomisation of the delay.
    pub jitter: Jitter,
    /// Status codes that are retried (sorted).
    pub on_status: Vec<u16>,
    /// Whether a request the client gave up on (its `timeout`) is retried.
    pub on_timeout: bool,
    /// The retry quota, or `None` for unlimited retries.
    pub quota: Option<QuotaSpec>,
}

impl RetryPolicy {
    /// Whether an answer `status` (460: the client gave up) calls for a retry.
    pub fn retries(&self, status: u16) -> bool {
        if status == CLIENT_GAVE_UP {
            self.on_timeout
        } else {
            self.on_status.binary_search(&status).is_ok()
        }
    }

    /// The delay before retry `n` (1 for the first retry), given the previous delay (`base` before
    /// the first), drawing from `rng` only if the jitter is random.
    pub fn delay(&self, n: u8, previous: SimDuration, rng: &mut RngStream) -> SimDuration {
        let (base, cap) = (self.base.0 as f64, self.max.0 as f64);
        let v = match self.kind {
            BackoffKind::Constant => base.min(cap),
            BackoffKind::Exponential => (base * 2f64.powi(i32::from(n) - 1)).min(cap),
        };
        let ns = match self.jitter {
            Jitter::None => v,
            Jitter::Full => rng.uniform() * v,
            Jitter::Equal => v / 2.0 + rng.uniform() * v / 2.0,
            Jitter::Decorrelated => {
                let hi = (previous.0 as f64 * 3.0).max(base);
                (base + rng.uniform() * (hi - base)).min(cap)
            }
        };
        SimDuration::from_nanos_f64(ns)
    }
}

/// The status the ALB logs when the client closed the connection before the answer came
/// (`460`); albsim's clients do so when a request's `timeout` passes.
pub const CLIENT_GAVE_UP: u16 = 460;

/// A client's retry quota during a run.
#[derive(Clone, Copy, Debug)]
pub struct Quota {
    spec: QuotaSpec,
    tokens: u32,
}

impl Quota {
    /// A full bucket.
    pub fn new(spec: QuotaSpec) -> Quota {
        Quota {
            spec,
            tokens: spec.initial_tokens,
        }
    }

    /// Takes the cost of a retry after `status`, if the bucket holds it: the tokens taken, or
    /// `None` (no retry).
    pub fn acquire(&mut self, status: u16) -> Option<u32> {
        let cost = if status == CLIENT_GAVE_UP {
            self.spec.timeout_cost
        } else {
            self.spec.retry_cost
        };
        (self.tokens >= cost).then(|| {
            self.tokens -= cost;
            cost
        })
    }

    /// A request succeeded; `last_cost` is what its last retry took (0: it needed none).
    pub fn succeeded(&mut self, last_cost: u32) {
        let back = if last_cost == 0 {
            self.spec.success_increment
        } else {
            last_cost
        };
        self.tokens = (self.tokens + back).min(self.spec.initial_tokens);
    }

    /// Tokens left.
    pub fn tokens(&self) -> u32 {
        self.tokens
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(kind: BackoffKind, jitter: Jitter) -> RetryPolicy {
        RetryPolicy {
            max_attempts: 5,
            kind,
            base: SimDuration::from_millis(100),
            max: SimDuration::from_secs(1),
            jitter,
            on_status: vec![500, 502, 503, 504],
            on_timeout: true,
            quota: None,
        }
    }

    #[test]
    fn exponential_without_jitter_doubles_up_to_the_cap() {
        let p = policy(BackoffKind::Exponential, Jitter::None);
        let mut rng = RngStream::derive(1, "t");
        let ms: Vec<u64> = (1..=6)
            .map(|n| p.delay(n, SimDuration::ZERO, &mut rng).0 / 1_000_000)
            .collect();
        assert_eq!(ms, [100, 200, 400, 800, 1000, 1000]);
        let c = policy(BackoffKind::Constant, Jitter::None);
        assert_eq!(c.delay(4, SimDuration::ZERO, &mut rng), p.base);
    }

    #[test]
    fn jittered_delays_stay_within_their_formulas_bounds_and_average_as_the_uniform_does() {
        let n = 20_000;
        for (jitter, lo, hi) in [(Jitter::Full, 0.0, 400.0), (Jitter::Equal, 200.0, 400.0)] {
            let p = policy(BackoffKind::Exponential, jitter);
            let mut rng = RngStream::derive(7, "t");
            let draws: Vec<f64> = (0..n)
                .map(|_| p.delay(3, SimDuration::ZERO, &mut rng).0 as f64 / 1e6)
                .collect();
            assert!(draws.iter().all(|&d| (lo..=hi).contains(&d)), "{jitter:?}");
            // The mean of U(lo, hi): within 4 standard errors (sd = (hi − lo)/√12).
            let mean = draws.iter().sum::<f64>() / n as f64;
            let se = (hi - lo) / 12f64.sqrt() / (n as f64).sqrt();
            assert!(
                (mean - (lo + hi) / 2.0).abs() < 4.0 * se,
                "{jitter:?} {mean}"
            );
        }
    }

    #[test]
    fn decorrelated_jitter_draws_between_base_and_three_times_the_previous_delay() {
        let p = policy(BackoffKind::Exponential, Jitter::Decorrelated);
        let mut rng = RngStream::derive(3, "t");
        let mut prev = p.base;
        for n in 1..=50 {
            let d = p.delay(n, prev, &mut rng);
            let hi = SimDuration((prev.0 * 3).min(p.max.0));
            assert!(d >= p.base && d <= hi.max(p.base), "{d:?} after {prev:?}");
            prev = d;
        }
    }

    #[test]
    fn the_quota_charges_timeouts_more_refunds_on_success_and_never_overfills() {
        let spec = QuotaSpec {
            initial_tokens: 20,
            retry_cost: 5,
            timeout_cost: 10,
            success_increment: 1,
        };
        let mut q = Quota::new(spec);
        assert_eq!(q.acquire(503), Some(5));
        assert_eq!(q.acquire(CLIENT_GAVE_UP), Some(10));
        assert_eq!(q.tokens(), 5);
        assert_eq!(q.acquire(CLIENT_GAVE_UP), None, "10 needed, 5 left");
        assert_eq!(q.acquire(503), Some(5));
        assert_eq!(q.acquire(503), None, "empty: no retry");
        q.succeeded(10);
        q.succeeded(0);
        assert_eq!(q.tokens(), 11);
        for _ in 0..100 {
            q.succeeded(0);
        }
        assert_eq!(q.tokens(), 20, "capped at the initial tokens");
    }

    #[test]
    fn which_answers_are_retried() {
        let mut p = policy(BackoffKind::Constant, Jitter::None);
        assert!(p.retries(503) && p.retries(CLIENT_GAVE_UP));
        assert!(!p.retries(200) && !p.retries(404) && !p.retries(501));
        p.on_timeout = false;
        assert!(!p.retries(CLIENT_GAVE_UP));
    }
}
