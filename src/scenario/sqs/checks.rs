//! The value checks the messaging settings share: probabilities and durations within a range,
//! each with one wording.

use super::super::FieldError;
use super::super::number::readable;
use super::super::path::JsonPath;
use super::super::values::DurationValue;
use crate::engine::SimDuration;
use std::time::Duration;

/// Whether a probability's upper bound is allowed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Upper {
    /// `[0, 1]`.
    Included,
    /// `[0, 1)`.
    Excluded,
}

/// A probability at `at` (`None`: 0).
pub(super) fn probability(v: Option<f64>, at: &JsonPath, upper: Upper) -> Result<f64, FieldError> {
    let Some(p) = v else { return Ok(0.0) };
    let ok = p >= 0.0 && (p < 1.0 || (upper == Upper::Included && p == 1.0));
    if ok {
        Ok(p)
    } else {
        let range = match upper {
            Upper::Included => "from 0 to 1",
            Upper::Excluded => "from 0 up to (not including) 1",
        };
        Err(at.error(format!(
            "expected a probability {range}, got {}",
            readable(p)
        )))
    }
}

/// A duration at `at` within `lo..=hi` (`None`: `default`); `lo_open` excludes `lo` itself
/// ("above 0").
pub(in crate::scenario) fn duration_in(
    v: Option<DurationValue>,
    at: &JsonPath,
    lo: Duration,
    hi: Duration,
    default: Duration,
    lo_open: bool,
) -> Result<SimDuration, FieldError> {
    let d = v.map_or(default, |d| d.0);
    let ok = if lo_open { d > lo } else { d >= lo } && d <= hi;
    if ok {
        Ok(SimDuration(d.as_nanos() as u64))
    } else {
        let from = if lo_open {
            format!("above {}", words(lo))
        } else {
            format!("from {}", words(lo))
        };
        Err(at.error(format!(
            "expected a duration {from} to {}, got {}",
            words(hi),
            words(d)
        )))
    }
}

/// A duration as a user reads it: `250 ms`, `20 s`, `15 min`, `12 h`, `4 days`.
pub(in crate::scenario) fn words(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s == 0.0 {
        "0 s".into()
    } else if s < 1.0 {
        format!("{} ms", readable(s * 1e3))
    } else if s >= 86_400.0 && s % 86_400.0 == 0.0 {
        let n = s / 86_400.0;
        format!("{} day{}", readable(n), if n == 1.0 { "" } else { "s" })
    } else if s >= 3600.0 && s % 3600.0 == 0.0 {
        format!("{} h", readable(s / 3600.0))
    } else if s >= 60.0 && s % 60.0 == 0.0 {
        format!("{} min", readable(s / 60.0))
    } else {
        format!("{} s", readable(s))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at() -> JsonPath {
        JsonPath::root().key("p")
    }

    #[test]
    fn probabilities_and_their_bounds() {
        assert_eq!(probability(None, &at(), Upper::Excluded), Ok(0.0));
        assert_eq!(probability(Some(1.0), &at(), Upper::Included), Ok(1.0));
        let e = probability(Some(1.0), &at(), Upper::Excluded).unwrap_err();
        assert_eq!(
            e.message,
            "expected a probability from 0 up to (not including) 1, got 1"
        );
        let e = probability(Some(-0.5), &at(), Upper::Included).unwrap_err();
        assert_eq!(e.message, "expected a probability from 0 to 1, got -0.5");
        assert!(probability(Some(f64::NAN), &at(), Upper::Included).is_err());
    }

    #[test]
    fn durations_in_a_range_name_it_in_words() {
        let ms = Duration::from_millis;
        let secs = Duration::from_secs;
        let d = |x: f64| Some(DurationValue(Duration::from_secs_f64(x)));
        assert_eq!(
            duration_in(None, &at(), ms(1), secs(10), ms(10), false),
            Ok(SimDuration::from_millis(10))
        );
        let e = duration_in(d(0.0), &at(), ms(1), secs(10), ms(10), false).unwrap_err();
        assert_eq!(e.message, "expected a duration from 1 ms to 10 s, got 0 s");
        let e = duration_in(d(0.0), &at(), ms(0), secs(43_200), secs(1), true).unwrap_err();
        assert_eq!(e.message, "expected a duration above 0 s to 12 h, got 0 s");
        let e = duration_in(d(901.0), &at(), ms(0), secs(900), secs(1), false).unwrap_err();
        assert_eq!(
            e.message,
            "expected a duration from 0 s to 15 min, got 901 s"
        );
    }
}
