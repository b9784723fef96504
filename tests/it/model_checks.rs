//! What the loader checks before any simulation: names that end up in folders and files, sizes
//! that would make a run explode, and warnings for valid but suspicious settings.

use crate::common::albsim;
use crate::common::{
    client, constant_ms, exponential_ms, forward, group, http_listener, instance, model, poisson,
};
use assert_cmd::Command;
use serde_json::{Value, json};
use std::path::Path;

/// A valid one-group model: client `c` → listener 80 → `tg` → `i-1`.
fn base() -> Value {
    model(
        "checks",
        1,
        60.0,
        json!([client("c", poisson(10.0), exponential_ms(10.0))]),
        json!([http_listener(json!([]), "tg")]),
        json!([group("tg", &["i-1"], "round_robin")]),
        json!([instance("i-1", "test.c1", 1)]),
    )
}

fn quickstart() -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("models/quickstart.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// Every `(path, message)` error, or the warnings of a valid model.
fn load(m: &Value) -> Result<Vec<(String, String)>, Vec<String>> {
    match albsim::scenario::from_json(&m.to_string(), Path::new("m.json")) {
        Ok(sc) => Ok(sc
            .warnings
            .iter()
            .map(|w| (w.path.clone(), w.message.clone()))
            .collect()),
        Err(e) => Err(e.lines()),
    }
}

fn warnings(m: &Value) -> Vec<(String, String)> {
    load(m).unwrap_or_else(|e| panic!("rejected: {e:?}"))
}

fn errors(m: &Value) -> Vec<String> {
    match load(m) {
        Ok(w) => panic!("accepted (warnings {w:?})"),
        Err(e) => e,
    }
}

#[test]
fn shipped_models_have_no_warnings() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("models");
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        // models/access-logs/ holds the logs a model replays.
        if path.extension().is_none_or(|x| x != "json") {
            continue;
        }
        let sc = albsim::scenario::load(&path).unwrap();
        if path
            .file_stem()
            .is_some_and(|s| s == "sqs-messages-reappear")
        {
            // Its story is the mistake this warning is about (tests/it/sqs_stories.rs).
            assert_eq!(sc.warnings.len(), 1, "{:?}", sc.warnings);
            assert_eq!(sc.warnings[0].path, "consumers[0].processing_time");
            continue;
        }
        assert_eq!(sc.warnings, vec![], "{}", path.display());
    }
}

// ---------------------------------------------------------------------------------------------
// Names
// ---------------------------------------------------------------------------------------------

// See: issue 7, defect 1
/// A model named `..` or `.` would name the output folder `output/..`: `validate` rejects it
/// with the allowed pattern, and `run` stops before simulating, touching nothing.
#[test]
fn model_names_that_are_not_folder_names_are_rejected_by_validate_and_run() {
    for name in [
        "..",
        ".",
        ".hidden",
        "a/b",
        "nul\0byte",
        &"n".repeat(300),
        "",
    ] {
        let tmp = tempfile::tempdir().unwrap();
        let mut m = base();
        m["name"] = json!(name);
        std::fs::write(tmp.path().join("m.json"), m.to_string()).unwrap();
        std::fs::write(tmp.path().join("keep.txt"), "mine").unwrap();
        let (code, _, stderr) = albsim(tmp.path(), &["validate", "m.json"]);
        assert_eq!(code, Some(2), "{name:?}: {stderr}");
        assert!(
            stderr.contains("m.json: name: expected a model name of 1–100 letters, digits, '-', '_' or '.', starting with a letter or digit"),
            "{name:?}: {stderr}"
        );
        let (code, stdout, stderr) = albsim(tmp.path(), &["run", "m.json"]);
        assert_eq!(code, Some(2), "{name:?}: {stderr}");
        assert_eq!(stdout, "", "{name:?}: simulated");
        assert!(stderr.contains("m.json: name: "), "{name:?}: {stderr}");
        let mut left: Vec<String> = std::fs::read_dir(tmp.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        assert_eq!(left, ["keep.txt", "m.json"], "{name:?}");
    }
}

// See: issue 7, defect 6
/// Names that end up in timeseries.csv headers and activity.log: NUL, newlines, commas and
/// 300-character names fail in `validate`, not after the run.
#[test]
fn names_written_into_output_files_are_checked_by_the_loader() {
    let mut m = base();
    m["instances"][0]["id"] = json!("i-1\0");
    m["target_groups"][0]["targets"] = json!(["i-1\0"]);
    m["clients"][0]["name"] = json!("a,b");
    m["load_balancer"]["name"] = json!("x".repeat(300));
    let e = errors(&m);
    for want in [
        "m.json: instances[0].id: expected an instance id without control characters",
        "m.json: clients[0].name: expected a client name without control characters, commas or double quotes",
        "m.json: load_balancer.name: expected a load balancer name of at most 255 characters, got 300",
    ] {
        assert!(
            e.iter().any(|l| l.starts_with(want)),
            "{want:?} not in {e:#?}"
        );
    }
    assert_eq!(e.len(), 3, "{e:#?}");
}

// ---------------------------------------------------------------------------------------------
// Sizes
// ---------------------------------------------------------------------------------------------

// See: issue 7, defect 7
#[test]
fn a_model_file_over_16_mib_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let mut m = base();
    m["description"] = json!("d".repeat(16 * 1024 * 1024));
    std::fs::write(tmp.path().join("big.json"), m.to_string()).unwrap();
    let (code, _, stderr) = albsim(tmp.path(), &["validate", "big.json"]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains("big.json: the model file is larger than 16777216 bytes (16 MiB)"),
        "{stderr}"
    );
}

// See: issue 7, defect 7
/// `/dev/zero` never ends: albsim reads at most 16 MiB + 1 byte of it and stops.
#[cfg(unix)]
#[test]
fn dev_zero_is_refused_without_reading_it_all() {
    let tmp = tempfile::tempdir().unwrap();
    let (code, _, stderr) = albsim(tmp.path(), &["validate", "/dev/zero"]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains("/dev/zero: the model file is larger than 16777216 bytes"),
        "{stderr}"
    );
}

// See: issue 7, defect 7
#[test]
fn counts_beyond_aws_quotas_are_refused_with_the_quota() {
    let mut m = base();
    let ids: Vec<String> = (0..1001).map(|i| format!("i-{i}")).collect();
    m["instances"] = ids.iter().map(|id| instance(id, "test.c1", 1)).collect();
    m["target_groups"][0]["targets"] = json!(ids);
    m["load_balancer"]["listeners"] = (0..51)
        .map(|p| {
            let mut l = http_listener(json!([]), "tg");
            l["port"] = json!(8000 + p);
            l
        })
        .collect();
    let e = errors(&m);
    for want in [
        "m.json: load_balancer.listeners: expected at most 50 listeners (AWS quota: listeners per Application Load Balancer), got 51",
        "m.json: target_groups[0].targets: expected at most 1000 targets (AWS quota: targets per target group), got 1001",
        "m.json: instances: expected at most 1000 instances (AWS quota: targets per Application Load Balancer), got 1001",
    ] {
        assert!(e.iter().any(|l| l == want), "{want:?} not in {e:#?}");
    }
}

#[test]
fn more_than_100_rules_are_refused() {
    let mut m = base();
    let rules: Vec<Value> = (1..=101)
        .map(|p| {
            json!({ "priority": p,
            "conditions": [{ "field": "path-pattern", "values": [format!("/p{p}")] }],
            "actions": [forward("tg")] })
        })
        .collect();
    m["load_balancer"]["listeners"][0]["rules"] = json!(rules);
    let e = errors(&m);
    assert!(
        e.iter().any(
            |l| l.contains("load_balancer.listeners: expected at most 100 rules")
                && l.contains("AWS quota: rules per Application Load Balancer")
        ),
        "{e:#?}"
    );
}

// See: issue 7, defect 4
/// A 1-second period over 366 days would need tens of GiB of per-period series: rejected at
/// `metrics.period` with the duration and a period that fits.
#[test]
fn a_metric_period_too_short_for_the_duration_is_rejected() {
    let tmp = tempfile::tempdir().unwrap();
    let mut m = quickstart();
    m["duration"] = json!("366d");
    m["metrics"] = json!({ "period": "1s" });
    std::fs::write(tmp.path().join("m.json"), m.to_string()).unwrap();
    let (code, _, stderr) = albsim(tmp.path(), &["validate", "m.json"]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains("m.json: metrics.period: a 1 s period over a duration of"),
        "{stderr}"
    );
    assert!(stderr.contains("31622400 rows"), "{stderr}");
    assert!(stderr.contains("the limit is 1024 MiB"), "{stderr}");
    assert!(stderr.contains("use a period of at least 30 s"), "{stderr}");
    // The same run with the suggested period fits.
    m["metrics"] = json!({ "period": "30s" });
    assert!(load(&m).is_ok());
}

// ---------------------------------------------------------------------------------------------
// Warnings
// ---------------------------------------------------------------------------------------------

#[test]
fn times_beyond_the_run_are_never_reached() {
    let mut m = base();
    m["faults"] = json!([{ "type": "crash", "instance": "i-1", "at": "2m" }]);
    m["operations"] =
        json!([{ "at": 60, "action": "deregister", "target_group": "tg", "instance": "i-1" }]);
    m["clients"][0]["arrival"] = json!({ "type": "schedule",
        "steps": [{ "at": 0, "rate_per_second": 5 }, { "at": "1h", "rate_per_second": 50 }] });
    let w = warnings(&m);
    assert_eq!(
        w,
        [
            (
                "faults[0].at".to_string(),
                "this fault at 2m is never reached in a 1m run".to_string()
            ),
            (
                "operations[0].at".to_string(),
                "this operation at 1m is never reached in a 1m run".to_string()
            ),
            (
                "clients[0].arrival.steps[1].at".to_string(),
                "this rate step at 1h is never reached in a 1m run".to_string()
            ),
        ]
    );
}

#[test]
fn zero_think_time_is_flagged() {
    let mut m = base();
    m["clients"][0]["arrival"] =
        json!({ "type": "users", "count": 2, "think_time": constant_ms(0.0) });
    let w = warnings(&m);
    assert_eq!(w.len(), 1, "{w:?}");
    assert_eq!(w[0].0, "clients[0].arrival.think_time");
    assert!(
        w[0].1
            .contains("users send their next request the instant they get an answer"),
        "{w:?}"
    );
}

/// Users with think time 0 whose every request the ALB answers itself: `listeners` as given.
fn zero_think_answered_by(listeners: Value) -> Value {
    let mut m = base();
    m["clients"][0]["arrival"] =
        json!({ "type": "users", "count": 2, "think_time": constant_ms(0.0) });
    m["load_balancer"]["listeners"] = listeners;
    m
}

// See: issue 7, defect 6
#[test]
fn zero_think_time_against_a_fixed_response_is_an_error() {
    // Certain to stop simulated time: `validate` refused nothing and `run` failed after loading.
    let m = zero_think_answered_by(
        json!([{ "port": 80, "protocol": "HTTP", "default_actions": [
        { "type": "fixed-response", "status_code": 200 } ] }]),
    );
    let e = errors(&m);
    assert_eq!(e.len(), 1, "{e:?}");
    assert!(
        e[0].starts_with(
            "m.json: clients[0].arrival.think_time: client \"c\": its think time is 0"
        ),
        "{e:?}"
    );
    assert!(
        e[0].contains("(a fixed-response action answers 200)"),
        "{e:?}"
    );
    assert!(e[0].contains("expected a think time above 0"), "{e:?}");
}

// See: issue 7, defect 6
#[test]
fn zero_think_time_against_a_redirect_to_a_fixed_response_is_an_error() {
    let m = zero_think_answered_by(json!([
        { "port": 80, "protocol": "HTTP", "default_actions": [
            { "type": "redirect", "port": "8080", "status_code": "HTTP_302" } ] },
        { "port": 8080, "protocol": "HTTP", "default_actions": [
            { "type": "fixed-response", "status_code": 404 } ] }
    ]));
    let e = errors(&m);
    assert_eq!(e.len(), 1, "{e:?}");
    assert!(
        e[0].contains("(a redirect answers 302, then a fixed-response action answers 404)"),
        "{e:?}"
    );
}

/// A think time of 0 is only a warning while any request may take time: here one of two
/// request types goes to a target group.
#[test]
fn zero_think_time_with_one_request_type_forwarded_is_a_warning() {
    let mut m = zero_think_answered_by(json!([{ "port": 80, "protocol": "HTTP",
        "rules": [{ "priority": 1,
            "conditions": [{ "field": "path-pattern", "values": ["/fixed"] }],
            "actions": [{ "type": "fixed-response", "status_code": 200 }] }],
        "default_actions": [forward("tg")] }]));
    let second = json!({ "name": "fixed", "path": "/fixed", "service_time": constant_ms(5.0) });
    m["clients"][0]["requests"]
        .as_array_mut()
        .unwrap()
        .push(second);
    let w = warnings(&m);
    assert_eq!(w.len(), 1, "{w:?}");
    assert_eq!(w[0].0, "clients[0].arrival.think_time");
}

/// Without keep-alive each request to an HTTPS listener pays its TLS handshake (2 ms by
/// default): time advances, so a fixed response there is no certain stall.
#[test]
fn zero_think_time_without_keep_alive_over_https_is_a_warning() {
    let mut m = zero_think_answered_by(json!([{ "port": 443, "protocol": "HTTPS",
        "default_actions": [{ "type": "fixed-response", "status_code": 200 }] }]));
    m["clients"][0]["keep_alive"] = json!(false);
    m["clients"][0]["port"] = json!(443);
    let w = warnings(&m);
    // The think time, and `tg` that no listener reaches now.
    let paths: Vec<&str> = w.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(
        paths,
        ["clients[0].arrival.think_time", "target_groups[0]"],
        "{w:?}"
    );
}

#[test]
fn validate_refuses_the_readme_zero_think_time_model() {
    // See: issue 7, defect 6
    let model = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/readme/zero-think-time.json");
    let out = Command::cargo_bin("albsim")
        .unwrap()
        .arg("validate")
        .arg(&model)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("clients[0].arrival.think_time: client \"eager\": its think time is 0"),
        "{err}"
    );
}

#[test]
fn rules_that_can_never_match_are_flagged() {
    let mut m = base();
    let rule = |priority: u32, conditions: Value| json!({ "priority": priority, "conditions": conditions, "actions": [forward("tg")] });
    m["load_balancer"]["listeners"][0]["rules"] = json!([
        rule(
            10,
            json!([{ "field": "path-pattern", "values": ["/api/*", "/v2/*"] }])
        ),
        // Shadowed: every request it matches has a path in rule 10's values.
        rule(
            20,
            json!([{ "field": "path-pattern", "values": ["/api/*"] },
                        { "field": "http-request-method", "values": ["POST"] }])
        ),
        // Not shadowed, but the only client sends GET / (matches neither).
        rule(
            30,
            json!([{ "field": "path-pattern", "values": ["/admin/*"] }])
        ),
    ]);
    let w = warnings(&m);
    assert_eq!(
        w,
        [
            (
                "load_balancer.listeners[0].rules[1]".to_string(),
                "the rule with priority 20 can never match: the rule with priority 10 (rules[0]) matches every request it would".to_string()
            ),
            (
                "load_balancer.listeners[0].rules[0]".to_string(),
                "no client's request reaches the rule with priority 10 (each request type on port 80 matches an earlier rule or not this one)".to_string()
            ),
            (
                "load_balancer.listeners[0].rules[2]".to_string(),
                "no client's request reaches the rule with priority 30 (each request type on port 80 matches an earlier rule or not this one)".to_string()
            ),
        ]
    );
    // A request type for /admin/x makes rule 30 reachable.
    m["clients"][0]["requests"][0]["path"] = json!("/admin/x");
    let w = warnings(&m);
    assert!(!w.iter().any(|(p, _)| p.ends_with("rules[2]")), "{w:?}");
}

#[test]
fn target_groups_no_listener_reaches_and_idle_instances_are_flagged() {
    let mut m = base();
    m["target_groups"]
        .as_array_mut()
        .unwrap()
        .push(group("spare", &["i-2"], "round_robin"));
    m["instances"]
        .as_array_mut()
        .unwrap()
        .extend([instance("i-2", "test.c1", 1), instance("i-3", "test.c1", 1)]);
    let w = warnings(&m);
    assert_eq!(
        w,
        [
            (
                "target_groups[1]".to_string(),
                "no listener rule or default action forwards to target group \"spare\": its targets get health checks but no requests".to_string()
            ),
            (
                "instances[2]".to_string(),
                "instance \"i-3\" is in no target group (and no operation registers it): it never receives a request".to_string()
            ),
        ]
    );
}

/// `validate` prints warnings as `warning: FILE: path: message`, counts them on the `ok:` line
/// and exits 0.
#[test]
fn validate_prints_warnings_and_succeeds() {
    let tmp = tempfile::tempdir().unwrap();
    let mut m = base();
    m["faults"] = json!([{ "type": "crash", "instance": "i-1", "at": "2m" }]);
    std::fs::write(tmp.path().join("m.json"), m.to_string()).unwrap();
    let (code, stdout, stderr) = albsim(tmp.path(), &["validate", "m.json"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stdout.starts_with("ok: m.json (checks: "), "{stdout}");
    assert!(stdout.contains(", 1m, 1 warning)"), "{stdout}");
    assert_eq!(
        stderr,
        "warning: m.json: faults[0].at: this fault at 2m is never reached in a 1m run\n"
    );
}

fn shipped(name: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("models")
        .join(name);
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

// See: issue 7, defect 3
/// A scheduled action at 18446744074 s used to wrap round to 0.29 s and fire at once; like every
/// time in a model it is now refused beyond the longest run (366 days), at its own path.
#[test]
fn a_huge_scheduled_time_is_refused_instead_of_wrapping() {
    let mut m = shipped("scheduled-scaling.json");
    m["auto_scaling_groups"][0]["ScheduledActions"][0]["at"] = json!(18_446_744_074u64);
    let e = errors(&m);
    assert_eq!(e.len(), 1, "{e:?}");
    assert!(
        e[0].starts_with("m.json: auto_scaling_groups[0].ScheduledActions[0].at: "),
        "{e:?}"
    );
    assert!(e[0].contains("at most 366 days"), "{e:?}");
    assert!(e[0].contains("got 18446744074 s"), "{e:?}");
}

// See: issue 7, defect 7
/// A scheduled action may not raise a group beyond 1000 instances (MaxSize's limit), and every
/// failing policy and scheduled action of a group is reported, not just the first.
#[test]
fn scheduled_sizes_are_bounded_and_every_policy_error_is_reported() {
    let mut m = shipped("scheduled-scaling.json");
    let asg = &mut m["auto_scaling_groups"][0];
    asg["ScheduledActions"][1]["DesiredCapacity"] = json!(4_000_000_000u32);
    let policy = asg["Policies"][0].clone();
    asg["Policies"] = json!([policy.clone(), policy]);
    asg["Policies"][0]["TargetTrackingConfiguration"]["TargetValue"] = json!(500);
    asg["Policies"][1]["PolicyName"] = json!("cpu60");
    asg["Policies"][1]["PolicyType"] = json!("Magic");
    let e = errors(&m);
    let at = "m.json: auto_scaling_groups[0].";
    assert_eq!(
        e,
        [
            format!(
                "{at}Policies[0].TargetTrackingConfiguration.TargetValue: expected a positive target up to 100 (%), got 500"
            ),
            format!(
                "{at}Policies[1].PolicyType: expected TargetTrackingScaling, StepScaling or SimpleScaling, got \"Magic\""
            ),
            format!(
                "{at}ScheduledActions[1].DesiredCapacity: expected at most 1000 instances, got 4000000000"
            ),
        ]
    );
    let mut m = shipped("scheduled-scaling.json");
    m["auto_scaling_groups"][0]["ScheduledActions"][1]["DesiredCapacity"] = json!(4_000_000_000u32);
    assert_eq!(
        errors(&m),
        [format!(
            "{at}ScheduledActions[1].DesiredCapacity: expected at most 1000 instances, got 4000000000"
        )]
    );
}

#[test]
fn a_file_that_is_not_text_is_named() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("bin.json"), [b'{', 0xff, 0xfe, b'}']).unwrap();
    let (code, _, stderr) = albsim(tmp.path(), &["validate", "bin.json"]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains(
            "bin.json: not valid JSON: the file is not UTF-8 text (invalid byte at offset 1)"
        ),
        "{stderr}"
    );
}

// See: issue 7, defect 8
#[test]
fn duration_limits_use_the_one_time_limit_and_plain_words() {
    // The duration check had its own copy of the 366-day limit and printed Rust's Duration
    // Debug form ("got 31708800s", "got 0ns").
    let mut m = base();
    m["duration"] = json!("367d");
    let e = errors(&m);
    assert_eq!(
        e,
        [
            "m.json: duration: expected a time of at most 366 days, the longest run (31622400 s), got 31708800 s"
        ]
    );
    m["duration"] = json!(0);
    let e = errors(&m);
    assert_eq!(
        e,
        ["m.json: duration: expected a duration from 1 s to 366 days, the longest run, got 0 s"]
    );
}

// See: issue 7, defect 8
#[test]
fn huge_distribution_parameters_are_written_briefly() {
    // `mean_ms: 1e308` was echoed with all 309 digits.
    let mut m = base();
    m["clients"][0]["requests"][0]["service_time"] =
        json!({ "distribution": "exponential", "mean_ms": 1e308 });
    let e = errors(&m);
    assert_eq!(e.len(), 1, "{e:?}");
    assert!(e[0].ends_with(", got 1e308"), "{e:?}");
}

// See: issue 7, defect 7
#[test]
fn message_sizes_are_bounded() {
    // `request_bytes: 18446744073709551615` was accepted and overflowed the period's
    // ProcessedBytes sum on the first request (found by hostile_models).
    let mut m = base();
    m["clients"][0]["requests"][0]["request_bytes"] = json!(u64::MAX);
    m["clients"][0]["requests"][0]["response_bytes"] = json!(1u64 << 31);
    let e = errors(&m);
    assert_eq!(
        e,
        [
            "m.json: clients[0].requests[0].request_bytes: expected a size in bytes from 0 to 1073741824 (1 GiB), got 18446744073709551615",
        ],
        "the first error of a client is reported"
    );
    m["clients"][0]["requests"][0]["request_bytes"] = json!(1u64 << 30);
    let e = errors(&m);
    assert_eq!(
        e,
        [
            "m.json: clients[0].requests[0].response_bytes: expected a size in bytes from 0 to 1073741824 (1 GiB), got 2147483648"
        ]
    );
}

#[test]
fn the_fail_open_percentage_is_off_or_a_whole_percentage() {
    const KEY: &str =
        "target_group_health.unhealthy_state_routing.minimum_healthy_targets.percentage";
    for ok in [json!("off"), json!(1), json!("100"), json!(50)] {
        let mut m = base();
        m["target_groups"][0]["attributes"][KEY] = ok.clone();
        assert!(load(&m).is_ok(), "{ok} refused");
    }
    for (bad, shown) in [
        (json!(0), "0"),
        (json!("101"), "\"101\""),
        (json!(12.5), "12.5"),
        (json!("half"), "\"half\""),
        (json!(true), "true"),
    ] {
        let mut m = base();
        m["target_groups"][0]["attributes"][KEY] = bad;
        let want = format!(
            "m.json: target_groups[0].attributes.\"{KEY}\": expected \"off\" or a whole percentage 1–100, got {shown}"
        );
        let e = errors(&m);
        assert!(e.contains(&want), "{want:?} not in {e:#?}");
    }
}
