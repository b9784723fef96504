//! Experiment files (`experiments/*.json`) read into an `Experiment`: the grid's order, lockstep
//! groups, the constraint, ranges, cases, compared models, and every class of error with its
//! exact message. Each test writes a small experiment beside copies of two shipped models.

use albsim::experiment::Experiment;
use albsim::experiment::spec::{ExperimentError, load};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

/// A folder with `models/quick.json` (quickstart: one client, fixed instances) and
/// `models/asg.json` (the not-scaling-down model: one Auto Scaling group without
/// `DefaultInstanceWarmup`).
fn folder() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("models");
    std::fs::create_dir(tmp.path().join("models")).unwrap();
    for (from, to) in [
        ("quickstart.json", "quick.json"),
        ("asg-not-scaling-down.json", "asg.json"),
    ] {
        std::fs::copy(root.join(from), tmp.path().join("models").join(to)).unwrap();
    }
    tmp
}

/// Writes `experiment` as `x.json` in `dir` and loads it.
fn load_in(dir: &Path, experiment: &Value) -> (PathBuf, Result<Experiment, ExperimentError>) {
    let file = dir.join("x.json");
    std::fs::write(&file, serde_json::to_string_pretty(experiment).unwrap()).unwrap();
    let loaded = load(&file);
    (file, loaded)
}

/// The experiment over the quickstart model with `parameters` and one metric.
fn quick(parameters: Value) -> Value {
    json!({
        "name": "t",
        "model": "models/quick.json",
        "parameters": parameters,
        "metrics": ["latency_ms.p99"]
    })
}

const RATE: &str = "clients[0].arrival.rate_per_second";
const IDLE: &str = "load_balancer.attributes.\"idle_timeout.timeout_seconds\"";

fn ok(experiment: &Value) -> Experiment {
    let tmp = folder();
    match load_in(tmp.path(), experiment).1 {
        Ok(e) => e,
        Err(e) => panic!("{}", e.lines().join("\n")),
    }
}

/// The error lines of `experiment`, with the experiment file's path shown as `X`.
fn errors(experiment: &Value) -> Vec<String> {
    let tmp = folder();
    let (file, loaded) = load_in(tmp.path(), experiment);
    let e = loaded.expect_err("an error");
    let shown = file.display().to_string();
    let folder = tmp.path().display().to_string();
    e.lines()
        .iter()
        .map(|l| l.replace(&shown, "X").replace(&folder, "DIR"))
        .collect()
}

fn labels(e: &Experiment) -> Vec<Vec<String>> {
    e.points
        .iter()
        .map(|p| {
            (0..e.parameters.len())
                .map(|k| e.level_label(p, k).to_string())
                .collect()
        })
        .collect()
}

#[test]
fn the_grid_is_nested_loops_with_the_first_parameter_outermost() {
    let e = ok(&quick(json!([
        { "name": "rate", "path": RATE, "values": [10, 20, 40] },
        { "name": "duration", "path": "duration", "values": ["1m", "2m"] }
    ])));
    assert_eq!(
        labels(&e),
        [
            ["10", "1m"],
            ["10", "2m"],
            ["20", "1m"],
            ["20", "2m"],
            ["40", "1m"],
            ["40", "2m"]
        ]
    );
    assert!(e.points.iter().enumerate().all(|(k, p)| p.index == k));
    assert!(e.parameters[0].numeric && !e.parameters[1].numeric);
    assert_eq!((e.seed, e.replications, e.run_count()), (1, 1, 6));
    // Point 3 is rate 20 (values[1]) and duration 2m (values[1]); origins name the file's spots.
    let origins: Vec<String> = e
        .overrides_of(albsim::experiment::RunId {
            point: 3,
            replication: 0,
        })
        .iter()
        .map(|o| format!("{} <- {}", o, o.origin()))
        .collect();
    let file = e.file.display();
    assert_eq!(
        origins[0],
        format!("{RATE}=20 <- {file}: parameters[0].values[1]")
    );
    assert_eq!(
        origins[1],
        format!("duration=\"2m\" <- {file}: parameters[1].values[1]")
    );
    // Plots default to the first numeric parameter, lines to the first other one, and every
    // capacity point up to 4, else the first, the last and two evenly between.
    assert_eq!(e.plots.x, Some(0));
    assert_eq!(e.plots.lines, Some(1));
    assert_eq!(e.plots.capacity_points, vec![0, 2, 3, 5]);
}

#[test]
fn lockstep_parameters_advance_together() {
    let mut x = quick(json!([
        { "name": "rate", "path": RATE, "values": [10, 20, 40] },
        { "name": "idle", "path": IDLE, "values": [60, 120] },
        { "name": "duration", "path": "duration", "values": ["1m", "2m", "3m"] }
    ]));
    x["lockstep"] = json!([["duration", "rate"]]);
    let e = ok(&x);
    assert_eq!(
        labels(&e),
        [
            ["10", "60", "1m"],
            ["10", "120", "1m"],
            ["20", "60", "2m"],
            ["20", "120", "2m"],
            ["40", "60", "3m"],
            ["40", "120", "3m"]
        ]
    );
}

#[test]
fn the_constraint_keeps_the_points_where_it_holds() {
    let mut x = quick(json!([
        { "name": "rate", "path": RATE, "values": [10, 20, 40] },
        { "name": "duration", "path": "duration", "values": ["1m", "2m"] }
    ]));
    x["constraint"] = json!("rate <= 20 and duration != '2m' or rate == 40");
    let e = ok(&x);
    assert_eq!(
        labels(&e),
        [["10", "1m"], ["20", "1m"], ["40", "1m"], ["40", "2m"]]
    );
    assert_eq!(e.points[3].index, 3);
}

#[test]
fn ranges_read_as_written() {
    let e = ok(&quick(json!([
        { "name": "rate", "path": RATE, "range": { "from": 0.1, "to": 0.5, "step": 0.1 } },
        { "name": "n", "path": IDLE,
          "range": { "from": 1, "to": 1000, "count": 4, "scale": "log" } }
    ])));
    let rate: Vec<&str> = e.parameters[0]
        .levels
        .iter()
        .map(|l| l.label.as_str())
        .collect();
    assert_eq!(rate, ["0.1", "0.2", "0.3", "0.4", "0.5"]);
    let n: Vec<&Value> = e.parameters[1].levels.iter().map(|l| &l.value).collect();
    assert_eq!(n, [&json!(1), &json!(10), &json!(100), &json!(1000)]);
    let origin = e.parameters[0].levels[2].overrides[0].origin().to_string();
    assert_eq!(
        origin,
        format!("{}: parameters[0].range, value 0.3", e.file.display())
    );
}

#[test]
fn cases_set_whole_sub_objects_and_paths_set_several_places() {
    let x = json!({
        "name": "t",
        "model": "models/asg.json",
        "replications": 3,
        "seed": 7,
        "set": { "duration": "40m" },
        "parameters": [
            { "name": "policy", "cases": [
                { "name": "default", "set": {} },
                { "name": "cooldown 60", "set": {
                    "auto_scaling_groups[0].DefaultCooldown": 60,
                    "auto_scaling_groups[0].DefaultInstanceWarmup": 60 } }
            ] },
            { "name": "size", "paths": ["auto_scaling_groups[0].MinSize",
                                        "auto_scaling_groups[0].DesiredCapacity"],
              "values": [1, 2] }
        ],
        "metrics": ["cost.total", { "name": "hours", "expression": "size * 2" }],
        "objectives": [{ "name": "cheapest", "minimise": "cost_total", "for_each": "policy",
                         "subject_to": "size >= 1" }]
    });
    let e = ok(&x);
    assert_eq!(e.run_count(), 12);
    assert_eq!(e.parameters[0].levels[1].label, "cooldown 60");
    assert_eq!(e.parameters[0].levels[1].overrides.len(), 2);
    assert_eq!(
        e.parameters[0].levels[1].overrides[1].origin(),
        format!(
            "{}: parameters[0].cases[1].set.\"auto_scaling_groups[0].DefaultInstanceWarmup\"",
            e.file.display()
        )
    );
    assert_eq!(e.parameters[1].levels[0].overrides.len(), 2);
    assert_eq!(
        e.fixed[0].origin(),
        format!("{}: set.duration", e.file.display())
    );
    assert_eq!(e.metrics[0].name, "cost_total");
    assert_eq!(e.objectives[0].rank_by, "cost_total");
    // x: the first numeric parameter (size); lines: the first other (policy).
    assert_eq!((e.plots.x, e.plots.lines), (Some(1), Some(0)));
}

#[test]
fn several_models_make_a_first_parameter_called_model() {
    let x = json!({
        "name": "t",
        "models": [
            { "file": "models/quick.json" },
            { "name": "short", "file": "models/quick.json", "set": { "duration": "5m" } }
        ],
        "parameters": [{ "name": "rate", "path": RATE, "values": [10, 20] }],
        "metrics": ["latency_ms.p99"]
    });
    let e = ok(&x);
    assert_eq!(e.parameters[0].name, "model");
    assert_eq!(
        labels(&e),
        [
            ["quickstart", "10"],
            ["quickstart", "20"],
            ["short", "10"],
            ["short", "20"]
        ]
    );
    assert_eq!(e.variant_of(&e.points[2]), 1);
    assert!(e.variants[1].file.ends_with("models/quick.json"));
    assert_eq!(e.variants[1].overrides[0].to_string(), "duration=\"5m\"");
}

#[test]
fn a_value_the_model_refuses_names_the_parameter_and_how_many_points() {
    let x = json!({
        "name": "t",
        "model": "models/asg.json",
        "parameters": [
            { "name": "min", "path": "auto_scaling_groups[0].MinSize", "values": [1, -1] },
            { "name": "rate", "path": "clients[0].arrival.steps[0].rate_per_second",
              "values": [10, 20] }
        ],
        "metrics": ["cost.total"]
    });
    assert_eq!(
        errors(&x),
        [
            "error: X: parameters[0].values[1]: auto_scaling_groups[0].MinSize: expected a whole number 0–4294967295, got -1",
            "X: 1 error (in 2 of 4 points)"
        ]
    );
}

#[test]
fn paths_are_checked_against_the_schema_not_the_model() {
    let with = |path: &str| {
        json!({
            "name": "t",
            "model": "models/asg.json",
            "parameters": [{ "name": "p", "path": path, "values": [60] }],
            "metrics": ["cost.total"]
        })
    };
    // Absent from the model, known to the schema: a valid target.
    ok(&with("auto_scaling_groups[0].DefaultInstanceWarmup"));
    let nonsense = errors(&with("auto_scaling_groups[0].Nonsense.x"));
    assert_eq!(nonsense.len(), 2);
    assert!(
        nonsense[0].starts_with(
            "error: X: parameters[0].values[0]: auto_scaling_groups[0].Nonsense: unknown key \"Nonsense\"; allowed keys: AutoScalingGroupName, MinSize,"
        ),
        "{nonsense:?}"
    );
    assert_eq!(nonsense[1], "X: 1 error (in 1 of 1 points)");
    assert_eq!(
        errors(&with("clients[5].x")),
        [
            "error: X: parameters[0].values[0]: clients[5]: expected the index 0 (the list has 1 element), got 5",
            "X: 1 error (in 1 of 1 points)"
        ]
    );
}

#[test]
fn shape_errors_are_all_reported_with_paths() {
    let x = json!({
        "name": "t", "model": "models/quick.json", "replicatons": 2,
        "parameters": [{ "name": "rate", "path": RATE, "values": [1], "step": 1 }],
        "metrics": ["latency_ms.p99"], "seed": -1
    });
    let lines = errors(&x);
    assert_eq!(lines.len(), 4, "{lines:?}");
    assert!(lines[..3].iter().all(|l| l.starts_with("error: X: ")));
    assert!(
        lines.iter().any(
            |l| l.contains("(top level)") && l.contains("\"replicatons\"")
                || l.contains("replicatons: unknown key")
        ),
        "{lines:?}"
    );
    assert!(
        lines.iter().any(|l| l.contains("parameters[0].step")),
        "{lines:?}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("error: X: seed: ") && l.contains("got -1")),
        "{lines:?}"
    );
    assert_eq!(lines[3], "X: 3 errors");
}

/// The one error line of `x` (after `error: X: `).
fn one_error(x: &Value) -> String {
    let lines = errors(x);
    assert_eq!(lines.len(), 1, "{lines:?}");
    lines[0]
        .strip_prefix("error: X: ")
        .expect("error: X:")
        .to_string()
}

#[test]
fn rule_errors_say_what_was_expected() {
    let rate = |extra: Value| {
        let mut p = json!({ "name": "rate", "path": RATE });
        for (k, v) in extra.as_object().unwrap() {
            p[k] = v.clone();
        }
        quick(json!([p]))
    };
    let cases: Vec<(Value, &str)> = vec![
        (
            rate(json!({"values": [1], "range": {"from": 1, "to": 2, "step": 1}})),
            "parameters[0]: expected exactly one of \"values\" (a list) or \"range\" ({\"from\", \"to\", \"step\"} or {\"from\", \"to\", \"count\", \"scale\": \"log\"}), got both",
        ),
        (
            rate(json!({"range": {"from": 1, "to": 2, "step": 0}})),
            "parameters[0].range.step: expected a number > 0, got 0",
        ),
        (
            rate(json!({"range": {"from": 1, "to": 2, "count": 1}})),
            "parameters[0].range.count: expected a whole number 2–10000, got 1",
        ),
        (
            rate(json!({"range": {"from": 0, "to": 2, "count": 3, "scale": "log"}})),
            "parameters[0].range.from: expected a number > 0 (a log range), got 0",
        ),
        (
            rate(json!({"range": {"from": 3, "to": 2, "step": 1}})),
            "parameters[0].range.to: expected a number at least \"from\" (3), got 2",
        ),
        (
            rate(json!({"values": []})),
            "parameters[0].values: expected at least one value",
        ),
        (
            rate(json!({"values": [1, 1]})),
            "parameters[0].values[1]: 1 is listed twice (also values[0]): each level needs a value of its own",
        ),
        (
            rate(json!({"values": [1], "path": "clients[0].["})),
            "parameters[0].path: expected a path into the model: ",
        ),
    ];
    for (x, expected) in cases {
        let line = one_error(&x);
        assert!(line.starts_with(expected), "{line}\nexpected {expected}");
    }
    let mut x = quick(json!([{ "name": "rate", "path": RATE, "values": [1] }]));
    x["replications"] = json!(0);
    assert_eq!(
        one_error(&x),
        "replications: expected a whole number 1–1000 (runs per point, each with its own seed), got 0"
    );
    x["replications"] = json!(1);
    x["name"] = json!("../up");
    assert!(one_error(&x).starts_with("name: expected an experiment name of 1–100 letters"));
}

#[test]
fn names_models_and_groups_are_checked() {
    let two = json!([
        { "name": "rate", "path": RATE, "values": [1, 2] },
        { "name": "rate", "path": "duration", "values": ["1m"] }
    ]);
    assert_eq!(
        one_error(&quick(two)),
        "parameters[1].name: the name \"rate\" is already used at parameters[0].name: parameters and metrics need names of their own (they are columns of the tables and variables of the expressions)"
    );
    let mut x = quick(json!([{ "name": "rate", "path": RATE, "values": [1] }]));
    x["model"] = json!("models/missing.json");
    let line = one_error(&x);
    assert!(
        line.starts_with("model: cannot read the model file DIR/models/missing.json: "),
        "{line}"
    );
    x["models"] = json!([]);
    assert!(one_error(&x).starts_with("models: expected either \"model\""));
    let mut x = quick(json!([
        { "name": "rate", "path": RATE, "values": [1, 2] },
        { "name": "d", "path": "duration", "values": ["1m", "2m", "3m"] }
    ]));
    x["lockstep"] = json!([["rate", "d"]]);
    assert_eq!(
        one_error(&x),
        "lockstep[0]: parameters in lockstep need as many levels each (they advance together): rate has 2, d has 3"
    );
    x["lockstep"] = json!([["rate", "dd"]]);
    assert_eq!(
        one_error(&x),
        "lockstep[0][1]: unknown parameter \"dd\"; known: rate, d"
    );
    let x = quick(json!([
        { "name": "a", "path": "clients[0].arrival", "values": [1] },
        { "name": "b", "path": RATE, "values": [1] }
    ]));
    assert_eq!(
        one_error(&x),
        "parameters[1].path: clients[0].arrival.rate_per_second overlaps a path the parameter \"a\" sets: two parameters setting the same place would depend on their order"
    );
}

#[test]
fn constraint_metric_objective_and_plot_errors() {
    let base = || {
        quick(json!([
            { "name": "rate", "path": RATE, "values": [10, 20] },
            { "name": "d", "path": "duration", "values": ["1m"] }
        ]))
    };
    let with = |key: &str, v: Value| {
        let mut x = base();
        x[key] = v;
        x
    };
    assert_eq!(
        one_error(&with("constraint", json!("rte < 3"))),
        "constraint: unknown name 'rte'; known: rate, d (the constraint is over parameters)"
    );
    assert_eq!(
        one_error(&with("constraint", json!("rate <="))),
        "constraint: at column 8: expected a value after '<=', got end of text"
    );
    assert_eq!(
        one_error(&with("constraint", json!("rate > 100"))),
        "constraint: the constraint holds at none of the grid's 2 points: nothing would run"
    );
    assert_eq!(
        one_error(&with("constraint", json!("rate + 1"))),
        "constraint: expected a condition that is true or false, got a number at the point rate=10, d=1m"
    );
    assert_eq!(
        one_error(&with("constraint", json!("rate == d"))),
        "constraint: 'rate' is a number, 'd' is text: cannot compare them (at the point rate=10, d=1m)"
    );
    assert_eq!(
        one_error(&with(
            "metrics",
            json!([{ "name": "x", "expression": "y * 2" },
                                            { "name": "y", "expression": "rate" }])
        )),
        "metrics[0].expression: unknown name 'y'; known: rate, d (parameters and the metrics before this one)"
    );
    assert_eq!(
        one_error(&with("metrics", json!([5]))),
        "metrics[0]: expected a path into summary.json (text, e.g. \"latency_ms.p99\") or an object {\"name\", \"path\"} or {\"name\", \"expression\"}, got a number"
    );
    assert_eq!(
        one_error(&with(
            "objectives",
            json!([{ "name": "o", "minimise": "d" }])
        )),
        "objectives[0].minimise: the parameter \"d\" is not numeric: rank by a metric or a numeric parameter"
    );
    assert_eq!(
        one_error(&with("plots", json!({ "x": "d" }))),
        "plots.x: the parameter \"d\" is not numeric (its levels are not all numbers): the x axis needs a numeric parameter"
    );
    assert_eq!(
        one_error(&with("plots", json!({ "capacity_points": [2] }))),
        "plots.capacity_points[0]: expected a point index 0–1, got 2"
    );
    let mut x = base();
    x["set"] = json!({ "clients[0]": {}, "clients[0].name": "c" });
    assert_eq!(
        one_error(&x),
        "set.\"clients[0].name\": clients[0].name overlaps clients[0] (one is the other or inside it): the result would depend on the order of the keys; put the inner value inside the outer one"
    );
}

#[test]
fn a_key_written_twice_is_refused() {
    let tmp = folder();
    let file = tmp.path().join("x.json");
    std::fs::write(&file, r#"{"name": "a", "name": "b"}"#).unwrap();
    let e = load(&file).unwrap_err();
    assert_eq!(e.count(), 1);
    assert!(e.lines()[0].starts_with(&format!("error: {}: not valid JSON: ", file.display())));
}

#[test]
fn an_experiment_loads_from_a_snapshot_of_its_inputs() {
    use albsim::experiment::spec::load_with_reader;
    use albsim::scenario::ModelError;
    let model = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("models/quickstart.json"),
    )
    .unwrap();
    let x = quick(json!([{ "name": "rate", "path": RATE, "values": [10] }]));
    // Nothing is on disk: the reader hands out the model of the snapshot.
    let read = |p: &Path| -> Result<String, ModelError> {
        assert_eq!(p, Path::new("snap/models/quick.json"));
        Ok(model.clone())
    };
    let e = load_with_reader(Path::new("snap/x.json"), &x.to_string(), &read).unwrap();
    assert_eq!(e.variants[0].text, model);
    assert_eq!(e.variants[0].label, "quickstart");
}

#[test]
fn at_most_100_distinct_problems_are_listed() {
    let values: Vec<i64> = (1..=150).map(|k| -k).collect();
    let x = json!({
        "name": "t",
        "model": "models/asg.json",
        "parameters": [{ "name": "min", "path": "auto_scaling_groups[0].MinSize", "values": values }],
        "metrics": ["cost.total"]
    });
    let lines = errors(&x);
    assert_eq!(lines.len(), 102);
    assert_eq!(
        lines[99],
        "error: X: parameters[0].values[99]: auto_scaling_groups[0].MinSize: expected a whole number 0–4294967295, got -100"
    );
    assert_eq!(
        lines[100],
        "X: … and 50 more (only the first 100 are shown)"
    );
    assert_eq!(lines[101], "X: 150 errors (in 150 of 150 points)");
}
