//! Bad input through the real `albsim` binary: every rejected model or argument exits with
//! code 2, prints one `error:` message naming the file, the JSON path and what is allowed (no
//! panic, no backtrace even with RUST_BACKTRACE=1), and writes nothing: no output folder, no
//! staging folder, no default `output/`.

use crate::common::{
    client, exponential_ms, forward, group, http_listener, instance, model, poisson,
};
use assert_cmd::Command;
use serde_json::{Value, json};
use std::path::Path;

const FILE: &str = "bad-model.json";

/// A valid model with one rule (priority 10), written pretty-printed (one key per line).
fn valid() -> Value {
    let rules = json!([{ "priority": 10,
        "conditions": [{ "field": "path-pattern", "values": ["/api/*"] }],
        "actions": [forward("tg")] }]);
    model(
        "bad",
        1,
        60.0,
        json!([client("c", poisson(10.0), exponential_ms(10.0))]),
        json!([http_listener(rules, "tg")]),
        json!([group("tg", &["i-1"], "round_robin")]),
        json!([instance("i-1", "test.c1", 1)]),
    )
}

fn pretty(m: &Value) -> String {
    serde_json::to_string_pretty(m).unwrap()
}

/// Runs `albsim <args…>` in an empty temporary folder holding `model` (if any) as `FILE`;
/// `{file}` and `{out}` in `args` are replaced by the model path and `<tmp>/out`. Checks the
/// common contract of a rejection and returns stderr.
fn rejected(model: Option<&str>, args: &[&str]) -> String {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join(FILE);
    if let Some(text) = model {
        std::fs::write(&file, text).unwrap();
    }
    let out = tmp.path().join("out");
    let args: Vec<String> = args
        .iter()
        .map(|a| {
            a.replace("{file}", &file.display().to_string())
                .replace("{out}", &out.display().to_string())
        })
        .collect();
    let output = Command::cargo_bin("albsim")
        .unwrap()
        .args(&args)
        .current_dir(tmp.path())
        .env("RUST_BACKTRACE", "1")
        .output()
        .unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert_eq!(output.status.code(), Some(2), "exit code; stderr: {stderr}");
    assert!(stderr.starts_with("error: "), "{stderr}");
    for bad in ["panicked", "backtrace", "RUST_BACKTRACE", "src/"] {
        assert!(!stderr.contains(bad), "stderr mentions {bad:?}: {stderr}");
    }
    assert_eq!(stdout, "", "nothing on stdout for a rejected run");
    assert!(!out.exists(), "the output folder was created");
    assert!(!Path::new(&tmp.path().join("output")).exists());
    let left: Vec<String> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != FILE)
        .collect();
    assert!(left.is_empty(), "files left behind: {left:?}");
    stderr
}

/// `albsim run <model> --out <tmp>/out` on `model`.
fn run_rejected(model: &str) -> String {
    rejected(Some(model), &["run", "{file}", "--out", "{out}"])
}

fn assert_mentions(stderr: &str, needles: &[&str]) {
    for n in needles {
        assert!(stderr.contains(n), "stderr lacks {n:?}:\n{stderr}");
    }
}

#[test]
fn unknown_key_is_named_with_the_allowed_keys() {
    let mut m = valid();
    m["load_balancer"]["atributes"] = json!({});
    let e = run_rejected(&pretty(&m));
    assert_mentions(
        &e,
        &[
            FILE,
            "load_balancer.atributes",
            "unknown key \"atributes\"",
            "did you mean \"attributes\"?",
            "allowed keys: name, attributes, listeners",
        ],
    );
}

#[test]
fn wrong_type_names_the_path_and_the_expected_type() {
    let mut m = valid();
    m["load_balancer"]["listeners"][0]["port"] = json!("eighty");
    let e = run_rejected(&pretty(&m));
    assert_mentions(
        &e,
        &[
            FILE,
            "load_balancer.listeners[0].port",
            "expected a whole number 0–4294967295, got a string \"eighty\"",
        ],
    );
}

/// Inside internally tagged objects (`arrival`, `service_time`, actions, conditions) the path
/// names the key, not just the object (serde alone would stop at `clients[0].arrival`).
#[test]
fn wrong_type_inside_a_tagged_object_names_the_key() {
    let mut m = valid();
    m["clients"][0]["arrival"]["rate_per_second"] = json!("fast");
    let e = run_rejected(&pretty(&m));
    assert_mentions(
        &e,
        &[
            FILE,
            "clients[0].arrival.rate_per_second",
            "expected a number, got a string \"fast\"",
        ],
    );
}

#[test]
fn idle_timeout_out_of_range_names_the_aws_range() {
    let mut m = valid();
    m["load_balancer"]["attributes"]["idle_timeout.timeout_seconds"] = json!(5000);
    let e = run_rejected(&pretty(&m));
    assert_mentions(
        &e,
        &[
            FILE,
            "load_balancer.attributes.\"idle_timeout.timeout_seconds\"",
            "1–4000",
            "5000",
        ],
    );
}

#[test]
fn forward_to_a_missing_target_group_lists_the_defined_ones() {
    let mut m = valid();
    m["load_balancer"]["listeners"][0]["default_actions"][0]["target_group"] = json!("nope");
    let e = run_rejected(&pretty(&m));
    assert_mentions(
        &e,
        &[
            FILE,
            "load_balancer.listeners[0].default_actions[0].target_group",
            "\"nope\"",
            "defined: tg",
        ],
    );
}

#[test]
fn duplicate_rule_priorities_are_rejected() {
    let mut m = valid();
    let rule = m["load_balancer"]["listeners"][0]["rules"][0].clone();
    m["load_balancer"]["listeners"][0]["rules"]
        .as_array_mut()
        .unwrap()
        .push(rule);
    let e = run_rejected(&pretty(&m));
    assert_mentions(
        &e,
        &[
            FILE,
            "load_balancer.listeners[0].rules[1].priority",
            "duplicate priority 10",
            "unique",
        ],
    );
}

#[test]
fn unknown_instance_type_points_to_instance_types() {
    let mut m = valid();
    m["instances"][0]["instance_type"] = json!("t9.huge");
    let e = run_rejected(&pretty(&m));
    assert_mentions(
        &e,
        &[
            FILE,
            "instances[0].instance_type",
            "\"t9.huge\"",
            "\"instance_types\"",
        ],
    );
}

#[test]
fn invalid_json_names_line_and_column() {
    let text = pretty(&valid()).replace("\"seed\": 1,", "\"seed\": 1,,");
    let line = 1 + text.lines().position(|l| l.contains(",,")).unwrap();
    let e = run_rejected(&text);
    assert_mentions(
        &e,
        &[FILE, "not valid JSON", &format!("line {line} column")],
    );
}

#[test]
fn missing_model_file_is_named() {
    let e = rejected(None, &["run", "{file}", "--out", "{out}"]);
    assert_mentions(&e, &[FILE, "cannot read the model file"]);
}

/// `error: x.json: cannot read the model file: No such file or directory (os error 2): No such
/// file or directory (os error 2)` — the I/O error is both in the message and its `source`, and
/// `{:#}` prints the chain.
#[test]
fn missing_model_file_states_the_os_error_once() {
    let e = rejected(None, &["run", "{file}", "--out", "{out}"]);
    assert_eq!(e.matches("os error").count(), 1, "{e}");
}

#[test]
fn unparsable_duration_flag_is_named() {
    let text = pretty(&valid());
    let e = rejected(
        Some(&text),
        &["run", "{file}", "--duration", "soon", "--out", "{out}"],
    );
    assert_mentions(&e, &["--duration", "\"soon\"", "\"5m\""]);
}

/// `--duration 0` parses but is out of range; the message blames the model file's `duration`
/// (`bad-model.json: duration: … got 0ns`), which says "60" — the flag is not mentioned.
#[test]
fn out_of_range_duration_flag_is_named() {
    let text = pretty(&valid());
    let e = rejected(
        Some(&text),
        &["run", "{file}", "--duration", "0", "--out", "{out}"],
    );
    assert_mentions(&e, &["--duration", "1 s"]);
}

#[test]
fn validate_reports_the_broken_file_and_exits_2() {
    let mut m = valid();
    m["instances"][0]["instance_type"] = json!("t9.huge");
    let e = rejected(Some(&pretty(&m)), &["validate", "{file}"]);
    assert_mentions(&e, &[FILE, "instances[0].instance_type"]);
}

/// `validate a b c` with a and c broken: both are reported, in the order given, and the good
/// file gets its `ok:` line. (Today the first error is held back and printed last.)
#[test]
fn validate_reports_every_broken_file_in_order() {
    let tmp = tempfile::tempdir().unwrap();
    let mut first = valid();
    first["instances"][0]["instance_type"] = json!("t9.huge");
    let mut third = valid();
    third["load_balancer"]["attributes"]["idle_timeout.timeout_seconds"] = json!(5000);
    for (name, m) in [("a.json", first), ("b.json", valid()), ("c.json", third)] {
        std::fs::write(tmp.path().join(name), pretty(&m)).unwrap();
    }
    let output = Command::cargo_bin("albsim")
        .unwrap()
        .args(["validate", "a.json", "b.json", "c.json"])
        .current_dir(tmp.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(stdout.contains("ok: b.json"), "{stdout}");
    let stderr = String::from_utf8(output.stderr).unwrap();
    let (a, c) = (stderr.find("a.json:"), stderr.find("c.json:"));
    assert!(a.is_some() && c.is_some(), "{stderr}");
    assert!(a < c, "errors out of order:\n{stderr}");
}

// See: issue 7, defect 1
#[test]
fn defect_1_windows_device_names_and_a_trailing_dot_are_refused_as_model_names() {
    for (name, reason) in [
        ("NUL", "not a Windows device name"),
        ("com1.data", "not a Windows device name"),
        ("Aux", "not a Windows device name"),
        ("run.", "does not end in '.'"),
    ] {
        let mut m = valid();
        m["name"] = json!(name);
        for args in [&["validate", "{file}"][..], &["run", "{file}"]] {
            let e = rejected(Some(&pretty(&m)), args);
            assert_mentions(&e, &[FILE, ": name: expected a model name", reason, name]);
        }
    }
}

/// `run` and `validate` list a model's errors in one format: `error: FILE: path: message` per
/// error, then `FILE: N errors`.
#[test]
fn run_lists_a_models_errors_as_validate_does() {
    let mut m = valid();
    m["instances"][0]["instance_type"] = json!("t9.huge");
    m["load_balancer"]["attributes"]["idle_timeout.timeout_seconds"] = json!(5000);
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join(FILE), pretty(&m)).unwrap();
    let stderr_of = |args: &[&str]| {
        let out = Command::cargo_bin("albsim")
            .unwrap()
            .args(args)
            .current_dir(tmp.path())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2));
        String::from_utf8(out.stderr).unwrap()
    };
    let run = stderr_of(&["run", FILE, "--out", "out"]);
    let validate = stderr_of(&["validate", FILE]);
    let lines: Vec<&str> = run.lines().collect();
    assert_eq!(lines.len(), 3, "{run}");
    for line in &lines[..2] {
        assert!(line.starts_with(&format!("error: {FILE}: ")), "{run}");
    }
    assert!(run.contains("instances[0].instance_type: "), "{run}");
    assert!(
        run.contains("load_balancer.attributes.\"idle_timeout.timeout_seconds\": "),
        "{run}"
    );
    assert_eq!(lines[2], format!("{FILE}: 2 errors"));
    assert_eq!(validate, format!("{run}error: 1 model file is invalid\n"));
}
