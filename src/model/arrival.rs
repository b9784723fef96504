//! Open-loop arrival processes: when the next request of a client arrives.
//!
//! Every open-loop process is one mechanism: a rate profile λ(t) and its integral Λ(t). The next
//! arrival after `t` is the time `t'` with `Λ(t') − Λ(t) = X`, where `X ~ Exp(1)` for a Poisson
//! process (time-change theorem: this is an exact non-homogeneous Poisson process, with no rejected
//! draws) and `X = 1` for evenly spaced arrivals. Profiles are piecewise linear (steps, ramps,
//! spikes, and the day curve sampled finely), so `Λ` is piecewise quadratic and inverts in closed
//! form. A constant rate takes a fast path: one draw and one multiplication.

use crate::engine::{RngStream, SimTime};

/// How arrivals are spaced for a given rate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Spacing {
    /// Exponential gaps: a Poisson process.
    Poisson,
    /// One arrival per unit of integrated rate: evenly spaced.
    Even,
}

/// One breakpoint of a piecewise-linear rate profile.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Breakpoint {
    /// Time \[s\].
    pub t: f64,
    /// Rate at `t` [req/s].
    pub rate: f64,
    /// Integrated rate from 0 to `t` [requests].
    cumulative: f64,
}

/// An open-loop arrival process.
#[derive(Clone, Debug, PartialEq)]
pub enum ArrivalProcess {
    /// A constant rate.
    Steady {
        /// Poisson or evenly spaced.
        spacing: Spacing,
        /// Mean gap \[ns\] (1/rate).
        mean_gap_ns: f64,
    },
    /// A piecewise-linear rate: linear between breakpoints, constant after the last one.
    Piecewise {
        /// Poisson or evenly spaced.
        spacing: Spacing,
        /// Breakpoints in time order; the first is at t = 0.
        points: Box<[Breakpoint]>,
    },
}

/// Per-client progress through a [`ArrivalProcess::Piecewise`] profile.
#[derive(Clone, Copy, Debug, Default)]
pub struct ArrivalCursor {
    segment: usize,
}

impl ArrivalProcess {
    /// A constant rate [req/s]; the rate must be positive.
    pub fn steady(spacing: Spacing, rate: f64) -> ArrivalProcess {
        ArrivalProcess::Steady {
            spacing,
            mean_gap_ns: 1e9 / rate,
        }
    }

    /// A piecewise-linear profile through `(t \[s\], rate [req/s])` points, sorted by time, starting
    /// at t = 0 (equal times make a step).
    pub fn piecewise(spacing: Spacing, points: &[(f64, f64)]) -> ArrivalProcess {
        let mut out: Vec<Breakpoint> = Vec::with_capacity(points.len());
        let mut cumulative = 0.0;
        for &(t, rate) in points {
            if let Some(prev) = out.last() {
                cumulative += (t - prev.t) * (prev.rate + rate) / 2.0;
            }
            out.push(Breakpoint {
                t,
                rate,
                cumulative,
            });
        }
        ArrivalProcess::Piecewise {
            spacing,
            points: out.into_boxed_slice(),
        }
    }

    /// The rate at `t` [req/s].
    pub fn rate_at(&self, t_secs: f64) -> f64 {
        match self {
            ArrivalProcess::Steady { mean_gap_ns, .. } => 1e9 / mean_gap_ns,
            ArrivalProcess::Piecewise { points, .. } => {
                let i = points.partition_point(|p| p.t <= t_secs);
                if i == 0 {
                    return points[0].rate;
                }
                if i == points.len() {
                    return points[i - 1].rate;
                }
                let (a, b) = (points[i - 1], points[i]);
                a.rate + (b.rate - a.rate) * (t_secs - a.t) / (b.t - a.t)
            }
        }
    }

    /// When the rate last came down to its final value: the earliest time \[s\] after which the
    /// rate stays at or below the rate it ends on (the end of a spike, of a schedule's last
    /// step or ramp down). `None` if the rate is never above its final rate (a steady rate, a
    /// profile that only rises).
    pub fn settles_at(&self) -> Option<f64> {
        let ArrivalProcess::Piecewise { points, .. } = self else {
            return None;
        };
        let last = points.last()?.rate;
        // The last breakpoint above the final rate; the segment after it comes down to it.
        let i = points.iter().rposition(|p| p.rate > last)?;
        let (a, b) = (points[i], points[i + 1]);
        if b.t <= a.t {
            return Some(a.t);
        }
        Some(a.t + (a.rate - last) / (a.rate - b.rate) * (b.t - a.t))
    }

    /// The expected number of arrivals in `[0, t]`.
    pub fn expected_arrivals(&self, t_secs: f64) -> f64 {
        match self {
            ArrivalProcess::Steady { mean_gap_ns, .. } => t_secs * 1e9 / mean_gap_ns,
            ArrivalProcess::Piecewise { points, .. } => {
                let i = points.partition_point(|p| p.t <= t_secs).max(1);
                let a = points[i - 1];
                a.cumulative + (t_secs - a.t) * (a.rate + self.rate_at(t_secs)) / 2.0
            }
        }
    }

    /// The first arrival strictly after `now`, or `None` if the rate stays zero for ever.
    #[inline(always)]
    pub fn next_after(
        &self,
        now: SimTime,
        cursor: &mut ArrivalCursor,
        rng: &mut RngStream,
    ) -> Option<SimTime> {
        match self {
            ArrivalProcess::Steady {
                spacing,
                mean_gap_ns,
            } => {
                let units = match spacing {
                    Spacing::Poisson => rng.exp1(),
                    Spacing::Even => 1.0,
                };
                // At least 1 ns so that time always moves forward.
                let gap = ((units * mean_gap_ns) as u64).max(1);
                Some(SimTime(now.0.saturating_add(gap)))
            }
            ArrivalProcess::Piecewise { spacing, points } => {
                let units = match spacing {
                    Spacing::Poisson => rng.exp1(),
                    Spacing::Even => 1.0,
                };
                let t = now.as_secs_f64();
                let next = invert(points, cursor, t, units)?;
                let ns = (next * 1e9).round();
                Some(SimTime((ns as u64).max(now.0 + 1)))
            }
        }
    }
}

/// Solves `Λ(t') = Λ(t) + units` on a piecewise-linear rate, moving `cursor` forward.
fn invert(points: &[Breakpoint], cursor: &mut ArrivalCursor, t: f64, units: f64) -> Option<f64> {
    let mut j = cursor.segment;
    while j + 1 < points.len() && points[j + 1].t <= t {
        j += 1;
    }
    cursor.segment = j;
    let start = points[j];
    // Integrated rate from the segment start to t.
    let (rate_t, slope) = segment_rate(points, j, t);
    let target = start.cumulative + (t - start.t) * (start.rate + rate_t) / 2.0 + units;
    loop {
        if j + 1 < points.len() && points[j + 1].cumulative < target {
            j += 1;
            continue;
        }
        let p = points[j];
        let remaining = target - p.cumulative;
        if j + 1 == points.len() {
            // Open-ended last segment at a constant rate.
            return (p.rate > 0.0).then(|| p.t + remaining / p.rate);
        }
        if remaining <= 0.0 {
            return Some(p.t);
        }
        let slope = if j == cursor.segment {
            slope
        } else {
            segment_rate(points, j, p.t).1
        };
        // Solve rate·τ + slope·τ²/2 = remaining in the stable form 2R / (r + sqrt(r² + 2·s·R)).
        let disc = (p.rate * p.rate + 2.0 * slope * remaining).max(0.0);
        let denom = p.rate + disc.sqrt();
        if denom <= 0.0 {
            // Only reachable through rounding on a zero-mass segment: move on.
            j += 1;
            continue;
        }
        let tau = (2.0 * remaining / denom).max(0.0);
        return Some((p.t + tau).min(points[j + 1].t));
    }
}

/// Rate at `t` within segment `j`, and the segment's slope [req/s²].
fn segment_rate(points: &[Breakpoint], j: usize, t: f64) -> (f64, f64) {
    let a = points[j];
    match points.get(j + 1) {
        Some(b) if b.t > a.t => {
            let slope = (b.rate - a.rate) / (b.t - a.t);
            (a.rate + slope * (t - a.t), slope)
        }
        _ => (a.rate, 0.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn count_arrivals(p: &ArrivalProcess, until_s: f64, seed: u64) -> Vec<f64> {
        let mut rng = RngStream::derive(seed, "arrivals");
        let mut cursor = ArrivalCursor::default();
        let mut t = SimTime::ZERO;
        let mut out = Vec::new();
        while let Some(next) = p.next_after(t, &mut cursor, &mut rng) {
            if next.as_secs_f64() > until_s {
                break;
            }
            out.push(next.as_secs_f64());
            t = next;
        }
        out
    }

    #[test]
    fn a_profile_settles_when_it_last_comes_down_to_its_final_rate() {
        let step = |pts: &[(f64, f64)]| ArrivalProcess::piecewise(Spacing::Even, pts).settles_at();
        // A step down at 1800 s (40 → 160 → 40 req/s).
        let test = [
            (0.0, 40.0),
            (600.0, 40.0),
            (600.0, 160.0),
            (1800.0, 160.0),
            (1800.0, 40.0),
        ];
        assert_eq!(step(&test), Some(1800.0));
        // A ramp from 100 down to 20 over 100–200 s crosses its final rate 20 at 200 s.
        assert_eq!(
            step(&[(0.0, 100.0), (100.0, 100.0), (200.0, 20.0)]),
            Some(200.0)
        );
        // Down to 0 by 300 s, then back up to 10 for ever: above 10 until 100 + 90/100·200 = 280 s.
        assert_eq!(
            step(&[(0.0, 100.0), (100.0, 100.0), (300.0, 0.0), (300.0, 10.0)]),
            Some(280.0)
        );
        // A profile that only rises, and a steady rate, never come down.
        assert_eq!(step(&[(0.0, 0.0), (60.0, 50.0)]), None);
        assert_eq!(
            ArrivalProcess::steady(Spacing::Even, 5.0).settles_at(),
            None
        );
    }

    #[test]
    fn even_spacing_is_exact() {
        let p = ArrivalProcess::steady(Spacing::Even, 4.0);
        let a = count_arrivals(&p, 10.0, 1);
        assert_eq!(a.len(), 40);
        assert!((a[0] - 0.25).abs() < 1e-9);
    }

    #[test]
    fn piecewise_even_spacing_follows_a_ramp_exactly() {
        // Rate ramps 0 → 10 req/s over 10 s: Λ(t) = t²/2, so the k-th arrival is at sqrt(2k).
        let p = ArrivalProcess::piecewise(Spacing::Even, &[(0.0, 0.0), (10.0, 10.0)]);
        let a = count_arrivals(&p, 10.0, 1);
        assert_eq!(a.len(), 50);
        for (k, t) in a.iter().enumerate() {
            assert!(
                (t - (2.0 * (k + 1) as f64).sqrt()).abs() < 1e-6,
                "arrival {k} at {t}"
            );
        }
    }

    #[test]
    fn steps_and_zero_rate_gaps() {
        // 10 req/s for 5 s, nothing for 5 s, then 20 req/s.
        let p = ArrivalProcess::piecewise(
            Spacing::Even,
            &[
                (0.0, 10.0),
                (5.0, 10.0),
                (5.0, 0.0),
                (10.0, 0.0),
                (10.0, 20.0),
            ],
        );
        let a = count_arrivals(&p, 12.0, 1);
        assert_eq!(a.iter().filter(|&&t| t <= 5.0).count(), 50);
        assert_eq!(a.iter().filter(|&&t| t > 5.0 && t < 10.0).count(), 0);
        assert_eq!(a.iter().filter(|&&t| t > 10.0).count(), 40);
    }

    #[test]
    fn rate_zero_for_ever_ends_the_process() {
        let p = ArrivalProcess::piecewise(Spacing::Poisson, &[(0.0, 5.0), (2.0, 5.0), (2.0, 0.0)]);
        let a = count_arrivals(&p, 1e6, 9);
        assert!(a.iter().all(|&t| t <= 2.0));
    }

    /// Counts of a Poisson process in disjoint windows are Poisson: mean = Λ, variance = Λ. Over a
    /// ramp from 100 to 300 req/s for 100 s, Λ = 20 000, so the count is within ±4.5·sqrt(20 000)
    /// ≈ ±636 with probability > 0.99999.
    #[test]
    fn poisson_counts_match_integrated_rate() {
        let p = ArrivalProcess::piecewise(Spacing::Poisson, &[(0.0, 100.0), (100.0, 300.0)]);
        assert!((p.expected_arrivals(100.0) - 20_000.0).abs() < 1e-6);
        for seed in 0..5 {
            let n = count_arrivals(&p, 100.0, seed).len() as f64;
            assert!((n - 20_000.0).abs() < 636.0, "seed {seed}: {n}");
        }
        // And the second half (rate 200→300) holds 12 500 of them: ±4.5·sqrt(12 500) ≈ ±503.
        let a = count_arrivals(&p, 100.0, 11);
        let late = a.iter().filter(|&&t| t > 50.0).count() as f64;
        assert!((late - 12_500.0).abs() < 503.0, "{late}");
    }
}
