//! Latency distributions in bounded memory: an HDR histogram with an exact mean beside it.

use super::result::LatencySummary;
use crate::engine::SimDuration;
use hdrhistogram::Histogram;

/// Highest recordable latency [µs]: 2 h, above the longest ALB idle timeout (4000 s).
const MAX_MICROS: u64 = 7_200_000_000;

/// A latency histogram: microsecond buckets with 3 significant digits (relative error ≤ 0.1 %),
/// about 60 KiB whatever the number of samples; the mean and maximum are kept exactly.
#[derive(Debug, Clone)]
pub struct LatencyHistogram {
    hist: Histogram<u64>,
    sum_ns: u128,
    max_ns: u64,
}

impl Default for LatencyHistogram {
    fn default() -> Self {
        Self::new()
    }
}

impl LatencyHistogram {
    /// An empty histogram.
    pub fn new() -> Self {
        // Bounds and precision are constants that hdrhistogram accepts.
        let hist = Histogram::new_with_bounds(1, MAX_MICROS, 3).expect("valid histogram bounds");
        LatencyHistogram {
            hist,
            sum_ns: 0,
            max_ns: 0,
        }
    }

    /// Adds one sample.
    #[inline]
    pub fn record(&mut self, d: SimDuration) {
        self.hist.saturating_record(d.0 / 1_000);
        self.sum_ns += u128::from(d.0);
        self.max_ns = self.max_ns.max(d.0);
    }

    /// Number of samples.
    pub fn count(&self) -> u64 {
        self.hist.len()
    }

    /// Adds all samples of `other`.
    pub fn merge(&mut self, other: &LatencyHistogram) {
        // Both histograms have the same bounds, so adding cannot fail; saturate defensively.
        let _ = self.hist.add(&other.hist);
        self.sum_ns += other.sum_ns;
        self.max_ns = self.max_ns.max(other.max_ns);
    }

    /// Empties the histogram.
    pub fn reset(&mut self) {
        self.hist.reset();
        self.sum_ns = 0;
        self.max_ns = 0;
    }

    /// The `q` quantile \[s\] (0 when empty).
    pub fn quantile_secs(&self, q: f64) -> f64 {
        self.hist.value_at_quantile(q) as f64 / 1e6
    }

    /// Mean, percentiles and maximum \[ms\]; `None` when empty.
    pub fn summary(&self) -> Option<LatencySummary> {
        let n = self.hist.len();
        if n == 0 {
            return None;
        }
        // hdrhistogram reports the highest value equivalent to the bucket; use the bucket's
        // representative (median) value so that percentiles are unbiased to ±0.05 %.
        let q = |q: f64| self.hist.median_equivalent(self.hist.value_at_quantile(q)) as f64 / 1e3;
        Some(LatencySummary {
            mean: self.sum_ns as f64 / n as f64 / 1e6,
            p50: q(0.50),
            p90: q(0.90),
            p99: q(0.99),
            p999: q(0.999),
            max: self.max_ns as f64 / 1e6,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_of_a_uniform_ramp() {
        let mut h = LatencyHistogram::new();
        for ms in 1..=1000u64 {
            h.record(SimDuration::from_millis(ms));
        }
        let s = h.summary().unwrap();
        assert!((s.mean - 500.5).abs() < 1e-9);
        assert!((s.p50 - 500.0).abs() <= 0.5, "{}", s.p50);
        assert!((s.p99 - 990.0).abs() <= 1.0, "{}", s.p99);
        assert_eq!(s.max, 1000.0);
        assert!(LatencyHistogram::new().summary().is_none());
        let mut halves = (LatencyHistogram::new(), LatencyHistogram::new());
        for ms in 1..=1000u64 {
            if ms % 2 == 0 {
                &mut halves.0
            } else {
                &mut halves.1
            }
            .record(SimDuration::from_millis(ms));
        }
        halves.0.merge(&halves.1);
        assert_eq!(halves.0.summary(), Some(s));
    }
}
