//! Running models: from JSON text or a value, the shipped `models/*.json`, and the `albsim`
//! binary itself.

use albsim::RunResult;
use serde_json::Value;
use std::path::Path;

/// Parses, resolves and runs a model given as JSON text; panics with albsim's message if the
/// model is rejected.
pub fn run_json(text: &str) -> RunResult {
    let scenario = albsim::scenario::from_json(text, Path::new("test.json"))
        .unwrap_or_else(|e| panic!("model rejected: {e}\n{text}"));
    albsim::run(&scenario)
}

/// Runs a model given as a JSON value.
pub fn run_value(model: &Value) -> RunResult {
    run_json(&model.to_string())
}

/// `summary.json` text with the `wall_seconds` line (the only run-dependent field) removed.
pub fn summary_without_wall(r: &RunResult) -> String {
    albsim::report::summary::to_json(r)
        .lines()
        .filter(|l| !l.trim_start().starts_with("\"wall_seconds\""))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Path of the shipped model `models/<name>.json`.
pub fn model_file(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("models")
        .join(format!("{name}.json"))
}

/// Loads the shipped model `models/<name>.json` with `albsim::scenario::load` and runs it.
pub fn run_model_file(name: &str) -> RunResult {
    let path = model_file(name);
    let scenario = albsim::scenario::load(&path)
        .unwrap_or_else(|e| panic!("{} rejected: {e}", path.display()));
    albsim::run(&scenario)
}

/// The shipped model `models/<name>.json` as raw JSON, to build variants of it.
pub fn model_file_json(name: &str) -> Value {
    let path = model_file(name);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Runs the real `albsim` binary in `dir` with `args`: (exit code, stdout, stderr).
pub fn albsim(dir: &Path, args: &[&str]) -> (Option<i32>, String, String) {
    let out = assert_cmd::Command::cargo_bin("albsim")
        .unwrap()
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}
