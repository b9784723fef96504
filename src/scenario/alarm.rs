//! CloudWatch alarms as written (`PutMetricAlarm`: `EvaluationPeriods`, `DatapointsToAlarm`,
//! `TreatMissingData`, `ComparisonOperator`) and their resolution into [`AlarmSpec`]s.

use super::FieldError;
use super::path::JsonPath;
use super::values::AwsInt;
use crate::engine::SimDuration;
use crate::model::cloudwatch::{AlarmRule, Comparison, MissingData, Statistic};
use crate::model::cloudwatch::{AlarmSpec, MetricRef};
use crate::model::cloudwatch::{SnsMetric, SqsMetric};
use crate::model::ids::{AsgId, PolicyId, TargetGroupId};
use crate::model::sqs::{QueueId, TopicId};
use serde::Deserialize;
use std::collections::BTreeMap;

/// A CloudWatch alarm (`PutMetricAlarm`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAlarm {
    /// `AlarmName`.
    #[serde(rename = "AlarmName")]
    pub name: String,
    /// `MetricName`: `CPUUtilization`, `NetworkIn`, `NetworkOut`, `GroupInServiceInstances`
    /// (dimension `AutoScalingGroupName`), `RequestCount`, `RequestCountPerTarget` (dimension
    /// `TargetGroup`), `TargetResponseTime`, `HTTPCode_ELB_5XX_Count` (the load balancer), the
    /// `AWS/SQS` queue metrics (dimension `QueueName`) and the `AWS/SNS` topic metrics (dimension
    /// `TopicName`).
    #[serde(rename = "MetricName")]
    pub metric_name: String,
    /// `Dimensions`: `{"AutoScalingGroupName": "web-asg"}`, `{"TargetGroup": "web"}`,
    /// `{"QueueName": "orders"}` or `{"TopicName": "OrderAlerts"}`.
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

/// `p99` → 990, `p99.9` → 999 (per mille, 1–1000).
fn parse_percentile(text: &str) -> Option<u16> {
    let v: f64 = text.strip_prefix('p')?.parse().ok()?;
    (v > 0.0 && v <= 100.0).then(|| (v * 10.0).round() as u16)
}

/// The model's SQS queue and SNS topic names (`QueueName`, `TopicName`), which the `AWS/SQS` and
/// `AWS/SNS` metrics' dimensions name.
#[derive(Debug, Default)]
pub struct MessagingNames {
    /// `QueueName` → queue.
    pub queues: BTreeMap<String, QueueId>,
    /// `TopicName` → topic.
    pub topics: BTreeMap<String, TopicId>,
}

impl MessagingNames {
    /// The names of `queues` and `topics`, in the model's order (their ids).
    pub fn new<'a>(
        queues: impl IntoIterator<Item = &'a str>,
        topics: impl IntoIterator<Item = &'a str>,
    ) -> MessagingNames {
        MessagingNames {
            queues: (queues.into_iter().enumerate())
                .map(|(i, n)| (n.to_string(), QueueId(i as u32)))
                .collect(),
            topics: (topics.into_iter().enumerate())
                .map(|(i, n)| (n.to_string(), TopicId(i as u32)))
                .collect(),
        }
    }
}

/// What a metric's dimensions can name: Auto Scaling groups, target groups, queues and topics.
#[derive(Clone, Copy, Debug)]
pub(super) struct MetricScope<'a> {
    /// `AutoScalingGroupName` → position in the model.
    pub groups: &'a BTreeMap<&'a str, usize>,
    /// `TargetGroup` → target group.
    pub target_groups: &'a BTreeMap<String, TargetGroupId>,
    /// `QueueName`, `TopicName`.
    pub messaging: &'a MessagingNames,
}

/// Every metric albsim computes, by namespace, for messages.
pub(super) const METRICS_ACCEPTED: &str = "a metric of AWS/EC2 (CPUUtilization, NetworkIn, NetworkOut), AWS/AutoScaling (GroupInServiceInstances), AWS/ApplicationELB (RequestCount, RequestCountPerTarget, TargetResponseTime, HTTPCode_ELB_5XX_Count), AWS/SQS (ApproximateAgeOfOldestMessage, ApproximateNumberOfMessagesDelayed, ApproximateNumberOfMessagesNotVisible, ApproximateNumberOfMessagesVisible, NumberOfEmptyReceives, NumberOfMessagesDeleted, NumberOfMessagesReceived, NumberOfMessagesSent) or AWS/SNS (NumberOfMessagesPublished, NumberOfNotificationsDelivered)";

/// The `Namespace` of the metric called `name`, if albsim computes it.
pub(super) fn namespace_of(name: &str) -> Option<&'static str> {
    Some(match name {
        "CPUUtilization" | "NetworkIn" | "NetworkOut" => "AWS/EC2",
        "GroupInServiceInstances" => "AWS/AutoScaling",
        "RequestCount"
        | "RequestCountPerTarget"
        | "TargetResponseTime"
        | "HTTPCode_ELB_5XX_Count" => "AWS/ApplicationELB",
        n if SqsMetric::parse(n).is_some() => "AWS/SQS",
        n if SnsMetric::parse(n).is_some() => "AWS/SNS",
        _ => return None,
    })
}

/// A metric by CloudWatch name and dimensions (`at`: where they are written).
pub(super) fn lookup_metric(
    name: &str,
    dimensions: &BTreeMap<String, String>,
    at: &JsonPath,
    scope: MetricScope<'_>,
) -> Result<MetricRef, FieldError> {
    // The dimension `key` of the metric, by name (`find`: the id of a name).
    fn named<T: Copy>(
        dimensions: &BTreeMap<String, String>,
        at: &JsonPath,
        key: &str,
        what: &str,
        find: impl FnOnce(&str) -> Option<T>,
    ) -> Result<T, FieldError> {
        let name = dimensions.get(key).ok_or_else(|| {
            let given: Vec<&str> = dimensions.keys().map(String::as_str).collect();
            at.key("Dimensions").error(if given.is_empty() {
                format!("this metric needs the {key} dimension (the {what}'s name)")
            } else {
                format!(
                    "this metric needs the {key} dimension (the {what}'s name), got {}",
                    given.join(", ")
                )
            })
        })?;
        find(name).ok_or_else(|| {
            at.key("Dimensions")
                .key(key)
                .error(format!("no {what} named {name:?}"))
        })
    }
    let asg = || {
        named(
            dimensions,
            at,
            "AutoScalingGroupName",
            "Auto Scaling group",
            |n| scope.groups.get(n).map(|&a| AsgId(a as u32)),
        )
    };
    let tg = || {
        named(dimensions, at, "TargetGroup", "target group", |n| {
            scope.target_groups.get(n).copied()
        })
    };
    if let Some(m) = SqsMetric::parse(name) {
        let q = named(dimensions, at, "QueueName", "queue", |n| {
            scope.messaging.queues.get(n).copied()
        })?;
        return Ok(MetricRef::Queue(q, m));
    }
    if let Some(m) = SnsMetric::parse(name) {
        let t = named(dimensions, at, "TopicName", "topic", |n| {
            scope.messaging.topics.get(n).copied()
        })?;
        return Ok(MetricRef::Topic(t, m));
    }
    Ok(match name {
        "CPUUtilization" => MetricRef::AsgCpu(asg()?),
        "NetworkIn" => MetricRef::AsgNetworkIn(asg()?),
        "NetworkOut" => MetricRef::AsgNetworkOut(asg()?),
        "GroupInServiceInstances" => MetricRef::AsgInService(asg()?),
        "RequestCount" => MetricRef::TgRequestCount(tg()?),
        "RequestCountPerTarget" => MetricRef::TgRequestCountPerTarget(tg()?),
        "TargetResponseTime" => MetricRef::LbTargetResponseTime,
        "HTTPCode_ELB_5XX_Count" => MetricRef::LbElb5xx,
        other => {
            return Err(at
                .key("MetricName")
                .error(format!("expected {METRICS_ACCEPTED}, got {other:?}")));
        }
    })
}

/// A scaling policy that an alarm action can name (`AlarmActions` refer to policies by name).
#[derive(Clone, Copy, Debug)]
pub(super) struct PolicyRef {
    /// Its Auto Scaling group.
    pub group: AsgId,
    /// Its position in the group's `Policies`.
    pub index: PolicyId,
    /// A target tracking policy, which manages its own alarms.
    pub target_tracking: bool,
}

/// Resolves the alarm at `at`; its actions name `policies` by `PolicyName`.
pub(super) fn resolve_alarm(
    raw: &RawAlarm,
    at: &JsonPath,
    scope: MetricScope<'_>,
    policies: &BTreeMap<String, PolicyRef>,
    period: SimDuration,
) -> Result<AlarmSpec, FieldError> {
    let metric = lookup_metric(&raw.metric_name, &raw.dimensions, at, scope)?;
    let metric = match raw.extended_statistic.as_deref() {
        None => metric,
        Some(p) => {
            let q = parse_percentile(p).ok_or_else(|| {
                at.key("ExtendedStatistic").error(format!(
                    "expected a percentile such as \"p99\" or \"p99.9\", got {p:?}"
                ))
            })?;
            if !matches!(metric, MetricRef::LbTargetResponseTime) {
                return Err(at
                    .key("ExtendedStatistic")
                    .error("percentiles are available for TargetResponseTime only"));
            }
            if raw
                .period
                .is_some_and(|v| v.0 as f64 != period.as_secs_f64())
            {
                return Err(at.key("Period").error(format!(
                    "a percentile alarm needs Period equal to the metric period ({} s)",
                    period.as_secs_f64()
                )));
            }
            MetricRef::LbTargetResponseTimePercentile(q)
        }
    };
    let period_s = raw.period.map_or(60, |v| v.0);
    let metric_s = period.as_secs_f64();
    if period_s <= 0 || (period_s as f64 % metric_s) != 0.0 {
        return Err(at.key("Period").error(format!(
            "expected a multiple of the metric period ({metric_s} s), got {period_s}"
        )));
    }
    if !(1..=100).contains(&raw.evaluation_periods) {
        return Err(at
            .key("EvaluationPeriods")
            .error(format!("expected 1–100, got {}", raw.evaluation_periods)));
    }
    let m = raw.datapoints_to_alarm.unwrap_or(raw.evaluation_periods);
    if m == 0 || m > raw.evaluation_periods {
        return Err(at.key("DatapointsToAlarm").error(format!(
            "expected 1–EvaluationPeriods ({}), got {m}",
            raw.evaluation_periods
        )));
    }
    let rule = AlarmRule {
        threshold: raw.threshold,
        comparison: parse_comparison(&raw.comparison, &at.key("ComparisonOperator"))?,
        evaluation_periods: raw.evaluation_periods,
        datapoints_to_alarm: m,
        missing: parse_missing_data(
            raw.treat_missing_data.as_deref(),
            &at.key("TreatMissingData"),
        )?,
    };
    let mut actions = Vec::new();
    for (i, name) in raw.alarm_actions.iter().enumerate() {
        let policy = *policies.get(name).ok_or_else(|| {
            at.key("AlarmActions")
                .index(i)
                .error(format!("no scaling policy named {name:?}"))
        })?;
        if policy.target_tracking {
            return Err(at
                .key("AlarmActions")
                .index(i)
                .error("target tracking policies manage their own alarms"));
        }
        actions.push((policy.group, policy.index));
    }
    Ok(AlarmSpec {
        name: raw.name.clone(),
        metric_name: raw.metric_name.clone(),
        metric,
        statistic: parse_statistic(raw.statistic.as_deref(), &at.key("Statistic"))?,
        period_multiple: (period_s as f64 / metric_s) as u32,
        rule,
        actions,
    })
}

/// Parses `ComparisonOperator`.
pub(super) fn parse_comparison(text: &str, at: &JsonPath) -> Result<Comparison, FieldError> {
    Ok(match text {
        "GreaterThanThreshold" => Comparison::Greater,
        "GreaterThanOrEqualToThreshold" => Comparison::GreaterOrEqual,
        "LessThanThreshold" => Comparison::Less,
        "LessThanOrEqualToThreshold" => Comparison::LessOrEqual,
        other => {
            return Err(at.error(format!(
                "expected GreaterThanThreshold, GreaterThanOrEqualToThreshold, LessThanThreshold or LessThanOrEqualToThreshold, got {other:?}"
            )));
        }
    })
}

/// Parses `TreatMissingData` (`None`: `missing`).
pub(super) fn parse_missing_data(
    text: Option<&str>,
    at: &JsonPath,
) -> Result<MissingData, FieldError> {
    Ok(match text {
        None | Some("missing") => MissingData::Missing,
        Some("notBreaching") => MissingData::NotBreaching,
        Some("breaching") => MissingData::Breaching,
        Some("ignore") => MissingData::Ignore,
        Some(other) => {
            return Err(at.error(format!(
                "expected missing, notBreaching, breaching or ignore, got {other:?}"
            )));
        }
    })
}

/// Parses `Statistic` (`None`: `Average`).
pub(super) fn parse_statistic(text: Option<&str>, at: &JsonPath) -> Result<Statistic, FieldError> {
    Ok(match text {
        None | Some("Average") => Statistic::Average,
        Some("Sum") => Statistic::Sum,
        Some("Maximum") => Statistic::Maximum,
        Some("Minimum") => Statistic::Minimum,
        Some(other) => {
            return Err(at.error(format!(
                "expected Average, Sum, Maximum or Minimum, got {other:?}"
            )));
        }
    })
}

#[cfg(test)]
pub(super) mod tests {
    use super::super::FieldErrors;
    use super::super::autoscaling::{RawAutoScalingGroup, resolve_autoscaling};
    use super::*;
    use crate::model::autoscaling::AsgSpec;
    use serde_json::{Value, json};

    /// A group `workers` (1–20 instances of `t3.micro`, registered with no target group) with
    /// `policies`.
    pub fn workers(policies: Value) -> Value {
        json!([{ "AutoScalingGroupName": "workers", "MinSize": 1, "MaxSize": 20,
            "DesiredCapacity": 10, "AvailabilityZones": ["us-east-1a"],
            "LaunchTemplate": { "instance_type": "t3.micro", "workers": 4, "backlog": 100,
                "detailed_monitoring": true },
            "Policies": policies }])
    }

    /// Resolves `groups` and `alarms` (JSON) in a model with queues `orders` and `orders-dlq`,
    /// topic `OrderAlerts` and target group `web`.
    pub fn resolve(
        groups: Value,
        alarms: Value,
    ) -> Result<(Vec<AsgSpec>, Vec<AlarmSpec>), FieldErrors> {
        let groups: Vec<RawAutoScalingGroup> =
            super::super::shape::check(&groups).map_err(|e| FieldErrors(e.errors))?;
        let alarms: Vec<RawAlarm> =
            super::super::shape::check(&alarms).map_err(|e| FieldErrors(e.errors))?;
        let types = (crate::model::catalog::built_in().into_iter())
            .map(|t| (t.name.clone(), t))
            .collect();
        let target_groups = [("web".to_string(), TargetGroupId(0))].into();
        let names = MessagingNames::new(["orders", "orders-dlq"], ["OrderAlerts"]);
        resolve_autoscaling(
            &groups,
            &alarms,
            &types,
            &target_groups,
            &names,
            SimDuration::from_secs(60),
        )
    }

    /// The single error of resolving `groups` and `alarms`: (path, message).
    pub fn error(groups: Value, alarms: Value) -> (String, String) {
        let mut e = resolve(groups, alarms).expect_err("refused").0;
        assert_eq!(e.len(), 1, "{e:?}");
        let e = e.pop().unwrap();
        (e.path, e.message)
    }

    fn alarm(metric: &str, dimensions: Value) -> Value {
        json!([{ "AlarmName": "a", "MetricName": metric, "Dimensions": dimensions,
            "EvaluationPeriods": 1, "Threshold": 1, "ComparisonOperator": "GreaterThanThreshold" }])
    }

    #[test]
    fn every_queue_metric_resolves_with_its_queue_name() {
        for m in SqsMetric::ALL {
            let (_, alarms) = resolve(
                workers(json!([])),
                alarm(m.name(), json!({ "QueueName": "orders-dlq" })),
            )
            .unwrap();
            assert_eq!(alarms[0].metric, MetricRef::Queue(QueueId(1), m));
            assert_eq!(alarms[0].metric_name, m.name());
            assert_eq!(namespace_of(m.name()), Some("AWS/SQS"));
        }
    }

    #[test]
    fn every_topic_metric_resolves_with_its_topic_name() {
        for m in SnsMetric::ALL {
            let (_, alarms) = resolve(
                workers(json!([])),
                alarm(m.name(), json!({ "TopicName": "OrderAlerts" })),
            )
            .unwrap();
            assert_eq!(alarms[0].metric, MetricRef::Topic(TopicId(0), m));
            assert_eq!(namespace_of(m.name()), Some("AWS/SNS"));
        }
    }

    #[test]
    fn a_missing_or_wrong_dimension_names_the_path_and_the_dimension() {
        let visible = "ApproximateNumberOfMessagesVisible";
        let (path, message) = error(workers(json!([])), alarm(visible, json!({})));
        assert_eq!(path, "alarms[0].Dimensions");
        assert!(
            message.contains("needs the QueueName dimension"),
            "{message}"
        );
        let (path, message) = error(
            workers(json!([])),
            alarm(visible, json!({ "AutoScalingGroupName": "workers" })),
        );
        assert_eq!(path, "alarms[0].Dimensions");
        assert!(
            message.contains("QueueName") && message.contains("got AutoScalingGroupName"),
            "{message}"
        );
        let (path, message) = error(
            workers(json!([])),
            alarm(visible, json!({ "QueueName": "order" })),
        );
        assert_eq!(path, "alarms[0].Dimensions.QueueName");
        assert_eq!(message, "no queue named \"order\"");
        let (path, message) = error(
            workers(json!([])),
            alarm(
                "NumberOfMessagesPublished",
                json!({ "QueueName": "orders" }),
            ),
        );
        assert_eq!(path, "alarms[0].Dimensions");
        assert!(
            message.contains("needs the TopicName dimension"),
            "{message}"
        );
    }

    #[test]
    fn an_unknown_metric_lists_every_metric_by_namespace() {
        let (path, message) = error(
            workers(json!([])),
            alarm(
                "ApproximateNumberOfMessages",
                json!({ "QueueName": "orders" }),
            ),
        );
        assert_eq!(path, "alarms[0].MetricName");
        let names = SqsMetric::ALL.map(SqsMetric::name);
        for name in names
            .iter()
            .chain(&SnsMetric::ALL.map(SnsMetric::name))
            .chain(&[
                "CPUUtilization",
                "GroupInServiceInstances",
                "RequestCountPerTarget",
                "HTTPCode_ELB_5XX_Count",
            ])
        {
            assert!(message.contains(name), "{name} missing from {message}");
        }
        for ns in [
            "AWS/SQS",
            "AWS/SNS",
            "AWS/EC2",
            "AWS/AutoScaling",
            "AWS/ApplicationELB",
        ] {
            assert!(message.contains(ns), "{ns} missing from {message}");
        }
    }

    /// Step scaling on a queue alarm is an ordinary alarm action: the alarm resolves with the
    /// policy as its action.
    #[test]
    fn a_step_scaling_policy_on_a_queue_alarm_resolves() {
        let policies = json!([{ "PolicyName": "backlog-out", "PolicyType": "StepScaling",
            "AdjustmentType": "ChangeInCapacity",
            "StepAdjustments": [
                { "MetricIntervalLowerBound": 0, "MetricIntervalUpperBound": 500, "ScalingAdjustment": 1 },
                { "MetricIntervalLowerBound": 500, "ScalingAdjustment": 3 } ] }]);
        let alarms = json!([{ "AlarmName": "backlog-high",
            "MetricName": "ApproximateNumberOfMessagesVisible",
            "Dimensions": { "QueueName": "orders" }, "Statistic": "Sum",
            "Period": 60, "EvaluationPeriods": 2, "Threshold": 100,
            "ComparisonOperator": "GreaterThanOrEqualToThreshold",
            "AlarmActions": ["backlog-out"] }]);
        let (groups, alarms) = resolve(workers(policies), alarms).unwrap();
        assert_eq!(groups[0].policies[0].name, "backlog-out");
        let a = &alarms[0];
        assert_eq!(a.metric, MetricRef::Queue(QueueId(0), SqsMetric::Visible));
        assert_eq!(a.statistic, Statistic::Sum);
        assert_eq!(a.actions, vec![(AsgId(0), PolicyId(0))]);
        assert_eq!(a.rule.threshold, 100.0);
        assert_eq!(a.rule.comparison, Comparison::GreaterOrEqual);
    }
}
