//! The CloudWatch alarms of a run: what each one is, and its state at the end of every period.

use serde::Serialize;

/// A CloudWatch alarm of the run (`PutMetricAlarm`): one of the model's `alarms`, or one of the
/// pair a target tracking policy creates and manages. Its state and latest datapoint at the end
/// of each period are [`PeriodRow::alarms`](super::PeriodRow::alarms)`[k]`, where `k` is its index
/// in [`RunResult::alarms`](super::RunResult::alarms).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AlarmResult {
    /// `AlarmName`.
    pub name: String,
    /// `MetricName` as the model wrote it.
    pub metric_name: String,
    /// `Threshold`.
    pub threshold: f64,
    /// The target tracking policy that created it; `None` for an alarm of the model.
    pub target_tracking: Option<TargetTrackingAlarm>,
}

/// Which target tracking policy manages an alarm, and which of its two alarms it is.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TargetTrackingAlarm {
    /// `AutoScalingGroupName` of the policy's group.
    pub group: String,
    /// `PolicyName`.
    pub policy: String,
    /// High (scale-out) or low (scale-in) alarm.
    pub side: AlarmSide,
}

/// The two alarms of a target tracking policy.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum AlarmSide {
    /// `AlarmHigh`: the metric is above the target; scales out.
    High,
    /// `AlarmLow`: the metric is well below the target; scales in.
    Low,
}

impl AlarmSide {
    /// The word AWS puts in the managed alarm's name (`TargetTracking-<group>-AlarmHigh-<id>`).
    pub fn as_str(self) -> &'static str {
        match self {
            AlarmSide::High => "AlarmHigh",
            AlarmSide::Low => "AlarmLow",
        }
    }
}

/// An alarm at the end of a period.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct AlarmPoint {
    /// 0 OK, 1 ALARM, -1 INSUFFICIENT_DATA.
    pub state: i32,
    /// Latest datapoint of the alarm's metric.
    pub value: Option<f64>,
}
