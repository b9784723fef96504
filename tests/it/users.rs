//! Closed-loop users are woken exactly once by every kind of final answer: a target's 200, the
//! ALB's fixed-response, 503 (no target), 504 (idle timeout), a redirect that leaves this load
//! balancer, and a followed redirect (woken only after the follow-up). A path that forgets to wake
//! the user drains the population; one that wakes it twice multiplies it. With constant think
//! times the number of requests follows by hand.

use crate::common::{
    client, constant_ms, group, http_listener, instance, model, run_value, status,
};
use serde_json::{Value, json};

const USERS: u64 = 5;

/// USERS users thinking a constant 100 ms, for 10 s, against `listeners` and group `tg` (with
/// `targets`), service `service_ms`.
fn users_model(listeners: Value, targets: &[&str], service_ms: f64) -> Value {
    let users = json!({ "type": "users", "count": USERS, "think_time": constant_ms(100.0) });
    model(
        "users",
        1,
        10.0,
        json!([client("u", users, constant_ms(service_ms))]),
        listeners,
        json!([group("tg", targets, "round_robin")]),
        json!([instance("i-1", "test.c10", 10)]),
    )
}

fn only_status(r: &albsim::RunResult) -> Vec<(u16, u64)> {
    r.by_status.clone().into_iter().collect()
}

/// Answered at once: sends at 0, 0.1, …, 9.9 s, i.e. 100 per user.
#[test]
fn answers_from_the_load_balancer_wake_the_user() {
    let fixed = json!([{ "port": 80, "protocol": "HTTP", "default_actions": [
        { "type": "fixed-response", "status_code": 200 } ] }]);
    let redirect_away = json!([{ "port": 80, "protocol": "HTTP", "default_actions": [
        { "type": "redirect", "port": "8080", "status_code": "HTTP_302" } ] }]);
    let empty = json!([http_listener(json!([]), "tg")]);
    for (what, listeners, targets, code) in [
        ("fixed-response", fixed, vec!["i-1"], 200),
        (
            "redirect to a port with no listener",
            redirect_away,
            vec!["i-1"],
            302,
        ),
        ("no target (503)", empty, vec![], 503),
    ] {
        let r = run_value(&users_model(listeners, &targets, 1.0));
        assert_eq!(
            only_status(&r),
            vec![(code, USERS * 100)],
            "{what}: every user sends every 100 ms"
        );
    }
}

/// Target 200 after 10 ms: a cycle is 110 ms, sends at 0, 0.11, …, 9.9 s: 91 per user.
#[test]
fn a_target_answer_wakes_the_user() {
    let r = run_value(&users_model(
        json!([http_listener(json!([]), "tg")]),
        &["i-1"],
        10.0,
    ));
    assert_eq!(only_status(&r), vec![(200, USERS * 91)]);
}

/// Service 5 s, idle timeout 1 s: 504 after 1 s, so a cycle is 1.1 s: sends at 0, 1.1, …, 9.9 s
/// (10 per user), of which the last is still waiting at the end.
#[test]
fn a_504_wakes_the_user() {
    let mut m = users_model(json!([http_listener(json!([]), "tg")]), &["i-1"], 5000.0);
    m["load_balancer"]["attributes"]["idle_timeout.timeout_seconds"] = json!(1);
    let r = run_value(&m);
    assert_eq!(r.requests_total, USERS * 10);
    assert_eq!(only_status(&r), vec![(504, USERS * 9)]);
}

/// HTTP:80 → 301 → HTTPS:443 fixed 200. The first follow-up pays the 2 ms TLS handshake (the
/// default), later ones reuse the user's connection: sends at 0, 0.102, 0.202, …, 9.902 s (100),
/// each a 301 plus a 200.
#[test]
fn a_followed_redirect_wakes_the_user_once_after_the_follow_up() {
    let listeners = json!([
        { "port": 80, "protocol": "HTTP", "default_actions": [
            { "type": "redirect", "protocol": "HTTPS", "port": "443", "status_code": "HTTP_301" } ] },
        { "port": 443, "protocol": "HTTPS", "default_actions": [
            { "type": "fixed-response", "status_code": 200 } ] }
    ]);
    let r = run_value(&users_model(listeners, &["i-1"], 1.0));
    assert_eq!(status(&r, 301), USERS * 100);
    assert_eq!(status(&r, 200), USERS * 100);
    assert_eq!(r.requests_total, USERS * 200);
}
