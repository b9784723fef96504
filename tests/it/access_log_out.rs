//! `albsim run --access-log`: every line in AWS's ALB access-log format, checked field by field
//! against the Athena table's regular expression (AWS's "Create the table for ALB access logs",
//! the version with `classification`, `classification_reason` and `conn_trace_id`):
//!
//! ```text
//! ([^ ]*) ([^ ]*) ([^ ]*) ([^ ]*):([0-9]*) ([^ ]*)[:-]([0-9]*) ([-.0-9]*) ([-.0-9]*) ([-.0-9]*)
//! (|[-0-9]*) (-|[-0-9]*) ([-0-9]*) ([-0-9]*) \"([^ ]*) (.*) (- |[^ ]*)\" \"([^\"]*)\"
//! ([A-Z0-9-_]+) ([A-Za-z0-9.-]*) ([^ ]*) \"([^\"]*)\" \"([^\"]*)\" \"([^\"]*)\" ([-.0-9]*)
//! ([^ ]*) \"([^\"]*)\" \"([^\"]*)\" \"([^ ]*)\" \"([^\s]+?)\" \"([^\s]+)\" \"([^ ]*)\"
//! \"([^ ]*)\" ?([^ ]*)?( .*)?
//! ```
//!
//! The `regex` crate is not a dependency, so lines are split by the field list
//! (`albsim::access_log::fields::FIELDS`, quoted fields between double quotes) and each field is
//! checked against its group of that expression. Expected values come from AWS's documented rules
//! (`aws-behavior.md` §17) and from the run's own `summary.json`.

use crate::common::{albsim, model_file};
use albsim::access_log::fields::{FIELDS, index};
use serde_json::Value;
use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

/// Runs `albsim run MODEL --out DIR ARGS…` in a fresh folder; returns the folder.
fn run(model: &str, extra: &[&str]) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let model = model_file(model);
    let mut args = vec!["run", model.to_str().unwrap(), "--out", "out", "-q"];
    args.extend_from_slice(extra);
    let (code, _, err) = albsim(tmp.path(), &args);
    assert_eq!(code, Some(0), "{err}");
    tmp
}

fn read(dir: &Path, name: &str) -> Vec<u8> {
    std::fs::read(dir.join("out").join(name)).unwrap()
}

fn summary(dir: &Path) -> Value {
    serde_json::from_slice(&read(dir, "summary.json")).unwrap()
}

/// `summary.json` without `wall_seconds` (the one field that depends on the machine).
fn summary_without_wall(dir: &Path) -> String {
    String::from_utf8(read(dir, "summary.json"))
        .unwrap()
        .lines()
        .filter(|l| !l.trim_start().starts_with("\"wall_seconds\""))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Splits a line into its fields: space-separated, quoted fields kept whole (quotes removed).
fn split(line: &str) -> Vec<(bool, &str)> {
    let mut fields = Vec::new();
    let mut rest = line;
    while !rest.is_empty() {
        if let Some(inner) = rest.strip_prefix('"') {
            let end = inner.find('"').expect("a closing quote");
            fields.push((true, &inner[..end]));
            rest = inner[end + 1..]
                .strip_prefix(' ')
                .unwrap_or(&inner[end + 1..]);
        } else {
            let end = rest.find(' ').unwrap_or(rest.len());
            fields.push((false, &rest[..end]));
            rest = rest[end..].strip_prefix(' ').unwrap_or("");
        }
    }
    fields
}

fn all(s: &str, ok: impl Fn(char) -> bool) -> bool {
    s.chars().all(ok)
}

fn no_space(s: &str) -> bool {
    !s.contains(' ')
}

/// `[-.0-9]*`
fn number_like(s: &str) -> bool {
    all(s, |c| c == '-' || c == '.' || c.is_ascii_digit())
}

/// `([^ ]*):([0-9]*)` (with `[:-]` for the target: `-` alone is a field that names nothing).
fn host_port(s: &str, dash_allowed: bool) -> bool {
    if dash_allowed && s == "-" {
        return true;
    }
    s.rsplit_once(':')
        .is_some_and(|(h, p)| no_space(h) && all(p, |c| c.is_ascii_digit()))
}

/// ISO 8601 UTC with microseconds: `2018-07-02T22:23:00.186641Z`.
fn iso_micros(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 27
        && b.iter().enumerate().all(|(i, &c)| match i {
            4 | 7 => c == b'-',
            10 => c == b'T',
            13 | 16 => c == b':',
            19 => c == b'.',
            26 => c == b'Z',
            _ => c.is_ascii_digit(),
        })
}

/// Seconds since 2026-01-01T00:00:00Z (the default start) of an ISO instant within that month.
fn secs_in_jan_2026(s: &str) -> f64 {
    assert!(s.starts_with("2026-01-"), "{s}");
    let day: f64 = s[8..10].parse().unwrap();
    let h: f64 = s[11..13].parse().unwrap();
    let m: f64 = s[14..16].parse().unwrap();
    let sec: f64 = s[17..26].parse().unwrap();
    (day - 1.0) * 86_400.0 + h * 3600.0 + m * 60.0 + sec
}

/// A processing time: `-1` or seconds with exactly three decimals.
fn seconds(s: &str) -> Option<f64> {
    if s == "-1" {
        return None;
    }
    let (_, frac) = s.split_once('.').expect("three decimals");
    assert_eq!(frac.len(), 3, "{s}");
    Some(s.parse().unwrap())
}

/// Checks one line against the field list and the Athena expression's groups; returns its
/// fields by name.
fn check_line(line: &str) -> BTreeMap<&'static str, String> {
    let fields = split(line);
    assert_eq!(fields.len(), FIELDS.len(), "{line}");
    let mut by_name = BTreeMap::new();
    for (f, (quoted, value)) in FIELDS.iter().zip(&fields) {
        assert_eq!(
            f.quoted, *quoted,
            "{} quoted as AWS writes it: {line}",
            f.name
        );
        by_name.insert(f.name, value.to_string());
    }
    let v = |name: &str| by_name[name].as_str();
    assert!(
        ["http", "https", "h2", "ws", "wss"].contains(&v("type")),
        "{line}"
    );
    assert!(
        iso_micros(v("time")) && iso_micros(v("request_creation_time")),
        "{line}"
    );
    let elb = v("elb");
    let parts: Vec<&str> = elb.split('/').collect();
    assert!(
        parts.len() == 3
            && parts[0] == "app"
            && parts[2].len() == 16
            && all(parts[2], |c| c.is_ascii_hexdigit()),
        "{elb}"
    );
    assert!(host_port(v("client:port"), false), "{line}");
    assert!(host_port(v("target:port"), true), "{line}");
    for t in [
        "request_processing_time",
        "target_processing_time",
        "response_processing_time",
        "matched_rule_priority",
    ] {
        assert!(number_like(v(t)) && !v(t).is_empty(), "{t}: {line}");
    }
    assert!(
        all(v("elb_status_code"), |c| c == '-' || c.is_ascii_digit()),
        "{line}"
    );
    let ts = v("target_status_code");
    assert!(ts == "-" || all(ts, |c| c.is_ascii_digit()), "{line}");
    for b in ["received_bytes", "sent_bytes"] {
        assert!(all(v(b), |c| c.is_ascii_digit()), "{line}");
    }
    // \"([^ ]*) (.*) (- |[^ ]*)\"
    let request: Vec<&str> = v("request").splitn(2, ' ').collect();
    let (url, proto) = request[1].rsplit_once(' ').unwrap();
    assert!(no_space(request[0]) && !url.is_empty(), "{line}");
    assert!(["HTTP/1.1", "HTTP/2.0"].contains(&proto), "{line}");
    assert!(!v("user_agent").contains('"'));
    assert!(
        all(v("ssl_cipher"), |c| c.is_ascii_uppercase()
            || c.is_ascii_digit()
            || c == '-'
            || c == '_')
            && !v("ssl_cipher").is_empty(),
        "{line}"
    );
    assert!(all(v("ssl_protocol"), |c| c.is_ascii_alphanumeric()
        || c == '.'
        || c == '-'));
    assert!(no_space(v("target_group_arn")));
    let trace = v("trace_id");
    let t: Vec<&str> = trace.trim_start_matches("Root=").split('-').collect();
    assert!(
        trace.starts_with("Root=1-") && t.len() == 3 && t[1].len() == 8 && t[2].len() == 24,
        "{trace}"
    );
    for q in ["error_reason", "classification", "classification_reason"] {
        assert!(no_space(v(q)), "{line}");
    }
    for q in ["target:port_list", "target_status_code_list"] {
        assert!(
            !v(q).is_empty() && !v(q).contains(char::is_whitespace),
            "{line}"
        );
    }
    assert!(no_space(v("conn_trace_id")) && v("conn_trace_id").starts_with("TID_"));
    // The lists repeat the single target of albsim's requests.
    assert_eq!(v("target:port_list"), v("target:port"), "{line}");
    assert_eq!(
        v("target_status_code_list"),
        v("target_status_code"),
        "{line}"
    );
    by_name
}

/// Checks every line of a log; returns them parsed.
fn check_log(text: &str) -> Vec<BTreeMap<&'static str, String>> {
    assert!(text.ends_with('\n'));
    text.lines().map(check_line).collect()
}

/// Count of lines by `elb_status_code`.
fn by_status(lines: &[BTreeMap<&'static str, String>]) -> BTreeMap<String, u64> {
    let mut counts = BTreeMap::new();
    for l in lines {
        *counts.entry(l["elb_status_code"].clone()).or_default() += 1;
    }
    counts
}

/// `summary.json`'s `requests.by_status`.
fn summary_by_status(dir: &Path) -> BTreeMap<String, u64> {
    let s = summary(dir);
    (s["requests"]["by_status"].as_object().unwrap().iter())
        .map(|(k, v)| (k.clone(), v.as_u64().unwrap()))
        .collect()
}

/// A target's answer: times known, and `time` − `request_creation_time` is their sum (each
/// rounded to the millisecond, the instants truncated to the microsecond).
fn check_answered(l: &BTreeMap<&'static str, String>) {
    let rpt = seconds(&l["request_processing_time"]).expect("known");
    let tpt = seconds(&l["target_processing_time"]).expect("known");
    let resp = seconds(&l["response_processing_time"]).expect("known");
    assert!(rpt >= 0.0 && tpt >= 0.0 && resp == 0.0);
    let elapsed = secs_in_jan_2026(&l["time"]) - secs_in_jan_2026(&l["request_creation_time"]);
    assert!(
        (elapsed - rpt - tpt).abs() <= 0.0015,
        "{elapsed} vs {rpt} + {tpt}: {l:?}"
    );
    assert_ne!(l["target:port"], "-");
    assert_ne!(l["target_group_arn"], "-");
}

#[test]
fn redirects_and_forwards_follow_aws_fields_and_totals_match_the_summary() {
    let tmp = run("https-canary", &["--access-log"]);
    let text = String::from_utf8(read(tmp.path(), "access.log")).unwrap();
    let lines = check_log(&text);
    assert_eq!(by_status(&lines), summary_by_status(tmp.path()));
    let manifest: Value = serde_json::from_slice(&read(tmp.path(), "albsim-output.json")).unwrap();
    assert!(
        (manifest["files"].as_array().unwrap().iter()).any(|f| f == "access.log"),
        "{manifest}"
    );
    let (mut redirects, mut fixed, mut forwards) = (0, 0, 0);
    for l in &lines {
        match l["actions_executed"].as_str() {
            action @ ("redirect" | "fixed-response") => {
                if action == "redirect" {
                    redirects += 1;
                    assert!(["301", "302"].contains(&l["elb_status_code"].as_str()));
                    assert!(l["redirect_url"].starts_with("https://"), "{l:?}");
                    assert_eq!(l["type"], "http");
                    assert_eq!(
                        (l["ssl_cipher"].as_str(), l["ssl_protocol"].as_str()),
                        ("-", "-")
                    );
                } else {
                    fixed += 1;
                    assert_eq!(l["redirect_url"], "-");
                }
                // Nothing dispatched: no target, -1 for the three times, no target status.
                assert_eq!(l["target:port"], "-");
                for t in [
                    "request_processing_time",
                    "target_processing_time",
                    "response_processing_time",
                ] {
                    assert_eq!(l[t], "-1", "{l:?}");
                }
                assert_eq!(l["target_status_code"], "-");
                assert_eq!(l["target_group_arn"], "-");
            }
            "forward" => {
                forwards += 1;
                assert_eq!(l["redirect_url"], "-");
                if l["elb_status_code"] == "200" {
                    check_answered(l);
                    assert_eq!(l["target_status_code"], "200");
                }
                if l["type"] == "https" {
                    assert_eq!(l["ssl_cipher"], "ECDHE-RSA-AES128-GCM-SHA256");
                    assert_eq!(l["ssl_protocol"], "TLSv1.2");
                    assert!(l["request"].contains(" https://"));
                    assert!(
                        l["chosen_cert_arn"]
                            .starts_with("arn:aws:acm:us-east-1:123456789012:certificate/")
                    );
                }
            }
            other => panic!("unexpected action {other}"),
        }
        let tg = &l["target_group_arn"];
        assert!(
            tg == "-"
                || tg.starts_with(
                    "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/"
                ),
            "{tg}"
        );
    }
    assert!(
        redirects > 0 && fixed > 0 && forwards > 0,
        "{redirects} {fixed} {forwards}"
    );
}

#[test]
fn target_failures_write_minus_one_and_dash_where_aws_does() {
    for model in ["security-group-unhealthy", "traffic-doubles"] {
        let tmp = run(model, &["--access-log"]);
        let text = String::from_utf8(read(tmp.path(), "access.log")).unwrap();
        let lines = check_log(&text);
        let counts = by_status(&lines);
        assert_eq!(counts, summary_by_status(tmp.path()), "{model}");
        let errors: u64 = (counts.iter())
            .filter(|(k, _)| ["502", "503", "504"].contains(&k.as_str()))
            .map(|(_, n)| n)
            .sum();
        assert!(errors > 0, "{model}: {counts:?}");
        for l in &lines {
            let status = l["elb_status_code"].as_str();
            if ["502", "503", "504"].contains(&status) {
                // No target response: -1 for the three times, no target status.
                for t in [
                    "request_processing_time",
                    "target_processing_time",
                    "response_processing_time",
                ] {
                    assert_eq!(l[t], "-1", "{model}: {l:?}");
                }
                assert_eq!(l["target_status_code"], "-");
                assert_eq!(l["target_status_code_list"], "-");
                // 503: no target to route to; 502/504: the target it was sent to.
                assert_eq!(l["target:port"] == "-", status == "503", "{model}: {l:?}");
                assert_ne!(l["target_group_arn"], "-");
            } else if status == "200" {
                check_answered(l);
            }
        }
    }
}

#[test]
fn websocket_connections_are_logged_when_they_close() {
    let tmp = run("websocket-idle-timeout", &["--access-log"]);
    let text = String::from_utf8(read(tmp.path(), "access.log")).unwrap();
    let lines = check_log(&text);
    let ws: Vec<_> = lines
        .iter()
        .filter(|l| l["type"].starts_with("ws"))
        .collect();
    let s = summary(tmp.path());
    let w = &s["websockets"];
    let closed = [
        "closed_by_idle_timeout",
        "closed_by_deregistration",
        "closed_by_target_failure",
    ]
    .iter()
    .map(|k| w[k].as_u64().unwrap())
    .sum::<u64>();
    assert!(closed > 0);
    assert_eq!(ws.len() as u64, closed, "one line per closed connection");
    // Connections still open at the end are not logged yet (AWS logs at close): 101 lines are
    // the opened ones less those.
    assert!(by_status(&lines)["101"] <= w["opened"].as_u64().unwrap());
    let model: Value = serde_json::from_str(
        &std::fs::read_to_string(model_file("websocket-idle-timeout")).unwrap(),
    )
    .unwrap();
    let https = model.to_string().contains("\"HTTPS\"");
    for l in ws {
        assert_eq!(l["type"], if https { "wss" } else { "ws" });
        assert_eq!(
            (
                l["elb_status_code"].as_str(),
                l["target_status_code"].as_str()
            ),
            ("101", "101")
        );
        // time is the close, request_creation_time the upgrade request: the connection lasted.
        let open = secs_in_jan_2026(&l["time"]) - secs_in_jan_2026(&l["request_creation_time"]);
        let rpt = seconds(&l["request_processing_time"]).unwrap();
        let tpt = seconds(&l["target_processing_time"]).unwrap();
        assert!(open > rpt + tpt, "{l:?}");
    }
}

#[test]
fn logs_are_deterministic_and_gzip_is_the_same_text_with_fixed_header() {
    let a = run("security-group-unhealthy", &["--access-log"]);
    let b = run("security-group-unhealthy", &["--access-log"]);
    let plain = read(a.path(), "access.log");
    assert_eq!(plain, read(b.path(), "access.log"));
    let g1 = run("security-group-unhealthy", &["--access-log=gzip"]);
    let g2 = run("security-group-unhealthy", &["--access-log=gzip"]);
    let gz = read(g1.path(), "access.log.gz");
    assert_eq!(gz, read(g2.path(), "access.log.gz"), "byte-identical gzip");
    assert!(!g1.path().join("out/access.log").exists());
    // RFC 1952 header: magic, deflate, no FNAME flag, MTIME 0.
    assert_eq!(&gz[..3], &[0x1f, 0x8b, 8]);
    assert_eq!(gz[3] & 0x08, 0, "no file name");
    assert_eq!(&gz[4..8], &[0, 0, 0, 0], "modification time 0");
    let mut text = Vec::new();
    flate2::read::GzDecoder::new(&gz[..])
        .read_to_end(&mut text)
        .unwrap();
    assert_eq!(text, plain);
}

#[test]
fn logging_and_sampling_change_nothing_else() {
    let without = run("traffic-doubles", &[]);
    let with = run("traffic-doubles", &["--access-log"]);
    let sampled = run(
        "traffic-doubles",
        &["--access-log", "--access-log-sample", "0.25"],
    );
    let reference = summary_without_wall(without.path());
    assert_eq!(summary_without_wall(with.path()), reference);
    assert_eq!(summary_without_wall(sampled.path()), reference);
    assert!(!without.path().join("out/access.log").exists());
    let full = String::from_utf8(read(with.path(), "access.log")).unwrap();
    let part = String::from_utf8(read(sampled.path(), "access.log")).unwrap();
    let full_lines: std::collections::BTreeSet<&str> = full.lines().collect();
    let n = full.lines().count() as f64;
    let k = part.lines().count() as f64;
    assert!(
        part.lines().all(|l| full_lines.contains(l)),
        "a sample of the same lines"
    );
    // Binomial(n, 0.25): within 5 standard deviations.
    let sd = (n * 0.25 * 0.75).sqrt();
    assert!((k - 0.25 * n).abs() < 5.0 * sd, "{k} of {n}");
}

#[test]
fn bad_sample_rates_and_start_instants_are_refused_before_anything_runs() {
    let model = model_file("security-group-unhealthy");
    let model = model.to_str().unwrap();
    for (flag, bad) in [
        ("--access-log-sample", "0"),
        ("--access-log-sample", "1.5"),
        ("--access-log-sample", "-0.1"),
        ("--access-log-sample", "NaN"),
        ("--access-log-start", "2026-02-30T00:00:00Z"),
        ("--access-log-start", "yesterday"),
    ] {
        let tmp = tempfile::tempdir().unwrap();
        let (code, _, err) = albsim(
            tmp.path(),
            &[
                "run",
                model,
                "--out",
                "out",
                "--access-log",
                &format!("{flag}={bad}"),
            ],
        );
        assert_ne!(code, Some(0), "{flag} {bad}");
        assert!(
            err.contains("at most 1") || err.contains("2026-01-01T00:00:00Z"),
            "{flag} {bad}: {err}"
        );
        assert!(!err.contains("panicked"), "{err}");
        assert_eq!(
            std::fs::read_dir(tmp.path()).unwrap().count(),
            0,
            "nothing written"
        );
    }
}

#[test]
fn the_start_instant_places_the_log_on_the_calendar() {
    let tmp = run(
        "security-group-unhealthy",
        &["--access-log", "--access-log-start", "2026-01-05T10:00:00Z"],
    );
    let text = String::from_utf8(read(tmp.path(), "access.log")).unwrap();
    let first = check_line(text.lines().next().unwrap());
    let t = secs_in_jan_2026(&first["request_creation_time"]);
    let start = 4.0 * 86_400.0 + 10.0 * 3600.0;
    let duration = summary(tmp.path())["duration_seconds"].as_f64().unwrap();
    assert!(t >= start && t <= start + duration, "{t}");
    // The trace id's epoch seconds are the request's: 2026-01-05T10:00:00Z is 0x695b8aa0 + …
    let epoch = u64::from_str_radix(&first["trace_id"][7..15], 16).unwrap();
    assert_eq!(epoch, 1_767_225_600 + t as u64);
    assert_eq!(index("type"), Some(0));
}
