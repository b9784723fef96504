//! Metric math in a target tracking policy (`CustomizedMetricSpecification.Metrics`, AWS
//! `TargetTrackingMetricDataQuery`): metric queries (`MetricStat`) and one expression of two of
//! them, such as AWS's backlog per instance
//! `m1 / m2` with m1 = `ApproximateNumberOfMessagesVisible`, m2 = `GroupInServiceInstances`.
//!
//! albsim supports what that pattern needs: an `Expression` of two metric `Id`s joined by one of
//! `+ - * /` (spaces optional), or a single `MetricStat`; exactly one query returns data
//! (`ReturnData` defaults to true, as in AWS, so the others must say `false`). Functions, numbers
//! and longer expressions are refused with a message saying what is supported.

use super::FieldError;
use super::alarm::{MetricScope, lookup_metric, namespace_of, parse_statistic};
use super::path::JsonPath;
use crate::model::cloudwatch::{MathOp, MetricMath, MetricRef, Statistic};
use serde::Deserialize;
use std::collections::BTreeMap;

/// One query of `Metrics` (`TargetTrackingMetricDataQuery`): a metric or an expression.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawMetricDataQuery {
    /// `Id`: starts with a lower-case letter; letters, digits and underscores.
    #[serde(rename = "Id")]
    pub id: String,
    /// `MetricStat`: a metric and its statistic (one of this and `Expression`).
    #[serde(rename = "MetricStat", default)]
    pub metric_stat: Option<RawMetricStat>,
    /// `Expression`: two `Id`s joined by `+`, `-`, `*` or `/`, such as `"m1 / m2"`.
    #[serde(rename = "Expression", default)]
    pub expression: Option<String>,
    /// `Label`: the name the result is shown with.
    #[serde(rename = "Label", default)]
    pub label: Option<String>,
    /// `ReturnData` (default true): whether this query is the one the policy tracks.
    #[serde(rename = "ReturnData", default)]
    pub return_data: Option<bool>,
}

/// `MetricStat` (`TargetTrackingMetricStat`): a metric and the statistic of its datapoints.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawMetricStat {
    /// `Metric`.
    #[serde(rename = "Metric")]
    pub metric: RawMetric,
    /// `Stat`: `Average`, `Sum`, `Maximum` or `Minimum`.
    #[serde(rename = "Stat")]
    pub stat: String,
}

/// `Metric`: namespace, name and dimensions, as CloudWatch writes them.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawMetric {
    /// `MetricName`.
    #[serde(rename = "MetricName")]
    pub metric_name: String,
    /// `Namespace`: `AWS/SQS`, `AWS/SNS`, `AWS/AutoScaling`, `AWS/EC2` or `AWS/ApplicationELB`.
    #[serde(rename = "Namespace")]
    pub namespace: String,
    /// `Dimensions`: `[{"Name": "QueueName", "Value": "orders"}]`.
    #[serde(rename = "Dimensions", default)]
    pub dimensions: Vec<RawDimension>,
}

/// One dimension (`Name`, `Value`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDimension {
    /// `Name`, such as `QueueName`.
    #[serde(rename = "Name")]
    pub name: String,
    /// `Value`, such as the queue's name.
    #[serde(rename = "Value")]
    pub value: String,
}

/// What `Metrics` tracks: the metric (a [`MetricRef::Math`] for an expression), the statistic
/// of its datapoints, and the name to show it with (`Label`, else the expression or metric name).
#[derive(Debug)]
pub(super) struct Tracked {
    /// The metric.
    pub metric: MetricRef,
    /// Its statistic (`Average` for an expression: one value per period).
    pub statistic: Statistic,
    /// Its name in reports.
    pub label: String,
}

/// The expression form albsim supports, for messages.
const SUPPORTED: &str = "an expression of two metric Ids joined by one of + - * / (such as \"m1 / m2\"; functions, numbers and longer expressions are not supported)";

/// Whether `id` is a valid query `Id`: a lower-case letter, then letters, digits, underscores.
fn valid_id(id: &str) -> bool {
    let mut chars = id.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Parses `"m1 / m2"` into its two `Id`s and operator.
pub(super) fn parse_expression(text: &str) -> Result<(&str, MathOp, &str), String> {
    let refuse = || format!("expected {SUPPORTED}, got {text:?}");
    let (at, op) = text
        .char_indices()
        .find_map(|(i, c)| MathOp::parse(c).map(|op| (i, op)))
        .ok_or_else(refuse)?;
    let (left, right) = (text[..at].trim(), text[at + 1..].trim());
    if valid_id(left) && valid_id(right) {
        Ok((left, op, right))
    } else {
        Err(refuse())
    }
}

/// The metric of a `MetricStat` query at `at`.
fn metric_stat(
    stat: &RawMetricStat,
    at: &JsonPath,
    scope: MetricScope<'_>,
) -> Result<(MetricRef, Statistic), FieldError> {
    let m_at = at.key("Metric");
    let m = &stat.metric;
    let mut dimensions = BTreeMap::new();
    for (i, d) in m.dimensions.iter().enumerate() {
        if dimensions.insert(d.name.clone(), d.value.clone()).is_some() {
            return Err(m_at
                .key("Dimensions")
                .index(i)
                .key("Name")
                .error(format!("dimension {:?} is given twice", d.name)));
        }
    }
    let metric = lookup_metric(&m.metric_name, &dimensions, &m_at, scope)?;
    let namespace = namespace_of(&m.metric_name).expect("a metric albsim computes");
    if m.namespace != namespace {
        return Err(m_at.key("Namespace").error(format!(
            "{} is in the {namespace} namespace, got {:?}",
            m.metric_name, m.namespace
        )));
    }
    Ok((metric, parse_statistic(Some(&stat.stat), &at.key("Stat"))?))
}

/// Resolves `Metrics` at `at`: every query is checked, then the one with `ReturnData` true is
/// what the policy tracks.
pub(super) fn resolve_metrics(
    queries: &[RawMetricDataQuery],
    at: &JsonPath,
    scope: MetricScope<'_>,
) -> Result<Tracked, FieldError> {
    if queries.is_empty() {
        return Err(
            at.error("expected at least one query: metrics (MetricStat) and an Expression of them")
        );
    }
    // Id → the query's metric (None: an expression).
    let mut metrics: BTreeMap<&str, Option<(MetricRef, Statistic)>> = BTreeMap::new();
    for (i, q) in queries.iter().enumerate() {
        let q_at = at.index(i);
        if !valid_id(&q.id) {
            return Err(q_at.key("Id").error(format!(
                "expected an Id starting with a lower-case letter, then letters, digits or underscores (such as \"m1\"), got {:?}",
                q.id
            )));
        }
        let metric = match (&q.metric_stat, &q.expression) {
            (Some(stat), None) => Some(metric_stat(stat, &q_at.key("MetricStat"), scope)?),
            (None, Some(_)) => None,
            _ => {
                return Err(q_at.error("expected exactly one of MetricStat and Expression"));
            }
        };
        if metrics.insert(q.id.as_str(), metric).is_some() {
            return Err(q_at.key("Id").error(format!("Id {:?} is used twice", q.id)));
        }
    }
    let returned: Vec<usize> = (queries.iter().enumerate())
        .filter(|(_, q)| q.return_data.unwrap_or(true))
        .map(|(i, _)| i)
        .collect();
    let &[r] = returned.as_slice() else {
        return Err(at.error(format!(
            "expected exactly one query with ReturnData true (the value the policy tracks; ReturnData is true unless set to false), got {}",
            returned.len()
        )));
    };
    let q = &queries[r];
    let q_at = at.index(r);
    let Some(text) = &q.expression else {
        let (metric, statistic) = metrics[q.id.as_str()].clone().expect("a MetricStat");
        let label = q.label.clone().unwrap_or_else(|| {
            let stat = q.metric_stat.as_ref().expect("a MetricStat");
            stat.metric.metric_name.clone()
        });
        return Ok(Tracked {
            metric,
            statistic,
            label,
        });
    };
    let e_at = q_at.key("Expression");
    let (left, op, right) = parse_expression(text).map_err(|m| e_at.error(m))?;
    let operand = |id: &str| -> Result<MetricRef, FieldError> {
        match metrics.get(id) {
            Some(Some((m, _))) => Ok(m.clone()),
            Some(None) => Err(e_at.error(format!(
                "{id:?} is an expression; expected {SUPPORTED} whose Ids name MetricStat queries"
            ))),
            None => Err(e_at.error(format!("no query with Id {id:?} in Metrics"))),
        }
    };
    let math = MetricMath {
        left: operand(left)?,
        op,
        right: operand(right)?,
    };
    Ok(Tracked {
        metric: MetricRef::Math(Box::new(math)),
        statistic: Statistic::Average,
        label: q.label.clone().unwrap_or_else(|| text.trim().to_string()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expressions_of_two_ids_and_one_operator() {
        assert_eq!(
            parse_expression("m1 / m2"),
            Ok(("m1", MathOp::Divide, "m2"))
        );
        assert_eq!(parse_expression("m1/m2"), Ok(("m1", MathOp::Divide, "m2")));
        assert_eq!(
            parse_expression("  visible+in_flight "),
            Ok(("visible", MathOp::Add, "in_flight"))
        );
        assert_eq!(parse_expression("a - b"), Ok(("a", MathOp::Subtract, "b")));
        assert_eq!(parse_expression("a*b"), Ok(("a", MathOp::Multiply, "b")));
    }

    #[test]
    fn other_expressions_are_refused_saying_what_is_supported() {
        for bad in [
            "m1",
            "m1 / 10",
            "10 / m2",
            "m1 / m2 / m3",
            "FILL(m1, 0) / m2",
            "m1 % m2",
            "M1 / m2",
            "/ m2",
            "",
        ] {
            let e = parse_expression(bad).unwrap_err();
            assert!(
                e.contains("two metric Ids joined by one of + - * /") && e.contains("m1 / m2"),
                "{bad:?}: {e}"
            );
        }
    }

    #[test]
    fn ids_start_with_a_lower_case_letter() {
        assert!(valid_id("m1"));
        assert!(valid_id("backlog_per_instance"));
        assert!(valid_id("mA9"));
        for bad in ["", "1m", "M1", "_m", "m-1", "m 1", "é"] {
            assert!(!valid_id(bad), "{bad:?}");
        }
    }
}
