//! The output folder never costs a user a file: albsim replaces only folders it wrote itself
//! (they hold albsim-output.json), never the current directory, a folder containing it or an
//! unrelated folder; concurrent runs into one folder leave it complete and from one run; a killed
//! run's staging folder does not stay for ever.

use crate::common::{Csv, entry_names as names};
use assert_cmd::Command;
use serde_json::Value;
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;

fn quickstart() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("models/quickstart.json")
}

/// `albsim run MODEL ARGS…` in the folder `cwd`.
fn albsim_run(cwd: &Path, model: &Path, args: &[&str]) -> Output {
    Command::cargo_bin("albsim")
        .unwrap()
        .current_dir(cwd)
        .arg("run")
        .arg(model)
        .args(args)
        .output()
        .unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The quickstart model under another `name`, written to `file`.
fn quickstart_named(name: &str, file: &Path) {
    let mut model: Value =
        serde_json::from_str(&fs::read_to_string(quickstart()).unwrap()).unwrap();
    model["name"] = Value::String(name.into());
    fs::write(file, model.to_string()).unwrap();
}

/// Every file and folder below `dir` (relative path → contents; `None` for a folder; a symbolic
/// link's target, not followed).
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Option<Vec<u8>>> {
    fn walk(root: &Path, dir: &Path, into: &mut BTreeMap<PathBuf, Option<Vec<u8>>>) {
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let rel = path.strip_prefix(root).unwrap().to_path_buf();
            let meta = fs::symlink_metadata(&path).unwrap();
            if meta.file_type().is_symlink() {
                let target = fs::read_link(&path).unwrap();
                into.insert(rel, Some(target.display().to_string().into_bytes()));
            } else if meta.is_dir() {
                into.insert(rel, None);
                walk(root, &path, into);
            } else {
                into.insert(rel, Some(fs::read(&path).unwrap()));
            }
        }
    }
    let mut files = BTreeMap::new();
    walk(dir, dir, &mut files);
    files
}

/// A folder of a user's own files, with something in a subfolder.
fn users_files(dir: &Path) {
    fs::create_dir_all(dir.join("src")).unwrap();
    fs::write(dir.join("thesis.tex"), "\\section{Results}\n").unwrap();
    fs::write(dir.join("src").join("main.rs"), "fn main() {}\n").unwrap();
}

fn read_json(path: &Path) -> Value {
    serde_json::from_str(&fs::read_to_string(path).unwrap())
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

const RESULT_FILES: [&str; 6] = [
    "summary.json",
    "timeseries.csv",
    "timeline.svg",
    "activity.log",
    "events.json",
    "model.json",
];

/// `dir` is one complete run's output: the manifest and every file it lists, consistent with each
/// other. Returns the run's seed.
fn assert_complete_and_consistent(dir: &Path) -> u64 {
    let mut expected: Vec<String> = RESULT_FILES.iter().map(|f| f.to_string()).collect();
    expected.push("albsim-output.json".into());
    expected.sort();
    assert_eq!(names(dir), expected, "{}", dir.display());
    let manifest = read_json(&dir.join("albsim-output.json"));
    assert_eq!(manifest["written_by"], "albsim");
    assert_eq!(manifest["files"], serde_json::json!(RESULT_FILES));
    let summary = read_json(&dir.join("summary.json"));
    assert_eq!(
        manifest["seed"], summary["seed"],
        "manifest and summary from one run"
    );
    assert_eq!(manifest["model"], summary["model"]);
    let csv = Csv::parse(&fs::read_to_string(dir.join("timeseries.csv")).unwrap());
    assert_eq!(
        csv.sum("RequestCount"),
        summary["requests"]["total"].as_u64().unwrap(),
        "timeseries.csv and summary.json from one run"
    );
    let svg = fs::read_to_string(dir.join("timeline.svg")).unwrap();
    assert!(svg.trim_end().ends_with("</svg>"), "a whole SVG");
    summary["seed"].as_u64().unwrap()
}

#[test]
fn defect_1_a_model_named_dotdot_deletes_nothing() {
    // See: issue 7, defect 1
    let tmp = tempfile::tempdir().unwrap();
    let work = tmp.path().join("work");
    users_files(&work);
    quickstart_named("..", &work.join("model.json"));
    let before = snapshot(tmp.path());

    let out = albsim_run(&work, Path::new("model.json"), &["-q"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("name"), "{}", stderr(&out));
    assert_eq!(
        snapshot(tmp.path()),
        before,
        "every file byte-identical, nothing added"
    );
}

#[test]
fn defect_1_a_model_named_dot_leaves_the_output_folder_alone() {
    // See: issue 7, defect 1
    let tmp = tempfile::tempdir().unwrap();
    let work = tmp.path().to_path_buf();
    let earlier = albsim_run(&work, &quickstart(), &["-q", "--duration", "2m"]);
    assert_eq!(earlier.status.code(), Some(0), "{}", stderr(&earlier));
    assert!(work.join("output/quickstart/albsim-output.json").exists());
    fs::write(work.join("output").join("notes.txt"), "mine\n").unwrap();
    quickstart_named(".", &work.join("model.json"));
    let before = snapshot(tmp.path());

    let out = albsim_run(&work, Path::new("model.json"), &["-q"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_eq!(snapshot(tmp.path()), before, "output/ untouched");
}

#[test]
fn defect_1_out_dot_is_refused_and_deletes_nothing() {
    // See: issue 7, defect 1
    let tmp = tempfile::tempdir().unwrap();
    users_files(tmp.path());
    let before = snapshot(tmp.path());
    for out_dir in [".", "./", "x/..", "x/../."] {
        let out = albsim_run(tmp.path(), &quickstart(), &["-q", "--out", out_dir]);
        assert_eq!(
            out.status.code(),
            Some(2),
            "--out {out_dir}: {}",
            stderr(&out)
        );
        assert!(
            stderr(&out).starts_with(&format!(
                "error: --out {out_dir}: this is the current directory"
            )),
            "{}",
            stderr(&out)
        );
        assert_eq!(snapshot(tmp.path()), before, "--out {out_dir}");
    }
    let absolute = tmp.path().display().to_string();
    let out = albsim_run(tmp.path(), &quickstart(), &["-q", "--out", &absolute]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_eq!(snapshot(tmp.path()), before);
}

#[test]
fn defect_1_out_dotdot_and_other_ancestors_are_refused() {
    // See: issue 7, defect 1
    let tmp = tempfile::tempdir().unwrap();
    users_files(tmp.path());
    let inner = tmp.path().join("src");
    let before = snapshot(tmp.path());
    for out_dir in ["..", "../", "../..", "/"] {
        let out = albsim_run(&inner, &quickstart(), &["-q", "--out", out_dir]);
        assert_eq!(
            out.status.code(),
            Some(2),
            "--out {out_dir}: {}",
            stderr(&out)
        );
        assert!(
            stderr(&out).contains("contains the current directory")
                || stderr(&out).contains("root directory"),
            "{}",
            stderr(&out)
        );
        assert_eq!(snapshot(tmp.path()), before, "--out {out_dir}");
    }
}

#[cfg(unix)]
#[test]
fn defect_1_a_link_to_the_current_directory_is_refused() {
    // See: issue 7, defect 1
    let tmp = tempfile::tempdir().unwrap();
    users_files(tmp.path());
    std::os::unix::fs::symlink(tmp.path(), tmp.path().join("here")).unwrap();
    let before = snapshot(tmp.path());
    let out = albsim_run(tmp.path(), &quickstart(), &["-q", "--out", "here"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_eq!(snapshot(tmp.path()), before);
}

#[test]
fn defect_1_out_notes_an_unrelated_folder_survives_byte_identical() {
    // See: issue 7, defect 1
    let tmp = tempfile::tempdir().unwrap();
    let notes = tmp.path().join("notes");
    fs::create_dir(&notes).unwrap();
    fs::write(
        notes.join("ideas.md"),
        "# keep this\n\u{1F600} bytes: \x00\x01\x02\n",
    )
    .unwrap();
    let before = snapshot(tmp.path());

    let out = albsim_run(tmp.path(), &quickstart(), &["-q", "--out", "notes"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_eq!(
        stderr(&out),
        "error: --out notes: the folder exists and was not written by albsim (no albsim-output.json); choose another folder or remove it yourself\n"
    );
    assert_eq!(
        snapshot(tmp.path()),
        before,
        "notes/ byte-identical, nothing added"
    );
}

#[test]
fn defect_1_an_existing_file_is_not_replaced() {
    // See: issue 7, defect 1
    let tmp = tempfile::tempdir().unwrap();
    fs::write(tmp.path().join("results"), "a file, not a folder\n").unwrap();
    let before = snapshot(tmp.path());
    let out = albsim_run(tmp.path(), &quickstart(), &["-q", "--out", "results"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("existing file, not a folder"),
        "{}",
        stderr(&out)
    );
    assert_eq!(snapshot(tmp.path()), before);
}

#[test]
fn defect_1_a_folder_albsim_wrote_is_replaced_by_a_rerun() {
    // See: issue 7, defect 1
    let tmp = tempfile::tempdir().unwrap();
    let first = albsim_run(
        tmp.path(),
        &quickstart(),
        &["-q", "--duration", "2m", "--seed", "1", "--out", "qs"],
    );
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    assert_eq!(assert_complete_and_consistent(&tmp.path().join("qs")), 1);
    // A file added to albsim's folder goes with it: the folder is replaced as a whole.
    fs::write(tmp.path().join("qs").join("stray.txt"), "x").unwrap();

    let second = albsim_run(
        tmp.path(),
        &quickstart(),
        &["-q", "--duration", "2m", "--seed", "2", "--out", "qs"],
    );
    assert_eq!(second.status.code(), Some(0), "{}", stderr(&second));
    assert_eq!(assert_complete_and_consistent(&tmp.path().join("qs")), 2);
    assert_eq!(names(tmp.path()), ["qs"], "no staging or old folder left");
}

#[test]
fn defect_5_concurrent_runs_into_one_folder_leave_one_complete_run() {
    // See: issue 7, defect 5
    const RUNS: u64 = 6;
    const ROUNDS: usize = 3;
    let tmp = tempfile::tempdir().unwrap();
    let bin = assert_cmd::cargo::cargo_bin("albsim");
    let (mut succeeded, mut lost) = (0, 0);
    for _ in 0..ROUNDS {
        let children: Vec<_> = (0..RUNS)
            .map(|seed| {
                std::process::Command::new(&bin)
                    .current_dir(tmp.path())
                    .args([
                        "run",
                        "-q",
                        "--duration",
                        "3m",
                        "--out",
                        "shared/qs",
                        "--seed",
                    ])
                    .arg(seed.to_string())
                    .arg(quickstart())
                    .stdout(std::process::Stdio::piped())
                    .stderr(std::process::Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        for child in children {
            let out = child.wait_with_output().unwrap();
            match out.status.code() {
                Some(0) => {
                    succeeded += 1;
                    assert_eq!(stderr(&out), "");
                }
                Some(1) => {
                    lost += 1;
                    let e = stderr(&out);
                    assert!(
                        e.starts_with("error: another albsim run wrote shared/qs at the same time"),
                        "a clean failure: {e}"
                    );
                }
                other => panic!("exit {other:?}: {}", stderr(&out)),
            }
        }
        let seed = assert_complete_and_consistent(&tmp.path().join("shared/qs"));
        assert!(seed < RUNS);
        assert_eq!(names(&tmp.path().join("shared")), ["qs"], "no staging left");
    }
    assert!(
        succeeded >= ROUNDS,
        "at least one run per round wins ({succeeded} won, {lost} lost)"
    );
}

/// A process id that is not running (a child that has exited).
#[cfg(target_os = "linux")]
fn dead_pid() -> u32 {
    let mut child = std::process::Command::new("true").spawn().unwrap();
    let pid = child.id();
    child.wait().unwrap();
    pid
}

/// Makes `dir` look last modified an hour ago: older than the 5 minutes a folder that names a
/// process that is gone must be left alone (it may be a live run in another PID namespace).
#[cfg(unix)]
fn age(dir: &Path) {
    let an_hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    fs::File::open(dir)
        .unwrap()
        .set_modified(an_hour_ago)
        .unwrap();
}

#[cfg(target_os = "linux")]
#[test]
fn defect_5_a_killed_runs_staging_folder_is_removed_by_the_next_run_a_live_runs_is_not() {
    // See: issue 7, defect 5
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    fs::create_dir(&out).unwrap();
    // What a run killed (SIGKILL) while writing leaves: its staging folder, manifest first.
    let dead = dead_pid();
    let stale = out.join(format!(".qs.partial-{dead}-0"));
    fs::create_dir(&stale).unwrap();
    fs::write(stale.join("albsim-output.json"), r#"{"written_by": "albsim", "albsim_version": "0.1.0", "model_file": "m.json", "model": "quickstart", "seed": 1, "files": []}"#).unwrap();
    fs::write(stale.join("summary.json"), "{").unwrap();
    let stale_empty = out.join(format!(".qs.partial-{dead}-1"));
    fs::create_dir(&stale_empty).unwrap();
    age(&stale);
    age(&stale_empty);
    // A process id missing here, but just written: maybe a live run in another container.
    let young = out.join(format!(".qs.partial-{dead}-2"));
    fs::create_dir(&young).unwrap();
    // A run that is still writing.
    let mut live = std::process::Command::new("sleep")
        .arg("30")
        .spawn()
        .unwrap();
    let writing = out.join(format!(".qs.partial-{}-0", live.id()));
    fs::create_dir(&writing).unwrap();

    let run = albsim_run(
        tmp.path(),
        &quickstart(),
        &["-q", "--duration", "2m", "--out", "out/qs"],
    );
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    assert!(
        !stale.exists() && !stale_empty.exists(),
        "{:?}",
        names(&out)
    );
    assert!(writing.exists(), "a live run's staging folder stays");
    assert!(young.exists(), "a folder modified minutes ago stays");
    live.kill().unwrap();
    live.wait().unwrap();
    assert_complete_and_consistent(&out.join("qs"));
}

#[cfg(unix)]
#[test]
fn defect_5_a_run_killed_at_any_point_leaves_nothing_but_its_own_staging_folder() {
    // See: issue 7, defect 5
    let tmp = tempfile::tempdir().unwrap();
    let bin = assert_cmd::cargo::cargo_bin("albsim");
    for delay_ms in [0, 20, 60, 150, 400] {
        let mut child = std::process::Command::new(&bin)
            .current_dir(tmp.path())
            .args(["run", "-q", "--duration", "1h", "--out", "out/qs"])
            .arg(quickstart())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        // A kill between creating and removing a staging folder (or the probe, made next to
        // `out` while `out` does not exist) leaves it; nothing else may be there.
        for name in names(tmp.path()) {
            assert!(
                name == "out" || name.starts_with(".out.partial-"),
                "unexpected {name}"
            );
        }
        if tmp.path().join("out").exists() {
            for name in names(&tmp.path().join("out")) {
                let leftover = name.starts_with(".qs.partial-") || name.starts_with(".qs.old-");
                assert!(leftover || name == "qs", "unexpected out/{name}");
            }
        }
    }
    // What the kills left, made old enough to be removed.
    let out = tmp.path().join("out");
    for dir in [tmp.path(), out.as_path()]
        .into_iter()
        .filter(|d| d.exists())
    {
        for name in names(dir) {
            if name.starts_with('.') {
                age(&dir.join(name));
            }
        }
    }
    let run = albsim_run(
        tmp.path(),
        &quickstart(),
        &["-q", "--duration", "2m", "--out", "out/qs"],
    );
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    assert_eq!(
        names(&tmp.path().join("out")),
        ["qs"],
        "stale staging removed"
    );
    assert_complete_and_consistent(&tmp.path().join("out/qs"));
}

/// A model replaying `log` (relative to the model file) with quickstart's load balancer.
fn replaying(log: &str) -> Value {
    let mut model: Value =
        serde_json::from_str(&fs::read_to_string(quickstart()).unwrap()).unwrap();
    model["clients"] = serde_json::json!([
        { "name": "replayed", "arrival": { "type": "access_log", "files": [log] },
          "requests": [ { "name": "any", "service_time": { "distribution": "constant", "ms": 5 } } ] }
    ]);
    model
}

#[test]
fn a_run_replaying_a_log_inside_its_own_output_folder_is_refused_and_keeps_the_log() {
    // Replaying what the last run logged, into the same folder, would delete the log when the
    // folder is replaced: albsim refuses before simulating.
    let tmp = tempfile::tempdir().unwrap();
    let first = albsim_run(
        tmp.path(),
        &quickstart(),
        &["-q", "--duration", "2m", "--out", "qs", "--access-log"],
    );
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    fs::write(
        tmp.path().join("replay.json"),
        replaying("qs/access.log").to_string(),
    )
    .unwrap();
    let before = snapshot(tmp.path());

    let again = albsim_run(tmp.path(), Path::new("replay.json"), &["-q", "--out", "qs"]);
    assert_eq!(again.status.code(), Some(2), "{}", stderr(&again));
    let e = stderr(&again);
    assert!(e.contains("--out qs") && e.contains("access.log"), "{e}");
    assert!(e.contains("inside this output folder"), "{e}");
    assert_eq!(snapshot(tmp.path()), before, "nothing changed");

    // Into another folder the same model runs, and the log stays where it was.
    let elsewhere = albsim_run(tmp.path(), Path::new("replay.json"), &["-q", "--out", "re"]);
    assert_eq!(elsewhere.status.code(), Some(0), "{}", stderr(&elsewhere));
    assert!(tmp.path().join("qs/access.log").is_file());
}

#[test]
fn a_sweep_replaying_a_log_inside_its_own_output_folder_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let sweep = |experiment: &Value| {
        fs::write(tmp.path().join("e.json"), experiment.to_string()).unwrap();
        Command::cargo_bin("albsim")
            .unwrap()
            .current_dir(tmp.path())
            .args(["sweep", "e.json", "-q", "--keep-runs", "--out", "sw"])
            .output()
            .unwrap()
    };
    let experiment = |model: &str| {
        serde_json::json!({
            "name": "replay-sweep", "model": model, "replications": 1,
            "set": { "duration": "2m" },
            "parameters": [ { "name": "interval", "path": "target_groups[0].health_check.HealthCheckIntervalSeconds",
                              "values": [30] } ],
            "metrics": [ { "name": "p99_ms", "path": "latency_ms.p99" } ]
        })
    };
    let qs = quickstart().display().to_string();
    let first = sweep(&experiment(&qs));
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    let logged = albsim_run(
        tmp.path(),
        &quickstart(),
        &["-q", "--duration", "2m", "--out", "qs", "--access-log"],
    );
    assert_eq!(logged.status.code(), Some(0), "{}", stderr(&logged));
    fs::rename(
        tmp.path().join("qs/access.log"),
        tmp.path().join("sw/access.log"),
    )
    .unwrap();
    fs::write(
        tmp.path().join("replay.json"),
        replaying("sw/access.log").to_string(),
    )
    .unwrap();
    fs::write(
        tmp.path().join("e.json"),
        experiment("replay.json").to_string(),
    )
    .unwrap();
    let before = snapshot(tmp.path());

    let out = sweep(&experiment("replay.json"));
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("inside this output folder"),
        "{}",
        stderr(&out)
    );
    assert_eq!(snapshot(tmp.path()), before, "nothing changed");
}
