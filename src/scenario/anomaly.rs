//! A target group's Automatic Target Weights settings: the AWS attribute
//! `load_balancing.algorithm.anomaly_mitigation` (`on` | `off`, default `off`; `weighted_random`
//! only) and albsim's `anomaly_detection` object, the numbers AWS does not publish.

use super::FieldError;
use super::number::readable;
use super::path::JsonPath;
use super::ranges::count_in;
use super::sqs::checks::{duration_in, words};
use super::values::DurationValue;
use crate::model::anomaly::{AnomalySpec, BUCKETS, EVALUATION_INTERVAL};
use crate::model::target_group::Algorithm;
use serde::Deserialize;
use std::time::Duration;

/// `target_groups[i].anomaly_detection`: how albsim detects and mitigates anomalous targets where
/// AWS publishes no numbers (defaults: [`AnomalySpec::DEFAULT`]).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAnomalyDetection {
    /// The shortest look-back of a verdict (5 s–5 min in 5 s steps, default 30 s).
    #[serde(default)]
    pub window: Option<DurationValue>,
    /// Responses a verdict needs; it looks back up to 5 minutes for them (1–10000, default 20).
    #[serde(default)]
    pub minimum_requests: Option<i64>,
    /// How many times its peers' error rate a target's must be (1–100, default 2).
    #[serde(default)]
    pub error_rate_ratio: Option<f64>,
    /// How far above its peers' a target's error rate must be (0–1, default 0.05).
    #[serde(default)]
    pub error_rate_margin: Option<f64>,
    /// Weight multiplier per 5-second step while anomalous (above 0, below 1, default 0.5).
    #[serde(default)]
    pub reduction: Option<f64>,
    /// Lowest weight, a share of parity (above 0, below 1, default 0.02).
    #[serde(default)]
    pub minimum_weight: Option<f64>,
    /// Weight regained per 5-second step once normal (above 0, at most 1, default 0.1).
    #[serde(default)]
    pub recovery_step: Option<f64>,
    /// Most healthy targets mitigated at once, in percent (1–100, default 50; at least one).
    #[serde(default)]
    pub max_mitigated_percentage: Option<i64>,
}

/// Resolves the attribute `mitigation` (at `mitigation_at`) and the settings `raw` (at `at`).
pub(super) fn resolve_anomaly(
    mitigation: Option<&serde_json::Value>,
    mitigation_at: &JsonPath,
    algorithm: Algorithm,
    raw: Option<&RawAnomalyDetection>,
    at: &JsonPath,
) -> Result<AnomalySpec, FieldError> {
    let mitigation = match mitigation {
        None => false,
        Some(serde_json::Value::String(s)) if s == "on" => true,
        Some(serde_json::Value::String(s)) if s == "off" => false,
        Some(v) => {
            return Err(mitigation_at.error(format!("expected \"on\" or \"off\", got {v}")));
        }
    };
    if mitigation && algorithm != Algorithm::WeightedRandom {
        return Err(mitigation_at.error(format!(
            "anomaly mitigation needs load_balancing.algorithm.type \"weighted_random\" (AWS supports it with no other algorithm), got {:?}",
            algorithm.as_str()
        )));
    }
    let d = AnomalySpec::DEFAULT;
    let Some(raw) = raw else {
        return Ok(AnomalySpec { mitigation, ..d });
    };
    let step = Duration::from_nanos(EVALUATION_INTERVAL.0);
    let window_at = at.key("window");
    let window = duration_in(
        raw.window,
        &window_at,
        step,
        step * BUCKETS as u32,
        step * d.window_buckets,
        false,
    )?;
    if window.0 % EVALUATION_INTERVAL.0 != 0 {
        return Err(window_at.error(format!(
            "expected a multiple of 5 s (weights are adjusted every 5 seconds), got {}",
            words(Duration::from_nanos(window.0))
        )));
    }
    let minimum_requests = count_in(
        raw.minimum_requests
            .unwrap_or(i64::from(d.minimum_requests)),
        &at.key("minimum_requests"),
        1,
        10_000,
        "responses",
    )? as u32;
    let number = |v: Option<f64>, key: &str, default: f64, ok: fn(f64) -> bool, range: &str| {
        let x = v.unwrap_or(default);
        if ok(x) {
            Ok(x)
        } else {
            Err(at
                .key(key)
                .error(format!("expected {range}, got {}", readable(x))))
        }
    };
    Ok(AnomalySpec {
        mitigation,
        window_buckets: (window.0 / EVALUATION_INTERVAL.0) as u32,
        minimum_requests,
        error_rate_ratio: number(
            raw.error_rate_ratio,
            "error_rate_ratio",
            d.error_rate_ratio,
            |x| (1.0..=100.0).contains(&x),
            "a ratio from 1 to 100",
        )?,
        error_rate_margin: number(
            raw.error_rate_margin,
            "error_rate_margin",
            d.error_rate_margin,
            |x| (0.0..=1.0).contains(&x),
            "a fraction from 0 to 1 (0.05 is 5 percentage points)",
        )?,
        reduction: number(
            raw.reduction,
            "reduction",
            d.reduction,
            |x| x > 0.0 && x < 1.0,
            "a factor above 0 and below 1",
        )?,
        minimum_weight: number(
            raw.minimum_weight,
            "minimum_weight",
            d.minimum_weight,
            |x| x > 0.0 && x < 1.0,
            "a share of parity above 0 and below 1",
        )?,
        recovery_step: number(
            raw.recovery_step,
            "recovery_step",
            d.recovery_step,
            |x| x > 0.0 && x <= 1.0,
            "a share of parity above 0 and at most 1",
        )?,
        max_mitigated_percentage: count_in(
            raw.max_mitigated_percentage
                .unwrap_or(i64::from(d.max_mitigated_percentage)),
            &at.key("max_mitigated_percentage"),
            1,
            100,
            "percent",
        )? as u32,
    })
}
