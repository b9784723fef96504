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
    /// Automatic Target Weights changed its detection result or its weight.
    Anomaly(AnomalyChange),
}

/// A change Automatic Target Weights made to a target (its anomaly detection result or its
/// mitigation), for the activity history.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum AnomalyChange {
    /// Detection result `anomalous`: `errors` of its latest `responses` were errors, against
    /// `peer_rate` for its peers.
    Anomalous {
        /// Responses looked at.
        responses: u32,
        /// Errors among them.
        errors: u32,
        /// The peers' error rate (a fraction).
        peer_rate: f64,
    },
    /// Detection result `normal` again: its errors are back in line with its peers'.
    Normal,
    /// Detection stopped judging it: no result (counted as normal).
    NotJudged(NotJudgedBecause),
    /// Mitigation in effect: its weight was cut for the first time.
    MitigationStarted {
        /// Its new weight (share of parity).
        weight: f64,
    },
    /// Mitigation over: its weight is back at parity.
    MitigationEnded,
}

/// Why anomaly detection stopped judging a target.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NotJudgedBecause {
    /// It is no longer healthy (unhealthy, draining, deregistered): its verdict, weight and
    /// history are forgotten.
    Unhealthy,
    /// Fewer than three targets of the group are healthy: detection is off; a cut weight ramps
    /// back.
    TooFewHealthy,
    /// Five minutes did not give it enough responses for a verdict; a cut weight ramps back.
    TooFewResponses,
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
            TargetHealth::Anomaly(change) => write!(f, "{change}"),
        }
    }
}

/// The `target_group_health.unhealthy_state_routing` threshold a target group fell below.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RoutingThreshold {
    /// `minimum_healthy_targets.count`: fewer healthy targets than this.
    Count(u32),
    /// `minimum_healthy_targets.percentage`: a smaller share of the registered targets healthy.
    Percentage(u32),
}

/// Why a target group fails open: how many of its registered targets were healthy, and the
/// threshold that was breached.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FailOpenCause {
    /// Targets `healthy` (or `unavailable`, health checks off).
    pub healthy: u32,
    /// Registered targets (`initial`, `healthy`, `unhealthy`, `unavailable`; not `draining`).
    pub registered: u32,
    /// The breached threshold (the count, when both are).
    pub threshold: RoutingThreshold,
}

impl fmt::Display for FailOpenCause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.threshold {
            RoutingThreshold::Count(n) if self.healthy == 0 => write!(
                f,
                "no healthy target left (below minimum_healthy_targets.count {n})"
            ),
            RoutingThreshold::Count(n) => write!(
                f,
                "{} healthy target{}, below minimum_healthy_targets.count {n}",
                self.healthy,
                if self.healthy == 1 { "" } else { "s" }
            ),
            RoutingThreshold::Percentage(p) => write!(
                f,
                "{} of {} registered targets healthy ({:.0} %), below minimum_healthy_targets.percentage {p}",
                self.healthy,
                self.registered,
                100.0 * f64::from(self.healthy) / f64::from(self.registered.max(1))
            ),
        }
    }
}

/// A target group failing open (routing to all its targets, unhealthy ones included, when too
/// few are healthy: AWS's routing failover), or not.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FailOpen {
    /// Too few healthy targets: the group routes to all its targets, unhealthy ones included.
    Started(FailOpenCause),
    /// Enough targets are healthy again: the group routes only to healthy ones.
    EndedHealthyAgain,
    /// No unhealthy target is left to fail open to.
    EndedNoTargetLeft,
}

impl fmt::Display for FailOpen {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            FailOpen::Started(cause) => {
                return if cause.healthy == 0 {
                    write!(f, "{cause}: failing open, routing to all unhealthy targets")
                } else {
                    write!(
                        f,
                        "{cause}: failing open, routing to all targets, unhealthy ones included"
                    )
                };
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

/// A load balancer node's place in DNS (AWS's DNS failover,
/// `target_group_health.dns_failover.minimum_healthy_targets`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NodeDns {
    /// A target group has too few healthy targets in the node's zone: the node's addresses are
    /// marked unhealthy in DNS, and new connections go to the other nodes.
    Removed {
        /// The target group below its threshold.
        group: String,
        /// Its targets in the zone, and the threshold breached.
        cause: FailOpenCause,
    },
    /// Every target group has enough healthy targets in the zone again: the node is back in DNS.
    Restored,
    /// Every zone is below a threshold: DNS returns every node again.
    AllZonesUnhealthy,
}

impl fmt::Display for NodeDns {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NodeDns::Removed { group, cause } => {
                let threshold = match cause.threshold {
                    RoutingThreshold::Count(n) => format!("dns_failover.minimum_healthy_targets.count {n}"),
                    RoutingThreshold::Percentage(p) => {
                        format!("dns_failover.minimum_healthy_targets.percentage {p}")
                    }
                };
                write!(
                    f,
                    "{group} has {} of {} targets healthy in this zone, below {threshold}: the node leaves DNS, new connections go to the other zones' nodes",
                    cause.healthy, cause.registered
                )
            }
            NodeDns::Restored => {
                f.write_str("enough targets are healthy in this zone again: the node is back in DNS")
            }
            NodeDns::AllZonesUnhealthy => f.write_str(
                "every zone is below its DNS failover threshold: DNS returns every node, as it does when all are unhealthy",
            ),
        }
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

impl fmt::Display for AnomalyChange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            AnomalyChange::Anomalous {
                responses,
                errors,
                peer_rate,
            } => write!(
                f,
                "anomaly detection result: anomalous ({errors} of its last {responses} responses were errors, {:.1} %, against {:.1} % for its peers; it stays healthy)",
                100.0 * f64::from(errors) / f64::from(responses.max(1)),
                100.0 * peer_rate
            ),
            AnomalyChange::Normal => f.write_str("anomaly detection result: normal"),
            AnomalyChange::NotJudged(why) => f.write_str(match why {
                NotJudgedBecause::Unhealthy => {
                    "anomaly detection no longer judges it: it is not healthy (no result, full weight)"
                }
                NotJudgedBecause::TooFewHealthy => {
                    "anomaly detection is off: fewer than 3 targets of the group are healthy (no result)"
                }
                NotJudgedBecause::TooFewResponses => {
                    "anomaly detection has no result: too few responses in 5 minutes to judge it"
                }
            }),
            AnomalyChange::MitigationStarted { weight } => write!(
                f,
                "anomaly mitigation in effect: its traffic is cut to {:.0} % of its share, and cut again every 5 s while it stays anomalous",
                100.0 * weight
            ),
            AnomalyChange::MitigationEnded => {
                f.write_str("anomaly mitigation over: its traffic is back to its full share")
            }
        }
    }
}
