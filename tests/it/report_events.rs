//! `events.json`'s narrative of shipped models, against the rules their settings document:
//! when the high alarm first scales out, how long the low alarm counts, when a crashed target is
//! marked unhealthy and healthy again, when an SQS message is redelivered. Expected values come
//! from each model's settings (and, for the alarm, the per-minute datapoints it evaluates).

use crate::common::{model_file_json, run_model_file};
use albsim::RunResult;
use albsim::recorder::{ActivityKind, AlarmSide};
use albsim::report::document::Mark;
use albsim::report::events::{self, ExplainedEvent, LABEL_MAX};
use serde_json::Value;

/// Every line of the history is told by exactly one event; labels fit the plot; events are in
/// time order; `events.json` reads back what it wrote.
fn check_shape(r: &RunResult, events: &[ExplainedEvent]) {
    let mut told: Vec<usize> = events.iter().flat_map(|e| e.lines.clone()).collect();
    told.sort();
    let expected: Vec<usize> = (0..r.activity.len())
        .filter(|&i| !matches!(r.activity[i].kind, ActivityKind::HistoryCut { .. }))
        .collect();
    assert_eq!(told, expected, "{}: each line told once", r.model);
    for e in events {
        if let Some(l) = &e.label {
            assert!(l.chars().count() <= LABEL_MAX, "{}: label {l:?}", r.model);
        }
        if let Some(u) = e.until_seconds {
            assert!(u >= e.time_seconds, "{}: span {e:?}", r.model);
        }
    }
    assert!(
        events
            .windows(2)
            .all(|w| w[0].time_seconds <= w[1].time_seconds)
    );
    assert_eq!(events::from_json(&events::to_json(events)).unwrap(), events);
}

fn seconds(v: &Value) -> f64 {
    let s = v.as_str().expect("a duration like \"10m\"");
    let (n, unit) = s.split_at(s.len() - 1);
    let n: f64 = n.parse().unwrap();
    match unit {
        "s" => n,
        "m" => n * 60.0,
        "h" => n * 3600.0,
        _ => panic!("unit of {s}"),
    }
}

/// The events of a mark whose label starts with `prefix`.
fn labelled<'a>(events: &'a [ExplainedEvent], mark: Mark, prefix: &str) -> Vec<&'a ExplainedEvent> {
    events
        .iter()
        .filter(|e| e.mark == mark && e.label.as_deref().is_some_and(|l| l.starts_with(prefix)))
        .collect()
}

/// target-tracking-cpu (detailed monitoring, one datapoint a minute): the high alarm needs 3
/// datapoints > TargetValue 50, so the first scale-out is at the end of the 3rd consecutive
/// breaching minute, from DesiredCapacity 2 to 3. The low alarm (below 0.9 × 50 = 45) needs 15
/// datapoints: the span ending in the scale-in lasts 15 minutes.
#[test]
fn target_tracking_cpu_scales_out_at_the_third_breaching_minute() {
    let r = run_model_file("target-tracking-cpu");
    let events = events::explain(&r);
    check_shape(&r, &events);
    let model = model_file_json("target-tracking-cpu");
    let group = &model["auto_scaling_groups"][0];
    let desired = group["DesiredCapacity"].as_u64().unwrap();
    let target = group["Policies"][0]["TargetTrackingConfiguration"]["TargetValue"]
        .as_f64()
        .unwrap();
    let high = (r.alarms.iter())
        .position(|a| {
            a.target_tracking
                .as_ref()
                .is_some_and(|t| t.side == AlarmSide::High)
        })
        .expect("a high alarm");
    // The end of the first minute that closes 3 consecutive datapoints above the target.
    let mut streak = 0;
    let mut first = None;
    for p in &r.periods {
        match p.alarms[high].value {
            Some(v) if v > target => streak += 1,
            _ => streak = 0,
        }
        if streak == 3 {
            first = Some(p.start_seconds + p.length_seconds);
            break;
        }
    }
    let first = first.expect("3 breaching minutes");
    let outs = labelled(&events, Mark::Scaling, "web-asg ");
    let e = outs[0];
    assert_eq!(e.time_seconds, first);
    assert_eq!(
        e.label.as_deref(),
        Some(&*format!("web-asg {desired}→{}", desired + 1))
    );
    assert!(
        e.text
            .contains(&format!("saw 3 of the last 3 datapoints > {target}")),
        "{}",
        e.text
    );
    assert!(e.text.contains(&format!("{desired} → {}", desired + 1)));
    // The low alarm's count that ends in the scale-in.
    let low = labelled(&events, Mark::Policy, "low alarm: 15 × 1 min");
    let done = low
        .iter()
        .find(|e| e.text.contains("went to ALARM"))
        .expect("a completed count");
    assert_eq!(done.until_seconds.unwrap() - done.time_seconds, 15.0 * 60.0);
    let scale_in = (events.iter())
        .find(|e| e.mark == Mark::Scaling && e.time_seconds == done.until_seconds.unwrap())
        .expect("the scale-in at the span's end");
    assert!(
        scale_in.label.as_deref().unwrap().ends_with("→2"),
        "{scale_in:?}"
    );
}

/// asg-not-scaling-down (basic monitoring: one datapoint every 5 minutes): the low alarm needs
/// 15 of them, so scale-in waits 15 × 5 min = 75 min from the first low datapoint's period.
#[test]
fn asg_not_scaling_down_waits_75_minutes_for_the_low_alarm() {
    let r = run_model_file("asg-not-scaling-down");
    let events = events::explain(&r);
    check_shape(&r, &events);
    let low = labelled(&events, Mark::Policy, "low alarm: 15 × 5 min");
    assert_eq!(low.len(), 1, "{events:#?}");
    let e = low[0];
    assert_eq!(e.until_seconds.unwrap() - e.time_seconds, 15.0 * 300.0);
    assert!(e.text.contains("15 × 5 min = 1 h 15 min"), "{}", e.text);
    let ins: Vec<_> = labelled(&events, Mark::Scaling, "web-asg 4→2");
    assert_eq!(ins.len(), 1);
    assert_eq!(ins[0].time_seconds, e.until_seconds.unwrap());
}

/// instance-failure: web-1 crashes at `at` for `duration`; with HealthCheckIntervalSeconds 30
/// and UnhealthyThresholdCount 2 it is unhealthy after the 2nd failed check: more than 1
/// interval and at most 2 intervals (+ the timeout) after the crash. Back, it needs
/// HealthyThresholdCount 5 passing checks: more than 4 and at most 5 intervals after the end.
#[test]
fn instance_failure_unhealthy_after_the_threshold_of_failed_checks() {
    let r = run_model_file("instance-failure");
    let events = events::explain(&r);
    check_shape(&r, &events);
    let model = model_file_json("instance-failure");
    let hc = &model["target_groups"][0]["health_check"];
    let interval = hc["HealthCheckIntervalSeconds"].as_f64().unwrap();
    let timeout = hc["HealthCheckTimeoutSeconds"].as_f64().unwrap();
    let unhealthy_n = hc["UnhealthyThresholdCount"].as_f64().unwrap();
    let healthy_n = hc["HealthyThresholdCount"].as_f64().unwrap();
    let crash = &model["faults"][0];
    let (start, end) = (
        seconds(&crash["at"]),
        seconds(&crash["at"]) + seconds(&crash["duration"]),
    );
    let f = labelled(&events, Mark::Fault, "crash web-1");
    assert_eq!(f.len(), 1);
    assert_eq!((f[0].time_seconds, f[0].until_seconds), (start, Some(end)));
    let h = labelled(&events, Mark::Health, "web-1 unhealthy");
    assert_eq!(h.len(), 1);
    let after = h[0].time_seconds - start;
    assert!(
        after > (unhealthy_n - 1.0) * interval && after <= unhealthy_n * interval + timeout,
        "unhealthy {after} s after the crash"
    );
    assert!(h[0].text.contains("Target.FailedHealthChecks"));
    let back = h[0].until_seconds.expect("healthy again") - end;
    assert!(
        back > (healthy_n - 1.0) * interval && back <= healthy_n * interval + timeout,
        "healthy {back} s after the end"
    );
}

/// sqs-messages-reappear: the queue keeps the default VisibilityTimeout of 30 s, so the first
/// redelivery comes 30 s after the previous receive; with maxReceiveCount 3 the told
/// dead-letter moves are one span.
#[test]
fn sqs_messages_reappear_after_the_visibility_timeout() {
    let r = run_model_file("sqs-messages-reappear");
    let events = events::explain(&r);
    check_shape(&r, &events);
    let model = model_file_json("sqs-messages-reappear");
    let orders = &model["queues"][0];
    let visibility = orders["VisibilityTimeout"].as_f64().unwrap_or(30.0);
    let max_receives = orders["RedrivePolicy"]["maxReceiveCount"].as_u64().unwrap();
    let redelivery = labelled(&events, Mark::Queue, "orders redelivery");
    assert_eq!(redelivery.len(), 1);
    let e = redelivery[0];
    let span = e.until_seconds.unwrap() - e.time_seconds;
    assert!(
        (span - visibility).abs() < 0.05,
        "redelivered {span} s after"
    );
    assert!(
        e.text
            .contains(&format!("VisibilityTimeout of {visibility} s"))
    );
    let dlq = labelled(&events, Mark::Queue, "orders → orders-dlq");
    assert_eq!(dlq.len(), 1);
    assert!(
        dlq[0]
            .text
            .contains(&format!("received {max_receives} times"))
    );
}

/// Every shipped model's narrative has the shape: each line told once, labels that fit.
#[test]
fn every_shipped_model_tells_each_line_once() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("models");
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| {
            let p = e.unwrap().path();
            (p.extension()? == "json").then(|| p.file_stem().unwrap().to_string_lossy().into())
        })
        .collect();
    names.sort();
    for name in names {
        let r = run_model_file(&name);
        check_shape(&r, &events::explain(&r));
    }
}
