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
fn validate_counts_in_words_one_client_two_target_groups() {
    // models/quickstart.json: one client, one listener, target groups web and api, four
    // instances, no Auto Scaling group, "duration": "30m".
    let out = albsim().arg("validate").arg(quickstart()).output().unwrap();
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        format!(
            "ok: {} (quickstart: 1 client, 1 listener, 2 target groups, 4 instances, 0 Auto Scaling groups, 30m)\n",
            quickstart().display()
        )
    );
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

// ---------------------------------------------------------------------------------------------
// Exit codes (documented in `albsim --help` and src/cli/mod.rs) and guards
// ---------------------------------------------------------------------------------------------

fn code(out: &std::process::Output) -> Option<i32> {
    out.status.code()
}

fn stderr_of(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn defect_11_the_exit_codes_are_documented_in_help() {
    // See: issue 7, defect 11
    let out = albsim().arg("--help").output().unwrap();
    assert_eq!(code(&out), Some(0));
    let help = String::from_utf8(out.stdout).unwrap();
    for line in [
        "Exit codes:",
        "  0  success",
        "  1  an I/O or system failure",
        "  2  the model or the arguments are wrong; nothing was written",
        "  3  --max-events or --max-wall stopped the run; partial results were written, marked partial",
    ] {
        assert!(help.contains(line), "--help lacks {line:?}:\n{help}");
    }
}

#[test]
fn defect_11_exit_code_2_for_a_wrong_model_or_argument_and_nothing_is_written() {
    // See: issue 7, defect 11
    let tmp = tempfile::tempdir().unwrap();
    let broken = tmp.path().join("broken.json");
    std::fs::write(&broken, "{ \"name\": ").unwrap();
    let dir = tmp.path().join("out");
    let cases: Vec<Vec<std::ffi::OsString>> = vec![
        vec![
            "run".into(),
            broken.clone().into(),
            "--out".into(),
            dir.clone().into(),
        ],
        vec![
            "run".into(),
            tmp.path().join("missing.json").into(),
            "--out".into(),
            dir.clone().into(),
        ],
        vec![
            "run".into(),
            quickstart().into(),
            "--out".into(),
            dir.clone().into(),
            "--seed".into(),
            "x".into(),
        ],
        vec![
            "run".into(),
            quickstart().into(),
            "--out".into(),
            dir.clone().into(),
            "--max-events".into(),
            "0".into(),
        ],
        vec![
            "run".into(),
            quickstart().into(),
            "--out".into(),
            dir.clone().into(),
            "--max-wall".into(),
            "soon".into(),
        ],
        vec![
            "run".into(),
            quickstart().into(),
            "--out".into(),
            tmp.path().into(),
        ],
        vec!["validate".into(), broken.clone().into()],
    ];
    for args in cases {
        let out = albsim()
            .current_dir(tmp.path())
            .args(&args)
            .output()
            .unwrap();
        assert_eq!(code(&out), Some(2), "{args:?}: {}", stderr_of(&out));
        assert!(
            stderr_of(&out).starts_with("error"),
            "{args:?}: {}",
            stderr_of(&out)
        );
        assert!(!dir.exists(), "{args:?} wrote something");
    }
}

#[test]
fn defect_11_exit_code_1_for_an_unwritable_folder_before_the_run_starts() {
    // See: issue 7, defect 11 (and defect 6: the folder is checked before simulating)
    let tmp = tempfile::tempdir().unwrap();
    let locked = tmp.path().join("locked");
    std::fs::create_dir(&locked).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o555)).unwrap();
    }
    // Root may write in a read-only folder; nobody may create folders in /sys.
    let unwritable = if std::fs::create_dir(locked.join("probe")).is_err() {
        locked.join("results")
    } else {
        PathBuf::from("/sys/albsim-results")
    };
    let started = std::time::Instant::now();
    // A 30-day run takes minutes: the error must come before it, not after.
    let out = albsim()
        .arg("run")
        .arg(quickstart())
        .args(["--duration", "30d", "--max-wall", "60s", "--out"])
        .arg(&unwritable)
        .output()
        .unwrap();
    assert_eq!(code(&out), Some(1), "{}", stderr_of(&out));
    let e = stderr_of(&out);
    assert!(
        e.starts_with(&format!(
            "error: --out {}: cannot write in ",
            unwritable.display()
        )),
        "{e}"
    );
    assert!(
        started.elapsed() < std::time::Duration::from_secs(20),
        "failed only after simulating"
    );
    assert!(out.stdout.is_empty(), "no summary");
}

#[test]
fn max_events_stops_the_run_writes_partial_results_and_exits_3() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("qs");
    let out = albsim()
        .arg("run")
        .arg(quickstart())
        .args(["--max-events", "20000", "--out"])
        .arg(&dir)
        .output()
        .unwrap();
    assert_eq!(code(&out), Some(3), "{}", stderr_of(&out));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.starts_with("PARTIAL RESULTS: "), "{stdout}");
    assert!(
        stdout.contains("--max-events stopped it after 20,000 events"),
        "{stdout}"
    );
    let summary: Value = serde_json::from_str(&read(&dir, "summary.json")).unwrap();
    assert_eq!(
        summary["events_processed"], 20_000,
        "stopped at exactly N events"
    );
    let partial = &summary["partial"];
    assert_eq!(partial["stopped_by"], "max_events");
    assert_eq!(partial["simulated_seconds_requested"], 1800.0);
    let reached = partial["simulated_seconds_reached"].as_f64().unwrap();
    assert!(reached > 0.0 && reached < 1800.0, "{reached}");
    assert_eq!(
        summary["duration_seconds"], reached,
        "the results cover the time reached"
    );
    // Fewer requests than a whole run: the quickstart model sends 80 requests/s.
    assert!(summary["requests"]["total"].as_f64().unwrap() < 80.0 * 1800.0 * 0.9);
    assert!(dir.join("albsim-output.json").exists());
    assert!(dir.join("timeline.svg").exists());
}

#[test]
fn max_wall_stops_a_long_run_silently_off_a_terminal_and_exits_3() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("long");
    let started = std::time::Instant::now();
    let out = albsim()
        .arg("run")
        .arg(quickstart())
        .args(["--duration", "366d", "--max-wall", "2s", "--out"])
        .arg(&dir)
        .output()
        .unwrap();
    let took = started.elapsed();
    assert_eq!(code(&out), Some(3), "{}", stderr_of(&out));
    // Longer than the 1 s after which a terminal shows progress: a pipe gets none.
    assert_eq!(stderr_of(&out), "", "no progress output on a pipe");
    assert!(took < std::time::Duration::from_secs(30), "{took:?}");
    let summary: Value = serde_json::from_str(&read(&dir, "summary.json")).unwrap();
    assert_eq!(summary["partial"]["stopped_by"], "max_wall");
    assert!(summary["wall_seconds"].as_f64().unwrap() >= 2.0);
    let reached = summary["partial"]["simulated_seconds_reached"]
        .as_f64()
        .unwrap();
    assert!(reached > 0.0 && reached < 366.0 * 86_400.0, "{reached}");
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.contains("--max-wall stopped it after"), "{stdout}");
    // Days, not 8784h.
    assert!(stdout.contains(" of 366d simulated ("), "{stdout}");
}

#[test]
fn defect_6_duration_is_checked_by_the_loader_and_named_as_the_option() {
    // See: issue 7, defect 6
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("qs");
    for bad in ["400d", "0.5"] {
        let out = albsim()
            .arg("run")
            .arg(quickstart())
            .args(["--duration", bad, "--out"])
            .arg(&dir)
            .output()
            .unwrap();
        assert_eq!(code(&out), Some(2), "{}", stderr_of(&out));
        let e = stderr_of(&out);
        assert!(e.starts_with(&format!("error: --duration {bad}: ")), "{e}");
        assert!(e.contains("366 days"), "gives the allowed range: {e}");
        assert!(!dir.exists());
    }
}

/// `script` (util-linux; Debian's essential bsdutils) gives the command a terminal, as a user's
/// shell would.
#[cfg(target_os = "linux")]
#[test]
fn progress_is_shown_on_a_terminal_for_a_long_run() {
    let tmp = tempfile::tempdir().unwrap();
    let bin = assert_cmd::cargo::cargo_bin("albsim");
    let command = format!(
        "{} run {} --duration 366d --max-wall 3s --out {}",
        bin.display(),
        quickstart().display(),
        tmp.path().join("p").display()
    );
    let out = std::process::Command::new("script")
        .args(["-qec", &command, "/dev/null"])
        .env("TERM", "xterm")
        .output()
        .expect("script (util-linux) runs the command on a terminal");
    let screen = String::from_utf8_lossy(&out.stdout);
    assert_eq!(code(&out), Some(3), "{screen}");
    let progress = screen
        .split(['\r', '\n'])
        .find(|l| l.contains("% simulated "))
        .unwrap_or_else(|| panic!("no progress line:\n{screen}"));
    assert!(progress.contains(" of 366d, "), "{progress}");
    assert!(progress.contains(" events/s, "), "{progress}");
    assert!(progress.contains(" left"), "{progress}");
    assert!(
        screen.contains("PARTIAL RESULTS"),
        "the summary follows: {screen}"
    );
}

#[test]
fn a_reader_that_stops_reading_is_not_a_panic() {
    // `albsim run … | head -1`: the reader is gone before the summary is printed.
    let tmp = tempfile::tempdir().unwrap();
    let bin = assert_cmd::cargo::cargo_bin("albsim");
    for args in [
        vec![
            "run".into(),
            quickstart(),
            "--out".into(),
            tmp.path().join("q"),
        ],
        vec!["validate".into(), quickstart()],
    ] {
        let mut child = std::process::Command::new(&bin)
            .args(&args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        let stderr = stderr_of(&out);
        assert_eq!(code(&out), Some(0), "{args:?}: {stderr}");
        assert_eq!(stderr, "", "{args:?}");
    }
    assert!(
        tmp.path().join("q/summary.json").exists(),
        "results written"
    );
}

/// `/dev/full` refuses every write: a failure of stdout other than a reader gone is exit 1.
#[cfg(target_os = "linux")]
#[test]
fn a_stdout_that_cannot_be_written_is_an_io_failure_not_a_panic() {
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let out = std::process::Command::new(assert_cmd::cargo::cargo_bin("albsim"))
        .arg("validate")
        .arg(quickstart())
        .stdout(full)
        .output()
        .unwrap();
    assert_eq!(code(&out), Some(1), "{}", stderr_of(&out));
    assert_eq!(
        stderr_of(&out),
        "error: cannot write to standard output: No space left on device (os error 28)\n"
    );
}
