//! Scaling policies as written (`PutScalingPolicy`: `TargetTrackingScaling`, `StepScaling`,
//! `SimpleScaling`) and their resolution, including the two CloudWatch alarms each target
//! tracking policy creates.

use super::FieldError;
use super::alarm::{MessagingNames, MetricScope, lookup_metric, namespace_of, parse_statistic};
use super::metric_math::{RawMetricDataQuery, Tracked, resolve_metrics};
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

/// `CustomizedMetricSpecification`: one metric (`MetricName`, `Dimensions`, `Statistic`) or
/// metric math (`Metrics`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCustomizedMetric {
    /// `MetricName` (as for alarms).
    #[serde(rename = "MetricName", default)]
    pub metric_name: Option<String>,
    /// `Namespace` (optional; when given, the metric's own, such as `AWS/SQS`).
    #[serde(rename = "Namespace", default)]
    pub namespace: Option<String>,
    /// `Dimensions`.
    #[serde(rename = "Dimensions", default)]
    pub dimensions: std::collections::BTreeMap<String, String>,
    /// `Statistic` (default `Average`).
    #[serde(rename = "Statistic", default)]
    pub statistic: Option<String>,
    /// `Metrics`: metric math, such as backlog per instance (`m1 / m2`), instead of one metric.
    #[serde(rename = "Metrics", default)]
    pub metrics: Option<Vec<RawMetricDataQuery>>,
}

/// The metric a `CustomizedMetricSpecification` at `at` names.
fn customized_metric(
    c: &RawCustomizedMetric,
    at: &JsonPath,
    scope: MetricScope<'_>,
) -> Result<Tracked, FieldError> {
    match (&c.metrics, &c.metric_name) {
        (Some(queries), None) => {
            let single = [
                ("Namespace", c.namespace.is_some()),
                ("Dimensions", !c.dimensions.is_empty()),
                ("Statistic", c.statistic.is_some()),
            ];
            if let Some((key, _)) = single.iter().find(|(_, given)| *given) {
                return Err(at.key(key).error(
                    "with Metrics, each query names its metric: Namespace, Dimensions and Statistic go inside MetricStat",
                ));
            }
            resolve_metrics(queries, &at.key("Metrics"), scope)
        }
        (None, Some(name)) => {
            let metric = lookup_metric(name, &c.dimensions, at, scope)?;
            let namespace = namespace_of(name).expect("a metric albsim computes");
            if let Some(ns) = c.namespace.as_deref().filter(|&ns| ns != namespace) {
                return Err(at
                    .key("Namespace")
                    .error(format!("{name} is in the {namespace} namespace, got {ns:?}")));
            }
            Ok(Tracked {
                metric,
                statistic: parse_statistic(c.statistic.as_deref(), &at.key("Statistic"))?,
                // What reports have always called a single customized metric.
                label: "custom metric".to_string(),
            })
        }
        (Some(_), Some(_)) => Err(at.error(
            "expected MetricName (one metric) or Metrics (metric math), not both",
        )),
        (None, None) => Err(at.error(
            "expected MetricName (one metric) or Metrics (metric math, such as backlog per instance: m1 / m2)",
        )),
    }
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
    messaging: &MessagingNames,
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
            let mut custom_label = None;
            let metric = match (&tt.predefined, &tt.customized) {
                (None, Some(c)) => {
                    let c_at = tt_at.key("CustomizedMetricSpecification");
                    // A group's policy reads its own group's metrics.
                    let own: BTreeMap<&str, usize> = [(group_name, asg_index)].into();
                    let scope = MetricScope {
                        groups: &own,
                        target_groups,
                        messaging,
                    };
                    let tracked = customized_metric(c, &c_at, scope)?;
                    custom_label = Some(tracked.label);
                    TrackedMetric::Custom(tracked.metric, tracked.statistic)
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
            let (metric_ref, metric_name, multiple) = match &metric {
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
                    MetricRef::TgRequestCountPerTarget(*g),
                    "RequestCountPerTarget",
                    1,
                ),
                TrackedMetric::Custom(m, _) => {
                    let basic_cpu =
                        matches!(m, MetricRef::AsgCpu(_)) && !template.detailed_monitoring;
                    let label = custom_label.as_deref().unwrap_or("custom metric");
                    (m.clone(), label, if basic_cpu { minutes } else { 1 })
                }
            };
            let statistic = match &metric {
                TrackedMetric::AlbRequestCountPerTarget(_) => Statistic::Sum,
                TrackedMetric::Custom(_, st) => *st,
                _ => Statistic::Average,
            };
            let high_alarm = AlarmId(alarms.len() as u32);
            for (which, rule) in [("AlarmHigh", high_rule), ("AlarmLow", low_rule)] {
                alarms.push(AlarmSpec {
                    name: format!("TargetTracking-{}-{which}-{}", group_name, raw.name),
                    metric_name: metric_name.to_string(),
                    metric: metric_ref.clone(),
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

#[cfg(test)]
mod tests {
    use super::super::alarm::tests::{error, resolve, workers};
    use crate::model::cloudwatch::{Comparison, MathOp, MetricMath, MetricRef, SqsMetric};
    use crate::model::ids::AsgId;
    use crate::model::sqs::QueueId;
    use serde_json::{Value, json};

    /// AWS's backlog-per-instance query, as its guide writes it, on queue `orders`.
    fn backlog_queries() -> Value {
        json!([
            { "Id": "m1", "MetricStat": { "Metric": { "MetricName": "ApproximateNumberOfMessagesVisible",
                "Namespace": "AWS/SQS", "Dimensions": [ { "Name": "QueueName", "Value": "orders" } ] },
                "Stat": "Sum" }, "ReturnData": false },
            { "Id": "m2", "MetricStat": { "Metric": { "MetricName": "GroupInServiceInstances",
                "Namespace": "AWS/AutoScaling", "Dimensions": [ { "Name": "AutoScalingGroupName", "Value": "workers" } ] },
                "Stat": "Average" }, "ReturnData": false },
            { "Id": "e1", "Expression": "m1 / m2", "Label": "Backlog per instance", "ReturnData": true }
        ])
    }

    fn tt(customized: Value) -> Value {
        workers(
            json!([{ "PolicyName": "backlog", "PolicyType": "TargetTrackingScaling",
            "TargetTrackingConfiguration": {
                "CustomizedMetricSpecification": customized, "TargetValue": 100 } }]),
        )
    }

    fn math_error(queries: Value) -> (String, String) {
        error(tt(json!({ "Metrics": queries })), json!([]))
    }

    const AT: &str = "auto_scaling_groups[0].Policies[0].TargetTrackingConfiguration.CustomizedMetricSpecification";

    #[test]
    fn backlog_per_instance_tracks_visible_messages_over_in_service_instances() {
        let (_, alarms) = resolve(tt(json!({ "Metrics": backlog_queries() })), json!([])).unwrap();
        let math = MetricRef::Math(Box::new(MetricMath {
            left: MetricRef::Queue(QueueId(0), SqsMetric::Visible),
            op: MathOp::Divide,
            right: MetricRef::AsgInService(AsgId(0)),
        }));
        assert_eq!(alarms.len(), 2, "AlarmHigh and AlarmLow");
        let (high, low) = (&alarms[0], &alarms[1]);
        assert_eq!((&high.metric, &low.metric), (&math, &math));
        assert_eq!(high.metric_name, "Backlog per instance");
        // TargetValue is the acceptable backlog per instance: high above it, low below 0.9 of it.
        assert_eq!(high.rule.threshold, 100.0);
        assert_eq!(high.rule.comparison, Comparison::Greater);
        assert_eq!(low.rule.threshold, 90.0);
        assert_eq!(high.period_multiple, 1, "1-minute SQS metrics");
        let MetricRef::Math(m) = &math else {
            unreachable!()
        };
        assert_eq!(m.per_instance_of(), Some(AsgId(0)));
    }

    #[test]
    fn spaces_are_optional_and_any_of_the_four_operators_works() {
        for (text, op) in [
            ("m1/m2", MathOp::Divide),
            ("m1 + m2", MathOp::Add),
            ("m1-m2", MathOp::Subtract),
            ("m1 *m2", MathOp::Multiply),
        ] {
            let mut q = backlog_queries();
            q[2]["Expression"] = json!(text);
            q[2].as_object_mut().unwrap().remove("Label");
            let (_, alarms) = resolve(tt(json!({ "Metrics": q })), json!([])).unwrap();
            let MetricRef::Math(m) = &alarms[0].metric else {
                panic!("{text}")
            };
            assert_eq!(m.op, op, "{text}");
            assert_eq!(
                alarms[0].metric_name, text,
                "no Label: the expression names it"
            );
        }
    }

    #[test]
    fn a_single_metric_query_may_return_data_itself() {
        let q = json!([{ "Id": "visible", "MetricStat": { "Metric": {
            "MetricName": "ApproximateNumberOfMessagesVisible", "Namespace": "AWS/SQS",
            "Dimensions": [ { "Name": "QueueName", "Value": "orders" } ] }, "Stat": "Sum" } }]);
        let (_, alarms) = resolve(tt(json!({ "Metrics": q })), json!([])).unwrap();
        assert_eq!(
            alarms[0].metric,
            MetricRef::Queue(QueueId(0), SqsMetric::Visible)
        );
        assert_eq!(
            alarms[0].statistic,
            crate::model::cloudwatch::Statistic::Sum
        );
    }

    #[test]
    fn a_customized_queue_metric_resolves_by_name_and_namespace() {
        let c = json!({ "MetricName": "ApproximateAgeOfOldestMessage", "Namespace": "AWS/SQS",
            "Dimensions": { "QueueName": "orders" }, "Statistic": "Maximum" });
        let (_, alarms) = resolve(tt(c), json!([])).unwrap();
        assert_eq!(
            alarms[0].metric,
            MetricRef::Queue(QueueId(0), SqsMetric::AgeOfOldestMessage)
        );
        let c = json!({ "MetricName": "ApproximateAgeOfOldestMessage", "Namespace": "AWS/EC2",
            "Dimensions": { "QueueName": "orders" } });
        let (path, message) = error(tt(c), json!([]));
        assert_eq!(path, format!("{AT}.Namespace"));
        assert!(message.contains("is in the AWS/SQS namespace"), "{message}");
    }

    #[test]
    fn return_data_must_mark_exactly_one_query() {
        let mut q = backlog_queries();
        for i in 0..3 {
            q[i].as_object_mut().unwrap().remove("ReturnData");
        }
        let (path, message) = math_error(q);
        assert_eq!(path, format!("{AT}.Metrics"));
        assert!(
            message.contains("exactly one query with ReturnData true"),
            "{message}"
        );
        assert!(
            message.contains("got 3"),
            "ReturnData defaults to true: {message}"
        );
        let mut q = backlog_queries();
        q[2]["ReturnData"] = json!(false);
        let (_, message) = math_error(q);
        assert!(message.contains("got 0"), "{message}");
    }

    #[test]
    fn expression_errors_name_the_expression_and_what_is_supported() {
        for (text, needle) in [
            ("m1 / 10", "two metric Ids joined by one of + - * /"),
            (
                "FILL(m1, 0) / m2",
                "functions, numbers and longer expressions are not supported",
            ),
            ("m1 / m2 / m1", "two metric Ids"),
            ("m1 / m3", "no query with Id \"m3\""),
            ("m1 / e1", "\"e1\" is an expression"),
        ] {
            let mut q = backlog_queries();
            q[2]["Expression"] = json!(text);
            let (path, message) = math_error(q);
            assert_eq!(path, format!("{AT}.Metrics[2].Expression"), "{text}");
            assert!(message.contains(needle), "{text}: {message}");
        }
    }

    #[test]
    fn query_errors_name_the_query() {
        let mut q = backlog_queries();
        q[0]["Id"] = json!("M1");
        let (path, message) = math_error(q);
        assert_eq!(path, format!("{AT}.Metrics[0].Id"));
        assert!(
            message.contains("starting with a lower-case letter"),
            "{message}"
        );

        let mut q = backlog_queries();
        q[1]["Id"] = json!("m1");
        let (path, message) = math_error(q);
        assert_eq!(path, format!("{AT}.Metrics[1].Id"));
        assert!(message.contains("used twice"), "{message}");

        let mut q = backlog_queries();
        q[2]["MetricStat"] = q[0]["MetricStat"].clone();
        let (path, message) = math_error(q);
        assert_eq!(path, format!("{AT}.Metrics[2]"));
        assert!(
            message.contains("exactly one of MetricStat and Expression"),
            "{message}"
        );

        let mut q = backlog_queries();
        q[0]["MetricStat"]["Metric"]["Namespace"] = json!("AWS/AutoScaling");
        let (path, message) = math_error(q);
        assert_eq!(path, format!("{AT}.Metrics[0].MetricStat.Metric.Namespace"));
        assert!(message.contains("AWS/SQS"), "{message}");

        let mut q = backlog_queries();
        q[0]["MetricStat"]["Metric"]["Dimensions"][0]["Value"] = json!("nope");
        let (path, message) = math_error(q);
        assert_eq!(
            path,
            format!("{AT}.Metrics[0].MetricStat.Metric.Dimensions.QueueName")
        );
        assert_eq!(message, "no queue named \"nope\"");

        let mut q = backlog_queries();
        q[1]["MetricStat"]["Stat"] = json!("p99");
        let (path, message) = math_error(q);
        assert_eq!(path, format!("{AT}.Metrics[1].MetricStat.Stat"));
        assert!(
            message.contains("Average, Sum, Maximum or Minimum"),
            "{message}"
        );

        let (path, message) = math_error(json!([]));
        assert_eq!(path, format!("{AT}.Metrics"));
        assert!(message.contains("at least one query"), "{message}");
    }

    #[test]
    fn metrics_and_a_single_metric_do_not_mix() {
        let (path, message) = error(
            tt(json!({ "Metrics": backlog_queries(), "MetricName": "CPUUtilization" })),
            json!([]),
        );
        assert_eq!(path, AT);
        assert!(message.contains("not both"), "{message}");
        let (path, message) = error(
            tt(json!({ "Metrics": backlog_queries(), "Dimensions": { "QueueName": "orders" } })),
            json!([]),
        );
        assert_eq!(path, format!("{AT}.Dimensions"));
        assert!(message.contains("inside MetricStat"), "{message}");
        let (path, message) = error(tt(json!({})), json!([]));
        assert_eq!(path, AT);
        assert!(
            message.contains("MetricName (one metric) or Metrics"),
            "{message}"
        );
    }
}
