//! Reading the activity history: lines by kind and subject, target-health transitions, Auto
//! Scaling activities.

use super::timing::assert_time;
use albsim::RunResult;

/// Activity lines of `kind` (`target-health`, `fault`, `registration`, `target-group`) about
/// `subject` (`group/instance`, an instance, `AZ …`, a group name), as (time [s], message).
pub fn activity<'a>(r: &'a RunResult, kind: &str, subject: &str) -> Vec<(f64, &'a str)> {
    r.activity
        .iter()
        .filter(|a| a.kind == kind && a.subject == subject)
        .map(|a| (a.time_seconds, a.message.as_str()))
        .collect()
}

/// Target-health transitions of `group/instance`, as (time [s], message).
pub fn transitions<'a>(r: &'a RunResult, subject: &str) -> Vec<(f64, &'a str)> {
    activity(r, "target-health", subject)
}

/// Panics unless `transition` is at `at` and its message starts with `prefix` (`"healthy ->
/// unhealthy  Target.Timeout"`, …).
pub fn assert_transition(transition: (f64, &str), at: f64, prefix: &str, what: &str) {
    assert!(
        transition.1.starts_with(prefix),
        "{what}: message {:?} does not start with {prefix:?}",
        transition.1
    );
    assert_time(transition.0, at, what);
}

/// Activity lines of kind `autoscaling` about group `group`, as (time [s], message).
pub fn asg_activity<'a>(r: &'a RunResult, group: &str) -> Vec<(f64, &'a str)> {
    activity(r, "autoscaling", group)
}

/// Times [s] of the group's activity lines whose message starts with `prefix`.
pub fn asg_times(r: &RunResult, group: &str, prefix: &str) -> Vec<f64> {
    asg_activity(r, group)
        .into_iter()
        .filter(|(_, m)| m.starts_with(prefix))
        .map(|(t, _)| t)
        .collect()
}

/// Times [s] of the group's activity lines that contain `part`.
pub fn asg_times_containing(r: &RunResult, group: &str, part: &str) -> Vec<f64> {
    asg_activity(r, group)
        .into_iter()
        .filter(|(_, m)| m.contains(part))
        .map(|(t, _)| t)
        .collect()
}
