//! Injected faults, with the client-visible consequences the documented rules imply
//! (`aws-behavior.md` §1 health checks, §7 ALB-generated codes, §8 metrics):
//!
//! - `crash`: connections refused → 502 and `TargetConnectionErrorCount`, until the target is
//!   unhealthy (`Target.FailedHealthChecks`); round robin sends the crashed target its share;
//! - `hang`: connected, no answer → 504 at exactly `idle_timeout.timeout_seconds`, checks time out
//!   (`Target.Timeout`);
//! - `health_path_broken`: `Target.ResponseCodeMismatch` unless `Matcher` accepts the code, while
//!   traffic is still served;
//! - `network_blocked` (the security-group mistake): new targets never pass a check
//!   (`initial → unhealthy`, `Target.Timeout`), the group fails open, clients get 504 after the
//!   10 s connect timeout, each counted in `TargetConnectionErrorCount` (health checks are not:
//!   "Metrics for Application Load Balancers exclude health check requests", ALB-CW);
//! - `application_errors` (a gray failure): the target answers its status to its share of the
//!   requests it completes, counted in `HTTPCode_Target_5XX_Count`, while its health checks pass,
//!   so round robin keeps sending it its share;
//! - `slow` multiplies service times; `az_outage` hits only that AZ's instances;
//! - random faults (`mean_time_between_failures`, `mean_time_to_recover`) strike as many times as
//!   renewal theory says, and the same seed gives the same faults.

use crate::common::{
    CHECK_MS, R, Z_999, arrivals_between, assert_half, assert_time, assert_transition,
    checked_group, client, completed, constant_ms, constant_rate, fail_open, faults, health_check,
    http_listener, instance, instance_in, model, next_check_after, poisson, run_value, status,
    sum_rows, transitions,
};
use albsim::RunResult;
use albsim::recorder::{Fault, TargetState};
use serde_json::{Value, json};

/// Targets `test.c4` with 4 workers behind round robin, all registered before the run; a client
/// with 5 ms constant service (`arrival`); 1 s metric periods. At ≤ 100 req/s and 4 workers a
/// request or a 1 ms check essentially never waits.
fn web(seed: u64, seconds: f64, arrival: Value, hc: Value, instances: Value) -> Value {
    let ids: Vec<String> = instances
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap().to_string())
        .collect();
    let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
    let mut m = model(
        "faults",
        seed,
        seconds,
        json!([client("c", arrival, constant_ms(5.0))]),
        json!([http_listener(json!([]), "web")]),
        json!([checked_group("web", &ids, hc)]),
        instances,
    );
    m["metrics"] = json!({ "period": 1 });
    m
}

fn two() -> Value {
    json!([instance("a", "test.c4", 4), instance("b", "test.c4", 4)])
}

fn tce(r: &RunResult) -> u64 {
    r.periods
        .iter()
        .map(|p| p.target_connection_error_count)
        .sum()
}

/// Poisson arrivals (λ = 100/s) over two targets; `a` crashes at 125 s (to the end). Checks every
/// 10 s at phase 0, UnhealthyThresholdCount 3: the failures at 130, 140, 150 s make it unhealthy at
/// exactly 150 s. In between, round robin gives it every other request: of the N requests that
/// arrive in [125, 150) it refuses ⌊N/2⌋ or ⌈N/2⌉ (502, each a target connection error), where N
/// is Poisson(λW), W = 25 s, so the count is λW/2 within z·√(λW)/2 (+1 for the rounding).
/// Requests it held at the crash are reset (502 without a connection error): at 50/s and 5 ms
/// that is ≈ 0.25 on average, at most 4 here (P(≥ 5) ≈ 10⁻⁵). Before 125 s and after 150 s
/// everything is 200.
#[test]
fn crash_fails_its_share_of_requests_until_the_target_is_unhealthy() {
    let (lambda, crash, interval, u) = (100.0, 125.0, 10.0, 3.0);
    let t_u = next_check_after(crash, 0.0, interval) + (u - 1.0) * interval;
    assert_eq!(t_u, 150.0);
    let window = t_u - crash;
    for seed in 1..=3 {
        let mut m = web(
            seed,
            200.0,
            poisson(lambda),
            health_check(10, 5, 3, 3, Some(0.0)),
            two(),
        );
        m["faults"] = json!([{ "type": "crash", "instance": "a", "at": crash }]);
        let r = run_value(&m);

        let t = transitions(&r, "web/a");
        assert_eq!(t.len(), 1, "{t:?}");
        assert_transition(
            t[0],
            t_u,
            (
                TargetState::Healthy,
                TargetState::Unhealthy,
                "Target.FailedHealthChecks",
            ),
            "a",
        );

        let n = sum_rows(&r, crash, t_u, |p| p.request_count);
        let refused = tce(&r);
        assert_eq!(
            sum_rows(&r, crash, t_u, |p| p.target_connection_error_count),
            refused
        );
        assert_half(
            refused,
            n,
            "refused connections in the window (round robin)",
        );
        let mean = lambda * window / 2.0;
        let half = Z_999 * (lambda * window).sqrt() / 2.0 + 1.0;
        assert!(
            (refused as f64 - mean).abs() <= half,
            "seed {seed}: {refused} refused, expected {mean} ± {half}"
        );

        let n502 = status(&r, 502);
        assert!(
            (refused..=refused + 4).contains(&n502),
            "seed {seed}: {n502} 502s vs {refused} refused connections"
        );
        assert_eq!(status(&r, 200) + n502, r.responses(), "only 200 and 502");
        assert_eq!(
            sum_rows(&r, crash, t_u, |p| p.elb.c502),
            n502,
            "every 502 is in [crash, unhealthy)"
        );
        assert_eq!(sum_rows(&r, 0.0, crash, |p| p.elb.c5xx), 0);
        assert_eq!(sum_rows(&r, t_u, 1e9, |p| p.elb.c5xx + p.target.c5xx), 0);
        assert!(sum_rows(&r, t_u, 1e9, |p| p.target.c2xx) > 0);
    }
}

/// `a` hangs at 125.55 s. Checks every 10 s at phase 0.35 s, timeout 5 s, threshold 2: the checks
/// of 130.35 and 140.35 s time out at 135.35 and 145.35 s → unhealthy (`Target.Timeout`) at
/// 145.35 s. Requests sent to `a` in between (every other one of the arrivals at k·100 ms in
/// (125.55, 145.35)) get 504 after exactly the idle timeout, 3 s; none is a connection error. Every
/// other request is answered by its target in exactly 5 ms (nothing queues), so the mean latency is
/// exactly (5·n₂₀₀ + 3000·n₅₀₄)/n.
#[test]
fn hang_gives_504_at_exactly_the_idle_timeout_and_target_timeout() {
    let (rate, hang, phase, interval, timeout) = (10u64, 125.55, 0.35, 10.0, 5.0);
    let mut m = web(
        1,
        200.05,
        constant_rate(rate as f64),
        health_check(10, 5, 2, 2, Some(phase)),
        two(),
    );
    m["load_balancer"]["attributes"]["idle_timeout.timeout_seconds"] = json!(3);
    m["faults"] = json!([{ "type": "hang", "instance": "a", "at": hang }]);
    let r = run_value(&m);

    let t_u = next_check_after(hang, phase, interval) + interval + timeout;
    let t = transitions(&r, "web/a");
    assert_eq!(t.len(), 1, "{t:?}");
    assert_transition(
        t[0],
        t_u,
        (
            TargetState::Healthy,
            TargetState::Unhealthy,
            "Target.Timeout",
        ),
        "hang",
    );

    let window = arrivals_between(rate, hang, t_u);
    let n504 = status(&r, 504);
    assert_half(n504, window, "504s: a's share of the window");
    let n200 = status(&r, 200);
    assert_eq!(
        n200 + n504,
        r.requests_total,
        "all answered, only 200 and 504"
    );
    let l = r.latency_ms.as_ref().unwrap();
    assert_eq!(l.max, 3000.0, "504 at exactly the idle timeout");
    let mean = (5.0 * n200 as f64 + 3000.0 * n504 as f64) / (n200 + n504) as f64;
    assert!(
        (l.mean - mean).abs() < 1e-9 * mean,
        "mean latency {} ms, expected {mean} (every 504 at 3000 ms, every 200 at 5 ms)",
        l.mean
    );
    assert_eq!(tce(&r), 0, "a hung target accepts connections");
    // The 504s come 3 s after dispatches in (125.55, 145.35).
    assert_eq!(sum_rows(&r, 128.0, 149.0, |p| p.elb.c504), n504);
}

/// `health_path_broken` (500) on `a` at 125.55 s: the checks of 130.35 and 140.35 s are answered
/// 500 (`CHECK_MS` later) → unhealthy at 140.35 s + `CHECK_MS` with `Target.ResponseCodeMismatch`.
/// Traffic is still served: every response is 200, and `a` served half of the requests that
/// arrived before it was taken out.
#[test]
fn broken_health_path_is_a_response_code_mismatch_while_traffic_still_works() {
    let (rate, at, phase, seconds) = (10u64, 125.55, 0.35, 200.05);
    let mut m = web(
        1,
        seconds,
        constant_rate(rate as f64),
        health_check(10, 5, 2, 2, Some(phase)),
        two(),
    );
    m["faults"] = json!([{ "type": "health_path_broken", "instance": "a", "at": at }]);
    let r = run_value(&m);
    let t_u = next_check_after(at, phase, 10.0) + 10.0 + CHECK_MS / 1000.0;
    let t = transitions(&r, "web/a");
    assert_eq!(t.len(), 1, "{t:?}");
    assert_transition(
        t[0],
        t_u,
        (
            TargetState::Healthy,
            TargetState::Unhealthy,
            "Target.ResponseCodeMismatch",
        ),
        "a",
    );
    assert!(t[0].1.detail.contains("500"), "{t:?}");
    assert_eq!(status(&r, 200), r.requests_total, "{:?}", r.by_status);
    assert_half(
        completed(&r, "a"),
        arrivals_between(rate, 0.0, t_u),
        "a's requests before the transition",
    );
    assert!(transitions(&r, "web/b").is_empty());
}

/// `application_errors` with share 1 on `a` from 50 s to 150 s, 10 req/s constant over two
/// targets: round robin keeps giving `a` every other request (its health path still passes, so
/// nothing changes state), and exactly the requests `a` completes in that window are answered
/// 503 by the target — half the arrivals of [50, 150) within the rotation's ±1 — counted as
/// target 5xx, not ELB 5xx.
#[test]
fn application_errors_are_a_gray_failure_health_checks_never_see() {
    let (rate, seconds) = (10u64, 200.05);
    let mut m = web(
        1,
        seconds,
        constant_rate(rate as f64),
        health_check(10, 5, 2, 2, Some(0.35)),
        two(),
    );
    m["faults"] = json!([{ "type": "application_errors", "instance": "a", "at": 50.02,
                           "duration": 100.0, "share": 1.0, "status_code": 503 }]);
    let r = run_value(&m);
    assert!(transitions(&r, "web/a").is_empty());
    assert!(fail_open(&r, "web").is_empty());
    let window = arrivals_between(rate, 50.02, 150.02);
    assert_half(status(&r, 503), window, "a's requests during the fault");
    assert_eq!(status(&r, 503) + status(&r, 200), r.requests_total);
    assert_half(
        completed(&r, "a"),
        r.requests_total,
        "a keeps its round-robin share",
    );
    let target_5xx: u64 = r.periods.iter().map(|p| p.target.c5xx).sum();
    let elb_5xx: u64 = r.periods.iter().map(|p| p.elb.c5xx).sum();
    assert_eq!((target_5xx, elb_5xx), (status(&r, 503), 0));
}

/// A share below 1: of the N requests `a` completes while the fault lasts (the whole run), the
/// 500s are Binomial(N, 0.3): 0.3·N within z·√(N·0.3·0.7) at 99.9 %.
#[test]
fn application_errors_answer_their_share_of_requests() {
    let seconds = 600.0;
    let mut m = web(
        2,
        seconds,
        poisson(50.0),
        health_check(10, 5, 2, 2, Some(0.35)),
        two(),
    );
    m["faults"] =
        json!([{ "type": "application_errors", "instance": "a", "at": 0.0, "share": 0.3 }]);
    let r = run_value(&m);
    let n = completed(&r, "a") as f64;
    let errors = status(&r, 500) as f64;
    let half = Z_999 * (n * 0.3 * 0.7).sqrt();
    assert!(
        (errors - 0.3 * n).abs() < half,
        "{errors} errors of {n} completed by a, expected {} ± {half}",
        0.3 * n
    );
    assert!(transitions(&r, "web/a").is_empty());
}

#[test]
fn application_errors_need_a_share_and_a_server_error_status() {
    for (fault, says) in [
        (
            json!({ "type": "application_errors", "instance": "a", "at": 1.0 }),
            "faults[0].share: an application_errors fault needs a share",
        ),
        (
            json!({ "type": "application_errors", "instance": "a", "at": 1.0, "share": 0 }),
            "faults[0].share: expected a share above 0 and at most 1, got 0",
        ),
        (
            json!({ "type": "application_errors", "instance": "a", "at": 1.0, "share": 1.5 }),
            "expected a share above 0 and at most 1, got 1.5",
        ),
        (
            json!({ "type": "application_errors", "instance": "a", "at": 1.0, "share": 0.5, "status_code": 404 }),
            "faults[0].status_code: expected a server error status 500–599, got 404",
        ),
        (
            json!({ "type": "crash", "instance": "a", "at": 1.0, "share": 0.5 }),
            "faults[0].share: share applies only to application_errors faults",
        ),
    ] {
        let mut m = web(
            1,
            10.0,
            poisson(1.0),
            health_check(10, 5, 2, 2, None),
            two(),
        );
        m["faults"] = json!([fault]);
        let e = albsim::scenario::from_json(&m.to_string(), std::path::Path::new("m.json"))
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(e.contains(says), "{says:?} not in {e}");
    }
}

/// The health path answers 204. `Matcher` "200-299" accepts it: the target stays healthy and keeps
/// half the traffic. With the default matcher ("200") the same fault is a
/// `Target.ResponseCodeMismatch` at the usual time.
#[test]
fn matcher_range_accepts_a_204_health_answer() {
    let (rate, at, phase, seconds) = (10u64, 125.55, 0.35, 200.05);
    let run = |matcher: Option<&str>| {
        let mut hc = health_check(10, 5, 2, 2, Some(phase));
        if let Some(codes) = matcher {
            hc["Matcher"] = json!({ "HttpCode": codes });
        }
        let mut m = web(1, seconds, constant_rate(rate as f64), hc, two());
        m["faults"] = json!([
            { "type": "health_path_broken", "instance": "a", "at": at, "status_code": 204 }
        ]);
        run_value(&m)
    };
    let r = run(Some("200-299"));
    assert!(transitions(&r, "web/a").is_empty(), "204 is in 200-299");
    assert_half(
        completed(&r, "a"),
        r.requests_total,
        "a keeps its share all along",
    );

    let r = run(None);
    let t = transitions(&r, "web/a");
    assert_eq!(t.len(), 1, "{t:?}");
    let t_u = next_check_after(at, phase, 10.0) + 10.0 + CHECK_MS / 1000.0;
    assert_transition(
        t[0],
        t_u,
        (
            TargetState::Healthy,
            TargetState::Unhealthy,
            "Target.ResponseCodeMismatch",
        ),
        "a",
    );
}

/// The security-group mistake: two instances registered at 0 whose security group drops the
/// ALB's traffic (`network_blocked` from 0). Node 0 checks at 2.05 and 12.05 s; both time out
/// (5 s): `initial → unhealthy` (`Target.Timeout`) at 17.05 s; they are never healthy. Until then
/// the ALB has no target in service and answers 503; then the group fails open (logged once) and
/// sends requests to the unreachable targets: 504 after exactly the 10 s connect timeout, each a
/// target connection error; health checks are not counted (ALB-CW). Arrivals at k·100 ms to
/// 60.02 s: those of the last 10 s are still connecting at the end.
#[test]
fn blocked_security_group_targets_never_become_healthy_and_clients_get_504() {
    let (rate, first, seconds) = (10u64, 2.05, 60.02);
    let mut m = web(
        1,
        seconds,
        constant_rate(rate as f64),
        health_check(10, 5, 5, 2, Some(first)),
        two(),
    );
    m["target_groups"][0]["targets"] = json!([]);
    m["operations"] = json!([
        { "at": 0, "action": "register", "target_group": "web", "instance": "a" },
        { "at": 0, "action": "register", "target_group": "web", "instance": "b" }
    ]);
    m["faults"] = json!([
        { "type": "network_blocked", "instance": "a", "at": 0 },
        { "type": "network_blocked", "instance": "b", "at": 0 }
    ]);
    let r = run_value(&m);

    let t_u = first + 10.0 + 5.0;
    for s in ["web/a", "web/b"] {
        let t = transitions(&r, s);
        assert_eq!(t.len(), 1, "{s}: {t:?}");
        assert_transition(
            t[0],
            t_u,
            (
                TargetState::Initial,
                TargetState::Unhealthy,
                "Target.Timeout",
            ),
            s,
        );
    }
    let open = fail_open(&r, "web");
    assert_eq!(open.len(), 1, "{open:?}");
    assert_time(open[0].0, t_u, "fail open");

    let before = arrivals_between(rate, 0.0, t_u);
    let routed = arrivals_between(rate, t_u, seconds);
    let answered = arrivals_between(rate, t_u, seconds - 10.0);
    assert_eq!(
        r.by_status.clone().into_iter().collect::<Vec<_>>(),
        vec![(503, before), (504, answered)]
    );
    assert_eq!(r.in_flight_at_end(), routed - answered);
    assert_eq!(
        tce(&r),
        routed,
        "one connection error per routed request, none per check"
    );
    let l = r.latency_ms.as_ref().unwrap();
    assert_eq!(l.max, 10_000.0, "504 after the 10 s connect timeout");
    let mean = 10_000.0 * answered as f64 / (before + answered) as f64;
    assert!((l.mean - mean).abs() < 1e-9 * mean, "{} vs {mean}", l.mean);
    let last = r.periods.last().unwrap();
    assert_eq!((last.hosts[0].healthy, last.hosts[0].unhealthy), (0.0, 2.0));
}

/// `slow` ×3 from 30.05 s on a 10 ms constant service: `TargetResponseTime` is exactly 10 ms in
/// the 10 s periods before and 30 ms in those after (nothing queues: 4 workers, 100 ms between
/// requests), and the CPU the requests use triples.
#[test]
fn slow_fault_multiplies_the_service_time() {
    let mut m = model(
        "slow",
        1,
        90.05,
        json!([client("c", constant_rate(10.0), constant_ms(10.0))]),
        json!([http_listener(json!([]), "web")]),
        json!([checked_group(
            "web",
            &["a"],
            health_check(10, 5, 2, 2, Some(0.35))
        )]),
        json!([instance("a", "test.c4", 4)]),
    );
    m["metrics"] = json!({ "period": 10 });
    m["faults"] = json!([{ "type": "slow", "instance": "a", "at": 30.05, "factor": 3 }]);
    let r = run_value(&m);
    let rows: Vec<_> = r
        .periods
        .iter()
        .filter(|p| p.length_seconds == 10.0)
        .collect();
    let (before, after): (Vec<&&albsim::recorder::PeriodRow>, Vec<_>) = rows
        .iter()
        .filter(|p| p.start_seconds != 30.0)
        .partition(|p| p.start_seconds < 30.0);
    assert_eq!((before.len(), after.len()), (3, 5));
    // Averages of identical integer-ns durations: exact up to float rounding. p50/p99 come from a
    // histogram with 3 significant digits: within 0.1 %.
    for (rows, expected) in [(&before, 0.010), (&after, 0.030)] {
        for p in rows {
            let avg = p.target_response_time_avg.unwrap();
            assert!((avg - expected).abs() < 1e-12, "{}: {avg}", p.start_seconds);
            let p50 = p.target_response_time_p50.unwrap();
            assert!(
                (p50 / expected - 1.0).abs() <= 1e-3,
                "{}: {p50}",
                p.start_seconds
            );
        }
    }
    // CPU: 100 requests × 10 ms per 10 s on 4 vCPUs = 2.5 %, ×3 after; the checks (1 ms per node
    // per period, also ×3) add ≤ 0.005 % before and ≤ 0.015 % after.
    // (The first period is skipped: its first request arrives at 0.1 s, so it holds 99.)
    for p in before.iter().filter(|p| p.start_seconds > 0.0) {
        assert!(
            (p.cpu_utilization[0].expect("instance running") - 2.5).abs() <= 0.006,
            "{:?}",
            p.cpu_utilization
        );
    }
    for p in &after {
        assert!(
            (p.cpu_utilization[0].expect("instance running") - 7.5).abs() <= 0.016,
            "{:?}",
            p.cpu_utilization
        );
    }
}

/// An outage of us-east-1a at 20.55 s takes out a1 and a2 (unreachable and hung), not b1 in
/// us-east-1b. Checks (phase 0.35 s, 10 s, timeout 5 s, threshold 2) of a1 and a2 time out from
/// 30.35 s: both are unhealthy at 45.35 s with `Target.Timeout`; b1 never changes. Requests
/// routed to a1/a2 in between (two of every three, round robin) get 504 after the 10 s connect
/// timeout, each a connection error; after 45.35 s b1 serves everything.
#[test]
fn az_outage_hits_only_that_zones_instances() {
    let (rate, at, phase, seconds) = (10u64, 20.55, 0.35, 80.05);
    let mut m = web(
        1,
        seconds,
        constant_rate(rate as f64),
        health_check(10, 5, 2, 2, Some(phase)),
        json!([
            instance_in("a1", "test.c4", 4, "us-east-1a"),
            instance_in("a2", "test.c4", 4, "us-east-1a"),
            instance_in("b1", "test.c4", 4, "us-east-1b")
        ]),
    );
    m["faults"] = json!([{ "type": "az_outage", "availability_zone": "us-east-1a", "at": at }]);
    let r = run_value(&m);

    let f = faults(&r, "AZ us-east-1a");
    assert_eq!(f.len(), 1, "{f:?}");
    assert_time(f[0].0, at, "outage");
    let t_u = next_check_after(at, phase, 10.0) + 10.0 + 5.0;
    for s in ["web/a1", "web/a2"] {
        let t = transitions(&r, s);
        assert_eq!(t.len(), 1, "{s}: {t:?}");
        assert_transition(
            t[0],
            t_u,
            (
                TargetState::Healthy,
                TargetState::Unhealthy,
                "Target.Timeout",
            ),
            s,
        );
    }
    assert!(transitions(&r, "web/b1").is_empty(), "b1 is in another AZ");

    let n = arrivals_between(rate, at, t_u);
    let n504 = status(&r, 504);
    assert!(
        (n - n.div_ceil(3)..=n - n / 3).contains(&n504),
        "{n504} 504s, expected two thirds of {n}"
    );
    assert_eq!(tce(&r), n504);
    assert_eq!(status(&r, 200) + n504, r.requests_total);
    assert_eq!(r.latency_ms.as_ref().unwrap().max, 10_000.0);
    assert_eq!(sum_rows(&r, t_u + 10.0, 1e9, |p| p.elb.c5xx), 0);
    let total: u64 = ["a1", "a2", "b1"].iter().map(|i| completed(&r, i)).sum();
    assert_eq!(total, status(&r, 200));
}

/// Crash start and end times of a random `crash` fault on `web-1`.
fn crash_times(r: &RunResult) -> (Vec<f64>, Vec<f64>) {
    let log = faults(r, "web-1");
    let starts = log
        .iter()
        .filter(|(_, x)| matches!(x, Fault::Starts { fault: "crash", .. }))
        .map(|l| l.0);
    let ends = log
        .iter()
        .filter(|(_, x)| matches!(x, Fault::Ends { fault: "crash" }))
        .map(|l| l.0);
    (starts.collect(), ends.collect())
}

fn random_crash_model(seed: u64, seconds: f64, mtbf: f64, mttr: f64) -> Value {
    let mut m = web(
        seed,
        seconds,
        constant_rate(0.1),
        health_check(30, 5, 5, 2, None),
        json!([
            instance("web-1", "test.c4", 4),
            instance("web-2", "test.c4", 4)
        ]),
    );
    m["metrics"] = json!({ "period": 3600 });
    m["faults"] = json!([{ "type": "crash", "instance": "web-1",
        "mean_time_between_failures": mtbf, "mean_time_to_recover": mttr }]);
    m
}

/// Random crashes with exponential up times (mean m = 600 s) and repair times (mean r = 60 s):
/// crash starts form a renewal process with cycle X = up + down, μ = m + r, σ² = m² + r². Over a
/// day D, N(D) ≈ D/μ with variance D·σ²/μ³ (renewal CLT; for r → 0 this is the Poisson count D/m).
/// Summed over R seeds the count is within z·√(R·Var); the first cycle being an up time alone
/// shifts E[N] by E[X²]/(2μ²) − m/μ ≈ 0.01 per run, negligible. The repair times average r within
/// z·r/√n (exponential: sd = mean).
#[test]
fn random_crashes_occur_as_often_as_renewal_theory_predicts() {
    let (mtbf, mttr, day): (f64, f64, f64) = (600.0, 60.0, 86_400.0);
    let mu = mtbf + mttr;
    let var = day * (mtbf * mtbf + mttr * mttr) / mu.powi(3);
    let (mut crashes, mut downtime, mut repairs) = (0usize, 0.0, 0usize);
    for seed in 1..=R {
        let r = run_value(&random_crash_model(seed, day, mtbf, mttr));
        let (starts, ends) = crash_times(&r);
        assert!(
            ends.len() == starts.len() || ends.len() + 1 == starts.len(),
            "seed {seed}: {} starts, {} ends",
            starts.len(),
            ends.len()
        );
        for (s, e) in starts.iter().zip(&ends) {
            assert!(e > s);
            downtime += e - s;
            repairs += 1;
        }
        crashes += starts.len();
    }
    let expected = R as f64 * day / mu;
    let half = Z_999 * (R as f64 * var).sqrt();
    eprintln!("random crashes: {crashes} over {R} days, theory {expected:.1} ± {half:.1}");
    assert!(
        (crashes as f64 - expected).abs() <= half,
        "{crashes} crashes, expected {expected:.1} ± {half:.1}"
    );
    let mean_repair = downtime / repairs as f64;
    let half = Z_999 * mttr / (repairs as f64).sqrt();
    assert!(
        (mean_repair - mttr).abs() <= half,
        "mean repair {mean_repair:.1} s, expected {mttr} ± {half:.1}"
    );
}

/// The same seed gives the same faults (and the same everything); another seed other faults.
#[test]
fn random_faults_are_deterministic_per_seed() {
    let a = run_value(&random_crash_model(3, 20_000.0, 600.0, 60.0));
    let b = run_value(&random_crash_model(3, 20_000.0, 600.0, 60.0));
    let c = run_value(&random_crash_model(4, 20_000.0, 600.0, 60.0));
    assert!(!crash_times(&a).0.is_empty());
    assert_eq!(a.activity, b.activity);
    assert_eq!(a.by_status, b.by_status);
    assert_eq!(a.periods, b.periods);
    assert_ne!(crash_times(&a).0, crash_times(&c).0);
}

/// The only target hangs at 20.55 s for 40 s (idle timeout 3 s; checks at phase 0.35 s every
/// 10 s, timeout 5 s, UnhealthyThresholdCount 2, HealthyThresholdCount 2). Timeline:
/// - checks of 30.35 and 40.35 s time out: unhealthy (`Target.Timeout`) at 45.35 s; with no
///   healthy target left the group fails open, so requests keep going to it;
/// - a request arriving in (20.55, 57.55) gets 504 at exactly +3 s (arrivals at k·100 ms);
/// - at 60.55 s the application restarts and resets the requests it still held — those of the last
///   3 s, not yet timed out: 502 (the target closed the connection with a request outstanding,
///   §7), all at 60.55 s;
/// - it then serves again (200, fail open) and its checks pass from 70.35 s: healthy at
///   80.35 s + `CHECK_MS`, and the group stops failing open.
#[test]
fn hang_recovery_resets_held_requests_and_the_target_recovers_on_schedule() {
    let (rate, hang, down, phase, idle, seconds) = (10u64, 20.55, 40.0, 0.35, 3.0, 100.05);
    let end = hang + down;
    let mut m = web(
        1,
        seconds,
        constant_rate(rate as f64),
        health_check(10, 5, 2, 2, Some(phase)),
        json!([instance("a", "test.c4", 4)]),
    );
    m["load_balancer"]["attributes"]["idle_timeout.timeout_seconds"] = json!(idle);
    m["faults"] = json!([{ "type": "hang", "instance": "a", "at": hang, "duration": down }]);
    let r = run_value(&m);

    let t_u = next_check_after(hang, phase, 10.0) + 10.0 + 5.0;
    let t_h = next_check_after(end, phase, 10.0) + 10.0 + CHECK_MS / 1000.0;
    let t = transitions(&r, "web/a");
    assert_eq!(t.len(), 2, "{t:?}");
    assert_transition(
        t[0],
        t_u,
        (
            TargetState::Healthy,
            TargetState::Unhealthy,
            "Target.Timeout",
        ),
        "hang",
    );
    assert_transition(
        t[1],
        t_h,
        (TargetState::Unhealthy, TargetState::Healthy, ""),
        "restarted",
    );
    let open = fail_open(&r, "web");
    assert_eq!(open.len(), 2, "{open:?}");
    assert_time(open[0].0, t_u, "fail open");
    assert_time(open[1].0, t_h, "fail open ends");

    let n504 = arrivals_between(rate, hang, end - idle);
    let n502 = arrivals_between(rate, end - idle, end);
    assert_eq!(
        status(&r, 504),
        n504,
        "every request sent to the hung target times out"
    );
    assert_eq!(
        status(&r, 502),
        n502,
        "the requests it held at the restart are reset"
    );
    assert_eq!(
        sum_rows(&r, 60.0, 61.0, |p| p.elb.c502),
        n502,
        "all at {end} s"
    );
    assert_eq!(status(&r, 200), r.requests_total - n504 - n502);
    assert_eq!(tce(&r), 0);
}

/// `a` becomes unreachable at 20.55 s while serving 1 s requests arriving every 200 ms (idle
/// timeout 4 s; `test.c10` with 10 workers: at most 5 requests and two checks at once, even when
/// `b` takes everything, so nothing queues). Two kinds of 504
/// (§7):
/// - the requests `a` was serving (every other arrival in (19.55, 20.55)) finish, but their
///   responses cannot get back: 504 at exactly the idle timeout, not connection errors;
/// - requests routed to `a` from 20.55 s until it is unhealthy (checks of 30.35 and 40.35 s time
///   out: 45.35 s, `Target.Timeout`) cannot connect: 504 after exactly 10 s, each a connection
///   error.
///
/// Every other request takes exactly 1 s (200), so the mean latency is exact.
#[test]
fn network_blocked_on_a_serving_target_loses_responses_and_connections() {
    let (rate, at, phase, idle, seconds) = (5u64, 20.55, 0.35, 4.0, 80.05);
    let mut m = web(
        1,
        seconds,
        constant_rate(rate as f64),
        health_check(10, 5, 2, 2, Some(phase)),
        json!([instance("a", "test.c10", 10), instance("b", "test.c10", 10)]),
    );
    m["clients"][0]["requests"][0]["service_time"] = constant_ms(1000.0);
    m["load_balancer"]["attributes"]["idle_timeout.timeout_seconds"] = json!(idle);
    m["faults"] = json!([{ "type": "network_blocked", "instance": "a", "at": at }]);
    let r = run_value(&m);

    let t_u = next_check_after(at, phase, 10.0) + 10.0 + 5.0;
    let t = transitions(&r, "web/a");
    assert_eq!(t.len(), 1, "{t:?}");
    assert_transition(
        t[0],
        t_u,
        (
            TargetState::Healthy,
            TargetState::Unhealthy,
            "Target.Timeout",
        ),
        "blocked",
    );

    let n504 = status(&r, 504);
    let refused = tce(&r);
    let lost = n504 - refused;
    assert_half(lost, arrivals_between(rate, at - 1.0, at), "responses lost");
    assert_half(
        refused,
        arrivals_between(rate, at, t_u),
        "connections that timed out",
    );
    let n200 = status(&r, 200);
    assert_eq!(n200 + n504, r.requests_total - r.in_flight_at_end());
    let l = r.latency_ms.as_ref().unwrap();
    assert_eq!(l.max, 10_000.0);
    let mean = (1000.0 * n200 as f64 + 1000.0 * idle * lost as f64 + 10_000.0 * refused as f64)
        / (n200 + n504) as f64;
    assert!(
        (l.mean - mean).abs() < 1e-9 * mean,
        "mean latency {} ms, expected {mean} (200 at 1 s, lost at {idle} s, unconnected at 10 s)",
        l.mean
    );
}
