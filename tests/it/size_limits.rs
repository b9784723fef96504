//! The sizes that would make a run explode are capped at load time, each with an error that gives
//! the limit (see the doc comments of `albsim::model::client::MAX_RATE`, `MAX_USERS`,
//! `MAX_WEBSOCKET_MESSAGE_RATE` and `MAX_DIURNAL_POINTS`).

use crate::common::{client, constant_ms, group, http_listener, instance, model, poisson};
use serde_json::{Value, json};

fn with_arrival(arrival: Value, seconds: f64) -> Value {
    model(
        "sizes",
        1,
        seconds,
        json!([client("c", arrival, constant_ms(1.0))]),
        json!([http_listener(json!([]), "tg")]),
        json!([group("tg", &["i-1"], "round_robin")]),
        json!([instance("i-1", "test.c2", 2)]),
    )
}

fn rejected(model: &Value) -> (String, String) {
    match albsim::scenario::from_json(&model.to_string(), "sizes.json".as_ref()) {
        Ok(_) => panic!("accepted: {model}"),
        Err(albsim::scenario::ModelError::Invalid { path, message, .. }) => (path, message),
        Err(e) => panic!("unexpected error {e}"),
    }
}

fn accepted(model: &Value) {
    if let Err(e) = albsim::scenario::from_json(&model.to_string(), "sizes.json".as_ref()) {
        panic!("rejected: {e}");
    }
}

// See: issue 7, defect 7
#[test]
fn unbounded_input_arrival_rate_is_capped() {
    let (path, message) = rejected(&with_arrival(poisson(1e300), 60.0));
    assert_eq!(path, "clients[0].arrival.rate_per_second");
    assert!(message.contains("up to 10000000 per client"), "{message}");
    assert!(message.contains("simulate a fraction"), "{message}");
    accepted(&with_arrival(poisson(1e6), 60.0));
}

// See: issue 7, defect 7
#[test]
fn unbounded_input_users_are_capped() {
    let users = |n: u64| json!({ "type": "users", "count": n, "think_time": constant_ms(100.0) });
    let (path, message) = rejected(&with_arrival(users(10_000_001), 60.0));
    assert_eq!(path, "clients[0].arrival.count");
    assert!(message.contains("1–10000000 users per client"), "{message}");
    let ws = json!({ "type": "websocket", "connections": 10_000_001u64 });
    let (path, message) = rejected(&with_arrival(ws, 60.0));
    assert_eq!(path, "clients[0].arrival.connections");
    assert!(message.contains("1–10000000 connections"), "{message}");
    accepted(&with_arrival(users(100_000), 60.0));
}

// See: issue 7, defect 7
#[test]
fn unbounded_input_websocket_message_rate_is_capped() {
    let ws = |connections: u64, ms: f64| {
        json!({ "type": "websocket", "connections": connections,
                "server_message_interval": constant_ms(ms) })
    };
    // 1 000 000 connections × 100 messages/s = 10^8 messages/s.
    let (path, message) = rejected(&with_arrival(ws(1_000_000, 10.0), 60.0));
    assert_eq!(path, "clients[0].arrival.server_message_interval");
    assert!(
        message.contains("at most 10000000 messages per second"),
        "{message}"
    );
    // A mean of 0 would send messages at one instant for ever.
    let (path, message) = rejected(&with_arrival(ws(1, 0.0), 60.0));
    assert_eq!(path, "clients[0].arrival.server_message_interval");
    assert!(message.contains("mean above 0"), "{message}");
    accepted(&with_arrival(ws(10_000, 10.0), 60.0));
}

// See: issue 7, defect 7
#[test]
fn unbounded_input_diurnal_profile_is_capped() {
    // A 60 s period over 366 days needs 759 million rate points.
    let day = |period: &str| {
        json!({ "type": "diurnal", "min_rate_per_second": 1, "max_rate_per_second": 5,
                "period": period })
    };
    let (path, message) = rejected(&with_arrival(day("60s"), 366.0 * 86_400.0));
    assert_eq!(path, "clients[0].arrival.period");
    assert!(message.contains("more than 10000000"), "{message}");
    assert!(
        message.contains("use a period of at least 4554 s"),
        "{message}"
    );
    // The period the message suggests is accepted.
    accepted(&with_arrival(day("4554s"), 366.0 * 86_400.0));
}

// See: issue 7, defect 7
#[test]
fn unbounded_input_users_are_capped_over_all_clients() {
    let users = |name: &str| {
        client(
            name,
            json!({ "type": "users", "count": 6_000_000u64, "think_time": constant_ms(100.0) }),
            constant_ms(1.0),
        )
    };
    let two = model(
        "sizes",
        1,
        60.0,
        json!([users("a"), users("b")]),
        json!([http_listener(json!([]), "tg")]),
        json!([group("tg", &["i-1"], "round_robin")]),
        json!([instance("i-1", "test.c2", 2)]),
    );
    let (path, message) = rejected(&two);
    assert_eq!(path, "clients[1].arrival.count");
    assert!(message.contains("at most 10000000 users"), "{message}");
    assert!(message.contains("got 12000000"), "{message}");
}
