//! Deregistration and connection draining (`aws-behavior.md` §4, ALB-TG, ALB-TS):
//! on `DeregisterTargets` the ALB stops sending new requests to the target at once and it goes
//! `draining` (`Target.DeregistrationInProgress`); in-flight requests may finish; with none left
//! deregistration is complete (immediately if there were none); when
//! `deregistration_delay.timeout_seconds` ends the target is `unused` (`Target.NotRegistered`) and
//! requests still in flight get 502. Deregistering lowers `HealthyHostCount` without raising
//! `UnHealthyHostCount` (§1.2).
//!
//! Model: two targets behind round robin and a `constant` client at 2 req/s (arrivals exactly at
//! k·0.5 s); `web-1` is deregistered at 30.25 s, between arrivals. Round robin alternates, so of
//! the 60 arrivals before 30.25 s `web-1` got exactly 30, the last of them one of the last two
//! arrivals (29.5 or 30.0 s). Instances have 448 vCPUs and workers, so nothing ever queues and a
//! request takes exactly its service time.

use crate::common::{
    CHECK_MS, arrivals_between, assert_half, assert_time, assert_transition, client, completed,
    constant_ms, constant_rate, fail_open, group, health_check, http_listener, instance, model,
    registrations, run_value, status, sum_rows, transitions,
};
use albsim::RunResult;
use albsim::recorder::{FailOpen, FailOpenCause, Registration, TargetState};
use serde_json::{Value, json};

const RATE: u64 = 2;
const DEREGISTER: f64 = 30.25;

fn draining_model(seconds: f64, service_ms: f64, delay: u32, period: u32) -> Value {
    let mut g = group("web", &["web-1", "web-2"], "round_robin");
    g["attributes"]["deregistration_delay.timeout_seconds"] = json!(delay);
    let mut m = model(
        "draining",
        1,
        seconds,
        json!([client(
            "c",
            constant_rate(RATE as f64),
            constant_ms(service_ms)
        )]),
        json!([http_listener(json!([]), "web")]),
        json!([g]),
        json!([
            instance("web-1", "test.c448", 448),
            instance("web-2", "test.c448", 448)
        ]),
    );
    m["instance_types"]
        .as_array_mut()
        .unwrap()
        .push(json!({ "name": "test.c448", "vcpus": 448, "memory_gib": 8, "price_per_hour": 1 }));
    m["metrics"] = json!({ "period": period });
    m["operations"] = json!([
        { "at": DEREGISTER, "action": "deregister", "target_group": "web", "instance": "web-1" }
    ]);
    m
}

fn deregistration_complete(r: &RunResult) -> Vec<f64> {
    registrations(r, "web/web-1")
        .into_iter()
        .filter(|(_, x)| **x == Registration::Drained)
        .map(|(t, _)| t)
        .collect()
}

/// Service 20 s, delay 300 s: `web-1`'s 30 requests finish (200) by its last dispatch + 20 s, when
/// deregistration is complete; it gets nothing after 30.25 s; it is `unused` at 30.25 + 300 s.
/// `HealthyHostCount` over the first 60 s period is the time average 2 → 1 at 30.25 s.
#[test]
fn draining_lets_in_flight_requests_finish() {
    let (seconds, service, delay) = (400.25, 20.0, 300.0);
    let r = run_value(&draining_model(seconds, service * 1000.0, delay as u32, 60));

    let t = transitions(&r, "web/web-1");
    assert_eq!(t.len(), 2, "{t:?}");
    assert_transition(
        t[0],
        DEREGISTER,
        (
            TargetState::Healthy,
            TargetState::Draining,
            "Target.DeregistrationInProgress",
        ),
        "deregister",
    );
    assert_transition(
        t[1],
        DEREGISTER + delay,
        (
            TargetState::Draining,
            TargetState::Unused,
            "Target.NotRegistered",
        ),
        "delay elapsed",
    );

    let before = arrivals_between(RATE, 0.0, DEREGISTER);
    assert_eq!(before, 60);
    assert_eq!(
        completed(&r, "web-1"),
        before / 2,
        "nothing new after 30.25 s"
    );
    let done = deregistration_complete(&r);
    assert_eq!(done.len(), 1, "{done:?}");
    let last_dispatch = done[0] - service;
    assert!(
        [29.5, 30.0]
            .iter()
            .any(|&a| (last_dispatch - a).abs() < 1e-8),
        "complete at {} s: not 20 s after one of web-1's last requests",
        done[0]
    );

    // Every request that had time to finish got 200, and nothing else happened.
    let answered = arrivals_between(RATE, 0.0, seconds - service);
    assert_eq!(
        r.by_status.clone().into_iter().collect::<Vec<_>>(),
        vec![(200, answered)]
    );
    assert_eq!(completed(&r, "web-2"), answered - before / 2);

    let p0 = &r.periods[0];
    let expected = (2.0 * DEREGISTER + (60.0 - DEREGISTER)) / 60.0;
    assert!(
        (p0.hosts[0].healthy - expected).abs() < 1e-12,
        "HealthyHostCount {} vs {expected}",
        p0.hosts[0].healthy
    );
    assert!(r.periods[1..].iter().all(|p| p.hosts[0].healthy == 1.0));
    assert!(
        r.periods.iter().all(|p| p.hosts[0].unhealthy == 0.0),
        "deregistration does not raise UnHealthyHostCount"
    );
}

/// Service 100 s, delay 30 s: all 30 of `web-1`'s requests are still running at 30.25 + 30 s; they
/// are cut off with 502 at exactly that time (all in the 1 s period starting at 60 s) and the
/// target is `unused` (`Target.NotRegistered`). `web-2` answers its requests (200) 100 s after
/// they arrive.
#[test]
fn requests_still_in_flight_when_the_delay_ends_get_502() {
    let (seconds, service, delay) = (200.25, 100.0, 30.0);
    let r = run_value(&draining_model(seconds, service * 1000.0, delay as u32, 1));

    let t = transitions(&r, "web/web-1");
    assert_eq!(t.len(), 2, "{t:?}");
    assert_transition(
        t[0],
        DEREGISTER,
        (
            TargetState::Healthy,
            TargetState::Draining,
            "Target.DeregistrationInProgress",
        ),
        "deregister",
    );
    let cut = DEREGISTER + delay;
    assert_transition(
        t[1],
        cut,
        (
            TargetState::Draining,
            TargetState::Unused,
            "Target.NotRegistered",
        ),
        "cut off",
    );
    assert!(t[1].1.detail.contains("30 request(s)"), "{t:?}");

    let n502 = status(&r, 502);
    assert_eq!(n502, 30, "web-1's requests, all in flight");
    assert_eq!(
        sum_rows(&r, 60.0, 61.0, |p| p.elb.c502),
        n502,
        "all at {cut} s"
    );
    assert_eq!(
        r.periods
            .iter()
            .map(|p| p.target_connection_error_count)
            .sum::<u64>(),
        0
    );
    // web-2: its 30 requests before 30.25 s and every later arrival up to 100.25 s have finished.
    let web2 = 30 + arrivals_between(RATE, DEREGISTER, seconds - service);
    assert_eq!(status(&r, 200), web2);
    assert_eq!(completed(&r, "web-2"), web2);
    // HealthyHostCount in [30, 31): 2 for 0.25 s, then 1.
    let p = r.periods.iter().find(|p| p.start_seconds == 30.0).unwrap();
    assert!(
        (p.hosts[0].healthy - 1.25).abs() < 1e-12,
        "{}",
        p.hosts[0].healthy
    );
}

/// With nothing in flight (5 ms requests, the last one long answered), deregistration completes
/// at once; the target stays `draining` until the delay ends.
#[test]
fn deregistration_with_nothing_in_flight_completes_at_once() {
    let r = run_value(&draining_model(100.25, 5.0, 60, 60));
    let done = deregistration_complete(&r);
    assert_eq!(done.len(), 1, "{done:?}");
    assert_time(done[0], DEREGISTER, "complete at once");
    let t = transitions(&r, "web/web-1");
    assert_eq!(t.len(), 2, "{t:?}");
    assert_transition(
        t[1],
        DEREGISTER + 60.0,
        (
            TargetState::Draining,
            TargetState::Unused,
            "Target.NotRegistered",
        ),
        "unused after the delay",
    );
    assert_eq!(status(&r, 200), r.requests_total);
    assert_eq!(completed(&r, "web-1"), 30);
}

/// Both targets have a broken health path (they still serve traffic) and are unhealthy from
/// 10 s + 1 ms (checks every 5 s at phase 0, threshold 2): the group fails open. Deregistering
/// `web-1` at 30.25 s still stops new requests to it — a draining target is not registered in
/// service, so fail open (which routes to the unhealthy *registered* targets) does not include it.
#[test]
fn a_draining_target_gets_nothing_even_when_the_group_fails_open() {
    let mut m = draining_model(60.25, 5.0, 300, 60);
    m["target_groups"][0]["health_check"] = json!({
        "HealthCheckIntervalSeconds": 5, "HealthCheckTimeoutSeconds": 2,
        "UnhealthyThresholdCount": 2, "first_check_delay": 0,
        "service_time": constant_ms(CHECK_MS)
    });
    m["faults"] = json!([
        { "type": "health_path_broken", "instance": "web-1", "at": 0.55 },
        { "type": "health_path_broken", "instance": "web-2", "at": 0.55 }
    ]);
    let r = run_value(&m);
    let open = fail_open(&r, "web");
    assert!(
        matches!(
            open.first(),
            Some((_, FailOpen::Started(FailOpenCause { healthy: 0, .. })))
        ),
        "{open:?}"
    );
    assert_eq!(status(&r, 200), r.requests_total);
    assert_eq!(
        completed(&r, "web-1"),
        30,
        "half of the 60 arrivals before 30.25 s"
    );
    assert_eq!(completed(&r, "web-2"), r.requests_total - 30);
}

/// Deregistered at 30.25 s with a 10 s delay (nothing in flight): `unused` at 40.25 s. Registered
/// again at 50.05 s it is a new target: `initial`, in service after one passing check (node 0's
/// first check 2 s after registration, answered `CHECK_MS` later), then half of the traffic again.
#[test]
fn a_deregistered_target_can_be_registered_again_as_a_new_target() {
    let (reg, first, seconds) = (50.05, 2.0, 100.25);
    let mut m = draining_model(seconds, 5.0, 10, 60);
    m["target_groups"][0]["health_check"] = health_check(10, 5, 5, 2, Some(first));
    m["operations"].as_array_mut().unwrap().push(
        json!({ "at": reg, "action": "register", "target_group": "web", "instance": "web-1" }),
    );
    let r = run_value(&m);
    let t = transitions(&r, "web/web-1");
    assert_eq!(t.len(), 3, "{t:?}");
    assert_transition(
        t[0],
        DEREGISTER,
        (
            TargetState::Healthy,
            TargetState::Draining,
            "Target.DeregistrationInProgress",
        ),
        "deregister",
    );
    assert_transition(
        t[1],
        DEREGISTER + 10.0,
        (
            TargetState::Draining,
            TargetState::Unused,
            "Target.NotRegistered",
        ),
        "delay elapsed",
    );
    let t_h = reg + first + CHECK_MS / 1000.0;
    assert_transition(
        t[2],
        t_h,
        (TargetState::Initial, TargetState::Healthy, ""),
        "registered again",
    );
    assert_eq!(status(&r, 200), r.requests_total);
    let again = completed(&r, "web-1") - 30;
    assert_half(
        again,
        arrivals_between(RATE, t_h, seconds),
        "web-1 after its first pass",
    );
}
