//! The activity history: what happened to targets, target groups, faults, Auto Scaling groups and
//! alarms, as typed records. Each record's [`Display`](std::fmt::Display) is its line of
//! `activity.log`, and [`ActivityKind::name`] its `kind` column; readers (plots, tests, the
//! world's own bookkeeping) match on the variants, never on the text.

mod alarms;
mod cause;
mod faults;
mod messaging;
mod scaling;
mod targets;

pub use alarms::AlarmChange;
pub use cause::{ChangedBy, ScalingCause};
pub use faults::Fault;
pub use messaging::QueueActivity;
pub use scaling::{PolicyNote, ScalingActivity, SizeLimit, TwoDecimals};
pub use targets::{
    AnomalyChange, FailOpen, FailOpenCause, NodeDns, NotJudgedBecause, Registration,
    RoutingThreshold, TargetHealth, TargetState, Transition,
};

use std::fmt;

/// One line of the activity history.
#[derive(Clone, Debug, PartialEq)]
pub struct Activity {
    /// When [s since the run began].
    pub time_seconds: f64,
    /// What it concerns, e.g. `web/web-1` (target group/instance), `web` (a target group),
    /// `web-asg` (an Auto Scaling group), `AZ us-east-1a`, or an alarm's metric name.
    pub subject: String,
    /// What happened and why.
    pub kind: ActivityKind,
}

impl Activity {
    /// The line's text as `activity.log` prints it.
    pub fn message(&self) -> String {
        self.kind.to_string()
    }
}

/// What happened, by the part of the system it happened in.
#[derive(Clone, Debug, PartialEq)]
pub enum ActivityKind {
    /// A target's health in a target group (`TargetHealth`).
    TargetHealth(TargetHealth),
    /// A target group started or stopped failing open.
    TargetGroup(FailOpen),
    /// A load balancer node left or rejoined DNS (DNS failover).
    LoadBalancer(NodeDns),
    /// `RegisterTargets` / `DeregisterTargets` operations and their completion.
    Registration(Registration),
    /// An injected fault started, hit nothing, or ended.
    Fault(Fault),
    /// An Auto Scaling group's activity (`DescribeScalingActivities`) and its policies' notes.
    Scaling(ScalingActivity),
    /// A CloudWatch alarm changed state.
    Alarm(AlarmChange),
    /// Something happened at an SQS queue (redeliveries, dead-letter moves, retention, throttling).
    Queue(QueueActivity),
    /// The history reached its limit: later lines were only counted.
    HistoryCut {
        /// Lines not kept.
        dropped: u64,
        /// Lines kept ([`ACTIVITY_LIMIT`](super::ACTIVITY_LIMIT)).
        kept: usize,
    },
}

impl ActivityKind {
    /// The `kind` column of `activity.log`.
    pub fn name(&self) -> &'static str {
        match self {
            ActivityKind::TargetHealth(_) => "target-health",
            ActivityKind::TargetGroup(_) => "target-group",
            ActivityKind::LoadBalancer(_) => "load-balancer",
            ActivityKind::Registration(_) => "registration",
            ActivityKind::Fault(_) => "fault",
            ActivityKind::Scaling(_) => "autoscaling",
            ActivityKind::Alarm(_) => "alarm",
            ActivityKind::Queue(_) => "sqs",
            ActivityKind::HistoryCut { .. } => "recorder",
        }
    }
}

impl fmt::Display for ActivityKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ActivityKind::TargetHealth(t) => t.fmt(f),
            ActivityKind::TargetGroup(t) => t.fmt(f),
            ActivityKind::LoadBalancer(n) => n.fmt(f),
            ActivityKind::Registration(r) => r.fmt(f),
            ActivityKind::Fault(x) => x.fmt(f),
            ActivityKind::Scaling(s) => s.fmt(f),
            ActivityKind::Alarm(a) => a.fmt(f),
            ActivityKind::Queue(q) => q.fmt(f),
            ActivityKind::HistoryCut { dropped, kept } => write!(
                f,
                "{dropped} later activities not kept: the history keeps the first {kept} (the last one dropped is at this time)"
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(kind: ActivityKind) -> String {
        kind.to_string()
    }

    /// Each record prints the line the history has always printed (the format strings the world
    /// used before the history was typed).
    #[test]
    fn records_print_the_activity_log_lines() {
        let transition = |reason: &'static str| {
            ActivityKind::TargetHealth(TargetHealth::Transition(Transition {
                from: TargetState::Healthy,
                to: TargetState::Unhealthy,
                reason,
                detail: "2 consecutive health checks failed".into(),
            }))
        };
        assert_eq!(
            line(transition("Target.Timeout")),
            "healthy -> unhealthy  Target.Timeout: 2 consecutive health checks failed"
        );
        assert_eq!(
            line(transition("")),
            "healthy -> unhealthy  2 consecutive health checks failed"
        );
        assert_eq!(
            line(ActivityKind::Fault(Fault::Starts {
                fault: "slow",
                effect: "service times x3".into(),
                recovery_seconds: Some(239.6),
            })),
            "slow: service times x3 (for 240 s)"
        );
        assert_eq!(
            line(ActivityKind::Fault(Fault::Starts {
                fault: "crash",
                effect: "in-flight requests are reset, new connections refused".into(),
                recovery_seconds: None,
            })),
            "crash: in-flight requests are reset, new connections refused (until the end of the run)"
        );
        assert_eq!(
            line(ActivityKind::Fault(Fault::Ends {
                fault: "health_path_broken"
            })),
            "health_path_broken ends: recovered"
        );
        assert_eq!(
            line(ActivityKind::Scaling(ScalingActivity::Launching {
                instance: "asg-0002".into(),
                zone: "us-east-1b".into(),
                cause: ScalingCause::ReplacingUnhealthy {
                    at: crate::engine::SimTime(300_000_000_000),
                },
            })),
            "Launching a new EC2 instance: asg-0002 (us-east-1b). Cause: At 0:05:00.000 an instance was started in response to a difference between desired and actual capacity, replacing an unhealthy instance."
        );
        assert_eq!(
            line(ActivityKind::Scaling(ScalingActivity::Terminated {
                instance: "asg-0002".into(),
                billed_seconds: 60.4,
            })),
            "asg-0002: Terminated (billed 60 s)"
        );
        assert_eq!(
            line(ActivityKind::Scaling(ScalingActivity::Policy {
                policy: "cpu50".into(),
                note: PolicyNote::AtLimit {
                    limit: SizeLimit::MaxSize,
                    desired: 4,
                },
            })),
            "policy cpu50: not acting: the group is at its MaxSize (4)"
        );
        assert_eq!(
            line(ActivityKind::Scaling(ScalingActivity::Policy {
                policy: "steps".into(),
                note: PolicyNote::NoStepCovers {
                    value: TwoDecimals(71.234),
                    threshold: 70.0,
                },
            })),
            "policy steps: no step covers 71.23 (threshold 70)"
        );
        assert_eq!(
            line(ActivityKind::Alarm(AlarmChange {
                alarm: "high".into(),
                from: "OK",
                to: "ALARM",
                breaching: 3,
                evaluation_periods: 3,
                comparison: ">",
                threshold: 50.0,
                needed: 3,
            })),
            "alarm high: OK -> ALARM (3 of the last 3 datapoints > 50; need 3)"
        );
        let cause = |healthy, threshold| FailOpenCause {
            healthy,
            registered: 4,
            threshold,
        };
        assert_eq!(
            line(ActivityKind::TargetGroup(FailOpen::Started(cause(
                0,
                RoutingThreshold::Count(1)
            )))),
            "no healthy target left (below minimum_healthy_targets.count 1): failing open, routing to all unhealthy targets"
        );
        assert_eq!(
            line(ActivityKind::TargetGroup(FailOpen::Started(cause(
                1,
                RoutingThreshold::Count(2)
            )))),
            "1 healthy target, below minimum_healthy_targets.count 2: failing open, routing to all targets, unhealthy ones included"
        );
        assert_eq!(
            line(ActivityKind::TargetGroup(FailOpen::Started(cause(
                1,
                RoutingThreshold::Percentage(50)
            )))),
            "1 of 4 registered targets healthy (25 %), below minimum_healthy_targets.percentage 50: failing open, routing to all targets, unhealthy ones included"
        );
    }

    /// The `kind` column comes from the variant.
    #[test]
    fn the_kind_column_names_the_variant() {
        let names: Vec<&str> = [
            ActivityKind::TargetHealth(TargetHealth::SlowStart { seconds: 30.0 }),
            ActivityKind::TargetGroup(FailOpen::EndedHealthyAgain),
            ActivityKind::Registration(Registration::Drained),
            ActivityKind::Fault(Fault::HitsNothing),
            ActivityKind::Scaling(ScalingActivity::AllProtected),
            ActivityKind::HistoryCut {
                dropped: 1,
                kept: 2,
            },
        ]
        .iter()
        .map(ActivityKind::name)
        .collect();
        assert_eq!(
            names,
            [
                "target-health",
                "target-group",
                "registration",
                "fault",
                "autoscaling",
                "recorder"
            ]
        );
    }

    /// Notes that print the same are the same note (a policy says it once), others differ.
    #[test]
    fn notes_that_print_alike_are_equal() {
        let covers = |value| PolicyNote::NoStepCovers {
            value: TwoDecimals(value),
            threshold: 70.0,
        };
        assert_eq!(covers(71.231), covers(71.234));
        assert_ne!(covers(71.231), covers(71.239));
    }
}
