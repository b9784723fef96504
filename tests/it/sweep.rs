//! `albsim sweep` and `albsim collect` as a user runs them: the tables do not depend on the
//! number of threads, on sharding or on interruptions; a rerun runs only what is missing, and a
//! changed model invalidates exactly the runs it changes; bad experiments and bad options exit 2
//! with nothing written.

use crate::common::{Csv, Queue, entry_names, exponential_ms};
use assert_cmd::Command;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};
use std::time::{Duration, Instant};

fn albsim() -> Command {
    Command::cargo_bin("albsim").unwrap()
}

/// A folder with `model.json` (a single queue: Poisson arrivals into one instance) and
/// `exp.json` (the experiment `experiment`, whose `model` is `model.json`).
struct Setup {
    dir: tempfile::TempDir,
}

impl Setup {
    fn new(experiment: Value, seconds: f64) -> Setup {
        let dir = tempfile::tempdir().unwrap();
        let queue = Queue {
            lambda: 30.0,
            service: exponential_ms(10.0),
            vcpus: 1,
            workers: 1,
            seconds,
        };
        fs::write(dir.path().join("model.json"), queue.json(1)).unwrap();
        let setup = Setup { dir };
        setup.write_experiment(experiment);
        setup
    }

    fn write_experiment(&self, mut experiment: Value) {
        experiment["model"] = json!("model.json");
        fs::write(self.path("exp.json"), experiment.to_string()).unwrap();
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Edits the model file with `edit`.
    fn edit_model(&self, edit: impl FnOnce(&mut Value)) {
        let mut model: Value =
            serde_json::from_str(&fs::read_to_string(self.path("model.json")).unwrap()).unwrap();
        edit(&mut model);
        fs::write(self.path("model.json"), model.to_string()).unwrap();
    }

    /// `albsim sweep exp.json --out <out> <extra…>`, run in the setup's folder.
    fn sweep(&self, out: &str, extra: &[&str]) -> Output {
        albsim()
            .current_dir(self.dir.path())
            .args(["sweep", "exp.json", "--out", out])
            .args(extra)
            .output()
            .unwrap()
    }

    /// Like [`sweep`](Self::sweep), which must succeed; returns stdout.
    fn sweep_ok(&self, out: &str, extra: &[&str]) -> String {
        let o = self.sweep(out, extra);
        assert!(
            o.status.success(),
            "albsim sweep failed ({:?}): {}",
            o.status.code(),
            String::from_utf8_lossy(&o.stderr)
        );
        String::from_utf8(o.stdout).unwrap()
    }

    /// The tables and plots of a sweep's folder (every file but the cache, kept runs and the
    /// inputs), by name.
    fn tables(&self, out: &str) -> BTreeMap<String, Vec<u8>> {
        let dir = self.path(out);
        entry_names(&dir)
            .into_iter()
            .filter(|n| !["cache", "runs"].contains(&n.as_str()))
            .map(|n| {
                let bytes = fs::read(dir.join(&n)).unwrap();
                (n, bytes)
            })
            .collect()
    }

    fn cached_runs(&self, out: &str) -> usize {
        fs::read_dir(self.path(out).join("cache"))
            .map(|d| {
                d.filter(|e| {
                    let name = e.as_ref().unwrap().file_name();
                    let name = name.to_string_lossy();
                    name.ends_with(".json") && !name.starts_with('.')
                })
                .count()
            })
            .unwrap_or(0)
    }
}

/// Rates 20 and 40 × one or two workers, 3 replications: 12 short runs.
fn small_experiment() -> Value {
    json!({
        "name": "small",
        "description": "a queue's latency against its load and workers",
        "seed": 7,
        "replications": 3,
        "parameters": [
            { "name": "rate", "path": "clients[0].arrival.rate_per_second", "values": [20, 40] },
            { "name": "workers", "path": "instances[0].workers", "values": [1, 2] }
        ],
        "metrics": [
            { "name": "p99_ms", "path": "latency_ms.p99" },
            { "name": "mean_ms", "path": "latency_ms.mean" },
            { "name": "requests", "path": "requests.total" }
        ]
    })
}

fn assert_same_tables(a: &BTreeMap<String, Vec<u8>>, b: &BTreeMap<String, Vec<u8>>, what: &str) {
    assert_eq!(
        a.keys().collect::<Vec<_>>(),
        b.keys().collect::<Vec<_>>(),
        "{what}: the same files"
    );
    for (name, bytes) in a {
        assert!(bytes == &b[name], "{what}: {name} differs");
    }
}

#[test]
fn the_tables_are_the_same_bytes_with_one_or_two_threads_and_in_three_shards() {
    let s = Setup::new(small_experiment(), 60.0);
    let one = s.sweep_ok("one", &["--threads", "1"]);
    assert!(
        one.contains("small: 12 of 12 runs done now, 0 found in one/cache"),
        "{one}"
    );
    s.sweep_ok("two", &["--threads", "2"]);
    let tables = s.tables("one");
    for expected in ["results.csv", "points.csv", "sweep.json", "results.md"] {
        assert!(
            tables.contains_key(expected),
            "{expected} in {:?}",
            tables.keys()
        );
    }
    assert_same_tables(&tables, &s.tables("two"), "1 vs 2 threads");

    for i in 0..3 {
        let shard = format!("{i}/3");
        let out = s.sweep_ok(&format!("shard-{i}"), &["--shard", &shard]);
        assert!(out.contains("4 of 4 runs done now"), "{out}");
        assert!(
            out.contains("8 of the experiment's 12 runs are still to do"),
            "{out}"
        );
        assert!(
            !s.path(&format!("shard-{i}/results.csv")).exists(),
            "a shard writes no tables"
        );
    }
    let collected = albsim()
        .current_dir(s.dir.path())
        .args([
            "collect", "shard-0", "shard-1", "shard-2", "--out", "merged",
        ])
        .output()
        .unwrap();
    assert!(
        collected.status.success(),
        "{}",
        String::from_utf8_lossy(&collected.stderr)
    );
    assert_same_tables(
        &tables,
        &s.tables("merged"),
        "3 shards collected vs one machine",
    );

    // The results are one row per run, the points one per point.
    let results = Csv::parse(&String::from_utf8(tables["results.csv"].clone()).unwrap());
    assert_eq!(results.rows.len(), 12);
    let points = Csv::parse(&String::from_utf8(tables["points.csv"].clone()).unwrap());
    assert_eq!(points.rows.len(), 4);
}

#[test]
fn collect_refuses_an_incomplete_set_of_shards_and_writes_nothing() {
    let s = Setup::new(small_experiment(), 30.0);
    s.sweep_ok("shard-0", &["--shard", "0/2"]);
    let o = albsim()
        .current_dir(s.dir.path())
        .args(["collect", "shard-0", "--out", "merged"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(
        stderr.contains("6 of the experiment's 12 runs are in none of the folders"),
        "{stderr}"
    );
    assert!(!s.path("merged").exists());
}

#[test]
fn a_rerun_runs_only_what_is_missing_and_a_changed_model_exactly_the_runs_it_changes() {
    let mut exp = small_experiment();
    exp["replications"] = json!(2);
    exp["parameters"] = json!([
        { "name": "rate", "path": "clients[0].arrival.rate_per_second", "values": [20, 40] },
        { "name": "service", "cases": [
            { "name": "the model's", "set": {} },
            { "name": "constant 5 ms",
              "set": { "clients[0].requests[0].service_time": { "distribution": "constant", "ms": 5 } } }
        ] }
    ]);
    let s = Setup::new(exp, 30.0);
    let first = s.sweep_ok("out", &[]);
    assert!(first.contains("8 of 8 runs done now, 0 found"), "{first}");
    let tables = s.tables("out");
    let again = s.sweep_ok("out", &[]);
    assert!(again.contains("0 of 8 runs done now, 8 found"), "{again}");
    assert_same_tables(&tables, &s.tables("out"), "a rerun");

    // Every point overrides the rate: changing it in the model changes no run.
    s.edit_model(|m| m["clients"][0]["arrival"]["rate_per_second"] = json!(99));
    let same = s.sweep_ok("out", &[]);
    assert!(same.contains("0 of 8 runs done now, 8 found"), "{same}");
    // The service time is the model's in half the points: exactly those run again.
    s.edit_model(|m| m["clients"][0]["requests"][0]["service_time"] = exponential_ms(12.0));
    let half = s.sweep_ok("out", &[]);
    assert!(half.contains("4 of 8 runs done now, 4 found"), "{half}");
    assert_eq!(
        s.cached_runs("out"),
        12,
        "the old records stay; only the keys of the runs changed"
    );
}

/// Starts `albsim sweep` and stops it once its first run is cached, with `signal`; returns its
/// exit status and stderr.
fn interrupt_after_first_run(s: &Setup, out: &str, signal: &str) -> (Option<i32>, String) {
    let bin = assert_cmd::cargo::cargo_bin("albsim");
    let child = std::process::Command::new(bin)
        .current_dir(s.dir.path())
        .args(["sweep", "exp.json", "--out", out, "--threads", "1"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while s.cached_runs(out) == 0 {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "no run finished within a minute"
        );
        std::thread::sleep(Duration::from_millis(2));
    }
    let killed = std::process::Command::new("kill")
        .args([signal, &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let o = child.wait_with_output().unwrap();
    (
        o.status.code(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

/// 200 runs of a few milliseconds each on one thread: long enough to be stopped mid-way.
fn long_experiment() -> Value {
    let mut exp = small_experiment();
    exp["replications"] = json!(50);
    exp
}

#[test]
fn a_sweep_killed_mid_way_resumes_and_ends_identical_to_an_uninterrupted_one() {
    let s = Setup::new(long_experiment(), 300.0);
    let (code, _) = interrupt_after_first_run(&s, "killed", "-KILL");
    assert_eq!(code, None, "killed by a signal");
    let kept = s.cached_runs("killed");
    assert!(
        (1..200).contains(&kept),
        "{kept} runs were finished when it was killed"
    );
    assert!(
        !s.path("killed/results.csv").exists(),
        "no tables before every run is done"
    );
    let resumed = s.sweep_ok("killed", &[]);
    assert!(
        resumed.contains(&format!(
            "{} of 200 runs done now, {kept} found",
            200 - kept
        )),
        "{resumed}"
    );
    s.sweep_ok("whole", &[]);
    assert_same_tables(
        &s.tables("whole"),
        &s.tables("killed"),
        "killed and resumed",
    );
}

#[test]
fn ctrl_c_keeps_the_finished_runs_exits_130_and_the_same_command_goes_on() {
    let s = Setup::new(long_experiment(), 300.0);
    let (code, stderr) = interrupt_after_first_run(&s, "stopped", "-INT");
    assert_eq!(code, Some(130), "{stderr}");
    assert!(stderr.contains("interrupted: "), "{stderr}");
    assert!(
        stderr.contains("the finished ones are kept, and the same command goes on from there"),
        "{stderr}"
    );
    let kept = s.cached_runs("stopped");
    assert!((1..200).contains(&kept), "{kept}");
    s.sweep_ok("stopped", &[]);
    s.sweep_ok("whole", &[]);
    assert_same_tables(
        &s.tables("whole"),
        &s.tables("stopped"),
        "stopped and resumed",
    );
}

#[test]
fn list_prints_every_point_with_its_parameters_and_runs_and_writes_nothing() {
    let s = Setup::new(small_experiment(), 30.0);
    let o = s.sweep_ok("out", &["--list"]);
    assert_eq!(
        o,
        "small: 4 points × 3 replications = 12 runs\n\
         point  rate  workers  runs\n\
         0      20    1        3\n\
         1      20    2        3\n\
         2      40    1        3\n\
         3      40    2        3\n"
    );
    assert!(!s.path("out").exists());
    let shard = s.sweep_ok("out", &["--list", "--shard", "1/5"]);
    // Runs 1, 6 and 11 of the twelve: replication 1 of point 0, 0 of point 2, 2 of point 3.
    assert!(
        shard.starts_with("small: 4 points × 3 replications = 12 runs, 3 of them in shard 1/5\n"),
        "{shard}"
    );
    assert!(shard.ends_with("0      20    1        1\n1      20    2        0\n2      40    1        1\n3      40    2        1\n"), "{shard}");
}

#[test]
fn point_runs_one_points_replications_only() {
    let s = Setup::new(small_experiment(), 30.0);
    let o = s.sweep_ok("out", &["--point", "2"]);
    assert!(o.contains("3 of 3 runs done now"), "{o}");
    assert!(
        o.contains("9 of the experiment's 12 runs are still to do"),
        "{o}"
    );
    assert_eq!(s.cached_runs("out"), 3);
    let bad = s.sweep("out", &["--point", "4"]);
    assert_eq!(bad.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&bad.stderr),
        "error: --point 4: the experiment exp.json has points 0 to 3 (see --list)\n"
    );
}

#[test]
fn a_sweep_of_more_than_ten_thousand_runs_says_how_many_and_asks_for_yes() {
    let mut exp = small_experiment();
    exp["replications"] = json!(1000);
    exp["parameters"][0]["values"] = json!([10, 20, 30, 40, 50, 60]);
    let s = Setup::new(exp, 30.0);
    let o = s.sweep("out", &[]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&o.stderr),
        "error: exp.json: the experiment has 12,000 runs (12 points × 1000 replications), more than 10,000 without --yes; add --yes to run them, --list to see the points, or --shard to split them\n"
    );
    assert!(!s.path("out").exists());
}

#[test]
fn a_bad_experiment_exits_2_and_writes_nothing() {
    let mut exp = small_experiment();
    exp["parameters"][1]["values"] = json!([1, 0]);
    let s = Setup::new(exp, 30.0);
    let o = s.sweep("out", &[]);
    assert_eq!(o.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(
        stderr.starts_with("error: exp.json: parameters[1].values[1]: instances[0].workers: "),
        "{stderr}"
    );
    assert!(!s.path("out").exists(), "nothing written");
    let shard = s.sweep("out", &["--shard", "3/3"]);
    assert_eq!(shard.status.code(), Some(2));
}

#[test]
fn a_sweep_and_a_run_never_replace_each_others_folders() {
    let s = Setup::new(small_experiment(), 30.0);
    let run = albsim()
        .current_dir(s.dir.path())
        .args(["run", "model.json", "--out", "r", "--quiet"])
        .output()
        .unwrap();
    assert!(run.status.success());
    let o = s.sweep("r", &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("holds the results of `albsim run`"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(
        Path::new(&s.path("r/summary.json")).exists(),
        "the run's files are untouched"
    );
}

#[test]
fn keep_runs_writes_each_runs_own_output_folder() {
    let s = Setup::new(small_experiment(), 30.0);
    s.sweep_ok("out", &["--keep-runs", "--point", "0"]);
    let runs = entry_names(&s.path("out/runs"));
    assert_eq!(runs.len(), 3, "{runs:?}");
    assert!(runs[0].starts_with("p0000-r00-"), "{runs:?}");
    let kept = s.path("out/runs").join(&runs[0]);
    for file in [
        "summary.json",
        "timeseries.csv",
        "timeline.svg",
        "activity.log",
        "albsim-output.json",
    ] {
        assert!(kept.join(file).is_file(), "{file}");
    }
    let summary: Value =
        serde_json::from_str(&fs::read_to_string(kept.join("summary.json")).unwrap()).unwrap();
    assert_eq!(
        summary["seed"],
        json!(albsim::experiment::seeds::run_seed(7, 0, 0))
    );
}

#[test]
fn validate_checks_experiment_files_as_sweep_does_before_running() {
    let s = Setup::new(small_experiment(), 30.0);
    let ok = albsim()
        .current_dir(s.dir.path())
        .args(["validate", "exp.json", "model.json"])
        .output()
        .unwrap();
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    let stdout = String::from_utf8(ok.stdout).unwrap();
    assert!(
        stdout.starts_with(
            "ok: exp.json (experiment small: 4 points × 3 replications = 12 runs on queue)\nok: model.json (queue: "
        ),
        "{stdout}"
    );
    let mut bad = small_experiment();
    bad["parameters"][1]["values"] = json!([1, 0]);
    s.write_experiment(bad);
    let o = albsim()
        .current_dir(s.dir.path())
        .args(["validate", "exp.json"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(
        stderr.starts_with("error: exp.json: parameters[1].values[1]: instances[0].workers: "),
        "{stderr}"
    );
    assert!(
        stderr.ends_with(
            "exp.json: 1 error (in 2 of 4 points)\nerror: 1 experiment file is invalid\n"
        ),
        "{stderr}"
    );
    assert!(!s.path("output").exists());
}

#[test]
fn a_sweep_refuses_a_folder_holding_another_experiments_sweep() {
    let s = Setup::new(small_experiment(), 30.0);
    s.sweep_ok("out", &["--point", "0"]);
    let mut other = small_experiment();
    other["name"] = json!("other");
    s.write_experiment(other);
    let o = s.sweep("out", &[]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&o.stderr),
        "error: out: the folder holds the sweep of the experiment \"small\" (exp.json), not of \"other\"; choose another folder, or remove it yourself\n"
    );
    assert_eq!(
        s.cached_runs("out"),
        3,
        "the first experiment's runs are untouched"
    );
}

#[test]
fn an_objectives_condition_must_be_true_or_false() {
    let mut exp = small_experiment();
    exp["objectives"] =
        json!([{ "name": "o", "minimise": "p99_ms", "subject_to": "requests + 1" }]);
    let s = Setup::new(exp, 30.0);
    let o = s.sweep("out", &[]);
    assert_eq!(o.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(
        stderr.starts_with("error: exp.json: objectives[0].subject_to: expected a condition that is true or false (e.g. p99_ms <= 200), got a number"),
        "{stderr}"
    );
    assert!(!s.path("out").exists());
}
