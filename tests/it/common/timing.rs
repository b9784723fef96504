//! Exact event times: the tolerance they are compared with, health-check schedules and the
//! arrivals of evenly spaced clients.

/// Time a target spends answering a health check in the timeline tests [ms]. Set explicitly (it is
/// an albsim assumption, default 1 ms) because a passing check completes this long after it is
/// sent, so a transition to `healthy` happens at check time + `CHECK_MS`.
pub const CHECK_MS: f64 = 1.0;

/// Tolerance on event times [s]. The engine counts integer nanoseconds and every duration in a
/// model is rounded to the nearest nanosecond; an expected time is a sum of at most a handful of
/// such durations, so it is exact to a few ns. 10 ns is far below any gap between events in these
/// tests (≥ 1 ms).
pub const TIME_TOL: f64 = 1e-8;

/// Panics unless event time `actual` equals `expected` to within [`TIME_TOL`].
pub fn assert_time(actual: f64, expected: f64, what: &str) {
    assert!(
        (actual - expected).abs() <= TIME_TOL,
        "{what}: at {actual} s, expected {expected} s"
    );
}

/// Node 0's first check strictly after `t`, on the schedule `phase + k·interval` (k ≥ 0).
pub fn next_check_after(t: f64, phase: f64, interval: f64) -> f64 {
    let k = ((t - phase) / interval).floor() + 1.0;
    phase + k.max(0.0) * interval
}

/// Number of arrivals of a `constant` client at `rate` per second (integer, dividing 10⁹, so the
/// arrivals are exactly at k/rate, k ≥ 1) strictly between `from` and `to` [s]. Neither bound may
/// be an arrival time (a tie would depend on event order, which these tests avoid).
pub fn arrivals_between(rate: u64, from: f64, to: f64) -> u64 {
    assert_eq!(1_000_000_000 % rate, 0, "rate must divide 10^9");
    let gap = 1_000_000_000 / rate;
    let ns = |t: f64| {
        let n = (t * 1e9).round() as u64;
        assert_ne!(n % gap, 0, "{t} s is an arrival time");
        n
    };
    let a = if from <= 0.0 { 0 } else { ns(from) };
    // k·gap < to ⇔ k ≤ ⌊to/gap⌋, and k·gap ≤ from ⇔ k ≤ ⌊from/gap⌋ (neither is a multiple).
    (ns(to) / gap).saturating_sub(a / gap)
}
