//! The run result's derived Auto Scaling figures (`summary.json`): the load's end
//! (`load_ends_seconds`), each group's `starting_capacity`, `instance_hours`, and the time it is
//! back at its starting capacity after the load's end.
//!
//! The rules (documented in `src/report/summary.rs`): the load ends when the last open-loop
//! schedule step or ramp down, or spike, comes down to its final rate (steady and closed-loop
//! clients never end; a day curve makes it unknown). A group is back when its desired capacity is
//! at the starting value from some time at or after the load's end to the run's end; that time
//! is the load's end if it never left. Expected times here come from the model's parameters:
//! scheduled actions at exact times, and the shipped stories' alarm arithmetic.

use crate::common::{
    asg_model, auto_scaling_group, checked_group, client, constant_ms, constant_rate,
    constant_steps, first_alarm, health_check, instance, launch_template, model_file_json,
    run_model_file, run_value, terminations, tt_alarms,
};
use albsim::RunResult;
use albsim::recorder::AsgResult;
use serde_json::{Value, json};

/// The group's name in the models built here.
const GROUP: &str = "asg";

/// A model whose client (`arrival`) sends to a static instance `web-1`, while the Auto Scaling
/// group `asg` (`capacity` = MinSize, MaxSize, DesiredCapacity; no policies) registers with
/// `pool`, which gets no requests; `scheduled` are its scheduled actions as (at [s], desired).
fn scheduled_group(
    seconds: f64,
    arrival: Value,
    capacity: (u32, u32, u32),
    scheduled: &[(f64, u32)],
) -> Value {
    let mut g = auto_scaling_group(
        GROUP,
        capacity,
        launch_template("test.c1", 10, true, 60.0),
        &["pool"],
    );
    let actions: Vec<Value> = (scheduled.iter().enumerate())
        .map(|(k, &(at, desired))| {
            json!({ "ScheduledActionName": format!("a{k}"), "at": format!("{at}s"),
                    "DesiredCapacity": desired })
        })
        .collect();
    g["ScheduledActions"] = json!(actions);
    let checks = health_check(5, 2, 2, 2, Some(1.0));
    asg_model(
        "capacity-return",
        seconds,
        json!([client("c", arrival, constant_ms(10.0))]),
        "web",
        json!([
            checked_group("web", &["web-1"], checks.clone()),
            checked_group("pool", &[], checks)
        ]),
        json!([instance("web-1", "test.c1", 10)]),
        json!([g]),
    )
}

/// The one group of `r`.
fn the_group(r: &RunResult) -> &AsgResult {
    assert_eq!(r.auto_scaling_groups.len(), 1);
    &r.auto_scaling_groups[0]
}

/// A load that steps down at 600 s, a group that scales out at 130 s, back in at 1330 s: back
/// 730 s after the load's end, at the exact time of the action (not a period boundary).
#[test]
fn the_return_is_timed_exactly_from_the_load_end() {
    let load = constant_steps(&[(0.0, 20.0), (600.0, 2.0)]);
    let r = run_value(&scheduled_group(
        2400.0,
        load,
        (1, 4, 2),
        &[(130.0, 4), (1330.0, 2)],
    ));
    assert_eq!(r.load_ends_seconds, Some(600.0));
    let g = the_group(&r);
    assert_eq!(g.starting_capacity, 2);
    assert_eq!(g.returned_to_starting_capacity_seconds, Some(1330.0));
    assert_eq!(g.seconds_from_load_end_to_starting_capacity, Some(730.0));
}

/// A return followed by another change is not a return: the group is back for good only at the
/// second return (1700 s). One already back at the load's end is back at the load's end.
#[test]
fn only_the_last_return_counts_and_not_before_the_load_end() {
    let load = constant_steps(&[(0.0, 20.0), (600.0, 2.0)]);
    let plan = [(130.0, 4), (900.0, 2), (1200.0, 3), (1700.0, 2)];
    let r = run_value(&scheduled_group(2400.0, load.clone(), (1, 4, 2), &plan));
    let g = the_group(&r);
    assert_eq!(g.returned_to_starting_capacity_seconds, Some(1700.0));
    assert_eq!(g.seconds_from_load_end_to_starting_capacity, Some(1100.0));

    // Out and back in before the load's end (at 130 s and 400 s): back at the load's end, 0 s.
    let r = run_value(&scheduled_group(
        2400.0,
        load,
        (1, 4, 2),
        &[(130.0, 4), (400.0, 2)],
    ));
    let g = the_group(&r);
    assert_eq!(g.returned_to_starting_capacity_seconds, Some(600.0));
    assert_eq!(g.seconds_from_load_end_to_starting_capacity, Some(0.0));
}

/// A group that never scales is back at the load's end: 0 s after it. Without a load end
/// (steady arrivals) it is back from the run's start, and the time from the load's end is unknown.
#[test]
fn a_group_that_never_scales_is_back_at_once() {
    let load = constant_steps(&[(0.0, 20.0), (600.0, 2.0)]);
    let r = run_value(&scheduled_group(1200.0, load, (1, 4, 2), &[]));
    let g = the_group(&r);
    assert_eq!(g.returned_to_starting_capacity_seconds, Some(600.0));
    assert_eq!(g.seconds_from_load_end_to_starting_capacity, Some(0.0));
    assert_eq!((g.scale_out_activities, g.scale_in_activities), (0, 0));

    let r = run_value(&scheduled_group(1200.0, constant_rate(5.0), (1, 4, 2), &[]));
    assert_eq!(r.load_ends_seconds, None);
    let g = the_group(&r);
    assert_eq!(g.returned_to_starting_capacity_seconds, Some(0.0));
    assert_eq!(g.seconds_from_load_end_to_starting_capacity, None);
}

/// A run that ends before the group is back, or before the load even ends, reports null.
#[test]
fn a_run_that_ends_before_the_return_reports_null() {
    let load = constant_steps(&[(0.0, 20.0), (600.0, 2.0)]);
    let r = run_value(&scheduled_group(
        1200.0,
        load.clone(),
        (1, 4, 2),
        &[(130.0, 4), (1330.0, 2)],
    ));
    let g = the_group(&r);
    assert_eq!(g.returned_to_starting_capacity_seconds, None);
    assert_eq!(g.seconds_from_load_end_to_starting_capacity, None);

    // The run ends at 500 s, before the load's end at 600 s: nothing is known after it.
    let r = run_value(&scheduled_group(500.0, load, (1, 4, 2), &[]));
    assert_eq!(r.load_ends_seconds, Some(600.0));
    let g = the_group(&r);
    assert_eq!(g.returned_to_starting_capacity_seconds, None);
    assert_eq!(g.seconds_from_load_end_to_starting_capacity, None);
}

/// The load's end by arrival kind: a spike's end (with its ramp down), the latest over clients,
/// a schedule that only rises, steady and closed-loop clients (no end), a day curve (unknown).
#[test]
fn the_load_end_follows_the_arrival_kinds() {
    let load_end = |clients: Value| {
        let mut m = scheduled_group(600.0, constant_rate(1.0), (1, 1, 1), &[]);
        m["clients"] = clients;
        run_value(&m).load_ends_seconds
    };
    let c = |name: &str, arrival: Value| client(name, arrival, constant_ms(10.0));
    let spike = json!({ "type": "spike", "base_rate_per_second": 2, "spike_rate_per_second": 10,
                        "at": "100s", "duration": "200s", "ramp": "50s" });
    // Up from 100 s, at the peak from 150 s to 250 s, back at the base rate at 300 s.
    assert_eq!(load_end(json!([c("s", spike.clone())])), Some(300.0));
    // A ramp down from 10 to 0 over 400–500 s ends at 500 s: the later of the two.
    let ramp = json!({ "type": "schedule", "steps": [
        { "at": "0s", "rate_per_second": 10 },
        { "at": "400s", "rate_per_second": 0, "ramp": "100s" } ] });
    assert_eq!(
        load_end(json!([c("s", spike.clone()), c("r", ramp)])),
        Some(500.0)
    );
    // Steady and closed-loop clients are background: they leave the spike's end alone.
    let users = json!({ "type": "users", "count": 3, "think_time": constant_ms(1000.0) });
    assert_eq!(
        load_end(json!([
            c("s", spike.clone()),
            c("k", constant_rate(3.0)),
            c("u", users.clone())
        ])),
        Some(300.0)
    );
    assert_eq!(
        load_end(json!([c("k", constant_rate(3.0)), c("u", users)])),
        None
    );
    // A schedule that only rises never comes down.
    let rising = constant_steps(&[(0.0, 1.0), (100.0, 5.0)]);
    assert_eq!(load_end(json!([c("up", rising)])), None);
    // A day curve keeps rising and falling: the end is unknown, whatever else runs.
    let day = json!({ "type": "diurnal", "min_rate_per_second": 1, "max_rate_per_second": 4,
                      "period": "300s" });
    assert_eq!(load_end(json!([c("s", spike), c("d", day)])), None);
}

/// A group's instance-hours follow the billing rule for its own instances only: the static
/// instance `web-1` (1200 s) is in `cost.instance_hours` but not in the group's. The group runs 2
/// instances for 1200 s, and 2 more from 130 s (launch) to 1330 s (scale-in: `pool` gets no
/// requests, so deregistration ends at once) in a 2400 s run: 2·2400 + 2·1200 s = 2 h.
#[test]
fn group_instance_hours_count_its_own_instances() {
    let load = constant_steps(&[(0.0, 20.0), (600.0, 2.0)]);
    let r = run_value(&scheduled_group(
        2400.0,
        load,
        (1, 4, 2),
        &[(130.0, 4), (1330.0, 2)],
    ));
    assert_eq!(terminations(&r, GROUP), [1330.0, 1330.0]);
    let g = the_group(&r);
    assert!(
        (g.instance_hours - 2.0).abs() < 1e-9,
        "{}",
        g.instance_hours
    );
    let static_hours = 2400.0 / 3600.0;
    assert!((r.cost.instance_hours - (2.0 + static_hours)).abs() < 1e-9);
}

/// The shipped story: basic monitoring makes the low alarm count 15 five-minute datapoints after
/// the load test ends at 30:00, so the group is back at 2 when it fires, 75 minutes later (70
/// if the new instances took traffic fast enough for the 30:00 datapoint to count; see
/// `autoscaling::shipped_model_asg_not_scaling_down`).
#[test]
fn not_scaling_down_returns_75_minutes_after_the_load_test() {
    let r = run_model_file("asg-not-scaling-down");
    // The schedule's last step: 160 → 40 req/s at 30m.
    assert_eq!(r.load_ends_seconds, Some(1800.0));
    let (_, low) = tt_alarms("web-asg", "cpu50");
    let fire = first_alarm(&r, &low).expect("the low alarm fires");
    let g = the_group(&r);
    assert_eq!(g.starting_capacity, 2);
    assert_eq!(g.returned_to_starting_capacity_seconds, Some(fire));
    let after = g.seconds_from_load_end_to_starting_capacity.expect("back");
    assert!(
        [14.0 * 300.0, 15.0 * 300.0].contains(&after),
        "back {after} s after the load test"
    );
    // Every instance is the group's: its hours are the run's.
    assert!((g.instance_hours - r.cost.instance_hours).abs() < 1e-9);
}

/// The fix: detailed monitoring and a 60 s warm-up bring the group back one minute after the
/// test (the first 1-minute datapoint after it), long before the basic-monitoring version.
#[test]
fn scaling_down_fixed_returns_a_minute_after_the_load_test() {
    let r = run_model_file("asg-scaling-down-fixed");
    assert_eq!(r.load_ends_seconds, Some(1800.0));
    let g = the_group(&r);
    assert_eq!(g.returned_to_starting_capacity_seconds, Some(1860.0));
    assert_eq!(g.seconds_from_load_end_to_starting_capacity, Some(60.0));

    // Ended at the load's end, 30:00 (the datapoints up to then are the test's 40 %, which keep
    // 4 instances), the group is still at 4: not back.
    let mut m = model_file_json("asg-scaling-down-fixed");
    m["duration"] = json!("30m");
    let r = run_value(&m);
    let g = the_group(&r);
    assert_eq!(g.returned_to_starting_capacity_seconds, None);
    assert_eq!(g.seconds_from_load_end_to_starting_capacity, None);
}

/// `summary.json` carries the figures under the documented names.
#[test]
fn summary_json_carries_the_figures() {
    let load = constant_steps(&[(0.0, 20.0), (600.0, 2.0)]);
    let r = run_value(&scheduled_group(
        2400.0,
        load,
        (1, 4, 2),
        &[(130.0, 4), (1330.0, 2)],
    ));
    let json: Value = serde_json::from_str(&albsim::report::summary::to_json(&r)).unwrap();
    assert_eq!(json["load_ends_seconds"], json!(600.0));
    let g = &json["auto_scaling_groups"][0];
    assert_eq!(g["starting_capacity"], json!(2));
    assert_eq!(g["returned_to_starting_capacity_seconds"], json!(1330.0));
    assert_eq!(
        g["seconds_from_load_end_to_starting_capacity"],
        json!(730.0)
    );
    let hours = g["instance_hours"].as_f64().expect("a number");
    assert!((hours - 2.0).abs() < 1e-9, "{hours}");
}
