//! `--access-log-sample RATE`: which requests are logged, decided by a hash of the request's
//! sequence number in the log (never the simulation's random streams), so a sampled run simulates
//! exactly what an unsampled one does.

/// SplitMix64's finaliser: a well-mixed 64-bit hash of `x`.
pub fn mix(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// FNV-1a of a text: stable identifiers (load balancer and target group ids) from names.
pub fn fnv(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Checks a sampling rate: a number in (0, 1].
pub fn check_rate(rate: f64) -> Result<f64, String> {
    if rate.is_finite() && rate > 0.0 && rate <= 1.0 {
        Ok(rate)
    } else {
        Err(format!(
            "--access-log-sample: expected the share of requests to log, a number greater than 0 and at most 1 (0.1 logs one request in ten), got {rate}"
        ))
    }
}

/// `--access-log-sample RATE` as the command line gives it (a bad value is a usage error).
pub fn parse_rate(text: &str) -> Result<f64, String> {
    let rate: f64 = text.trim().parse().map_err(|_| {
        format!("expected the share of requests to log, a number greater than 0 and at most 1 (0.1 logs one request in ten), got {text:?}")
    })?;
    check_rate(rate).map_err(|e| e.trim_start_matches("--access-log-sample: ").to_string())
}

/// Keeps a request when the hash of its sequence number falls below `rate` of the hash range.
#[derive(Clone, Copy, Debug)]
pub struct Sampler {
    /// `None`: every request.
    threshold: Option<u64>,
}

impl Sampler {
    /// A sampler keeping about `rate` (checked by [`check_rate`]) of the requests.
    pub fn new(rate: f64) -> Sampler {
        Sampler {
            threshold: (rate < 1.0).then(|| (rate * 2f64.powi(64)) as u64),
        }
    }

    /// Whether request number `seq` is logged.
    #[inline]
    pub fn keeps(self, seq: u64) -> bool {
        self.threshold
            .is_none_or(|t| mix(seq ^ 0x5A4D_504C_455F_4C4F) < t)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_outside_zero_to_one_are_refused() {
        for bad in [0.0, -0.5, 1.5, f64::NAN, f64::INFINITY] {
            assert!(check_rate(bad).unwrap_err().contains("at most 1"), "{bad}");
        }
        assert_eq!(check_rate(1.0), Ok(1.0));
        assert_eq!(check_rate(0.001), Ok(0.001));
    }

    #[test]
    fn a_rate_keeps_about_that_share_and_one_keeps_all() {
        assert!((0..10_000).all(|s| Sampler::new(1.0).keeps(s)));
        let n = 200_000u64;
        let kept = (0..n).filter(|&s| Sampler::new(0.1).keeps(s)).count() as f64;
        // Binomial(n, 0.1): standard deviation sqrt(n·0.09) ≈ 134; allow 5 of them.
        assert!((kept - 0.1 * n as f64).abs() < 5.0 * 134.2, "{kept}");
        // A smaller rate keeps a subset of what a larger one keeps.
        assert!((0..n).all(|s| !Sampler::new(0.05).keeps(s) || Sampler::new(0.1).keeps(s)));
    }
}
