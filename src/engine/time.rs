//! Simulated time: integer nanoseconds.
//!
//! Why integers: events at "the same time" must compare equal exactly, sums of durations must not
//! drift, and a run must give the same answer on every machine. A `u64` of nanoseconds covers
//! 584 years, far beyond any scenario.

use std::fmt;
use std::ops::{Add, AddAssign, Sub};

/// A point in simulated time [ns since the start of the run].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SimTime(pub u64);

/// A length of simulated time \[ns\].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SimDuration(pub u64);

/// Nanoseconds per second.
pub const NANOS_PER_SEC: u64 = 1_000_000_000;
/// Nanoseconds per millisecond.
pub const NANOS_PER_MILLI: u64 = 1_000_000;

impl SimTime {
    /// The start of every run.
    pub const ZERO: SimTime = SimTime(0);
    /// A time later than any event (used as "never").
    pub const NEVER: SimTime = SimTime(u64::MAX);

    /// Seconds since the start, as a float (for reports only).
    pub fn as_secs_f64(self) -> f64 {
        self.0 as f64 / NANOS_PER_SEC as f64
    }

    /// The time `d` after `self`, saturating at [`SimTime::NEVER`].
    #[inline]
    pub fn saturating_add(self, d: SimDuration) -> SimTime {
        SimTime(self.0.saturating_add(d.0))
    }

    /// The duration since `earlier`, or zero if `earlier` is later.
    #[inline]
    pub fn since(self, earlier: SimTime) -> SimDuration {
        SimDuration(self.0.saturating_sub(earlier.0))
    }
}

impl SimDuration {
    /// No time at all.
    pub const ZERO: SimDuration = SimDuration(0);

    /// Whole seconds.
    pub const fn from_secs(s: u64) -> SimDuration {
        SimDuration(s * NANOS_PER_SEC)
    }

    /// Whole milliseconds.
    pub const fn from_millis(ms: u64) -> SimDuration {
        SimDuration(ms * NANOS_PER_MILLI)
    }

    /// Fractional seconds, rounded to the nearest nanosecond; negative or NaN becomes zero.
    pub fn from_secs_f64(s: f64) -> SimDuration {
        if s.is_nan() || s <= 0.0 {
            SimDuration::ZERO
        } else {
            SimDuration((s * NANOS_PER_SEC as f64).round().min(u64::MAX as f64) as u64)
        }
    }

    /// Fractional milliseconds, rounded to the nearest nanosecond; negative or NaN becomes zero.
    #[inline]
    pub fn from_millis_f64(ms: f64) -> SimDuration {
        if ms.is_nan() || ms <= 0.0 {
            SimDuration::ZERO
        } else {
            SimDuration((ms * NANOS_PER_MILLI as f64).round().min(u64::MAX as f64) as u64)
        }
    }

    /// Seconds, as a float.
    pub fn as_secs_f64(self) -> f64 {
        self.0 as f64 / NANOS_PER_SEC as f64
    }

    /// Milliseconds, as a float.
    pub fn as_millis_f64(self) -> f64 {
        self.0 as f64 / NANOS_PER_MILLI as f64
    }
}

impl Add<SimDuration> for SimTime {
    type Output = SimTime;
    #[inline]
    fn add(self, d: SimDuration) -> SimTime {
        SimTime(self.0 + d.0)
    }
}

impl AddAssign<SimDuration> for SimTime {
    #[inline]
    fn add_assign(&mut self, d: SimDuration) {
        self.0 += d.0;
    }
}

impl Sub for SimTime {
    type Output = SimDuration;
    #[inline]
    fn sub(self, earlier: SimTime) -> SimDuration {
        SimDuration(self.0 - earlier.0)
    }
}

impl Add for SimDuration {
    type Output = SimDuration;
    #[inline]
    fn add(self, d: SimDuration) -> SimDuration {
        SimDuration(self.0 + d.0)
    }
}

impl fmt::Display for SimTime {
    /// `h:mm:ss.mmm`, the way the activity history prints times.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ms = self.0 / NANOS_PER_MILLI;
        let (h, rem) = (ms / 3_600_000, ms % 3_600_000);
        let (m, rem) = (rem / 60_000, rem % 60_000);
        write!(f, "{h}:{m:02}:{:02}.{:03}", rem / 1000, rem % 1000)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conversions_round_to_nanoseconds() {
        assert_eq!(SimDuration::from_secs(2).0, 2_000_000_000);
        assert_eq!(SimDuration::from_millis_f64(0.0000004).0, 0);
        assert_eq!(SimDuration::from_millis_f64(0.0000006).0, 1);
        assert_eq!(SimDuration::from_secs_f64(-1.0), SimDuration::ZERO);
        assert_eq!(SimDuration::from_secs_f64(f64::NAN), SimDuration::ZERO);
    }

    #[test]
    fn display_is_clock_style() {
        let t = SimTime::ZERO + SimDuration::from_secs(3_725) + SimDuration::from_millis(42);
        assert_eq!(t.to_string(), "1:02:05.042");
    }

    #[test]
    fn saturating_add_reaches_never() {
        assert_eq!(
            SimTime(u64::MAX - 1).saturating_add(SimDuration(5)),
            SimTime::NEVER
        );
    }
}
