//! Integer settings held to their AWS range: the one place that writes "expected an integer in
//! lo–hi".
//!
//! AWS documents most numeric settings as an integer range with a default
//! (`HealthCheckIntervalSeconds` 5–300, default 30; `idle_timeout.timeout_seconds` 1–4000,
//! default 60). Every such check of the model goes through [`ranged`] (with a unit) or
//! [`ranged_count`] (a bare count), so the message reads the same everywhere; counts of things
//! ("1–10 load balancer nodes") go through [`count_in`].

use super::FieldError;
use super::path::JsonPath;
use crate::engine::SimDuration;
use crate::model::client::MAX_MESSAGE_BYTES;

/// An integer in `lo..=hi` at `path`, in `unit` (`"seconds"`, `"targets"`); `None` gives the AWS
/// `default`.
pub(super) fn ranged(
    value: Option<i64>,
    path: &JsonPath,
    lo: i64,
    hi: i64,
    default: i64,
    unit: &str,
) -> Result<i64, FieldError> {
    value.map_or(Ok(default), |v| checked(v, path, lo, hi, Some(unit)))
}

/// Like [`ranged`], for a bare count whose key already says what it counts
/// (`HealthyThresholdCount`).
pub(super) fn ranged_count(
    value: Option<i64>,
    path: &JsonPath,
    lo: i64,
    hi: i64,
    default: i64,
) -> Result<i64, FieldError> {
    value.map_or(Ok(default), |v| checked(v, path, lo, hi, None))
}

/// Like [`ranged`] in seconds, as a duration.
pub(super) fn ranged_seconds(
    value: Option<i64>,
    path: &JsonPath,
    lo: i64,
    hi: i64,
    default: i64,
) -> Result<SimDuration, FieldError> {
    ranged(value, path, lo, hi, default, "seconds").map(|s| SimDuration::from_secs(s as u64))
}

/// A count in `lo..=hi` at `path`, in a user's words: "expected 1–10 load balancer nodes, got 12"
/// (`what` is "load balancer nodes").
pub(super) fn count_in<T>(v: T, path: &JsonPath, lo: T, hi: T, what: &str) -> Result<T, FieldError>
where
    T: PartialOrd + std::fmt::Display,
{
    if lo <= v && v <= hi {
        Ok(v)
    } else {
        Err(path.error(format!("expected {lo}–{hi} {what}, got {v}")))
    }
}

/// A size in bytes written at `path` (`default` when absent), at most [`MAX_MESSAGE_BYTES`].
pub(super) fn message_size(
    value: Option<u64>,
    default: u64,
    path: &JsonPath,
) -> Result<u64, FieldError> {
    match value.unwrap_or(default) {
        v if v <= MAX_MESSAGE_BYTES => Ok(v),
        v => Err(path.error(format!(
            "expected a size in bytes from 0 to {MAX_MESSAGE_BYTES} (1 GiB), got {v}"
        ))),
    }
}

fn checked(
    v: i64,
    path: &JsonPath,
    lo: i64,
    hi: i64,
    unit: Option<&str>,
) -> Result<i64, FieldError> {
    if (lo..=hi).contains(&v) {
        return Ok(v);
    }
    Err(path.error(match unit {
        Some(unit) => format!("expected an integer in {lo}–{hi} ({unit}), got {v}"),
        None => format!("expected an integer in {lo}–{hi}, got {v}"),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at() -> JsonPath {
        JsonPath::root()
            .key("attributes")
            .key("idle_timeout.timeout_seconds")
    }

    #[test]
    fn absent_values_take_the_default_and_bounds_are_inclusive() {
        assert_eq!(ranged(None, &at(), 1, 4000, 60, "seconds"), Ok(60));
        assert_eq!(ranged(Some(1), &at(), 1, 4000, 60, "seconds"), Ok(1));
        assert_eq!(ranged(Some(4000), &at(), 1, 4000, 60, "seconds"), Ok(4000));
        assert_eq!(
            ranged_seconds(Some(300), &at(), 0, 3600, 300),
            Ok(SimDuration::from_secs(300))
        );
    }

    #[test]
    fn out_of_range_names_the_range_and_the_unit() {
        let e = ranged(Some(5000), &at(), 1, 4000, 60, "seconds").unwrap_err();
        assert_eq!(
            e.message,
            "expected an integer in 1–4000 (seconds), got 5000"
        );
        let e = ranged_count(Some(11), &at(), 2, 10, 5).unwrap_err();
        assert_eq!(e.message, "expected an integer in 2–10, got 11");
        let e = count_in(0u32, &at(), 1, 10, "load balancer nodes").unwrap_err();
        assert_eq!(e.message, "expected 1–10 load balancer nodes, got 0");
        assert_eq!(count_in(10u32, &at(), 1, 10, "load balancer nodes"), Ok(10));
    }
}
