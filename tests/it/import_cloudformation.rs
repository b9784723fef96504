//! `albsim import cloudformation`: the shipped templates import into the shipped models, which
//! validate and run; what was assumed, ignored and changed is listed; bad input (an unsupported
//! intrinsic, a malformed `--parameters`, a missing file, an `--out` that is a folder) is a clear
//! error, exit 2, and nothing is written.
//!
//! The shipped models are the importer's output, byte for byte, so they never drift from it.
//! After a deliberate change to the importer, regenerate them with
//!
//! ```text
//! albsim import cloudformation models/cloudformation/classroom-asg.yaml --out models/classroom-asg.json
//! albsim import cloudformation models/cloudformation/websocket-guide.yaml --out models/websocket-guide.json
//! ```
//!
//! and read the diff.

use crate::common::albsim;
use serde_json::{Value, json};
use std::fs;
use std::path::{Path, PathBuf};

fn project() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The fixtures, with the model each one is shipped as.
const FIXTURES: &[(&str, &str)] = &[
    (
        "models/cloudformation/classroom-asg.yaml",
        "models/classroom-asg.json",
    ),
    (
        "models/cloudformation/websocket-guide.yaml",
        "models/websocket-guide.json",
    ),
];

/// `albsim import cloudformation ARGS…` run in the project folder: (exit code, stdout, stderr).
fn import(args: &[&str]) -> (Option<i32>, String, String) {
    let mut all = vec!["import", "cloudformation"];
    all.extend_from_slice(args);
    albsim(&project(), &all)
}

/// Imports `template` (extra `args`) and returns the model and the stderr listing.
fn imported(template: &str, args: &[&str]) -> (Value, String) {
    let mut all = vec![template];
    all.extend_from_slice(args);
    let (code, out, err) = import(&all);
    assert_eq!(code, Some(0), "{template}: {err}");
    (serde_json::from_str(&out).unwrap(), err)
}

#[test]
fn the_fixtures_import_into_the_shipped_models_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    for (template, model) in FIXTURES {
        let shipped = fs::read_to_string(project().join(model)).unwrap();
        let (code, stdout, err) = import(&[template]);
        assert_eq!(code, Some(0), "{template}: {err}");
        assert_eq!(
            stdout, shipped,
            "{model} is not what the importer makes of {template}: regenerate it (see this file's doc)"
        );
        // --out writes the same bytes, and only that file.
        let out = dir.path().join("m.json");
        let (code, stdout, err) = import(&[template, "--out", out.to_str().unwrap()]);
        assert_eq!(code, Some(0), "{err}");
        assert!(stdout.is_empty(), "{stdout}");
        assert!(err.contains(&format!("wrote {}", out.display())), "{err}");
        assert_eq!(fs::read_to_string(&out).unwrap(), shipped);
        assert_eq!(
            fs::read_dir(dir.path()).unwrap().count(),
            1,
            "only the model is left"
        );
        // The same template twice: the same bytes (no map order, no clock in the output).
        assert_eq!(import(&[template]).1, shipped);
    }
}

#[test]
fn the_imported_models_validate_and_run() {
    for (template, _) in FIXTURES {
        let (mut model, _) = imported(template, &[]);
        model["duration"] = json!("3m");
        let scenario = albsim::scenario::from_json(&model.to_string(), Path::new(template))
            .unwrap_or_else(|e| panic!("{template}: {e}"));
        let r = albsim::run(&scenario);
        assert!(r.requests_total > 0, "{template}: no requests");
        assert!(r.responses() > 0, "{template}: no responses");
    }
    for (_, model) in FIXTURES {
        let (code, out, err) = albsim(&project(), &["validate", model]);
        assert_eq!(code, Some(0), "{model}: {out}{err}");
    }
}

#[test]
fn slow_start_with_least_outstanding_requests_is_reported_and_imported_as_off() {
    let (model, err) = imported(FIXTURES[1].0, &[]);
    let note = err
        .lines()
        .find(|l| l.contains("slow_start.duration_seconds"))
        .unwrap_or_else(|| panic!("no slow start note in:\n{err}"));
    assert!(note.contains("Resources.WebSocketTargetGroup:"), "{note}");
    assert!(
        note.contains("You cannot enable both slow start mode and least outstanding requests."),
        "{note}"
    );
    assert!(
        note.contains("= 60"),
        "the note says what the template asked for: {note}"
    );
    let attrs = &model["target_groups"][0]["attributes"];
    assert_eq!(
        attrs["slow_start.duration_seconds"], 0,
        "AWS's default: off"
    );
    assert_eq!(
        attrs["load_balancing.algorithm.type"],
        "least_outstanding_requests"
    );
    // What the template asked and albsim supports is kept.
    assert_eq!(attrs["deregistration_delay.timeout_seconds"], 300);
    assert_eq!(attrs["stickiness.type"], "app_cookie");
}

#[test]
fn what_albsim_does_not_model_is_listed_as_ignored_and_defaults_as_assumed() {
    let (_, err) = imported(FIXTURES[0].0, &[]);
    for line in [
        "  VPC (AWS::EC2::VPC)",
        "  PublicSubnet1 (AWS::EC2::Subnet)",
        "  WebSecurityGroup (AWS::EC2::SecurityGroup)",
        "  InternetGateway (AWS::EC2::InternetGateway)",
    ] {
        assert!(err.lines().any(|l| l == line), "{line:?} not in:\n{err}");
    }
    assert!(
        !err.contains("WebLaunchTemplate ("),
        "the launch template is used: {err}"
    );
    assert!(err.contains("clients[0].arrival: "), "{err}");
    assert!(err.contains("duration: "), "{err}");
    let (_, err) = imported(FIXTURES[1].0, &[]);
    for line in [
        "  ALBSecurityGroup (AWS::EC2::SecurityGroup)",
        "  HighConnectionsAlarm (AWS::CloudWatch::Alarm)",
        "  UnhealthyTargetsAlarm (AWS::CloudWatch::Alarm)",
    ] {
        assert!(err.lines().any(|l| l == line), "{line:?} not in:\n{err}");
    }
    assert!(
        err.contains("ActiveConnectionCount"),
        "why the alarm is ignored: {err}"
    );
    // --quiet: the model only.
    let (code, out, err) = import(&[FIXTURES[1].0, "--quiet"]);
    assert_eq!((code, err.as_str()), (Some(0), ""));
    assert!(out.starts_with('{'));
}

#[test]
fn parameters_override_the_template_defaults() {
    let (model, _) = imported(FIXTURES[0].0, &[]);
    let ty = |m: &Value| m["auto_scaling_groups"][0]["LaunchTemplate"]["instance_type"].clone();
    assert_eq!(ty(&model), "t2.micro", "the parameter's Default");
    let (model, _) = imported(FIXTURES[0].0, &["--parameters", "InstanceType=t3.small"]);
    assert_eq!(ty(&model), "t3.small");
}

#[test]
fn pseudo_parameters_must_look_like_aws_values() {
    let template = project().join(FIXTURES[0].0);
    let template = template.to_str().unwrap();
    for (given, words) in [
        (
            "AWS::Region=mars-1",
            "AWS::Region: expected a Region name such as us-east-1",
        ),
        ("AWS::Region=US-EAST-1", "got `US-EAST-1`"),
        (
            "AWS::AccountId=42",
            "AWS::AccountId: expected a 12-digit account number",
        ),
    ] {
        let (code, stdout, err) = import(&[template, "--parameters", given]);
        assert_eq!(code, Some(2), "{given}: {err}");
        assert!(stdout.is_empty());
        assert!(err.contains(words), "{given}: {err}");
    }
    for region in ["eu-west-2", "us-gov-west-1", "ap-southeast-7"] {
        let given = format!("AWS::Region={region}");
        let (code, _, err) = import(&[template, "--parameters", &given]);
        assert_eq!(code, Some(0), "{given}: {err}");
    }
}

#[test]
fn an_unsupported_intrinsic_names_the_logical_id_and_line_column() {
    let dir = tempfile::tempdir().unwrap();
    let template = dir.path().join("t.yaml");
    let text = fs::read_to_string(project().join(FIXTURES[0].0))
        .unwrap()
        .replace(
            "      Port: 80\n      Protocol: HTTP\n      VpcId",
            "      Port: !ImportValue SharedPort\n      Protocol: HTTP\n      VpcId",
        );
    let line = text
        .lines()
        .position(|l| l.contains("!ImportValue"))
        .expect("the fixture changed")
        + 1;
    fs::write(&template, &text).unwrap();
    let out = dir.path().join("m.json");
    let (code, stdout, err) = import(&[template.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert_eq!(code, Some(2), "{err}");
    assert!(stdout.is_empty());
    assert!(
        err.contains("WebTargetGroup"),
        "names the logical id: {err}"
    );
    assert!(err.contains("ImportValue"), "names the intrinsic: {err}");
    assert!(
        err.contains(&format!("{}:{line}:", template.display())),
        "names the file and line {line}: {err}"
    );
    assert!(!out.exists(), "nothing written");
}

#[test]
fn bad_arguments_are_clear_errors_and_write_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("m.json");
    let out_arg = out.to_str().unwrap();
    let (code, _, err) = import(&[
        FIXTURES[0].0,
        "--parameters",
        "InstanceType",
        "--out",
        out_arg,
    ]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("expected Key=Value"), "{err}");
    let (code, _, err) = import(&["models/cloudformation/no-such.yaml", "--out", out_arg]);
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains("no-such.yaml: cannot read the template"),
        "{err}"
    );
    assert!(!out.exists());
    // --out that is a folder is refused, and left alone.
    let (code, _, err) = import(&[FIXTURES[0].0, "--out", dir.path().to_str().unwrap()]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("not a regular file"), "{err}");
    assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0);
    assert!(
        !err.contains("panicked") && !err.contains("RUST_BACKTRACE"),
        "{err}"
    );
}

#[test]
fn scheduled_actions_run_at_their_calendar_times_within_the_imported_run() {
    let dir = tempfile::tempdir().unwrap();
    let template = dir.path().join("scheduled.yaml");
    let classroom = fs::read_to_string(project().join(FIXTURES[0].0)).unwrap();
    let actions = "  MorningPeak:
    Type: AWS::AutoScaling::ScheduledAction
    Properties:
      AutoScalingGroupName: !Ref WebAutoScalingGroup
      Recurrence: '0 9 * * MON-FRI'
      MinSize: 3
      DesiredCapacity: 3
  Evening:
    Type: AWS::AutoScaling::ScheduledAction
    Properties:
      AutoScalingGroupName: !Ref WebAutoScalingGroup
      Recurrence: '0 18 * * *'
      MinSize: 2
      DesiredCapacity: 2

Outputs:";
    fs::write(
        &template,
        classroom.replace("\nOutputs:", &format!("\n{actions}")),
    )
    .unwrap();
    let model = dir.path().join("scheduled.json");
    // Monday 2026-03-09, 08:00 UTC, for two hours: the group starts as Sunday evening's action
    // left it; the morning peak runs at 09:00, one hour in.
    let (code, _, err) = import(&[
        template.to_str().unwrap(),
        "--start",
        "2026-03-09T08:00:00Z",
        "--duration",
        "2h",
        "--out",
        model.to_str().unwrap(),
    ]);
    assert_eq!(code, Some(0), "{err}");
    assert!(
        err.contains("Resources.MorningPeak: Recurrence \"0 9 * * MON-FRI\" (UTC) runs 1 time during the run (from 2026-03-09T08:00:00Z for 2h), imported as ScheduledActions at 1h"),
        "{err}"
    );
    let m: Value = serde_json::from_str(&fs::read_to_string(&model).unwrap()).unwrap();
    assert_eq!(m["duration"], "2h");
    assert_eq!(
        m["auto_scaling_groups"][0]["ScheduledActions"],
        json!([
            {"ScheduledActionName": "MorningPeak", "at": "1h", "MinSize": 3, "DesiredCapacity": 3},
        ])
    );
    let out = dir.path().join("run");
    let (code, _, err) = albsim(
        &project(),
        &[
            "run",
            model.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "-q",
        ],
    );
    assert_eq!(code, Some(0), "{err}");
    let activity = fs::read_to_string(out.join("activity.log")).unwrap();
    let launch = activity
        .lines()
        .find(|l| l.contains("Launching a new EC2 instance"))
        .unwrap_or_else(|| panic!("{activity}"));
    assert!(
        launch.starts_with("1:00:00.000")
            && launch.contains(
                "scheduled action MorningPeak was executed, changing the desired capacity from 2 to 3"
            ),
        "{activity}"
    );
}

#[test]
fn a_bad_start_or_duration_is_a_clear_error() {
    for (args, says) in [
        (
            ["--start", "2026-03-09 08:00"],
            "expected a UTC instant such as 2026-01-01T00:00:00Z",
        ),
        (
            ["--duration", "0s"],
            "--duration \"0s\": expected whole seconds from 1 s to 366 days",
        ),
        (
            ["--duration", "400d"],
            "expected whole seconds from 1 s to 366 days",
        ),
        (
            ["--duration", "soon"],
            "--duration \"soon\": expected a duration such as",
        ),
    ] {
        let mut all = vec![FIXTURES[0].0];
        all.extend_from_slice(&args);
        let (code, out, err) = import(&all);
        assert_eq!(code, Some(2), "{args:?}: {err}");
        assert!(err.contains(says), "{args:?}: {err}");
        assert!(out.is_empty(), "{args:?}");
    }
}

/// A file name that is no model name becomes one (and says so); `--out` never replaces the
/// template, or any file an import did not write.
#[test]
fn odd_file_names_become_model_names_and_the_template_is_never_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let template = dir.path().join("My Stack (prod).yaml");
    let text = fs::read_to_string(project().join(FIXTURES[0].0)).unwrap();
    fs::write(&template, &text).unwrap();
    let out = dir.path().join("m.json");
    let (code, _, err) = import(&[template.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{err}");
    assert!(
        err.contains("name: \"My-Stack-prod\" (the template's file name, made a model name"),
        "{err}"
    );
    let m: Value = serde_json::from_str(&fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(m["name"], "My-Stack-prod");
    // Importing again over the model it wrote is fine; over the template it is refused.
    let (code, _, err) = import(&[template.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{err}");
    let (code, _, err) = import(&[
        template.to_str().unwrap(),
        "--out",
        template.to_str().unwrap(),
    ]);
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains("is not a model `albsim import cloudformation` wrote"),
        "{err}"
    );
    assert_eq!(fs::read_to_string(&template).unwrap(), text);
}
