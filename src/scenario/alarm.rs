//! CloudWatch alarms as written (`PutMetricAlarm`: `EvaluationPeriods`, `DatapointsToAlarm`,
//! `TreatMissingData`, `ComparisonOperator`) and their resolution into [`AlarmSpec`]s.

use super::FieldError;
use super::path::JsonPath;
use super::values::AwsInt;
use crate::engine::SimDuration;
use crate::model::cloudwatch::{AlarmRule, Comparison, MissingData, Statistic};
use crate::model::cloudwatch::{AlarmSpec, MetricRef};
use crate::model::ids::{AsgId, PolicyId, TargetGroupId};
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

/// `p99` → 990, `p99.9` → 999 (per mille, 1–1000).
fn parse_percentile(text: &str) -> Option<u16> {
    let v: f64 = text.strip_prefix('p')?.parse().ok()?;
    (v > 0.0 && v <= 100.0).then(|| (v * 10.0).round() as u16)
}

/// A metric by CloudWatch name and dimensions.
pub(super) fn lookup_metric(
    name: &str,
    dimensions: &BTreeMap<String, String>,
    at: &JsonPath,
    asg_index: &BTreeMap<&str, usize>,
    target_groups: &BTreeMap<String, TargetGroupId>,
) -> Result<MetricRef, FieldError> {
    let dim = |key: &str| dimensions.get(key).map(String::as_str);
    let asg = || -> Result<AsgId, FieldError> {
        let name = dim("AutoScalingGroupName").ok_or_else(|| {
            at.key("Dimensions")
                .error("this metric needs the AutoScalingGroupName dimension")
        })?;
        asg_index
            .get(name)
            .map(|&a| AsgId(a as u32))
            .ok_or_else(|| {
                at.key("Dimensions")
                    .key("AutoScalingGroupName")
                    .error(format!("no Auto Scaling group named {name:?}"))
            })
    };
    let tg = || -> Result<TargetGroupId, FieldError> {
        let name = dim("TargetGroup").ok_or_else(|| {
            at.key("Dimensions")
                .error("this metric needs the TargetGroup dimension")
        })?;
        target_groups.get(name).copied().ok_or_else(|| {
            at.key("Dimensions")
                .key("TargetGroup")
                .error(format!("no target group named {name:?}"))
        })
    };
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
            return Err(at.key("MetricName").error(format!(
                "expected CPUUtilization, NetworkIn, NetworkOut, GroupInServiceInstances, RequestCount, RequestCountPerTarget, TargetResponseTime or HTTPCode_ELB_5XX_Count, got {other:?}"
            )));
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
    asg_index: &BTreeMap<&str, usize>,
    target_groups: &BTreeMap<String, TargetGroupId>,
    policies: &BTreeMap<String, PolicyRef>,
    period: SimDuration,
) -> Result<AlarmSpec, FieldError> {
    let metric = lookup_metric(
        &raw.metric_name,
        &raw.dimensions,
        at,
        asg_index,
        target_groups,
    )?;
    let metric = match raw.extended_statistic.as_deref() {
        None => metric,
        Some(p) => {
            let q = parse_percentile(p).ok_or_else(|| {
                at.key("ExtendedStatistic").error(format!(
                    "expected a percentile such as \"p99\" or \"p99.9\", got {p:?}"
                ))
            })?;
            if metric != MetricRef::LbTargetResponseTime {
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
