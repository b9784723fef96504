//! Property tests on random valid models (tests/it/model_gen.rs, `Mode::Valid`): the loader
//! accepts them; requests received = answered + in flight; per-status counts sum to the total;
//! CloudWatch per-period counts (timeseries.csv `RequestCount`, `HTTPCode_*`) sum to the totals of
//! summary.json; every Auto Scaling group's capacity stays within [MinSize, MaxSize] in every
//! period; the same seed gives byte-identical summary.json (wall time aside), timeseries.csv,
//! activity.log and timeline.svg. `ALBSIM_GEN_CASES=N` raises the number of cases.

use crate::hostile_models::{cases, runner};
use crate::invariants;
use crate::model_gen::{Mode, model};
use albsim::engine::SimDuration;
use albsim::{RunOptions, RunResult};
use proptest::test_runner::TestCaseError;
use serde_json::Value;
use std::path::Path;

/// Cases per property in `cargo test` (well under a second each in release).
const DEFAULT_CASES: u32 = 128;

/// A bound on each run's events (valid models are short: this is only a guard).
const MAX_EVENTS: u64 = 2_000_000;

fn load(text: &str) -> Result<albsim::Scenario, TestCaseError> {
    albsim::scenario::from_json(text, Path::new("valid.json"))
        .map_err(|e| TestCaseError::fail(format!("a valid model was rejected: {e}\nmodel: {text}")))
}

fn run(sc: &albsim::Scenario) -> Result<RunResult, TestCaseError> {
    let mut opts = RunOptions {
        max_events: Some(MAX_EVENTS),
        ..RunOptions::default()
    };
    albsim::run_with(sc, &mut opts).map_err(|e| TestCaseError::fail(format!("run failed: {e}")))
}

fn property(name: &str, check: impl Fn(&str) -> Result<(), TestCaseError>) {
    let mut runner = runner(cases(DEFAULT_CASES));
    if let Err(e) = runner.run(&model(Mode::Valid), |m: Value| {
        let text = m.to_string();
        check(&text).map_err(|e| TestCaseError::fail(format!("{e}\nmodel: {text}")))
    }) {
        panic!("{name}: {e}");
    }
}

#[test]
fn counts_add_up_on_random_valid_models() {
    property("counts add up", |text| {
        let r = run(&load(text)?)?;
        let answered: u64 = r.by_status.values().sum();
        if answered > r.requests_total {
            return Err(TestCaseError::fail(format!(
                "{answered} answered of {} received",
                r.requests_total
            )));
        }
        if answered + r.in_flight_at_end() != r.requests_total {
            return Err(TestCaseError::fail("answered + in flight != received"));
        }
        invariants::check_all(&r).map_err(TestCaseError::fail)
    });
}

#[test]
fn capacity_stays_within_min_and_max_size() {
    property("capacity within [MinSize, MaxSize]", |text| {
        let sc = load(text)?;
        let r = run(&sc)?;
        let model: Value = serde_json::from_str(text).unwrap();
        for (a, g) in model["auto_scaling_groups"]
            .as_array()
            .unwrap()
            .iter()
            .enumerate()
        {
            // Scheduled actions move the bounds: capacity stays within the widest of them.
            let mut lo = g["MinSize"].as_u64().unwrap();
            let mut hi = g["MaxSize"].as_u64().unwrap();
            for s in g["ScheduledActions"].as_array().into_iter().flatten() {
                lo = lo.min(s["MinSize"].as_u64().unwrap());
                hi = hi.max(s["MaxSize"].as_u64().unwrap());
            }
            for (i, p) in r.periods.iter().enumerate() {
                let c = p.groups.get(a).ok_or_else(|| {
                    TestCaseError::fail(format!("period {i} has no capacity for group {a}"))
                })?;
                let desired = u64::from(c.desired);
                let running = u64::from(c.in_service) + u64::from(c.pending);
                if desired < lo || desired > hi || running > hi {
                    return Err(TestCaseError::fail(format!(
                        "period {i}: desired {desired}, in service + pending {running}, outside [{lo}, {hi}]"
                    )));
                }
            }
        }
        Ok(())
    });
}

/// The four output files of a run, wall time removed from summary.json.
fn outputs(r: &RunResult) -> [String; 4] {
    let summary = albsim::report::summary::to_json(r)
        .lines()
        .filter(|l| !l.trim_start().starts_with("\"wall_seconds\""))
        .collect::<Vec<_>>()
        .join("\n");
    [
        summary,
        albsim::report::timeseries::to_csv(r),
        albsim::report::activity_log::to_text(r),
        albsim::report::timeline::to_svg(r).unwrap_or_else(|e| format!("plot error: {e}")),
    ]
}

#[test]
fn the_same_seed_gives_identical_bytes() {
    property("same seed, same bytes", |text| {
        let mut sc = load(text)?;
        // Shorter still: this property runs every model twice.
        sc.duration = SimDuration(sc.duration.0.min(SimDuration::from_secs(60).0));
        let first = outputs(&run(&sc)?);
        let second = outputs(&run(&load(text).map(|mut s| {
            s.duration = sc.duration;
            s
        })?)?);
        for (file, (a, b)) in [
            "summary.json",
            "timeseries.csv",
            "activity.log",
            "timeline.svg",
        ]
        .iter()
        .zip(first.iter().zip(&second))
        {
            if a != b {
                return Err(TestCaseError::fail(format!(
                    "{file} differs between two runs"
                )));
            }
        }
        Ok(())
    });
}
