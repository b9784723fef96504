//! Why Auto Scaling launched or terminated an instance: the activity's `Cause`, typed. Its
//! [`Display`](fmt::Display) is AWS's sentence as `activity.log` prints it ("At 0:20:00.000 a
//! monitor alarm … in state ALARM triggered policy … changing the desired capacity from 2 to 3.").

use crate::engine::SimTime;
use std::fmt;

/// The `Cause` of a `Launching` or `Terminating` activity.
#[derive(Clone, Debug, PartialEq)]
pub enum ScalingCause {
    /// The group's `DesiredCapacity` changed, and the group launched or terminated to match it.
    DesiredCapacity {
        /// When the desired capacity changed.
        at: SimTime,
        /// What changed it.
        by: ChangedBy,
        /// `DesiredCapacity` before.
        from: u32,
        /// `DesiredCapacity` after (clamped to `MinSize`..`MaxSize`).
        to: u32,
        /// What was asked for before the clamp (equal to `to` unless a limit cut it).
        wanted: i64,
    },
    /// The group's health check found the instance unhealthy: it is taken out of service.
    UnhealthyInstance {
        /// When.
        at: SimTime,
        /// Which health check, and why.
        why: &'static str,
    },
    /// A launch replacing an instance the health check took out of service.
    ReplacingUnhealthy {
        /// When.
        at: SimTime,
    },
    /// A worker removed its scale-in protection: a scale-in that found every instance protected
    /// proceeds.
    ProtectionRemoved {
        /// When.
        at: SimTime,
    },
    /// `AZRebalance`: the group's zones are unbalanced (an Availability Zone came back, or
    /// launches had to avoid it): it launches in the zone with the fewest instances first
    /// (`launch`), and terminates one in the zone with the most once that instance is in service.
    AzRebalance {
        /// When.
        at: SimTime,
        /// The launch half (else the termination half).
        launch: bool,
    },
}

/// What changed a group's desired capacity.
#[derive(Clone, Debug, PartialEq)]
pub enum ChangedBy {
    /// A CloudWatch alarm in `ALARM` invoked a scaling policy.
    Alarm {
        /// `AlarmName`.
        alarm: String,
        /// `PolicyName`.
        policy: String,
        /// The alarm's latest datapoint, which the policy acted on.
        value: f64,
    },
    /// A scheduled action set `DesiredCapacity`.
    ScheduledAction {
        /// `ScheduledActionName`.
        action: String,
    },
    /// A scheduled action's new `MinSize`/`MaxSize` moved the desired capacity into its range.
    ScheduledLimits {
        /// `ScheduledActionName`.
        action: String,
    },
}

impl ScalingCause {
    /// When the cause happened.
    pub fn at(&self) -> SimTime {
        match self {
            ScalingCause::DesiredCapacity { at, .. }
            | ScalingCause::UnhealthyInstance { at, .. }
            | ScalingCause::ReplacingUnhealthy { at }
            | ScalingCause::ProtectionRemoved { at }
            | ScalingCause::AzRebalance { at, .. } => *at,
        }
    }
}

impl fmt::Display for ScalingCause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ScalingCause::DesiredCapacity {
                at, by, from, to, ..
            } => {
                match by {
                    ChangedBy::Alarm { alarm, policy, .. } => write!(
                        f,
                        "At {at} a monitor alarm {alarm} in state ALARM triggered policy {policy}"
                    )?,
                    ChangedBy::ScheduledAction { action } => {
                        write!(f, "At {at} scheduled action {action} was executed,")?
                    }
                    ChangedBy::ScheduledLimits { action } => {
                        write!(f, "At {at} scheduled action {action} changed the limits,")?
                    }
                }
                write!(f, " changing the desired capacity from {from} to {to}.")
            }
            ScalingCause::UnhealthyInstance { at, why } => write!(
                f,
                "At {at} an instance was taken out of service in response to {why}."
            ),
            ScalingCause::ReplacingUnhealthy { at } => write!(
                f,
                "At {at} an instance was started in response to a difference between desired and actual capacity, replacing an unhealthy instance."
            ),
            ScalingCause::ProtectionRemoved { at } => write!(
                f,
                "At {at} an instance was taken out of service in response to a difference between desired and actual capacity: its worker removed its scale-in protection."
            ),
            ScalingCause::AzRebalance { at, launch: true } => write!(
                f,
                "At {at} an instance was launched to aid in balancing the group's zones (AZRebalance: launch before terminate)."
            ),
            ScalingCause::AzRebalance { at, launch: false } => write!(
                f,
                "At {at} an instance was taken out of service to aid in balancing the group's zones (AZRebalance: its replacement in a less populated zone is in service)."
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(minutes: u64) -> SimTime {
        SimTime(minutes * 60_000_000_000)
    }

    /// Each cause prints the sentence the world formatted before causes were typed.
    #[test]
    fn causes_print_aws_sentences() {
        let alarm = ScalingCause::DesiredCapacity {
            at: at(20),
            by: ChangedBy::Alarm {
                alarm: "TargetTracking-web-asg-AlarmHigh-cpu50".into(),
                policy: "cpu50".into(),
                value: 61.5,
            },
            from: 2,
            to: 3,
            wanted: 3,
        };
        assert_eq!(
            alarm.to_string(),
            "At 0:20:00.000 a monitor alarm TargetTracking-web-asg-AlarmHigh-cpu50 in state ALARM triggered policy cpu50 changing the desired capacity from 2 to 3."
        );
        let scheduled = ScalingCause::DesiredCapacity {
            at: at(60),
            by: ChangedBy::ScheduledAction {
                action: "morning".into(),
            },
            from: 2,
            to: 6,
            wanted: 6,
        };
        assert_eq!(
            scheduled.to_string(),
            "At 1:00:00.000 scheduled action morning was executed, changing the desired capacity from 2 to 6."
        );
        let limits = ScalingCause::DesiredCapacity {
            at: at(60),
            by: ChangedBy::ScheduledLimits {
                action: "night".into(),
            },
            from: 6,
            to: 4,
            wanted: 4,
        };
        assert_eq!(
            limits.to_string(),
            "At 1:00:00.000 scheduled action night changed the limits, changing the desired capacity from 6 to 4."
        );
        assert_eq!(
            ScalingCause::UnhealthyInstance {
                at: at(5),
                why: "an ELB system health check failure"
            }
            .to_string(),
            "At 0:05:00.000 an instance was taken out of service in response to an ELB system health check failure."
        );
        assert_eq!(ScalingCause::ReplacingUnhealthy { at: at(5) }.at(), at(5));
    }
}
