//! Auto Scaling activities (`DescribeScalingActivities`) and why a policy did not act.

use super::ScalingCause;
use crate::engine::SimTime;
use std::fmt;

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
        /// Why (AWS's `Cause`).
        cause: ScalingCause,
    },
    /// A launched instance entered service (registered with the group's target groups).
    InService {
        /// Instance id.
        instance: String,
        /// Whether the group registers its instances with target groups (a worker group
        /// without any gets no traffic).
        registered: bool,
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
        /// Why (AWS's `Cause`).
        cause: ScalingCause,
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
            ScalingActivity::InService {
                instance,
                registered: true,
            } => write!(
                f,
                "{instance}: InService (registered with its target groups; it gets traffic after its first passing health check)"
            ),
            ScalingActivity::InService {
                instance,
                registered: false,
            } => write!(f, "{instance}: InService"),
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
