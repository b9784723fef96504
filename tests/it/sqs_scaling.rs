//! Scaling on queue backlog (`aws-behavior.md` §10.2, §11 metric math, §12.1): alarms on `AWS/SQS`
//! and `AWS/SNS` metrics, and target tracking on a metric math expression `m1 / m2` with m2 the
//! group's `GroupInServiceInstances`, AWS's backlog per instance.
//!
//! Until the messaging engine publishes queue metrics, the end-to-end runs here track the same
//! expression with the load balancer's `RequestCount` as m1 (a count the tests control exactly):
//! what they check — the expression is computed each minute from both operands, a division by
//! zero is a missing datapoint, and the policy scales to `ceil(m1 / target)` (AWS's worked example
//! 1,500 messages on 10 instances with target 100 ⇒ 15) counting every InService instance m2
//! counted, warming up or not — is the same for any m1.

use crate::common::{
    alarm_rows, asg_model, auto_scaling_group, capacity_rows, checked_group, client, constant_ms,
    constant_rate, constant_steps, health_check, launch_template, run_value,
};
use albsim::RunResult;
use serde_json::{Value, json};
use std::path::Path;

const GROUP: &str = "workers";
/// The managed high alarm of the policy `backlog` (AWS's naming: TargetTracking-<group>-AlarmHigh-…).
const HIGH: &str = "TargetTracking-workers-AlarmHigh-backlog";
const LOW: &str = "TargetTracking-workers-AlarmLow-backlog";

/// AWS's backlog-per-instance metric math with `m1` as given.
fn per_instance(m1: Value) -> Value {
    json!({ "Metrics": [
        { "Id": "m1", "MetricStat": m1, "ReturnData": false },
        { "Id": "m2", "MetricStat": { "Metric": { "MetricName": "GroupInServiceInstances",
            "Namespace": "AWS/AutoScaling",
            "Dimensions": [ { "Name": "AutoScalingGroupName", "Value": GROUP } ] },
            "Stat": "Average" }, "ReturnData": false },
        { "Id": "e1", "Expression": "m1 / m2", "Label": "Backlog per instance", "ReturnData": true }
    ] })
}

/// `RequestCount` of target group `web`, as a `MetricStat`.
fn request_count() -> Value {
    json!({ "Metric": { "MetricName": "RequestCount", "Namespace": "AWS/ApplicationELB",
        "Dimensions": [ { "Name": "TargetGroup", "Value": "web" } ] }, "Stat": "Sum" })
}

/// A group of 1-vCPU instances behind target group `web`, `(min, max, desired)`, tracking
/// `customized` at `target`, with `DefaultInstanceWarmup` `warmup`, under constant arrivals at
/// `rate` per second (10 ms each) for `seconds`.
fn tracked(
    seconds: f64,
    rate: f64,
    capacity: (u32, u32, u32),
    warmup: u32,
    customized: Value,
    target: f64,
) -> Value {
    let mut g = auto_scaling_group(
        GROUP,
        capacity,
        launch_template("test.c1", 10, true, 60.0),
        &["web"],
    );
    g["DefaultInstanceWarmup"] = json!(warmup);
    g["Policies"] = json!([{ "PolicyName": "backlog", "PolicyType": "TargetTrackingScaling",
        "TargetTrackingConfiguration": { "CustomizedMetricSpecification": customized,
            "TargetValue": target } }]);
    asg_model(
        "sqs-scaling",
        seconds,
        json!([client("c", constant_rate(rate), constant_ms(10.0))]),
        "web",
        json!([checked_group(
            "web",
            &[],
            health_check(5, 2, 2, 2, Some(1.0))
        )]),
        json!([]),
        json!([g]),
    )
}

fn desired(r: &RunResult) -> Vec<(f64, u32)> {
    capacity_rows(r, 0)
        .into_iter()
        .map(|(t, c)| (t, c.desired))
        .collect()
}

/// AWS's worked example at the level of a policy firing: 10 InService instances, a metric of
/// 147 per instance (1,470 per minute: 24.5 req/s; 147 rather than 150 keeps ±1 request at a
/// period boundary away from a rounding edge), target 100 ⇒ ceil(10 · 147 / 100) = 15, after the
/// high alarm's 3 datapoints above 100. Then 1,470 / 15 = 98 is below the target and above the
/// low alarm's 90: the group stays at 15.
#[test]
fn backlog_per_instance_scales_ten_instances_at_147_to_fifteen() {
    let r = run_value(&tracked(
        900.0,
        24.5,
        (1, 30, 10),
        0,
        per_instance(request_count()),
        100.0,
    ));
    let per_minute = 24.5 * 60.0;
    let rows = alarm_rows(&r, HIGH);
    // Every datapoint while 10 instances serve is RequestCount / 10, to within one request.
    let first = rows
        .iter()
        .find(|(_, s, _)| *s == 1)
        .expect("the high alarm fires");
    for (t, _, v) in rows.iter().filter(|(t, _, _)| *t <= first.0) {
        let v = v.unwrap_or_else(|| panic!("no datapoint at {t}"));
        assert!((v - per_minute / 10.0).abs() <= 0.1 + 1e-9, "{t}: {v}");
    }
    assert_eq!(
        rows.iter().take_while(|(t, _, _)| *t < first.0).count(),
        2,
        "3 of 3 datapoints above the target: ALARM at the third period end"
    );
    let d = desired(&r);
    let change = d
        .iter()
        .find(|(_, n)| *n != 10)
        .expect("the group scales out");
    let wanted = (10.0_f64 * per_minute / 10.0 / 100.0).ceil() as u32;
    assert_eq!((wanted, change.1), (15, 15), "{d:?}");
    assert!(
        d.iter().all(|(_, n)| *n <= 15),
        "98 per instance stays below 100: {d:?}"
    );
    assert_eq!(d.last().unwrap().1, 15);
    // After the scale-out the expression divides by the 15 InService instances.
    let last = rows.last().unwrap().2.unwrap();
    assert!((last - per_minute / 15.0).abs() <= 0.1, "{last}");
    assert!(
        alarm_rows(&r, LOW).iter().all(|(_, s, _)| *s != 1),
        "98 is not below 90"
    );
}

/// m2 counts InService instances whether or not they finished warming up, so a value per
/// instance describes all of them. 5 warmed-up instances at 990 per minute (198 each) scale to
/// ceil(990 / 100) = 10; the 5 new ones then warm up for 900 s. At 420 s the rate becomes 1,470
/// per minute: 147 on 10 instances, so the group must grow to ceil(1470 / 100) = 15 while 5 of
/// the 10 are still warming (counting only warmed-up ones would give ceil(5 · 147 / 100) = 8,
/// below the desired 10: no scale-out).
#[test]
fn warming_instances_count_in_a_value_per_instance() {
    let mut m = tracked(
        900.0,
        0.0,
        (1, 30, 5),
        900,
        per_instance(request_count()),
        100.0,
    );
    m["clients"][0]["arrival"] = constant_steps(&[(0.0, 16.5), (420.0, 24.5)]);
    let r = run_value(&m);
    let d = desired(&r);
    let ten = d.iter().find(|(_, n)| *n != 5).expect("first scale-out");
    assert_eq!(ten.1, 10, "{d:?}");
    assert!(ten.0 < 420.0, "{d:?}");
    let fifteen = d
        .iter()
        .find(|(_, n)| *n > 10)
        .expect("second scale-out while warming");
    assert_eq!(fifteen.1, 15, "{d:?}");
    assert!(fifteen.0 > 420.0 && fifteen.0 < ten.0 + 900.0, "{d:?}");
}

/// No InService instance: m1 / m2 divides by zero, a missing datapoint, so the managed alarms
/// stay in INSUFFICIENT_DATA and the group does not scale out from zero (AWS: missing data, no
/// scaling). m1 here is the load balancer's 503s, which exist exactly when no target does.
#[test]
fn no_in_service_instance_is_a_missing_datapoint() {
    let m1 = json!({ "Metric": { "MetricName": "HTTPCode_ELB_5XX_Count",
        "Namespace": "AWS/ApplicationELB" }, "Stat": "Sum" });
    let r = run_value(&tracked(600.0, 5.0, (0, 5, 0), 0, per_instance(m1), 10.0));
    assert!(
        r.periods.iter().all(|p| p.elb.c5xx > 0),
        "m1 is present every minute"
    );
    for (t, state, value) in alarm_rows(&r, HIGH) {
        assert_eq!((state, value), (-1, None), "at {t}");
    }
    assert!(desired(&r).iter().all(|(_, n)| *n == 0));
}

/// `(path, message)` of the one error of `model`.
fn error(model: &Value) -> (String, String) {
    let Err(e) = albsim::scenario::from_json(&model.to_string(), Path::new("m.json")) else {
        panic!("the model loads");
    };
    let lines = e.lines();
    assert_eq!(lines.len(), 1, "{lines:?}");
    let rest = lines[0].strip_prefix("m.json: ").unwrap().to_string();
    let (p, m) = rest.split_once(": ").unwrap();
    (p.to_string(), m.to_string())
}

#[test]
fn a_queue_metric_names_a_queue_of_the_model() {
    let mut m = tracked(
        60.0,
        1.0,
        (1, 2, 1),
        0,
        json!({ "MetricName": "CPUUtilization",
        "Dimensions": { "AutoScalingGroupName": GROUP } }),
        50.0,
    );
    m["alarms"] = json!([{ "AlarmName": "backlog-high",
        "MetricName": "ApproximateNumberOfMessagesVisible", "Dimensions": { "QueueName": "orders" },
        "EvaluationPeriods": 1, "Threshold": 100, "ComparisonOperator": "GreaterThanThreshold" }]);
    assert_eq!(
        error(&m),
        (
            "alarms[0].Dimensions.QueueName".into(),
            "no queue named \"orders\"".into()
        )
    );
    m["alarms"][0]["Dimensions"] = json!({});
    let (path, message) = error(&m);
    assert_eq!(path, "alarms[0].Dimensions");
    assert!(
        message.contains("needs the QueueName dimension"),
        "{message}"
    );
}

#[test]
fn metric_math_errors_name_the_query() {
    let mut c = per_instance(request_count());
    c["Metrics"][2]["Expression"] = json!("m1 / m2 * 2");
    let (path, message) = error(&tracked(60.0, 1.0, (1, 2, 1), 0, c, 100.0));
    assert_eq!(
        path,
        "auto_scaling_groups[0].Policies[0].TargetTrackingConfiguration.CustomizedMetricSpecification.Metrics[2].Expression"
    );
    assert!(
        message.contains("two metric Ids joined by one of + - * /"),
        "{message}"
    );
    let mut c = per_instance(request_count());
    c["Metrics"][0]["Surprise"] = json!(1);
    let (path, _) = error(&tracked(60.0, 1.0, (1, 2, 1), 0, c, 100.0));
    assert!(
        path.ends_with("Metrics[0].Surprise") || path.ends_with("Metrics[0]"),
        "{path}"
    );
}
