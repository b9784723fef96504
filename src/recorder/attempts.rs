//! What end users saw, for clients that give up on slow answers or retry errors: one end-user
//! request may take several requests to the ALB (each counted in `RequestCount`), and its
//! latency runs from the first attempt to the last answer, backoff delays included.

use super::latency::LatencyHistogram;
use super::result::LatencySummary;
use crate::engine::SimDuration;
use serde::Serialize;

/// One client's end-user requests (`summary.json` `clients.<name>`).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ClientResult {
    /// Client name.
    pub name: String,
    /// End-user requests whose last answer came within the run.
    pub requests: u64,
    /// Of them, answered with a status below 400 in the end.
    pub succeeded: u64,
    /// Of them, answered with an error in the end (after the retries they were allowed).
    pub failed: u64,
    /// Requests sent to the ALB: first attempts, retries and redirects' follow-ups.
    pub attempts: u64,
    /// Retries sent (new requests to the ALB).
    pub retries: u64,
    /// Share of the client's requests to the ALB that were retries (0 without any).
    pub retry_share: f64,
    /// Attempts the client gave up on at its `timeout` (the ALB logs 460).
    pub timeouts: u64,
    /// Retries not made because the retry quota was empty.
    pub quota_refused: u64,
    /// Retries not made because the run ended during their backoff.
    pub retries_after_end: u64,
    /// End-user latency \[ms\]: first attempt sent → last answer; `None` if none finished.
    pub latency_ms: Option<LatencySummary>,
}

/// One client's values in one period (`timeseries.csv`: `Retries:<client>`,
/// `ClientTimeouts:<client>`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct ClientPeriod {
    /// Retries sent in the period.
    pub retries: u64,
    /// Attempts given up on in the period.
    pub timeouts: u64,
}

#[derive(Debug)]
struct Tracked {
    name: String,
    requests: u64,
    succeeded: u64,
    attempts: u64,
    retries: u64,
    timeouts: u64,
    quota_refused: u64,
    retries_after_end: u64,
    latency: LatencyHistogram,
    period: ClientPeriod,
}

/// The end-user counters of the tracked clients, indexed by client.
#[derive(Debug, Default)]
pub struct Attempts {
    /// Per client of the model: its index in `tracked`, or `None`.
    index: Vec<Option<usize>>,
    tracked: Vec<Tracked>,
}

impl Attempts {
    /// Follows the clients whose `tracked` flag is set (`(name, tracked)` in model order).
    pub fn new<'a>(clients: impl Iterator<Item = (&'a str, bool)>) -> Attempts {
        let mut a = Attempts::default();
        for (name, tracked) in clients {
            a.index.push(tracked.then_some(a.tracked.len()));
            if tracked {
                a.tracked.push(Tracked {
                    name: name.to_string(),
                    requests: 0,
                    succeeded: 0,
                    attempts: 0,
                    retries: 0,
                    timeouts: 0,
                    quota_refused: 0,
                    retries_after_end: 0,
                    latency: LatencyHistogram::new(),
                    period: ClientPeriod::default(),
                });
            }
        }
        a
    }

    fn of(&mut self, client: usize) -> &mut Tracked {
        let k = self.index[client].expect("only tracked clients are counted");
        &mut self.tracked[k]
    }

    /// Client `client` sent a request to the ALB (a first attempt, a retry or a redirect's
    /// follow-up).
    pub fn sent(&mut self, client: usize) {
        self.of(client).attempts += 1;
    }

    /// Client `client` sent a retry (counted by [`sent`](Self::sent) too).
    pub fn retried(&mut self, client: usize) {
        let t = self.of(client);
        t.retries += 1;
        t.period.retries += 1;
    }

    /// Client `client` gave up on an attempt.
    pub fn gave_up(&mut self, client: usize) {
        let t = self.of(client);
        t.timeouts += 1;
        t.period.timeouts += 1;
    }

    /// A retry was not made: the quota was empty (`quota`) or the run ends first.
    pub fn not_retried(&mut self, client: usize, quota: bool) {
        let t = self.of(client);
        if quota {
            t.quota_refused += 1;
        } else {
            t.retries_after_end += 1;
        }
    }

    /// An end-user request got its last answer, `latency` after its first attempt.
    pub fn finished(&mut self, client: usize, latency: SimDuration, succeeded: bool) {
        let t = self.of(client);
        t.requests += 1;
        t.succeeded += u64::from(succeeded);
        t.latency.record(latency);
    }

    /// The tracked clients' period values, reset for the next period.
    pub fn close_period(&mut self) -> Vec<ClientPeriod> {
        (self.tracked.iter_mut())
            .map(|t| std::mem::take(&mut t.period))
            .collect()
    }

    /// The tracked clients' names, in model order (the order of period values).
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.tracked.iter().map(|t| t.name.as_str())
    }

    /// The tracked clients' results.
    pub fn finish(self) -> Vec<ClientResult> {
        (self.tracked.into_iter())
            .map(|t| ClientResult {
                retry_share: if t.attempts == 0 {
                    0.0
                } else {
                    t.retries as f64 / t.attempts as f64
                },
                failed: t.requests - t.succeeded,
                latency_ms: t.latency.summary(),
                name: t.name,
                requests: t.requests,
                succeeded: t.succeeded,
                attempts: t.attempts,
                retries: t.retries,
                timeouts: t.timeouts,
                quota_refused: t.quota_refused,
                retries_after_end: t.retries_after_end,
            })
            .collect()
    }
}
