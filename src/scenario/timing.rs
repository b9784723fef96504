//! From a user's numbers to simulated time, checked: the one place that knows how long a time in
//! a model file may be.
//!
//! Simulated time is a `u64` of nanoseconds (584 years), but no run is longer than
//! [`MAX_TIME`] (366 days), so that is the limit a model's times and distribution parameters are
//! held to: anything longer could only mean "never", and a value beyond `u64` would otherwise
//! wrap around to an early time (a fault `"at": 18446744074` firing at 0:00:00.290). A time beyond
//! the run's own `duration` but within the limit is valid; it is simply never reached.

use super::FieldError;
use super::path::JsonPath;
use crate::engine::SimDuration;
use std::time::Duration;

/// Seconds in the longest run: 366 days.
pub const MAX_TIME_SECS: u64 = 366 * 86_400;

/// The longest run, and the longest time or duration a model may write (366 days).
pub const MAX_TIME: SimDuration = SimDuration::from_secs(MAX_TIME_SECS);

/// [`MAX_TIME`] in milliseconds, the unit of distribution parameters (31 622 400 000 ms).
pub const MAX_TIME_MS: f64 = (MAX_TIME_SECS * 1000) as f64;

/// The limit as a user reads it in an error message.
pub const MAX_TIME_WORDS: &str = "366 days, the longest run";

/// A time or duration written in the model at `path`, at most [`MAX_TIME`].
pub fn time_value(d: Duration, path: &JsonPath) -> Result<SimDuration, FieldError> {
    match SimDuration::try_from_std(d) {
        Some(t) if t <= MAX_TIME => Ok(t),
        _ => Err(path.error(format!(
            "expected a time of at most {MAX_TIME_WORDS} ({MAX_TIME_SECS} s), got {} s",
            super::number::readable(d.as_secs_f64())
        ))),
    }
}

/// Like [`time_value`], for a value in seconds as a float (arrival schedules work in seconds).
/// The seconds are `std`'s own `as_secs_f64`, as before the check existed, so that profiles built
/// from valid values do not move by a rounding step.
pub fn time_secs(d: Duration, path: &JsonPath) -> Result<f64, FieldError> {
    time_value(d, path).map(|_| d.as_secs_f64())
}

/// Whether a distribution parameter in milliseconds is a finite number within [`MAX_TIME_MS`].
pub fn ms_in_range(ms: f64) -> bool {
    ms.is_finite() && ms <= MAX_TIME_MS
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at() -> JsonPath {
        JsonPath::root().key("faults").index(0).key("at")
    }

    #[test]
    fn times_up_to_366_days_convert_exactly() {
        assert_eq!(
            time_value(Duration::from_millis(1500), &at()),
            Ok(SimDuration(1_500_000_000))
        );
        assert_eq!(
            time_value(Duration::from_secs(MAX_TIME_SECS), &at()),
            Ok(MAX_TIME)
        );
        assert_eq!(time_secs(Duration::from_secs(90), &at()), Ok(90.0));
    }

    // See: issue 7, defect 3
    #[test]
    fn time_overflow_is_rejected_with_the_path_and_the_limit() {
        // 18 446 744 074 s is just past 2^64 ns: `as u64` made it 0:00:00.290.
        let e = time_value(Duration::from_secs(18_446_744_074), &at()).unwrap_err();
        assert_eq!(e.path, "faults[0].at");
        assert!(e.message.contains("at most 366 days"), "{}", e.message);
        assert!(e.message.contains("18446744074 s"), "{}", e.message);
        // One second past the limit is rejected too.
        assert!(time_value(Duration::from_secs(MAX_TIME_SECS + 1), &at()).is_err());
    }

    #[test]
    fn millisecond_parameters_are_finite_and_within_the_limit() {
        assert!(ms_in_range(0.0));
        assert!(ms_in_range(MAX_TIME_MS));
        assert!(!ms_in_range(MAX_TIME_MS * 1.000_001));
        assert!(!ms_in_range(1e308));
        assert!(!ms_in_range(f64::INFINITY));
        assert!(!ms_in_range(f64::NAN));
    }
}
