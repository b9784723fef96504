//! CloudWatch alarms as written (`PutMetricAlarm`: `EvaluationPeriods`, `DatapointsToAlarm`,
//! `TreatMissingData`, `ComparisonOperator`) and their resolution into [`AlarmSpec`]s.

use super::values::AwsInt;
use serde::Deserialize;

/// A CloudWatch alarm (`PutMetricAlarm`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAlarm {
    /// `AlarmName`.
    #[serde(rename = "AlarmName")]
    pub name: String,
    /// `MetricName`: `CPUUtilization`, `NetworkIn`, `NetworkOut`, `GroupInServiceInstances`
    /// (dimension `AutoScalingGroupName`), `RequestCount`, `RequestCountPerTarget` (dimension
    /// `TargetGroup`), `TargetResponseTime`, `HTTPCode_ELB_5XX_Count` (the load balancer).
    #[serde(rename = "MetricName")]
    pub metric_name: String,
    /// `Dimensions`: `{"AutoScalingGroupName": "web-asg"}` or `{"TargetGroup": "web"}`.
    #[serde(rename = "Dimensions", default)]
    pub dimensions: std::collections::BTreeMap<String, String>,
    /// `Statistic`: `Average` (default), `Sum`, `Maximum`, `Minimum`.
    #[serde(rename = "Statistic", default)]
    pub statistic: Option<String>,
    /// `ExtendedStatistic`: a percentile such as `p99`, for `TargetResponseTime` (with `Period`
    /// equal to the metric period).
    #[serde(rename = "ExtendedStatistic", default)]
    pub extended_statistic: Option<String>,
    /// `Period` \[s\], a multiple of the metric period (default 60).
    #[serde(rename = "Period", default)]
    pub period: Option<AwsInt>,
    /// `EvaluationPeriods`.
    #[serde(rename = "EvaluationPeriods")]
    pub evaluation_periods: u32,
    /// `DatapointsToAlarm` (default `EvaluationPeriods`).
    #[serde(rename = "DatapointsToAlarm", default)]
    pub datapoints_to_alarm: Option<u32>,
    /// `Threshold`.
    #[serde(rename = "Threshold")]
    pub threshold: f64,
    /// `ComparisonOperator`.
    #[serde(rename = "ComparisonOperator")]
    pub comparison: String,
    /// `TreatMissingData`: `missing` (default), `notBreaching`, `breaching`, `ignore`.
    #[serde(rename = "TreatMissingData", default)]
    pub treat_missing_data: Option<String>,
    /// `AlarmActions`: scaling policy names, run while the alarm is in ALARM.
    #[serde(rename = "AlarmActions", default)]
    pub alarm_actions: Vec<String>,
}
