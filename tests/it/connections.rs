//! Client connections as CloudWatch counts them: `NewConnectionCount` (opened in the period) and
//! `ActiveConnectionCount` (open at some time in the period). Keep-alive reuses one connection;
//! the ALB idle timeout (`idle_timeout.timeout_seconds`) closes idle ones; the maximum lifetime
//! (`client_keep_alive.seconds`) closes a connection after the response that outlives it.
//! All timings are evenly spaced so the expected counts follow by hand.

use crate::common::{
    Csv, client, constant_ms, constant_rate, group, http_listener, instance, model, run_value,
    status,
};
use serde_json::{Value, json};

/// One client at `rate` per second (evenly spaced), 1 ms service, 600 s in 60 s periods.
fn conn_model(rate: f64, keep_alive: bool) -> Value {
    let mut m = model(
        "connections",
        1,
        600.0,
        json!([client("c", constant_rate(rate), constant_ms(1.0))]),
        json!([http_listener(json!([]), "tg")]),
        json!([group("tg", &["i-1"], "round_robin")]),
        json!([instance("i-1", "test.c1", 1)]),
    );
    m["clients"][0]["keep_alive"] = json!(keep_alive);
    m
}

fn counts(m: &Value) -> (u64, Vec<u64>, Vec<u64>) {
    let r = run_value(m);
    assert_eq!(status(&r, 200), r.requests_total, "all answered");
    let csv = Csv::of(&r);
    let col = |c: &str| csv.column(c).iter().map(|&x| x as u64).collect::<Vec<_>>();
    (
        r.requests_total,
        col("NewConnectionCount"),
        col("ActiveConnectionCount"),
    )
}

#[test]
fn keep_alive_reuses_one_connection_for_the_whole_run() {
    let (n, new, active) = counts(&conn_model(1.0, true));
    assert_eq!(n, 599, "arrivals at 1, 2, …, 599 s");
    assert_eq!(new.iter().sum::<u64>(), 1);
    assert_eq!(
        active,
        vec![1; 10],
        "the connection is open in every period"
    );
}

#[test]
fn without_keep_alive_every_request_opens_a_connection() {
    let (n, new, _) = counts(&conn_model(1.0, false));
    assert_eq!(new.iter().sum::<u64>(), n);
}

/// Requests every 2 s, idle timeout 1 s: each idle connection closes before the next request,
/// so every request opens one, and none is still open when a period starts.
#[test]
fn idle_timeout_closes_idle_connections() {
    let mut m = conn_model(0.5, true);
    m["load_balancer"]["attributes"]["idle_timeout.timeout_seconds"] = json!(1);
    let (n, new, active) = counts(&m);
    assert_eq!(n, 299, "arrivals at 2, 4, …, 598 s");
    assert_eq!(new.iter().sum::<u64>(), n);
    let mut expected = vec![30; 10];
    expected[0] = 29; // 2 … 58 s
    assert_eq!(new, expected);
    assert_eq!(active, expected, "no connection spans a period boundary");
}

/// Requests every second, `client_keep_alive.seconds` = 60: a connection born at b serves the
/// requests up to b + 60 s and is closed after that response, so connections are born at 1, 62,
/// 123, …, 550 s (10 of them). Every period after the first sees the end of one and the start of
/// the next.
#[test]
fn client_keep_alive_limits_the_connection_lifetime() {
    let mut m = conn_model(1.0, true);
    m["load_balancer"]["attributes"]["client_keep_alive.seconds"] = json!(60);
    let (_, new, active) = counts(&m);
    assert_eq!(new, vec![1; 10]);
    let mut expected = vec![2; 10];
    expected[0] = 1;
    assert_eq!(active, expected);
}
