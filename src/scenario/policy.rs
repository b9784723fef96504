//! Scaling policies as written (`PutScalingPolicy`: `TargetTrackingScaling`, `StepScaling`,
//! `SimpleScaling`) and their resolution, including the two CloudWatch alarms each target
//! tracking policy creates.

use super::FieldError;
use super::alarm::{lookup_metric, parse_statistic};
use super::path::JsonPath;
use super::ranges::ranged_seconds;
use super::values::AwsInt;
use crate::engine::SimDuration;
use crate::model::autoscaling::{
    AdjustmentType, LaunchTemplate, PolicyKind, PolicySpec, Step, TrackedMetric, tt_alarm_rules,
};
use crate::model::cloudwatch::{AlarmSpec, MetricRef, Statistic};
use crate::model::ids::{AlarmId, AsgId, PolicyId, TargetGroupId};
use serde::Deserialize;
use std::collections::BTreeMap;

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

/// Resolves the scaling policy at `at` of Auto Scaling group `asg_index` (named `group_name`); a
/// target tracking policy adds its two alarms to `alarms`.
#[allow(clippy::too_many_arguments)]
pub(super) fn resolve_policy(
    raw: &RawScalingPolicy,
    at: &JsonPath,
    group_name: &str,
    asg_groups: &[TargetGroupId],
    target_groups: &BTreeMap<String, TargetGroupId>,
    default_cooldown: SimDuration,
    default_warmup: Option<SimDuration>,
    template: &LaunchTemplate,
    period: SimDuration,
    asg_index: usize,
    policy_index: usize,
    alarms: &mut Vec<AlarmSpec>,
) -> Result<PolicySpec, FieldError> {
    let warmup = match raw.estimated_instance_warmup {
        Some(v) => ranged_seconds(Some(v.0), &at.key("EstimatedInstanceWarmup"), 0, 86_400, 0)?,
        None => default_warmup.unwrap_or(default_cooldown),
    };
    let adjustment_type = |required: bool| -> Result<Option<AdjustmentType>, FieldError> {
        match raw.adjustment_type.as_deref() {
            None if required => Err(at
                .key("AdjustmentType")
                .error("expected ChangeInCapacity, ExactCapacity or PercentChangeInCapacity")),
            None => Ok(None),
            Some(t) => AdjustmentType::parse(t).map(Some).ok_or_else(|| {
                at.key("AdjustmentType").error(format!(
                    "expected ChangeInCapacity, ExactCapacity or PercentChangeInCapacity, got {t:?}"
                ))
            }),
        }
    };
    let kind = match raw.policy_type.as_str() {
        "TargetTrackingScaling" => {
            let tt_at = at.key("TargetTrackingConfiguration");
            let tt = raw.target_tracking.as_ref().ok_or_else(|| {
                tt_at.error("a target tracking policy needs TargetTrackingConfiguration")
            })?;
            let m_at = tt_at.key("PredefinedMetricSpecification");
            let metric = match (&tt.predefined, &tt.customized) {
                (None, Some(c)) => {
                    let c_at = tt_at.key("CustomizedMetricSpecification");
                    let own: BTreeMap<&str, usize> = [(group_name, asg_index)].into();
                    let metric =
                        lookup_metric(&c.metric_name, &c.dimensions, &c_at, &own, target_groups)?;
                    let statistic =
                        parse_statistic(c.statistic.as_deref(), &c_at.key("Statistic"))?;
                    TrackedMetric::Custom(metric, statistic)
                }
                (Some(predefined), None) => match predefined.metric_type.as_str() {
                    "ASGAverageCPUUtilization" => TrackedMetric::AsgAverageCpu,
                    "ASGAverageNetworkIn" => TrackedMetric::AsgAverageNetworkIn,
                    "ASGAverageNetworkOut" => TrackedMetric::AsgAverageNetworkOut,
                    "ALBRequestCountPerTarget" => {
                        let label = predefined.resource_label.as_deref().ok_or_else(|| {
                            m_at.key("ResourceLabel").error(
                            "ALBRequestCountPerTarget needs ResourceLabel: the target group name",
                        )
                        })?;
                        let g = target_groups.get(label).copied().ok_or_else(|| {
                            m_at.key("ResourceLabel")
                                .error(format!("no target group named {label:?}"))
                        })?;
                        if !asg_groups.contains(&g) {
                            return Err(m_at.key("ResourceLabel").error(format!(
                                "target group {label:?} is not in this group's TargetGroupARNs"
                            )));
                        }
                        TrackedMetric::AlbRequestCountPerTarget(g)
                    }
                    other => {
                        return Err(m_at.key("PredefinedMetricType").error(format!(
                        "expected ASGAverageCPUUtilization, ASGAverageNetworkIn, ASGAverageNetworkOut or ALBRequestCountPerTarget, got {other:?}"
                    )));
                    }
                },
                _ => {
                    return Err(tt_at.error(
                        "expected exactly one of PredefinedMetricSpecification and CustomizedMetricSpecification",
                    ));
                }
            };
            let target = tt.target_value;
            let max_target = if metric == TrackedMetric::AsgAverageCpu {
                100.0
            } else {
                f64::MAX
            };
            if !(target.is_finite() && target > 0.0 && target <= max_target) {
                return Err(tt_at.key("TargetValue").error(format!(
                    "expected a positive target{}, got {target}",
                    if max_target == 100.0 {
                        " up to 100 (%)"
                    } else {
                        ""
                    }
                )));
            }
            let shape = tt.alarms.as_ref();
            let high = shape.and_then(|s| s.high_datapoints).unwrap_or(3);
            let low = shape.and_then(|s| s.low_datapoints).unwrap_or(15);
            let factor = shape.and_then(|s| s.low_threshold_factor).unwrap_or(0.9);
            if !(1..=100).contains(&high) || !(1..=100).contains(&low) {
                return Err(tt_at
                    .key("alarms")
                    .error("expected 1–100 datapoints per alarm"));
            }
            if !(factor > 0.0 && factor <= 1.0) {
                return Err(tt_at
                    .key("alarms")
                    .key("low_threshold_factor")
                    .error(format!("expected a factor in (0, 1], got {factor}")));
            }
            let (high_rule, low_rule) = tt_alarm_rules(target, high, low, factor);
            // Basic monitoring publishes CPU every 5 minutes: the managed alarms then use 5-minute
            // periods (an assumption consistent with the observed 15 min out / 75 min in).
            let minutes = (SimDuration::from_secs(300).0 / period.0).max(1) as u32;
            let (metric_ref, metric_name, multiple) = match metric {
                TrackedMetric::AsgAverageCpu => (
                    MetricRef::AsgCpuReady(AsgId(asg_index as u32)),
                    "CPUUtilization",
                    if template.detailed_monitoring {
                        1
                    } else {
                        minutes
                    },
                ),
                TrackedMetric::AsgAverageNetworkIn => (
                    MetricRef::AsgNetworkIn(AsgId(asg_index as u32)),
                    "NetworkIn",
                    if template.detailed_monitoring {
                        1
                    } else {
                        minutes
                    },
                ),
                TrackedMetric::AsgAverageNetworkOut => (
                    MetricRef::AsgNetworkOut(AsgId(asg_index as u32)),
                    "NetworkOut",
                    if template.detailed_monitoring {
                        1
                    } else {
                        minutes
                    },
                ),
                TrackedMetric::AlbRequestCountPerTarget(g) => (
                    MetricRef::TgRequestCountPerTarget(g),
                    "RequestCountPerTarget",
                    1,
                ),
                TrackedMetric::Custom(m, _) => {
                    let basic_cpu =
                        matches!(m, MetricRef::AsgCpu(_)) && !template.detailed_monitoring;
                    (m, "custom metric", if basic_cpu { minutes } else { 1 })
                }
            };
            let statistic = match metric {
                TrackedMetric::AlbRequestCountPerTarget(_) => Statistic::Sum,
                TrackedMetric::Custom(_, st) => st,
                _ => Statistic::Average,
            };
            let high_alarm = AlarmId(alarms.len() as u32);
            for (which, rule) in [("AlarmHigh", high_rule), ("AlarmLow", low_rule)] {
                alarms.push(AlarmSpec {
                    name: format!("TargetTracking-{}-{which}-{}", group_name, raw.name),
                    metric_name: metric_name.to_string(),
                    metric: metric_ref,
                    statistic,
                    period_multiple: multiple,
                    rule,
                    actions: vec![(AsgId(asg_index as u32), PolicyId(policy_index as u32))],
                });
            }
            PolicyKind::TargetTracking {
                metric,
                target,
                disable_scale_in: tt.disable_scale_in.unwrap_or(false),
                high_alarm,
                low_alarm: AlarmId(high_alarm.0 + 1),
            }
        }
        "StepScaling" => {
            let adjustment_type = adjustment_type(true)?.expect("required");
            if raw.step_adjustments.is_empty() {
                return Err(at
                    .key("StepAdjustments")
                    .error("expected at least one step"));
            }
            let mut steps: Vec<Step> = raw
                .step_adjustments
                .iter()
                .map(|s| Step {
                    lower: s.lower.unwrap_or(f64::NEG_INFINITY),
                    upper: s.upper.unwrap_or(f64::INFINITY),
                    adjustment: s.adjustment,
                })
                .collect();
            steps.sort_by(|a, b| a.lower.total_cmp(&b.lower));
            for w in steps.windows(2) {
                if w[0].upper != w[1].lower {
                    return Err(at.key("StepAdjustments").error(format!(
                        "steps may not overlap or leave gaps: one ends at {}, the next starts at {}",
                        w[0].upper, w[1].lower
                    )));
                }
            }
            PolicyKind::Step {
                adjustment_type,
                steps,
                min_magnitude: raw.min_adjustment_magnitude.unwrap_or(0),
            }
        }
        "SimpleScaling" => {
            let adjustment_type = adjustment_type(true)?.expect("required");
            let adjustment = raw.scaling_adjustment.ok_or_else(|| {
                at.key("ScalingAdjustment")
                    .error("a simple scaling policy needs ScalingAdjustment")
            })?;
            let cooldown = match raw.cooldown {
                Some(v) => ranged_seconds(Some(v.0), &at.key("Cooldown"), 0, 86_400, 0)?,
                None => default_cooldown,
            };
            PolicyKind::Simple {
                adjustment_type,
                adjustment,
                cooldown,
            }
        }
        other => {
            return Err(at.key("PolicyType").error(format!(
                "expected TargetTrackingScaling, StepScaling or SimpleScaling, got {other:?}"
            )));
        }
    };
    Ok(PolicySpec {
        name: raw.name.clone(),
        kind,
        warmup,
    })
}
