//! Target health timelines derived from the documented rules (`aws-behavior.md` §1, ALB-HC):
//! checks every `HealthCheckIntervalSeconds` whatever the response time; `unhealthy` after
//! `UnhealthyThresholdCount` consecutive failures, `healthy` again after `HealthyThresholdCount`
//! passes; a newly registered target is in service after **one** pass and gets no traffic before;
//! a group whose targets are all unhealthy (or fewer healthy than
//! `minimum_healthy_targets.count`) fails open and routes to all of them. And health checks are
//! real work on the instance (albsim's assumption): with one worker, longer checks and more load
//! balancer nodes measurably delay client requests, by the amount queueing theory predicts.
//!
//! Timelines are exact where node 0's first check is pinned with `first_check_delay` (its
//! results drive the state): every check time is then `phase + k·interval`, a refused connection
//! fails at the check time and a passing check completes `CHECK_MS` later.

use crate::common::{
    CHECK_MS, Z_999, arrivals_between, assert_time, assert_transition, checked_group, client,
    completed, constant_ms, constant_rate, fail_open, health_check, http_listener, instance, model,
    next_check_after, poisson, registrations, run_value, status, transitions,
};
use albsim::RunResult;
use albsim::recorder::TargetState::{Healthy, Initial, Unhealthy};
use albsim::recorder::{
    ActivityKind, FailOpen, FailOpenCause, Registration, RoutingThreshold, TargetHealth,
    TargetState,
};
use serde_json::{Value, json};

/// Two (or more) `test.c4` targets with 4 workers each behind round robin; a `constant` client at
/// `rate` per second with 5 ms constant service. With arrivals ≥ 100 ms apart and 4 workers,
/// neither requests nor 1 ms checks ever wait, so check results are exactly on schedule.
fn web(seed: u64, seconds: f64, rate: f64, hc: Value, targets: &[&str], all: &[&str]) -> Value {
    let mut m = model(
        "health",
        seed,
        seconds,
        json!([client("c", constant_rate(rate), constant_ms(5.0))]),
        json!([http_listener(json!([]), "web")]),
        json!([checked_group("web", targets, hc)]),
        Value::Array(all.iter().map(|i| instance(i, "test.c4", 4)).collect()),
    );
    m["metrics"] = json!({ "period": 1 });
    m
}

/// The time-average `HealthyHostCount` / `UnHealthyHostCount` of group 0 in the 1 s period that
/// starts at `t`.
fn hosts_at(r: &RunResult, t: f64) -> (f64, f64) {
    let p = r
        .periods
        .iter()
        .find(|p| p.start_seconds == t)
        .unwrap_or_else(|| panic!("no period at {t}"));
    (p.hosts[0].healthy, p.hosts[0].unhealthy)
}

/// Host counts are time averages over the period; a transition at `t + f` (0 < f < 1) gives
/// `before·f + after·(1 − f)`. Tolerance: float rounding only.
fn assert_hosts(r: &RunResult, t: f64, expected: (f64, f64)) {
    let got = hosts_at(r, t);
    assert!(
        (got.0 - expected.0).abs() < 1e-9 && (got.1 - expected.1).abs() < 1e-9,
        "host counts (healthy, unhealthy) in [{t}, {t}+1): {got:?}, expected {expected:?}"
    );
}

/// Crash at 125.05 s for 100 s; interval 10 s with node 0 checking at 0, 10, 20, … (phase 0).
/// Refused connections fail at 130, 140, 150: with UnhealthyThresholdCount 3 the target is
/// unhealthy at exactly 150 s (Target.FailedHealthChecks). The process is back at 225.05; checks
/// pass at 230, 240, 250 (each answered `CHECK_MS` later): with HealthyThresholdCount 3 it is
/// healthy at 250 s + `CHECK_MS`. Nothing else changes state.
#[test]
fn crash_then_recovery_follows_the_check_schedule_exactly() {
    let (interval, healthy, unhealthy) = (10.0, 3.0, 3.0);
    let (crash, down) = (125.05, 100.0);
    let mut m = web(
        1,
        300.05,
        10.0,
        health_check(10, 5, 3, 3, Some(0.0)),
        &["web-1", "web-2"],
        &["web-1", "web-2"],
    );
    m["faults"] = json!([{ "type": "crash", "instance": "web-1", "at": crash, "duration": down }]);
    let r = run_value(&m);

    let t_unhealthy = next_check_after(crash, 0.0, interval) + (unhealthy - 1.0) * interval;
    let t_healthy = next_check_after(crash + down, 0.0, interval)
        + (healthy - 1.0) * interval
        + CHECK_MS / 1000.0;
    assert_time(t_unhealthy, 150.0, "derivation");
    // The documented bound: the U-th failed check is in (crash + (U−1)·I, crash + U·I].
    assert!(
        crash + (unhealthy - 1.0) * interval < t_unhealthy
            && t_unhealthy <= crash + unhealthy * interval
    );

    let t = transitions(&r, "web/web-1");
    assert_eq!(t.len(), 2, "{t:?}");
    assert_transition(
        t[0],
        t_unhealthy,
        (
            TargetState::Healthy,
            TargetState::Unhealthy,
            "Target.FailedHealthChecks",
        ),
        "crash detected",
    );
    assert_transition(
        t[1],
        t_healthy,
        (TargetState::Unhealthy, TargetState::Healthy, ""),
        "recovered",
    );
    assert!(transitions(&r, "web/web-2").is_empty());

    // HealthyHostCount / UnHealthyHostCount (1 s periods): the transition at 150 s falls on a
    // period boundary; the one at 250.001 s leaves 1 healthy for 1 ms of that second.
    let f = CHECK_MS / 1000.0;
    assert_hosts(&r, 149.0, (2.0, 0.0));
    assert_hosts(&r, 150.0, (1.0, 1.0));
    assert_hosts(&r, 249.0, (1.0, 1.0));
    assert_hosts(&r, 250.0, (1.0 * f + 2.0 * (1.0 - f), 1.0 * f));
    assert_hosts(&r, 251.0, (2.0, 0.0));

    // While unhealthy, round robin skips web-1: no request fails after the transition.
    let after = r.periods.iter().filter(|p| p.start_seconds >= 150.0);
    assert!(after.clone().all(|p| p.elb.c5xx == 0), "5XX after 150 s");
}

/// With the first check at a random time within one interval, the crash is detected at the U-th
/// check after it: crash + (U−1)·I < t ≤ crash + U·I; recovery is the H-th pass after the end,
/// in (end + (H−1)·I, end + H·I] (+ `CHECK_MS`). Both are on node 0's one fixed schedule (the
/// response time does not shift it), so the two transitions are a whole number of intervals
/// apart (less `CHECK_MS`). The phase differs between seeds.
#[test]
fn detection_and_recovery_with_a_random_first_check_stay_within_the_documented_bounds() {
    let (interval, h, u) = (10.0, 4.0, 3.0);
    let (crash, down) = (125.05, 100.0);
    let end = crash + down;
    let mut detected = Vec::new();
    for seed in 1..=10 {
        let mut m = web(
            seed,
            300.05,
            10.0,
            health_check(10, 5, 4, 3, None),
            &["web-1", "web-2"],
            &["web-1", "web-2"],
        );
        m["faults"] =
            json!([{ "type": "crash", "instance": "web-1", "at": crash, "duration": down }]);
        let r = run_value(&m);
        let t = transitions(&r, "web/web-1");
        assert_eq!(t.len(), 2, "seed {seed}: {t:?}");
        let (tu, th) = (t[0].0, t[1].0 - CHECK_MS / 1000.0);
        assert!(
            (t[0].1.from, t[0].1.to, t[0].1.reason)
                == (Healthy, Unhealthy, "Target.FailedHealthChecks"),
            "{t:?}"
        );
        assert!((t[1].1.from, t[1].1.to) == (Unhealthy, Healthy), "{t:?}");
        assert!(
            crash + (u - 1.0) * interval < tu && tu <= crash + u * interval,
            "seed {seed}: unhealthy at {tu}"
        );
        assert!(
            end + (h - 1.0) * interval < th && th <= end + h * interval,
            "seed {seed}: healthy at {th}"
        );
        let k = (th - tu) / interval;
        assert!(
            (k - k.round()).abs() < 1e-8,
            "seed {seed}: {tu} and {th} are not on one schedule"
        );
        detected.push(tu);
    }
    assert!(
        detected.iter().any(|&t| (t - detected[0]).abs() > 1e-6),
        "the first check is random: {detected:?}"
    );
}

/// A target registered at 20.05 s (no target before) with node 0's first check 3 s later:
/// `initial`, then `healthy` after ONE pass at 23.05 s + `CHECK_MS` — not after
/// HealthyThresholdCount (default 5) passes. Until then it gets no traffic: with no other target
/// the ALB answers 503 to every request arriving before (arrivals at k·100 ms), and 200 after.
#[test]
fn new_target_is_in_service_after_one_passing_check() {
    let (reg, delay, rate, seconds) = (20.05, 3.0, 10u64, 60.05);
    let mut m = web(
        1,
        seconds,
        rate as f64,
        json!({ "first_check_delay": delay, "service_time": constant_ms(CHECK_MS) }),
        &[],
        &["web-1"],
    );
    m["operations"] =
        json!([{ "at": reg, "action": "register", "target_group": "web", "instance": "web-1" }]);
    let r = run_value(&m);

    let t_healthy = reg + delay + CHECK_MS / 1000.0;
    let reg_log = registrations(&r, "web/web-1");
    assert_eq!(reg_log.len(), 1, "{reg_log:?}");
    assert_time(reg_log[0].0, reg, "registration");
    assert_eq!(
        *reg_log[0].1,
        Registration::Registered {
            health_checks: true
        },
        "registered initial"
    );
    let t = transitions(&r, "web/web-1");
    assert_eq!(t.len(), 1, "{t:?}");
    assert_transition(
        t[0],
        t_healthy,
        (TargetState::Initial, TargetState::Healthy, ""),
        "first pass",
    );

    let before = arrivals_between(rate, 0.0, t_healthy);
    let after = arrivals_between(rate, t_healthy, seconds);
    assert_eq!(r.requests_total, before + after);
    assert_eq!(status(&r, 503), before, "no traffic before the first pass");
    assert_eq!(status(&r, 200), after, "in service from the first pass");
    assert_eq!(completed(&r, "web-1"), after);
    // `initial` is neither healthy nor unhealthy.
    assert_hosts(&r, 22.0, (0.0, 0.0));
    let f = t_healthy - 23.0;
    assert_hosts(&r, 23.0, (1.0 - f, 0.0));
    assert_hosts(&r, 24.0, (1.0, 0.0));
}

/// Next to a healthy target, a newly registered one (random first check) gets nothing before its
/// first pass and, round robin, half of the requests after it.
#[test]
fn new_target_gets_no_traffic_before_its_first_pass_then_half() {
    let (reg, rate, seconds) = (20.05, 10u64, 60.05);
    for seed in 1..=5 {
        let mut m = web(
            seed,
            seconds,
            rate as f64,
            health_check(10, 5, 5, 2, None),
            &["web-1"],
            &["web-1", "web-2"],
        );
        m["operations"] = json!([
            { "at": reg, "action": "register", "target_group": "web", "instance": "web-2" }
        ]);
        let r = run_value(&m);
        let t = transitions(&r, "web/web-2");
        assert_eq!(t.len(), 1, "seed {seed}: {t:?}");
        assert!((t[0].1.from, t[0].1.to) == (Initial, Healthy), "{t:?}");
        let th = t[0].0;
        assert!(
            reg < th - CHECK_MS / 1000.0 && th - CHECK_MS / 1000.0 <= reg + 10.0,
            "seed {seed}: first pass at {th}, expected within one interval of {reg}"
        );
        let after = arrivals_between(rate, th, seconds);
        let n2 = completed(&r, "web-2");
        assert!(
            n2 == after / 2 || n2 == after.div_ceil(2),
            "seed {seed}: web-2 completed {n2}, expected half of the {after} arrivals after {th}"
        );
        assert_eq!(status(&r, 200), r.requests_total, "seed {seed}");
    }
}

/// `health_path_broken` (500) on both targets at 0.55 s; interval 5 s, phase 0, threshold 2: the
/// checks at 5 and 10 s fail, both targets are unhealthy at 10 s + `CHECK_MS`. With no healthy
/// target the group fails open (ALB-HC): requests keep going to both targets, which still serve
/// them (200), and the ALB never answers 503. Round robin keeps alternating (the rotation may
/// restart once at the transition: the two counts differ by at most 2).
#[test]
fn all_targets_unhealthy_fail_open_and_keep_receiving_requests() {
    let mut m = web(
        1,
        60.05,
        10.0,
        health_check(5, 2, 2, 2, Some(0.0)),
        &["a", "b"],
        &["a", "b"],
    );
    m["faults"] = json!([
        { "type": "health_path_broken", "instance": "a", "at": 0.55 },
        { "type": "health_path_broken", "instance": "b", "at": 0.55 }
    ]);
    let r = run_value(&m);
    let t_u = 10.0 + CHECK_MS / 1000.0;
    for s in ["web/a", "web/b"] {
        let t = transitions(&r, s);
        assert_eq!(t.len(), 1, "{s}: {t:?}");
        assert_transition(
            t[0],
            t_u,
            (
                TargetState::Healthy,
                TargetState::Unhealthy,
                "Target.ResponseCodeMismatch",
            ),
            s,
        );
    }
    let open = fail_open(&r, "web");
    assert_eq!(open.len(), 1, "{open:?}");
    assert_time(open[0].0, t_u, "fail open");
    let nothing_healthy = FailOpenCause {
        healthy: 0,
        registered: 2,
        threshold: RoutingThreshold::Count(1),
    };
    assert_eq!(open[0].1, FailOpen::Started(nothing_healthy), "{open:?}");

    assert_eq!(status(&r, 503), 0);
    assert_eq!(status(&r, 200), r.requests_total);
    let (a, b) = (completed(&r, "a"), completed(&r, "b"));
    assert_eq!(a + b, r.requests_total);
    assert!(a.abs_diff(b) <= 2, "fail open uses both: {a} vs {b}");
    // Requests after the transition went to both: each got more than it had by then.
    let before = arrivals_between(10, 0.0, t_u);
    assert!(
        a > before / 2 + 1 && b > before / 2 + 1,
        "{a} {b} of {before} before"
    );
    assert_hosts(&r, 11.0, (0.0, 2.0));
}

/// All targets crashed: fail open sends requests to them anyway, so clients get 502 (connection
/// refused), not 503 (`aws-behavior.md` §7: "all targets unhealthy does not produce 503").
#[test]
fn all_targets_crashed_give_502_not_503() {
    let (crash, rate, seconds) = (0.55, 10u64, 60.05);
    let mut m = web(
        1,
        seconds,
        rate as f64,
        health_check(5, 2, 2, 2, Some(0.0)),
        &["a", "b"],
        &["a", "b"],
    );
    m["faults"] = json!([
        { "type": "crash", "instance": "a", "at": crash },
        { "type": "crash", "instance": "b", "at": crash }
    ]);
    let r = run_value(&m);
    for s in ["web/a", "web/b"] {
        let t = transitions(&r, s);
        assert_eq!(t.len(), 1, "{s}: {t:?}");
        assert_transition(
            t[0],
            10.0,
            (
                TargetState::Healthy,
                TargetState::Unhealthy,
                "Target.FailedHealthChecks",
            ),
            s,
        );
    }
    let before = arrivals_between(rate, 0.0, crash);
    let after = arrivals_between(rate, crash, seconds);
    assert_eq!(status(&r, 200), before);
    assert_eq!(status(&r, 502), after, "every request after the crash");
    assert_eq!(status(&r, 503), 0, "fail open: never 503");
    let tce: u64 = r
        .periods
        .iter()
        .map(|p| p.target_connection_error_count)
        .sum();
    assert_eq!(tce, after, "each 502 is a refused connection");
    // After the transition the requests still reach the targets (refused: connection errors).
    assert!(
        r.periods
            .iter()
            .filter(|p| p.start_seconds >= 11.0)
            .all(|p| p.target_connection_error_count == p.elb.c502 && p.elb.c502 > 0)
    );
}

/// Three targets, two with a broken health path (they still serve traffic) from 0.55 s: unhealthy
/// at 10 s + `CHECK_MS`. With `minimum_healthy_targets.count` = 1 (the default) the one healthy
/// target takes everything after that; with 2, one healthy target is below the minimum, the group
/// fails open and all three keep sharing the traffic equally.
#[test]
fn minimum_healthy_targets_count_fails_open_above_zero_healthy() {
    let (rate, seconds) = (10u64, 60.05);
    let t_u = 10.0 + CHECK_MS / 1000.0;
    let run = |min: u32| {
        let mut m = web(
            1,
            seconds,
            rate as f64,
            health_check(5, 2, 2, 2, Some(0.0)),
            &["a", "b", "c"],
            &["a", "b", "c"],
        );
        m["target_groups"][0]["attributes"]["target_group_health.unhealthy_state_routing.minimum_healthy_targets.count"] =
            json!(min);
        m["faults"] = json!([
            { "type": "health_path_broken", "instance": "a", "at": 0.55 },
            { "type": "health_path_broken", "instance": "b", "at": 0.55 }
        ]);
        run_value(&m)
    };
    let n = arrivals_between(rate, 0.0, seconds);
    let before = arrivals_between(rate, 0.0, t_u);

    let r = run(1);
    assert_eq!(status(&r, 200), n);
    assert!(fail_open(&r, "web").is_empty());
    for id in ["a", "b"] {
        let k = completed(&r, id);
        assert!(
            k.abs_diff(before / 3) <= 1,
            "count 1: {id} completed {k}, expected a third of the {before} before {t_u}"
        );
    }
    assert_eq!(
        completed(&r, "c"),
        n - completed(&r, "a") - completed(&r, "b")
    );

    let r = run(2);
    assert_eq!(status(&r, 200), n);
    assert_eq!(status(&r, 503), 0);
    let open = fail_open(&r, "web");
    assert_eq!(open.len(), 1, "{open:?}");
    assert_time(open[0].0, t_u, "fail open below 2 healthy");
    // The activity names the threshold that fired, not "no healthy target left".
    let below_two = FailOpenCause {
        healthy: 1,
        registered: 3,
        threshold: RoutingThreshold::Count(2),
    };
    assert_eq!(open[0].1, FailOpen::Started(below_two));
    assert_eq!(
        FailOpen::Started(below_two).to_string(),
        "1 healthy target, below minimum_healthy_targets.count 2: failing open, routing to all targets, unhealthy ones included"
    );
    // Round robin over the same three targets before and after (the rotation may restart at the
    // transition): each gets n/3 within 2.
    for id in ["a", "b", "c"] {
        let k = completed(&r, id);
        assert!(k.abs_diff(n / 3) <= 2, "count 2: {id} completed {k} of {n}");
    }
}

/// `minimum_healthy_targets.percentage`: four targets, three with a broken health path from
/// 0.55 s, unhealthy at 10 s + `CHECK_MS`. One of four healthy is 25 %: with percentage 50 the
/// group fails open then (AWS: "the load balancer takes the action when either threshold is
/// breached"; the count 1 is not) and all four keep sharing the traffic; with percentage 25
/// (1 of 4 is not below 25 %) it does not, and the healthy target takes everything.
#[test]
fn minimum_healthy_targets_percentage_fails_open_below_the_share() {
    let (rate, seconds) = (20u64, 60.02);
    let t_u = 10.0 + CHECK_MS / 1000.0;
    let run = |pct: &str| {
        let mut m = web(
            1,
            seconds,
            rate as f64,
            health_check(5, 2, 2, 2, Some(0.0)),
            &["a", "b", "c", "d"],
            &["a", "b", "c", "d"],
        );
        m["target_groups"][0]["attributes"]["target_group_health.unhealthy_state_routing.minimum_healthy_targets.percentage"] =
            json!(pct);
        m["faults"] = json!(
            ["a", "b", "c"]
                .map(|i| { json!({ "type": "health_path_broken", "instance": i, "at": 0.55 }) })
        );
        run_value(&m)
    };
    let n = arrivals_between(rate, 0.0, seconds);
    let before = arrivals_between(rate, 0.0, t_u);

    let r = run("50");
    let open = fail_open(&r, "web");
    assert_eq!(open.len(), 1, "{open:?}");
    assert_time(open[0].0, t_u, "fail open below 50 %");
    assert_eq!(
        open[0].1,
        FailOpen::Started(FailOpenCause {
            healthy: 1,
            registered: 4,
            threshold: RoutingThreshold::Percentage(50),
        })
    );
    assert_eq!(status(&r, 200), n);
    for id in ["a", "b", "c", "d"] {
        let k = completed(&r, id);
        assert!(k.abs_diff(n / 4) <= 2, "50 %: {id} completed {k} of {n}");
    }

    let r = run("25");
    assert!(fail_open(&r, "web").is_empty());
    assert_eq!(status(&r, 200), n);
    for id in ["a", "b", "c"] {
        let k = completed(&r, id);
        assert!(
            k.abs_diff(before / 4) <= 1,
            "25 %: {id} completed {k}, expected a quarter of the {before} before {t_u}"
        );
    }
}

/// Health checks are work on the instance (albsim's assumption). One vCPU, one worker (FCFS), a
/// check taking c = 2 s every P = 10 s per load balancer node, and a light Poisson client
/// (λ = 1/s, S = 1 ms constant).
///
/// Theory. A Poisson arrival sees the time-average unfinished work V (PASTA) and, FCFS, waits
/// exactly that: mean latency = S + V. Checks arrive periodically; one node's check leaves a
/// sawtooth of work c → 0 over c seconds each period, so V₁ = c²/(2P) = 0.2 s (= utilisation
/// c/P × mean residual c/2). With two nodes at a random phase offset d the sawtooths add, plus
/// c·(c − d)/P when the checks overlap (the later one waits): V₂ ∈ [c²/P, 2c²/P] = [0.4, 0.8] s.
/// The client's own work adds λS²/2 and scales by 1/(1 − λS) (M/G/1 workload): < 0.1 % here.
///
/// Tolerances. Poisson arrival times modulo P are iid uniform, so the latencies are iid samples
/// of the periodic workload: V₁ is 0 with probability 0.8 and U(0, 2 s) otherwise, sd 0.476 s;
/// with n ≈ λT = 50 000 samples the 99.9 % half-width is z·0.476/√n ≈ 7 ms (V₂'s sd is at most
/// 0.7 s: ≈ 10 ms). CPU utilisation is deterministic up to one check per node cut at the end
/// (2·2 s over 50 000 s = 0.008 points) and the client's Poisson work (±0.001 points).
#[test]
fn health_checks_load_a_single_worker_instance() {
    let (c, p, lambda, s, seconds) = (2.0, 10.0, 1.0, 0.001, 50_000.0);
    let run = |nodes: u32| {
        let mut m = model(
            "check-load",
            7,
            seconds,
            json!([client("c", poisson(lambda), constant_ms(s * 1000.0))]),
            json!([http_listener(json!([]), "web")]),
            json!([checked_group(
                "web",
                &["i-1"],
                json!({
                    "HealthCheckIntervalSeconds": p as u32, "HealthCheckTimeoutSeconds": 5,
                    "nodes": nodes, "first_check_delay": 0,
                    "service_time": constant_ms(c * 1000.0)
                })
            )]),
            json!([instance("i-1", "test.c1", 1)]),
        );
        m["metrics"] = json!({ "period": 60 });
        let r = run_value(&m);
        assert!(
            (r.activity.iter()).all(|a| !matches!(a.kind, ActivityKind::TargetHealth(_))),
            "checks pass"
        );
        assert_eq!(status(&r, 200), r.responses());
        let n = r.responses() as f64;
        let mean = r.latency_ms.as_ref().unwrap().mean / 1000.0;
        (r, n, mean)
    };
    let scale = 1.0 / (1.0 - lambda * s);
    let own = lambda * s * s / 2.0;

    let (r1, n1, l1) = run(1);
    let v1 = c * c / (2.0 * p);
    let half1 = Z_999 * 0.476 / n1.sqrt();
    let expected1 = s + (v1 + own) * scale;
    eprintln!("nodes 1: mean latency {l1:.4} s, theory {expected1:.4} ± {half1:.4}");
    assert!(
        (l1 - expected1).abs() <= half1,
        "nodes 1: mean latency {l1} s, theory {expected1} ± {half1}"
    );
    let cpu1 = r1.instances[0].cpu_utilization;
    let theory_cpu1 = 100.0 * (c / p + lambda * s);
    assert!(
        (cpu1 - theory_cpu1).abs() < 0.01,
        "CPU {cpu1} %, theory {theory_cpu1} %"
    );

    let (r2, n2, l2) = run(2);
    let half2 = Z_999 * 0.7 / n2.sqrt();
    let (lo, hi) = (
        s + (c * c / p + own) * scale,
        s + (2.0 * c * c / p + own) * scale,
    );
    eprintln!("nodes 2: mean latency {l2:.4} s, theory in [{lo:.4}, {hi:.4}] ± {half2:.4}");
    assert!(
        lo - half2 <= l2 && l2 <= hi + half2,
        "nodes 2: mean latency {l2} s, theory in [{lo}, {hi}] ± {half2}"
    );
    let cpu2 = r2.instances[0].cpu_utilization;
    let theory_cpu2 = 100.0 * (2.0 * c / p + lambda * s);
    assert!(
        (cpu2 - theory_cpu2).abs() < 0.01,
        "CPU {cpu2} %, theory {theory_cpu2} %"
    );

    // Direction and size: a second node at least doubles the checks' share of the latency.
    assert!(
        l2 - l1 >= v1 - half1 - half2,
        "nodes 2 vs 1: {l2} vs {l1} s, expected at least {v1} s more"
    );
}

/// The activity history says why a group stops failing open. When the last unhealthy target is
/// deregistered, no target is healthy (HealthyHostCount 0): the group stops failing open because
/// nothing unhealthy is left to route to, so a message that "a target is healthy again" is wrong.
/// Invariant checked: every `target-group` message announcing a healthy target coincides with a
/// target's transition to `healthy`.
#[test]
fn fail_open_end_is_not_attributed_to_a_healthy_target_when_none_is() {
    let mut m = web(
        1,
        40.05,
        10.0,
        health_check(5, 2, 2, 2, Some(0.0)),
        &["a"],
        &["a"],
    );
    m["faults"] = json!([{ "type": "health_path_broken", "instance": "a", "at": 0.55 }]);
    m["operations"] =
        json!([{ "at": 20.05, "action": "deregister", "target_group": "web", "instance": "a" }]);
    let r = run_value(&m);
    let healthy_at: Vec<f64> = r
        .activity
        .iter()
        .filter(|a| {
            matches!(&a.kind, ActivityKind::TargetHealth(TargetHealth::Transition(x)) if x.to == Healthy)
        })
        .map(|a| a.time_seconds)
        .collect();
    for (t, msg) in fail_open(&r, "web") {
        if msg == FailOpen::EndedHealthyAgain {
            assert!(
                healthy_at.iter().any(|&h| (h - t).abs() < 1e-9),
                "at {t} s: {msg:?}, but no target became healthy then (transitions at {healthy_at:?}); \
                 HealthyHostCount is 0"
            );
        }
    }
}

/// `first_check_delay` must be at most one interval (its own error message says so); 10.5 s with
/// a 10 s interval is more.
#[test]
fn first_check_delay_longer_than_the_interval_is_rejected() {
    let m = web(
        1,
        60.0,
        10.0,
        health_check(10, 5, 2, 2, Some(10.5)),
        &["web-1"],
        &["web-1"],
    );
    let e = albsim::scenario::from_json(&m.to_string(), std::path::Path::new("x.json"));
    assert!(
        e.is_err(),
        "first_check_delay 10.5 s with HealthCheckIntervalSeconds 10 was accepted"
    );
}
