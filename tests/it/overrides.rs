//! Overrides (`--set PATH=VALUE`): a value set on the command line is read exactly as if the
//! model file said so; a key absent from an object is added (and judged by the usual checks);
//! an index past the end, a step into a number or a string, an empty path or a missing `=` are
//! errors naming where; several apply in order and the last of one path wins; every problem an
//! override causes names that override. Through the library and through the binary, where `run`
//! and `validate` take the same overrides and the manifest records them.

use crate::common::{albsim, model_file, model_file_json};
use albsim::scenario::overrides::{LoadError, Override};
use albsim::scenario::{self, ModelError};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

fn quickstart() -> PathBuf {
    model_file("quickstart")
}

fn project() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn sets(texts: &[&str]) -> Vec<Override> {
    texts.iter().map(|t| Override::parse(t).unwrap()).collect()
}

/// The quickstart model's text, loaded with `--set` of each of `texts`.
fn load_quickstart(texts: &[&str]) -> Result<scenario::Scenario, LoadError> {
    let text = std::fs::read_to_string(quickstart()).unwrap();
    scenario::from_json_with(&text, "quickstart.json".as_ref(), &sets(texts))
}

/// The error lines of loading the quickstart model with `texts`.
fn quickstart_errors(texts: &[&str]) -> Vec<String> {
    match load_quickstart(texts) {
        Ok(_) => panic!("accepted: {texts:?}"),
        Err(e) => e.lines(),
    }
}

/// A model resolved from `value`, printed in full (every resolved field).
fn resolved(value: &Value) -> String {
    let sc = scenario::from_json(&value.to_string(), "quickstart.json".as_ref())
        .unwrap_or_else(|e| panic!("{e}"));
    format!("{sc:?}")
}

#[test]
fn a_set_value_is_read_as_if_the_file_said_so() {
    let overridden = load_quickstart(&[
        "duration=5m",
        "seed=7",
        "clients[0].arrival.rate_per_second=10",
        r#"load_balancer.attributes."idle_timeout.timeout_seconds"=30"#,
        r#"clients[0].requests[1].service_time={"distribution":"constant","ms":5}"#,
        "target_groups[name=api].port=9090",
    ])
    .unwrap();
    let mut edited = model_file_json("quickstart");
    edited["duration"] = json!("5m");
    edited["seed"] = json!(7);
    edited["clients"][0]["arrival"]["rate_per_second"] = json!(10);
    edited["load_balancer"]["attributes"]["idle_timeout.timeout_seconds"] = json!(30);
    edited["clients"][0]["requests"][1]["service_time"] =
        json!({"distribution": "constant", "ms": 5});
    edited["target_groups"][1]["port"] = json!(9090);
    assert_eq!(format!("{overridden:?}"), resolved(&edited));
    assert_eq!(overridden.seed, 7);
    assert_eq!(overridden.duration.as_secs_f64(), 300.0);
}

#[test]
fn a_key_absent_from_an_object_is_added() {
    // `attributes` is absent from the target group: created, with the key in it.
    let mut m = model_file_json("quickstart");
    m["target_groups"][0]
        .as_object_mut()
        .unwrap()
        .remove("attributes");
    let text = m.to_string();
    let overridden = scenario::from_json_with(
        &text,
        "m.json".as_ref(),
        &sets(&[r#"target_groups[0].attributes."deregistration_delay.timeout_seconds"=10"#]),
    )
    .unwrap();
    m["target_groups"][0]["attributes"] = json!({"deregistration_delay.timeout_seconds": 10});
    assert_eq!(format!("{overridden:?}"), resolved(&m));
}

#[test]
fn a_key_the_object_does_not_have_is_refused_naming_the_set_the_path_and_the_allowed_keys() {
    assert_eq!(
        quickstart_errors(&["load_balancer.Foo=1"]),
        [
            "--set load_balancer.Foo=1: load_balancer.Foo: unknown key \"Foo\"; allowed keys: name, attributes, listeners, AvailabilityZones"
        ]
    );
}

#[test]
fn an_index_past_the_end_of_a_list_names_the_path_and_the_length() {
    assert_eq!(
        quickstart_errors(&["target_groups[2].port=1"]),
        [
            "--set target_groups[2].port=1: target_groups[2]: expected an index below 2 (the list has 2 elements), got 2"
        ]
    );
    assert_eq!(
        quickstart_errors(&["clients[1].arrival.rate_per_second=5"]),
        [
            "--set clients[1].arrival.rate_per_second=5: clients[1]: expected the index 0 (the list has 1 element), got 1"
        ]
    );
}

#[test]
fn stepping_into_a_number_or_a_string_names_where() {
    assert_eq!(
        quickstart_errors(&["seed.value=1"]),
        ["--set seed.value=1: seed: expected an object to set \"value\" in, got a number (42)"]
    );
    assert_eq!(
        quickstart_errors(&["name[0]=x"]),
        [
            "--set name[0]=x: name: expected a list to pick the element [0] of, got a string (\"quickstart\")"
        ]
    );
    // An index into a list the model does not have.
    assert_eq!(
        quickstart_errors(&["auto_scaling_groups[0].MinSize=1"]),
        [
            "--set auto_scaling_groups[0].MinSize=1: auto_scaling_groups: expected a list to pick an element of, got nothing (the model has no list here)"
        ]
    );
}

#[test]
fn every_override_that_cannot_be_applied_is_reported_at_once() {
    assert_eq!(
        quickstart_errors(&["seed.x=1", "duration=5m", "target_groups[9]=1"]),
        [
            "--set seed.x=1: seed: expected an object to set \"x\" in, got a number (42)",
            "--set target_groups[9]=1: target_groups[9]: expected an index below 2 (the list has 2 elements), got 9",
        ]
    );
}

#[test]
fn an_empty_path_or_a_missing_equals_sign_is_a_usage_error() {
    assert_eq!(
        Override::parse("").unwrap_err(),
        "expected a key, got nothing; expected PATH=VALUE, e.g. auto_scaling_groups[0].DefaultCooldown=120"
    );
    assert_eq!(
        Override::parse("=120").unwrap_err(),
        "expected a key, got '='; expected PATH=VALUE, e.g. auto_scaling_groups[0].DefaultCooldown=120"
    );
    assert_eq!(
        Override::parse("auto_scaling_groups[0].DefaultCooldown").unwrap_err(),
        "expected PATH=VALUE, e.g. auto_scaling_groups[0].DefaultCooldown=120 (there is no '=' after the path)"
    );
    let tmp = tempfile::tempdir().unwrap();
    for bad in ["", "=120", "seed"] {
        let out = tmp.path().join("out");
        let (code, stdout, stderr) = albsim(
            tmp.path(),
            &[
                "run",
                quickstart().to_str().unwrap(),
                "--set",
                bad,
                "--out",
                out.to_str().unwrap(),
            ],
        );
        assert_eq!(code, Some(2), "{bad:?}: {stderr}");
        assert!(
            stderr.starts_with(&format!(
                "error: invalid value '{bad}' for '--set <PATH=VALUE>': expected "
            )),
            "{bad:?}: {stderr}"
        );
        assert_eq!(stdout, "");
        assert!(!out.exists(), "{bad:?} wrote something");
    }
}

#[test]
fn overrides_apply_in_order_and_the_last_of_one_path_wins() {
    let sc = load_quickstart(&["seed=1", "duration=10m", "seed=2"]).unwrap();
    assert_eq!(sc.seed, 2);
    // A later override of a whole object replaces what an earlier one set inside it.
    let sc = load_quickstart(&[
        "clients[0].arrival.rate_per_second=5",
        r#"clients[0].arrival={"type":"poisson","rate_per_second":7}"#,
    ])
    .unwrap();
    let mut edited = model_file_json("quickstart");
    edited["clients"][0]["arrival"] = json!({"type": "poisson", "rate_per_second": 7});
    assert_eq!(format!("{sc:?}"), resolved(&edited));
}

#[test]
fn a_value_an_override_set_out_of_range_names_the_override() {
    assert_eq!(
        quickstart_errors(&["duration=500d"]),
        [
            "--set duration=500d: duration: expected a time of at most 366 days, the longest run (31622400 s), got 43200000 s"
        ]
    );
    assert_eq!(
        quickstart_errors(&[r#"load_balancer.attributes."idle_timeout.timeout_seconds"=5000"#]),
        [
            "--set load_balancer.attributes.\"idle_timeout.timeout_seconds\"=5000: load_balancer.attributes.\"idle_timeout.timeout_seconds\": expected an integer in 1–4000 (seconds), got 5000"
        ]
    );
    // A problem inside the object an override set, and one beside the key it set.
    assert_eq!(
        quickstart_errors(&[r#"clients[0].requests[0].service_time={"distribution":"constant"}"#]),
        [
            "--set clients[0].requests[0].service_time={\"distribution\":\"constant\"}: clients[0].requests[0].service_time: missing required key \"ms\""
        ]
    );
    let lines = quickstart_errors(&["clients[0].arrival.type=spike"]);
    assert!(lines.len() > 1, "{lines:?}");
    for line in &lines {
        assert!(
            line.starts_with("--set clients[0].arrival.type=spike: clients[0].arrival"),
            "{line}"
        );
    }
}

#[test]
fn problems_the_file_has_anyway_name_the_file_and_an_override_can_fix_one() {
    let mut m = model_file_json("quickstart");
    m["load_balancer"]["attributes"]["idle_timeout.timeout_seconds"] = json!(5000);
    let text = m.to_string();
    let file: &Path = "broken.json".as_ref();
    let e = scenario::from_json_with(&text, file, &sets(&["duration=500d"])).unwrap_err();
    assert_eq!(
        e.lines(),
        [
            "--set duration=500d: duration: expected a time of at most 366 days, the longest run (31622400 s), got 43200000 s",
            "broken.json: load_balancer.attributes.\"idle_timeout.timeout_seconds\": expected an integer in 1–4000 (seconds), got 5000",
        ]
    );
    // An override that causes nothing leaves the file's error exactly as without it.
    let e = scenario::from_json_with(&text, file, &sets(&["seed=3"])).unwrap_err();
    let alone = scenario::from_json(&text, file).unwrap_err();
    assert!(
        matches!(e, LoadError::Model(ModelError::Invalid { .. })),
        "{e}"
    );
    assert_eq!(e.lines(), alone.lines());
    let fixed = scenario::from_json_with(
        &text,
        file,
        &sets(&[r#"load_balancer.attributes."idle_timeout.timeout_seconds"=60"#]),
    );
    assert!(fixed.is_ok(), "{:?}", fixed.err().map(|e| e.lines()));
}

#[test]
fn the_raw_model_reads_the_overrides_too() {
    let text = std::fs::read_to_string(quickstart()).unwrap();
    let raw = scenario::parse_raw_with(&text, "q.json".as_ref(), &sets(&["seed=9"])).unwrap();
    assert_eq!(raw.seed, Some(9));
    let e = scenario::parse_raw_with(&text, "q.json".as_ref(), &sets(&["seed=-9"])).unwrap_err();
    assert_eq!(
        e.lines(),
        ["--set seed=-9: seed: expected a whole number 0–18446744073709551615, got -9"]
    );
}

/// The four result files of a run in `dir`, `summary.json` without its wall-clock line.
fn results(dir: &Path) -> Vec<(String, Vec<u8>)> {
    [
        "summary.json",
        "timeseries.csv",
        "timeline.svg",
        "activity.log",
    ]
    .iter()
    .map(|name| {
        let bytes = std::fs::read(dir.join(name)).unwrap();
        let bytes = if *name == "summary.json" {
            let text = String::from_utf8(bytes).unwrap();
            let kept: Vec<&str> = text
                .lines()
                .filter(|l| !l.trim_start().starts_with("\"wall_seconds\""))
                .collect();
            kept.join("\n").into_bytes()
        } else {
            bytes
        };
        (name.to_string(), bytes)
    })
    .collect()
}

#[test]
fn a_run_with_set_writes_the_same_bytes_as_the_model_file_edited_the_same_way() {
    let tmp = tempfile::tempdir().unwrap();
    let model = model_file("target-tracking-cpu");
    let mut edited = model_file_json("target-tracking-cpu");
    edited["duration"] = json!("20m");
    edited["auto_scaling_groups"][0]["DefaultCooldown"] = json!(120);
    edited["auto_scaling_groups"][0]["MaxSize"] = json!(3);
    let edited_file = tmp.path().join("edited.json");
    std::fs::write(&edited_file, serde_json::to_string_pretty(&edited).unwrap()).unwrap();

    let (by_set, by_file) = (tmp.path().join("set"), tmp.path().join("file"));
    let set = [
        "--set",
        "duration=20m",
        "--set",
        "auto_scaling_groups[0].DefaultCooldown=120",
        "--set",
        "auto_scaling_groups[0].MaxSize=3",
    ];
    let mut args = vec!["run", model.to_str().unwrap(), "--quiet", "--out"];
    args.push(by_set.to_str().unwrap());
    args.extend(set);
    let (code, _, stderr) = albsim(tmp.path(), &args);
    assert_eq!(code, Some(0), "{stderr}");
    let (code, _, stderr) = albsim(
        tmp.path(),
        &[
            "run",
            edited_file.to_str().unwrap(),
            "--quiet",
            "--out",
            by_file.to_str().unwrap(),
        ],
    );
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(results(&by_set), results(&by_file));
    // And the overrides changed something: the same 20 minutes without them differ.
    let (code, _, stderr) = albsim(
        tmp.path(),
        &[
            "run",
            model.to_str().unwrap(),
            "--quiet",
            "--duration",
            "20m",
            "--out",
            tmp.path().join("plain").to_str().unwrap(),
        ],
    );
    assert_eq!(code, Some(0), "{stderr}");
    assert_ne!(results(&tmp.path().join("plain")), results(&by_set));
}

#[test]
fn the_manifest_records_the_overrides_in_the_order_applied() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let (code, stdout, stderr) = albsim(
        project(),
        &[
            "run",
            "models/quickstart.json",
            "--set",
            "seed=1",
            "--duration",
            "1m",
            "--set",
            "target_groups[name=web].port=81",
            "--seed",
            "5",
            "--out",
            out.to_str().unwrap(),
        ],
    );
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stdout.contains("1m simulated (seed 5)"), "{stdout}");
    let manifest: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("albsim-output.json")).unwrap())
            .unwrap();
    assert_eq!(manifest["seed"], 5, "--seed applies after every --set");
    assert_eq!(
        manifest["overrides"],
        json!([
            { "path": "seed", "value": 1, "given_as": "--set seed=1" },
            { "path": "target_groups[name=web].port", "value": 81,
              "given_as": "--set target_groups[name=web].port=81" },
            { "path": "seed", "value": 5, "given_as": "--seed 5" },
            { "path": "duration", "value": "1m", "given_as": "--duration 1m" },
        ])
    );
    // A run without overrides says so.
    let plain = tmp.path().join("plain");
    let (code, _, stderr) = albsim(
        project(),
        &[
            "run",
            "models/quickstart.json",
            "--duration",
            "1m",
            "--quiet",
            "--out",
            plain.to_str().unwrap(),
        ],
    );
    assert_eq!(code, Some(0), "{stderr}");
    let manifest: Value =
        serde_json::from_str(&std::fs::read_to_string(plain.join("albsim-output.json")).unwrap())
            .unwrap();
    assert_eq!(
        manifest["overrides"],
        json!([{ "path": "duration", "value": "1m", "given_as": "--duration 1m" }])
    );
}

#[test]
fn validate_accepts_and_refuses_what_run_does() {
    let tmp = tempfile::tempdir().unwrap();
    let (code, stdout, stderr) = albsim(
        project(),
        &[
            "validate",
            "models/quickstart.json",
            "--set",
            "duration=2h",
            "--set",
            "clients[0].arrival.rate_per_second=40",
        ],
    );
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(
        stdout,
        "ok: models/quickstart.json (quickstart: 1 client, 1 listener, 2 target groups, 4 instances, 0 Auto Scaling groups, 2h)\n"
    );
    let bad = ["--set", "duration=500d", "--set", "load_balancer.Foo=1"];
    let mut validate = vec!["validate", "models/quickstart.json"];
    validate.extend(bad);
    let (code, stdout, stderr) = albsim(project(), &validate);
    assert_eq!(code, Some(2));
    assert_eq!(stdout, "");
    let expected = "\
error: --set load_balancer.Foo=1: load_balancer.Foo: unknown key \"Foo\"; allowed keys: name, attributes, listeners, AvailabilityZones
error: --set duration=500d: duration: expected a time of at most 366 days, the longest run (31622400 s), got 43200000 s
models/quickstart.json: 2 errors
";
    assert_eq!(
        stderr,
        format!("{expected}error: 1 model file is invalid\n")
    );
    let out = tmp.path().join("out");
    let mut run = vec![
        "run",
        "models/quickstart.json",
        "--out",
        out.to_str().unwrap(),
    ];
    run.extend(bad);
    let (code, stdout, stderr) = albsim(project(), &run);
    assert_eq!(code, Some(2));
    assert_eq!(stdout, "");
    assert_eq!(stderr, expected, "run prints what validate prints");
    assert!(!out.exists());
}

#[test]
fn the_seed_and_duration_options_keep_their_messages() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let cases = [
        (
            "400d",
            "error: --duration 400d: expected a time of at most 366 days, the longest run (31622400 s), got 34560000 s\n",
        ),
        (
            "0.5",
            "error: --duration 0.5: expected a duration from 1 s to 366 days, the longest run, got 0.5 s\n",
        ),
        (
            "soon",
            "error: --duration soon: expected a duration such as \"90s\", \"5m\", \"1h 30m\" or a number of seconds, got \"soon\" (expected number at 0)\n",
        ),
    ];
    for (bad, expected) in cases {
        let run = [
            "run",
            "models/quickstart.json",
            "--duration",
            bad,
            "--out",
            out.to_str().unwrap(),
        ];
        let (code, stdout, stderr) = albsim(project(), &run);
        assert_eq!((code, stdout.as_str()), (Some(2), ""), "run {bad}");
        assert_eq!(stderr, expected, "run {bad}");
        let validate = ["validate", "models/quickstart.json", "--duration", bad];
        let (code, stdout, stderr) = albsim(project(), &validate);
        assert_eq!((code, stdout.as_str()), (Some(2), ""), "validate {bad}");
        assert_eq!(
            stderr,
            format!("{expected}error: 1 model file is invalid\n"),
            "validate {bad}"
        );
    }
    assert!(!out.exists());
}

/// `--seed` is read by the loader like the model's own `seed`, so a value that is not a whole
/// number 0–2^64-1 gets the loader's message, named after the option, not a command-line parser's.
#[test]
fn a_seed_that_is_not_a_whole_number_is_refused_in_the_loaders_words() {
    let range = "expected a whole number 0–18446744073709551615";
    let cases = [
        ("abc", format!("{range}, got a string \"abc\"")),
        ("-1", format!("{range}, got -1")),
        ("2.5", format!("{range}, got 2.5")),
        ("99999999999999999999", format!("{range}, got 1e+20")),
    ];
    for (bad, message) in cases {
        let (code, stdout, stderr) = albsim(
            project(),
            &["validate", "models/quickstart.json", "--seed", bad],
        );
        assert_eq!((code, stdout.as_str()), (Some(2), ""), "--seed {bad}");
        assert_eq!(
            stderr,
            format!("error: --seed {bad}: {message}\nerror: 1 model file is invalid\n"),
            "--seed {bad}"
        );
    }
    let (code, stdout, _) = albsim(
        project(),
        &[
            "validate",
            "models/quickstart.json",
            "--seed",
            "18446744073709551615",
        ],
    );
    assert_eq!(code, Some(0), "the largest seed is a seed: {stdout}");
}

#[test]
fn validate_of_several_models_says_which_one_an_override_does_not_fit() {
    let (code, stdout, stderr) = albsim(
        project(),
        &[
            "validate",
            "models/quickstart.json",
            "models/slow-start.json",
            "--set",
            "clients[1].name=second",
        ],
    );
    assert_eq!(code, Some(2));
    assert!(
        stdout.starts_with("ok: models/slow-start.json "),
        "{stdout}"
    );
    assert_eq!(
        stderr,
        "\
error: --set clients[1].name=second: clients[1]: expected the index 0 (the list has 1 element), got 1
models/quickstart.json: 1 error
error: 1 model file is invalid
"
    );
}
