//! Random durations as written (`{"distribution": "lognormal", "median_ms": …}`) and their
//! resolution into a [`Distribution`] (parameters in nanoseconds, each at most 366 days).

use super::FieldError;
use super::number::readable;
use super::path::JsonPath;
use super::tagged::tagged_deserialize;
use super::timing::{self, MAX_TIME_MS, MAX_TIME_WORDS};
use crate::model::distribution::Distribution;
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

/// z-score of the 99th percentile of the standard normal distribution.
const Z_P99: f64 = 2.326_347_874_040_841;

// Every parameter is at most 366 days (`timing::MAX_TIME_MS`): typical draws then fit simulated
// time with a wide margin, and the rare tail draw beyond 2^64 ns saturates to "never" in `sample`.

fn positive(v: f64, path: &JsonPath, key: &str) -> Result<f64, FieldError> {
    if v > 0.0 && timing::ms_in_range(v) {
        Ok(v)
    } else {
        Err(path.key(key).error(format!(
            "expected a number of milliseconds above 0 and at most {MAX_TIME_MS} ({MAX_TIME_WORDS}), got {}",
            readable(v)
        )))
    }
}

fn non_negative(v: f64, path: &JsonPath, key: &str) -> Result<f64, FieldError> {
    if v >= 0.0 && timing::ms_in_range(v) {
        Ok(v)
    } else {
        Err(path.key(key).error(format!(
            "expected a number of milliseconds from 0 to {MAX_TIME_MS} ({MAX_TIME_WORDS}), got {}",
            readable(v)
        )))
    }
}

const NS_PER_MS: f64 = 1e6;

/// Resolves a `{"distribution": …}` object written at `path`.
pub(super) fn resolve_distribution(
    raw: &RawDistribution,
    path: &JsonPath,
) -> Result<Distribution, FieldError> {
    Ok(match raw {
        RawDistribution::Constant(RawDistributionConstant { ms }) => Distribution::Constant {
            ns: non_negative(*ms, path, "ms")? * NS_PER_MS,
        },
        RawDistribution::Exponential(RawDistributionExponential { mean_ms }) => {
            Distribution::Exponential {
                mean_ns: positive(*mean_ms, path, "mean_ms")? * NS_PER_MS,
            }
        }
        RawDistribution::Uniform(RawDistributionUniform { min_ms, max_ms }) => {
            let min = non_negative(*min_ms, path, "min_ms")?;
            let max = non_negative(*max_ms, path, "max_ms")?;
            if max < min {
                return Err(path.key("max_ms").error(format!(
                    "expected max_ms ≥ min_ms ({}), got {}",
                    readable(min),
                    readable(max)
                )));
            }
            Distribution::Uniform {
                min_ns: min * NS_PER_MS,
                max_ns: max * NS_PER_MS,
            }
        }
        RawDistribution::Normal(RawDistributionNormal { mean_ms, stddev_ms }) => {
            let mean = positive(*mean_ms, path, "mean_ms")?;
            let sd = non_negative(*stddev_ms, path, "stddev_ms")?;
            Distribution::Normal {
                mean_ns: mean * NS_PER_MS,
                stddev_ns: sd * NS_PER_MS,
            }
        }
        RawDistribution::Lognormal(RawDistributionLognormal {
            median_ms,
            p99_ms,
            mean_ms,
            stddev_ms,
        }) => resolve_lognormal(*median_ms, *p99_ms, *mean_ms, *stddev_ms, path)?,
        RawDistribution::Empirical(RawDistributionEmpirical { percentiles }) => {
            let at = path.key("percentiles");
            if percentiles.len() < 2 {
                return Err(at.error("expected at least two points, from p = 0 to p = 100"));
            }
            let mut points = Vec::with_capacity(percentiles.len());
            for (i, pt) in percentiles.iter().enumerate() {
                let here = at.index(i);
                if !(0.0..=100.0).contains(&pt.p) {
                    return Err(here.key("p").error(format!(
                        "expected a percentile in 0–100, got {}",
                        readable(pt.p)
                    )));
                }
                let ms = non_negative(pt.ms, &here, "ms")?;
                if let Some(&(q, v)) = points.last() {
                    if pt.p / 100.0 <= q {
                        return Err(here
                            .key("p")
                            .error("expected percentiles in strictly increasing order"));
                    }
                    if ms * NS_PER_MS < v {
                        return Err(here
                            .key("ms")
                            .error("expected values that do not decrease as p grows"));
                    }
                }
                points.push((pt.p / 100.0, ms * NS_PER_MS));
            }
            if points[0].0 != 0.0 || points[points.len() - 1].0 != 1.0 {
                return Err(at.error("expected the table to start at p = 0 and end at p = 100"));
            }
            Distribution::Empirical {
                points: points.into_boxed_slice(),
            }
        }
    })
}

fn resolve_lognormal(
    median_ms: Option<f64>,
    p99_ms: Option<f64>,
    mean_ms: Option<f64>,
    stddev_ms: Option<f64>,
    path: &JsonPath,
) -> Result<Distribution, FieldError> {
    match (median_ms, p99_ms, mean_ms, stddev_ms) {
        (Some(median), Some(p99), None, None) => {
            let median = positive(median, path, "median_ms")?;
            let p99 = positive(p99, path, "p99_ms")?;
            if p99 <= median {
                return Err(path.key("p99_ms").error(format!(
                    "expected p99_ms greater than median_ms ({median}), got {p99}"
                )));
            }
            let mu = (median * NS_PER_MS).ln();
            Ok(Distribution::Lognormal {
                mu,
                sigma: (p99 / median).ln() / Z_P99,
            })
        }
        (None, None, Some(mean), Some(sd)) => {
            let mean = positive(mean, path, "mean_ms")?;
            let sd = positive(sd, path, "stddev_ms")?;
            let sigma2 = (1.0 + (sd / mean).powi(2)).ln();
            Ok(Distribution::Lognormal {
                mu: (mean * NS_PER_MS).ln() - sigma2 / 2.0,
                sigma: sigma2.sqrt(),
            })
        }
        _ => Err(path.error(
            "a lognormal needs either median_ms and p99_ms, or mean_ms and stddev_ms (not a mix)",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::RngStream;

    fn resolve(json: &str) -> Result<Distribution, FieldError> {
        let raw: RawDistribution = serde_json::from_str(json).unwrap();
        resolve_distribution(&raw, &JsonPath::root().key("service_time"))
    }

    fn sample_mean(d: &Distribution, n: usize) -> (f64, Vec<f64>) {
        let mut rng = RngStream::derive(3, "test");
        let xs: Vec<f64> = (0..n).map(|_| d.sample(&mut rng).0 as f64).collect();
        (xs.iter().sum::<f64>() / n as f64, xs)
    }

    fn quantile(xs: &mut [f64], q: f64) -> f64 {
        xs.sort_by(f64::total_cmp);
        xs[((xs.len() as f64 - 1.0) * q).round() as usize]
    }

    #[test]
    fn lognormal_from_median_and_p99_hits_both() {
        let d = resolve(r#"{"distribution":"lognormal","median_ms":40,"p99_ms":400}"#).unwrap();
        let (_, mut xs) = sample_mean(&d, 200_000);
        // Sample quantiles of 200 000 draws: standard error well under 1 %.
        let median = quantile(&mut xs, 0.5) / 1e6;
        let p99 = quantile(&mut xs, 0.99) / 1e6;
        assert!((median - 40.0).abs() / 40.0 < 0.02, "median {median}");
        assert!((p99 - 400.0).abs() / 400.0 < 0.03, "p99 {p99}");
    }

    #[test]
    fn lognormal_from_mean_and_stddev_hits_mean() {
        let d = resolve(r#"{"distribution":"lognormal","mean_ms":50,"stddev_ms":25}"#).unwrap();
        assert!((d.mean_ns() / 1e6 - 50.0).abs() < 1e-9);
        let (m, _) = sample_mean(&d, 200_000);
        // sd of the mean = 25/sqrt(200000) ≈ 0.056 ms; 5 sigma = 0.28 ms.
        assert!((m / 1e6 - 50.0).abs() < 0.28, "mean {}", m / 1e6);
    }

    #[test]
    fn sample_means_match_analytic_means() {
        for json in [
            r#"{"distribution":"constant","ms":7}"#,
            r#"{"distribution":"exponential","mean_ms":20}"#,
            r#"{"distribution":"uniform","min_ms":10,"max_ms":30}"#,
            r#"{"distribution":"normal","mean_ms":20,"stddev_ms":15}"#,
            r#"{"distribution":"empirical","percentiles":[{"p":0,"ms":5},{"p":50,"ms":20},{"p":100,"ms":100}]}"#,
        ] {
            let d = resolve(json).unwrap();
            let (m, xs) = sample_mean(&d, 200_000);
            let var = xs.iter().map(|x| (x - m).powi(2)).sum::<f64>() / xs.len() as f64;
            let se = (var / xs.len() as f64).sqrt();
            // 5 standard errors (plus 1 ns of truncation to whole nanoseconds).
            assert!(
                (m - d.mean_ns()).abs() <= 5.0 * se + 1.0,
                "{json}: {m} vs {}",
                d.mean_ns()
            );
            assert!(xs.iter().all(|&x| x >= 0.0));
        }
    }

    // See: issue 7, defect 3
    #[test]
    fn time_overflow_parameters_are_rejected() {
        let e = resolve(r#"{"distribution":"exponential","mean_ms":1e308}"#).unwrap_err();
        assert_eq!(e.path, "service_time.mean_ms");
        assert!(e.message.contains("at most 31622400000"), "{}", e.message);
        for json in [
            r#"{"distribution":"constant","ms":3.2e10}"#,
            r#"{"distribution":"uniform","min_ms":0,"max_ms":1e300}"#,
            r#"{"distribution":"normal","mean_ms":10,"stddev_ms":1e12}"#,
            r#"{"distribution":"lognormal","median_ms":10,"p99_ms":1e11}"#,
            r#"{"distribution":"lognormal","mean_ms":10,"stddev_ms":1e11}"#,
            r#"{"distribution":"empirical","percentiles":[{"p":0,"ms":1},{"p":100,"ms":1e11}]}"#,
        ] {
            let e = resolve(json).unwrap_err();
            assert!(e.message.contains("366 days"), "{json}: {}", e.message);
        }
        // 366 days is accepted (a draw far in the tail saturates: see model::distribution).
        assert!(resolve(r#"{"distribution":"constant","ms":31622400000}"#).is_ok());
    }

    #[test]
    fn bad_parameters_name_the_key() {
        let e = resolve(r#"{"distribution":"exponential","mean_ms":0}"#).unwrap_err();
        assert_eq!(e.path, "service_time.mean_ms");
        let e = resolve(r#"{"distribution":"uniform","min_ms":5,"max_ms":1}"#).unwrap_err();
        assert_eq!(e.path, "service_time.max_ms");
        let e = resolve(r#"{"distribution":"lognormal","median_ms":40}"#).unwrap_err();
        assert!(e.message.contains("median_ms and p99_ms"));
        let e = resolve(
            r#"{"distribution":"empirical","percentiles":[{"p":0,"ms":5},{"p":90,"ms":20}]}"#,
        )
        .unwrap_err();
        assert!(e.message.contains("p = 100"));
    }
}
