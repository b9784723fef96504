//! `albsim report` and `run/sweep --report` as a user runs them: where the files go, that the two
//! ways give the same bytes, that reruns are byte-identical, that nothing of the user's is
//! overwritten and that a folder albsim did not write is refused with nothing written.

use assert_cmd::Command;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;

fn model(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("models")
        .join(name)
}

fn albsim(cwd: &Path, args: &[&str]) -> Output {
    Command::cargo_bin("albsim")
        .unwrap()
        .current_dir(cwd)
        .args(args)
        .output()
        .unwrap()
}

fn ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "exit {:?}\nstdout: {}\nstderr: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn listed(dir: &Path) -> Vec<String> {
    let m: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(dir.join("albsim-output.json")).unwrap()).unwrap();
    m["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap().to_string())
        .collect()
}

fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// `run --report` writes report.html into the run's folder and lists it; `albsim report` on the
/// folder afterwards writes the same bytes, twice over.
#[test]
fn run_report_and_report_command_agree_byte_for_byte() {
    let tmp = tempfile::tempdir().unwrap();
    let m = model("quickstart.json");
    let m = m.to_str().unwrap();
    let out = ok(&albsim(
        tmp.path(),
        &["run", m, "--duration", "5m", "--out", "a", "--report"],
    ));
    assert!(
        out.contains("report.html"),
        "the wrote line names it: {out}"
    );
    let a = tmp.path().join("a");
    assert!(listed(&a).contains(&"report.html".to_string()));
    let first = fs::read(a.join("report.html")).unwrap();
    // The same run again into the same folder, without the report: then `albsim report` on it.
    // (The report names its folder in the reproduce command, so the folder is the same.)
    ok(&albsim(
        tmp.path(),
        &["run", m, "--duration", "5m", "--out", "a"],
    ));
    assert!(!a.join("report.html").exists(), "no report unless asked");
    let said = ok(&albsim(tmp.path(), &["report", "a"]));
    assert_eq!(said, "wrote a/report.html\n");
    assert_eq!(
        fs::read(a.join("report.html")).unwrap(),
        first,
        "run --report and albsim report give the same page"
    );
    let b = a;
    let second = first;
    ok(&albsim(tmp.path(), &["report", "a", "-q"]));
    assert_eq!(
        fs::read(b.join("report.html")).unwrap(),
        second,
        "reruns are byte-identical"
    );
    assert!(listed(&b).contains(&"report.html".to_string()));
    assert_eq!(
        listed(&b).iter().filter(|f| *f == "report.html").count(),
        1,
        "listed once"
    );
    // Nothing else appeared in the folder (no temporary file left).
    let mut want = listed(&b);
    want.push("albsim-output.json".into());
    want.sort();
    assert_eq!(entries(&b), want);
}

/// Markdown comes with its plots as PNG files beside it, named as the page refers to them.
#[test]
fn markdown_reports_have_their_images_beside_them() {
    let tmp = tempfile::tempdir().unwrap();
    let m = model("target-tracking-cpu.json");
    ok(&albsim(
        tmp.path(),
        &[
            "run",
            m.to_str().unwrap(),
            "--out",
            "r",
            "--report=md",
            "-q",
        ],
    ));
    let r = tmp.path().join("r");
    let md = fs::read_to_string(r.join("report.md")).unwrap();
    assert!(md.contains("](timeline.png)"), "{md}");
    let png = fs::read(r.join("timeline.png")).unwrap();
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    assert!(
        !r.join("report.html").exists(),
        "only the Markdown asked for"
    );
}

/// `--out FILE` writes beside that file, named after it, and never over a file of the user's.
#[test]
fn out_writes_beside_the_file_and_never_over_a_users_file() {
    let tmp = tempfile::tempdir().unwrap();
    let m = model("quickstart.json");
    ok(&albsim(
        tmp.path(),
        &[
            "run",
            m.to_str().unwrap(),
            "--duration",
            "5m",
            "--out",
            "r",
            "-q",
        ],
    ));
    fs::create_dir(tmp.path().join("notes")).unwrap();
    let said = ok(&albsim(
        tmp.path(),
        &["report", "r", "--out", "notes/qs.html", "--format", "both"],
    ));
    assert_eq!(
        said,
        "wrote notes/qs.html, notes/qs.md, notes/qs-timeline.png\n"
    );
    let md = fs::read_to_string(tmp.path().join("notes/qs.md")).unwrap();
    assert!(md.contains("](qs-timeline.png)"), "{md}");
    // Again: albsim's own files are replaced.
    ok(&albsim(
        tmp.path(),
        &[
            "report",
            "r",
            "--out",
            "notes/qs.html",
            "--format",
            "both",
            "-q",
        ],
    ));
    // A file of the user's is not, and nothing is written.
    fs::write(tmp.path().join("notes/mine.html"), "my notes").unwrap();
    let out = albsim(tmp.path(), &["report", "r", "--out", "notes/mine.html"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("notes/mine.html: exists and is not a report albsim wrote"),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        fs::read_to_string(tmp.path().join("notes/mine.html")).unwrap(),
        "my notes"
    );
    // A folder that does not exist is not created.
    let out = albsim(tmp.path(), &["report", "r", "--out", "nowhere/x.html"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("does not exist"), "{}", stderr(&out));
    assert!(!tmp.path().join("nowhere").exists());
}

/// A folder albsim did not write, or none at all, is refused: exit 2, a message saying what to
/// give, nothing written.
#[test]
fn foreign_and_missing_folders_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    fs::create_dir(tmp.path().join("mine")).unwrap();
    fs::write(tmp.path().join("mine/summary.json"), "{}").unwrap();
    let out = albsim(tmp.path(), &["report", "mine"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "error: mine: not an albsim output folder (it has no albsim-output.json); give a folder that `albsim run` or `albsim sweep` wrote\n"
    );
    assert_eq!(entries(&tmp.path().join("mine")), ["summary.json"]);
    let out = albsim(tmp.path(), &["report", "gone"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("gone: no such folder"),
        "{}",
        stderr(&out)
    );
    assert!(!tmp.path().join("gone").exists());
}

/// A run folder that lost a file the report needs says which, and exits 2.
#[test]
fn a_folder_missing_a_file_names_it() {
    let tmp = tempfile::tempdir().unwrap();
    let m = model("quickstart.json");
    ok(&albsim(
        tmp.path(),
        &[
            "run",
            m.to_str().unwrap(),
            "--duration",
            "5m",
            "--out",
            "r",
            "-q",
        ],
    ));
    fs::remove_file(tmp.path().join("r/events.json")).unwrap();
    let out = albsim(tmp.path(), &["report", "r"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("r: has no events.json, which the report needs"),
        "{}",
        stderr(&out)
    );
    assert!(!tmp.path().join("r/report.html").exists());
}

/// `sweep --report --keep-runs` writes the sweep's report and one per kept run; the sweep's
/// links to them.
#[test]
fn a_sweep_report_links_each_kept_runs_report() {
    let tmp = tempfile::tempdir().unwrap();
    let exp = Path::new(env!("CARGO_MANIFEST_DIR")).join("experiments/visibility-timeout.json");
    ok(&albsim(
        tmp.path(),
        &[
            "sweep",
            exp.to_str().unwrap(),
            "--out",
            "s",
            "--keep-runs",
            "--report",
            "-q",
        ],
    ));
    let s = tmp.path().join("s");
    let page = fs::read_to_string(s.join("report.html")).unwrap();
    assert!(listed(&s).contains(&"report.html".to_string()));
    let runs = entries(&s.join("runs"));
    assert!(!runs.is_empty());
    for run in &runs {
        let dir = s.join("runs").join(run);
        assert!(dir.join("report.html").exists(), "{run} has its report");
        assert!(listed(&dir).contains(&"report.html".to_string()));
        let link = format!("runs/{run}/report.html");
        assert!(page.contains(&link), "the sweep's report links {link}");
    }
}
