//! Determinism: the same model and seed give byte-identical reports (`summary.json` without its
//! `wall_seconds` line, `timeseries.csv`), also when runs execute concurrently on several
//! threads; another seed gives different reports; and random streams belong to their entity, so
//! adding a client (even before another in the file) leaves the other client's draws unchanged.

use crate::common::{
    Csv, client, exponential_ms, forward, group, instance, model, poisson, run_json, run_value,
    summary_without_wall,
};
use albsim::report::timeseries;
use serde_json::{Value, json};

fn quickstart() -> String {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/models/quickstart.json");
    std::fs::read_to_string(path).expect("models/quickstart.json")
}

/// The quickstart model with another seed.
fn quickstart_seed(seed: u64) -> String {
    let mut m: Value = serde_json::from_str(&quickstart()).unwrap();
    m["seed"] = json!(seed);
    m.to_string()
}

fn reports(text: &str) -> (String, String) {
    let r = run_json(text);
    (summary_without_wall(&r), timeseries::to_csv(&r))
}

#[test]
fn same_model_and_seed_give_identical_reports() {
    let (s1, c1) = reports(&quickstart());
    let (s2, c2) = reports(&quickstart());
    assert!(s1.contains("\"model\": \"quickstart\""), "{s1}");
    assert!(!s1.contains("wall_seconds"));
    assert_eq!(s1, s2, "summary.json differs between two runs");
    assert_eq!(c1, c2, "timeseries.csv differs between two runs");
    assert_eq!(Csv::parse(&c1).rows.len(), 30, "30 one-minute periods");
}

#[test]
fn another_seed_gives_different_reports() {
    let (s1, c1) = reports(&quickstart_seed(42));
    let (s2, c2) = reports(&quickstart_seed(43));
    assert_ne!(s1, s2);
    assert_ne!(c1, c2);
}

#[test]
fn concurrent_runs_on_several_threads_are_identical() {
    let text = quickstart();
    let reference = reports(&text);
    let results: Vec<(String, String)> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..4).map(|_| s.spawn(|| reports(&text))).collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    for (i, got) in results.iter().enumerate() {
        assert_eq!(got.0, reference.0, "summary.json of thread {i}");
        assert_eq!(got.1, reference.1, "timeseries.csv of thread {i}");
    }
}

/// Client "a" sends two request types (/x weight 1, /y weight 3) routed to groups x and y; client
/// "b" has its own route and instance. Adding "b" — before "a" in the file, so indices shift —
/// must not change a's type draws (per-group counts), arrivals or service times (latencies).
#[test]
fn adding_a_client_leaves_another_clients_draws_unchanged() {
    let a = json!({ "name": "a", "arrival": poisson(50.0), "requests": [
        { "name": "x", "path": "/x", "weight": 1, "service_time": exponential_ms(5.0) },
        { "name": "y", "path": "/y", "weight": 3, "service_time": exponential_ms(5.0) } ] });
    let mut b = client("b", poisson(80.0), exponential_ms(5.0));
    b["requests"][0]["path"] = json!("/b");
    let path_rule = |priority: u32, path: &str, tg: &str| {
        json!({ "priority": priority, "conditions": [{ "field": "path-pattern", "values": [path] }],
                "actions": [forward(tg)] })
    };
    let build = |clients: Value| {
        model(
            "streams",
            9,
            300.0,
            clients,
            json!([{ "port": 80, "protocol": "HTTP",
                     "rules": [path_rule(1, "/x", "x"), path_rule(2, "/y", "y"), path_rule(3, "/b", "b")],
                     "default_actions": [forward("b")] }]),
            json!([
                group("x", &["i-a"], "round_robin"),
                group("y", &["i-a"], "round_robin"),
                group("b", &["i-b"], "round_robin")
            ]),
            json!([instance("i-a", "test.c4", 4), instance("i-b", "test.c4", 4)]),
        )
    };
    let alone = run_value(&build(json!([a.clone()])));
    let with_b = run_value(&build(json!([b, a])));
    assert_eq!(alone.target_groups["b"].requests, 0);
    assert!(
        with_b.target_groups["b"].requests > 1000,
        "client b really ran"
    );
    for g in ["x", "y"] {
        assert!(alone.target_groups[g].requests > 1000);
        assert_eq!(
            alone.target_groups[g], with_b.target_groups[g],
            "group {g}: client a's requests changed when client b was added"
        );
    }
    assert_eq!(
        alone.instances[0], with_b.instances[0],
        "instance i-a serves only client a"
    );
}
