//! Scaling policies as written (`PutScalingPolicy`: `TargetTrackingScaling`, `StepScaling`,
//! `SimpleScaling`) and their resolution, including the two CloudWatch alarms each target
//! tracking policy creates.

use super::values::AwsInt;
use serde::Deserialize;

/// A scaling policy (`PutScalingPolicy`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawScalingPolicy {
    /// `PolicyName`.
    #[serde(rename = "PolicyName")]
    pub name: String,
    /// `TargetTrackingScaling`, `StepScaling` or `SimpleScaling`.
    #[serde(rename = "PolicyType")]
    pub policy_type: String,
    /// Target tracking settings.
    #[serde(rename = "TargetTrackingConfiguration", default)]
    pub target_tracking: Option<RawTargetTracking>,
    /// `ChangeInCapacity`, `ExactCapacity` or `PercentChangeInCapacity` (step and simple).
    #[serde(rename = "AdjustmentType", default)]
    pub adjustment_type: Option<String>,
    /// Simple scaling: the adjustment.
    #[serde(rename = "ScalingAdjustment", default)]
    pub scaling_adjustment: Option<i64>,
    /// Simple scaling: cooldown \[s\] (default: the group's `DefaultCooldown`).
    #[serde(rename = "Cooldown", default)]
    pub cooldown: Option<AwsInt>,
    /// Step scaling: steps relative to the alarm threshold.
    #[serde(rename = "StepAdjustments", default)]
    pub step_adjustments: Vec<RawStepAdjustment>,
    /// `MinAdjustmentMagnitude` for `PercentChangeInCapacity`.
    #[serde(rename = "MinAdjustmentMagnitude", default)]
    pub min_adjustment_magnitude: Option<u32>,
    /// `EstimatedInstanceWarmup` \[s\] (target tracking and step).
    #[serde(rename = "EstimatedInstanceWarmup", default)]
    pub estimated_instance_warmup: Option<AwsInt>,
}

/// `TargetTrackingConfiguration`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTargetTracking {
    /// `PredefinedMetricSpecification` (one of this and `CustomizedMetricSpecification`).
    #[serde(rename = "PredefinedMetricSpecification", default)]
    pub predefined: Option<RawPredefinedMetric>,
    /// `CustomizedMetricSpecification`: any metric albsim computes, by name and dimensions.
    #[serde(rename = "CustomizedMetricSpecification", default)]
    pub customized: Option<RawCustomizedMetric>,
    /// `TargetValue`.
    #[serde(rename = "TargetValue")]
    pub target_value: f64,
    /// `DisableScaleIn`, default false.
    #[serde(rename = "DisableScaleIn", default)]
    pub disable_scale_in: Option<bool>,
    /// Shapes of the alarms AWS creates (assumptions from observation: high 3 of 3, low 15 of 15,
    /// low threshold 0.9 × target).
    #[serde(default)]
    pub alarms: Option<RawTargetTrackingAlarms>,
}

/// `CustomizedMetricSpecification`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCustomizedMetric {
    /// `MetricName` (as for alarms).
    #[serde(rename = "MetricName")]
    pub metric_name: String,
    /// `Dimensions`.
    #[serde(rename = "Dimensions", default)]
    pub dimensions: std::collections::BTreeMap<String, String>,
    /// `Statistic` (default `Average`).
    #[serde(rename = "Statistic", default)]
    pub statistic: Option<String>,
}

/// `PredefinedMetricSpecification`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPredefinedMetric {
    /// `ASGAverageCPUUtilization`, `ASGAverageNetworkIn`, `ASGAverageNetworkOut` or
    /// `ALBRequestCountPerTarget`.
    #[serde(rename = "PredefinedMetricType")]
    pub metric_type: String,
    /// `ResourceLabel`: for `ALBRequestCountPerTarget`, the target group name.
    #[serde(rename = "ResourceLabel", default)]
    pub resource_label: Option<String>,
}

/// The alarms target tracking creates (albsim settings; AWS does not document them).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTargetTrackingAlarms {
    /// High alarm datapoints (M of N, default 3 of 3).
    #[serde(default)]
    pub high_datapoints: Option<u32>,
    /// Low alarm datapoints (default 15 of 15).
    #[serde(default)]
    pub low_datapoints: Option<u32>,
    /// Low alarm threshold as a fraction of the target (default 0.9).
    #[serde(default)]
    pub low_threshold_factor: Option<f64>,
}

/// A step of a step scaling policy.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawStepAdjustment {
    /// `MetricIntervalLowerBound` (relative to the threshold; absent: −∞).
    #[serde(rename = "MetricIntervalLowerBound", default)]
    pub lower: Option<f64>,
    /// `MetricIntervalUpperBound` (relative to the threshold; absent: +∞).
    #[serde(rename = "MetricIntervalUpperBound", default)]
    pub upper: Option<f64>,
    /// `ScalingAdjustment`.
    #[serde(rename = "ScalingAdjustment")]
    pub adjustment: i64,
}
