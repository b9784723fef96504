//! Replication statistics: Student-t intervals on means and normal-approximation intervals on
//! binomial and Poisson counts, at 99.9 %.

/// Independent replications (different seeds) per theory check.
pub const R: u64 = 10;

/// Student-t quantile t(0.9995; 9 df): a two-sided 99.9 % interval from R = 10 replications.
pub const T_999_DF9: f64 = 4.781;

/// Standard normal quantile z(0.9995): a two-sided 99.9 % interval (binomial/Poisson counts).
pub const Z_999: f64 = 3.291;

/// A two-sided confidence interval `mean ± half`.
#[derive(Clone, Copy, Debug)]
pub struct Ci {
    /// Point estimate.
    pub mean: f64,
    /// Half-width.
    pub half: f64,
}

impl Ci {
    /// Panics unless `value` lies in the interval.
    pub fn assert_contains(&self, value: f64, what: &str) {
        // Shown with `--nocapture`: how tight the check is.
        eprintln!(
            "{what}: theory {value:.5}, CI {:.5} ± {:.5} ({:.2} %)",
            self.mean,
            self.half,
            100.0 * self.half / self.mean.abs()
        );
        assert!(
            (value - self.mean).abs() <= self.half,
            "{what}: theory {value:.5} outside the CI {:.5} ± {:.5} (relative half-width {:.2} %)",
            self.mean,
            self.half,
            100.0 * self.half / self.mean.abs()
        );
    }
}

/// Student-t interval on the mean of independent replication values `xs`, with quantile `t`
/// (which must match `xs.len() - 1` degrees of freedom).
pub fn t_interval(xs: &[f64], t: f64) -> Ci {
    let n = xs.len() as f64;
    assert!(n >= 2.0);
    let mean = xs.iter().sum::<f64>() / n;
    let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0);
    Ci {
        mean,
        half: t * (var / n).sqrt(),
    }
}

/// 99.9 % Student-t interval from exactly R = 10 replications.
pub fn t_interval_r10(xs: &[f64]) -> Ci {
    assert_eq!(xs.len() as u64, R, "T_999_DF9 is for R = 10 replications");
    t_interval(xs, T_999_DF9)
}

/// Panics unless `count` is within the 99.9 % normal-approximation interval of a
/// Binomial(`n`, `p`) count.
pub fn assert_binomial(count: u64, n: u64, p: f64, what: &str) {
    let (n, k) = (n as f64, count as f64);
    let half = Z_999 * (n * p * (1.0 - p)).sqrt();
    assert!(
        (k - n * p).abs() <= half,
        "{what}: {k} of {n}, expected {:.1} ± {half:.1} (p = {p})",
        n * p
    );
}

/// Panics unless `count` is within the 99.9 % normal-approximation interval of a Poisson count
/// with mean `mean`.
pub fn assert_poisson(count: u64, mean: f64, what: &str) {
    let half = Z_999 * mean.sqrt();
    assert!(
        (count as f64 - mean).abs() <= half,
        "{what}: {count}, expected {mean:.1} ± {half:.1}"
    );
}

/// Panics unless `value` is within `half` of `expected`.
pub fn assert_near(value: f64, expected: f64, half: f64, what: &str) {
    eprintln!("{what}: {value:.4}, expected {expected:.4} ± {half:.4}");
    assert!(
        (value - expected).abs() <= half,
        "{what}: {value:.4}, expected {expected:.4} ± {half:.4}"
    );
}

#[test]
fn t_interval_of_known_values() {
    // Mean 3, sample variance 2.5 over n = 5: half-width t·sqrt(2.5/5).
    let ci = t_interval(&[1.0, 2.0, 3.0, 4.0, 5.0], 2.0);
    assert!((ci.mean - 3.0).abs() < 1e-15);
    assert!((ci.half - 2.0 * 0.5f64.sqrt()).abs() < 1e-15);
}
