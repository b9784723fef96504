//! CloudWatch metrics and alarms (`aws-behavior.md` §11): a metric is published once per metric
//! period and every alarm on it reads the same datapoint; an alarm with a longer `Period`
//! combines the metric periods it spans with its `Statistic`.
//!
//! The traffic is a constant 2 requests per second to the target group `web`, so each 60 s
//! metric period forwards λ·60 = 120 requests (`RequestCount`), give or take the one arrival that
//! lands exactly on a period boundary.

use crate::common::{
    alarm_rows, asg_model, auto_scaling_group, checked_group, client, constant_ms, constant_rate,
    health_check, launch_template, run_value,
};
use serde_json::{Value, json};

/// Requests per second.
const RATE: f64 = 2.0;
/// Metric period [s] (albsim's default).
const PERIOD: f64 = 60.0;

/// An alarm on `RequestCount` of `web` (`Sum` over `period` seconds).
fn request_count_alarm(name: &str, period: u32, threshold: f64) -> Value {
    json!({ "AlarmName": name, "MetricName": "RequestCount",
            "Dimensions": { "TargetGroup": "web" }, "Statistic": "Sum", "Period": period,
            "EvaluationPeriods": 1, "Threshold": threshold,
            "ComparisonOperator": "GreaterThanThreshold", "AlarmActions": ["noop"] })
}

/// One instance of group `asg` behind `web`, three alarms on the same metric, and a simple
/// policy `noop` that adds nothing (ExactCapacity 1: the group stays at 1).
fn model() -> Value {
    let mut g = auto_scaling_group(
        "asg",
        (1, 1, 1),
        launch_template("test.c1", 10, true, 60.0),
        &["web"],
    );
    g["Policies"] = json!([{ "PolicyName": "noop", "PolicyType": "SimpleScaling",
        "AdjustmentType": "ExactCapacity", "ScalingAdjustment": 1 }]);
    let mut m = asg_model(
        "cloudwatch",
        600.0,
        json!([client("c", constant_rate(RATE), constant_ms(10.0))]),
        "web",
        json!([checked_group(
            "web",
            &[],
            health_check(5, 2, 2, 2, Some(1.0))
        )]),
        json!([]),
        json!([g]),
    );
    m["alarms"] = json!([
        request_count_alarm("quiet", 60, 1_000.0),
        request_count_alarm("busy", 60, 10.0),
        request_count_alarm("two-minutes", 120, 100_000.0),
    ]);
    m
}

#[test]
fn alarms_on_one_metric_read_the_same_datapoint_each_period() {
    let r = run_value(&model());
    let quiet = alarm_rows(&r, "quiet");
    let busy = alarm_rows(&r, "busy");
    assert_eq!(quiet.len(), 10);
    for (q, b) in quiet.iter().zip(&busy) {
        let v =
            q.2.unwrap_or_else(|| panic!("no RequestCount datapoint at {} s", q.0));
        assert_eq!(q.2, b.2, "at {} s both alarms read one metric", q.0);
        assert!(
            (RATE * PERIOD - 1.0..=RATE * PERIOD).contains(&v),
            "{v} at {} s",
            q.0
        );
        // Their states differ by threshold only: 120 > 10 but not > 1000.
        assert_eq!((q.1, b.1), (0, 1), "states at {} s", q.0);
    }
}

#[test]
fn a_two_minute_alarm_sums_the_two_metric_periods_it_spans() {
    let r = run_value(&model());
    let minutes = alarm_rows(&r, "quiet");
    let two = alarm_rows(&r, "two-minutes");
    // No datapoint before the first 120 s are over.
    assert_eq!(two[0].2, None);
    for k in (1..two.len()).step_by(2) {
        let expected = minutes[k - 1].2.unwrap() + minutes[k].2.unwrap();
        assert_eq!(two[k].2, Some(expected), "datapoint at {} s", two[k].0);
        // Between its datapoints the alarm keeps the latest one.
        if k + 1 < two.len() {
            assert_eq!(two[k + 1].2, Some(expected), "at {} s", two[k + 1].0);
        }
    }
}
