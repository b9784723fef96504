//! Every user number that becomes simulated time is checked at load time (the JSON path and the
//! limit in the error), and sampled values that cannot fit saturate to "after the end" instead of
//! wrapping around to an early time.

use crate::common::{
    client, constant_ms, exponential_ms, group, http_listener, instance, model, poisson,
};
use albsim::recorder::ActivityKind;
use serde_json::{Value, json};

fn base(service: Value) -> Value {
    model(
        "limits",
        1,
        60.0,
        json!([client("c", poisson(10.0), service)]),
        json!([http_listener(json!([]), "tg")]),
        json!([group("tg", &["i-1"], "round_robin")]),
        json!([instance("i-1", "test.c2", 2)]),
    )
}

/// The path and message of the error loading `model` gives.
fn rejected(model: &Value) -> (String, String) {
    match albsim::scenario::from_json(&model.to_string(), "limits.json".as_ref()) {
        Ok(_) => panic!("accepted: {model}"),
        Err(albsim::scenario::ModelError::Invalid { path, message, .. }) => (path, message),
        Err(e) => panic!("unexpected error {e}"),
    }
}

fn run(model: &Value) -> albsim::RunResult {
    let sc = albsim::scenario::from_json(&model.to_string(), "limits.json".as_ref())
        .unwrap_or_else(|e| panic!("rejected: {e}"));
    albsim::run(&sc)
}

// See: issue 7, defect 3
#[test]
fn time_overflow_exponential_mean_is_rejected() {
    // 1e308 ms answered in 0.0 ms: the draw wrapped around u64 nanoseconds.
    let (path, message) = rejected(&base(exponential_ms(1e308)));
    assert_eq!(path, "clients[0].requests[0].service_time.mean_ms");
    assert!(message.contains("at most 31622400000"), "{message}");
    assert!(message.contains("366 days"), "{message}");
}

// See: issue 7, defect 3
#[test]
fn time_overflow_fault_at_is_rejected() {
    // 18 446 744 074 s is just past 2^64 ns: the fault fired at 0:00:00.290.
    let mut m = base(constant_ms(1.0));
    m["faults"] = json!([{ "type": "crash", "instance": "i-1", "at": 18_446_744_074u64 }]);
    let (path, message) = rejected(&m);
    assert_eq!(path, "faults[0].at");
    assert!(message.contains("at most 366 days"), "{message}");
}

// See: issue 7, defect 3
#[test]
fn time_overflow_websocket_message_interval() {
    let ws = |interval_ms: f64| {
        let arrival = json!({ "type": "websocket", "connections": 10,
            "client_message_interval": constant_ms(interval_ms) });
        let mut m = base(constant_ms(1.0));
        m["clients"] = json!([client("ws", arrival, constant_ms(1.0))]);
        m
    };
    // Beyond the limit (this one was 2^64 ns + 1 ms and wrapped to millions of messages).
    let (path, message) = rejected(&ws(18_446_744_073_710.0));
    assert_eq!(path, "clients[0].arrival.client_message_interval.ms");
    assert!(message.contains("366 days"), "{message}");
    // Within the limit but beyond the run: no message is ever sent.
    let r = run(&ws(300.0 * 86_400_000.0));
    let w = r.websockets.expect("websocket results");
    assert_eq!(w.opened, 10);
    assert_eq!(w.messages, 0);
}

/// A time beyond the run's duration (but within 366 days) is valid and simply never reached.
#[test]
fn a_fault_after_the_end_never_fires() {
    let mut m = base(constant_ms(1.0));
    m["faults"] = json!([{ "type": "crash", "instance": "i-1", "at": "300d" }]);
    let r = run(&m);
    assert!(
        (r.activity.iter()).all(|a| !matches!(a.kind, ActivityKind::Fault(_))),
        "{:?}",
        r.activity
    );
    assert_eq!(r.errors_5xx(), 0);
}

/// A service time of 300 days is accepted; its requests are still in flight at the end instead
/// of being answered at a wrapped-around early time.
#[test]
fn a_service_time_beyond_the_run_is_in_flight_at_the_end() {
    let r = run(&base(constant_ms(300.0 * 86_400_000.0)));
    assert!(r.requests_total > 0);
    assert_eq!(r.responses(), 0, "{:?}", r.by_status);
}

#[test]
fn times_in_every_section_are_checked() {
    let too_long = "367d";
    let mut cases: Vec<(Value, &str)> = Vec::new();
    let mut m = base(constant_ms(1.0));
    m["faults"] = json!([{ "type": "hang", "instance": "i-1", "at": 1, "duration": too_long }]);
    cases.push((m, "faults[0].duration"));
    let mut m = base(constant_ms(1.0));
    m["faults"] =
        json!([{ "type": "hang", "instance": "i-1", "mean_time_between_failures": too_long }]);
    cases.push((m, "faults[0].mean_time_between_failures"));
    let mut m = base(constant_ms(1.0));
    m["faults"] = json!([{ "type": "hang", "instance": "i-1", "mean_time_between_failures": 60,
        "mean_time_to_recover": too_long }]);
    cases.push((m, "faults[0].mean_time_to_recover"));
    let mut m = base(constant_ms(1.0));
    m["operations"] = json!([{ "action": "deregister", "target_group": "tg", "instance": "i-1", "at": too_long }]);
    cases.push((m, "operations[0].at"));
    let mut m = base(constant_ms(1.0));
    m["clients"][0]["arrival"] = json!({ "type": "schedule",
        "steps": [{ "at": too_long, "rate_per_second": 5 }] });
    cases.push((m, "clients[0].arrival.steps[0].at"));
    let mut m = base(constant_ms(1.0));
    m["clients"][0]["arrival"] = json!({ "type": "spike", "base_rate_per_second": 1,
        "spike_rate_per_second": 5, "at": 10, "duration": too_long });
    cases.push((m, "clients[0].arrival.duration"));
    let mut m = base(constant_ms(1.0));
    m["clients"][0]["arrival"] = json!({ "type": "diurnal", "min_rate_per_second": 1,
        "max_rate_per_second": 5, "period": too_long });
    cases.push((m, "clients[0].arrival.period"));
    let mut m = base(constant_ms(1.0));
    m["clients"][0]["arrival"] = json!({ "type": "users", "count": 1,
        "think_time": { "distribution": "uniform", "min_ms": 0, "max_ms": 1e11 } });
    cases.push((m, "clients[0].arrival.think_time.max_ms"));
    for (m, want) in cases {
        let (path, message) = rejected(&m);
        assert_eq!(path, want, "{message}");
        assert!(message.contains("366 days"), "{want}: {message}");
    }
}
