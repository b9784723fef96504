//! ALB target health checks: settings (AWS `HealthCheck*` parameters) and the per-target state
//! machine with AWS's states and reason codes.
//!
//! As AWS documents it (`aws-behavior.md` §1):
//! - a newly registered target starts `initial` and becomes `healthy` after **one** passing check;
//! - a target becomes `unhealthy` after `UnhealthyThresholdCount` consecutive failures (from
//!   `initial` or `healthy`), and an unhealthy one becomes `healthy` again after
//!   `HealthyThresholdCount` consecutive passes;
//! - a check fails when the target does not answer within `HealthCheckTimeoutSeconds`
//!   (`Target.Timeout`), answers a code outside `Matcher` (`Target.ResponseCodeMismatch`), or refuses
//!   the connection (`Target.FailedHealthChecks`);
//! - deregistration moves a target to `draining` and, after the deregistration delay, to `unused`.
//!
//! Assumptions (AWS does not document them; settings with these defaults): the first check runs at
//! a uniformly random time within one interval after registration; two load balancer nodes check
//! each target (each check occupies the instance like a request), and the first node's results
//! drive the state; a check takes 1 ms of the target's CPU.

use super::distribution::Distribution;
use crate::engine::SimDuration;

/// AWS target health state (`TargetHealth.State`): the result layer's vocabulary, which the
/// target state machine here drives (one enum, so the history records exactly the state routed on).
pub use crate::recorder::TargetState as HealthState;

/// Why a check failed, as AWS reason codes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CheckFailure {
    /// `Target.Timeout`: no answer within `HealthCheckTimeoutSeconds`.
    Timeout,
    /// `Target.ResponseCodeMismatch`: answered a code outside `Matcher`.
    ResponseCodeMismatch(u16),
    /// `Target.FailedHealthChecks`: the connection was refused.
    ConnectionRefused,
}

impl CheckFailure {
    /// AWS reason code.
    pub fn reason(self) -> &'static str {
        match self {
            CheckFailure::Timeout => "Target.Timeout",
            CheckFailure::ResponseCodeMismatch(_) => "Target.ResponseCodeMismatch",
            CheckFailure::ConnectionRefused => "Target.FailedHealthChecks",
        }
    }
}

/// Resolved health check settings.
#[derive(Clone, Debug)]
pub struct HealthCheckSpec {
    /// `HealthCheckEnabled`.
    pub enabled: bool,
    /// `HealthCheckPath`.
    pub path: String,
    /// `HealthCheckIntervalSeconds`.
    pub interval: SimDuration,
    /// `HealthCheckTimeoutSeconds`.
    pub timeout: SimDuration,
    /// `HealthyThresholdCount`.
    pub healthy_threshold: u32,
    /// `UnhealthyThresholdCount`.
    pub unhealthy_threshold: u32,
    /// `Matcher.HttpCode` as inclusive ranges.
    pub matcher: Vec<(u16, u16)>,
    /// Target CPU time per check.
    pub service_time: Distribution,
    /// Load balancer nodes checking each target.
    pub nodes: u32,
    /// Delay of the first check after registration (`None`: random within one interval).
    pub first_check_delay: Option<SimDuration>,
}

impl HealthCheckSpec {
    /// Whether `status` is a success code.
    pub fn matches(&self, status: u16) -> bool {
        self.matcher
            .iter()
            .any(|&(lo, hi)| (lo..=hi).contains(&status))
    }
}

/// A state change of a target.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Transition {
    /// Previous state.
    pub from: HealthState,
    /// New state.
    pub to: HealthState,
    /// AWS reason code (`Target.Timeout`, …; empty when healthy).
    pub reason: &'static str,
    /// Explanation for the activity history.
    pub detail: String,
}

/// The health of one registered target, driven by check results.
#[derive(Clone, Debug)]
pub struct HealthTracker {
    /// Current state.
    pub state: HealthState,
    passes: u32,
    failures: u32,
}

impl HealthTracker {
    /// A newly registered target (`initial`, or `unavailable` when checks are disabled).
    pub fn registered(spec: &HealthCheckSpec) -> Self {
        let state = if spec.enabled {
            HealthState::Initial
        } else {
            HealthState::Unavailable
        };
        HealthTracker {
            state,
            passes: 0,
            failures: 0,
        }
    }

    /// Applies one check result; returns the transition it caused, if any.
    pub fn on_check(
        &mut self,
        result: Result<(), CheckFailure>,
        spec: &HealthCheckSpec,
    ) -> Option<Transition> {
        let from = self.state;
        match result {
            Ok(()) => {
                self.failures = 0;
                self.passes += 1;
                let needed = match from {
                    HealthState::Initial => 1,
                    HealthState::Unhealthy => spec.healthy_threshold,
                    _ => return None,
                };
                (self.passes >= needed).then(|| {
                    self.state = HealthState::Healthy;
                    self.passes = 0;
                    let detail = if from == HealthState::Initial {
                        "passed its first health check".to_string()
                    } else {
                        format!("{needed} consecutive health checks passed (HealthyThresholdCount)")
                    };
                    Transition {
                        from,
                        to: HealthState::Healthy,
                        reason: "",
                        detail,
                    }
                })
            }
            Err(failure) => {
                self.passes = 0;
                self.failures += 1;
                if !matches!(from, HealthState::Initial | HealthState::Healthy) {
                    return None;
                }
                (self.failures >= spec.unhealthy_threshold).then(|| {
                    self.state = HealthState::Unhealthy;
                    self.failures = 0;
                    let what = match failure {
                        CheckFailure::Timeout => {
                            format!("no response within {} s", spec.timeout.as_secs_f64())
                        }
                        CheckFailure::ResponseCodeMismatch(code) => {
                            format!("{} answered {code}", spec.path)
                        }
                        CheckFailure::ConnectionRefused => "connection refused".to_string(),
                    };
                    Transition {
                        from,
                        to: HealthState::Unhealthy,
                        reason: failure.reason(),
                        detail: format!(
                            "{} consecutive health checks failed (UnhealthyThresholdCount): {what}",
                            spec.unhealthy_threshold
                        ),
                    }
                })
            }
        }
    }

    /// Forces a state (registration changes); returns the transition.
    pub fn set(
        &mut self,
        to: HealthState,
        reason: &'static str,
        detail: impl Into<String>,
    ) -> Option<Transition> {
        let from = self.state;
        if from == to {
            return None;
        }
        self.state = to;
        self.passes = 0;
        self.failures = 0;
        Some(Transition {
            from,
            to,
            reason,
            detail: detail.into(),
        })
    }
}

#[cfg(test)]
impl HealthCheckSpec {
    /// AWS's defaults (interval 30 s, timeout 5 s, thresholds 5 and 2, matcher 200), as the
    /// resolver applies them (`scenario/health.rs` checks them), for tests of the runtime.
    pub(crate) fn aws_defaults() -> HealthCheckSpec {
        HealthCheckSpec {
            enabled: true,
            path: "/".into(),
            interval: SimDuration::from_secs(30),
            timeout: SimDuration::from_secs(5),
            healthy_threshold: 5,
            unhealthy_threshold: 2,
            matcher: vec![(200, 200)],
            service_time: Distribution::Constant { ns: 1e6 },
            nodes: 2,
            first_check_delay: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> HealthCheckSpec {
        HealthCheckSpec::aws_defaults()
    }

    #[test]
    fn new_target_needs_one_pass_recovering_one_needs_the_threshold() {
        let s = spec();
        let mut h = HealthTracker::registered(&s);
        assert_eq!(h.on_check(Ok(()), &s).unwrap().to, HealthState::Healthy);
        assert!(h.on_check(Err(CheckFailure::Timeout), &s).is_none());
        let t = h.on_check(Err(CheckFailure::Timeout), &s).unwrap();
        assert_eq!((t.to, t.reason), (HealthState::Unhealthy, "Target.Timeout"));
        for _ in 0..4 {
            assert!(h.on_check(Ok(()), &s).is_none());
        }
        assert_eq!(h.on_check(Ok(()), &s).unwrap().to, HealthState::Healthy);
    }

    #[test]
    fn a_pass_resets_the_failure_count() {
        let s = spec();
        let mut h = HealthTracker::registered(&s);
        h.on_check(Ok(()), &s);
        h.on_check(Err(CheckFailure::ConnectionRefused), &s);
        h.on_check(Ok(()), &s);
        assert!(
            h.on_check(Err(CheckFailure::ConnectionRefused), &s)
                .is_none()
        );
        assert_eq!(h.state, HealthState::Healthy);
    }
}
