//! The model's text: pretty JSON (two-space indent, one value a line) with keys in the order the
//! model files write them (name first, then what identifies and configures each part), whatever
//! order the JSON map holds them in; keys it does not know follow in alphabetical order. Same
//! model ⇒ same bytes.

use crate::scenario::raw::MODEL_KEYS;
use serde_json::Value;

/// Keys inside the model's parts, in the order they are written, after the model's own keys
/// ([`MODEL_KEYS`]); unlisted keys come after both, alphabetically.
const ORDER: &[&str] = &[
    "id",
    "AlarmName",
    "AutoScalingGroupName",
    "PolicyName",
    "LifecycleHookName",
    "ScheduledActionName",
    "at",
    "type",
    "field",
    "http_header_name",
    "priority",
    "port",
    "protocol",
    "instance_type",
    "availability_zone",
    "arrival",
    "sessions",
    "requests",
    "method",
    "path",
    "service_time",
    "distribution",
    "rate_per_second",
    "median_ms",
    "p99_ms",
    "attributes",
    "listeners",
    "rules",
    "conditions",
    "values",
    "actions",
    "default_actions",
    "target_group",
    "weight",
    "stickiness",
    "enabled",
    "duration_seconds",
    "host",
    "query",
    "status_code",
    "content_type",
    "message_body",
    "health_check",
    "targets",
    "MinSize",
    "MaxSize",
    "DesiredCapacity",
    "LaunchTemplate",
    "detailed_monitoring",
    "AvailabilityZones",
    "TargetGroupARNs",
    "HealthCheckType",
    "HealthCheckGracePeriod",
    "DefaultCooldown",
    "DefaultInstanceWarmup",
    "TerminationPolicies",
    "NewInstancesProtectedFromScaleIn",
    "LifecycleHooks",
    "LifecycleTransition",
    "HeartbeatTimeout",
    "Policies",
    "PolicyType",
    "TargetTrackingConfiguration",
    "PredefinedMetricSpecification",
    "PredefinedMetricType",
    "ResourceLabel",
    "CustomizedMetricSpecification",
    "TargetValue",
    "DisableScaleIn",
    "AdjustmentType",
    "ScalingAdjustment",
    "Cooldown",
    "StepAdjustments",
    "MetricIntervalLowerBound",
    "MetricIntervalUpperBound",
    "MinAdjustmentMagnitude",
    "EstimatedInstanceWarmup",
    "MetricName",
    "Namespace",
    "Dimensions",
    "Statistic",
    "ExtendedStatistic",
    "Period",
    "EvaluationPeriods",
    "DatapointsToAlarm",
    "Threshold",
    "ComparisonOperator",
    "TreatMissingData",
    "AlarmActions",
    "QueueName",
    "TopicName",
    "FifoQueue",
    "FifoTopic",
    "Subscriptions",
    "Protocol",
    "Endpoint",
];

/// `model` as pretty JSON text, ending with a newline.
pub fn pretty(model: &Value) -> String {
    let mut out = String::new();
    write(&mut out, model, 0);
    out.push('\n');
    out
}

/// Where `key` goes: its place among the model's keys, then in [`ORDER`], or after all of them.
fn rank(key: &str) -> (usize, &str) {
    let place = MODEL_KEYS
        .iter()
        .chain(ORDER)
        .position(|k| *k == key)
        .unwrap_or(MODEL_KEYS.len() + ORDER.len());
    (place, key)
}

fn indent(out: &mut String, depth: usize) {
    for _ in 0..depth {
        out.push_str("  ");
    }
}

fn write(out: &mut String, v: &Value, depth: usize) {
    match v {
        Value::Array(items) if !items.is_empty() => {
            out.push_str("[\n");
            for (i, item) in items.iter().enumerate() {
                indent(out, depth + 1);
                write(out, item, depth + 1);
                out.push_str(if i + 1 < items.len() { ",\n" } else { "\n" });
            }
            indent(out, depth);
            out.push(']');
        }
        Value::Object(map) if !map.is_empty() => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort_by(|a, b| rank(a).cmp(&rank(b)));
            out.push_str("{\n");
            for (i, k) in keys.iter().enumerate() {
                indent(out, depth + 1);
                out.push_str(&Value::String((*k).clone()).to_string());
                out.push_str(": ");
                write(out, &map[k.as_str()], depth + 1);
                out.push_str(if i + 1 < keys.len() { ",\n" } else { "\n" });
            }
            indent(out, depth);
            out.push('}');
        }
        scalar => out.push_str(&scalar.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn keys_follow_the_model_order_and_unknown_keys_come_last_alphabetically() {
        let v = json!({"zeta": 1, "alpha": [], "port": 80, "name": "m", "x": {}});
        assert_eq!(
            pretty(&v),
            "{\n  \"name\": \"m\",\n  \"port\": 80,\n  \"alpha\": [],\n  \"x\": {},\n  \"zeta\": 1\n}\n"
        );
        let parsed: Value = serde_json::from_str(&pretty(&v)).unwrap();
        assert_eq!(parsed, v);
    }
}
