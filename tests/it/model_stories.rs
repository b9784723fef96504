//! Every shipped model tells a story in its `description`. One test per model loads the real file
//! (`models/<name>.json`, through `albsim::scenario::load`) and checks that the story happens.
//!
//! Expectations come from the documented AWS rules (`aws-behavior.md`) and from the model's own
//! parameters, never from a run's output:
//!
//! - counts of random events against 99.9 % binomial or Poisson intervals ([`Z_999`]);
//! - CPU against the utilisation law U = λ·E\[S\]/vCPUs (CPU time is work-conserving, so it holds
//!   with processor sharing too), with a 99.9 % interval on the busy time: a compound Poisson
//!   sum of service times has variance λ·t·E\[S²\] ([`cpu_half`]);
//! - event times against the health-check schedule: node 0 checks every interval, a passing
//!   check completes about 1 ms after it is sent, and "response time does not shift the next
//!   check" (§1.1).
//!
//! Where a model is rerun as a variant (truncated, or a client removed), the variant is built from
//! the file's raw JSON.

use crate::common::{
    TIME_TOL, Z_999, alarm_rows, asg_activity, asg_times, assert_binomial, assert_near,
    assert_poisson, capacity_at, capacity_rows, completed, fail_open, faults, first_alarm,
    group_index, group_requests, instance_index, lognormal_moments, mean_cpu, model_file_json,
    run_model_file, run_value, slow_starts, status, sum_rows, transitions, tt_alarms,
    utilisation_law,
};
use albsim::RunResult;
use albsim::recorder::PeriodRow;
use albsim::recorder::TargetState::{Draining, Healthy, Initial, Unhealthy, Unused};
use albsim::recorder::{
    FailOpen, FailOpenCause, Fault, PolicyNote, RoutingThreshold, ScalingActivity, ScalingCause,
    TargetState, Transition,
};
use serde_json::json;

/// CloudWatch period of every shipped model (none sets `metrics.period`; the default is 60 s).
const PERIOD: f64 = 60.0;

/// Health checks cost 1 ms of CPU each (README, `health_check.service_time` default), from 2 load
/// balancer nodes: at most 2 ms per 10 s interval on 2 vCPUs, i.e. < 0.01 % CPU. Added to every
/// CPU tolerance below.
const CHECK_CPU: f64 = 0.01;

/// Slack [s] on the time of a transition to `healthy`: the passing check completes after its
/// 1 ms (×5 on a slowed instance) of CPU; an idle instance answers in a few ms at most.
const PASS_SLACK: f64 = 0.01;

/// Half-width [CPU %] of a 99.9 % interval on the mean CPU over `seconds` of an instance with
/// `vcpus` vCPUs receiving requests at `rate` per second with service-time second moment `es2`
/// [ms²]. The busy time is a compound Poisson sum with variance λ·t·E\[S²\]; the streams that round
/// robin or least outstanding requests split off a Poisson stream are more regular than Poisson,
/// so the interval is conservative for them.
fn cpu_half(rate: f64, es2: f64, seconds: f64, vcpus: f64) -> f64 {
    Z_999 * 100.0 * (rate * seconds * es2 * 1e-6).sqrt() / (seconds * vcpus) + CHECK_CPU
}

/// Utilisation law: CPU [%] of an instance with `vcpus` vCPUs receiving `rate` requests per second
/// of mean service time `es` [ms].
fn utilisation(rate: f64, es: f64, vcpus: f64) -> f64 {
    100.0 * rate * es / 1000.0 / vcpus
}

/// The periods starting in `[from, to)` [s].
fn periods(r: &RunResult, from: f64, to: f64) -> impl Iterator<Item = &PeriodRow> {
    r.periods
        .iter()
        .filter(move |p| p.start_seconds >= from && p.start_seconds < to)
}

/// The first period boundary at or after `t` [s].
fn next_boundary(t: f64) -> f64 {
    (t / PERIOD).ceil() * PERIOD
}

/// The one transition of `subject` from `from` to `to`, as (time, transition).
fn transition<'a>(
    r: &'a RunResult,
    subject: &str,
    (from, to): (TargetState, TargetState),
) -> (f64, &'a Transition) {
    let found: Vec<(f64, &Transition)> = transitions(r, subject)
        .into_iter()
        .filter(|(_, x)| (x.from, x.to) == (from, to))
        .collect();
    assert_eq!(
        found.len(),
        1,
        "{subject}: expected one {from} -> {to} transition, got {:?}",
        transitions(r, subject)
    );
    found[0]
}

/// Panics unless `lo ≤ t ≤ hi`.
fn assert_between(t: f64, lo: f64, hi: f64, what: &str) {
    eprintln!("{what}: {t:.3}, expected in [{lo:.3}, {hi:.3}]");
    assert!(lo <= t && t <= hi, "{what}: {t}, expected in [{lo}, {hi}]");
}

/// Panics unless the check that passed at `passed` is on the same schedule as the one that
/// failed at `failed` (checks every `interval` s; a pass completes up to [`PASS_SLACK`] after it
/// was sent).
fn assert_same_schedule(passed: f64, failed: f64, interval: f64, what: &str) {
    let offset = (passed - failed).rem_euclid(interval);
    assert!(
        offset <= PASS_SLACK,
        "{what}: the passing check at {passed} s is {offset} s off the schedule of the failing \
         check at {failed} s (interval {interval} s)"
    );
}

/// Whether `subject` (`group/instance`, registered before the run, so `healthy` at 0) is healthy
/// during all of `[from, to]`.
fn healthy_throughout(r: &RunResult, subject: &str, from: f64, to: f64) -> bool {
    let tr = transitions(r, subject);
    let state_at = |t: f64| {
        tr.iter()
            .rev()
            .find(|(at, _)| *at <= t)
            .is_none_or(|(_, x)| x.to == Healthy)
    };
    state_at(from) && !tr.iter().any(|(at, _)| *at > from && *at <= to)
}

// ---------------------------------------------------------------------------------------------
// quickstart
// ---------------------------------------------------------------------------------------------

/// quickstart: only 200s; `/api/*` reaches `api`, the rest `web` (weights 0.2 / 0.8); round robin
/// alternates over web-1/web-2, least outstanding requests balances api-1/api-2; each instance's
/// CPU follows the utilisation law (web has 4 workers on 2 vCPUs: processor sharing is
/// work-conserving, so the law still holds).
#[test]
fn quickstart_routes_by_path_and_cpu_follows_the_utilisation_law() {
    let m = model_file_json("quickstart");
    let r = run_model_file("quickstart");
    let lambda = m["clients"][0]["arrival"]["rate_per_second"]
        .as_f64()
        .unwrap();
    let t = r.duration_seconds;
    assert_eq!(
        (lambda, t),
        (80.0, 1800.0),
        "the model changed: revisit this test"
    );

    assert_poisson(r.requests_total, lambda * t, "requests (Poisson arrivals)");
    // Light load (< 35 % CPU), backlogs of 1024, no faults: nothing but 200.
    assert_eq!(
        r.by_status.keys().copied().collect::<Vec<_>>(),
        vec![200],
        "{:?}",
        r.by_status
    );
    // Each answer came from one of the two groups; at most a handful are in flight at the end.
    let (api, web) = (group_requests(&r, "api"), group_requests(&r, "web"));
    assert_eq!(api + web, r.responses());
    assert!(r.in_flight_at_end() <= 10, "{}", r.in_flight_at_end());
    // `items` (weight 0.2, path /api/items) matches the path-pattern rule /api/* → api; `home`
    // (0.8, path /) falls through to the default action → web.
    assert_binomial(api, api + web, 0.2, "requests routed to api (/api/*)");

    // Round robin alternates: the two web targets got ⌊n/2⌋ and ⌈n/2⌉ of the web requests, minus
    // those still in flight.
    let (w1, w2) = (completed(&r, "web-1"), completed(&r, "web-2"));
    assert_eq!(w1 + w2, web);
    assert!(
        w1.abs_diff(w2) <= 1 + r.in_flight_at_end(),
        "round robin: web-1 {w1}, web-2 {w2}"
    );
    // Least outstanding requests balances at least as well as a fair coin would.
    let (a1, a2) = (completed(&r, "api-1"), completed(&r, "api-2"));
    assert_eq!(a1 + a2, api);
    assert_binomial(a1, api, 0.5, "least outstanding requests: api-1's share");

    // Utilisation law per instance: rate = λ·weight/2 targets; t3.micro and m5.large have 2 vCPUs.
    let web_rate = lambda * 0.8 / 2.0;
    let (web_es, web_es2) = (20.0, 2.0 * 20.0 * 20.0); // exponential, mean 20 ms: E[S²] = 2m²
    let api_rate = lambda * 0.2 / 2.0;
    let (api_es, api_es2) = lognormal_moments(40.0, 400.0);
    for (id, rate, es, es2) in [
        ("web-1", web_rate, web_es, web_es2),
        ("web-2", web_rate, web_es, web_es2),
        ("api-1", api_rate, api_es, api_es2),
        ("api-2", api_rate, api_es, api_es2),
    ] {
        let cpu = r.instances[instance_index(&r, id)].cpu_utilization;
        assert_near(
            cpu,
            utilisation(rate, es, 2.0),
            cpu_half(rate, es2, t, 2.0),
            &format!("{id} CPU % (λ·share·E[S]/vCPUs)"),
        );
    }
}

// ---------------------------------------------------------------------------------------------
// traffic-doubles
// ---------------------------------------------------------------------------------------------

/// Service-time moments (E\[S\] [ms], E\[S²\] [ms²]) of traffic-doubles: 90 % `lognormal` median
/// 10 ms, p99 60 ms; 10 % `normal` 25 ± 8 ms truncated at 0 by redrawing. The truncation (at
/// −3.125 σ) adds σ·φ(3.125)/Φ(3.125) ≈ 0.024 ms to the mean (Φ(3.125) = 0.9991 is taken as 1,
/// an error of 2·10⁻⁵ ms) and changes E\[S²\] = 25² + 8² by under 0.01 %.
fn traffic_doubles_service() -> (f64, f64) {
    let (ls, ls2) = lognormal_moments(10.0, 60.0);
    let z: f64 = 25.0 / 8.0;
    let phi = (-z * z / 2.0).exp() / (2.0 * std::f64::consts::PI).sqrt();
    let normal = 25.0 + 8.0 * phi;
    (
        0.9 * ls + 0.1 * normal,
        0.9 * ls2 + 0.1 * (25.0 * 25.0 + 8.0 * 8.0),
    )
}

/// traffic-doubles: before 30 m no 5XX and each c5.large at the utilisation law's ≈ 55 %; once
/// the ramp to 300 req/s exceeds the two instances' capacity (2 vCPUs / E\[S\] each), a target
/// that stays healthy runs at 100 % CPU, completes exactly its capacity, and the excess is refused
/// (502, one `TargetConnectionErrorCount` each); `TargetResponseTime` p99 rises more than 10×
/// because an accepted request waits behind a full backlog of 200.
#[test]
fn traffic_doubles_saturates_cpu_then_answers_502() {
    let m = model_file_json("traffic-doubles");
    let r = run_model_file("traffic-doubles");
    let steps = &m["clients"][0]["arrival"]["steps"];
    let (before, after) = (
        steps[0]["rate_per_second"].as_f64().unwrap(),
        steps[1]["rate_per_second"].as_f64().unwrap(),
    );
    assert_eq!((before, after), (150.0, 300.0), "the model changed");
    let (ramp_start, ramp_end) = (1800.0, 2100.0);
    let (backlog, workers) = (200.0, 8.0);
    let (es, es2) = traffic_doubles_service();
    let cv2 = es2 / (es * es) - 1.0;
    let mu = 2.0 / (es / 1000.0); // requests per second one c5.large (2 vCPUs) completes
    eprintln!("E[S] {es:.3} ms, capacity {mu:.1}/s per instance, offered {after}/s to two");
    assert!(before < 2.0 * mu && after > 2.0 * mu);

    // Before 30 m: ρ ≈ 0.55 with 8 workers and a backlog of 200: nothing fails.
    assert_eq!(
        sum_rows(&r, 0.0, ramp_start, |p| p.elb.c5xx + p.target.c5xx),
        0
    );
    assert!(r.activity.iter().all(|a| a.time_seconds >= ramp_start));
    for id in ["web-1", "web-2"] {
        let rate = before / 2.0; // round robin over two targets
        assert_near(
            mean_cpu(&r, id, 0.0, ramp_start),
            utilisation(rate, es, 2.0),
            cpu_half(rate, es2, ramp_start, 2.0),
            &format!("{id} CPU % before 30 m"),
        );
    }

    // After the ramp: a target healthy through a period and the one before it gets half of
    // 300/s > μ, so its backlog is full and it never idles: CPU 100 %. (A target marked unhealthy
    // because its full backlog refuses the health check gets no traffic and idles; those periods
    // are left out.)
    let saturated_after = ramp_end + PERIOD;
    let mut saturated_pairs = 0;
    for id in ["web-1", "web-2"] {
        let i = instance_index(&r, id);
        for p in periods(&r, saturated_after, r.duration_seconds) {
            let s = p.start_seconds;
            if healthy_throughout(&r, &format!("web/{id}"), s - PERIOD, s + PERIOD) {
                saturated_pairs += 1;
                assert!(
                    p.cpu_utilization[i].expect("instance running") >= 99.9,
                    "{id} at {s} s: CPU {} % while healthy and overloaded",
                    p.cpu_utilization[i].expect("instance running")
                );
            }
        }
    }
    eprintln!("{saturated_pairs} saturated instance-periods");
    assert!(saturated_pairs > 0);

    // Periods in which both targets were healthy throughout (and in the period before): the pair
    // completes 2μ per second and refuses the rest of 300/s. Summed over n such periods, in runs
    // of consecutive periods:
    // - 2XX = completions: the work done is exactly 2 vCPUs × 60 s per instance and period, so
    //   completions ≈ 2·60·μ·n with renewal-reward variance N·CV², ±8 requests in progress per
    //   instance at each end of a run;
    // - 502 = arrivals − completions − growth of what the instances hold (0 to 208 each, so at
    //   most ±2·208 per run); arrivals are Poisson(300·60·n).
    let both: Vec<&PeriodRow> = periods(&r, saturated_after, r.duration_seconds)
        .filter(|p| p.length_seconds == PERIOD)
        .filter(|p| {
            let s = p.start_seconds;
            ["web/web-1", "web/web-2"]
                .iter()
                .all(|subject| healthy_throughout(&r, subject, s - PERIOD, s + PERIOD))
        })
        .collect();
    let n = both.len() as f64;
    let runs = 1 + both
        .windows(2)
        .filter(|w| w[1].start_seconds != w[0].start_seconds + PERIOD)
        .count();
    eprintln!("{n} periods with both targets saturated, in {runs} runs");
    assert!(n >= 1.0);
    let done: u64 = both.iter().map(|p| p.target.c2xx).sum();
    let refused: u64 = both.iter().map(|p| p.elb.c502).sum();
    let expected_done = 2.0 * mu * PERIOD * n;
    let runs = runs as f64;
    assert_near(
        done as f64,
        expected_done,
        Z_999 * (expected_done * cv2).sqrt() + 2.0 * 2.0 * workers * runs,
        "2XX in saturated periods (capacity 2μ)",
    );
    let arrivals = after * PERIOD * n;
    assert_near(
        refused as f64,
        arrivals - expected_done,
        Z_999 * (arrivals + expected_done * cv2).sqrt()
            + 2.0 * 2.0 * (backlog + workers) * runs
            + 2.0 * 2.0 * workers * runs,
        "502 in saturated periods (300/s − 2μ)",
    );
    // Every 502 is a refused connection to a target (README: backlog full → 502 and
    // TargetConnectionErrorCount).
    for p in &r.periods {
        assert_eq!(
            p.target_connection_error_count, p.elb.c502,
            "at {}",
            p.start_seconds
        );
    }
    assert!(status(&r, 502) > 0);

    // TargetResponseTime: an accepted request joins a (nearly) full FIFO backlog of 200, which
    // drains at μ per second, so its wait alone is about 200/μ ≈ 1.46 s; the median exceeds 90 %
    // of that. p99 climbs from tens of ms to beyond that: more than 10×.
    let p99 = |ps: &[&PeriodRow]| {
        let mut xs: Vec<f64> = ps
            .iter()
            .map(|p| p.target_response_time_p99.unwrap())
            .collect();
        xs.sort_by(f64::total_cmp);
        xs[xs.len() / 2]
    };
    let calm: Vec<&PeriodRow> = periods(&r, 0.0, ramp_start).collect();
    let (p99_before, p99_after) = (p99(&calm), p99(&both));
    eprintln!("median p99: before {p99_before:.3} s, saturated {p99_after:.3} s");
    assert!(p99_after > 10.0 * p99_before);
    for p in &both {
        let p50 = p.target_response_time_p50.unwrap();
        assert!(
            p50 >= 0.9 * backlog / mu,
            "p50 {p50} s at {} s: a full backlog of {backlog} takes {} s to drain",
            p.start_seconds,
            backlog / mu
        );
    }
}

/// traffic-doubles: overload shows as 502 (full backlog), never 504: the longest possible wait,
/// a full backlog of 200 plus 8 running requests drained at the instance's capacity
/// (2 vCPUs / E[S] ≈ 137 req/s), is about 1.5 s, far below the 30 s idle timeout.
#[test]
fn traffic_doubles_overload_gives_502_not_504() {
    let r = run_model_file("traffic-doubles");
    let (es, _) = traffic_doubles_service();
    let longest = (200.0 + 8.0) / (2.0 / (es / 1000.0));
    assert!(longest < 30.0, "longest wait {longest:.2} s");
    assert_eq!(status(&r, 504), 0, "{:?}", r.by_status);
    assert!(status(&r, 502) > 0, "{:?}", r.by_status);
}

// ---------------------------------------------------------------------------------------------
// https-canary
// ---------------------------------------------------------------------------------------------

/// https-canary: every browser request on :80 is answered 301 by the load balancer and followed
/// by exactly one HTTPS request; /healthz is answered 200 by the load balancer itself
/// (`HTTP_Fixed_Response_Count`); /api/* goes 90/10 to blue/green; the office network (source-ip)
/// reaches only admin and the mobile app (User-Agent header) only mobile; keep-alive reuses
/// connections.
#[test]
fn https_canary_redirects_splits_and_routes_by_source_and_header() {
    let m = model_file_json("https-canary");
    let r = run_model_file("https-canary");
    let t = r.duration_seconds;
    let users = m["clients"][0]["arrival"]["count"].as_u64().unwrap();
    assert_eq!((t, users), (1200.0, 300), "the model changed");

    // Only 301 (redirects) and 200 (targets, and the fixed response).
    assert!(
        r.by_status.keys().all(|&c| c == 200 || c == 301),
        "{:?}",
        r.by_status
    );
    let redirects = status(&r, 301);
    assert_eq!(sum_rows(&r, 0.0, t, |p| p.redirect_count), redirects);
    assert_eq!(sum_rows(&r, 0.0, t, |p| p.elb.c3xx), redirects);
    let fixed = sum_rows(&r, 0.0, t, |p| p.fixed_response_count);
    // The fixed response is a 200 generated by the load balancer (HTTPCode_ELB_2XX), not a target.
    assert_eq!(sum_rows(&r, 0.0, t, |p| p.elb.c2xx), fixed);
    let g = |name| group_requests(&r, name);
    let (blue, green, mobile, admin) = (g("blue"), g("green"), g("mobile"), g("admin"));
    assert_eq!(
        redirects + fixed + blue + green + mobile + admin,
        r.responses(),
        "every response is a redirect, the fixed response or a target group's"
    );

    // The :80 listener only redirects, and only the browsers use :80: every browser request gets
    // a 301 first, then the user follows it with one HTTPS request (home → blue, api → blue or
    // green, health → fixed response). So the HTTPS requests answered equal the 301s, less the
    // users (at most all 300) whose HTTPS request was still unanswered at the end. Office or
    // mobile requests leaking into blue/green would break this.
    let https = blue + green + fixed;
    assert!(
        https <= redirects && redirects - https <= users,
        "301s {redirects}, browsers' HTTPS requests answered {https}"
    );
    // Request types are drawn by weight (home 6, api 3, health 1): /healthz is 1/10 of them.
    assert_binomial(fixed, https, 0.1, "/healthz answered by the fixed response");
    // /api/* (3 of the other 9 browser requests) is split 90/10: green gets 1/3 · 0.1 of the
    // browsers' forwarded requests.
    assert_binomial(
        green,
        blue + green,
        0.1 / 3.0,
        "canary green (10 % of /api/*)",
    );

    // Office: `constant` 5/s from 10.20.30.40 ∈ 10.0.0.0/8 → admin only. Arrivals at k/5 s, k ≥ 1:
    // 5999 before 1200 s (or 6000 if one at exactly the end counts).
    assert!(
        admin <= 6000 && admin + r.in_flight_at_end() >= 5999,
        "admin {admin}"
    );
    assert_eq!(completed(&r, "admin-1"), admin);
    // Mobile app: Poisson 20/s with User-Agent ShopApp/… → mobile (priority 20, ahead of the
    // /api/* rule it also matches); weighted_random splits it evenly.
    assert_poisson(mobile, 20.0 * t, "mobile requests");
    assert_binomial(
        completed(&r, "mobile-1"),
        mobile,
        0.5,
        "weighted_random: mobile-1's share",
    );

    // Keep-alive: think times (2 s) ≪ idle timeout (60 s) and the run (20 m) < client keep-alive
    // (1 h), so each user opens one connection per listener: 600. The open-loop clients' pools
    // need only a few connections at a time (≤ 1 s of work per second). Far below one connection
    // per request.
    let new_connections = sum_rows(&r, 0.0, t, |p| p.new_connection_count);
    eprintln!(
        "new connections {new_connections} for {} requests",
        r.requests_total
    );
    assert!(new_connections >= 2 * users && new_connections < 2 * users + 1000);
}

// ---------------------------------------------------------------------------------------------
// instance-failure
// ---------------------------------------------------------------------------------------------

/// instance-failure: web-1 crashes at 10 m; its checks are refused, so it is unhealthy within
/// (10 m + (U−1)·I, 10 m + U·I]; until then round robin sends it half the traffic, each request a
/// 502; web-2's CPU doubles; after the restart at 20 m it is healthy after HealthyThresholdCount
/// passing checks, on the same check schedule.
#[test]
fn instance_failure_502s_until_unhealthy_then_web2_carries_the_load() {
    let m = model_file_json("instance-failure");
    let r = run_model_file("instance-failure");
    let hc = &m["target_groups"][0]["health_check"];
    let interval = hc["HealthCheckIntervalSeconds"].as_f64().unwrap();
    let healthy_n = hc["HealthyThresholdCount"].as_f64().unwrap();
    let unhealthy_n = hc["UnhealthyThresholdCount"].as_f64().unwrap();
    let lambda = m["clients"][0]["arrival"]["rate_per_second"]
        .as_f64()
        .unwrap();
    let (crash, back, end) = (600.0, 1200.0, r.duration_seconds);
    assert_eq!(
        (interval, healthy_n, unhealthy_n, lambda),
        (30.0, 5.0, 2.0, 50.0)
    );
    let es = 20.0; // exponential service, mean 20 ms: E[S²] = 2·20²
    let es2 = 2.0 * es * es;

    let faults = faults(&r, "web-1");
    assert_eq!(faults.len(), 2, "{faults:?}");
    assert!(faults[0].0 == crash && matches!(faults[0].1, Fault::Starts { fault: "crash", .. }));
    assert!(faults[1].0 == back);

    // Unhealthy: the first refused check is within one interval after the crash, the U-th one
    // (U−1) intervals later; a refused connection fails the check at once.
    assert_eq!(transitions(&r, "web/web-1").len(), 2);
    assert!(transitions(&r, "web/web-2").is_empty());
    let (t_down, msg) = transition(&r, "web/web-1", (Healthy, Unhealthy));
    assert!(
        msg.reason == "Target.FailedHealthChecks" && msg.detail.contains("refused"),
        "{msg:?}"
    );
    assert_between(
        t_down,
        crash + (unhealthy_n - 1.0) * interval,
        crash + unhealthy_n * interval + 1e-3,
        "web-1 unhealthy",
    );
    // Healthy again after H consecutive passes: the first after the restart is within one
    // interval, the H-th (H−1) intervals later; same schedule as the failing checks.
    let (t_up, _) = transition(&r, "web/web-1", (Unhealthy, Healthy));
    assert_between(
        t_up,
        back + (healthy_n - 1.0) * interval,
        back + healthy_n * interval + PASS_SLACK,
        "web-1 healthy again",
    );
    assert_same_schedule(t_up, t_down, interval, "web-1 checks");

    // 502s: round robin alternates, so web-1 got every other request that arrived in
    // [crash, t_down): ⌊N/2⌋ or ⌈N/2⌉ of N ~ Poisson(λ·w), i.e. mean λw/2 and variance λw/4; plus
    // the requests in progress on web-1 at the crash (reset; mean λ/2·E[S] = 0.5, fewer than 5
    // with probability > 99.9 % at ρ = 0.25).
    let w = t_down - crash;
    let got = status(&r, 502);
    assert_near(
        got as f64,
        lambda * w / 2.0,
        Z_999 * (lambda * w / 4.0).sqrt() + 1.0 + 5.0,
        "502s during detection (λ·w/2)",
    );
    assert_eq!(r.responses(), status(&r, 200) + got, "{:?}", r.by_status);
    // They all fall between the crash and the unhealthy mark. (The period ending at the crash is
    // left out here: see `instance_failure_crash_resets_count_in_the_crash_period`.)
    assert_eq!(sum_rows(&r, 0.0, crash - PERIOD, |p| p.elb.c5xx), 0);
    assert_eq!(sum_rows(&r, next_boundary(t_down), end, |p| p.elb.c5xx), 0);
    // Refused connections are TargetConnectionErrorCount; the reset in-flight requests are not.
    let errors = sum_rows(&r, 0.0, end, |p| p.target_connection_error_count);
    assert!(
        errors <= got && got - errors <= 5,
        "{errors} connection errors, {got} 502s"
    );

    // Host counts (time averages per period).
    let tg = group_index(&r, "web");
    for p in periods(&r, 0.0, crash) {
        assert_eq!((p.hosts[tg].healthy, p.hosts[tg].unhealthy), (2.0, 0.0));
    }
    for p in periods(&r, next_boundary(t_down), back) {
        assert_eq!((p.hosts[tg].healthy, p.hosts[tg].unhealthy), (1.0, 1.0));
    }
    for p in periods(&r, next_boundary(t_up), end) {
        assert_eq!((p.hosts[tg].healthy, p.hosts[tg].unhealthy), (2.0, 0.0));
    }

    // web-2's CPU: λ/2 before the crash, all of λ while web-1 is unhealthy (t3.small: 2 vCPUs).
    let (from, to) = (next_boundary(t_down), back);
    let (half_before, half_outage) = (
        cpu_half(lambda / 2.0, es2, crash, 2.0),
        cpu_half(lambda, es2, to - from, 2.0),
    );
    let (cpu_before, cpu_outage) = (
        mean_cpu(&r, "web-2", 0.0, crash),
        mean_cpu(&r, "web-2", from, to),
    );
    assert_near(
        cpu_before,
        utilisation(lambda / 2.0, es, 2.0),
        half_before,
        "web-2 CPU % before the crash",
    );
    assert_near(
        cpu_outage,
        utilisation(lambda, es, 2.0),
        half_outage,
        "web-2 CPU % while web-1 is unhealthy",
    );
    let ratio = cpu_outage / cpu_before;
    eprintln!("web-2 CPU ×{ratio:.3}");
    assert!(
        ratio > 1.8 && ratio < 2.2,
        "web-2 CPU ×{ratio}, expected about 2"
    );
}

/// A CloudWatch period covers `[start, start + 60 s)`, so what happens at exactly 10:00 (the
/// crash resets web-1's in-flight requests, each a 502) belongs to the period starting at 600 s,
/// and the period `[540, 600)`, before the crash, has no 5XX.
#[test]
fn instance_failure_crash_resets_count_in_the_crash_period() {
    let r = run_model_file("instance-failure");
    let crash = 600.0;
    let before: Vec<(f64, u64)> = periods(&r, 0.0, crash)
        .filter(|p| p.elb.c5xx > 0)
        .map(|p| (p.start_seconds, p.elb.c5xx))
        .collect();
    assert!(
        before.is_empty(),
        "5XX before the crash at {crash} s: {before:?}"
    );
}

// ---------------------------------------------------------------------------------------------
// security-group-unhealthy
// ---------------------------------------------------------------------------------------------

/// security-group-unhealthy: both new targets go initial → unhealthy (`Target.Timeout`) after
/// UnhealthyThresholdCount timed-out checks; the group fails open, so clients get 504 after the
/// 10 s connect timeout (and `TargetConnectionErrorCount`), not 503; after the fix at 15 m the
/// targets are healthy after HealthyThresholdCount passing checks and requests get 200.
#[test]
fn security_group_unhealthy_fails_open_with_504_until_fixed() {
    let m = model_file_json("security-group-unhealthy");
    let r = run_model_file("security-group-unhealthy");
    let hc = &m["target_groups"][0]["health_check"];
    let interval = hc["HealthCheckIntervalSeconds"].as_f64().unwrap();
    let timeout = hc["HealthCheckTimeoutSeconds"].as_f64().unwrap();
    let healthy_n = hc["HealthyThresholdCount"].as_f64().unwrap();
    let unhealthy_n = hc["UnhealthyThresholdCount"].as_f64().unwrap();
    let lambda = m["clients"][0]["arrival"]["rate_per_second"]
        .as_f64()
        .unwrap();
    let (fix, end, connect_timeout) = (900.0, r.duration_seconds, 10.0);
    assert_eq!(
        (interval, timeout, healthy_n, unhealthy_n, lambda),
        (10.0, 5.0, 3.0, 2.0, 20.0)
    );

    let mut downs = vec![];
    let mut ups = vec![];
    for id in ["api-1", "api-2"] {
        let subject = format!("api/{id}");
        assert_eq!(
            transitions(&r, &subject).len(),
            2,
            "{:?}",
            transitions(&r, &subject)
        );
        // Registered at 0; the first check is within one interval (assumption: random), each
        // times out `timeout` later; the U-th failure makes it unhealthy.
        let (down, msg) = transition(&r, &subject, (Initial, Unhealthy));
        assert!(msg.reason == "Target.Timeout", "{subject}: {msg:?}");
        assert_between(
            down,
            (unhealthy_n - 1.0) * interval + timeout,
            unhealthy_n * interval + timeout,
            &format!("{subject} unhealthy"),
        );
        // After the fix, H consecutive passes: the first within one interval, on the schedule of
        // the failed checks (each sent `timeout` before it failed).
        let (up, _) = transition(&r, &subject, (Unhealthy, Healthy));
        assert_between(
            up,
            fix + (healthy_n - 1.0) * interval,
            fix + healthy_n * interval + PASS_SLACK,
            &format!("{subject} healthy"),
        );
        assert_same_schedule(up, down - timeout, interval, &subject);
        downs.push(down);
        ups.push(up);
    }
    let first_down = downs.iter().copied().fold(f64::INFINITY, f64::min);
    let first_up = ups.iter().copied().fold(f64::INFINITY, f64::min);
    // Fail open from the first unhealthy target (the other is initial or unhealthy: none is
    // healthy) until the first is healthy again.
    let group_log = fail_open(&r, "api");
    assert_eq!(group_log.len(), 2, "{group_log:?}");
    assert_eq!(group_log[0].0, first_down);
    assert!(
        matches!(
            group_log[0].1,
            FailOpen::Started(FailOpenCause {
                healthy: 0,
                threshold: RoutingThreshold::Count(1),
                ..
            })
        ),
        "{group_log:?}"
    );
    assert_eq!(group_log[1].0, first_up);

    assert!(
        r.by_status.keys().all(|&c| [200, 503, 504].contains(&c)),
        "{:?}",
        r.by_status
    );
    // 503 only while every target is still initial (README assumption: no target in service yet),
    // i.e. for the Poisson arrivals before the first unhealthy mark; never after (fail open).
    assert_poisson(
        status(&r, 503),
        lambda * first_down,
        "503 before the first check verdict",
    );
    assert_eq!(sum_rows(&r, PERIOD, end, |p| p.elb.c503), 0);
    // 504: every request routed to a blocked target waits 10 s to connect. Those arriving in
    // [first_down, fix − 10 s) certainly time out; those in [fix − 10 s, fix) may connect once the
    // security group is fixed.
    let c504 = status(&r, 504);
    let (lo, hi) = (
        lambda * (fix - connect_timeout - first_down),
        lambda * (fix - first_down),
    );
    assert!(
        c504 as f64 >= lo - Z_999 * lo.sqrt() && c504 as f64 <= hi + Z_999 * hi.sqrt(),
        "504s {c504}, expected Poisson between {lo:.0} and {hi:.0}"
    );
    assert_eq!(
        sum_rows(&r, 0.0, end, |p| p.target_connection_error_count),
        c504,
        "each 504 is a failed connection"
    );
    // ...and the 504s are the connect timeout: most responses are 504s, all after 10 s
    // (HDR histograms keep 3 significant digits: ±10 ms at 10 s).
    let latency = r.latency_ms.as_ref().unwrap();
    assert!((latency.max - 10_000.0).abs() <= 10.0, "{latency:?}");
    assert!(c504 * 2 > r.responses() && (latency.p50 - 10_000.0).abs() <= 10.0);

    let tg = group_index(&r, "api");
    // While blocked (after the checks' verdict and the first 504s): only 504, no healthy host.
    for p in periods(&r, PERIOD, fix - PERIOD) {
        assert_eq!(p.target.c2xx, 0, "at {}", p.start_seconds);
        assert!(p.elb.c504 > 0, "at {}", p.start_seconds);
        assert_eq!((p.hosts[tg].healthy, p.hosts[tg].unhealthy), (0.0, 2.0));
    }
    // Once both are healthy: only 200s.
    let after = next_boundary(ups.iter().copied().fold(0.0, f64::max));
    for p in periods(&r, after, end) {
        assert_eq!(p.elb.c5xx + p.target.c5xx, 0, "at {}", p.start_seconds);
        assert!(p.target.c2xx > 0);
        assert_eq!((p.hosts[tg].healthy, p.hosts[tg].unhealthy), (2.0, 0.0));
    }
    // 200: the requests from the fix on (fail open routes them to the now reachable targets),
    // perhaps some that were still connecting, less the few in flight at the end.
    let c200 = status(&r, 200) as f64;
    let (lo, hi) = (lambda * (end - fix), lambda * (end - fix + connect_timeout));
    assert!(
        c200 + r.in_flight_at_end() as f64 >= lo - Z_999 * lo.sqrt()
            && c200 <= hi + Z_999 * hi.sqrt(),
        "200s {c200}, expected Poisson between {lo:.0} and {hi:.0}"
    );
}

// ---------------------------------------------------------------------------------------------
// slow-start
// ---------------------------------------------------------------------------------------------

/// slow-start: both new targets pass their first check 5 s after registration (first_check_delay)
/// and are healthy; only calm's enters slow start (slammed has slow start off). In the minute after
/// that, slammed-new gets a full third of slammed's traffic while calm-new gets a share ramping from
/// 0, far below; the cold (5×) slammed-new runs at ρ = 1 and saturates, so slammed's p99 is far
/// above calm's.
#[test]
fn slow_start_protects_the_cold_target() {
    let m = model_file_json("slow-start");
    let r = run_model_file("slow-start");
    let lambda = m["clients"][0]["arrival"]["rate_per_second"]
        .as_f64()
        .unwrap();
    let slow = m["target_groups"][0]["attributes"]["slow_start.duration_seconds"]
        .as_f64()
        .unwrap();
    let (registered, first_check) = (600.0, 5.0);
    assert_eq!((lambda, slow), (150.0, 300.0), "the model changed");

    for group in ["calm", "slammed"] {
        let subject = format!("{group}/{group}-new");
        let (t, _) = transition(&r, &subject, (Initial, Healthy));
        // One passing check makes a new target healthy (§1.2); the check takes 1 ms × 5 (slow).
        assert_between(
            t,
            registered + first_check,
            registered + first_check + PASS_SLACK,
            &format!("{subject} healthy"),
        );
        let slow_start = slow_starts(&r, &subject);
        // calm-2 and calm-1 are healthy and not in slow start, so calm-new enters it (§2.2).
        if group == "calm" {
            assert_eq!(slow_start.len(), 1, "{slow_start:?}");
            assert_eq!(slow_start[0].0, t);
        } else {
            assert!(slow_start.is_empty(), "{slow_start:?}");
        }
    }
    // No other transitions: the warm targets stay healthy.
    for id in ["calm-1", "calm-2", "slammed-1", "slammed-2"] {
        let group = id.split('-').next().unwrap();
        assert!(transitions(&r, &format!("{group}/{id}")).is_empty());
    }
    assert_eq!(r.responses(), status(&r, 200), "{:?}", r.by_status);

    // The minute after the new targets turned healthy (≈ 605 s): rerun the model up to 665 s.
    // The new targets got nothing before 605 s, so what they completed is their traffic then.
    let mut cut = m.clone();
    cut["duration"] = json!(registered + first_check + PERIOD);
    let c = run_value(&cut);
    let expected_group = lambda * PERIOD;
    // slammed-new: round robin over 3 targets sends it every third request, A/3 with A ~
    // Poisson(9000) (sd √9000/3). It is cold: 5 × 8 ms on 2 vCPUs = 50/s capacity = exactly its
    // arrival rate (ρ = 1). What it has not completed is its queue, a zero-drift reflected random
    // walk from 0 with variance rate σ² = λ(c_a² + c_s²) = 50·(1/3 + 1) per second: |N(0, σ²·60)|,
    // below Z·√(σ²·60) ≈ 208 with 99.9 %; plus the 2 in service.
    let slammed_new = completed(&c, "slammed-new") as f64;
    let third = expected_group / 3.0;
    let queue = Z_999 * (50.0 * (1.0 / 3.0 + 1.0) * PERIOD).sqrt() + 2.0;
    let sd = Z_999 * expected_group.sqrt() / 3.0;
    eprintln!(
        "first minute: slammed-new {slammed_new} ({:.3} of the group), calm-new {} ({:.3})",
        slammed_new / expected_group,
        completed(&c, "calm-new"),
        completed(&c, "calm-new") as f64 / expected_group
    );
    assert!(
        slammed_new >= third - sd - queue && slammed_new <= third + sd,
        "slammed-new completed {slammed_new} in its first minute, expected ≈ {third} (1/3)"
    );
    // calm-new: slow start raises its share linearly to the fair 1/3 over 300 s (§2.2; the exact
    // form is not published). Elapsed fraction f ≤ 0.2 in this minute: whether its weight or its
    // share ramps, its share lies between f/3 and f/2 (f/(2+f) for a weight), so it gets between
    // λ∫f/3 = 150·60·0.2/6 = 300 and λ∫f/2 = 450 requests on average: far below 3000.
    let calm_new = completed(&c, "calm-new") as f64;
    let (lo, hi) = (
        lambda * PERIOD * (PERIOD / slow) / 6.0,
        lambda * PERIOD * (PERIOD / slow) / 4.0,
    );
    assert!(
        calm_new >= lo - Z_999 * lo.sqrt() && calm_new <= hi + Z_999 * hi.sqrt(),
        "calm-new completed {calm_new} in its first minute, expected {lo}–{hi}"
    );

    // slammed-new is saturated while cold: at ρ = 1 with two servers the fraction of time with
    // fewer than two requests is O(1/√t) (a few %), so CPU stays near 100 % in the periods fully
    // inside the cold window (the fault ends at 14 m).
    for p in periods(
        &r,
        next_boundary(registered + first_check),
        840.0 - PERIOD + 1.0,
    ) {
        let cpu = p.cpu_utilization[instance_index(&r, "slammed-new")].expect("instance running");
        assert!(
            cpu >= 90.0,
            "slammed-new at {} s: CPU {cpu} %",
            p.start_seconds
        );
    }

    // p99 per group (225,000 requests each: the p99 is the 2250th largest latency).
    // - slammed: the ρ = 1 queue of its cold target; in 1000 Monte Carlo runs of that queue alone
    //   (Erlang-3 arrivals at 50/s, exponential 40 ms on 2 servers for 235 s, then 8 ms) its
    //   2250th-largest response time was always above 0.45 s (median 1.8 s);
    // - calm: its cold target's load peaks at ρ ≤ 0.84 (share f/(2+f) ≤ 0.78/2.78 at 14 m); in
    //   300 Monte Carlo runs of that queue (both ramp forms) at most 900 of its requests took more
    //   than 200 ms, fewer than 2250, and the warm targets (ρ ≈ 0.3, 8 ms) essentially never do.
    let p99 = |g: &str| r.target_groups[g].latency_ms.as_ref().unwrap().p99;
    let (calm, slammed) = (p99("calm"), p99("slammed"));
    eprintln!("p99: calm {calm:.1} ms, slammed {slammed:.1} ms");
    assert!(calm < 200.0, "calm p99 {calm} ms");
    assert!(slammed > 400.0, "slammed p99 {slammed} ms");
}

// ---------------------------------------------------------------------------------------------
// sticky-sessions
// ---------------------------------------------------------------------------------------------

/// sticky-sessions: with lb_cookie stickiness every request but each user's first carries the
/// cookie and, while all targets are healthy, reaches its session's target (share exactly 1); the
/// crash of shop-2 gives 502s until it is unhealthy, then its 200 sessions are re-routed once each
/// (cookie rewritten); after its recovery no session comes back, so shop-2 idles (health checks
/// only) while shop-1 and shop-3 carry 300 sessions each instead of 200.
#[test]
fn sticky_sessions_stay_rerouted_after_recovery() {
    let m = model_file_json("sticky-sessions");
    let r = run_model_file("sticky-sessions");
    let arrival = &m["clients"][0]["arrival"];
    let users = arrival["count"].as_u64().unwrap();
    let spawn = arrival["spawn_rate_per_second"].as_f64().unwrap();
    let think = 6.0; // exponential think time, mean 6000 ms
    let hc = &m["target_groups"][0]["health_check"];
    let interval = hc["HealthCheckIntervalSeconds"].as_f64().unwrap();
    let healthy_n = hc["HealthyThresholdCount"].as_f64().unwrap();
    let unhealthy_n = hc["UnhealthyThresholdCount"].as_f64().unwrap();
    let (crash, back, end) = (600.0, 900.0, r.duration_seconds);
    assert_eq!(
        (users, spawn, interval, healthy_n, unhealthy_n),
        (600, 20.0, 15.0, 3.0, 2.0),
        "the model changed"
    );

    // Before the crash (a copy of the model cut at 9 m): every cookie reaches its target.
    let mut cut = m.clone();
    cut["duration"] = json!("9m");
    let c = run_value(&cut);
    let s = c.target_groups["shop"].stickiness.clone().unwrap();
    assert!(s.requests_with_cookie > 0);
    assert_eq!(s.reached_session_target, s.requests_with_cookie);
    assert_eq!(s.share, 1.0);
    // All users have started by 30 s; each first request (no cookie) is routed by round robin
    // over 3 healthy targets: 200 sessions each. Every later request carries the cookie
    // (duration 1 day ≫ 30 m).
    assert_eq!(
        s.requests_with_cookie,
        c.requests_total - users,
        "all but each user's first request carry the cookie"
    );

    // Detection: refused checks, unhealthy within (crash + (U−1)I, crash + UI].
    let (down, msg) = transition(&r, "shop/shop-2", (Healthy, Unhealthy));
    assert!(msg.reason == "Target.FailedHealthChecks", "{msg:?}");
    assert_between(
        down,
        crash + (unhealthy_n - 1.0) * interval,
        crash + unhealthy_n * interval + 1e-3,
        "shop-2 unhealthy",
    );
    let (up, _) = transition(&r, "shop/shop-2", (Unhealthy, Healthy));
    assert_between(
        up,
        back + (healthy_n - 1.0) * interval,
        back + healthy_n * interval + PASS_SLACK,
        "shop-2 healthy again",
    );
    assert_same_schedule(up, down, interval, "shop-2 checks");

    // 502s: shop-2's 200 users keep sending to it until it is unhealthy. A 502 comes at once, so
    // each user sends at rate 1/(6 s + response time ≈ 0.03 s): about Poisson(200·w/6), less up to
    // 1 % for the response time; plus the few requests in progress at the crash (mean ≈ 0.8).
    let w = down - crash;
    let mean = users as f64 / 3.0 * w / think;
    let got = status(&r, 502) as f64;
    eprintln!("502s {got}, expected ≈ {mean:.0}");
    assert!(
        got >= 0.99 * mean - Z_999 * mean.sqrt() && got <= mean + Z_999 * mean.sqrt() + 5.0,
        "502s {got}, expected ≈ {mean:.0}"
    );
    assert_eq!(
        r.responses(),
        status(&r, 200) + got as u64,
        "{:?}",
        r.by_status
    );

    // Whole run: all but each user's first request carry a cookie; exactly shop-2's 200 sessions
    // were re-routed, once each (the cookie is rewritten to the new target).
    let s = r.target_groups["shop"].stickiness.clone().unwrap();
    assert_eq!(s.requests_with_cookie, r.requests_total - users);
    assert_eq!(
        s.requests_with_cookie - s.reached_session_target,
        users / 3,
        "re-routed sessions"
    );
    assert!(s.share > 0.99, "share {}", s.share);

    // After the recovery no cookie points at shop-2 and no new session starts: it serves nothing
    // (CPU: health checks only). shop-1 and shop-3 carry 300 sessions instead of 200 (round robin
    // re-routes shop-2's sessions alternately): CPU × 1.5. Each utilisation over ~10 minutes has
    // a relative 99.9 % half-width of Z·√(E[S²]/(N·E[S]²)) ≈ 3.3·√(2.2/20000) ≈ 3.5 %, so the
    // ratio is within 1.5 ± 0.11.
    let after = next_boundary(up);
    let before_from = next_boundary(users as f64 / spawn);
    assert!(mean_cpu(&r, "shop-2", after, end) < CHECK_CPU);
    for id in ["shop-1", "shop-3"] {
        let ratio = mean_cpu(&r, id, after, end) / mean_cpu(&r, id, before_from, crash);
        assert_near(ratio, 1.5, 0.11, &format!("{id} CPU after / before"));
    }
}

// ---------------------------------------------------------------------------------------------
// websocket-idle-timeout
// ---------------------------------------------------------------------------------------------

/// Mean and variance [s, s²] of the lifetime of a quiet client's WebSocket: server pushes with
/// exponential gaps X (mean μ), the ALB closes the connection `a` (idle timeout) after the last
/// frame. With p = P(X ≥ a) = e^(−a/μ), the number N of gaps shorter than a before the first long
/// one is geometric (E[N] = q/p, Var N = q/p², q = 1 − p), the short gaps Y = X | X < a have
///   E[Y]  = (μ − (a + μ)p)/q,
///   E[Y²] = (2μ² − (a² + 2aμ + 2μ²)p)/q,
/// and the lifetime is L = Y₁ + … + Y_N + a, so
///   E[L]  = E[N]E[Y] + a = μ/p − μ = μ(e^(a/μ) − 1),
///   Var L = E[N]·Var Y + Var N·E[Y]².
fn quiet_lifetime(mu: f64, a: f64) -> (f64, f64) {
    let p = (-a / mu).exp();
    let q = 1.0 - p;
    let (en, vn) = (q / p, q / (p * p));
    let ey = (mu - (a + mu) * p) / q;
    let ey2 = (2.0 * mu * mu - (a * a + 2.0 * a * mu + 2.0 * mu * mu) * p) / q;
    let mean = en * ey + a;
    assert!((mean - mu * ((a / mu).exp() - 1.0)).abs() < 1e-9);
    (mean, en * (ey2 - ey * ey) + vn * ey * ey)
}

/// websocket-idle-timeout: quiet clients' connections are closed by the idle timeout as often as
/// renewal theory says (each cycle: a lifetime, a 1 s reconnect delay, the upgrade); pinging
/// clients are never closed by it (checked on a variant without the quiet clients); the
/// connections still on ws-1 when its 120 s deregistration delay ends at 22 m are closed then,
/// and their clients reconnect.
#[test]
fn websocket_idle_timeout_closes_quiet_connections_only() {
    let m = model_file_json("websocket-idle-timeout");
    let r = run_model_file("websocket-idle-timeout");
    let quiet = &m["clients"][0]["arrival"];
    let n = quiet["connections"].as_u64().unwrap();
    let spawn = quiet["spawn_rate_per_second"].as_f64().unwrap();
    let mu = quiet["server_message_interval"]["mean_ms"]
        .as_f64()
        .unwrap()
        / 1000.0;
    let idle = m["load_balancer"]["attributes"]["idle_timeout.timeout_seconds"]
        .as_f64()
        .unwrap();
    let delay = m["target_groups"][0]["attributes"]["deregistration_delay.timeout_seconds"]
        .as_f64()
        .unwrap();
    let (deregister, end) = (1200.0, r.duration_seconds);
    assert_eq!(
        (n, spawn, mu, idle, delay, end),
        (300, 20.0, 90.0, 60.0, 120.0, 2400.0),
        "the model changed"
    );

    let ws = r.websockets.unwrap();
    assert!(
        r.by_status.keys().all(|&c| c == 101),
        "only upgrades: {:?}",
        r.by_status
    );
    assert_eq!(ws.closed_by_target_failure, 0);

    // ws-1 drains from 20 m and is unused when the delay ends, closing what is still open on it.
    let ws1 = transitions(&r, "ws/ws-1");
    assert_eq!(ws1.len(), 2, "{ws1:?}");
    assert!(ws1[0].0 == deregister && (ws1[0].1.from, ws1[0].1.to) == (Healthy, Draining));
    assert!(ws1[1].0 == deregister + delay && (ws1[1].1.from, ws1[1].1.to) == (Draining, Unused));
    assert!(ws.closed_by_deregistration > 0);

    // Quiet clients: each runs cycles of (upgrade ≈ 7 ms: TLS handshake 2 ms + 5 ms service),
    // lifetime L, 1 s reconnect delay. Counting from s_i − 1 s (client i starts at s_i = i/20 s),
    // its closes are a renewal process with cycle m = E[L] + 1 s + 7 ms, so over t_i = T − s_i + 1
    // E[N] = t_i/m + (Var L − m²)/(2m²) and Var N ≈ t_i·Var L/m³ (renewal CLT); 300 independent
    // clients. A connection cut by deregistration instead ends its cycle early: at most one extra
    // close each. Pinging connections are never idle, so every idle close is a quiet one, and the
    // quiet clients' closes are between the idle closes and idle + deregistration closes.
    let (life, var) = quiet_lifetime(mu, idle);
    let cycle = life + 1.0 + 0.007;
    eprintln!(
        "quiet connection lifetime {life:.2} s (sd {:.1} s)",
        var.sqrt()
    );
    let (mut mean, mut variance) = (0.0, 0.0);
    for i in 0..n {
        let t = end - i as f64 / spawn + 1.0;
        mean += t / cycle + (var - cycle * cycle) / (2.0 * cycle * cycle);
        variance += t * var / cycle.powi(3);
    }
    let idle_closes = ws.closed_by_idle_timeout as f64;
    let dereg = ws.closed_by_deregistration as f64;
    let half = Z_999 * variance.sqrt() + dereg;
    eprintln!("idle closes {idle_closes}, expected {mean:.0} ± {half:.0}");
    assert!(
        idle_closes + dereg >= mean - half && idle_closes <= mean + half,
        "idle closes {idle_closes} (+ {dereg} by deregistration), expected {mean:.0} ± {half:.0}"
    );
    // Every close is followed by a reconnection 1 s later, unless the run ends first (the closes
    // of the last ~1 s: a few).
    let closes = ws.closed_by_idle_timeout + ws.closed_by_deregistration;
    let pending = 2 * n + closes - ws.opened;
    assert!(
        pending <= 20,
        "{pending} closes not followed by a reconnection"
    );

    // Variant: only the pinging clients. A ping every 30 s < 60 s keeps every connection open, so
    // none is closed by the idle timeout; those on ws-1 at 20 m (least outstanding requests spread
    // the 300 upgrades evenly: 150) are closed when the delay ends at 22 m, and reconnect once to
    // ws-2/ws-3, which gets each 1 ping fewer than the 79 an undisturbed connection gets:
    // pings at s + u + 30k ≤ 2400 − s − u with s ∈ [0, 15) (spawn), u ≈ 7 ms, gives 79; a cut
    // one pings 43 times before 1320 s and 35 times after reconnecting at 1321 s: 78.
    let mut pinging = m.clone();
    let clients = pinging["clients"].as_array_mut().unwrap();
    clients.retain(|c| c["name"] != "quiet");
    assert_eq!(clients.len(), 1);
    let p = run_value(&pinging);
    let pw = p.websockets.unwrap();
    eprintln!("pinging only: {pw:?}");
    assert_eq!(
        pw.closed_by_idle_timeout, 0,
        "a pinging connection timed out"
    );
    assert_eq!(pw.closed_by_target_failure, 0);
    assert_eq!(pw.closed_by_deregistration, n / 2);
    assert_eq!(pw.closed_by_deregistration, completed(&p, "ws-1"));
    assert_eq!(pw.opened, n + pw.closed_by_deregistration);
    assert_eq!(pw.pings, 79 * n - pw.closed_by_deregistration);
}

// ---------------------------------------------------------------------------------------------
// Auto Scaling models
// ---------------------------------------------------------------------------------------------
//
// Expectations follow README "Auto Scaling groups": target tracking alarms high (> target, 3 of
// 3 datapoints) and low (< 0.9 × target, 15 of 15), new capacity ceil(N·metric/target) clamped
// to [MinSize, MaxSize]; basic monitoring gives one CPU datapoint per 5 minutes; step adjustments
// are relative to the alarm threshold; scheduled actions run at their times. Alarms are evaluated
// at period boundaries, so an alarm needing k one-minute datapoints that all start at or after a
// load change at t fires at t + k·60 s at the earliest.

/// Desired capacity of Auto Scaling group `a` at the end of every period.
fn desired_rows(r: &RunResult, a: usize) -> Vec<(f64, u32)> {
    capacity_rows(r, a)
        .into_iter()
        .map(|(t, c)| (t, c.desired))
        .collect()
}

/// Panics unless the desired capacity of group `a` stays within `[min, max]` in every period.
fn assert_desired_within(r: &RunResult, a: usize, min: u32, max: u32, what: &str) {
    for (t, d) in desired_rows(r, a) {
        assert!(
            (min..=max).contains(&d),
            "{what}: desired {d} at {t} s outside [{min}, {max}]"
        );
    }
}

/// Desired capacity of group `a` at the end of the last period.
fn final_desired(r: &RunResult, a: usize) -> u32 {
    desired_rows(r, a).last().expect("periods").1
}

/// Times of the group's scaling changes, as (time [s], from, to), parsed from the activity lines
/// "… changing the desired capacity from A to B.".
fn desired_changes(r: &RunResult, group: &str) -> Vec<(f64, u32, u32)> {
    const KEY: &str = "changing the desired capacity from ";
    asg_activity(r, group)
        .into_iter()
        .filter_map(|(t, a)| {
            // The number of instances is in AWS's free-text `Cause`.
            let (ScalingActivity::Launching { cause: m, .. }
            | ScalingActivity::Terminating { cause: m, .. }) = a
            else {
                return None;
            };
            let m = m.to_string();
            let rest = &m[m.find(KEY)? + KEY.len()..];
            let rest = rest.trim_end_matches('.');
            let (from, to) = rest.split_once(" to ")?;
            Some((t, from.parse().ok()?, to.parse().ok()?))
        })
        .collect()
}

/// First time a target tracking alarm enters ALARM at a period end after `after` [s].
fn first_alarm_after(r: &RunResult, name: &str, after: f64) -> Option<f64> {
    alarm_rows(r, name)
        .into_iter()
        .find(|&(t, s, _)| t > after && s == 1)
        .map(|(t, _, _)| t)
}

/// Mean service time [s] of the `lognormal` (median 10 ms, p99 60 ms) page of the CPU models.
fn page_service_s() -> f64 {
    lognormal_moments(10.0, 60.0).0 / 1000.0
}

#[test]
fn target_tracking_cpu_scales_to_max_and_back() {
    // MinSize 2, MaxSize 4, c5.large (2 vCPUs), CPU target 50 %; the rate ramps 60 → 300 req/s
    // over 10:00–30:00, holds, and ramps back to 60 over 50:00–55:00.
    let r = run_model_file("target-tracking-cpu");
    let (high, low) = tt_alarms("web-asg", "cpu50");
    let es = page_service_s();
    assert_desired_within(&r, 0, 2, 4, "web-asg");

    // On 2 instances CPU = rate·E[S]/4 vCPUs exceeds 50 % above 2/E[S] ≈ 149 req/s, reached at
    // 10:00 + (149 − 60)/240 × 20 min ≈ 17:24. The high alarm needs 3 datapoints above, so it
    // fires no earlier than 17:00 + 3 min; the datapoints from 19:00 on are ≥ 2 points above
    // target (rate ≥ 168 req/s), so it fires by 23:00 at the latest.
    // 50 % of 4 vCPUs is 2 vCPUs of work: 2/E[S] req/s.
    let cross = 600.0 + (2.0 / es - 60.0) / 240.0 * 1200.0;
    let fired = first_alarm(&r, &high).expect("high alarm fires");
    assert_between(
        fired,
        (cross / PERIOD).floor() * PERIOD + 3.0 * PERIOD,
        23.0 * 60.0,
        "high alarm",
    );

    // At 300 req/s, 4 instances run at 300·E[S]/8 ≈ 50.4 % > target, so the group needs more than
    // 4 and stops at MaxSize 4, logging it.
    assert!(utilisation_law(300.0, es, 4, 2) > 50.0);
    let at_four = desired_rows(&r, 0)
        .into_iter()
        .find(|&(_, d)| d == 4)
        .map(|(t, _)| t)
        .expect("desired reaches MaxSize 4");
    let notes = asg_times(&r, "web-asg", |a| {
        matches!(
            a,
            ScalingActivity::Policy {
                note: PolicyNote::WantsAboveMaxSize { max: 4, .. }
                    | PolicyNote::AtMaxSize { max: 4 },
                ..
            }
        )
    });
    assert!(
        notes.iter().any(|&t| t >= at_four - PERIOD),
        "no \"at MaxSize 4\" note after reaching 4 at {at_four} s: {:?}",
        asg_activity(&r, "web-asg")
    );

    // No scale-in before the load falls: desired stays 4 from reaching it until 50:00.
    for (t, d) in desired_rows(&r, 0) {
        if t > at_four && t <= 3000.0 {
            assert_eq!(d, 4, "desired at {t} s during the peak");
        }
    }

    // Once the load falls (ramp 50:00–55:00), CPU on 4 instances drops below 45 % when the rate
    // is under 0.45·8/E[S] ≈ 268 req/s, i.e. from ≈ 50:41; the first full datapoint below starts at
    // 51:00, so the low alarm needs 15 of them: ALARM no earlier than 51:00 + 15 min (the
    // datapoint of 50:00–51:00 averages 276 req/s, above). By 57:00 every datapoint is at 60 req/s
    // (≈ 10 %), so it fires by 57:00 + 15 min.
    let low_fired = first_alarm_after(&r, &low, 3000.0).expect("low alarm fires after the peak");
    assert_between(
        low_fired,
        51.0 * 60.0 + 15.0 * PERIOD,
        72.0 * 60.0,
        "low alarm",
    );
    let first_in = desired_changes(&r, "web-asg")
        .into_iter()
        .find(|&(_, from, to)| to < from)
        .expect("a scale-in");
    assert!(
        first_in.0 >= 51.0 * 60.0 + 15.0 * PERIOD - TIME_TOL,
        "scale-in at {} s before the low alarm could count 15 datapoints",
        first_in.0
    );
    // ceil(4 × 10 % / 50) = 1, clamped to MinSize 2.
    assert_eq!(
        first_in.2, 2,
        "scale-in goes straight to MinSize: {first_in:?}"
    );
    assert_eq!(final_desired(&r, 0), 2);
}

#[test]
fn step_scaling_adds_the_step_of_the_alarm_datapoint() {
    // 2 × c5.large (4 vCPUs), exponential 12 ms: 80 req/s is 24 % CPU, 320 req/s is 96 %.
    let r = run_model_file("step-scaling");
    assert_desired_within(&r, 0, 2, 8, "web-asg");
    let changes = desired_changes(&r, "web-asg");
    let (t_out, from, to) = *changes.first().expect("a scale-out");
    assert_eq!(from, 2, "{changes:?}");
    // CPU ≥ 60 % for 2 of 2 datapoints, both starting at or after the step at 10:00: the alarm
    // fires at the evaluation at 12:00 and triggers the policy then.
    assert!(
        (720.0 - TIME_TOL..720.0 + PERIOD).contains(&t_out),
        "first scale-out at {t_out} s, expected at 12:00"
    );
    // The datapoint the alarm acted on (10:00–11:00 or 11:00–12:00) against the utilisation law,
    // with a 99.9 % interval on the busy time (E[S²] = 2·12² ms² for the exponential).
    let value = alarm_rows(&r, "web-cpu-high")
        .into_iter()
        .find(|&(t, s, _)| s == 1 && t >= 720.0 - TIME_TOL)
        .and_then(|(_, _, v)| v)
        .expect("alarm datapoint");
    let expected = utilisation_law(320.0, 0.012, 2, 2);
    assert_near(
        value,
        expected,
        cpu_half(320.0, 2.0 * 144.0, PERIOD, 4.0),
        "CPU datapoint at scale-out",
    );
    // Steps relative to threshold 60: [0, 15) → +1, [15, 30) → +2, ≥ 30 → +3.
    let step = match value - 60.0 {
        x if x >= 30.0 => 3,
        x if x >= 15.0 => 2,
        _ => 1,
    };
    assert_eq!(to, 2 + step, "CPU {value:.1} %: step +{step}");
    // Warming capacity counts, so the step is not added again while the new instances launch;
    // once in service, 2 + step ≥ 4 instances run 320 req/s at ≤ 48 % < 60 %: no further
    // scale-out at all.
    assert!(utilisation_law(320.0, 0.012, 2 + step, 2) < 60.0);
    let max = desired_rows(&r, 0).iter().map(|&(_, d)| d).max().unwrap();
    assert_eq!(max, 2 + step, "the step was added twice: {changes:?}");
    // Scale-in: after 35:00, CPU < 30 % for 10 of 10 datapoints → no removal before 45:00, then
    // one instance at a time back to MinSize 2.
    let ins: Vec<_> = changes.iter().filter(|c| c.2 < c.1).collect();
    assert!(!ins.is_empty(), "no scale-in: {changes:?}");
    for &&(t, f, to) in &ins {
        assert!(
            t >= 45.0 * 60.0 - TIME_TOL,
            "scale-in at {t} s before 45:00"
        );
        assert_eq!(f - to, 1, "scale-in removes one at a time: {changes:?}");
    }
    assert_eq!(final_desired(&r, 0), 2);
}

#[test]
fn scheduled_scaling_raises_min_before_the_peak() {
    let r = run_model_file("scheduled-scaling");
    let es = page_service_s();
    assert_desired_within(&r, 0, 2, 10, "web-asg");
    // Before 45:00, 80 req/s on 2 instances is ≈ 27 % CPU: no scale-out.
    assert!(utilisation_law(80.0, es, 2, 2) < 50.0);
    for (t, d) in desired_rows(&r, 0) {
        if t < 45.0 * 60.0 - TIME_TOL {
            assert_eq!(d, 2, "desired at {t} s before the scheduled action");
        }
    }
    // morning-peak at 45:00 sets MinSize and desired to 6; the load (80 req/s, ≈ 9 % on 6) gives
    // no reason to scale out before the surge at 1:00:00.
    let morning = asg_times(
        &r,
        "web-asg",
        |a| matches!(a, ScalingActivity::ScheduledAction { action, .. } if action == "morning-peak"),
    );
    assert!(
        morning.iter().any(|&t| (t - 2700.0).abs() < TIME_TOL),
        "{morning:?}"
    );
    assert_eq!(capacity_at(&r, 0, 46.0 * 60.0).desired, 6);
    // Between 45:00 and 2:30:00 the target tracking policy cannot go below MinSize 6.
    for (t, d) in desired_rows(&r, 0) {
        if (46.0 * 60.0..=9000.0).contains(&t) {
            assert!(d >= 6, "desired {d} at {t} s below the scheduled MinSize 6");
        }
    }
    // The surge (600 req/s) is ≈ 67 % CPU on 6 instances: the policy still scales out,
    // ceil(6 × 67 / 50) = 9 ≤ MaxSize 10.
    assert!(utilisation_law(600.0, es, 6, 2) > 50.0);
    let peak = desired_rows(&r, 0)
        .into_iter()
        .filter(|&(t, _)| t > 3600.0 && t <= 7200.0)
        .map(|(_, d)| d)
        .max()
        .unwrap();
    assert!(
        peak > 6,
        "no scale-out during the surge: max desired {peak}"
    );
    // after-peak at 2:30:00 lowers MinSize to 2, and the low alarm (80 req/s) brings the group
    // back down: ceil(N × ≈ 9 %·6/N / 50) = 2, and only after 2:30:00.
    let after = asg_times(
        &r,
        "web-asg",
        |a| matches!(a, ScalingActivity::ScheduledAction { action, .. } if action == "after-peak"),
    );
    assert!(
        after.iter().any(|&t| (t - 9000.0).abs() < TIME_TOL),
        "{after:?}"
    );
    let below_six: Vec<_> = desired_changes(&r, "web-asg")
        .into_iter()
        .filter(|c| c.2 < 6)
        .collect();
    assert!(!below_six.is_empty(), "never back below 6");
    assert!(
        below_six.iter().all(|c| c.0 >= 9000.0 - TIME_TOL),
        "{below_six:?}"
    );
    assert_eq!(final_desired(&r, 0), 2);
}

#[test]
fn request_count_per_target_tracks_traffic() {
    // Target 6000 requests per target per minute: ceil(N × (count/N) / 6000) = ceil(count/6000).
    let r = run_model_file("request-count-per-target");
    let (high, _low) = tt_alarms("api-asg", "rcpt-6000");
    assert_desired_within(&r, 0, 2, 10, "api-asg");
    // Ramp 150 → 700 req/s over 10:00–20:00. On 2 targets the metric exceeds 6000 when the
    // minute's count exceeds 12000 (200 req/s). The 10:00–11:00 minute averages 177.5 req/s
    // (10650 ± 340 at 99.9 %), below; 11:00–12:00 averages 232.5 req/s, above. So 3 of 3 first
    // holds at 14:00.
    let fired = first_alarm(&r, &high).expect("high alarm fires");
    assert_between(fired, 840.0 - TIME_TOL, 840.0 + PERIOD, "high alarm");
    // It acts on the 13:00–14:00 datapoint, 342.5 req/s on average: 20550 ± 470 requests,
    // so ceil(count / 6000) = 4.
    let changes = desired_changes(&r, "api-asg");
    let first = changes.first().expect("a scale-out");
    assert_eq!((first.1, first.2), (2, 4), "{changes:?}");
    // During the hold at 700 req/s a minute has 42000 ± 675 requests: ceil(count/6000) is 7 or
    // 8 (8 only from a count just above 42000), never more.
    let hold = capacity_at(&r, 0, 40.0 * 60.0).desired;
    assert!((7..=8).contains(&hold), "desired {hold} at 40:00");
    let max = desired_rows(&r, 0).iter().map(|&(_, d)| d).max().unwrap();
    assert!(max <= 8, "max desired {max}");
    // Back at 150 req/s (9000 per minute → ceil = 2) after the 40:00–45:00 ramp; the low alarm
    // needs 15 datapoints under 5400 per target, the first of which starts at 41:00 at the
    // earliest, so the group returns to MinSize 2 not before 56:00.
    let ins: Vec<_> = changes.iter().filter(|c| c.2 < c.1).collect();
    let last_in = ins.last().expect("a scale-in after the peak");
    assert!(last_in.0 >= 56.0 * 60.0 - TIME_TOL, "{ins:?}");
    assert_eq!(last_in.2, 2, "{ins:?}");
    assert_eq!(final_desired(&r, 0), 2);
}

#[test]
fn detailed_monitoring_scales_sooner_than_basic() {
    // Group 0 "basic" (5-minute CPU), group 1 "detailed" (1-minute); both 60 → 240 req/s at
    // 10:00 and back to 60 at 40:00; 2 × c5.large at 240 req/s × 15 ms is 90 % CPU.
    let r = run_model_file("basic-vs-detailed-monitoring");
    assert_desired_within(&r, 0, 2, 8, "basic");
    assert_desired_within(&r, 1, 2, 8, "detailed");
    assert!(utilisation_law(240.0, 0.015, 2, 2) > 50.0);
    let basic = desired_changes(&r, "basic");
    let detailed = desired_changes(&r, "detailed");
    let out = |c: &[(f64, u32, u32)]| c.iter().find(|x| x.2 > x.1).map(|x| x.0);
    let inn = |c: &[(f64, u32, u32)]| c.iter().find(|x| x.2 < x.1).map(|x| x.0);
    let (bo, d_o) = (
        out(&basic).expect("basic scales out"),
        out(&detailed).expect("detailed scales out"),
    );
    // Detailed: 3 one-minute datapoints after 10:00 → 13:00 (next evaluation at the latest).
    assert_between(
        d_o,
        13.0 * 60.0 - TIME_TOL,
        14.0 * 60.0,
        "detailed scale-out",
    );
    // Basic: 3 five-minute datapoints after 10:00 → 25:00 at the earliest.
    assert!(bo >= 25.0 * 60.0 - TIME_TOL, "basic scaled out at {bo} s");
    assert!(d_o < bo);
    // Scale-in: 15 datapoints after 40:00: 15 minutes (detailed) vs 75 minutes (basic).
    let di = inn(&detailed).expect("detailed scales in");
    assert!(di >= 55.0 * 60.0 - TIME_TOL, "detailed scaled in at {di} s");
    // Detailed stays at ceil(2 × 90 / 50) = 4 through the hold (240 req/s on 4 is 45 %, so
    // ceil(4 × 45 / 50) = 4 either way); its 15 one-minute datapoints below 45 % start at 40:00 or
    // 41:00, so it scales in between 55:00 and 57:00.
    assert!(di <= 57.0 * 60.0 + TIME_TOL, "detailed scaled in at {di} s");
    // Basic: a 5-minute datapoint below 45 % needs ≥ 5 instances at 240 req/s (36 %) or the end
    // of the surge. Its first scale-out is at ≥ 25:00 and the 25:00–30:00 datapoint still holds
    // the minutes before the new instances were in service, so the first datapoint below starts at
    // 30:00 at the earliest: scale-in no earlier than 30:00 + 15 × 5 min = 1:45:00, and before the
    // run ends (40:00 + 75 min = 1:55:00 at the latest, + one evaluation).
    let bi = inn(&basic).unwrap_or_else(|| panic!("basic never scales in: {basic:?}"));
    assert_between(bi, 105.0 * 60.0 - TIME_TOL, 116.0 * 60.0, "basic scale-in");
    assert!(
        bi - di >= 105.0 * 60.0 - 57.0 * 60.0 - TIME_TOL,
        "basic {bi} s, detailed {di} s"
    );
}

/// basic-vs-detailed: the basic group acts at 30:00 on a 5-minute datapoint that still includes
/// minutes before its new instances served, overshoots, and its CPU falls below the low threshold
/// during the surge; its low alarm then needs 15 five-minute datapoints: it scales in no earlier
/// than 75 minutes after its low alarm started counting, and at least 45 minutes after detailed
/// (15 one-minute datapoints after 40:00).
#[test]
fn basic_monitoring_scales_in_15_five_minute_datapoints_after_counting_starts() {
    let r = run_model_file("basic-vs-detailed-monitoring");
    let inn = |g: &str| {
        desired_changes(&r, g)
            .into_iter()
            .find(|x| x.2 < x.1)
            .map(|x| x.0)
            .unwrap_or_else(|| panic!("{g} never scales in"))
    };
    let (bi, di) = (inn("basic"), inn("detailed"));
    // The low alarm's datapoints: the first one below its threshold starts the count.
    let low = "TargetTracking-basic-AlarmLow-basic-cpu50";
    let rows = alarm_rows(&r, low);
    let threshold = 0.9 * 50.0;
    let counting_from = rows
        .iter()
        .filter(|x| x.0 < bi)
        .rev()
        .take_while(|x| x.2.is_some_and(|v| v < threshold))
        .last()
        .map(|x| x.0)
        .expect("the low alarm counted datapoints before scale-in");
    // The streak ends in the datapoint that completes 15; the first counted one is 14 five-minute
    // periods before it.
    assert!(
        bi >= counting_from + 14.0 * 300.0 - TIME_TOL,
        "basic scaled in at {bi} s, counting from {counting_from} s"
    );
    assert!(
        bi - di >= 45.0 * 60.0 - TIME_TOL,
        "basic {bi} s, detailed {di} s"
    );
}

/// `fixed-fleet.json`: 4 c5.large (2 vCPUs) in a group without policies, 300 req/s Poisson,
/// exponential service of mean 20 ms, 10 minutes. Round robin gives each instance a quarter of
/// the requests, 75 req/s: CPU = 75 · 0.02 / 2 = 75 % by the utilisation law. Nothing scales, and
/// the run costs 4 instances × 10 minutes at the c5.large price plus the ALB (one started hour
/// and its LCU-hours).
#[test]
fn fixed_fleet_runs_four_instances_at_75_percent() {
    let r = run_model_file("fixed-fleet");
    let seconds = 600.0;
    assert_eq!(r.duration_seconds, seconds);
    // Poisson arrivals: the request count.
    assert_poisson(r.requests_total, 300.0 * seconds, "requests");
    assert_eq!(r.instances.len(), 4);
    let cpu = utilisation_law(300.0, 0.020, 4, 2);
    assert!((cpu - 75.0).abs() < 1e-12);
    // Exponential service: E[S²] = 2 · 20² ms².
    let half = cpu_half(75.0, 2.0 * 20.0 * 20.0, seconds, 2.0);
    let in_flight = r.in_flight_at_end();
    let routed = r.requests_total as f64 / 4.0;
    for i in &r.instances {
        assert_eq!(i.instance_type, "c5.large");
        assert_near(i.cpu_utilization, cpu, half, &format!("{} CPU", i.id));
        // Round robin: the counts differ by at most one, less what is still in flight.
        let off = (i.requests_completed as f64 - routed).abs();
        assert!(
            off <= in_flight as f64 + 1.0,
            "{}: {} completed, a quarter is {routed}",
            i.id,
            i.requests_completed
        );
        assert_eq!((i.launched_seconds, i.terminated_seconds), (0.0, None));
    }
    let g = &r.auto_scaling_groups[0];
    assert_eq!((g.scale_out_activities, g.scale_in_activities), (0, 0));
    assert_eq!((g.unhealthy_replacements, g.instances_launched), (0, 4));
    assert_eq!(g.max_in_service, 4);
    // 4 instances × 600 s at $0.085/h; the ALB: one started hour at $0.0225 plus its LCU-hours.
    let ec2 = 4.0 * seconds / 3600.0 * 0.085;
    assert!((r.cost.ec2 - ec2).abs() < 1e-12, "{}", r.cost.ec2);
    assert!((r.cost.instance_hours - 4.0 * seconds / 3600.0).abs() < 1e-12);
    let alb = albsim::recorder::ALB_HOUR_USD + r.cost.lcu_hours * albsim::recorder::LCU_HOUR_USD;
    assert!(r.cost.lcu_hours > 0.0);
    assert!((r.cost.alb - alb).abs() < 1e-12, "{}", r.cost.alb);
    assert!((r.cost.total - (ec2 + alb)).abs() < 1e-12);
}

/// `retry-storm.json`: 4 c5.large × 2 workers at 20 ms a request serve at most 400 req/s; the
/// clients send 280 req/s, with a one-minute spike to 560 req/s at 5 min, give up after 1 s and
/// retry up to 5 attempts, 100 ms apart, with no jitter and no quota.
///
/// - Before the spike every request succeeds at its first attempt.
/// - After it the storm feeds itself: every end-user request fails all 5 attempts, so retries
///   are exactly 4/5 of the ALB's requests, RequestCount is 5× the clients' rate, and almost
///   nothing succeeds to the end of the run, while the targets keep working on abandoned
///   requests (they complete far more requests than answers reach anyone).
/// - The AWS SDK's standard mode (`retry: {}`: 3 attempts, exponential backoff with full jitter,
///   the 500-token retry quota) goes through the same spike and recovers: the quota runs out,
///   retries stop, the backlog drains, and from 9 min on every request succeeds.
#[test]
fn retry_storm_never_recovers_and_the_sdk_standard_mode_does() {
    let storm = run_model_file("retry-storm");
    let mut standard = model_file_json("retry-storm");
    standard["clients"][0]["retry"] = json!({});
    let standard = run_value(&standard);
    for r in [&storm, &standard] {
        for p in periods(r, 0.0, 300.0) {
            // Requests in flight at the two period boundaries (about λ·E[R] ≈ 7 each) move
            // between periods.
            assert!(p.target.c2xx.abs_diff(p.request_count) <= 20, "{p:?}");
            assert_eq!(p.clients[0].retries, 0);
        }
    }
    let rate = 280.0 * PERIOD;
    for p in periods(&storm, 420.0, 1200.0) {
        let share = p.clients[0].retries as f64 / p.request_count as f64;
        assert!(
            (share - 0.8).abs() < 0.005,
            "retries / RequestCount {share} at {}",
            p.start_seconds
        );
        let factor = p.request_count as f64 / rate;
        assert!(
            (4.8..5.2).contains(&factor),
            "RequestCount / offered {factor}"
        );
        assert!(
            (p.target.c2xx as f64) < 0.01 * rate,
            "{} successes at {}",
            p.target.c2xx,
            p.start_seconds
        );
    }
    let completed: u64 = storm.instances.iter().map(|i| i.requests_completed).sum();
    assert!(
        completed > 4 * status(&storm, 200),
        "the targets did work nobody received: {completed} completed, {} answered 200",
        status(&storm, 200)
    );
    let c = &standard.clients[0];
    assert!(c.quota_refused > 0, "the quota stopped the retries: {c:?}");
    // Without the quota, backoff and jitter alone do not recover: 3 attempts still offer
    // 3 × 280 = 840 req/s to a fleet that serves 400.
    let mut no_quota = model_file_json("retry-storm");
    no_quota["clients"][0]["retry"] = json!({ "quota": "off" });
    let no_quota = run_value(&no_quota);
    for p in periods(&no_quota, 420.0, 1200.0) {
        assert!((p.target.c2xx as f64) < 0.01 * rate, "{p:?}");
        let factor = p.request_count as f64 / rate;
        assert!(
            (2.9..3.1).contains(&factor),
            "RequestCount / offered {factor}"
        );
    }
    for p in periods(&standard, 540.0, 1200.0) {
        assert_eq!(p.elb.c4xx, 0, "no timeouts at {}", p.start_seconds);
        assert_eq!(p.clients[0].retries, 0);
        assert!(p.target.c2xx.abs_diff(p.request_count) <= 20, "{p:?}");
    }
}

// ---------------------------------------------------------------------------------------------
// gray-failure
// ---------------------------------------------------------------------------------------------

/// gray-failure: web-3 answers 500 to half its requests from 5:00 to 15:00 while its health check
/// passes. Round robin gives it a quarter of every period's requests (±1 per period boundary), so
/// its 5xx per period are Binomial(a quarter, 1/2); anomaly detection reports it but nothing
/// acts. With weighted_random and anomaly mitigation its weight is at the 2 % floor from 5:30, so
/// its share is 0.02 / 3.02 and its 5xx per period are Poisson(200 · 60 · 0.02 / 3.02 / 2); it
/// is back at parity after the fault (normal at 15:30, +10 % per 5 s).
#[test]
fn gray_failure_round_robin_keeps_feeding_the_bad_target_and_anomaly_mitigation_sheds_it() {
    let rr = run_model_file("gray-failure");
    let mut m = model_file_json("gray-failure");
    let attrs = &mut m["target_groups"][0]["attributes"];
    attrs["load_balancing.algorithm.type"] = json!("weighted_random");
    attrs["load_balancing.algorithm.anomaly_mitigation"] = json!("on");
    let atw = run_value(&m);
    for r in [&rr, &atw] {
        assert!(
            healthy_throughout(r, "web/web-3", 0.0, 1200.0),
            "health checks pass"
        );
        for p in periods(r, 0.0, 300.0).chain(periods(r, 900.0, 1200.0)) {
            assert_eq!(p.target.c5xx, 0, "no errors outside the fault: {p:?}");
        }
    }
    let (mut rr_errors, mut atw_errors) = (0, 0);
    for p in periods(&rr, 300.0, 900.0) {
        // Round robin: a quarter of the period's requests, to within the boundary's few.
        let share = p.request_count / 4;
        assert_binomial(p.target.c5xx, share, 0.5, "round robin: web-3's 500s");
        // Detected at 5:05: 55 of the first fault period's 60 seconds.
        let anomalous = if p.start_seconds > 300.0 {
            1.0
        } else {
            55.0 / 60.0
        };
        assert_eq!(
            (p.hosts[0].anomalous, p.hosts[0].mitigated),
            (anomalous, 0.0)
        );
        rr_errors += p.target.c5xx;
    }
    let floor = 200.0 * PERIOD * 0.02 / 3.02 / 2.0;
    for p in periods(&atw, 360.0, 900.0) {
        assert_poisson(p.target.c5xx, floor, "mitigated: web-3's 500s at the floor");
        assert_eq!((p.hosts[0].anomalous, p.hosts[0].mitigated), (1.0, 1.0));
        atw_errors += p.target.c5xx;
    }
    assert!(atw_errors * 30 < rr_errors, "{atw_errors} vs {rr_errors}");
    for p in periods(&atw, 1020.0, 1200.0) {
        assert_eq!((p.hosts[0].anomalous, p.hosts[0].mitigated), (0.0, 0.0));
    }
    let web3 = completed(&atw, "web-3");
    let others = ["web-1", "web-2", "web-4"].map(|id| completed(&atw, id));
    assert!(others.iter().all(|&n| n > 2 * web3), "{web3} vs {others:?}");
}

// ---------------------------------------------------------------------------------------------
// az-outage
// ---------------------------------------------------------------------------------------------

/// az-outage: us-east-1a fails from 10:00 to 25:00 under a four-instance group (two per zone,
/// MaxSize 6, ELB health checks, health poll every 60 s).
/// - The targets in us-east-1a go unhealthy (two failed 10 s checks) and, at the next poll, are
///   taken out of service; their replacements launch in us-east-1b, the zone that is up (AWS:
///   "launches new instances in an unaffected Availability Zone").
/// - At the first poll after 25:00 the zones hold 0 and 4: AZRebalance launches ⌊4/2⌋ − 0 = 2 in
///   us-east-1a (room: MaxSize 6 + margin max(1, 10 % of 6) − 4 = 3), and terminates one in
///   us-east-1b exactly when each of them enters service: launch before terminate, so InService
///   never falls below 4 and never exceeds 6 + 1. The run ends with two instances per zone.
#[test]
fn az_outage_replaces_in_the_surviving_zone_then_rebalances_launch_before_terminate() {
    let r = run_model_file("az-outage");
    let (outage, back, poll) = (600.0, 1500.0, 60.0);
    let next_poll = |t: f64| (t / poll).floor() * poll + poll;
    let acts = asg_activity(&r, "web-asg");
    let zone_of = |id: &str| {
        (r.instances.iter().find(|i| i.id == id))
            .map(|i| i.availability_zone.clone())
            .unwrap()
    };
    // Replacements: at the first poll after both us-east-1a targets are unhealthy, in 1b.
    let unhealthy: Vec<f64> = ["web-asg-0001", "web-asg-0003"]
        .iter()
        .map(|id| transition(&r, &format!("web/{id}"), (Healthy, Unhealthy)).0)
        .collect();
    assert!(unhealthy.iter().all(|&t| t > outage && t < outage + 30.0));
    let replacing: Vec<(f64, &str)> = (acts.iter())
        .filter_map(|(t, a)| match a {
            ScalingActivity::Launching {
                zone,
                cause: ScalingCause::ReplacingUnhealthy { .. },
                ..
            } => Some((*t, zone.as_str())),
            _ => None,
        })
        .collect();
    assert_eq!(replacing.len(), 2, "{replacing:?}");
    for (&(t, zone), &u) in replacing.iter().zip(&unhealthy) {
        assert_eq!((t, zone), (next_poll(u), "us-east-1b"));
    }
    // Rebalancing: two launches in 1a at the first poll after the zone is back.
    let rebalance_launches: Vec<(f64, &str, &str)> = (acts.iter())
        .filter_map(|(t, a)| match a {
            ScalingActivity::Launching {
                instance,
                zone,
                cause: ScalingCause::AzRebalance { launch: true, .. },
            } => Some((*t, instance.as_str(), zone.as_str())),
            _ => None,
        })
        .collect();
    assert_eq!(rebalance_launches.len(), 2, "{rebalance_launches:?}");
    assert!(
        rebalance_launches
            .iter()
            .all(|&(t, _, z)| t == next_poll(back - 1e-9) && z == "us-east-1a")
    );
    // Each in service ⇒ one termination in 1b, at that instant.
    let in_service_at = |id: &str| {
        acts.iter()
            .find_map(|(t, a)| match a {
                ScalingActivity::InService { instance, .. } if instance == id => Some(*t),
                _ => None,
            })
            .unwrap()
    };
    let mut rebalance_terms: Vec<(f64, String)> = (acts.iter())
        .filter_map(|(t, a)| match a {
            ScalingActivity::Terminating {
                instance,
                cause: ScalingCause::AzRebalance { launch: false, .. },
            } => Some((*t, zone_of(instance))),
            _ => None,
        })
        .collect();
    rebalance_terms.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut ready: Vec<f64> = rebalance_launches
        .iter()
        .map(|l| in_service_at(l.1))
        .collect();
    ready.sort_by(f64::total_cmp);
    assert_eq!(
        rebalance_terms,
        ready
            .iter()
            .map(|&t| (t, "us-east-1b".to_string()))
            .collect::<Vec<_>>()
    );
    // Capacity never dips while rebalancing, and stays within MaxSize + margin.
    for (t, c) in capacity_rows(&r, 0) {
        if t > back {
            assert!(
                (4..=7).contains(&(c.in_service + c.pending)) && c.in_service >= 4,
                "at {t}: {c:?}"
            );
        }
        assert_eq!(c.desired, 4);
    }
    // The capacity gap: two healthy targets from the unhealthy marks to the replacements'.
    let gap = periods(&r, 660.0, 720.0).next().unwrap();
    assert!(gap.hosts[0].healthy <= 2.0 + 1e-9, "{gap:?}");
    // Balanced at the end: two per zone among the instances still running.
    let alive: Vec<&str> = r
        .instances
        .iter()
        .filter(|i| i.terminated_seconds.is_none())
        .map(|i| i.availability_zone.as_str())
        .collect();
    let in_a = alive.iter().filter(|&&z| z == "us-east-1a").count();
    assert_eq!((in_a, alive.len()), (2, 4), "{alive:?}");
}

/// az-outage with MaxSize 4 (= desired): the margin, max(1, 10 % of 4) = 1, allows one
/// instance above MaxSize, so AZRebalance moves one instance at a time: a launch in us-east-1a,
/// its partner's termination when it is in service, and the next launch at the first health
/// poll after that (each round waits for the one before). Never more than 5 instances.
#[test]
fn az_outage_at_max_size_rebalances_one_instance_at_a_time_within_the_margin() {
    let mut m = model_file_json("az-outage");
    m["auto_scaling_groups"][0]["MaxSize"] = json!(4);
    let r = run_value(&m);
    let acts = asg_activity(&r, "web-asg");
    let launches: Vec<f64> = (acts.iter())
        .filter(|(_, a)| {
            matches!(
                a,
                ScalingActivity::Launching {
                    cause: ScalingCause::AzRebalance { .. },
                    ..
                }
            )
        })
        .map(|(t, _)| *t)
        .collect();
    let terms: Vec<f64> = (acts.iter())
        .filter(|(_, a)| {
            matches!(
                a,
                ScalingActivity::Terminating {
                    cause: ScalingCause::AzRebalance { .. },
                    ..
                }
            )
        })
        .map(|(t, _)| *t)
        .collect();
    assert_eq!(
        (launches.len(), terms.len()),
        (2, 2),
        "{launches:?} {terms:?}"
    );
    assert_eq!(launches[0], 1500.0, "the first poll after the zone is back");
    assert!(terms[0] > launches[0] && terms[0] < launches[1]);
    assert_eq!(
        launches[1],
        (terms[0] / 60.0).floor() * 60.0 + 60.0,
        "the next poll"
    );
    for (t, c) in capacity_rows(&r, 0) {
        assert!(c.in_service + c.pending <= 5, "at {t}: {c:?}");
    }
}
