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
    /// Counts in hdrhistogram's own bucket layout for (1, MAX_MICROS, 3 digits): 2048 sub-buckets,
    /// unit magnitude 0. Recording is a few integer operations; hdrhistogram is only built to read.
    counts: Vec<u64>,
    n: u64,
    sum_ns: u128,
    max_ns: u64,
}

/// hdrhistogram's `leading_zero_count_base` for 2048 sub-buckets and unit magnitude 0.
const LZC_BASE: u32 = 64 - 11;

#[inline]
fn index_for(micros: u64) -> usize {
    let bucket = LZC_BASE - (micros | 2047).leading_zeros();
    (((bucket + 1) << 10) as u64 + (micros >> bucket) - 1024) as usize
}

fn value_for(index: usize) -> u64 {
    let bucket = (index >> 10) as i64 - 1;
    let (bucket, sub) = if bucket < 0 {
        (0, index as u64)
    } else {
        (bucket as u32, (index & 1023) as u64 + 1024)
    };
    sub << bucket
}

fn empty_hdr() -> Histogram<u64> {
    // Bounds and precision are constants that hdrhistogram accepts.
    Histogram::new_with_bounds(1, MAX_MICROS, 3).expect("valid histogram bounds")
}

impl Default for LatencyHistogram {
    fn default() -> Self {
        Self::new()
    }
}

impl LatencyHistogram {
    /// An empty histogram.
    pub fn new() -> Self {
        LatencyHistogram {
            counts: vec![0; index_for(MAX_MICROS) + 1],
            n: 0,
            sum_ns: 0,
            max_ns: 0,
        }
    }

    /// Adds one sample.
    #[inline(always)]
    pub fn record(&mut self, d: SimDuration) {
        self.counts[index_for((d.0 / 1_000).min(MAX_MICROS))] += 1;
        self.n += 1;
        self.sum_ns += u128::from(d.0);
        self.max_ns = self.max_ns.max(d.0);
    }

    /// Adds all samples of `other`.
    pub fn merge(&mut self, other: &LatencyHistogram) {
        for (a, b) in self.counts.iter_mut().zip(&other.counts) {
            *a += b;
        }
        self.n += other.n;
        self.sum_ns += other.sum_ns;
        self.max_ns = self.max_ns.max(other.max_ns);
    }

    /// Number of samples.
    pub fn count(&self) -> u64 {
        self.n
    }

    /// Empties the histogram.
    pub fn reset(&mut self) {
        self.counts.fill(0);
        self.n = 0;
        self.sum_ns = 0;
        self.max_ns = 0;
    }

    fn hdr(&self) -> Histogram<u64> {
        let mut h = empty_hdr();
        for (i, &c) in self.counts.iter().enumerate() {
            if c > 0 {
                h.saturating_record_n(value_for(i), c);
            }
        }
        h
    }

    /// The `q` quantile \[s\] (0 when empty).
    pub fn quantile_secs(&self, q: f64) -> f64 {
        self.hdr().value_at_quantile(q) as f64 / 1e6
    }

    /// Mean, percentiles and maximum \[ms\]; `None` when empty.
    pub fn summary(&self) -> Option<LatencySummary> {
        let n = self.n;
        if n == 0 {
            return None;
        }
        let hist = self.hdr();
        // hdrhistogram reports the highest value equivalent to the bucket; use the bucket's
        // representative (median) value so that percentiles are unbiased to ±0.05 %.
        let q = |q: f64| hist.median_equivalent(hist.value_at_quantile(q)) as f64 / 1e3;
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
    fn index_layout_matches_hdrhistogram() {
        let mut h = empty_hdr();
        let mut v = 0u64;
        while v <= MAX_MICROS {
            h.reset();
            h.record(v).unwrap();
            let expected = h.iter_recorded().next().unwrap().value_iterated_to();
            assert_eq!(
                h.highest_equivalent(value_for(index_for(v))),
                expected,
                "{v}"
            );
            v = v * 5 / 4 + 1;
        }
    }

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
