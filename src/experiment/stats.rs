//! Means and Student-t confidence intervals over replications.
//!
//! A point's replications are independent runs of the same model with different seeds, so the
//! mean of a metric over them estimates its expected value. The two-sided 95 % interval is
//! `mean ± t(0.975; n − 1) · s / √n` with `s` the sample standard deviation (divisor `n − 1`).
//! The Student-t quantile is computed, not tabulated: the t distribution's CDF through the
//! regularised incomplete beta function, inverted by bisection (to machine precision) for up to
//! [`EXPANSION_FROM`] degrees of freedom, and the Cornish-Fisher expansion around the normal
//! quantile beyond (Abramowitz & Stegun 26.7.5; its error there is below 1e-12).

/// The normal distribution's 0.975 quantile: the t quantile's limit as df → ∞.
pub const Z_975: f64 = 1.959_963_984_540_054;

/// From this many degrees of freedom on, the t quantile comes from the Cornish-Fisher
/// expansion instead of inverting the CDF.
pub const EXPANSION_FROM: u64 = 1000;

/// A metric's estimate at one point: what its replications say.
#[derive(Clone, Debug, PartialEq)]
pub struct Estimate {
    /// How many replications had a value (a metric null in a run is left out).
    pub n: usize,
    /// The mean of those values (`None` when `n == 0`).
    pub mean: Option<f64>,
    /// The sample standard deviation, divisor `n − 1` (`None` when `n < 2`).
    pub std_dev: Option<f64>,
    /// The two-sided 95 % Student-t confidence interval of the mean (`None` when `n < 2`).
    pub ci95: Option<Interval>,
}

/// A closed interval `[low, high]`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Interval {
    /// Its lower end.
    pub low: f64,
    /// Its upper end.
    pub high: f64,
}

impl Interval {
    /// Half its width (the `±` of `mean ± half-width`).
    pub fn half_width(&self) -> f64 {
        (self.high - self.low) / 2.0
    }
}

impl Estimate {
    /// The estimate from one point's replications; `None` (and non-finite) values are left out.
    pub fn of(values: impl IntoIterator<Item = Option<f64>>) -> Estimate {
        let values: Vec<f64> = values
            .into_iter()
            .flatten()
            .filter(|v| v.is_finite())
            .collect();
        let n = values.len();
        if n == 0 {
            return Estimate {
                n,
                mean: None,
                std_dev: None,
                ci95: None,
            };
        }
        let mean = values.iter().sum::<f64>() / n as f64;
        if n == 1 {
            return Estimate {
                n,
                mean: Some(mean),
                std_dev: None,
                ci95: None,
            };
        }
        let squares: f64 = values.iter().map(|v| (v - mean) * (v - mean)).sum();
        let std_dev = (squares / (n - 1) as f64).sqrt();
        let half = t_975(n as u64 - 1) * std_dev / (n as f64).sqrt();
        Estimate {
            n,
            mean: Some(mean),
            std_dev: Some(std_dev),
            ci95: Some(Interval {
                low: mean - half,
                high: mean + half,
            }),
        }
    }
}

/// The Student-t distribution's 0.975 quantile with `df` degrees of freedom (`df ≥ 1`; `0` is
/// taken as 1): the factor of a two-sided 95 % interval.
pub fn t_975(df: u64) -> f64 {
    let df = df.max(1);
    if df >= EXPANSION_FROM {
        return cornish_fisher_975(df as f64);
    }
    // The upper tail P(T > t) = I_{df/(df+t²)}(df/2, 1/2) / 2 falls as t grows: find where it
    // is 0.025. t(0.975; 1) = 12.7 is the largest, so [0, 64] brackets every df.
    let a = df as f64 / 2.0;
    let upper_tail = |t: f64| 0.5 * regularised_beta(df as f64 / (df as f64 + t * t), a, 0.5);
    let (mut lo, mut hi) = (0.0f64, 64.0f64);
    for _ in 0..200 {
        let mid = (lo + hi) / 2.0;
        if mid <= lo || mid >= hi {
            break;
        }
        if upper_tail(mid) > 0.025 {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    (lo + hi) / 2.0
}

/// Abramowitz & Stegun 26.7.5: the t quantile as the normal one plus terms in 1/df.
fn cornish_fisher_975(df: f64) -> f64 {
    let z = Z_975;
    let z2 = z * z;
    let g1 = (z2 + 1.0) * z / 4.0;
    let g2 = ((5.0 * z2 + 16.0) * z2 + 3.0) * z / 96.0;
    let g3 = (((3.0 * z2 + 19.0) * z2 + 17.0) * z2 - 15.0) * z / 384.0;
    let g4 = ((((79.0 * z2 + 776.0) * z2 + 1482.0) * z2 - 1920.0) * z2 - 945.0) * z / 92160.0;
    z + g1 / df + g2 / (df * df) + g3 / df.powi(3) + g4 / df.powi(4)
}

/// The regularised incomplete beta function I_x(a, b), by its continued fraction (Lentz's
/// method), on the side of the symmetry `I_x(a, b) = 1 − I_{1−x}(b, a)` where it converges fast.
fn regularised_beta(x: f64, a: f64, b: f64) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    if x >= 1.0 {
        return 1.0;
    }
    let log_front = ln_gamma(a + b) - ln_gamma(a) - ln_gamma(b) + a * x.ln() + b * (1.0 - x).ln();
    let front = log_front.exp();
    if x < (a + 1.0) / (a + b + 2.0) {
        front * beta_fraction(x, a, b) / a
    } else {
        1.0 - front * beta_fraction(1.0 - x, b, a) / b
    }
}

/// The continued fraction of I_x(a, b) (Numerical Recipes' `betacf`).
fn beta_fraction(x: f64, a: f64, b: f64) -> f64 {
    const TINY: f64 = 1e-300;
    let (qab, qap, qam) = (a + b, a + 1.0, a - 1.0);
    let mut c = 1.0;
    let mut d = 1.0 - qab * x / qap;
    if d.abs() < TINY {
        d = TINY;
    }
    d = 1.0 / d;
    let mut h = d;
    for m in 1..10_000 {
        let m = f64::from(m);
        let m2 = 2.0 * m;
        let even = m * (b - m) * x / ((qam + m2) * (a + m2));
        d = 1.0 + even * d;
        if d.abs() < TINY {
            d = TINY;
        }
        c = 1.0 + even / c;
        if c.abs() < TINY {
            c = TINY;
        }
        d = 1.0 / d;
        h *= d * c;
        let odd = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
        d = 1.0 + odd * d;
        if d.abs() < TINY {
            d = TINY;
        }
        c = 1.0 + odd / c;
        if c.abs() < TINY {
            c = TINY;
        }
        d = 1.0 / d;
        let step = d * c;
        h *= step;
        if (step - 1.0).abs() < 1e-16 {
            break;
        }
    }
    h
}

/// ln Γ(x) for x > 0 (Lanczos, g = 7, 9 terms: about 15 significant digits).
fn ln_gamma(x: f64) -> f64 {
    const COEFFICIENTS: [f64; 9] = [
        0.999_999_999_999_809_9,
        676.520_368_121_885_1,
        -1_259.139_216_722_402_8,
        771.323_428_777_653_1,
        -176.615_029_162_140_6,
        12.507_343_278_686_905,
        -0.138_571_095_265_720_12,
        9.984_369_578_019_572e-6,
        1.505_632_735_149_311_6e-7,
    ];
    if x < 0.5 {
        // Reflection: Γ(x) Γ(1 − x) = π / sin(πx).
        return (std::f64::consts::PI / (std::f64::consts::PI * x).sin()).ln() - ln_gamma(1.0 - x);
    }
    let x = x - 1.0;
    let mut sum = COEFFICIENTS[0];
    for (i, c) in COEFFICIENTS.iter().enumerate().skip(1) {
        sum += c / (x + i as f64);
    }
    let t = x + 7.5;
    0.5 * (2.0 * std::f64::consts::PI).ln() + (x + 0.5) * t.ln() - t + sum.ln()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(got: f64, want: f64, rel: f64) -> bool {
        ((got - want) / want).abs() <= rel
    }

    #[test]
    fn t_quantile_matches_published_tables() {
        // Four-decimal values of the usual printed table (e.g. NIST/SEMATECH e-Handbook 1.3.6.7.2).
        for (df, table) in [
            (1, 12.7062),
            (2, 4.3027),
            (4, 2.7764),
            (9, 2.2622),
            (29, 2.0452),
            (100, 1.9840),
        ] {
            let t = t_975(df);
            assert!((t - table).abs() <= 0.00005, "df {df}: {t} vs {table}");
        }
        assert!((t_975(u64::MAX) - 1.9600).abs() <= 0.00005);
    }

    #[test]
    fn t_quantile_is_accurate_to_1e_6() {
        // Closed forms: df 1 is the Cauchy distribution, t = tan(π (p − ½)); df 2 has
        // t = (2p − 1) / √(2p(1 − p)).
        let p: f64 = 0.975;
        let df1 = (std::f64::consts::PI * (p - 0.5)).tan();
        let df2 = (2.0 * p - 1.0) / (2.0 * p * (1.0 - p)).sqrt();
        assert!(close(t_975(1), df1, 1e-12), "{}", t_975(1));
        assert!(close(t_975(2), df2, 1e-12), "{}", t_975(2));
        // Twelve-digit values (R's qt(0.975, df)).
        for (df, want) in [
            (3, 3.182_446_305_284),
            (4, 2.776_445_105_198),
            (9, 2.262_157_162_740),
            (29, 2.045_229_642_133),
            (30, 2.042_272_456_301),
            (100, 1.983_971_518_523),
        ] {
            assert!(close(t_975(df), want, 1e-9), "df {df}: {}", t_975(df));
        }
        assert!(close(t_975(u64::MAX), Z_975, 1e-12));
    }

    #[test]
    fn expansion_and_inversion_agree_where_they_meet() {
        for df in [200u64, 500, 999, 1000, 5000] {
            let inverted = {
                // The bisection path, whatever the threshold says.
                let a = df as f64 / 2.0;
                let tail = |t: f64| 0.5 * regularised_beta(df as f64 / (df as f64 + t * t), a, 0.5);
                let (mut lo, mut hi) = (0.0, 64.0);
                for _ in 0..200 {
                    let mid = (lo + hi) / 2.0;
                    if tail(mid) > 0.025 {
                        lo = mid
                    } else {
                        hi = mid
                    }
                }
                (lo + hi) / 2.0
            };
            let expanded = cornish_fisher_975(df as f64);
            assert!(
                close(inverted, expanded, 1e-9),
                "df {df}: {inverted} vs {expanded}"
            );
        }
        // The quantile falls with df towards the normal one.
        let ts: Vec<f64> = (1..2000).map(t_975).collect();
        assert!(ts.windows(2).all(|w| w[1] < w[0]));
        assert!(ts.iter().all(|t| *t > Z_975));
        assert_eq!(t_975(0), t_975(1));
    }

    #[test]
    fn estimate_by_hand() {
        // 2, 4, 9: mean 5, squares 9 + 1 + 16 = 26, s² = 13, s = √13;
        // half-width = t(0.975; 2) · √13 / √3 = 4.302652729749 · 2.081665999 = 8.956686.
        let e = Estimate::of([Some(2.0), None, Some(4.0), Some(9.0)]);
        assert_eq!(e.n, 3);
        assert_eq!(e.mean, Some(5.0));
        assert!(close(e.std_dev.unwrap(), 13f64.sqrt(), 1e-15));
        let ci = e.ci95.unwrap();
        let half = 4.302_652_729_749 * (13.0f64 / 3.0).sqrt();
        assert!(close(ci.half_width(), half, 1e-12), "{ci:?}");
        assert!(close(ci.low, 5.0 - 8.956_686, 1e-6) && close(ci.high, 5.0 + 8.956_686, 1e-6));
    }

    #[test]
    fn one_value_has_no_interval_and_none_has_no_mean() {
        let one = Estimate::of([None, Some(7.5)]);
        assert_eq!(
            (one.n, one.mean, one.std_dev, one.ci95),
            (1, Some(7.5), None, None)
        );
        let none = Estimate::of([None, None]);
        assert_eq!((none.n, none.mean, none.ci95), (0, None, None));
        // Equal values: zero width, not NaN.
        let same = Estimate::of([Some(3.0); 4]);
        assert_eq!(
            same.ci95,
            Some(Interval {
                low: 3.0,
                high: 3.0
            })
        );
    }

    #[test]
    fn intervals_cover_the_true_mean_at_their_nominal_rate() {
        // 4000 intervals of n = 3, 5 and 10 normal draws (mean 10, sd 2): each covers 10 with
        // probability 0.95, so the count is Binomial(4000, 0.95): 3800 ± 13.8 (1 sd); ± 4 sd.
        // With the normal quantile 1.96 instead of t, n = 3 would cover only about 81 %.
        let mut rng = crate::engine::rng::RngStream::derive(11, "coverage");
        for n in [3usize, 5, 10] {
            let covered = (0..4000)
                .filter(|_| {
                    let e = Estimate::of((0..n).map(|_| Some(10.0 + 2.0 * rng.std_normal())));
                    let ci = e.ci95.expect("interval");
                    ci.low <= 10.0 && 10.0 <= ci.high
                })
                .count();
            assert!(
                (3745..=3855).contains(&covered),
                "n = {n}: {covered} of 4000"
            );
        }
    }
}
