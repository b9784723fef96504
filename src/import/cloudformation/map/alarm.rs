//! `AWS::CloudWatch::Alarm` → `alarms[]`, for the metrics albsim computes; alarms on other
//! metrics are listed as ignored with a note saying which metric.

use super::read::Prop;
use super::{ALARM, ASG, Ctx, SCALING_POLICY};
use crate::import::cloudformation::ImportError;
use serde_json::{Map, Value as Json, json};

/// Metrics albsim computes that an imported alarm can watch, with the dimension each needs.
const METRICS: &[(&str, Option<&str>)] = &[
    ("CPUUtilization", Some("AutoScalingGroupName")),
    ("NetworkIn", Some("AutoScalingGroupName")),
    ("NetworkOut", Some("AutoScalingGroupName")),
    ("GroupInServiceInstances", Some("AutoScalingGroupName")),
    ("RequestCount", Some("TargetGroup")),
    ("RequestCountPerTarget", Some("TargetGroup")),
    ("TargetResponseTime", None),
    ("HTTPCode_ELB_5XX_Count", None),
    ("ApproximateAgeOfOldestMessage", Some("QueueName")),
    ("ApproximateNumberOfMessagesDelayed", Some("QueueName")),
    ("ApproximateNumberOfMessagesNotVisible", Some("QueueName")),
    ("ApproximateNumberOfMessagesVisible", Some("QueueName")),
    ("NumberOfEmptyReceives", Some("QueueName")),
    ("NumberOfMessagesDeleted", Some("QueueName")),
    ("NumberOfMessagesReceived", Some("QueueName")),
    ("NumberOfMessagesSent", Some("QueueName")),
    ("NumberOfMessagesPublished", Some("TopicName")),
    ("NumberOfNotificationsDelivered", Some("TopicName")),
];

/// The metric period of imported models [s] (albsim's default); alarm periods are multiples of it.
const METRIC_PERIOD: i64 = 60;

/// `Dimensions` (`[{Name, Value}]`) → `{Name: Value}`, references turned into model names
/// (`TargetGroup`: the target group; `AutoScalingGroupName`: the group).
pub fn dimensions(cx: &Ctx<'_>, list: &Prop<'_>) -> Result<Json, ImportError> {
    let mut out = Map::new();
    for d in list.items()? {
        let name = d
            .get("Name")
            .ok_or_else(|| d.error("expected a Name and a Value"))?
            .string()?;
        let value = d
            .get("Value")
            .ok_or_else(|| d.error("expected a Name and a Value"))?;
        let v = match name.as_str() {
            "TargetGroup" => cx.target_group(&value)?,
            "AutoScalingGroupName" => match value.reference(&cx.ids(ASG)) {
                Some(id) if cx.asg_names.contains_key(&id) => cx.asg_names[&id].clone(),
                _ => value.string()?,
            },
            "QueueName" => super::sqs::queue_ref(cx, &value)?,
            "TopicName" => match value
                .reference(&cx.ids(super::TOPIC))
                .and_then(|id| cx.find(&id))
            {
                Some(t) if t.type_name == super::TOPIC => super::sqs::topic_name(cx, t)?,
                _ => value.string()?,
            },
            "LoadBalancer" => continue,
            _ => value.string()?,
        };
        out.insert(name, json!(v));
    }
    Ok(Json::Object(out))
}

/// Every alarm albsim can evaluate, in the template's order.
pub fn map_all(cx: &mut Ctx<'_>) -> Result<Vec<Json>, ImportError> {
    let mut out = Vec::new();
    let alarms: Vec<_> = cx.of_type(ALARM).collect();
    for r in alarms {
        let p = cx.props(r);
        let skip = |cx: &mut Ctx<'_>, why: String| {
            cx.ignored.push((r.logical_id.clone(), r.type_name.clone()));
            cx.note(&r.logical_id, format!("{why}; the alarm is not imported"));
        };
        let Some(metric) = p.str_of("MetricName")? else {
            skip(
                cx,
                "it has no MetricName (metric math alarms are not imported)".into(),
            );
            continue;
        };
        let Some(&(_, needs)) = METRICS.iter().find(|(m, _)| *m == metric) else {
            let known: Vec<&str> = METRICS.iter().map(|(m, _)| *m).collect();
            skip(
                cx,
                format!(
                    "MetricName {metric}: albsim does not compute this metric (it computes {})",
                    known.join(", ")
                ),
            );
            continue;
        };
        let dims = match p.get("Dimensions") {
            Some(d) => dimensions(cx, &d)?,
            None => json!({}),
        };
        if let Some(need) = needs
            && dims.get(need).is_none()
        {
            skip(
                cx,
                format!(
                    "albsim computes {metric} per {need} only, and the alarm has no {need} dimension"
                ),
            );
            continue;
        }
        let period = p.int_of("Period", 1, 86_400)?.unwrap_or(METRIC_PERIOD);
        if period % METRIC_PERIOD != 0 {
            skip(
                cx,
                format!(
                    "Period {period} s is not a multiple of albsim's {METRIC_PERIOD} s metric period"
                ),
            );
            continue;
        }
        let mut a = Map::new();
        a.insert(
            "AlarmName".into(),
            json!(
                p.str_of("AlarmName")?
                    .unwrap_or_else(|| r.logical_id.clone())
            ),
        );
        a.insert("MetricName".into(), json!(metric));
        if dims.as_object().is_some_and(|d| !d.is_empty()) {
            a.insert("Dimensions".into(), dims);
        }
        for key in ["Statistic", "ExtendedStatistic", "TreatMissingData"] {
            if let Some(v) = p.str_of(key)? {
                a.insert(key.into(), json!(v));
            }
        }
        a.insert("Period".into(), json!(period));
        let evaluation = p
            .get("EvaluationPeriods")
            .ok_or_else(|| cx.error(r, "expected EvaluationPeriods"))?
            .int(1, 100_000)?;
        a.insert("EvaluationPeriods".into(), json!(evaluation));
        if let Some(d) = p.int_of("DatapointsToAlarm", 1, evaluation)? {
            a.insert("DatapointsToAlarm".into(), json!(d));
        }
        let threshold = p
            .get("Threshold")
            .ok_or_else(|| cx.error(r, "expected a Threshold"))?
            .number()?;
        a.insert("Threshold".into(), json!(threshold));
        let comparison = p
            .get("ComparisonOperator")
            .ok_or_else(|| cx.error(r, "expected a ComparisonOperator"))?
            .string()?;
        a.insert("ComparisonOperator".into(), json!(comparison));
        let mut actions = Vec::new();
        if let Some(list) = p.get("AlarmActions") {
            let policies = cx.ids(SCALING_POLICY);
            for item in list.items()? {
                match item.reference(&policies) {
                    Some(id) if cx.policy_names.contains_key(&id) => {
                        actions.push(cx.policy_names[&id].clone());
                    }
                    _ => cx.note(
                        &r.logical_id,
                        format!(
                            "{}: albsim runs scaling policies only; this action ({}) is dropped",
                            item.path,
                            super::read::describe(item.node)
                        ),
                    ),
                }
            }
        }
        for key in ["OKActions", "InsufficientDataActions"] {
            if p.get(key).is_some() {
                cx.note(
                    &r.logical_id,
                    format!("{key}: albsim does not run them; dropped"),
                );
            }
        }
        if !actions.is_empty() {
            a.insert("AlarmActions".into(), json!(actions));
        }
        out.push(Json::Object(a));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::super::ALARM;
    use super::super::tests::{import, minimal, validates};
    use serde_json::json;

    #[test]
    fn an_alarm_on_a_metric_albsim_computes_is_imported_others_are_ignored() {
        let mut t = minimal();
        t["Slow"] = json!({"Type": ALARM, "Properties": {"MetricName": "TargetResponseTime",
            "Namespace": "AWS/ApplicationELB", "Statistic": "Average", "Period": 60,
            "EvaluationPeriods": 3, "Threshold": 0.5, "ComparisonOperator": "GreaterThanThreshold",
            "Dimensions": [{"Name": "LoadBalancer", "Value": "!ref:LB.LoadBalancerFullName"}],
            "AlarmActions": ["arn:aws:sns:topic"]}});
        t["Conns"] = json!({"Type": ALARM, "Properties": {"MetricName": "ActiveConnectionCount",
            "Period": 300, "EvaluationPeriods": 2, "Threshold": 1000,
            "ComparisonOperator": "GreaterThanThreshold"}});
        let m = import(t).unwrap();
        validates(&m);
        assert_eq!(m.model["alarms"][0]["AlarmName"], "Slow");
        assert!(m.model["alarms"][0].get("Dimensions").is_none());
        assert!(m.ignored.contains(&("Conns".into(), ALARM.into())));
        assert!(
            m.notes
                .iter()
                .any(|n| n.starts_with("Resources.Conns:") && n.contains("ActiveConnectionCount"))
        );
        assert!(
            m.notes
                .iter()
                .any(|n| n.starts_with("Resources.Slow:") && n.contains("AlarmActions[0]"))
        );
    }
}
