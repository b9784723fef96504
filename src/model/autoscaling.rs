//! EC2 Auto Scaling groups: capacity limits, launch template, health checks, termination policies,
//! lifecycle hooks and scaling policies (AWS `CreateAutoScalingGroup`, `PutScalingPolicy`).
//!
//! This file holds the resolved settings and AWS's capacity arithmetic; the world runs them
//! (`world/autoscaling/`, with the alarms and metrics in `world/cloudwatch/`). Rules from
//! `aws-behavior.md` §10:
//! - desired capacity always stays within `[MinSize, MaxSize]`;
//! - target tracking scales out by `ceil(N · metric / target)` and in by the same formula (rounding
//!   up when adding, down when removing), ignoring instances still warming up, and never scales in
//!   while any instance is warming up;
//! - simple scaling waits for its activity to finish and then for the cooldown (`Cooldown`, else
//!   `DefaultCooldown`); step scaling has no cooldown but does not add again for warming capacity;
//! - percent adjustments round toward zero, except that |x| < 1 becomes ±1.

use super::catalog::InstanceType;
use super::cloudwatch::{AlarmRule, Comparison, MetricRef, MissingData, Statistic};
use super::distribution::Distribution;
use super::ids::{AlarmId, TargetGroupId};
use crate::engine::SimDuration;

/// `HealthCheckType`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HealthCheckType {
    /// `EC2`: only EC2 status (a stopped or failed instance) counts.
    Ec2,
    /// `ELB`: also the load balancer's target health.
    Elb,
}

/// A termination policy (`TerminationPolicies`); AZ balance always comes first.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TerminationPolicy {
    /// `Default`: oldest launch template, then closest to the next billing hour, then random.
    Default,
    /// `OldestInstance`.
    OldestInstance,
    /// `NewestInstance`.
    NewestInstance,
    /// `ClosestToNextInstanceHour`.
    ClosestToNextInstanceHour,
    /// `OldestLaunchTemplate` (all instances share one template here: no preference).
    OldestLaunchTemplate,
}

/// A lifecycle hook.
#[derive(Clone, Debug, PartialEq)]
pub struct LifecycleHook {
    /// `LifecycleHookName`.
    pub name: String,
    /// `true` for `EC2_INSTANCE_LAUNCHING`, `false` for `EC2_INSTANCE_TERMINATING`.
    pub launching: bool,
    /// How long the instance waits: the hook's work, or `HeartbeatTimeout` if it never completes.
    pub wait: SimDuration,
}

/// What the group launches.
#[derive(Clone, Debug)]
pub struct LaunchTemplate {
    /// Instance type.
    pub instance_type: InstanceType,
    /// Requests processed at once.
    pub workers: u32,
    /// Backlog limit.
    pub backlog: u32,
    /// 1-minute (`true`) or 5-minute `CPUUtilization`.
    pub detailed_monitoring: bool,
    /// Launch to ready (boot + application start).
    pub launch_time: Distribution,
}

/// `AdjustmentType`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AdjustmentType {
    /// `ChangeInCapacity`.
    ChangeInCapacity,
    /// `ExactCapacity`.
    ExactCapacity,
    /// `PercentChangeInCapacity`.
    PercentChangeInCapacity,
}

/// One step of a step scaling policy: bounds relative to the alarm threshold.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Step {
    /// `MetricIntervalLowerBound` (−∞ when absent).
    pub lower: f64,
    /// `MetricIntervalUpperBound` (+∞ when absent).
    pub upper: f64,
    /// `ScalingAdjustment`.
    pub adjustment: i64,
}

/// The metric a target tracking policy tracks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TrackedMetric {
    /// `ASGAverageCPUUtilization` \[%\].
    AsgAverageCpu,
    /// `ASGAverageNetworkIn` [bytes per instance per minute].
    AsgAverageNetworkIn,
    /// `ASGAverageNetworkOut` [bytes per instance per minute].
    AsgAverageNetworkOut,
    /// `ALBRequestCountPerTarget` of a target group [requests per target per minute].
    AlbRequestCountPerTarget(TargetGroupId),
    /// `CustomizedMetricSpecification`: a metric albsim computes, with its statistic, or a
    /// metric math expression of two (`Metrics`, e.g. backlog per instance).
    Custom(MetricRef, Statistic),
}

impl TrackedMetric {
    /// AWS name.
    pub fn as_str(&self) -> &'static str {
        match self {
            TrackedMetric::AsgAverageCpu => "ASGAverageCPUUtilization",
            TrackedMetric::AsgAverageNetworkIn => "ASGAverageNetworkIn",
            TrackedMetric::AsgAverageNetworkOut => "ASGAverageNetworkOut",
            TrackedMetric::AlbRequestCountPerTarget(_) => "ALBRequestCountPerTarget",
            TrackedMetric::Custom(..) => "CustomizedMetricSpecification",
        }
    }
}

/// What a policy does.
#[derive(Clone, Debug, PartialEq)]
pub enum PolicyKind {
    /// `TargetTrackingScaling`: keeps the metric at the target with two managed alarms.
    TargetTracking {
        /// Tracked metric.
        metric: TrackedMetric,
        /// `TargetValue`.
        target: f64,
        /// `DisableScaleIn`.
        disable_scale_in: bool,
        /// Its high alarm among the scenario's alarms.
        high_alarm: AlarmId,
        /// Its low alarm.
        low_alarm: AlarmId,
    },
    /// `StepScaling`.
    Step {
        /// `AdjustmentType`.
        adjustment_type: AdjustmentType,
        /// Steps.
        steps: Vec<Step>,
        /// `MinAdjustmentMagnitude`.
        min_magnitude: u32,
    },
    /// `SimpleScaling`.
    Simple {
        /// `AdjustmentType`.
        adjustment_type: AdjustmentType,
        /// `ScalingAdjustment`.
        adjustment: i64,
        /// `Cooldown` (or the group's `DefaultCooldown`).
        cooldown: SimDuration,
    },
}

/// A scaling policy.
#[derive(Clone, Debug, PartialEq)]
pub struct PolicySpec {
    /// `PolicyName`.
    pub name: String,
    /// What it does.
    pub kind: PolicyKind,
    /// Instance warm-up: `EstimatedInstanceWarmup`, else `DefaultInstanceWarmup`, else
    /// `DefaultCooldown` (AWS's fallback chain).
    pub warmup: SimDuration,
}

/// A scheduled action.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScheduledAction {
    /// `ScheduledActionName`.
    pub name: String,
    /// When.
    pub at: SimDuration,
    /// New `MinSize`.
    pub min: Option<u32>,
    /// New `MaxSize`.
    pub max: Option<u32>,
    /// New `DesiredCapacity`.
    pub desired: Option<u32>,
}

/// A resolved Auto Scaling group.
#[derive(Clone, Debug)]
pub struct AsgSpec {
    /// `AutoScalingGroupName`.
    pub name: String,
    /// `MinSize`.
    pub min: u32,
    /// `MaxSize`.
    pub max: u32,
    /// `DesiredCapacity` at the start.
    pub desired: u32,
    /// Launch template.
    pub template: LaunchTemplate,
    /// `AvailabilityZones`.
    pub zones: Vec<String>,
    /// `TargetGroupARNs`.
    pub groups: Vec<TargetGroupId>,
    /// `HealthCheckType`.
    pub health_check_type: HealthCheckType,
    /// `HealthCheckGracePeriod`.
    pub grace_period: SimDuration,
    /// `DefaultCooldown`.
    pub default_cooldown: SimDuration,
    /// `DefaultInstanceWarmup`, if set.
    pub default_warmup: Option<SimDuration>,
    /// `TerminationPolicies`, in order.
    pub termination: Vec<TerminationPolicy>,
    /// `NewInstancesProtectedFromScaleIn`.
    pub protected: bool,
    /// Lifecycle hooks.
    pub hooks: Vec<LifecycleHook>,
    /// Scaling policies.
    pub policies: Vec<PolicySpec>,
    /// Scheduled actions.
    pub scheduled: Vec<ScheduledAction>,
    /// Period of the group's health-check loop (assumption).
    pub health_poll: SimDuration,
}

impl AdjustmentType {
    /// Parses the AWS name.
    pub fn parse(text: &str) -> Option<AdjustmentType> {
        match text {
            "ChangeInCapacity" => Some(AdjustmentType::ChangeInCapacity),
            "ExactCapacity" => Some(AdjustmentType::ExactCapacity),
            "PercentChangeInCapacity" => Some(AdjustmentType::PercentChangeInCapacity),
            _ => None,
        }
    }

    /// The new desired capacity (not yet clamped to `[MinSize, MaxSize]`) for `adjustment`
    /// applied to `current`, with AWS's rounding of percentages.
    pub fn apply(self, current: u32, adjustment: i64, min_magnitude: u32) -> i64 {
        let c = i64::from(current);
        match self {
            AdjustmentType::ChangeInCapacity => c + adjustment,
            AdjustmentType::ExactCapacity => adjustment,
            AdjustmentType::PercentChangeInCapacity => {
                let x = c as f64 * adjustment as f64 / 100.0;
                let mut step = if x > 0.0 && x < 1.0 {
                    1
                } else if x < 0.0 && x > -1.0 {
                    -1
                } else {
                    x.trunc() as i64
                };
                if step.unsigned_abs() < u64::from(min_magnitude) && step != 0 {
                    step = step.signum() * i64::from(min_magnitude);
                }
                c + step
            }
        }
    }
}

/// Target tracking's new capacity: `ceil(ready · metric / target)` (rounds up when adding and, as
/// the remaining capacity, down when removing).
pub fn target_tracking_capacity(ready: u32, metric: f64, target: f64) -> u32 {
    let exact = f64::from(ready) * metric / target;
    // Guard against 2.0000000001 becoming 3 through float noise.
    (exact - 1e-9).ceil().max(0.0) as u32
}

/// The step whose interval contains `metric − threshold` (above the threshold the lower bound is
/// inclusive, below it the upper bound).
pub fn find_step(steps: &[Step], diff: f64, comparison: Comparison) -> Option<&Step> {
    let above = matches!(comparison, Comparison::Greater | Comparison::GreaterOrEqual);
    steps.iter().find(|s| {
        if above {
            s.lower <= diff && diff < s.upper
        } else {
            s.lower < diff && diff <= s.upper
        }
    })
}

/// Default TT alarm shape (observed, not documented): high 3 of 3, low 15 of 15 at 0.9 × target.
pub fn tt_alarm_rules(target: f64, high: u32, low: u32, factor: f64) -> (AlarmRule, AlarmRule) {
    (
        AlarmRule {
            threshold: target,
            comparison: Comparison::Greater,
            evaluation_periods: high,
            datapoints_to_alarm: high,
            missing: MissingData::Missing,
        },
        AlarmRule {
            threshold: target * factor,
            comparison: Comparison::Less,
            evaluation_periods: low,
            datapoints_to_alarm: low,
            missing: MissingData::Missing,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documented_target_tracking_examples() {
        // ASG-SQS: 10 instances at 150 per instance, target 100 → 15.
        assert_eq!(target_tracking_capacity(10, 150.0, 100.0), 15);
        // ASG-TT: +1.5 instances rounds up to +2 (2 at 75 % with target 50 → 3; 3 → 4.5 → 5).
        assert_eq!(target_tracking_capacity(3, 75.0, 50.0), 5);
        // Removing rounds down: 4 at 20 % with target 50 → 1.6 → 2 stay.
        assert_eq!(target_tracking_capacity(4, 20.0, 50.0), 2);
        assert_eq!(target_tracking_capacity(2, 50.0, 50.0), 2);
    }

    /// ASG-SQS's worked example through the metric math albsim computes: 1,500 visible messages
    /// on 10 InService instances is 150 per instance; with an acceptable backlog per instance of
    /// 100 the group scales out by 5 to 15. A backlog within the target keeps the capacity.
    #[test]
    fn backlog_per_instance_worked_example() {
        use super::super::cloudwatch::MathOp;
        let backlog = MathOp::Divide.apply(Some(1500.0), Some(10.0)).unwrap();
        assert_eq!(backlog, 150.0);
        assert_eq!(target_tracking_capacity(10, backlog, 100.0), 15);
        let after = MathOp::Divide.apply(Some(1500.0), Some(15.0)).unwrap();
        assert_eq!(target_tracking_capacity(15, after, 100.0), 15);
    }

    #[test]
    fn percent_adjustments_round_as_aws_documents() {
        let p = AdjustmentType::PercentChangeInCapacity;
        assert_eq!(p.apply(10, 25, 0), 12, "2.5 rounds down to 2");
        assert_eq!(p.apply(2, 10, 0), 3, "0.2 becomes 1");
        assert_eq!(p.apply(2, -10, 0), 1, "-0.2 becomes -1");
        assert_eq!(p.apply(15, -45, 0), 9, "-6.75 rounds toward zero: -6");
        assert_eq!(
            p.apply(10, 10, 2),
            12,
            "MinAdjustmentMagnitude lifts 1 to 2"
        );
        assert_eq!(AdjustmentType::ExactCapacity.apply(10, 3, 0), 3);
        assert_eq!(AdjustmentType::ChangeInCapacity.apply(10, -3, 0), 7);
    }

    #[test]
    fn step_bounds_follow_the_side_of_the_threshold() {
        let steps = [
            Step {
                lower: 0.0,
                upper: 20.0,
                adjustment: 1,
            },
            Step {
                lower: 20.0,
                upper: f64::INFINITY,
                adjustment: 3,
            },
        ];
        assert_eq!(
            find_step(&steps, 0.0, Comparison::Greater)
                .unwrap()
                .adjustment,
            1
        );
        assert_eq!(
            find_step(&steps, 20.0, Comparison::Greater)
                .unwrap()
                .adjustment,
            3
        );
        let below = [Step {
            lower: f64::NEG_INFINITY,
            upper: 0.0,
            adjustment: -1,
        }];
        assert!(
            find_step(&below, 0.0, Comparison::Less).is_some(),
            "upper bound inclusive below"
        );
    }
}
