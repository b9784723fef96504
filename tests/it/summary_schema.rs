//! `report::summary::SCHEMA` (the numbers metric paths may name) against what `summary.json`
//! really holds: summaries of real runs — Auto Scaling groups (and instances they launched),
//! WebSocket clients, sticky sessions, a run a guard stopped — walked both ways. Every leaf of
//! the schema is in some summary and holds a number or null there; every number of every
//! summary is a leaf of the schema.

use crate::common::{model_file_json, run_model_file, run_value};
use albsim::RunEnd;
use albsim::RunResult;
use albsim::report::summary::{self, Partial, SCHEMA};
use albsim::report::summary_schema::Node;
use serde_json::{Value, json};

/// The summaries walked: models chosen so that every optional part of `summary.json` is there
/// in at least one.
fn summaries() -> Vec<Value> {
    // Scale-out at 25:00 (see autoscaling::shipped_model_asg_not_scaling_down): 40 minutes
    // include launched instances and the Auto Scaling figures, null ones (not back yet) too.
    let mut asg = model_file_json("asg-not-scaling-down");
    asg["duration"] = json!("40m");
    // The retry storm, shortened: clients that time out and retry.
    let mut storm = model_file_json("retry-storm");
    storm["duration"] = json!("7m");
    let runs: Vec<RunResult> = vec![
        run_value(&asg),
        run_model_file("websocket-idle-timeout"),
        run_model_file("sticky-sessions"),
        run_value(&storm),
    ];
    let mut out: Vec<Value> = runs
        .iter()
        .map(|r| serde_json::from_str(&summary::to_json(r)).expect("summary.json parses"))
        .collect();
    let stopped = RunResult {
        end: RunEnd::MaxEvents,
        ..runs[2].clone()
    };
    let partial = Partial::of(&stopped, Some(1800.0));
    let text = summary::to_json_with(&stopped, partial.as_ref());
    out.push(serde_json::from_str(&text).expect("summary.json parses"));
    // Queues, topics and worker programs (hand-built results on a real run, until a shipped
    // queue model can stand for them).
    let queues = crate::sqs_outputs::messaging_result();
    out.push(serde_json::from_str(&summary::to_json(&queues)).expect("summary.json parses"));
    out
}

/// Schema leaves not found (as a number or null) in any of `values`, under `path`.
fn missing_leaves(node: &Node, values: &[&Value], path: &str, missing: &mut Vec<String>) {
    match node {
        Node::Number => {
            for v in values {
                assert!(
                    v.is_number() || v.is_null(),
                    "{path}: expected a number or null, got {v}"
                );
            }
            if values.is_empty() {
                missing.push(path.to_string());
            }
        }
        Node::Object(fields) => {
            for f in *fields {
                let inside: Vec<&Value> = values.iter().filter_map(|v| v.get(f.name)).collect();
                missing_leaves(&f.node, &inside, &format!("{path}.{}", f.name), missing);
            }
        }
        Node::Map { value, .. } => {
            let inside: Vec<&Value> = (values.iter())
                .filter_map(|v| v.as_object())
                .flat_map(|m| m.values())
                .collect();
            missing_leaves(value, &inside, &format!("{path}.<key>"), missing);
        }
        Node::List { item, .. } => {
            let inside: Vec<&Value> = (values.iter())
                .filter_map(|v| v.as_array())
                .flatten()
                .collect();
            missing_leaves(item, &inside, &format!("{path}[…]"), missing);
        }
    }
}

/// Numbers of `value` (under `path`) that the schema `node` does not have.
fn unknown_numbers(value: &Value, node: Option<&Node>, path: &str, unknown: &mut Vec<String>) {
    match value {
        Value::Number(_) if node != Some(&Node::Number) => unknown.push(path.to_string()),
        Value::Object(fields) => {
            for (k, v) in fields {
                let inside = match node {
                    Some(n @ Node::Object(_)) => n.field(k).map(|f| &f.node),
                    Some(Node::Map { value, .. }) => Some(*value),
                    _ => None,
                };
                unknown_numbers(v, inside, &format!("{path}.{k}"), unknown);
            }
        }
        Value::Array(items) => {
            let inside = match node {
                Some(Node::List { item, .. }) => Some(*item),
                _ => None,
            };
            for (k, v) in items.iter().enumerate() {
                unknown_numbers(v, inside, &format!("{path}[{k}]"), unknown);
            }
        }
        _ => {}
    }
}

#[test]
fn the_schema_is_exactly_the_numbers_summary_json_writes() {
    let all = summaries();
    let refs: Vec<&Value> = all.iter().collect();
    let mut missing = Vec::new();
    missing_leaves(&SCHEMA, &refs, "summary", &mut missing);
    assert!(
        missing.is_empty(),
        "in the schema, in no summary: {missing:?}"
    );
    let mut unknown = Vec::new();
    for s in &all {
        unknown_numbers(s, Some(&SCHEMA), "summary", &mut unknown);
    }
    assert!(
        unknown.is_empty(),
        "in a summary, not in the schema: {unknown:?}"
    );
    // The walk saw the optional parts (else the test would prove nothing about them).
    assert!(all.iter().any(|s| s["websockets"].is_object()));
    assert!(all.iter().any(|s| s["partial"].is_object()));
    assert!(all.iter().any(|s| s["auto_scaling_groups"][0].is_object()));
    assert!((all.iter()).any(|s| {
        s["target_groups"]
            .as_object()
            .unwrap()
            .values()
            .any(|g| g["stickiness"].is_object())
    }));
}

/// Every leaf of the schema, written as a metric path, passes `check` against a model that has
/// the parts it needs, and `read` returns the summary's number there.
#[test]
fn metric_paths_read_what_the_summary_holds() {
    use albsim::experiment::metric::SummaryPath;
    let mut asg = model_file_json("asg-not-scaling-down");
    asg["duration"] = json!("40m");
    let sc = albsim::scenario::from_json(&asg.to_string(), std::path::Path::new("asg.json"))
        .expect("model");
    let r = albsim::run(&sc);
    let s: Value = serde_json::from_str(&summary::to_json(&r)).unwrap();
    for (path, expected) in [
        ("latency_ms.p99", s["latency_ms"]["p99"].as_f64()),
        (
            "requests.by_status.200",
            s["requests"]["by_status"]["200"].as_f64(),
        ),
        (
            "target_groups.web.requests",
            s["target_groups"]["web"]["requests"].as_f64(),
        ),
        (
            "auto_scaling_groups[name=web-asg].instance_hours",
            s["auto_scaling_groups"][0]["instance_hours"].as_f64(),
        ),
        ("auto_scaling_groups[0].scale_out_activities", Some(1.0)),
        ("auto_scaling_groups[0].starting_capacity", Some(2.0)),
        (
            "auto_scaling_groups[0].returned_to_starting_capacity_seconds",
            None,
        ),
        (
            "instances[id=web-asg-0003].launched_seconds",
            s["instances"][2]["launched_seconds"].as_f64(),
        ),
        ("cost.total", s["cost"]["total"].as_f64()),
        ("load_ends_seconds", Some(1800.0)),
    ] {
        let p = SummaryPath::parse(path).unwrap();
        assert_eq!(p.check(&sc), Ok(()), "{path}");
        assert_eq!(p.read(&s), expected, "{path}");
        assert!(
            path.contains("returned") || expected.is_some(),
            "{path}: {s}"
        );
    }
}
