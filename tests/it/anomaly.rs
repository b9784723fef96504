//! Automatic Target Weights (`aws-behavior.md` §2.1): anomaly detection on every HTTP target group
//! with at least three healthy targets, and anomaly mitigation with `weighted_random` and
//! `load_balancing.algorithm.anomaly_mitigation` `on`: weights adjusted every 5 seconds, an
//! anomalous target's traffic cut iteratively down to a floor (never to nothing), at most half of
//! the healthy targets cut, and a recovered target ramped back.
//!
//! Expected values come from those rules and albsim's stated defaults (weight halved per step,
//! floor 2 %, +10 % per step back, a 30 s window): under `weighted_random` each request picks a
//! target with probability weight / total weight, independently, so a target's request count over
//! a run is Poisson with a mean summed over the 5-second steps of its weight schedule.

use crate::common::{
    activity, assert_binomial, assert_poisson, client, completed, constant_ms, group,
    http_listener, instance, model, poisson, run_value,
};
use albsim::RunResult;
use albsim::recorder::{ActivityKind, AnomalyChange, TargetHealth};
use serde_json::{Value, json};

/// `n` targets `t1`… with health checks off, Poisson `rate`, 2 ms constant work; targets in
/// `bad` answer 500 to every request from the start. `algorithm`, and mitigation if `on`.
fn fleet(n: usize, bad: &[usize], rate: f64, seconds: f64, algorithm: &str, on: bool) -> Value {
    let ids: Vec<String> = (1..=n).map(|k| format!("t{k}")).collect();
    let refs: Vec<&str> = ids.iter().map(String::as_str).collect();
    let mut g = group("web", &refs, algorithm);
    g["health_check"] = json!({ "HealthCheckEnabled": false });
    if on {
        g["attributes"]["load_balancing.algorithm.anomaly_mitigation"] = json!("on");
    }
    let mut m = model(
        "atw",
        7,
        seconds,
        json!([client("c", poisson(rate), constant_ms(2.0))]),
        json!([http_listener(json!([]), "web")]),
        json!([g]),
        Value::Array(ids.iter().map(|id| instance(id, "test.c4", 4)).collect()),
    );
    m["faults"] = Value::Array(
        bad.iter()
            .map(|&k| {
                json!({ "type": "application_errors", "instance": format!("t{k}"),
                        "share": 1.0, "status_code": 500, "at": "0s", "duration": "1d" })
            })
            .collect(),
    );
    m
}

/// The anomaly changes of target `id` in group `web`, with their times.
fn changes(r: &RunResult, id: &str) -> Vec<(f64, AnomalyChange)> {
    activity(r, &format!("web/{id}"))
        .into_iter()
        .filter_map(|(t, k)| match k {
            ActivityKind::TargetHealth(TargetHealth::Anomaly(c)) => Some((t, *c)),
            _ => None,
        })
        .collect()
}

#[test]
fn mitigation_cuts_a_failing_target_by_halves_to_the_floor_and_no_further() {
    let (rate, seconds) = (400.0, 300.0);
    let r = run_value(&fleet(4, &[3], rate, seconds, "weighted_random", true));
    // Detected at the first 5-second step (its 5 s of responses are all errors, its peers' none)
    // and cut at once; the cut repeats every step while it stays anomalous.
    let c = changes(&r, "t3");
    assert!(
        matches!(
            c[..],
            [
                (5.0, AnomalyChange::Anomalous { peer_rate, .. }),
                (5.0, AnomalyChange::MitigationStarted { weight: 0.5 })
            ] if peer_rate == 0.0
        ),
        "{c:?}"
    );
    // Weight per 5-second step: 1 until the first step, then 1/2, 1/4, … and from 30 s the
    // floor 2 % (1/64 would be below it). Share = weight / (3 + weight).
    let weights = [1.0, 0.5, 0.25, 0.125, 0.0625, 0.031_25];
    let mut mean: f64 = weights.iter().map(|w| rate * 5.0 * w / (3.0 + w)).sum();
    mean += rate * (seconds - 30.0) * 0.02 / 3.02;
    assert_poisson(
        completed(&r, "t3"),
        mean,
        "requests to the mitigated target",
    );
    // Never below the floor: at 2 % it still gets about 1.8 requests a second to measure.
    assert!(completed(&r, "t3") as f64 > rate * (seconds - 30.0) * 0.015 / 3.015);
    // Every period after the first: one anomalous, one mitigated (time averages).
    for p in &r.periods[1..] {
        assert_eq!(
            (p.hosts[0].anomalous, p.hosts[0].mitigated),
            (1.0, 1.0),
            "{p:?}"
        );
    }
    let first = &r.periods[0].hosts[0];
    assert!((first.anomalous - 55.0 / 60.0).abs() < 1e-9, "{first:?}");
}

#[test]
fn round_robin_detects_the_failing_target_but_keeps_feeding_it() {
    let r = run_value(&fleet(4, &[3], 400.0, 120.0, "round_robin", false));
    let n = r.requests_total;
    let t3 = completed(&r, "t3");
    assert!(t3.abs_diff(n / 4) <= 1, "a quarter of {n}: {t3}");
    assert!(matches!(
        changes(&r, "t3")[..],
        [(5.0, AnomalyChange::Anomalous { .. })]
    ));
    assert!(r.periods.iter().all(|p| p.hosts[0].mitigated == 0.0));
    assert_eq!(r.periods[1].hosts[0].anomalous, 1.0);
}

#[test]
fn at_most_half_the_healthy_targets_are_mitigated() {
    // Three of five fail: each against its peers' pooled 50 % (two failing, two not) is twice as
    // bad and 50 points above, so all three are anomalous; 50 % of 5 is 2 (rounded down): the
    // two lowest-numbered (a tie) are cut, t4 keeps its share.
    let r = run_value(&fleet(5, &[2, 3, 4], 400.0, 120.0, "weighted_random", true));
    for p in &r.periods[1..] {
        assert_eq!(
            (p.hosts[0].anomalous, p.hosts[0].mitigated),
            (3.0, 2.0),
            "{p:?}"
        );
    }
    assert!(
        changes(&r, "t4")
            .iter()
            .all(|(_, c)| !matches!(c, AnomalyChange::MitigationStarted { .. }))
    );
    // t4 keeps parity weight all along, like t1: of their requests together, each gets half.
    let (t1, t4) = (completed(&r, "t1"), completed(&r, "t4"));
    assert_binomial(t4, t1 + t4, 0.5, "t4 at parity with t1");
}

#[test]
fn detection_needs_three_healthy_targets() {
    let r = run_value(&fleet(2, &[2], 200.0, 120.0, "weighted_random", true));
    assert!(changes(&r, "t2").is_empty());
    assert!(r.periods.iter().all(|p| p.hosts[0].anomalous == 0.0));
    let (t1, t2) = (completed(&r, "t1"), completed(&r, "t2"));
    assert!(t1.abs_diff(t2) < t1 / 10, "uniform: {t1} vs {t2}");
}

#[test]
fn a_target_that_recovers_is_ramped_back_to_parity() {
    // The gray-failure model: errors from 5:00 to 15:00, mitigation on.
    let mut m = crate::common::model_file_json("gray-failure");
    let attrs = &mut m["target_groups"][0]["attributes"];
    attrs["load_balancing.algorithm.type"] = json!("weighted_random");
    attrs["load_balancing.algorithm.anomaly_mitigation"] = json!("on");
    let r = run_value(&m);
    let c = changes(&r, "web-3");
    let at = |wanted: fn(&AnomalyChange) -> bool| c.iter().find(|(_, x)| wanted(x)).unwrap().0;
    // Normal once its 30 s window holds no error: the first step at least 30 s after 15:00.
    let normal = at(|x| *x == AnomalyChange::Normal);
    assert_eq!(normal, 930.0);
    // Then +10 % of parity per step from the floor (2 %): parity after 10 steps.
    let over = at(|x| *x == AnomalyChange::MitigationEnded);
    assert_eq!(over, normal + 5.0 * 9.0, "{c:?}");
}

#[test]
fn mitigation_needs_weighted_random_and_settings_have_ranges() {
    let load = |m: &Value| {
        albsim::scenario::from_json(&m.to_string(), std::path::Path::new("m.json"))
            .map(|_| ())
            .unwrap_err()
            .to_string()
    };
    let mut m = fleet(3, &[], 10.0, 60.0, "round_robin", true);
    let e = load(&m);
    assert!(
        e.contains("load_balancing.algorithm.anomaly_mitigation")
            && e.contains("needs load_balancing.algorithm.type \"weighted_random\""),
        "{e}"
    );
    m["target_groups"][0]["attributes"]["load_balancing.algorithm.type"] = json!("weighted_random");
    m["target_groups"][0]["attributes"]["load_balancing.algorithm.anomaly_mitigation"] =
        json!("yes");
    assert!(
        load(&m).contains("expected \"on\" or \"off\""),
        "{}",
        load(&m)
    );
    m["target_groups"][0]["attributes"]["load_balancing.algorithm.anomaly_mitigation"] =
        json!("on");
    for (key, value, words) in [
        ("window", json!("7s"), "expected a multiple of 5 s"),
        (
            "window",
            json!("10m"),
            "expected a duration from 5 s to 5 min",
        ),
        (
            "minimum_weight",
            json!(0),
            "expected a share of parity above 0 and below 1",
        ),
        (
            "reduction",
            json!(1),
            "expected a factor above 0 and below 1",
        ),
        (
            "max_mitigated_percentage",
            json!(0),
            "expected 1–100 percent",
        ),
        (
            "error_rate_ratio",
            json!(0.5),
            "expected a ratio from 1 to 100",
        ),
    ] {
        m["target_groups"][0]["anomaly_detection"] = json!({ key: value });
        let e = load(&m);
        assert!(
            e.contains(&format!("target_groups[0].anomaly_detection.{key}")) && e.contains(words),
            "{key}: {e}"
        );
    }
}

#[test]
fn mitigation_settings_on_a_group_that_does_not_mitigate_are_warned_about() {
    let load = |m: &Value| {
        albsim::scenario::from_json(&m.to_string(), std::path::Path::new("m.json")).unwrap()
    };
    let mut m = fleet(3, &[], 10.0, 60.0, "round_robin", false);
    m["target_groups"][0]["anomaly_detection"] = json!({ "window": "60s", "reduction": 0.25 });
    let w: Vec<String> = load(&m).warnings.iter().map(|w| w.to_string()).collect();
    // Detection's own settings apply to every group; the cut does not.
    assert_eq!(w.len(), 1, "{w:?}");
    assert!(
        w[0].contains("target_groups[0].anomaly_detection.reduction")
            && w[0].contains("changes nothing"),
        "{w:?}"
    );
    let attrs = &mut m["target_groups"][0]["attributes"];
    attrs["load_balancing.algorithm.type"] = json!("weighted_random");
    attrs["load_balancing.algorithm.anomaly_mitigation"] = json!("on");
    assert!(load(&m).warnings.is_empty());
}
