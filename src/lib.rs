//! # albsim — what will my ALB and Auto Scaling group do?
//!
//! A deterministic discrete-event simulator of an AWS Application Load Balancer in front of EC2
//! instances. You describe clients, listeners, rules, target groups and instances in a JSON model
//! (with AWS's own attribute names and defaults); albsim runs it and reports what CloudWatch would
//! have shown, per minute, plus latency percentiles, status codes and a timeline plot.
//!
//! ```text
//! models/*.json ──scenario::load──▶ Scenario (typed, defaults applied, ranges checked)
//!                                      │ model::world::World::new
//!                                      ▼
//!            World (entities in Vecs, typed ids) ◀──▶ engine (clock, event queue, RNG streams)
//!                                      │ observations (per event, no allocation)
//!                                      ▼
//!            recorder::Recorder (HDR histograms, one row per CloudWatch period)
//!                                      │ finish
//!                                      ▼
//!            RunResult ──report──▶ output/<name>/summary.json, timeseries.csv, timeline.svg
//! ```
//!
//! ```
//! let model = r#"{
//!   "name": "doc", "duration": "2m", "seed": 7,
//!   "clients": [{ "name": "c", "arrival": { "type": "poisson", "rate_per_second": 50 },
//!                 "requests": [{ "name": "r", "service_time": { "distribution": "exponential", "mean_ms": 10 } }] }],
//!   "load_balancer": { "name": "lb", "listeners": [{ "port": 80, "protocol": "HTTP",
//!                      "default_actions": [{ "type": "forward", "target_group": "tg" }] }] },
//!   "target_groups": [{ "name": "tg", "port": 80, "protocol": "HTTP", "targets": ["i-1"] }],
//!   "instances": [{ "id": "i-1", "instance_type": "c5.large", "availability_zone": "us-east-1a" }]
//! }"#;
//! let scenario = albsim::scenario::from_json(model, "doc.json".as_ref()).unwrap();
//! let result = albsim::run(&scenario);
//! assert_eq!(result.requests_total, result.responses() + result.in_flight_at_end());
//! assert!(result.by_status[&200] > 5000);
//! ```
//!
//! Modules, in the order data flows: [`scenario`] (model files), [`model`] (the AWS concepts and
//! the world), [`engine`] (time, queue, randomness), [`recorder`] (observations), [`report`]
//! (files and terminal output), [`cli`] (the `albsim` command).

#![warn(missing_docs, missing_debug_implementations)]

pub mod cli;
pub mod engine;
pub mod model;
pub mod recorder;
pub mod report;
pub mod scenario;

pub use recorder::RunResult;
pub use scenario::Scenario;

/// Runs a scenario to its end.
pub fn run(scenario: &Scenario) -> RunResult {
    model::world::World::new(scenario).run()
}

/// Runs a scenario with guards (`--max-events`, `--max-wall`) and a progress observer.
///
/// Fails when the model cannot be simulated correctly (see [`RunError`]); nothing is written then.
pub fn run_with(scenario: &Scenario, opts: &mut RunOptions<'_>) -> Result<RunResult, RunError> {
    model::world::World::new(scenario).run_with(opts)
}

/// Why a run could not give a correct result.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RunError {
    /// Simulated time stopped advancing: events kept happening at one instant.
    #[error("{message}")]
    Stalled {
        /// What kept the clock still, naming the client (or other component) in the model.
        message: String,
    },
}

/// How often (in events) [`run_with`] checks its guards and reports progress.
pub const PROGRESS_EVERY: u64 = 1 << 16;

/// Guards and an observer for one run; the default has none.
#[derive(Default)]
pub struct RunOptions<'a> {
    /// Stop after this many events (`--max-events`).
    pub max_events: Option<u64>,
    /// Stop after this much wall-clock time (`--max-wall`).
    pub max_wall: Option<std::time::Duration>,
    /// Called every [`PROGRESS_EVERY`] events with where the run stands.
    pub progress: Option<&'a mut dyn FnMut(&Progress)>,
}

impl std::fmt::Debug for RunOptions<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RunOptions")
            .field("max_events", &self.max_events)
            .field("max_wall", &self.max_wall)
            .field("progress", &self.progress.is_some())
            .finish()
    }
}

/// Where a run stands, for a progress display.
#[derive(Clone, Copy, Debug)]
pub struct Progress {
    /// Simulated time reached.
    pub now: engine::SimTime,
    /// Simulated time at which the run ends.
    pub end: engine::SimTime,
    /// Events processed so far.
    pub events: u64,
    /// Wall-clock time since the run started.
    pub wall: std::time::Duration,
}

/// How a run ended.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RunEnd {
    /// It reached the model's `duration`.
    #[default]
    Completed,
    /// `--max-events` stopped it: the results cover only the time reached.
    MaxEvents,
    /// `--max-wall` stopped it: the results cover only the time reached.
    MaxWall,
}
