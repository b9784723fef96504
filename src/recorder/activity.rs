//! The activity history: what happened to targets, target groups, faults, Auto Scaling groups and
//! alarms, as typed records. Each record's [`Display`](std::fmt::Display) is its line of
//! `activity.log`, and [`ActivityKind::name`] its `kind` column; readers (plots, tests, the
//! world's own bookkeeping) match on the variants, never on the text.

use crate::engine::SimTime;
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
    /// `RegisterTargets` / `DeregisterTargets` operations and their completion.
    Registration(Registration),
    /// An injected fault started, hit nothing, or ended.
    Fault(Fault),
    /// An Auto Scaling group's activity (`DescribeScalingActivities`) and its policies' notes.
    Scaling(ScalingActivity),
    /// A CloudWatch alarm changed state.
    Alarm(AlarmChange),
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
            ActivityKind::Registration(_) => "registration",
            ActivityKind::Fault(_) => "fault",
            ActivityKind::Scaling(_) => "autoscaling",
            ActivityKind::Alarm(_) => "alarm",
            ActivityKind::HistoryCut { .. } => "recorder",
        }
    }
}

impl fmt::Display for ActivityKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ActivityKind::TargetHealth(t) => t.fmt(f),
            ActivityKind::TargetGroup(t) => t.fmt(f),
            ActivityKind::Registration(r) => r.fmt(f),
            ActivityKind::Fault(x) => x.fmt(f),
            ActivityKind::Scaling(s) => s.fmt(f),
            ActivityKind::Alarm(a) => a.fmt(f),
            ActivityKind::HistoryCut { dropped, kept } => write!(
                f,
                "{dropped} later activities not kept: the history keeps the first {kept} (the last one dropped is at this time)"
            ),
        }
    }
}

/// AWS target health state (`TargetHealth.State`), as the history records it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TargetState {
    /// `initial`: registered, first checks in progress.
    Initial,
    /// `healthy`: passing checks.
    Healthy,
    /// `unhealthy`: failing checks.
    Unhealthy,
    /// `draining`: being deregistered.
    Draining,
    /// `unused`: not registered.
    Unused,
    /// `unavailable`: health checks disabled.
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

/// An injected fault.
#[derive(Clone, Debug, PartialEq)]
pub enum Fault {
    /// The fault strikes.
    Starts {
        /// What it is, in words (`crash`, `health path broken`, …).
        fault: &'static str,
        /// What it does (`in-flight requests are reset, new connections refused`).
        effect: String,
        /// How long it lasts \[s\]; `None` until the end of the run.
        recovery_seconds: Option<f64>,
    },
    /// No running instance matched the fault's target.
    HitsNothing,
    /// The fault ends.
    Ends {
        /// The fault's `type` in the model (`crash`, `health_path_broken`, …).
        fault: &'static str,
    },
}

impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Fault::Starts {
                fault,
                effect,
                recovery_seconds,
            } => {
                write!(f, "{fault}: {effect} (")?;
                match recovery_seconds {
                    Some(s) => write!(f, "for {s:.0} s)"),
                    None => f.write_str("until the end of the run)"),
                }
            }
            Fault::HitsNothing => f.write_str("no running instance to hit: the fault does nothing"),
            Fault::Ends { fault } => write!(f, "{fault} ends: recovered"),
        }
    }
}

/// An Auto Scaling group's activity.
#[derive(Clone, Debug, PartialEq)]
pub enum ScalingActivity {
    /// The group's initial instances.
    GroupStarts {
        /// `DesiredCapacity` (all InService at the start).
        desired: u32,
        /// `MinSize`.
        min: u32,
        /// `MaxSize`.
        max: u32,
    },
    /// `Launching a new EC2 instance`.
    Launching {
        /// Instance id.
        instance: String,
        /// Availability Zone.
        zone: String,
        /// AWS's `Cause` sentence.
        cause: String,
    },
    /// A launched instance entered service (registered with the group's target groups).
    InService {
        /// Instance id.
        instance: String,
    },
    /// A simple scaling policy's activity finished: its cooldown starts.
    CooldownStarts {
        /// `PolicyName`.
        policy: String,
        /// Cooldown \[s\].
        seconds: f64,
    },
    /// `Terminating EC2 instance`.
    Terminating {
        /// Instance id.
        instance: String,
        /// AWS's `Cause` sentence.
        cause: String,
    },
    /// A lifecycle hook holds an instance (`Pending -> Pending:Wait`, …).
    LifecycleHook {
        /// Instance id.
        instance: String,
        /// Lifecycle state before.
        from: &'static str,
        /// Wait state.
        to: &'static str,
        /// `LifecycleHookName`.
        hook: String,
        /// How long it holds \[s\].
        seconds: f64,
    },
    /// An instance was terminated.
    Terminated {
        /// Instance id.
        instance: String,
        /// Seconds billed (at least 60).
        billed_seconds: f64,
    },
    /// Scale-in found only instances protected from scale-in.
    AllProtected,
    /// A scheduled action set the group's limits.
    ScheduledAction {
        /// `ScheduledActionName`.
        action: String,
        /// New `MinSize`.
        min: u32,
        /// New `MaxSize`.
        max: u32,
    },
    /// The group's health check found an instance unhealthy: it will be replaced.
    MarkedUnhealthy {
        /// Instance id.
        instance: String,
        /// Which health check, and why.
        why: &'static str,
    },
    /// Why a scaling policy did not act (said once until it changes).
    Policy {
        /// `PolicyName`.
        policy: String,
        /// What holds it back.
        note: PolicyNote,
    },
}

impl fmt::Display for ScalingActivity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ScalingActivity::GroupStarts { desired, min, max } => write!(
                f,
                "group starts with {desired} InService instance(s) (MinSize {min}, MaxSize {max}, DesiredCapacity {desired})"
            ),
            ScalingActivity::Launching {
                instance,
                zone,
                cause,
            } => write!(
                f,
                "Launching a new EC2 instance: {instance} ({zone}). Cause: {cause}"
            ),
            ScalingActivity::InService { instance } => write!(
                f,
                "{instance}: InService (registered with its target groups; it gets traffic after its first passing health check)"
            ),
            ScalingActivity::CooldownStarts { policy, seconds } => write!(
                f,
                "policy {policy}: scaling activity complete; cooldown of {seconds} s starts (DefaultCooldown/Cooldown)"
            ),
            ScalingActivity::Terminating { instance, cause } => {
                write!(f, "Terminating EC2 instance: {instance}. Cause: {cause}")
            }
            ScalingActivity::LifecycleHook {
                instance,
                from,
                to,
                hook,
                seconds,
            } => write!(
                f,
                "{instance}: {from} -> {to} (lifecycle hook {hook}, {seconds} s)"
            ),
            ScalingActivity::Terminated {
                instance,
                billed_seconds,
            } => write!(f, "{instance}: Terminated (billed {billed_seconds:.0} s)"),
            ScalingActivity::AllProtected => {
                f.write_str("cannot scale in: every instance is protected from scale-in")
            }
            ScalingActivity::ScheduledAction { action, min, max } => {
                write!(f, "scheduled action {action}: MinSize {min}, MaxSize {max}")
            }
            ScalingActivity::MarkedUnhealthy { instance, why } => {
                write!(f, "{instance} marked Unhealthy: {why}")
            }
            ScalingActivity::Policy { policy, note } => write!(f, "policy {policy}: {note}"),
        }
    }
}

/// The group limit a policy ran into.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SizeLimit {
    /// `MinSize`.
    MinSize,
    /// `MaxSize`.
    MaxSize,
}

/// Why a scaling policy did not act.
#[derive(Clone, Debug, PartialEq)]
pub enum PolicyNote {
    /// Target tracking has no warmed-up InService instance to measure.
    NoWarmedUpInstance,
    /// Target tracking wants more instances than `MaxSize`.
    WantsAboveMaxSize {
        /// Capacity wanted.
        wanted: u32,
        /// `MaxSize`.
        max: u32,
    },
    /// Another target tracking policy of the group does not agree to scale in.
    OtherPolicyDisagrees {
        /// That policy's `PolicyName`.
        policy: String,
    },
    /// `DisableScaleIn`.
    ScaleInDisabled,
    /// Target tracking does not scale in while instances launch or warm up.
    ScaleInBlockedByWarmup {
        /// Instances launching or warming up.
        instances: u32,
    },
    /// Target tracking would scale in but the group is at `MinSize`.
    WouldScaleInBelowMinSize {
        /// `MinSize`.
        min: u32,
    },
    /// A simple scaling policy waits for its activity to finish.
    ActivityInProgress {
        /// Instances still launching or terminating.
        instances: usize,
    },
    /// A simple scaling policy's cooldown has not ended.
    CooldownUntil {
        /// When it ends.
        until: SimTime,
    },
    /// A simple scaling policy would cross a group limit.
    AtLimit {
        /// Which limit.
        limit: SizeLimit,
        /// Desired capacity (at the limit).
        desired: u32,
    },
    /// A step scaling policy has no step for the breach.
    NoStepCovers {
        /// The alarm's datapoint.
        value: TwoDecimals,
        /// The alarm's `Threshold`.
        threshold: f64,
    },
    /// A step scaling policy would scale out but the group is at `MaxSize`.
    AtMaxSize {
        /// `MaxSize`.
        max: u32,
    },
    /// A step scaling policy does not scale in while instances launch or warm up.
    StepScaleInWaits {
        /// Instances launching or warming up.
        instances: u32,
    },
    /// Target tracking's low alarm is counting breaching datapoints (said once, when it starts).
    WaitingForLowAlarm {
        /// Consecutive breaching datapoints so far.
        streak: usize,
        /// `ComparisonOperator` symbol (`<`).
        comparison: &'static str,
        /// The low alarm's `Threshold`.
        threshold: f64,
        /// `DatapointsToAlarm`.
        needed: u32,
        /// Seconds between datapoints.
        every_seconds: u64,
    },
}

impl fmt::Display for PolicyNote {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PolicyNote::NoWarmedUpInstance => {
                f.write_str("no warmed-up InService instance to measure: waiting")
            }
            PolicyNote::WantsAboveMaxSize { wanted, max } => write!(
                f,
                "wants {wanted} instances but the group is at MaxSize {max}"
            ),
            PolicyNote::OtherPolicyDisagrees { policy } => write!(
                f,
                "scale-in waits: policy {policy} does not agree (every target tracking policy must be ready to scale in)"
            ),
            PolicyNote::ScaleInDisabled => f.write_str("scale-in disabled (DisableScaleIn)"),
            PolicyNote::ScaleInBlockedByWarmup { instances } => write!(
                f,
                "scale-in blocked: {instances} instance(s) still launching or warming up"
            ),
            PolicyNote::WouldScaleInBelowMinSize { min } => {
                write!(f, "would scale in but the group is at MinSize {min}")
            }
            PolicyNote::ActivityInProgress { instances } => write!(
                f,
                "waiting: its scaling activity is still in progress ({instances} instance(s))"
            ),
            PolicyNote::CooldownUntil { until } => {
                write!(f, "not acting: cooldown in progress until {until}")
            }
            PolicyNote::AtLimit { limit, desired } => {
                let limit = match limit {
                    SizeLimit::MinSize => "MinSize",
                    SizeLimit::MaxSize => "MaxSize",
                };
                write!(f, "not acting: the group is at its {limit} ({desired})")
            }
            PolicyNote::NoStepCovers { value, threshold } => {
                write!(f, "no step covers {value} (threshold {threshold})")
            }
            PolicyNote::AtMaxSize { max } => {
                write!(f, "not acting: the group is at MaxSize {max}")
            }
            PolicyNote::StepScaleInWaits { instances } => write!(
                f,
                "scale-in waits: {instances} instance(s) still launching or warming up"
            ),
            PolicyNote::WaitingForLowAlarm {
                streak,
                comparison,
                threshold,
                needed,
                every_seconds,
            } => write!(
                f,
                "scale-in waits for the low alarm: {streak} consecutive datapoint(s) {comparison} {threshold} so far, {needed} needed (one every {every_seconds} s)"
            ),
        }
    }
}

/// A value the history prints to two decimals. Two values that print the same are the same note
/// (a policy says a note once until it changes).
#[derive(Clone, Copy, Debug)]
pub struct TwoDecimals(pub f64);

impl fmt::Display for TwoDecimals {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:.2}", self.0)
    }
}

impl PartialEq for TwoDecimals {
    fn eq(&self, other: &Self) -> bool {
        self.to_string() == other.to_string()
    }
}

/// A CloudWatch alarm's state change.
#[derive(Clone, Debug, PartialEq)]
pub struct AlarmChange {
    /// `AlarmName`.
    pub alarm: String,
    /// State before (`OK`, `ALARM`, `INSUFFICIENT_DATA`).
    pub from: &'static str,
    /// State after.
    pub to: &'static str,
    /// Breaching datapoints among the last `evaluation_periods`.
    pub breaching: u32,
    /// `EvaluationPeriods`.
    pub evaluation_periods: u32,
    /// `ComparisonOperator` symbol.
    pub comparison: &'static str,
    /// `Threshold`.
    pub threshold: f64,
    /// `DatapointsToAlarm`.
    pub needed: u32,
}

impl fmt::Display for AlarmChange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "alarm {}: {} -> {} ({} of the last {} datapoints {} {}; need {})",
            self.alarm,
            self.from,
            self.to,
            self.breaching,
            self.evaluation_periods,
            self.comparison,
            self.threshold,
            self.needed
        )
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
                cause: "At 0:05:00.000 …".into(),
            })),
            "Launching a new EC2 instance: asg-0002 (us-east-1b). Cause: At 0:05:00.000 …"
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
        assert_eq!(
            line(ActivityKind::TargetGroup(FailOpen::Started)),
            "no healthy target left: failing open, routing to all unhealthy targets"
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
