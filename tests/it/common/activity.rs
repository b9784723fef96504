//! Reading the activity history by kind: target-health transitions, registrations, fail-open
//! changes, faults, alarm changes and Auto Scaling activities, each as its typed record.

use super::timing::assert_time;
use albsim::RunResult;
use albsim::recorder::{
    ActivityKind, AlarmChange, FailOpen, Fault, Registration, ScalingActivity, TargetHealth,
    TargetState, Transition,
};

/// Activities about `subject` (`group/instance`, an instance, `AZ …`, a group name), as (time
/// [s], what happened).
pub fn activity<'a>(r: &'a RunResult, subject: &str) -> Vec<(f64, &'a ActivityKind)> {
    r.activity
        .iter()
        .filter(|a| a.subject == subject)
        .map(|a| (a.time_seconds, &a.kind))
        .collect()
}

/// Target-health transitions of `group/instance`, as (time [s], transition).
pub fn transitions<'a>(r: &'a RunResult, subject: &str) -> Vec<(f64, &'a Transition)> {
    activity(r, subject)
        .into_iter()
        .filter_map(|(t, k)| match k {
            ActivityKind::TargetHealth(TargetHealth::Transition(x)) => Some((t, x)),
            _ => None,
        })
        .collect()
}

/// Slow-start ramps of `group/instance`, as (time [s], `slow_start.duration_seconds`).
pub fn slow_starts(r: &RunResult, subject: &str) -> Vec<(f64, f64)> {
    activity(r, subject)
        .into_iter()
        .filter_map(|(t, k)| match k {
            ActivityKind::TargetHealth(TargetHealth::SlowStart { seconds }) => Some((t, *seconds)),
            _ => None,
        })
        .collect()
}

/// Registration activities about `subject` (`group/instance`, or a group for ignored operations).
pub fn registrations<'a>(r: &'a RunResult, subject: &str) -> Vec<(f64, &'a Registration)> {
    activity(r, subject)
        .into_iter()
        .filter_map(|(t, k)| match k {
            ActivityKind::Registration(x) => Some((t, x)),
            _ => None,
        })
        .collect()
}

/// Target group `group` starting and stopping to fail open.
pub fn fail_open(r: &RunResult, group: &str) -> Vec<(f64, FailOpen)> {
    activity(r, group)
        .into_iter()
        .filter_map(|(t, k)| match k {
            ActivityKind::TargetGroup(x) => Some((t, *x)),
            _ => None,
        })
        .collect()
}

/// Faults about `subject` (an instance, `AZ …`).
pub fn faults<'a>(r: &'a RunResult, subject: &str) -> Vec<(f64, &'a Fault)> {
    activity(r, subject)
        .into_iter()
        .filter_map(|(t, k)| match k {
            ActivityKind::Fault(x) => Some((t, x)),
            _ => None,
        })
        .collect()
}

/// State changes of alarm `name`.
pub fn alarm_changes<'a>(r: &'a RunResult, name: &str) -> Vec<(f64, &'a AlarmChange)> {
    (r.activity.iter())
        .filter_map(|a| match &a.kind {
            ActivityKind::Alarm(x) if x.alarm == name => Some((a.time_seconds, x)),
            _ => None,
        })
        .collect()
}

/// Panics unless `transition` is at `at` and goes `from -> to` for `reason` (an AWS reason code
/// such as `Target.Timeout`; empty for none).
pub fn assert_transition(
    transition: (f64, &Transition),
    at: f64,
    (from, to, reason): (TargetState, TargetState, &str),
    what: &str,
) {
    let t = transition.1;
    assert!(
        (t.from, t.to, t.reason) == (from, to, reason),
        "{what}: transition {t:?} is not {from} -> {to} ({reason:?})"
    );
    assert_time(transition.0, at, what);
}

/// Auto Scaling activities of group `group`, as (time [s], activity).
pub fn asg_activity<'a>(r: &'a RunResult, group: &str) -> Vec<(f64, &'a ScalingActivity)> {
    activity(r, group)
        .into_iter()
        .filter_map(|(t, k)| match k {
            ActivityKind::Scaling(x) => Some((t, x)),
            _ => None,
        })
        .collect()
}

/// Times [s] of the group's activities for which `which` holds.
pub fn asg_times(r: &RunResult, group: &str, which: impl Fn(&ScalingActivity) -> bool) -> Vec<f64> {
    asg_activity(r, group)
        .into_iter()
        .filter(|(_, a)| which(a))
        .map(|(t, _)| t)
        .collect()
}

/// Times [s] the group launched an instance (`Launching a new EC2 instance`).
pub fn launches(r: &RunResult, group: &str) -> Vec<f64> {
    asg_times(r, group, |a| matches!(a, ScalingActivity::Launching { .. }))
}

/// Times [s] the group started terminating an instance (`Terminating EC2 instance`).
pub fn terminations(r: &RunResult, group: &str) -> Vec<f64> {
    asg_times(r, group, |a| {
        matches!(a, ScalingActivity::Terminating { .. })
    })
}

/// Times [s] an instance of the group entered service.
pub fn in_service(r: &RunResult, group: &str) -> Vec<f64> {
    asg_times(r, group, |a| matches!(a, ScalingActivity::InService { .. }))
}
