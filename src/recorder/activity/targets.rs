//! Targets in target groups: health transitions, slow start, failing open, registration.

use std::fmt;

/// AWS target health state (`TargetHealth.State`), as the history records it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TargetState {
    /// `initial`: registered, first checks in progress.
    Initial,
    /// `healthy`: passing checks; receives traffic.
    Healthy,
    /// `unhealthy`: failing checks; no traffic (unless the group fails open).
    Unhealthy,
    /// `draining`: being deregistered; no new requests, in-flight ones may finish.
    Draining,
    /// `unused`: not registered (deregistration finished).
    Unused,
    /// `unavailable`: health checks disabled; receives traffic.
    Unavailable,
}

impl TargetState {
    /// AWS spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            TargetState::Initial => "initial",
            TargetState::Healthy => "healthy",
            TargetState::Unhealthy => "unhealthy",
            TargetState::Draining => "draining",
            TargetState::Unused => "unused",
            TargetState::Unavailable => "unavailable",
        }
    }
}

impl fmt::Display for TargetState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A target's health, in one target group.
#[derive(Clone, Debug, PartialEq)]
pub enum TargetHealth {
    /// The target changed state.
    Transition(Transition),
    /// The target became healthy in a group with slow start: its share of requests ramps up.
    SlowStart {
        /// `slow_start.duration_seconds`.
        seconds: f64,
    },
}

/// A target state change: `healthy -> unhealthy  Target.Timeout: …`.
#[derive(Clone, Debug, PartialEq)]
pub struct Transition {
    /// Previous state.
    pub from: TargetState,
    /// New state.
    pub to: TargetState,
    /// AWS reason code (`Target.Timeout`, …); empty when there is none (healthy).
    pub reason: &'static str,
    /// Explanation.
    pub detail: String,
}

impl fmt::Display for TargetHealth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TargetHealth::Transition(t) => {
                write!(f, "{} -> {}  ", t.from, t.to)?;
                if !t.reason.is_empty() {
                    write!(f, "{}: ", t.reason)?;
                }
                f.write_str(&t.detail)
            }
            TargetHealth::SlowStart { seconds } => write!(
                f,
                "slow start: its share of requests ramps up linearly over {seconds} s (slow_start.duration_seconds)"
            ),
        }
    }
}

/// A target group failing open (routing to unhealthy targets when none is healthy), or not.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FailOpen {
    /// No healthy target left: the group routes to all its unhealthy targets.
    Started,
    /// Enough targets are healthy again: the group routes only to healthy ones.
    EndedHealthyAgain,
    /// No unhealthy target is left to fail open to.
    EndedNoTargetLeft,
}

impl fmt::Display for FailOpen {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            FailOpen::Started => {
                "no healthy target left: failing open, routing to all unhealthy targets"
            }
            FailOpen::EndedHealthyAgain => {
                "enough targets are healthy again: routing only to healthy targets"
            }
            FailOpen::EndedNoTargetLeft => {
                "no unhealthy target left to fail open to: the group stops failing open"
            }
        })
    }
}

/// `RegisterTargets` and `DeregisterTargets`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Registration {
    /// The target was registered; with health checks it starts `initial`.
    Registered {
        /// Whether the group checks health (else the target is in service at once).
        health_checks: bool,
    },
    /// `RegisterTargets` for a target already registered: ignored.
    AlreadyRegistered {
        /// Instance id.
        instance: String,
    },
    /// `DeregisterTargets` for a target not registered: ignored.
    NotRegistered {
        /// Instance id.
        instance: String,
    },
    /// A draining target has no request in flight any more.
    Drained,
}

impl fmt::Display for Registration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Registration::Registered {
                health_checks: true,
            } => f.write_str(
                "registered: initial (Elb.RegistrationInProgress), in service after one passing health check",
            ),
            Registration::Registered {
                health_checks: false,
            } => f.write_str("registered: health checks disabled, in service now"),
            Registration::AlreadyRegistered { instance } => {
                write!(f, "RegisterTargets ignored: {instance} is already registered")
            }
            Registration::NotRegistered { instance } => {
                write!(f, "DeregisterTargets ignored: {instance} is not registered")
            }
            Registration::Drained => {
                f.write_str("deregistration complete: no in-flight requests left")
            }
        }
    }
}
