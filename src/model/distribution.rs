//! Random durations: service times, think times, handshake times.
//!
//! Each variant is fully resolved (parameters in nanoseconds or log-space), so sampling is a few
//! arithmetic operations on one [`RngStream`]: no allocation, no branching on strings.

use crate::engine::{RngStream, SimDuration};
use crate::scenario::FieldError;
use crate::scenario::number::readable;
use crate::scenario::path::JsonPath;
use crate::scenario::raw::*;
use crate::scenario::timing::{self, MAX_TIME_MS, MAX_TIME_WORDS};

/// z-score of the 99th percentile of the standard normal distribution.
const Z_P99: f64 = 2.326_347_874_040_841;

/// A resolved random duration.
#[derive(Clone, Debug, PartialEq)]
pub enum Distribution {
    /// Always `ns`.
    Constant {
        /// The value \[ns\].
        ns: f64,
    },
    /// Exponential with mean `mean_ns`.
    Exponential {
        /// Mean \[ns\].
        mean_ns: f64,
    },
    /// Uniform on `[min_ns, max_ns]`.
    Uniform {
        /// Lower bound \[ns\].
        min_ns: f64,
        /// Upper bound \[ns\].
        max_ns: f64,
    },
    /// Normal, truncated at zero by rejection (the draw is redrawn until non-negative).
    Normal {
        /// Mean of the untruncated normal \[ns\].
        mean_ns: f64,
        /// Standard deviation \[ns\].
        stddev_ns: f64,
    },
    /// Log-normal: `exp(mu + sigma·Z)` nanoseconds.
    Lognormal {
        /// Location, ln(median in ns).
        mu: f64,
        /// Shape.
        sigma: f64,
    },
    /// Piecewise-linear inverse CDF through `(quantile in [0,1], ns)` points.
    Empirical {
        /// Points sorted by quantile, from 0 to 1.
        points: Box<[(f64, f64)]>,
    },
}

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

impl Distribution {
    /// Resolves a `{"distribution": …}` object written at `path`.
    pub fn resolve(raw: &RawDistribution, path: &JsonPath) -> Result<Distribution, FieldError> {
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
            }) => Self::resolve_lognormal(*median_ms, *p99_ms, *mean_ms, *stddev_ms, path)?,
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
                Ok(Distribution::Lognormal { mu, sigma: (p99 / median).ln() / Z_P99 })
            }
            (None, None, Some(mean), Some(sd)) => {
                let mean = positive(mean, path, "mean_ms")?;
                let sd = positive(sd, path, "stddev_ms")?;
                let sigma2 = (1.0 + (sd / mean).powi(2)).ln();
                Ok(Distribution::Lognormal { mu: (mean * NS_PER_MS).ln() - sigma2 / 2.0, sigma: sigma2.sqrt() })
            }
            _ => Err(path.error(
                "a lognormal needs either median_ms and p99_ms, or mean_ms and stddev_ms (not a mix)",
            )),
        }
    }

    /// The mean \[ns\] (for the truncated normal, the mean of the untruncated one when truncation is
    /// negligible; see `normal_truncated_mean`).
    pub fn mean_ns(&self) -> f64 {
        match self {
            Distribution::Constant { ns } => *ns,
            Distribution::Exponential { mean_ns } => *mean_ns,
            Distribution::Uniform { min_ns, max_ns } => (min_ns + max_ns) / 2.0,
            Distribution::Normal { mean_ns, stddev_ns } => {
                normal_truncated_mean(*mean_ns, *stddev_ns)
            }
            Distribution::Lognormal { mu, sigma } => (mu + sigma * sigma / 2.0).exp(),
            Distribution::Empirical { points } => points
                .windows(2)
                .map(|w| (w[1].0 - w[0].0) * (w[0].1 + w[1].1) / 2.0)
                .sum(),
        }
    }

    /// One draw.
    #[inline(always)]
    pub fn sample(&self, rng: &mut RngStream) -> SimDuration {
        let ns = match self {
            Distribution::Constant { ns } => *ns,
            Distribution::Exponential { mean_ns } => mean_ns * rng.exp1(),
            Distribution::Uniform { min_ns, max_ns } => min_ns + (max_ns - min_ns) * rng.uniform(),
            Distribution::Normal { mean_ns, stddev_ns } => {
                // Rejection keeps the shape of the truncated normal; validation guarantees a positive
                // mean, so acceptance is at least 50 % per try. After 64 tries fall back to zero.
                let mut v = 0.0;
                for _ in 0..64 {
                    let x = mean_ns + stddev_ns * rng.std_normal();
                    if x >= 0.0 {
                        v = x;
                        break;
                    }
                }
                v
            }
            Distribution::Lognormal { mu, sigma } => (mu + sigma * rng.std_normal()).exp(),
            Distribution::Empirical { points } => empirical_quantile(points, rng.uniform()),
        };
        // A draw beyond 2^64 ns (possible only in a far tail) saturates: it lands after the end.
        SimDuration::from_nanos_f64(ns)
    }
}

/// Mean of N(m, s²) truncated to [0, ∞): m + s·φ(α)/(1−Φ(α)) with α = −m/s.
fn normal_truncated_mean(m: f64, s: f64) -> f64 {
    if s == 0.0 {
        return m;
    }
    let alpha = -m / s;
    let pdf = (-alpha * alpha / 2.0).exp() / (2.0 * std::f64::consts::PI).sqrt();
    let tail = 0.5 * erfc(alpha / std::f64::consts::SQRT_2);
    m + s * pdf / tail
}

/// Complementary error function (Numerical Recipes `erfcc`, relative error < 1.2e-7).
fn erfc(x: f64) -> f64 {
    let z = x.abs();
    let t = 1.0 / (1.0 + 0.5 * z);
    let r = t
        * (-z * z - 1.265_512_23
            + t * (1.000_023_68
                + t * (0.374_091_96
                    + t * (0.096_784_18
                        + t * (-0.186_288_06
                            + t * (0.278_868_07
                                + t * (-1.135_203_98
                                    + t * (1.488_515_87
                                        + t * (-0.822_152_23 + t * 0.170_872_77)))))))))
            .exp();
    if x >= 0.0 { r } else { 2.0 - r }
}

fn empirical_quantile(points: &[(f64, f64)], u: f64) -> f64 {
    // Tables are short (a handful of percentiles): a linear scan beats a binary search here.
    let mut prev = points[0];
    for &p in &points[1..] {
        if u <= p.0 {
            let span = p.0 - prev.0;
            return prev.1 + (p.1 - prev.1) * (u - prev.0) / span;
        }
        prev = p;
    }
    prev.1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolve(json: &str) -> Result<Distribution, FieldError> {
        let raw: RawDistribution = serde_json::from_str(json).unwrap();
        Distribution::resolve(&raw, &JsonPath::root().key("service_time"))
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
    fn time_overflow_parameters_are_rejected_and_draws_saturate() {
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
        // 366 days is accepted; a draw far in the tail (here forced) saturates to "never".
        assert!(resolve(r#"{"distribution":"constant","ms":31622400000}"#).is_ok());
        let huge = Distribution::Exponential { mean_ns: 1e300 };
        let mut rng = RngStream::derive(1, "t");
        assert_eq!(huge.sample(&mut rng), SimDuration::MAX);
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
