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

pub mod access_log;
pub mod cli;
pub mod encoding;
pub mod engine;
pub mod experiment;
pub mod import;
pub mod model;
pub mod recorder;
pub mod report;
pub mod scenario;

pub use model::world::run::{PROGRESS_EVERY, Progress, RunError, RunOptions};
pub use recorder::{RunEnd, RunResult};
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
