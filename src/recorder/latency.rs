//! Latency distributions in bounded memory: an HDR histogram with the exact mean, minimum and
//! maximum beside it.
//!
//! A percentile is read as the midpoint of the bucket holding it (within ±0.05 % of the true
//! sample value), then clamped to the exact minimum and maximum: a bucket's midpoint can lie above
//! the largest sample in it (60 000 ms requests cut off at exactly 60 s fall in a bucket whose
//! midpoint is 60 014.6 ms), and no reported percentile may exceed the maximum or fall below the
//! minimum. Clamping keeps percentiles monotone (p50 ≤ p90 ≤ p99 ≤ p99.9 ≤ max).

use super::result::LatencySummary;
use crate::engine::SimDuration;

/// Highest recordable latency [µs]: 2 h, above the longest ALB idle timeout (4000 s).
const MAX_MICROS: u64 = 7_200_000_000;

/// A latency histogram: microsecond buckets with 3 significant digits (relative error ≤ 0.1 %),
/// about 190 KiB whatever the number of samples; the mean, minimum and maximum are kept exactly.
#[derive(Debug, Clone)]
pub struct LatencyHistogram {
    /// Counts in hdrhistogram's own bucket layout for (1, MAX_MICROS, 3 digits): 2048 sub-buckets,
    /// unit magnitude 0. Recording is a few integer operations; hdrhistogram is only built to read.
    counts: Vec<u64>,
    n: u64,
    sum_ns: u128,
    /// Exact smallest sample [ns] (`u64::MAX` when empty).
    min_ns: u64,
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

/// Width of bucket `index` [µs]: values `value_for(index)..value_for(index) + width` share it.
fn width_for(index: usize) -> u64 {
    1 << ((index >> 10) as u32).saturating_sub(1)
}

/// The bucket's representative value [µs]: its midpoint, rounded up (hdrhistogram's
/// `median_equivalent`).
fn midpoint_for(index: usize) -> u64 {
    value_for(index) + (width_for(index) >> 1)
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
            min_ns: u64::MAX,
            max_ns: 0,
        }
    }

    /// Adds one sample.
    #[inline(always)]
    pub fn record(&mut self, d: SimDuration) {
        self.counts[index_for((d.0 / 1_000).min(MAX_MICROS))] += 1;
        self.n += 1;
        self.sum_ns += u128::from(d.0);
        self.min_ns = self.min_ns.min(d.0);
        self.max_ns = self.max_ns.max(d.0);
    }

    /// Adds all samples of `other`.
    pub fn merge(&mut self, other: &LatencyHistogram) {
        for (a, b) in self.counts.iter_mut().zip(&other.counts) {
            *a += b;
        }
        self.n += other.n;
        self.sum_ns += other.sum_ns;
        self.min_ns = self.min_ns.min(other.min_ns);
        self.max_ns = self.max_ns.max(other.max_ns);
    }

    /// Number of samples.
    pub fn count(&self) -> u64 {
        self.n
    }

    /// Buckets that may hold samples: those from the minimum's to the maximum's.
    fn occupied(&self) -> std::ops::Range<usize> {
        if self.n == 0 {
            return 0..0;
        }
        let bucket = |ns: u64| index_for((ns / 1_000).min(MAX_MICROS));
        bucket(self.min_ns)..bucket(self.max_ns) + 1
    }

    /// Empties the histogram. Only the occupied buckets are cleared, so emptying a histogram of
    /// one metric period costs what its samples span, not the whole bucket table.
    pub fn reset(&mut self) {
        let occupied = self.occupied();
        if !occupied.is_empty() {
            self.counts[occupied].fill(0);
        }
        self.n = 0;
        self.sum_ns = 0;
        self.min_ns = u64::MAX;
        self.max_ns = 0;
    }

    /// Exact smallest sample \[ns\]; `None` when empty.
    pub fn min_ns(&self) -> Option<u64> {
        (self.n > 0).then_some(self.min_ns)
    }

    /// Exact largest sample \[ns\]; `None` when empty.
    pub fn max_ns(&self) -> Option<u64> {
        (self.n > 0).then_some(self.max_ns)
    }

    /// The quantiles `qs` (each in 0–1, any order) \[ns\], in one pass over the buckets; empty
    /// when there are no samples.
    ///
    /// The `q` quantile is the sample of rank ⌈q·n⌉ (at least 1), as hdrhistogram ranks them; it is
    /// read as its bucket's midpoint and clamped to the exact minimum and maximum, so results are
    /// monotone in `q` and never outside [min, max].
    pub fn quantiles_ns(&self, qs: &[f64]) -> Vec<u64> {
        if self.n == 0 {
            return Vec::new();
        }
        let rank = |q: f64| {
            let q = if q.is_nan() { 0.0 } else { q.clamp(0.0, 1.0) };
            ((q * self.n as f64).ceil() as u64).clamp(1, self.n)
        };
        let mut order: Vec<(u64, usize)> =
            qs.iter().enumerate().map(|(k, &q)| (rank(q), k)).collect();
        order.sort_unstable();
        let mut out = vec![self.max_ns; qs.len()];
        let mut pending = order.iter().peekable();
        let mut seen = 0u64;
        for i in self.occupied() {
            seen += self.counts[i];
            while let Some(&&(r, k)) = pending.peek() {
                if r > seen {
                    break;
                }
                out[k] = midpoint_for(i)
                    .saturating_mul(1_000)
                    .clamp(self.min_ns, self.max_ns);
                pending.next();
            }
            if pending.peek().is_none() {
                break;
            }
        }
        out
    }

    /// The `q` quantile \[s\] (see [`Self::quantiles_ns`]); `None` when empty.
    pub fn quantile_secs(&self, q: f64) -> Option<f64> {
        self.quantiles_ns(&[q]).first().map(|&ns| ns as f64 / 1e9)
    }

    /// Mean, percentiles and maximum \[ms\]; `None` when empty. Percentiles are clamped to the
    /// exact minimum and maximum (see the module documentation), and so is the mean, against
    /// rounding.
    pub fn summary(&self) -> Option<LatencySummary> {
        let n = self.n;
        if n == 0 {
            return None;
        }
        let ms = |ns: u64| ns as f64 / 1e6;
        let (min, max) = (ms(self.min_ns), ms(self.max_ns));
        let q = self.quantiles_ns(&[0.50, 0.90, 0.99, 0.999]);
        Some(LatencySummary {
            mean: (self.sum_ns as f64 / n as f64 / 1e6).clamp(min, max),
            p50: ms(q[0]),
            p90: ms(q[1]),
            p99: ms(q[2]),
            p999: ms(q[3]),
            max,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hdrhistogram::Histogram;

    fn empty_hdr() -> Histogram<u64> {
        Histogram::new_with_bounds(1, MAX_MICROS, 3).expect("valid histogram bounds")
    }

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

    #[test]
    fn midpoints_match_hdrhistogram_median_equivalent() {
        let h = empty_hdr();
        let mut v = 0u64;
        while v <= MAX_MICROS {
            let i = index_for(v);
            assert_eq!(midpoint_for(i), h.median_equivalent(v), "{v}");
            assert_eq!(value_for(i) + width_for(i), h.next_non_equivalent(v), "{v}");
            v = v * 9 / 8 + 1;
        }
    }

    /// Away from the clamped ends, quantiles are hdrhistogram's `median_equivalent` of
    /// `value_at_quantile`: the estimator is the library's, only read without building it.
    #[test]
    fn quantiles_agree_with_hdrhistogram_inside_the_range() {
        let mut ours = LatencyHistogram::new();
        let mut theirs = empty_hdr();
        let mut x = 12_345u64;
        for _ in 0..5_000 {
            x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            let micros = 100 + (x >> 33) % 3_000_000;
            ours.record(SimDuration(micros * 1_000 + 500));
            theirs.record(micros).unwrap();
        }
        for q in [0.0, 0.1, 0.5, 0.9, 0.99, 0.999] {
            let expected = theirs.median_equivalent(theirs.value_at_quantile(q)) * 1_000;
            let (min, max) = (ours.min_ns().unwrap(), ours.max_ns().unwrap());
            assert_eq!(
                ours.quantiles_ns(&[q])[0],
                expected.clamp(min, max),
                "q {q}"
            );
        }
    }

    /// A hard maximum: requests cut off at exactly 60 s. The bucket holding 60 000 ms spans
    /// 59 998.2–60 031.0 ms and its midpoint is 60 014.6 ms, the figure of the issue.
    #[test]
    fn percentiles_never_exceed_the_exact_maximum() {
        // See: issue 7, defect 9
        let mut h = LatencyHistogram::new();
        for _ in 0..50 {
            h.record(SimDuration::from_millis(20));
        }
        for _ in 0..950 {
            h.record(SimDuration::from_secs(60));
        }
        let i = index_for(60_000_000);
        assert!(
            midpoint_for(i) > 60_000_000,
            "the bucket midpoint lies above 60 s"
        );
        let s = h.summary().unwrap();
        assert_eq!(s.max, 60_000.0);
        for (name, p) in [
            ("p50", s.p50),
            ("p90", s.p90),
            ("p99", s.p99),
            ("p999", s.p999),
        ] {
            assert_eq!(p, 60_000.0, "{name}");
        }
        assert_eq!(h.quantile_secs(0.99), Some(60.0));
        assert!(s.mean <= s.max);
    }

    #[test]
    fn percentiles_never_fall_below_the_exact_minimum() {
        // See: issue 7, defect 9
        let mut h = LatencyHistogram::new();
        // 62 015 µs is at the top of a 32 µs-wide bucket whose midpoint is 62 000 µs.
        let d = SimDuration(62_015_000);
        assert!(midpoint_for(index_for(62_015)) < 62_015);
        for _ in 0..10 {
            h.record(d);
        }
        let s = h.summary().unwrap();
        assert_eq!(
            (s.p50, s.p999, s.max, s.mean),
            (62.015, 62.015, 62.015, 62.015)
        );
        assert_eq!(h.quantile_secs(0.0), Some(0.062015));
    }

    #[test]
    fn quantiles_are_monotone_and_within_min_max() {
        let mut h = LatencyHistogram::new();
        let mut x = 7u64;
        for _ in 0..3_000 {
            x = x
                .wrapping_mul(2_862_933_555_777_941_757)
                .wrapping_add(3_037_000_493);
            // Heavy-tailed: mostly milliseconds, some up to minutes.
            let ns = (x >> 40) * ((x & 0xff) + 1) * 1_000;
            h.record(SimDuration(ns));
        }
        let qs: Vec<f64> = (0..=1000).map(|k| f64::from(k) / 1000.0).collect();
        let v = h.quantiles_ns(&qs);
        let (min, max) = (h.min_ns().unwrap(), h.max_ns().unwrap());
        assert!(v.windows(2).all(|w| w[0] <= w[1]), "monotone");
        assert!(v.iter().all(|&ns| (min..=max).contains(&ns)));
        assert_eq!(v[1000], max);
        // The answer does not depend on the order of the quantiles asked for.
        let reversed: Vec<f64> = qs.iter().rev().copied().collect();
        let mut back = h.quantiles_ns(&reversed);
        back.reverse();
        assert_eq!(back, v);
        let s = h.summary().unwrap();
        assert!(s.p50 <= s.p90 && s.p90 <= s.p99 && s.p99 <= s.p999 && s.p999 <= s.max);
    }

    #[test]
    fn reset_clears_only_what_was_recorded_and_empties() {
        let mut h = LatencyHistogram::new();
        h.record(SimDuration::from_millis(3));
        h.record(SimDuration::from_millis(900));
        h.reset();
        assert!(h.counts.iter().all(|&c| c == 0));
        assert_eq!((h.count(), h.min_ns(), h.max_ns()), (0, None, None));
        assert!(h.quantiles_ns(&[0.5]).is_empty());
        assert_eq!(h.quantile_secs(0.5), None);
        h.record(SimDuration::from_millis(5));
        assert_eq!(h.quantile_secs(0.5), Some(0.005));
    }
}
