//! Markers from explained events: labels, colours, the key, and the termination rule.

use super::*;
use crate::recorder::{Activity, Transition};

fn at(time_seconds: f64, subject: &str, kind: ActivityKind) -> Activity {
    Activity {
        time_seconds,
        subject: subject.into(),
        kind,
    }
}

fn draining(time: f64, subject: &str) -> Activity {
    let t = Transition {
        from: TargetState::Healthy,
        to: TargetState::Draining,
        reason: "Target.DeregistrationInProgress",
        detail: String::new(),
    };
    at(
        time,
        subject,
        ActivityKind::TargetHealth(TargetHealth::Transition(t)),
    )
}

fn terminating(time: f64, instance: &str) -> Activity {
    let kind = ActivityKind::Scaling(ScalingActivity::Terminating {
        instance: instance.into(),
        cause: crate::recorder::ScalingCause::ProtectionRemoved {
            at: crate::engine::SimTime(600_000_000_000),
        },
    });
    at(time, "asg", kind)
}

fn event(time: f64, mark: Mark, label: Option<&str>, lines: Vec<usize>) -> ExplainedEvent {
    ExplainedEvent {
        time_seconds: time,
        until_seconds: None,
        mark,
        subject: "s".into(),
        label: label.map(String::from),
        text: "what happened and why".into(),
        lines,
    }
}

fn run_with(activity: Vec<Activity>) -> RunResult {
    RunResult {
        activity,
        ..crate::report::summary::tests::result()
    }
}

/// Each labelled event is a marker at its time in the axis unit, with its label, in its mark's
/// colour; an event without a label is told in the narrative only.
#[test]
fn labelled_events_become_coloured_markers() {
    let r = run_with(Vec::new());
    let events = [
        event(120.0, Mark::Alarm, Some("AlarmHigh ALARM"), vec![]),
        event(150.0, Mark::Policy, None, vec![]),
        event(180.0, Mark::Scaling, Some("web-asg desired 2→4"), vec![]),
    ];
    let (markers, key) = markers(&r, &events, 60.0);
    let got: Vec<(f64, &str, Option<[u8; 3]>)> = markers
        .iter()
        .map(|m| (m.x, m.label.as_str(), m.color))
        .collect();
    assert_eq!(
        got,
        [
            (2.0, "AlarmHigh ALARM", Some([0xBC, 0x4C, 0x00])),
            (3.0, "web-asg desired 2→4", Some([0x1F, 0x6F, 0xEB])),
        ]
    );
    // The key names the kinds that are marked, in `Mark::ALL`'s order (scaling before alarm).
    let names: Vec<&str> = key.iter().map(|k| k.name.as_str()).collect();
    assert_eq!(names, ["scaling", "alarm"]);
    assert_eq!(key[0].color, mark_color(Mark::Scaling));
}

/// A deregistration is marked unless a termination of the same instance at the same instant
/// stands for it; instance ids with dots are compared whole.
#[test]
fn deregistrations_caused_by_a_termination_are_not_marked_twice() {
    let r = run_with(vec![
        terminating(600.0, "web.1"),
        draining(600.0, "tg/web.1"),
        draining(600.0, "tg/web.2"),
        draining(700.0, "tg/web.1"),
    ]);
    let events = [
        event(600.0, Mark::Scaling, Some("asg terminate"), vec![0]),
        event(600.0, Mark::Health, Some("tg/web.1 deregister"), vec![1]),
        event(600.0, Mark::Health, Some("tg/web.2 deregister"), vec![2]),
        event(700.0, Mark::Health, Some("tg/web.1 deregister"), vec![3]),
        // An event that names no activity line is kept.
        event(700.0, Mark::Fault, Some("crash"), vec![]),
    ];
    let (markers, _) = markers(&r, &events, 1.0);
    let labels: Vec<&str> = markers.iter().map(|m| m.label.as_str()).collect();
    assert_eq!(
        labels,
        [
            "asg terminate",
            "tg/web.2 deregister",
            "tg/web.1 deregister",
            "crash"
        ]
    );
}

/// The marker colours are the report style sheet's, so a marker matches its narrative entry.
#[test]
fn mark_colours_match_the_style_sheet() {
    let css = include_str!("../document/report.css");
    for m in Mark::ALL {
        let [r, g, b] = mark_color(m);
        let declared = format!("--{}: #{r:02x}{g:02x}{b:02x}", m.word());
        assert!(css.contains(&declared), "{declared} not in report.css");
    }
}

/// Instance k and target group k have one colour wherever they are drawn, and neighbours differ.
#[test]
fn instances_and_target_groups_keep_their_colour() {
    for k in 0..9 {
        assert_ne!(instance_color(k), instance_color(k + 1));
        assert_eq!(instance_color(k), target_group_color(k));
    }
}

/// An alarm going to ALARM at the instant of the scaling activity it caused has no marker of its
/// own (the scaling label stands for it); at another instant it keeps its marker.
#[test]
fn an_alarm_that_scaled_the_group_is_marked_by_the_scaling() {
    let r = run_with(Vec::new());
    let events = [
        event(1200.0, Mark::Alarm, Some("AlarmHigh ALARM"), vec![]),
        event(1200.0, Mark::Scaling, Some("web-asg 2→3"), vec![]),
        event(2820.0, Mark::Alarm, Some("AlarmHigh ALARM"), vec![]),
    ];
    let (markers, _) = markers(&r, &events, 60.0);
    let got: Vec<(f64, &str)> = markers.iter().map(|m| (m.x, m.label.as_str())).collect();
    assert_eq!(got, [(20.0, "web-asg 2→3"), (47.0, "AlarmHigh ALARM")]);
}
