//! The `albsim` command on good input: `validate` accepts the shipped model, `run` writes
//! summary.json, timeseries.csv and timeline.svg (consistent with each other) and prints a
//! summary; `--seed`, `--duration` and `--quiet` do what they say; two runs of the same command
//! write identical files (wall time aside).

use crate::common::Csv;
use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn quickstart() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("models/quickstart.json")
}

fn albsim() -> Command {
    Command::cargo_bin("albsim").unwrap()
}

/// Runs `albsim run quickstart --out <dir> <extra…>`; returns stdout.
fn run_quickstart(dir: &Path, extra: &[&str]) -> String {
    let out = albsim()
        .arg("run")
        .arg(quickstart())
        .arg("--out")
        .arg(dir)
        .args(extra)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "albsim run failed: {stderr}");
    assert_eq!(stderr, "", "nothing on stderr for a good run");
    String::from_utf8(out.stdout).unwrap()
}

fn read(dir: &Path, file: &str) -> String {
    std::fs::read_to_string(dir.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"))
}

#[test]
fn validate_accepts_the_quickstart_model() {
    let out = albsim().arg("validate").arg(quickstart()).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.starts_with("ok: "), "{stdout}");
    assert!(stdout.contains("quickstart"), "{stdout}");
    assert!(out.stderr.is_empty());
}

#[test]
fn run_writes_three_consistent_files_and_prints_a_summary() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("qs");
    let stdout = run_quickstart(&dir, &[]);
    for needle in ["quickstart", "requests", "latency", "web-1", "summary.json"] {
        assert!(
            stdout.contains(needle),
            "stdout lacks {needle:?}:\n{stdout}"
        );
    }
    assert!(
        stdout.contains(&dir.display().to_string()),
        "names the folder:\n{stdout}"
    );

    let summary: Value = serde_json::from_str(&read(&dir, "summary.json")).unwrap();
    assert_eq!(summary["model"], "quickstart");
    assert_eq!(summary["seed"], 42);
    assert_eq!(summary["duration_seconds"], 1800.0);
    let total = summary["requests"]["total"].as_u64().unwrap();
    let by_status: u64 = summary["requests"]["by_status"]
        .as_object()
        .unwrap()
        .values()
        .map(|v| v.as_u64().unwrap())
        .sum();
    assert_eq!(
        by_status + summary["requests"]["in_flight_at_end"].as_u64().unwrap(),
        total
    );
    assert_eq!(summary["instances"].as_array().unwrap().len(), 4);

    let csv = Csv::parse(&read(&dir, "timeseries.csv"));
    assert_eq!(csv.rows.len(), 30, "one row per minute of 30 min");
    assert_eq!(csv.sum("RequestCount"), total);
    for id in ["web-1", "web-2", "api-1", "api-2"] {
        assert!(
            csv.header.contains(&format!("CPUUtilization:{id}")),
            "{:?}",
            csv.header
        );
    }

    let svg = read(&dir, "timeline.svg");
    assert!(svg.contains("<svg") && svg.trim_end().ends_with("</svg>"));

    let mut names: Vec<String> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, vec!["qs"], "no staging folder left behind");
}

#[test]
fn seed_duration_and_quiet_flags_override_the_model() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("qs");
    let stdout = run_quickstart(&dir, &["--seed", "7", "--duration", "5m", "--quiet"]);
    assert_eq!(stdout, "", "--quiet prints nothing");
    let summary: Value = serde_json::from_str(&read(&dir, "summary.json")).unwrap();
    assert_eq!(summary["seed"], 7);
    assert_eq!(summary["duration_seconds"], 300.0);
    assert_eq!(Csv::parse(&read(&dir, "timeseries.csv")).rows.len(), 5);
}

#[test]
fn the_same_command_twice_writes_identical_files() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    run_quickstart(&a, &["--duration", "10m", "--quiet"]);
    run_quickstart(&b, &["--duration", "10m", "--quiet"]);
    let no_wall = |s: String| {
        s.lines()
            .filter(|l| !l.contains("\"wall_seconds\""))
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(
        no_wall(read(&a, "summary.json")),
        no_wall(read(&b, "summary.json"))
    );
    assert_eq!(read(&a, "timeseries.csv"), read(&b, "timeseries.csv"));
    assert_eq!(read(&a, "timeline.svg"), read(&b, "timeline.svg"));
}

/// No target ever answers and there are no instances: the TargetResponseTime and CPU panels of
/// the plot are empty, and the run must still write all three files.
#[test]
fn run_without_targets_still_writes_every_file() {
    let tmp = tempfile::tempdir().unwrap();
    let model = serde_json::json!({
        "name": "no-targets", "duration": 120, "seed": 1,
        "clients": [{ "name": "c", "arrival": { "type": "constant", "rate_per_second": 5 },
                      "requests": [{ "name": "r",
                                     "service_time": { "distribution": "constant", "ms": 1 } }] }],
        "load_balancer": { "name": "lb", "listeners": [{ "port": 80, "protocol": "HTTP",
            "default_actions": [{ "type": "fixed-response", "status_code": 404 }] }] },
        "target_groups": [], "instances": []
    });
    let file = tmp.path().join("no-targets.json");
    std::fs::write(&file, model.to_string()).unwrap();
    let dir = tmp.path().join("out");
    let out = albsim()
        .args(["run", "-q"])
        .arg(&file)
        .arg("--out")
        .arg(&dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let csv = Csv::parse(&read(&dir, "timeseries.csv"));
    assert_eq!(csv.rows.len(), 2);
    assert_eq!(
        csv.sum("HTTP_Fixed_Response_Count"),
        csv.sum("RequestCount")
    );
    assert!(read(&dir, "timeline.svg").contains("<svg"));
    let summary: Value = serde_json::from_str(&read(&dir, "summary.json")).unwrap();
    assert_eq!(summary["instances"].as_array().unwrap().len(), 0);
}
