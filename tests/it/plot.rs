//! `timeline.svg` of whole runs: deregistrations are marked, long runs stay small with a time axis
//! in days, and short runs keep one point per period.

use crate::common::{
    client, group, http_listener, instance, model, model_file_json, poisson, run_value,
};
use albsim::recorder::{ActivityKind, ScalingActivity, TargetHealth, TargetState};
use albsim::report::timeline::{time_unit, timeline, to_svg};
use serde_json::json;

/// Two targets; `web-1` is deregistered at 12 min and registered again at 14 min.
fn deregistering_model() -> serde_json::Value {
    let mut m = model(
        "dereg",
        1,
        1200.0,
        json!([client(
            "c",
            poisson(20.0),
            crate::common::exponential_ms(20.0)
        )]),
        json!([http_listener(json!([]), "web")]),
        json!([group("web", &["web-1", "web-2"], "round_robin")]),
        json!([
            instance("web-1", "test.c2", 4),
            instance("web-2", "test.c2", 4)
        ]),
    );
    m["operations"] = json!([
        { "at": "12m", "action": "deregister", "target_group": "web", "instance": "web-1" },
        { "at": "14m", "action": "register", "target_group": "web", "instance": "web-1" }
    ]);
    m
}

#[test]
fn deregistration_markers_are_drawn() {
    // See: issue 7, defect 10
    let r = run_value(&deregistering_model());
    let t = timeline(&r);
    let marker = t
        .markers
        .iter()
        .find(|m| m.label == "web-1 draining")
        .unwrap_or_else(|| panic!("no deregistration marker in {:?}", t.markers));
    assert!(
        (marker.x - 12.0).abs() < 1e-9,
        "at 12 min, got {}",
        marker.x
    );
    let svg = to_svg(&r).expect("plot");
    assert!(svg.contains("web-1 draining"), "label in the SVG");
    // The shipped WebSocket model deregisters ws-1 at 20 min.
    let ws = run_value(&model_file_json("websocket-idle-timeout"));
    assert!(to_svg(&ws).expect("plot").contains("ws-1 draining"));
}

#[test]
fn terminations_are_not_marked_twice() {
    // An Auto Scaling termination deregisters the instance at the same instant: the scale-in's
    // marker (`web-asg 4→3`) stands for both, no `draining` marker of its own.
    let r = run_value(&model_file_json("asg-scaling-down-fixed"));
    let t = timeline(&r);
    let terminations: Vec<f64> = r
        .activity
        .iter()
        .filter(|a| {
            matches!(
                &a.kind,
                ActivityKind::Scaling(ScalingActivity::Terminating { .. })
            )
        })
        .map(|a| a.time_seconds / 60.0)
        .collect();
    let drains = r
        .activity
        .iter()
        .filter(|a| {
            matches!(&a.kind, ActivityKind::TargetHealth(TargetHealth::Transition(x)) if x.to == TargetState::Draining)
        })
        .count();
    assert!(
        !terminations.is_empty() && drains > 0,
        "the model scales in"
    );
    let scale_ins = t
        .markers
        .iter()
        .filter(|m| {
            m.label.split_once('→').is_some_and(|(a, b)| {
                let from: u32 = a.rsplit(' ').next().unwrap_or("").parse().unwrap_or(0);
                from > b.parse().unwrap_or(u32::MAX)
            })
        })
        .count();
    assert!(scale_ins > 0, "a scale-in marker: {:?}", t.markers);
    assert!(
        !t.markers.iter().any(|m| m.label.ends_with(" draining")
            && terminations.iter().any(|x| (x - m.x).abs() < 1e-9)),
        "{:?}",
        t.markers
    );
}

#[test]
fn time_axis_unit_follows_the_run_length() {
    assert_eq!(time_unit(1800.0), (60.0, "time [min]"));
    assert_eq!(time_unit(6.0 * 3600.0), (60.0, "time [min]"));
    assert_eq!(time_unit(2.0 * 86_400.0), (3600.0, "time [h]"));
    assert_eq!(time_unit(366.0 * 86_400.0), (86_400.0, "time [days]"));
}

/// Ten days in 60 s periods: 14 400 points per series, far more than the plot's pixel columns.
#[test]
fn long_run_plot_stays_small_with_days_on_the_axis() {
    let mut m = model_file_json("quickstart");
    m["duration"] = json!("10d");
    m["clients"][0]["arrival"]["rate_per_second"] = json!(0.2);
    let r = run_value(&m);
    assert_eq!(r.periods.len(), 14_400);
    let t = timeline(&r);
    assert_eq!(t.x_label, "time [days]");
    assert_eq!(t.x.last().copied(), Some(14_399.0 * 60.0 / 86_400.0));
    let svg = to_svg(&r).expect("plot");
    assert!(svg.len() < 400_000, "{} bytes", svg.len());
    assert!(svg.contains("time [days]"));
}
