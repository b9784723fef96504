//! (being written) Metric paths into `summary.json`.

use crate::scenario::Scenario;
use serde_json::Value;

/// A path into a run's `summary.json` (stub: the helper writing `metric.rs` replaces this file).
#[derive(Clone, Debug, PartialEq)]
pub struct SummaryPath {
    shown: String,
}

impl SummaryPath {
    /// Reads a path as error messages print them: `latency_ms.p99`, `requests.by_status.502`,
    /// `auto_scaling_groups[name=web-asg].instance_hours`.
    pub fn parse(text: &str) -> Result<SummaryPath, String> {
        Ok(SummaryPath { shown: text.into() })
    }

    /// Checks the path against the schema of `summary.json` and the names in the scenario `sc`
    /// (target groups, instances, Auto Scaling groups); the error says what is known there.
    pub fn check(&self, sc: &Scenario) -> Result<(), String> {
        let _ = sc;
        Ok(())
    }

    /// The metric's value in a run's summary (`None`: null there, as `latency_ms` of a run
    /// without responses).
    pub fn read(&self, summary: &Value) -> Option<f64> {
        let _ = summary;
        None
    }
}

impl std::fmt::Display for SummaryPath {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.shown)
    }
}
