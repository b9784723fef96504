//! Clients that give up and retry, checked against the rules they follow:
//!
//! - a request's `timeout` T: the client closes the connection at exactly T after sending, the
//!   ALB logs 460 (`HTTPCode_ELB_4XX_Count`; request processing time measured, target and response
//!   processing times `-1`, target status `-`), and the target still finishes the request;
//! - backoff: with exponential backoff and no jitter, retry n waits `min(max, base · 2^(n−1))`, so
//!   an end user's latency is the sum of its delays; constant backoff waits `base`; full jitter
//!   draws `U(0, v)` (mean v/2, within its confidence interval);
//! - the retry quota (the SDKs' token bucket) allows exactly ⌊tokens / cost⌋ retries while
//!   nothing succeeds;
//! - retries are new requests to the ALB (`RequestCount`), and the ALB itself retries nothing.

use crate::common::{
    Z_999, albsim, client, constant_ms, constant_rate, http_listener, instance, model, run_value,
    status,
};
use albsim::RunResult;
use serde_json::{Value, json};

/// A listener whose every answer is a fixed response `code` (no target), and a client at one
/// request per `every` seconds (the first at `every`) with `retry`.
fn fixed(code: u16, every: f64, seconds: f64, retry: Value) -> Value {
    let mut c = client("c", constant_rate(1.0 / every), constant_ms(1.0));
    c["retry"] = retry;
    let listener = json!({ "port": 80, "protocol": "HTTP",
        "default_actions": [ { "type": "fixed-response", "status_code": code } ] });
    model(
        "retries",
        1,
        seconds,
        json!([c]),
        json!([listener]),
        json!([]),
        json!([]),
    )
}

fn end_users(r: &RunResult) -> &albsim::recorder::ClientResult {
    assert_eq!(r.clients.len(), 1, "one retrying client");
    &r.clients[0]
}

#[test]
fn exponential_backoff_without_jitter_waits_base_times_two_to_the_n_minus_one_capped() {
    // 4 attempts, base 1 s: delays 1, 2, 4 s → each end user waits exactly 7 s for the last
    // 503; with max 3 s the third delay is capped: 1 + 2 + 3 = 6 s.
    for (max, total_ms) in [("20s", 7000.0), ("3s", 6000.0)] {
        let retry = json!({ "max_attempts": 4, "base": "1s", "max": max, "jitter": "none",
                            "quota": "off" });
        let r = run_value(&fixed(503, 60.0, 630.0, retry));
        let c = end_users(&r);
        assert_eq!(c.requests, 10, "one end-user request a minute");
        assert_eq!(c.attempts, 40);
        assert_eq!(c.retries, 30);
        assert_eq!(c.failed, 10);
        assert_eq!(r.requests_total, 40, "every retry is a request to the ALB");
        assert_eq!(status(&r, 503), 40);
        let l = c.latency_ms.as_ref().unwrap();
        assert!(
            (l.mean - total_ms).abs() < 1e-6 && (l.max - total_ms).abs() < 1e-6,
            "{l:?}"
        );
        assert!((c.retry_share - 0.75).abs() < 1e-12);
    }
}

#[test]
fn constant_backoff_waits_base_every_time_and_max_attempts_counts_the_first() {
    let retry = json!({ "max_attempts": 3, "backoff": "constant", "base": "500ms",
                        "jitter": "none", "quota": "off" });
    let r = run_value(&fixed(502, 60.0, 630.0, retry));
    let c = end_users(&r);
    assert_eq!((c.requests, c.attempts, c.retries), (10, 30, 20));
    let l = c.latency_ms.as_ref().unwrap();
    assert!((l.mean - 1000.0).abs() < 1e-6, "{l:?}");
    // A status outside on_status is the end user's answer at once.
    let retry = json!({ "max_attempts": 3, "quota": "off" });
    let r = run_value(&fixed(404, 60.0, 630.0, retry));
    let c = end_users(&r);
    assert_eq!(
        (c.requests, c.attempts, c.retries, c.failed),
        (10, 10, 0, 10)
    );
}

#[test]
fn full_jitter_draws_uniformly_up_to_the_exponential_delay() {
    // Two attempts, base 1 s, full jitter: the one delay is U(0, 1 s); over n end users the mean
    // latency is 0.5 s within z · (1/√12)/√n, and every latency lies in [0, 1 s].
    let n = 1200;
    let retry = json!({ "max_attempts": 2, "base": "1s", "jitter": "full", "quota": "off" });
    let r = run_value(&fixed(503, 2.0, 2.0 * n as f64, retry));
    let c = end_users(&r);
    assert!(c.requests >= n as u64 - 1, "{}", c.requests);
    let l = c.latency_ms.as_ref().unwrap();
    let half_width = Z_999 * (1.0 / 12f64.sqrt()) / (c.requests as f64).sqrt() * 1000.0;
    assert!(
        (l.mean - 500.0).abs() < half_width,
        "{} ± {half_width}",
        l.mean
    );
    assert!(l.max <= 1000.0, "{l:?}");
    // Equal jitter: U(0.5 s, 1 s), mean 0.75 s.
    let retry = json!({ "max_attempts": 2, "base": "1s", "jitter": "equal", "quota": "off" });
    let r = run_value(&fixed(503, 2.0, 2.0 * n as f64, retry));
    let l = end_users(&r).latency_ms.clone().unwrap();
    let half_width = Z_999 * (0.5 / 12f64.sqrt()) / (n as f64).sqrt() * 1000.0;
    assert!(
        (l.mean - 750.0).abs() < half_width,
        "{} ± {half_width}",
        l.mean
    );
    assert!(l.p50 >= 499.0 && l.max <= 1000.0, "{l:?}");
}

#[test]
fn the_retry_quota_allows_tokens_over_cost_retries_while_nothing_succeeds() {
    // 12 tokens, 5 a retry: the first end user retries twice (12 → 7 → 2), then the bucket
    // cannot pay for one more, and nothing succeeds to refill it.
    let retry = json!({ "max_attempts": 5, "jitter": "none",
                        "quota": { "initial_tokens": 12, "retry_cost": 5 } });
    let r = run_value(&fixed(503, 60.0, 630.0, retry));
    let c = end_users(&r);
    assert_eq!(c.retries, 2);
    assert_eq!(
        c.quota_refused, 10,
        "the first user's third retry, then every first attempt"
    );
    assert_eq!(c.attempts, 12);
    // The SDK's default quota (500 tokens, 5 a retry) allows 100 retries.
    let retry = json!({ "max_attempts": 3, "jitter": "none" });
    let r = run_value(&fixed(503, 6.0, 603.0, retry));
    let c = end_users(&r);
    assert_eq!(c.retries, 100);
    assert_eq!(c.quota_refused, c.requests - 50, "{c:?}");
}

/// One target with one worker, service `service_ms`, and a client sending one request every
/// `every` seconds (the first at `every`) with `timeout`.
fn slow_target(
    service_ms: f64,
    every: f64,
    seconds: f64,
    timeout: &str,
    retry: Option<Value>,
) -> Value {
    let mut c = client("c", constant_rate(1.0 / every), constant_ms(service_ms));
    c["requests"][0]["timeout"] = json!(timeout);
    if let Some(r) = retry {
        c["retry"] = r;
    }
    let mut m = model(
        "timeouts",
        1,
        seconds,
        json!([c]),
        json!([http_listener(json!([]), "web")]),
        json!([{ "name": "web", "port": 8080, "protocol": "HTTP", "targets": ["a"] }]),
        json!([instance("a", "test.c1", 1)]),
    );
    m["metrics"] = json!({ "period": 10 });
    m
}

#[test]
fn a_client_timeout_is_a_460_at_exactly_the_timeout_and_the_target_still_does_the_work() {
    // 3 s of work, a 1 s timeout, one request every 10 s: each is answered 460 at 1 s, the
    // target finishes every one of them (its CPU is busy 30 % of the time), and no target
    // answer reaches the client.
    let r = run_value(&slow_target(3000.0, 10.0, 605.0, "1s", None));
    assert_eq!(r.requests_total, 60);
    assert_eq!(status(&r, 460), 60);
    assert_eq!(status(&r, 200), 0);
    let l = r.latency_ms.as_ref().unwrap();
    assert!(
        (l.mean - 1000.0).abs() < 1e-6 && (l.max - 1000.0).abs() < 1e-6,
        "{l:?}"
    );
    let elb_4xx: u64 = r.periods.iter().map(|p| p.elb.c4xx).sum();
    assert_eq!(elb_4xx, 60, "HTTPCode_ELB_4XX_Count counts 460");
    let target_2xx: u64 = r.periods.iter().map(|p| p.target.c2xx).sum();
    assert_eq!(target_2xx, 0, "the target's late answers go nowhere");
    let a = &r.instances[0];
    assert_eq!(
        a.requests_completed, 60,
        "the abandoned work is done anyway"
    );
    assert!(
        (a.cpu_utilization - 30.0).abs() < 0.6,
        "{}",
        a.cpu_utilization
    );
    let c = &r.clients[0];
    assert_eq!(
        (c.timeouts, c.requests, c.failed, c.retries),
        (60, 60, 60, 0)
    );
}

#[test]
fn the_client_timeout_applies_to_every_request_type_without_its_own() {
    // 3 s of work, one request every 10 s: the client's 1 s timeout covers a type without its
    // own (every request a 460 at 1 s); the type's own 5 s wins over it (every request a 200).
    let mut m = slow_target(3000.0, 10.0, 605.0, "1s", None);
    let c = &mut m["clients"][0];
    c["requests"][0].as_object_mut().unwrap().remove("timeout");
    c["timeout"] = json!("1s");
    let r = run_value(&m);
    assert_eq!(
        (status(&r, 460), status(&r, 200)),
        (60, 0),
        "the client's timeout"
    );
    m["clients"][0]["requests"][0]["timeout"] = json!("5s");
    let r = run_value(&m);
    assert_eq!(
        (status(&r, 460), status(&r, 200)),
        (0, 60),
        "the type's own timeout"
    );
    // A WebSocket client takes no client timeout either.
    let mut ws = crate::common::model_file_json("websocket-idle-timeout");
    ws["clients"][0]["timeout"] = json!("1s");
    let e = albsim::scenario::from_json(&ws.to_string(), std::path::Path::new("m.json"))
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("clients[0].timeout") && e.contains("WebSocket"),
        "{e}"
    );
}

#[test]
fn a_timeout_longer_than_the_work_changes_nothing() {
    let r = run_value(&slow_target(300.0, 10.0, 605.0, "1s", None));
    assert_eq!(status(&r, 200), 60);
    assert_eq!(r.clients[0].timeouts, 0);
    let l = r.clients[0].latency_ms.as_ref().unwrap();
    assert!((l.max - 300.0).abs() < 0.5, "{l:?}");
}

#[test]
fn a_timed_out_request_is_retried_unless_on_timeout_is_false() {
    // 3 attempts, constant 1 s backoff, no jitter: attempts at 0, 2, 4 s each give up at 1 s, so
    // the end user's answer is the third 460, 5 s after the first send.
    let retry = json!({ "max_attempts": 3, "backoff": "constant", "base": "1s", "jitter": "none",
                        "quota": "off" });
    let r = run_value(&slow_target(3000.0, 30.0, 615.0, "1s", Some(retry.clone())));
    let c = &r.clients[0];
    assert_eq!(
        (c.requests, c.attempts, c.retries, c.timeouts),
        (20, 60, 40, 60)
    );
    let l = c.latency_ms.as_ref().unwrap();
    assert!((l.mean - 5000.0).abs() < 1e-6, "{l:?}");
    assert_eq!(
        r.instances[0].requests_completed, 60,
        "each attempt's work is done"
    );
    let mut retry = retry;
    retry["on_timeout"] = json!(false);
    let r = run_value(&slow_target(3000.0, 30.0, 615.0, "1s", Some(retry)));
    let c = &r.clients[0];
    assert_eq!((c.requests, c.attempts, c.retries), (20, 20, 0));
}

#[test]
fn the_access_log_writes_460_with_minus_one_target_and_response_times() {
    let dir = tempfile::tempdir().unwrap();
    let m = slow_target(3000.0, 10.0, 65.0, "1s", None);
    std::fs::write(dir.path().join("m.json"), m.to_string()).unwrap();
    let (code, _, err) = albsim(
        dir.path(),
        &["run", "m.json", "-q", "--out", "o", "--access-log"],
    );
    assert_eq!(code, Some(0), "{err}");
    let log = std::fs::read_to_string(dir.path().join("o/access.log")).unwrap();
    let lines: Vec<&str> = log.lines().collect();
    assert_eq!(lines.len(), 6);
    for line in lines {
        let f: Vec<&str> = line.split(' ').collect();
        // type time elb client:port target:port request target response elb_status target_status
        assert_eq!(&f[5..10], ["0.000", "-1", "-1", "460", "-"], "{line}");
        assert!(f[4].starts_with("10."), "the target it was sent to: {line}");
    }
}

#[test]
fn bad_retry_and_timeout_settings_say_what_is_allowed() {
    let cases: &[(Value, &str, &str)] = &[
        (
            json!({ "max_attempts": 0 }),
            "clients[0].retry.max_attempts",
            "1–10 attempts",
        ),
        (
            json!({ "max_attempts": 11 }),
            "clients[0].retry.max_attempts",
            "1–10 attempts",
        ),
        (
            json!({ "base": "2s", "max": "1s" }),
            "clients[0].retry.max",
            "at least base (2 s)",
        ),
        (
            json!({ "base": "2h" }),
            "clients[0].retry.base",
            "from 0 s to",
        ),
        (
            json!({ "on_status": [503, 460] }),
            "clients[0].retry.on_status[1]",
            "not 460",
        ),
        (
            json!({ "on_status": [200] }),
            "clients[0].retry.on_status[0]",
            "400 to 599",
        ),
        (
            json!({ "quota": "on" }),
            "clients[0].retry.quota",
            "\"off\" or",
        ),
        (
            json!({ "quota": { "tokens": 5 } }),
            "clients[0].retry.quota.tokens",
            "allowed keys",
        ),
        (
            json!({ "quota": { "retry_cost": -1 } }),
            "clients[0].retry.quota.retry_cost",
            "whole number",
        ),
        (
            json!({ "jitter": "random" }),
            "clients[0].retry.jitter",
            "full",
        ),
    ];
    for (retry, path, words) in cases {
        let m = fixed(503, 60.0, 60.0, retry.clone());
        let e = albsim::scenario::from_json(&m.to_string(), std::path::Path::new("m.json"))
            .unwrap_err()
            .to_string();
        assert!(e.contains(path) && e.contains(words), "{retry}: {e}");
    }
    for (timeout, words) in [("0s", "from 1 ms"), ("2h", "to 1 h")] {
        let m = slow_target(10.0, 1.0, 60.0, timeout, None);
        let e = albsim::scenario::from_json(&m.to_string(), std::path::Path::new("m.json"))
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("clients[0].requests[0].timeout") && e.contains(words),
            "{e}"
        );
    }
}

#[test]
fn websocket_clients_take_neither_retry_nor_timeout() {
    let mut m = crate::common::model_file_json("websocket-idle-timeout");
    m["clients"][0]["retry"] = json!({});
    let e = albsim::scenario::from_json(&m.to_string(), std::path::Path::new("m.json"))
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("clients[0].retry") && e.contains("WebSocket"),
        "{e}"
    );
}

#[test]
fn a_model_without_retries_or_timeouts_has_no_clients_section() {
    let r = run_value(&slow_target(300.0, 10.0, 60.0, "1s", None));
    assert!(!r.clients.is_empty());
    let mut m = slow_target(300.0, 10.0, 60.0, "1s", None);
    m["clients"][0]["requests"][0]
        .as_object_mut()
        .unwrap()
        .remove("timeout");
    let r = run_value(&m);
    assert!(r.clients.is_empty());
    let json: Value = serde_json::from_str(&albsim::report::summary::to_json(&r)).unwrap();
    assert!(json.get("clients").is_none());
}
