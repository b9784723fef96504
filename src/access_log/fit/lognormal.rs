//! A lognormal fitted by maximum likelihood, and how well it fits: the Kolmogorov–Smirnov
//! distance to the data, computed for data rounded to AWS's millisecond resolution.

use crate::model::distribution::erfc;

/// The standard normal quantile of 0.99 (p99 = median · e^(z·σ)).
pub const Z_99: f64 = 2.326_347_874_040_841;

/// The asymptotic 5 % critical value of the Kolmogorov–Smirnov distance is `KS_5 / √n`. With
/// the parameters estimated from the same data the test is conservative (Lilliefors).
pub const KS_5: f64 = 1.358;

/// A lognormal: `ln X ~ Normal(mu, sigma²)`, `X` in seconds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Lognormal {
    /// Mean of `ln X`.
    pub mu: f64,
    /// Standard deviation of `ln X`.
    pub sigma: f64,
}

impl Lognormal {
    /// The maximum-likelihood fit: the mean and the (1/n) standard deviation of the logs.
    /// `None` for fewer than two positive values or when they are all equal.
    pub fn fit(seconds: &[f64]) -> Option<Lognormal> {
        let n = seconds.len();
        if n < 2 || seconds.iter().any(|&x| x <= 0.0) {
            return None;
        }
        let mu = seconds.iter().map(|x| x.ln()).sum::<f64>() / n as f64;
        let var = seconds.iter().map(|x| (x.ln() - mu).powi(2)).sum::<f64>() / n as f64;
        let sigma = var.sqrt();
        (sigma > 0.0).then_some(Lognormal { mu, sigma })
    }

    /// The median \[s\].
    pub fn median(&self) -> f64 {
        self.mu.exp()
    }

    /// The 99th percentile \[s\].
    pub fn p99(&self) -> f64 {
        (self.mu + Z_99 * self.sigma).exp()
    }

    /// P(X ≤ x).
    pub fn cdf(&self, x: f64) -> f64 {
        if x <= 0.0 {
            return 0.0;
        }
        normal_cdf((x.ln() - self.mu) / self.sigma)
    }

    /// The Kolmogorov–Smirnov distance to `sorted` (ascending), each value standing for the
    /// interval `value ± half_step` it was rounded from: at each distinct value the empirical
    /// CDF just below and at it is compared with the fitted CDF at the interval's ends.
    pub fn ks_distance(&self, sorted: &[f64], half_step: f64) -> f64 {
        let n = sorted.len() as f64;
        let mut d: f64 = 0.0;
        let mut i = 0;
        while i < sorted.len() {
            let v = sorted[i];
            let mut j = i;
            while j < sorted.len() && sorted[j] == v {
                j += 1;
            }
            let below = i as f64 / n;
            let at = j as f64 / n;
            d = d
                .max((below - self.cdf(v - half_step)).abs())
                .max((at - self.cdf(v + half_step)).abs());
            i = j;
        }
        d
    }
}

/// The standard normal CDF, Φ(z) = erfc(−z/√2)/2.
pub fn normal_cdf(z: f64) -> f64 {
    0.5 * erfc(-z / std::f64::consts::SQRT_2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normal_cdf_known_values() {
        // Tables: Φ(0) = 0.5, Φ(1) = 0.841344746, Φ(1.96) = 0.975002105, Φ(−2.326348) = 0.01.
        for (z, p) in [
            (0.0, 0.5),
            (1.0, 0.841_344_746),
            (1.96, 0.975_002_105),
            (-Z_99, 0.01),
            (-6.0, 9.865_876e-10),
        ] {
            let got = normal_cdf(z);
            assert!(
                (got - p).abs() <= 1.2e-7 * p.max(1e-9) + 1e-12,
                "Φ({z}) = {got}, not {p}"
            );
        }
    }

    #[test]
    fn fit_is_the_mean_and_deviation_of_the_logs() {
        // ln values −1, 0, 1: mean 0, (1/n) variance 2/3.
        let f = Lognormal::fit(&[(-1f64).exp(), 1.0, 1f64.exp()]).unwrap();
        assert!(f.mu.abs() < 1e-12);
        assert!((f.sigma - (2.0f64 / 3.0).sqrt()).abs() < 1e-12);
        assert!((f.median() - 1.0).abs() < 1e-12);
        assert!((f.p99() - (Z_99 * f.sigma).exp()).abs() < 1e-12);
        assert_eq!(Lognormal::fit(&[1.0]), None);
        assert_eq!(Lognormal::fit(&[0.2, 0.2, 0.2]), None);
        assert_eq!(Lognormal::fit(&[0.0, 0.2]), None);
    }

    #[test]
    fn ks_distance_of_one_point() {
        // One value at the median: the empirical CDF jumps 0 → 1 where the fitted CDF is 1/2.
        let f = Lognormal {
            mu: 0.0,
            sigma: 1.0,
        };
        assert!((f.ks_distance(&[1.0], 0.0) - 0.5).abs() < 1e-7);
        // Rounding widens the comparison: with x ± 0.5 the CDF ends are further from 0 and 1.
        let wide = f.ks_distance(&[1.0], 0.5);
        assert!((wide - (1.0 - f.cdf(1.5)).max(f.cdf(0.5))).abs() < 1e-12);
    }
}
