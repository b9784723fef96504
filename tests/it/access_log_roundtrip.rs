//! Replay → write → replay is a fixed point. A model replays the shipped synthetic logs with their
//! logged target times and writes its own access log (L1); the same model, pointed at L1, replays
//! it and writes L2. On the fields that matter to a replay — when each request was received, what
//! it asked for (method, URL, User-Agent), from which client, the status the ALB answered, and the
//! target time of every answered request — L2 equals L1 entry for entry: nothing is lost, shifted
//! or re-timed by going through albsim's own writer and reader.

use albsim::access_log::parse::{Record, read_logs};
use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn project(p: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(p)
}

/// The fields a replay reads, and the answer, of one entry.
type Key = (
    i64,
    String,
    String,
    String,
    Option<String>,
    String,
    Option<u16>,
    Option<u64>,
);

fn key(r: &Record<'_>) -> Key {
    let q = &r.request;
    (
        r.request_creation_time_us
            .expect("albsim writes request_creation_time"),
        q.method.to_string(),
        format!(
            "{}://{}:{:?}{}?{}",
            q.scheme, q.host, q.port, q.path, q.query
        ),
        r.kind.to_string(),
        r.user_agent.map(str::to_string),
        r.client.ip.to_string(),
        r.elb_status_code,
        // Milliseconds, as written.
        r.target_processing_time
            .map(|s| (s * 1000.0).round() as u64),
    )
}

fn entries(log: &Path) -> Vec<Key> {
    let mut v = Vec::new();
    let s = read_logs(&[log.to_path_buf()], true, |_, _, r| v.push(key(r))).unwrap();
    assert_eq!(s.malformed, 0);
    v.sort();
    v
}

/// Runs `model` (in `dir`) with `--access-log`, into `dir/<out>`; returns the log's path.
fn run_logged(dir: &Path, model: &Path, out: &str) -> PathBuf {
    Command::cargo_bin("albsim")
        .unwrap()
        .current_dir(dir)
        .arg("run")
        .arg(model)
        .args(["--out", out, "-q", "--access-log"])
        .assert()
        .success();
    dir.join(out).join("access.log")
}

#[test]
fn replaying_albsims_own_log_gives_the_same_log() {
    let tmp = tempfile::tempdir().unwrap();
    let shipped = project("models/access-log-replay.json");
    let mut model: Value =
        serde_json::from_str(&std::fs::read_to_string(&shipped).unwrap()).unwrap();
    // Pass 1: the shipped model replays the shipped logs (absolute paths, so the copy finds them).
    let files: Vec<Value> = model["clients"][0]["arrival"]["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            Value::from(
                project("models")
                    .join(f.as_str().unwrap())
                    .to_str()
                    .unwrap(),
            )
        })
        .collect();
    model["clients"][0]["arrival"]["files"] = Value::from(files);
    let first = tmp.path().join("first.json");
    std::fs::write(&first, serde_json::to_string_pretty(&model).unwrap()).unwrap();
    let l1 = run_logged(tmp.path(), &first, "one");

    // Pass 2: the same model replays L1.
    model["clients"][0]["arrival"]["files"] = serde_json::json!(["one/access.log"]);
    let second = tmp.path().join("second.json");
    std::fs::write(&second, serde_json::to_string_pretty(&model).unwrap()).unwrap();
    let l2 = run_logged(tmp.path(), &second, "two");

    let (a, b) = (entries(&l1), entries(&l2));
    assert!(a.len() > 2000, "L1 has {} entries", a.len());
    assert_eq!(a.len(), b.len(), "as many entries");
    let differ: Vec<_> = a.iter().zip(&b).filter(|(x, y)| x != y).take(5).collect();
    assert!(
        differ.is_empty(),
        "first differing entries (L1, L2): {differ:#?}"
    );
}
