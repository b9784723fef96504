//! Random durations as written (`{"distribution": "lognormal", "median_ms": …}`) and their
//! resolution into a [`Distribution`] (parameters in nanoseconds, each at most 366 days).

use super::tagged::tagged_deserialize;
use serde::Deserialize;

/// A random duration, in milliseconds.
#[derive(Debug)]
pub enum RawDistribution {
    /// Always the same.
    Constant(RawDistributionConstant),

    /// Exponential.
    Exponential(RawDistributionExponential),

    /// Uniform between two bounds.
    Uniform(RawDistributionUniform),

    /// Normal, truncated at zero.
    Normal(RawDistributionNormal),

    /// Log-normal, given by median and p99, or by mean and standard deviation.
    Lognormal(RawDistributionLognormal),

    /// A percentile table, interpolated linearly.
    Empirical(RawDistributionEmpirical),
}

tagged_deserialize!(RawDistribution, "distribution", {
    "constant" => Constant,
    "exponential" => Exponential,
    "uniform" => Uniform,
    "normal" => Normal,
    "lognormal" => Lognormal,
    "empirical" => Empirical,
});

/// Always the same.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDistributionConstant {
    /// The value \[ms\].
    pub ms: f64,
}

/// Exponential.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDistributionExponential {
    /// Mean \[ms\].
    pub mean_ms: f64,
}

/// Uniform between two bounds.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDistributionUniform {
    /// Lower bound \[ms\].
    pub min_ms: f64,
    /// Upper bound \[ms\].
    pub max_ms: f64,
}

/// Normal, truncated at zero.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDistributionNormal {
    /// Mean \[ms\].
    pub mean_ms: f64,
    /// Standard deviation \[ms\].
    pub stddev_ms: f64,
}

/// Log-normal, given by median and p99, or by mean and standard deviation.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDistributionLognormal {
    /// Median \[ms\] (with `p99_ms`).
    #[serde(default)]
    pub median_ms: Option<f64>,
    /// 99th percentile \[ms\] (with `median_ms`).
    #[serde(default)]
    pub p99_ms: Option<f64>,
    /// Mean \[ms\] (with `stddev_ms`).
    #[serde(default)]
    pub mean_ms: Option<f64>,
    /// Standard deviation \[ms\] (with `mean_ms`).
    #[serde(default)]
    pub stddev_ms: Option<f64>,
}

/// A percentile table, interpolated linearly.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDistributionEmpirical {
    /// Points `(p, ms)` from p = 0 to p = 100.
    pub percentiles: Vec<RawPercentile>,
}

/// One point of an empirical distribution.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPercentile {
    /// Percentile, 0–100.
    pub p: f64,
    /// Value at that percentile \[ms\].
    pub ms: f64,
}
