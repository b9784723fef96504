//! The narrative of hand-built histories: what each kind of line becomes, its label, its span
//! and the lines it tells.

use super::*;
use crate::engine::SimTime;
use crate::recorder::{
    AlarmChange, ChangedBy, Fault, PolicyNote, ScalingActivity, ScalingCause, TargetHealth,
    TargetState, Transition,
};

fn at(t: f64, subject: &str, kind: ActivityKind) -> Activity {
    Activity {
        time_seconds: t,
        subject: subject.into(),
        kind,
    }
}

fn run(activity: Vec<Activity>) -> Vec<ExplainedEvent> {
    let mut r = crate::report::test_support::messaging_result();
    r.activity = activity;
    explain(&r)
}

fn alarm(t: f64, from: &'static str, to: &'static str, breaching: u32) -> Activity {
    at(
        t,
        "CPUUtilization",
        ActivityKind::Alarm(AlarmChange {
            alarm: "high-cpu".into(),
            from,
            to,
            breaching,
            evaluation_periods: 3,
            comparison: ">",
            threshold: 50.0,
            needed: 3,
        }),
    )
}

fn desired(t: f64, from: u32, to: u32, wanted: i64) -> ScalingCause {
    ScalingCause::DesiredCapacity {
        at: SimTime((t * 1e9) as u64),
        by: ChangedBy::Alarm {
            alarm: "high-cpu".into(),
            policy: "out".into(),
            value: 72.5,
        },
        from,
        to,
        wanted,
    }
}

fn launching(t: f64, instance: &str, cause: &ScalingCause) -> Activity {
    at(
        t,
        "web-asg",
        ActivityKind::Scaling(ScalingActivity::Launching {
            instance: instance.into(),
            zone: "us-east-1a".into(),
            cause: cause.clone(),
        }),
    )
}

fn health(t: f64, from: TargetState, to: TargetState, reason: &'static str) -> Activity {
    at(
        t,
        "web/web-1",
        ActivityKind::TargetHealth(TargetHealth::Transition(Transition {
            from,
            to,
            reason,
            detail: "2 consecutive health checks failed".into(),
        })),
    )
}

/// An alarm's transition to ALARM and the two launches of the policy it invoked: the launches
/// are one event, with the capacity change as its label and what the alarm saw in its text.
#[test]
fn a_scale_out_names_the_alarm_what_it_saw_and_the_change() {
    let cause = desired(1200.0, 2, 4, 5);
    let events = run(vec![
        alarm(1200.0, "OK", "ALARM", 3),
        launching(1200.0, "asg-3", &cause),
        launching(1200.0, "asg-4", &cause),
    ]);
    assert_eq!(events.len(), 2);
    assert_eq!(events[0].label.as_deref(), Some("high-cpu ALARM"));
    assert_eq!(events[0].lines, [0]);
    let e = &events[1];
    assert_eq!(e.mark, Mark::Scaling);
    assert_eq!(e.label.as_deref(), Some("web-asg 2→4"));
    assert_eq!(e.lines, [1, 2]);
    assert_eq!(
        e.text,
        "alarm high-cpu saw 3 of the last 3 datapoints > 50 (latest 72.50) ⇒ policy out set web-asg's desired capacity 2 → 4 (it asked for 5; MaxSize 4 caps it); Auto Scaling launches asg-3 and asg-4"
    );
    assert_eq!(e.when(), "0:20");
}

/// Twelve flips within minutes of each other are one span telling all twelve lines.
#[test]
fn a_flapping_alarm_is_one_span() {
    let flips: Vec<Activity> = (0..12)
        .map(|k| {
            let t = 1200.0 + 120.0 * k as f64;
            if k % 2 == 0 {
                alarm(t, "OK", "ALARM", 3)
            } else {
                alarm(t, "ALARM", "OK", 2)
            }
        })
        .collect();
    let events = run(flips);
    assert_eq!(events.len(), 1);
    let e = &events[0];
    assert_eq!(e.lines, (0..12).collect::<Vec<_>>());
    assert_eq!((e.time_seconds, e.until_seconds), (1200.0, Some(2520.0)));
    assert_eq!(e.label.as_deref(), Some("high-cpu flapping ×6"));
    assert!(
        e.text
            .contains("went in and out of ALARM 6 times between 0:20 and 0:42")
    );
}

/// "scale-in waits for the low alarm: 1 datapoint so far … one every 300 s" at 0:35 and the
/// scale-in at 1:45: the span starts with the first datapoint's period (0:30) and lasts
/// 15 × 5 min.
#[test]
fn waiting_for_the_low_alarm_is_a_span_to_the_scale_in() {
    let cause = ScalingCause::DesiredCapacity {
        at: SimTime(6300 * 1_000_000_000),
        by: ChangedBy::Alarm {
            alarm: "low".into(),
            policy: "cpu50".into(),
            value: 10.0,
        },
        from: 4,
        to: 2,
        wanted: 2,
    };
    let events = run(vec![
        at(
            2100.0,
            "web-asg",
            ActivityKind::Scaling(ScalingActivity::Policy {
                policy: "cpu50".into(),
                note: PolicyNote::WaitingForLowAlarm {
                    streak: 1,
                    comparison: "<",
                    threshold: 45.0,
                    needed: 15,
                    every_seconds: 300,
                },
            }),
        ),
        at(
            6300.0,
            "web-asg",
            ActivityKind::Scaling(ScalingActivity::Terminating {
                instance: "asg-1".into(),
                cause,
            }),
        ),
    ]);
    let e = &events[0];
    assert_eq!((e.time_seconds, e.until_seconds), (1800.0, Some(6300.0)));
    assert_eq!(e.when(), "0:30–1:45");
    assert_eq!(e.mark, Mark::Policy);
    assert_eq!(e.label.as_deref(), Some("low alarm: 15 × 5 min"));
    assert!(
        e.text.contains("counted 15 × 5 min = 1 h 15 min"),
        "{}",
        e.text
    );
    assert_eq!(events[1].label.as_deref(), Some("web-asg 4→2"));
}

/// A crash, the target unhealthy 45 s later, the crash's end, the target healthy again: two
/// spans, each telling its two lines.
#[test]
fn a_fault_and_the_unhealthy_target_are_spans() {
    let events = run(vec![
        at(
            600.0,
            "web-1",
            ActivityKind::Fault(Fault::Starts {
                fault: "crash",
                effect: "new connections refused".into(),
                recovery_seconds: Some(600.0),
            }),
        ),
        health(
            645.0,
            TargetState::Healthy,
            TargetState::Unhealthy,
            "Target.FailedHealthChecks",
        ),
        at(
            1200.0,
            "web-1",
            ActivityKind::Fault(Fault::Ends { fault: "crash" }),
        ),
        health(1335.0, TargetState::Unhealthy, TargetState::Healthy, ""),
    ]);
    assert_eq!(events.len(), 2);
    assert_eq!(events[0].label.as_deref(), Some("crash web-1"));
    assert_eq!(events[0].lines, [0, 2]);
    assert_eq!(events[0].until_seconds, Some(1200.0));
    let h = &events[1];
    assert_eq!(h.label.as_deref(), Some("web-1 unhealthy"));
    assert_eq!(h.lines, [1, 3]);
    assert_eq!(h.until_seconds, Some(1335.0));
    assert!(h.text.contains("Target.FailedHealthChecks"));
    assert!(h.text.contains("45 s after the crash of web-1 began"));
    assert!(h.text.contains("2 min 15 s after the fault ended"));
}

/// The group's health check marks an instance unhealthy, terminates it and launches a
/// replacement at the same instant: one event.
#[test]
fn a_replacement_is_one_event() {
    let now = SimTime(300 * 1_000_000_000);
    let why = "an ELB system health check failure";
    let events = run(vec![
        at(
            300.0,
            "web-asg",
            ActivityKind::Scaling(ScalingActivity::MarkedUnhealthy {
                instance: "asg-1".into(),
                why,
            }),
        ),
        at(
            300.0,
            "web-asg",
            ActivityKind::Scaling(ScalingActivity::Terminating {
                instance: "asg-1".into(),
                cause: ScalingCause::UnhealthyInstance { at: now, why },
            }),
        ),
        launching(
            300.0,
            "asg-3",
            &ScalingCause::ReplacingUnhealthy { at: now },
        ),
    ]);
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].lines, [0, 1, 2]);
    assert_eq!(events[0].label.as_deref(), Some("replace asg-1"));
    assert!(events[0].text.contains("launches asg-3 to replace it"));
}

/// Every line is told by exactly one event, labels fit the plot, and `events.json` reads back
/// what it wrote.
#[test]
fn lines_are_told_once_and_the_file_round_trips() {
    let cause = desired(1200.0, 2, 3, 3);
    let events = run(vec![
        alarm(60.0, "INSUFFICIENT_DATA", "OK", 0),
        alarm(1200.0, "OK", "ALARM", 3),
        launching(1200.0, "asg-3", &cause),
        health(1300.0, TargetState::Initial, TargetState::Healthy, ""),
        alarm(1320.0, "ALARM", "OK", 2),
    ]);
    let mut told: Vec<usize> = events.iter().flat_map(|e| e.lines.clone()).collect();
    told.sort();
    assert_eq!(told, [0, 1, 2, 3, 4]);
    let labels: Vec<Option<&str>> = events.iter().map(|e| e.label.as_deref()).collect();
    assert_eq!(
        labels,
        [
            None,
            Some("high-cpu ALARM"),
            Some("web-asg 2→3"),
            None,
            None
        ]
    );
    assert_eq!(from_json(&to_json(&events)).unwrap(), events);
}
