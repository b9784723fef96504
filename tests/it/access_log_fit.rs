//! `albsim fit`: service times per request class from access logs. The logs are generated here
//! from known distributions (they are not real traffic), so what the fit must find is known:
//! the request counts per class, the `-1` entries, a lognormal's parameters within their
//! confidence interval, and no lognormal for a two-peaked class. The snippet it prints must be a
//! valid `requests` list of a model.

use assert_cmd::Command;
use flate2::{Compression, write::GzEncoder};
use rand::SeedableRng;
use rand_distr::Distribution;
use serde_json::Value;
use std::io::Write;
use std::path::{Path, PathBuf};

fn albsim() -> Command {
    Command::cargo_bin("albsim").unwrap()
}

fn project(p: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(p)
}

fn line(path: &str, target: Option<f64>) -> String {
    let t = target.map_or("-1".to_string(), |s| format!("{s:.3}"));
    let (status, target_port) = if target.is_some() {
        ("200", "10.0.1.10:8080")
    } else {
        ("-", "10.0.1.10:8080")
    };
    format!(
        r#"http 2026-01-01T00:00:01.000000Z app/shop/0123456789abcdef 198.51.100.7:40000 {target_port} 0.000 {t} 0.000 {} {status} 300 2000 "GET http://www.example.com:80{path} HTTP/1.1" "test" - - - "-" "-" "-" 0 2026-01-01T00:00:00.900000Z "forward" "-" "-" "-" "-" "-" "-" -"#,
        if target.is_some() { "200" } else { "504" }
    )
}

/// Two classes: `/api/users/*` with lognormal target times (median 40 ms, σ = 0.5; 2 % of the
/// entries logged -1), and `/report` half at 5 ms and half at 400 ms.
struct Generated {
    users: u64,
    users_untimed: u64,
    reports: u64,
}

fn generate(dir: &Path) -> (Vec<PathBuf>, Generated) {
    let d = rand_distr::LogNormal::new(0.040f64.ln(), 0.5).unwrap();
    let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(7);
    let mut g = Generated {
        users: 0,
        users_untimed: 0,
        reports: 0,
    };
    let mut a = String::new();
    let mut b = String::new();
    for i in 0..6000u64 {
        let out = if i % 2 == 0 { &mut a } else { &mut b };
        if i % 3 == 0 {
            g.reports += 1;
            let t = if g.reports % 2 == 0 { 0.005 } else { 0.400 };
            out.push_str(&line("/report", Some(t)));
        } else {
            g.users += 1;
            let path = format!("/api/users/{}", i % 97);
            if i % 50 == 1 {
                g.users_untimed += 1;
                out.push_str(&line(&path, None));
            } else {
                out.push_str(&line(&path, Some(d.sample(&mut rng))));
            }
        }
        out.push('\n');
    }
    let plain = dir.join("node-a.log");
    std::fs::write(&plain, a).unwrap();
    let gz = dir.join("node-b.log.gz");
    let mut e = GzEncoder::new(Vec::new(), Compression::default());
    e.write_all(b.as_bytes()).unwrap();
    std::fs::write(&gz, e.finish().unwrap()).unwrap();
    (vec![plain, gz], g)
}

fn fit_json(files: &[PathBuf]) -> Value {
    let out = albsim()
        .arg("fit")
        .arg("--json")
        .args(files)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn fit_finds_the_classes_their_counts_and_the_generating_lognormal() {
    let tmp = tempfile::tempdir().unwrap();
    let (files, g) = generate(tmp.path());
    let v = fit_json(&files);
    assert_eq!(v["files"], 2);
    assert_eq!(v["malformed"], 0);
    let classes = v["classes"].as_array().unwrap();
    assert_eq!(classes.len(), 2, "ids collapse to one class: {classes:?}");
    let users = &classes[0];
    assert_eq!(users["path"], "/api/users/*");
    assert_eq!(users["requests"], g.users);
    assert_eq!(users["without_target_time"], g.users_untimed);
    // The MLE of mu has standard error σ/√n, that of sigma σ/√(2n): a 99.9 % band is 3.29 of them.
    let n = (g.users - g.users_untimed) as f64;
    let mu = users["lognormal"]["mu"].as_f64().unwrap();
    let sigma = users["lognormal"]["sigma"].as_f64().unwrap();
    assert!(
        (mu - 0.040f64.ln()).abs() < 3.29 * 0.5 / n.sqrt(),
        "mu {mu}"
    );
    assert!(
        (sigma - 0.5).abs() < 3.29 * 0.5 / (2.0 * n).sqrt(),
        "sigma {sigma}"
    );
    assert_eq!(
        users["suggested"]["service_time"]["distribution"],
        "lognormal"
    );
    let report = &classes[1];
    assert_eq!(report["path"], "/report");
    assert_eq!(report["requests"], g.reports);
    assert_eq!(
        report["suggested"]["service_time"]["distribution"],
        "empirical"
    );
    // Half the reports take 5 ms: the median of 5 ms and 400 ms halves is between them.
    assert_eq!(report["empirical"]["percentiles"][0]["ms"], 5.0);
    assert_eq!(report["p99_ms"], 400.0);
}

#[test]
fn the_printed_snippet_is_a_valid_requests_list() {
    let tmp = tempfile::tempdir().unwrap();
    let (files, _) = generate(tmp.path());
    let out = albsim().arg("fit").args(&files).output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("/api/users/*"), "{text}");
    assert!(text.contains("target_processing_time is the whole time at the target"));
    let snippet = &text[text.rfind("\n[\n").unwrap() + 1..];
    let requests: Value = serde_json::from_str(snippet).unwrap();
    let mut model: Value =
        serde_json::from_str(&std::fs::read_to_string(project("models/quickstart.json")).unwrap())
            .unwrap();
    model["clients"][0]["requests"] = requests;
    let file = tmp.path().join("fitted.json");
    std::fs::write(&file, serde_json::to_string_pretty(&model).unwrap()).unwrap();
    albsim().arg("validate").arg(&file).assert().success();
}

#[test]
fn malformed_lines_are_counted_with_file_and_line_or_fatal_with_strict() {
    let log = project("tests/data/access-logs/aws-examples.log");
    let out = albsim().arg("fit").arg(&log).output().unwrap();
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!(
            "{}:4: line: expected at least 13 space-separated fields (type … \"request\"), found 4: `target:port` is missing",
            log.display()
        )),
        "{stderr}"
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    // AWS's three examples are all path `/` or `/old`; the redirect (-1) is counted, not timed.
    assert!(
        stdout.contains("Read 1 file: 3 requests in 2 classes (1 malformed line skipped)."),
        "{stdout}"
    );
    assert!(
        stdout.contains("1 logged with target_processing_time -1 (not sent to a target, or no answer): counted, not timed."),
        "{stdout}"
    );

    let strict = albsim()
        .arg("fit")
        .arg("--strict")
        .arg(&log)
        .output()
        .unwrap();
    assert_eq!(strict.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&strict.stderr);
    assert!(
        stderr.contains(&format!("{}:4: line: ", log.display())),
        "{stderr}"
    );
}

#[test]
fn unreadable_input_is_named_and_exits_2() {
    let out = albsim()
        .args(["fit", "no/such/access.log"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.starts_with("error: no/such/access.log: cannot read the access log: "),
        "{stderr}"
    );
    let tmp = tempfile::tempdir().unwrap();
    let empty = tmp.path().join("empty.log");
    std::fs::write(&empty, "").unwrap();
    let out = albsim().arg("fit").arg(&empty).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("nothing to fit"));
}
