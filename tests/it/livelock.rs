//! Simulated time that stops advancing is detected, not spun on for ever: a closed-loop user with
//! think time 0 whose requests the ALB answers at once makes `run_with` fail with
//! `RunError::Stalled`, naming the client, what answers it, the instant and the fix. Each run is
//! bounded in wall time (a worker thread and a timeout), so a regression fails instead of hanging.

use crate::common::{client, constant_ms, group, http_listener, instance, model};
use serde_json::{Value, json};
use std::sync::mpsc;
use std::time::Duration;

/// Far more than detection needs (about 6 s in a debug build, under 1 s in release), short enough
/// that a regressed livelock fails the suite instead of hanging it.
const WALL_LIMIT: Duration = Duration::from_secs(300);

/// Runs `model` on a worker thread; `None` if it did not finish within [`WALL_LIMIT`].
fn run_bounded(model: &Value) -> Option<Result<albsim::RunResult, String>> {
    let text = model.to_string();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let sc = albsim::scenario::from_json(&text, "livelock.json".as_ref()).unwrap();
        let r = albsim::run_with(&sc, &mut albsim::RunOptions::default());
        let _ = tx.send(r.map_err(|e| match e {
            albsim::RunError::Stalled { message } => message,
            other => panic!("unexpected error {other}"),
        }));
    });
    rx.recv_timeout(WALL_LIMIT).ok()
}

/// Two users with think time 0, against `listeners`, group `tg` (targets `targets`), instance
/// `i-1`, plus `faults`.
fn zero_think(listeners: Value, targets: &[&str], faults: Value) -> Value {
    let users = json!({ "type": "users", "count": 2, "think_time": constant_ms(0.0) });
    let mut m = model(
        "livelock",
        1,
        60.0,
        json!([client("eager", users, constant_ms(5.0))]),
        listeners,
        json!([group("tg", targets, "round_robin")]),
        json!([instance("i-1", "test.c2", 2)]),
    );
    m["faults"] = faults;
    m
}

fn stalled_message(model: &Value) -> String {
    match run_bounded(model) {
        None => panic!("the run did not end within {WALL_LIMIT:?}: livelock not detected"),
        Some(Ok(r)) => panic!("the run completed: {} events", r.events_processed),
        Some(Err(message)) => message,
    }
}

fn assert_names_client_and_fix(message: &str, at: &str) {
    for part in [
        "client \"eager\" (clients[0])",
        "think time 0",
        "answers them instantly",
        at,
        "think time above 0 (clients[0].arrival.think_time)",
    ] {
        assert!(message.contains(part), "missing {part:?} in: {message}");
    }
}

// See: issue 7, defect 6
#[test]
fn livelock_fixed_response_is_refused_at_load() {
    // Certain before the run (think time 0, every request answered by a fixed response), so the
    // loader refuses it: `validate` and `run` agree, and nothing is simulated.
    let listeners = json!([{ "port": 80, "protocol": "HTTP", "default_actions": [
        { "type": "fixed-response", "status_code": 200 } ] }]);
    let e = albsim::scenario::from_json(
        &zero_think(listeners, &["i-1"], json!([])).to_string(),
        "livelock.json".as_ref(),
    )
    .expect_err("refused at load")
    .lines()
    .join("\n");
    for part in [
        "clients[0].arrival.think_time",
        "client \"eager\": its think time is 0",
        "a fixed-response action answers 200",
        "simulated time could never advance",
        "expected a think time above 0",
    ] {
        assert!(e.contains(part), "missing {part:?} in: {e}");
    }
}

// See: issue 7, defect 2
#[test]
fn livelock_empty_target_group_is_detected() {
    let listeners = json!([http_listener(json!([]), "tg")]);
    let message = stalled_message(&zero_think(listeners, &[], json!([])));
    assert_names_client_and_fix(&message, "0:00:00.000");
    assert!(
        message.contains("target group \"tg\" has no healthy target: 503"),
        "{message}"
    );
}

// See: issue 7, defect 2
#[test]
fn livelock_crashed_target_is_detected() {
    // Served normally until the crash at 10 s; then every request is refused at once (502).
    let listeners = json!([http_listener(json!([]), "tg")]);
    let faults = json!([{ "type": "crash", "instance": "i-1", "at": 10 }]);
    let message = stalled_message(&zero_think(listeners, &["i-1"], faults));
    assert_names_client_and_fix(&message, "0:00:10.000");
    assert!(message.contains("has crashed: 502"), "{message}");
}

/// Think time 0 is fine while something takes time: the same users against a target that
/// answers in 5 ms run to the end (2 users × 60 s / 5 ms = 24 000 requests).
#[test]
fn zero_think_time_with_a_working_target_completes() {
    let listeners = json!([http_listener(json!([]), "tg")]);
    let r = run_bounded(&zero_think(listeners, &["i-1"], json!([])))
        .expect("finishes in time")
        .expect("does not stall");
    assert_eq!(r.end, albsim::RunEnd::Completed);
    assert_eq!(r.requests_total, 24_000);
}

// See: issue 7, defect 2
#[test]
fn livelock_websocket_reconnect_without_delay_is_detected() {
    // WebSocket clients reconnecting at once to a group with no target: 503, reconnect, 503, …
    let arrival = json!({ "type": "websocket", "connections": 3,
        "reconnect_delay": constant_ms(0.0) });
    let mut m = zero_think(json!([http_listener(json!([]), "tg")]), &[], json!([]));
    m["clients"][0]["arrival"] = arrival;
    let message = stalled_message(&m);
    for part in [
        "client \"eager\" (clients[0])",
        "reconnect the moment",
        "has no healthy target: 503",
        "0:00:00.000",
        "(clients[0].arrival.reconnect_delay)",
    ] {
        assert!(message.contains(part), "missing {part:?} in: {message}");
    }
}

// See: issue 7, defect 2
#[test]
fn livelock_slow_clock_is_detected() {
    // A think time of 10^-7 ms (0.1 ns on average) against a fixed response: the clock moves, but
    // by about 0.1 ns per request, so a 60 s run would need some 10^12 events. It was never
    // detected (only events at one exact instant counted); now a window of 2^24 events that moves
    // the clock less than 1 µs stops the run.
    let listeners = json!([{ "port": 80, "protocol": "HTTP", "default_actions": [
        { "type": "fixed-response", "status_code": 200 } ] }]);
    let mut m = zero_think(listeners, &["i-1"], json!([]));
    m["clients"][0]["arrival"]["think_time"] =
        json!({ "distribution": "exponential", "mean_ms": 1e-7 });
    let message = stalled_message(&m);
    for part in [
        "client \"eager\" (clients[0])",
        "think time under 1 ns on average",
        "fixed-response action answers 200",
        "simulated time advanced only ",
        " ns over ",
        " events from 0:00:00.000",
        "Give it a longer think time (clients[0].arrival.think_time)",
    ] {
        assert!(message.contains(part), "missing {part:?} in: {message}");
    }
}
