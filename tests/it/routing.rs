//! Where requests go and what the load balancer answers: target-group algorithms
//! (`round_robin`, `least_outstanding_requests`, `weighted_random`), weighted `forward` across
//! target groups, `redirect` (followed by the client, on a new HTTPS connection), `fixed-response`,
//! and the ALB's own errors: 503 (no registered target), 502 (target refuses: backlog full, an
//! Erlang B loss system), 504 (idle timeout while the target works) — in `by_status` and in the
//! CSV columns.

use crate::common::{
    Csv, R, Z_999, assert_binomial, client, constant_ms, constant_rate, erlang_b, exponential_ms,
    forward, group, group_requests, http_listener, instance, model, poisson, run_value, status,
    t_interval_r10,
};
use serde_json::{Value, json};

/// One client, one listener forwarding everything to `tg` with `algorithm` over `instances`.
fn one_group(
    seed: u64,
    seconds: f64,
    arrival: Value,
    service: Value,
    algorithm: &str,
    instances: Value,
) -> Value {
    let ids: Vec<String> = instances
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap().to_string())
        .collect();
    let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
    model(
        "routing",
        seed,
        seconds,
        json!([client("c", arrival, service)]),
        json!([http_listener(json!([]), "tg")]),
        json!([group("tg", &ids, algorithm)]),
        instances,
    )
}

fn completed(r: &albsim::RunResult) -> Vec<u64> {
    r.instances.iter().map(|i| i.requests_completed).collect()
}

#[test]
fn round_robin_splits_constant_arrivals_exactly_evenly() {
    let m = one_group(
        1,
        60.0,
        // Gaps of exactly 40 ms: arrivals at 0.04 … 59.96 s, all answered by the end.
        constant_rate(25.0),
        constant_ms(1.0),
        "round_robin",
        json!([
            instance("a", "test.c1", 1),
            instance("b", "test.c1", 1),
            instance("c", "test.c1", 1)
        ]),
    );
    let r = run_value(&m);
    let done = completed(&r);
    assert_eq!(r.in_flight_at_end(), 0);
    assert_eq!(done.iter().sum::<u64>(), status(&r, 200));
    assert_eq!(status(&r, 200), r.requests_total);
    assert_eq!(r.requests_total, 1499);
    let (lo, hi) = (done.iter().min().unwrap(), done.iter().max().unwrap());
    assert!(hi - lo <= 1, "round robin counts {done:?}");
}

/// A c5.large running 2 requests at once (2 vCPUs, 2 workers) next to a t2.micro running 1: the
/// c5.large has twice the capacity. Round robin still halves the traffic (the t2.micro at ρ = 0.9);
/// least outstanding requests sends the c5.large significantly more than half (an even split is
/// outside the 99.9 % binomial interval) and lowers the mean latency.
///
/// Note: the service time does not depend on the instance type, so with *one* worker each the two
/// instances would be identical; the capacity difference comes from the workers/vCPUs.
#[test]
fn least_outstanding_requests_favours_the_instance_with_more_capacity() {
    let run = |algorithm| {
        run_value(&one_group(
            1,
            600.0,
            poisson(180.0),
            exponential_ms(10.0),
            algorithm,
            json!([instance("c5", "c5.large", 2), instance("t2", "t2.micro", 1)]),
        ))
    };
    let rr = run("round_robin");
    let lor = run("least_outstanding_requests");

    let d = completed(&rr);
    assert!(
        d[0].abs_diff(d[1]) <= rr.in_flight_at_end() + 1,
        "round robin forwards alternately: {d:?}, {} in flight",
        rr.in_flight_at_end()
    );

    let d = completed(&lor);
    let n = (d[0] + d[1]) as f64;
    let even_upper = n / 2.0 + Z_999 * (n / 4.0).sqrt();
    assert!(
        d[0] as f64 > even_upper,
        "LOR: c5.large got {} of {n}, not significantly more than half (> {even_upper:.0})",
        d[0]
    );
    let (l_rr, l_lor) = (
        rr.latency_ms.as_ref().unwrap().mean,
        lor.latency_ms.as_ref().unwrap().mean,
    );
    assert!(l_lor < l_rr, "LOR mean {l_lor} ms vs round robin {l_rr} ms");
}

#[test]
fn weighted_random_picks_targets_uniformly() {
    let m = one_group(
        5,
        600.0,
        poisson(100.0),
        constant_ms(1.0),
        "weighted_random",
        json!([
            instance("a", "test.c4", 4),
            instance("b", "test.c4", 4),
            instance("c", "test.c4", 4)
        ]),
    );
    let r = run_value(&m);
    let done = completed(&r);
    let n: u64 = done.iter().sum();
    for (i, &k) in done.iter().enumerate() {
        assert_binomial(k, n, 1.0 / 3.0, &format!("weighted_random target {i}"));
    }
    let spread = done.iter().max().unwrap() - done.iter().min().unwrap();
    assert!(spread > 1, "random picks are not round robin: {done:?}");
}

/// `forward` with weights 10/30/0 across three groups: a 25/75 split, and nothing to weight 0.
#[test]
fn weighted_forward_splits_by_weight() {
    let action = json!({ "type": "forward", "target_groups": [
        { "name": "a", "weight": 10 }, { "name": "b", "weight": 30 }, { "name": "z", "weight": 0 } ] });
    let m = model(
        "weighted",
        2,
        600.0,
        json!([client("c", poisson(100.0), constant_ms(1.0))]),
        json!([{ "port": 80, "protocol": "HTTP", "default_actions": [action] }]),
        json!([
            group("a", &["i-a"], "round_robin"),
            group("b", &["i-b"], "round_robin"),
            group("z", &["i-z"], "round_robin")
        ]),
        json!([
            instance("i-a", "test.c4", 4),
            instance("i-b", "test.c4", 4),
            instance("i-z", "test.c4", 4)
        ]),
    );
    let r = run_value(&m);
    let (a, b) = (group_requests(&r, "a"), group_requests(&r, "b"));
    assert_eq!(group_requests(&r, "z"), 0, "weight 0 gets nothing");
    assert_eq!(a + b, status(&r, 200));
    assert_binomial(a, a + b, 0.25, "weight 10 of 40");
}

/// HTTP:80 redirects (301) to HTTPS:443, which forwards. The client follows every redirect with a
/// second request on the HTTPS listener; with keep-alive off each request opens its own connection
/// and every follow-up pays the TLS handshake (50 ms) before its 10 ms of service.
fn redirect_model(keep_alive: bool) -> Value {
    let mut m = model(
        "redirect",
        1,
        60.0,
        json!([client("c", constant_rate(10.0), constant_ms(10.0))]),
        json!([
            { "port": 80, "protocol": "HTTP", "default_actions": [
                { "type": "redirect", "protocol": "HTTPS", "port": "443", "status_code": "HTTP_301" } ] },
            { "port": 443, "protocol": "HTTPS", "tls_handshake_ms": 50, "default_actions": [forward("tg")] }
        ]),
        json!([group("tg", &["i-1"], "round_robin")]),
        json!([instance("i-1", "test.c1", 1)]),
    );
    m["clients"][0]["keep_alive"] = json!(keep_alive);
    m
}

#[test]
fn redirect_to_https_is_followed_on_a_new_connection() {
    let r = run_value(&redirect_model(false));
    let csv = Csv::of(&r);
    let (n301, n200) = (status(&r, 301), status(&r, 200));
    assert!(n301 >= 590, "{n301}");
    assert_eq!(
        n301, n200,
        "every redirect is followed by one forwarded request"
    );
    assert_eq!(r.requests_total, n301 + n200, "both requests reach the ALB");
    assert_eq!(csv.sum("HTTP_Redirect_Count"), n301);
    assert_eq!(csv.sum("HTTPCode_ELB_3XX_Count"), n301);
    assert_eq!(csv.sum("HTTPCode_Target_2XX_Count"), n200);
    assert_eq!(
        csv.sum("NewConnectionCount"),
        r.requests_total,
        "keep-alive off: a new connection per request, on :80 and on :443"
    );
    let tg = r.target_groups["tg"].latency_ms.as_ref().unwrap();
    assert_eq!(
        (tg.mean, tg.max),
        (60.0, 60.0),
        "50 ms TLS handshake + 10 ms service"
    );
}

#[test]
fn redirect_with_keep_alive_opens_one_connection_per_listener() {
    let r = run_value(&redirect_model(true));
    let csv = Csv::of(&r);
    let n = status(&r, 200);
    assert_eq!(status(&r, 301), n);
    assert_eq!(
        csv.sum("NewConnectionCount"),
        2,
        "one to :80 and one to :443, then reused"
    );
    // Only the first follow-up pays the handshake: mean = 10 + 50/n ms.
    let tg = r.target_groups["tg"].latency_ms.as_ref().unwrap();
    assert_eq!(tg.max, 60.0);
    let expected = 10.0 + 50.0 / n as f64;
    assert!(
        (tg.mean - expected).abs() < 1e-9,
        "{} vs {expected}",
        tg.mean
    );
}

/// A redirect to a port with no listener sends the client elsewhere: only the 301 is seen here.
#[test]
fn redirect_off_this_load_balancer_is_not_followed() {
    let mut m = redirect_model(true);
    m["load_balancer"]["listeners"][0]["default_actions"][0]["port"] = json!("8443");
    let r = run_value(&m);
    let n = r.requests_total;
    assert!(n >= 590);
    assert_eq!(
        r.by_status.clone().into_iter().collect::<Vec<_>>(),
        vec![(301, n)]
    );
    assert_eq!(r.instances[0].requests_completed, 0);
}

#[test]
fn fixed_response_returns_its_status_from_the_load_balancer() {
    let m = model(
        "fixed",
        1,
        60.0,
        json!([client("c", constant_rate(10.0), constant_ms(10.0))]),
        json!([{ "port": 80, "protocol": "HTTP", "default_actions": [
            { "type": "fixed-response", "status_code": "429", "content_type": "text/plain",
              "message_body": "slow down" } ] }]),
        json!([group("tg", &["i-1"], "round_robin")]),
        json!([instance("i-1", "test.c1", 1)]),
    );
    let r = run_value(&m);
    let n = r.requests_total;
    assert!(n >= 590);
    assert_eq!(
        r.by_status.clone().into_iter().collect::<Vec<_>>(),
        vec![(429, n)]
    );
    let csv = Csv::of(&r);
    assert_eq!(csv.sum("HTTP_Fixed_Response_Count"), n);
    assert_eq!(csv.sum("HTTPCode_ELB_4XX_Count"), n);
    assert_eq!(csv.sum("HTTPCode_Target_4XX_Count"), 0);
    assert_eq!(
        csv.sum("ProcessedBytes"),
        n * (500 + 9),
        "request + \"slow down\""
    );
    assert_eq!(r.instances[0].requests_completed, 0);
}

#[test]
fn empty_target_group_answers_503() {
    let m = model(
        "empty",
        1,
        60.0,
        json!([client("c", poisson(20.0), constant_ms(1.0))]),
        json!([http_listener(json!([]), "empty")]),
        json!([group("empty", &[], "round_robin")]),
        json!([]),
    );
    let r = run_value(&m);
    let n = r.requests_total;
    assert!(n > 0);
    assert_eq!(
        r.by_status.clone().into_iter().collect::<Vec<_>>(),
        vec![(503, n)]
    );
    let csv = Csv::of(&r);
    assert_eq!(csv.sum("HTTPCode_ELB_503_Count"), n);
    assert_eq!(csv.sum("HTTPCode_ELB_5XX_Count"), n);
    assert_eq!(csv.sum("HTTPCode_Target_5XX_Count"), 0);
}

/// One worker and no backlog is an M/M/1/1 loss system: a request arriving while the worker is
/// busy is refused (502). By PASTA the refused fraction is Erlang B, B(1, a) = a/(1 + a); at
/// a = λ/μ = 1 that is 1/2.
#[test]
fn backlog_0_refuses_with_502_at_the_erlang_b_rate() {
    let (lambda, mu) = (100.0, 100.0);
    let mut csv_checked = false;
    let fractions: Vec<f64> = (1..=R)
        .map(|seed| {
            let mut m = one_group(
                seed,
                200.0,
                poisson(lambda),
                exponential_ms(1000.0 / mu),
                "round_robin",
                json!([instance("i-1", "test.c1", 1)]),
            );
            m["instances"][0]["backlog"] = json!(0);
            let r = run_value(&m);
            let (n502, n200) = (status(&r, 502), status(&r, 200));
            assert_eq!(n502 + n200, r.responses(), "{:?}", r.by_status);
            if !csv_checked {
                let csv = Csv::of(&r);
                assert_eq!(csv.sum("HTTPCode_ELB_502_Count"), n502);
                assert_eq!(csv.sum("HTTPCode_ELB_5XX_Count"), n502);
                assert_eq!(csv.sum("HTTPCode_Target_5XX_Count"), 0);
                csv_checked = true;
            }
            n502 as f64 / (n502 + n200) as f64
        })
        .collect();
    t_interval_r10(&fractions)
        .assert_contains(erlang_b(1, lambda / mu), "M/M/1/1: fraction refused (502)");
}

/// A target that takes 5 s while the ALB idle timeout is 1 s: every response is a 504 after
/// exactly 1 s; the target still finishes its work, but nobody hears the answer.
#[test]
fn idle_timeout_gives_504_after_exactly_the_timeout() {
    // Arrivals at 1, 2, …, 60 s; the run ends at 60.5 s, so there are no ties with the end.
    let mut m = one_group(
        1,
        60.5,
        constant_rate(1.0),
        constant_ms(5000.0),
        "round_robin",
        json!([instance("i-1", "test.c10", 10)]),
    );
    m["load_balancer"]["attributes"]["idle_timeout.timeout_seconds"] = json!(1);
    let r = run_value(&m);
    assert_eq!(r.requests_total, 60);
    assert_eq!(
        r.by_status.clone().into_iter().collect::<Vec<_>>(),
        vec![(504, 59)],
        "504s at 2…60 s; the request of 60 s is still waiting"
    );
    let l = r.latency_ms.as_ref().unwrap();
    assert_eq!((l.mean, l.max), (1000.0, 1000.0));
    let csv = Csv::of(&r);
    assert_eq!(csv.sum("HTTPCode_ELB_504_Count"), 59);
    assert_eq!(csv.sum("HTTPCode_ELB_5XX_Count"), 59);
    assert_eq!(csv.sum("HTTPCode_Target_2XX_Count"), 0);
    assert_eq!(
        r.instances[0].requests_completed, 55,
        "the target finishes the requests of 1…55 s (at 6…60 s)"
    );
}
