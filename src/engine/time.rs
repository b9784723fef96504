//! Simulated time: integer nanoseconds.
//!
//! Why integers: events at "the same time" must compare equal exactly, sums of durations must not
//! drift, and a run must give the same answer on every machine. A `u64` of nanoseconds covers
//! 584 years, far beyond any scenario.
//!
//! Overflow: adding a duration to a time saturates at [`SimTime::NEVER`] (an event that late is
//! after the end of every run, so it never happens), and conversions from a user's numbers are
//! checked ([`SimDuration::try_from_std`]) or saturate ([`SimDuration::from_nanos_f64`]); nothing
//! wraps around to an early time.

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

    /// The longest representable duration: as an offset from any time, it lands on
    /// [`SimTime::NEVER`].
    pub const MAX: SimDuration = SimDuration(u64::MAX);

    /// Fractional seconds, rounded to the nearest nanosecond; negative or NaN becomes zero, too
    /// large saturates at [`SimDuration::MAX`].
    pub fn from_secs_f64(s: f64) -> SimDuration {
        Self::from_nanos_f64((s * NANOS_PER_SEC as f64).round())
    }

    /// Fractional milliseconds, rounded to the nearest nanosecond; negative or NaN becomes zero,
    /// too large saturates at [`SimDuration::MAX`].
    #[inline]
    pub fn from_millis_f64(ms: f64) -> SimDuration {
        Self::from_nanos_f64((ms * NANOS_PER_MILLI as f64).round())
    }

    /// Nanoseconds as a float, truncated: negative or NaN becomes zero, anything at or beyond
    /// 2^64 ns (584 years, infinity included) saturates at [`SimDuration::MAX`]. This is what a
    /// sampled duration goes through, so a huge draw means "after the end of the run", never a
    /// wrapped-around short time.
    #[inline(always)]
    pub fn from_nanos_f64(ns: f64) -> SimDuration {
        // Rust's float-to-integer `as` saturates (NaN → 0): exactly the rule above.
        SimDuration(ns as u64)
    }

    /// A `std` duration (as the model file's duration values are parsed), or `None` if it does
    /// not fit in 2^64 ns (584 years).
    pub fn try_from_std(d: std::time::Duration) -> Option<SimDuration> {
        u64::try_from(d.as_nanos()).ok().map(SimDuration)
    }

    /// The sum, saturating at [`SimDuration::MAX`].
    #[inline]
    pub fn saturating_add(self, d: SimDuration) -> SimDuration {
        SimDuration(self.0.saturating_add(d.0))
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

/// Saturates at [`SimTime::NEVER`]: a time past 2^64 ns is "never", not a wrapped early time.
impl Add<SimDuration> for SimTime {
    type Output = SimTime;
    #[inline(always)]
    fn add(self, d: SimDuration) -> SimTime {
        SimTime(self.0.saturating_add(d.0))
    }
}

/// Saturates at [`SimTime::NEVER`], like `+`.
impl AddAssign<SimDuration> for SimTime {
    #[inline(always)]
    fn add_assign(&mut self, d: SimDuration) {
        self.0 = self.0.saturating_add(d.0);
    }
}

/// Zero if `earlier` is later (like [`SimTime::since`]).
impl Sub for SimTime {
    type Output = SimDuration;
    #[inline]
    fn sub(self, earlier: SimTime) -> SimDuration {
        SimDuration(self.0.saturating_sub(earlier.0))
    }
}

/// Saturates at [`SimDuration::MAX`].
impl Add for SimDuration {
    type Output = SimDuration;
    #[inline]
    fn add(self, d: SimDuration) -> SimDuration {
        self.saturating_add(d)
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

    // See: issue 7, defect 3
    #[test]
    fn time_overflow_saturates_instead_of_wrapping() {
        let late = SimTime(u64::MAX - 10);
        assert_eq!(late + SimDuration(11), SimTime::NEVER);
        assert_eq!(late + SimDuration::MAX, SimTime::NEVER);
        let mut t = late;
        t += SimDuration(1_000);
        assert_eq!(t, SimTime::NEVER);
        assert_eq!(SimDuration::MAX + SimDuration(1), SimDuration::MAX);
        assert_eq!(SimTime(5) - SimTime(9), SimDuration::ZERO);
    }

    #[test]
    fn float_conversions_saturate() {
        // An exponential mean of 1e308 ms draws ~1e314 ns (infinite as a float): "never", not 0.0 ms.
        assert_eq!(SimDuration::from_nanos_f64(1e308 * 1e6), SimDuration::MAX);
        assert_eq!(SimDuration::from_nanos_f64(f64::INFINITY), SimDuration::MAX);
        assert_eq!(
            SimDuration::from_nanos_f64(18_446_744_073_709_551_616.0),
            SimDuration::MAX
        );
        assert_eq!(SimDuration::from_nanos_f64(-3.0), SimDuration::ZERO);
        assert_eq!(SimDuration::from_nanos_f64(f64::NAN), SimDuration::ZERO);
        assert_eq!(SimDuration::from_nanos_f64(7.9), SimDuration(7));
        assert_eq!(SimDuration::from_secs_f64(1e300), SimDuration::MAX);
        assert_eq!(
            SimDuration::from_millis_f64(f64::INFINITY),
            SimDuration::MAX
        );
    }

    #[test]
    fn std_durations_convert_only_when_they_fit() {
        use std::time::Duration;
        assert_eq!(
            SimDuration::try_from_std(Duration::from_millis(1500)),
            Some(SimDuration(1_500_000_000))
        );
        // 2^64 ns is 18 446 744 073.709 551 616 s: the first second that does not fit.
        assert_eq!(
            SimDuration::try_from_std(Duration::new(18_446_744_073, 709_551_615)),
            Some(SimDuration::MAX)
        );
        assert_eq!(
            SimDuration::try_from_std(Duration::from_secs(18_446_744_074)),
            None
        );
    }

    #[test]
    fn saturating_add_reaches_never() {
        assert_eq!(
            SimTime(u64::MAX - 1).saturating_add(SimDuration(5)),
            SimTime::NEVER
        );
    }
}
