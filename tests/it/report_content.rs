//! The run report's content (`report::run_report::build`), checked against the model files it
//! reports on: shipped models are run through the library, their result files rendered as
//! `albsim run` writes them, read back through `folder::read_run` and reported on.

use crate::common::model_file;
use albsim::report::document::{Block, Document, Inline, Mark, Section, Text};
use albsim::report::events::{self, ExplainedEvent};
use albsim::report::folder::{self, InMemory, RunFolder};
use albsim::report::output::{Manifest, ManifestOverride, RunOutput, files};
use albsim::report::run_report;
use albsim::report::summary::Partial;
use albsim::scenario::{self, overrides::Override};
use serde_json::Value;
use std::path::Path;

/// The files of one run of the shipped model `name` with `overrides` (as `--set` reads them),
/// as `albsim run` would write them, and the manifest it would write.
fn run_files(name: &str, overrides: &[Override]) -> (Manifest, Vec<(&'static str, Vec<u8>)>) {
    let path = model_file(name);
    let text = scenario::read_model(&path).unwrap();
    let sc = scenario::from_json_with(&text, &path, overrides).unwrap();
    let model = scenario::model_as_run(&text, &path, overrides).unwrap();
    let result = albsim::run_with(&sc, &mut albsim::RunOptions::default()).unwrap();
    let partial = Partial::of(&result, Some(sc.duration.as_secs_f64()));
    let files = files::render_all(RunOutput {
        result: &result,
        partial: partial.as_ref(),
        model: &model,
    })
    .unwrap();
    let manifest = Manifest {
        overrides: overrides.iter().map(ManifestOverride::of).collect(),
        ..Manifest::for_run(&path, &sc.name, sc.seed)
    };
    (manifest, files)
}

/// The run folder of `name` run with `overrides`, read back from memory.
fn run_folder(name: &str, overrides: &[Override]) -> RunFolder {
    let (manifest, files) = run_files(name, overrides);
    folder::read_run(&InMemory {
        folder: Path::new("output/report-test"),
        manifest: &manifest,
        files: &files,
    })
    .unwrap()
}

/// `--set path=value`.
fn set(text: &str) -> Override {
    Override::parse(text).unwrap()
}

fn section<'a>(d: &'a Document, id: &str) -> &'a Section {
    d.sections
        .iter()
        .find(|s| s.id == id)
        .unwrap_or_else(|| panic!("no section {id}: {:?}", ids(d)))
}

fn ids(d: &Document) -> Vec<&str> {
    d.sections.iter().map(|s| s.id.as_str()).collect()
}

/// Every pair of a section's `Pairs` blocks after the heading `heading` (up to the next one).
fn pairs_under(s: &Section, heading: &str) -> Vec<(String, String)> {
    let mut inside = false;
    let mut out = Vec::new();
    for b in &s.blocks {
        match b {
            Block::Heading(h) => inside = h == heading,
            Block::Pairs(p) if inside => {
                out.extend(p.iter().map(|(k, v)| (k.clone(), v.to_plain())))
            }
            _ => {}
        }
    }
    assert!(!out.is_empty(), "no settings under {heading:?}");
    out
}

fn value<'a>(pairs: &'a [(String, String)], key: &str) -> &'a str {
    pairs
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
        .unwrap_or_else(|| panic!("no {key} in {pairs:?}"))
}

/// All the text of a section, for phrases in tables and paragraphs.
fn plain(s: &Section) -> String {
    let text = |t: &Text| t.to_plain();
    let mut out = String::new();
    for b in &s.blocks {
        let line = match b {
            Block::Heading(h) | Block::Code(h) => h.clone(),
            Block::Paragraph(t) => text(t),
            Block::Bullets(l) => l.iter().map(text).collect::<Vec<_>>().join("\n"),
            Block::Pairs(p) => p
                .iter()
                .map(|(k, v)| format!("{k}: {}", text(v)))
                .collect::<Vec<_>>()
                .join("\n"),
            Block::Table(t) => {
                let mut rows = vec![t.header.join(" | ")];
                rows.extend(
                    t.rows
                        .iter()
                        .map(|r| r.iter().map(text).collect::<Vec<_>>().join(" | ")),
                );
                rows.join("\n")
            }
            Block::Figure(f) => f.caption.clone(),
            Block::Log(l) => l
                .iter()
                .map(|l| l.text.clone())
                .collect::<Vec<_>>()
                .join("\n"),
            Block::Timeline(e) => e
                .iter()
                .map(|e| format!("{} {}", e.when, text(&e.text)))
                .collect::<Vec<_>>()
                .join("\n"),
        };
        out.push_str(&line);
        out.push('\n');
    }
    out
}

#[test]
fn target_tracking_report_names_its_target_and_capacity() {
    // The model file: MinSize 2, MaxSize 4, DesiredCapacity 2, TargetValue 50 on
    // ASGAverageCPUUtilization, DefaultInstanceWarmup 120, DefaultCooldown left out (AWS: 300).
    let f = run_folder("target-tracking-cpu", &[set("duration=10m")]);
    let d = run_report::build(&f);
    assert_eq!(d.title, "target-tracking-cpu");
    assert!(
        d.lead
            .as_ref()
            .unwrap()
            .to_plain()
            .starts_with("The textbook exercise")
    );
    assert_eq!(
        ids(&d),
        [
            "model",
            "results",
            "timeline",
            "narrative",
            "activity",
            "assumptions",
            "reproduce"
        ]
    );
    let model = section(&d, "model");
    let asg = pairs_under(model, "Auto Scaling group web-asg");
    assert_eq!(value(&asg, "MinSize"), "2");
    assert_eq!(value(&asg, "MaxSize"), "4");
    assert_eq!(value(&asg, "DesiredCapacity"), "2");
    assert_eq!(value(&asg, "DefaultInstanceWarmup"), "120");
    assert_eq!(value(&asg, "DefaultCooldown"), "300 (default)");
    assert_eq!(value(&asg, "HealthCheckType"), "ELB");
    let text = plain(model);
    assert!(
        text.contains(
            "cpu50 | TargetTrackingScaling | keeps ASGAverageCPUUtilization at TargetValue 50"
        ),
        "{text}"
    );
    // The ramp: 60/s from 0, up to 300/s from 10 min to 30 min, down to 60/s from 50 to 55 min
    // (m:ss: the 10-minute run is under an hour).
    assert!(
        text.contains(
            "Poisson; per second: 60 from 0:00, 300 by 30:00 (ramp from 10:00), 60 by 55:00 (ramp from 50:00)"
        ),
        "{text}"
    );
    let tg = pairs_under(model, "Target group web");
    assert_eq!(value(&tg, "HealthCheckPath"), "/health");
    assert_eq!(value(&tg, "deregistration_delay.timeout_seconds"), "30");
    assert_eq!(value(&tg, "slow_start.duration_seconds"), "0 (default)");
}

#[test]
fn instance_failure_report_gives_the_health_check_settings() {
    let f = run_folder("instance-failure", &[]);
    let d = run_report::build(&f);
    let tg = pairs_under(section(&d, "model"), "Target group web");
    // As the model file writes them.
    for (key, v) in [
        ("HealthCheckPath", "/health"),
        ("HealthCheckIntervalSeconds", "30"),
        ("HealthCheckTimeoutSeconds", "5"),
        ("HealthyThresholdCount", "5"),
        ("UnhealthyThresholdCount", "2"),
        ("Matcher", "200"),
        ("Targets", "web-1, web-2"),
        // Not in the file: AWS's defaults.
        ("deregistration_delay.timeout_seconds", "300 (default)"),
        ("load_balancing.algorithm.type", "round_robin (default)"),
        ("stickiness.enabled", "false (default)"),
    ] {
        assert_eq!(value(&tg, key), v, "{key}");
    }
    // The run's results: 30 min of load through one listener, costs and per-instance rows.
    let results = plain(section(&d, "results"));
    for phrase in [
        "Requests: ",
        "HTTP 200: ",
        "Instance-hours: ",
        "web-1 | ",
        "web-2 | ",
    ] {
        assert!(results.contains(phrase), "{phrase}: {results}");
    }
}

#[test]
fn queue_report_gives_visibility_timeout_and_queue_tables() {
    let f = run_folder("sqs-messages-reappear", &[set("duration=10m")]);
    let d = run_report::build(&f);
    let model = section(&d, "model");
    // The file leaves VisibilityTimeout out: AWS's default, 30 s.
    let q = pairs_under(model, "SQS queue orders");
    assert_eq!(value(&q, "VisibilityTimeout"), "30 (default)");
    assert_eq!(value(&q, "ReceiveMessageWaitTimeSeconds"), "0 (default)");
    assert_eq!(
        value(&q, "RedrivePolicy"),
        "deadLetterTargetArn orders-dlq, maxReceiveCount 3"
    );
    let dlq = pairs_under(model, "SQS queue orders-dlq");
    // 14 days, as written.
    assert_eq!(value(&dlq, "MessageRetentionPeriod"), "1,209,600");
    // No load balancer: no listener table, no request table.
    assert!(!plain(model).contains("Load balancer"));
    let results = plain(section(&d, "results"));
    assert!(!results.contains("HTTP 200"), "{results}");
    assert!(results.contains("SQS queues"), "{results}");
    assert!(results.contains("Worker programs"), "{results}");

    let fixed = run_folder("sqs-visibility-fixed", &[set("duration=10m")]);
    let q = pairs_under(
        section(&run_report::build(&fixed), "model"),
        "SQS queue orders",
    );
    assert_eq!(value(&q, "VisibilityTimeout"), "90");
}

#[test]
fn retry_storm_report_gives_the_end_users_table_and_the_retry_assumptions() {
    let f = run_folder("retry-storm", &[set("duration=7m")]);
    let d = run_report::build(&f);
    let results = plain(section(&d, "results"));
    assert!(
        results.contains("End users (clients that time out or retry"),
        "{results}"
    );
    let c = &f.summary["clients"]["shoppers"];
    let retries = c["retries"].as_u64().unwrap();
    assert!(retries > 0);
    // The table's figures are the summary's, in thousands separators.
    let with_commas = albsim::engine::human::thousands;
    assert!(results.contains(&with_commas(retries)), "{results}");
    assert!(
        results.contains(&with_commas(c["timeouts"].as_u64().unwrap())),
        "{results}"
    );
    let ids = assumption_ids(&d);
    assert!(
        ids.contains(&"client-timeout") && ids.contains(&"retry-quota-per-client"),
        "{ids:?}"
    );
    // Without retries or timeouts, no table.
    let model = plain(section(&d, "model"));
    assert!(model.contains("timeout 1 s"), "{model}");
    assert!(
        model.contains("retries: 5 attempts, constant 100 ms, no jitter, no quota"),
        "{model}"
    );
    let plain_run = run_folder("quickstart", &[set("duration=2m")]);
    let results = plain(section(&run_report::build(&plain_run), "results"));
    assert!(!results.contains("End users"), "{results}");
}

/// The assumption ids a report lists, found by their sentences.
fn assumption_ids(d: &Document) -> Vec<&'static str> {
    let text = plain(section(d, "assumptions"));
    run_report::ASSUMPTIONS
        .iter()
        .filter(|a| text.contains(a.sentence))
        .map(|a| a.id)
        .collect()
}

#[test]
fn assumptions_follow_the_model() {
    let sqs = assumption_ids(&run_report::build(&run_folder(
        "sqs-messages-reappear",
        &[set("duration=2m")],
    )));
    let alb = assumption_ids(&run_report::build(&run_folder(
        "quickstart",
        &[set("duration=2m")],
    )));
    // Queues and workers, no load balancer.
    assert!(sqs.contains(&"sqs-short-poll-sample"), "{sqs:?}");
    assert!(sqs.contains(&"sqs-dlq-move"), "{sqs:?}");
    assert!(!sqs.contains(&"no-retry"), "{sqs:?}");
    assert!(!sqs.contains(&"health-nodes"), "{sqs:?}");
    // A load balancer with health-checked targets, no queues, no Auto Scaling.
    assert!(alb.contains(&"no-retry"), "{alb:?}");
    assert!(alb.contains(&"health-nodes"), "{alb:?}");
    assert!(!alb.iter().any(|id| id.starts_with("sqs-")), "{alb:?}");
    assert!(!alb.contains(&"launch-time"), "{alb:?}");
    // Both run on EC2.
    assert!(sqs.contains(&"service-time-is-cpu") && alb.contains(&"service-time-is-cpu"));
}

#[test]
fn the_reproduce_command_runs_the_same_summary() {
    let overrides = [
        set("duration=3m"),
        Override::from_option("--seed", "7", "seed", Value::from(7)),
        set("clients[0].arrival.rate_per_second=40"),
    ];
    let (manifest, files) = run_files("quickstart", &overrides);
    let f = folder::read_run(&InMemory {
        folder: Path::new("output/report-test"),
        manifest: &manifest,
        files: &files,
    })
    .unwrap();
    let d = run_report::build(&f);
    let Block::Code(command) = section(&d, "reproduce")
        .blocks
        .iter()
        .find(|b| matches!(b, Block::Code(_)))
        .unwrap()
    else {
        unreachable!()
    };
    let file = model_file("quickstart").display().to_string();
    assert_eq!(
        *command,
        format!(
            "albsim run {file} --set duration=3m --seed 7 --set 'clients[0].arrival.rate_per_second=40'"
        )
    );
    // Run it through a POSIX shell, as a reader would paste it.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("again");
    let bin = assert_cmd::cargo::cargo_bin("albsim");
    let line = format!(
        "{} --out {} --quiet",
        command.replacen("albsim", &bin.display().to_string(), 1),
        out.display()
    );
    let status = std::process::Command::new("sh")
        .arg("-c")
        .arg(&line)
        .status()
        .unwrap();
    assert!(status.success(), "{line}");
    let again = std::fs::read_to_string(out.join("summary.json")).unwrap();
    let before = String::from_utf8(
        files
            .iter()
            .find(|(n, _)| *n == "summary.json")
            .unwrap()
            .1
            .clone(),
    )
    .unwrap();
    let without_wall = |s: &str| {
        s.lines()
            .filter(|l| !l.trim_start().starts_with("\"wall_seconds\""))
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(without_wall(&again), without_wall(&before));
}

#[test]
fn narrative_and_history_mark_the_explained_lines() {
    let mut f = run_folder("instance-failure", &[]);
    assert!(f.activity.len() > 3, "{:?}", f.activity);
    f.events = vec![
        ExplainedEvent {
            time_seconds: 20.4,
            until_seconds: None,
            mark: Mark::Fault,
            subject: "web-1".into(),
            label: Some("crash".into()),
            text: "web-1 crashed".into(),
            lines: vec![1],
        },
        ExplainedEvent {
            time_seconds: 35.0,
            until_seconds: Some(105.0),
            mark: Mark::Health,
            subject: "web/web-1".into(),
            label: None,
            text: "two failed checks made it unhealthy".into(),
            lines: vec![2, 3, 10_000],
        },
    ];
    // The events survive events.json's round trip.
    assert_eq!(
        events::from_json(&events::to_json(&f.events)).unwrap(),
        f.events
    );
    let d = run_report::build(&f);
    let Block::Timeline(entries) = &section(&d, "narrative").blocks[0] else {
        panic!("no timeline")
    };
    assert_eq!(entries.len(), 2);
    // A 30-minute run: m:ss.
    assert_eq!(entries[0].when, "0:20");
    assert_eq!(entries[0].text.to_plain(), "web-1 crashed");
    assert_eq!(entries[1].when, "0:35–1:45");
    assert_eq!(entries[1].mark, Mark::Health);
    assert_eq!(
        entries[1].text.0[0],
        Inline::Strong("web/web-1".into()),
        "the subject first when the sentence does not name it"
    );
    let log = section(&d, "activity")
        .blocks
        .iter()
        .find_map(|b| match b {
            Block::Log(l) => Some(l),
            _ => None,
        })
        .unwrap();
    assert_eq!(log.len(), f.activity.len(), "every line kept");
    let marked: Vec<(usize, Mark)> = log
        .iter()
        .enumerate()
        .filter_map(|(i, l)| l.mark.map(|m| (i, m)))
        .collect();
    assert_eq!(
        marked,
        [(1, Mark::Fault), (2, Mark::Health), (3, Mark::Health)]
    );
    assert_eq!(log[2].text, f.activity[2]);
}

#[test]
fn a_run_without_events_says_so() {
    let f = run_folder("quickstart", &[set("duration=1m")]);
    let d = run_report::build(&f);
    let narrative = plain(section(&d, "narrative"));
    assert!(
        narrative.starts_with("Nothing worth telling happened"),
        "{narrative}"
    );
    // The timeline figure is the run's own SVG.
    let Block::Figure(fig) = &section(&d, "timeline").blocks[0] else {
        panic!("no figure")
    };
    assert_eq!(fig.name, "timeline");
    assert_eq!(fig.svg, f.timeline_svg);
    assert!(fig.caption.contains("CPUUtilization per instance"));
}

#[test]
fn a_partial_run_says_so_first() {
    let path = model_file("quickstart");
    let text = scenario::read_model(&path).unwrap();
    let sc = scenario::from_json(&text, &path).unwrap();
    let model: Value = serde_json::from_str(&text).unwrap();
    let result = albsim::run_with(
        &sc,
        &mut albsim::RunOptions {
            max_events: Some(20_000),
            ..Default::default()
        },
    )
    .unwrap();
    let partial = Partial::of(&result, Some(sc.duration.as_secs_f64()));
    assert!(partial.is_some());
    let files = files::render_all(RunOutput {
        result: &result,
        partial: partial.as_ref(),
        model: &model,
    })
    .unwrap();
    let manifest = Manifest::for_run(&path, &sc.name, sc.seed);
    let f = folder::read_run(&InMemory {
        folder: Path::new("output/partial"),
        manifest: &manifest,
        files: &files,
    })
    .unwrap();
    let d = run_report::build(&f);
    let Block::Paragraph(first) = &section(&d, "results").blocks[0] else {
        panic!("the partial sentence comes first")
    };
    let first = first.to_plain();
    assert!(
        first.starts_with("This run is partial. --max-events stopped it at "),
        "{first}"
    );
    // quickstart asks for 30 minutes.
    assert!(first.contains("of the 30:00 asked for"), "{first}");
}

/// Not a check: writes the HTML reports of a few shipped models to the folder named by
/// `ALBSIM_REPORT_PREVIEW`, to look at (`cargo test … report_content::preview -- --ignored`).
#[test]
#[ignore]
fn preview() {
    let Some(dir) = std::env::var_os("ALBSIM_REPORT_PREVIEW") else {
        return;
    };
    let dir = std::path::PathBuf::from(dir);
    std::fs::create_dir_all(&dir).unwrap();
    for name in [
        "target-tracking-cpu",
        "instance-failure",
        "sqs-messages-reappear",
        "https-canary",
        "sns-fanout",
    ] {
        let d = run_report::build(&run_folder(name, &[]));
        let html = albsim::report::document::html::render(&d);
        std::fs::write(dir.join(format!("{name}.html")), html).unwrap();
    }
}

#[test]
fn gray_failure_report_names_anomaly_mitigation_and_changed_detection_settings() {
    let key = "target_groups[0].attributes.\"load_balancing.algorithm";
    let f = run_folder(
        "gray-failure",
        &[
            set("duration=2m"),
            set(&format!("{key}.type\"=weighted_random")),
            set(&format!("{key}.anomaly_mitigation\"=on")),
            set("target_groups[0].anomaly_detection.reduction=0.25"),
            set("clients[0].dns_ttl=5s"),
        ],
    );
    let d = run_report::build(&f);
    let model = plain(section(&d, "model"));
    assert!(
        model.contains("load_balancing.algorithm.anomaly_mitigation") && model.contains("on"),
        "{model}"
    );
    assert!(model.contains("weight ×0.25 down to 2 %"), "{model}");
    assert!(model.contains("keeps DNS answers 5 s"), "{model}");
    let ids = assumption_ids(&d);
    assert!(ids.contains(&"anomaly-detection"), "{ids:?}");
}
