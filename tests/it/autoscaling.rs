//! EC2 Auto Scaling groups, CloudWatch alarms and scaling policies, against the rules AWS
//! documents (`aws-behavior.md` §10 Auto Scaling, §11 CloudWatch, §14 launch and billing):
//!
//! - target tracking: the high alarm needs 3 datapoints above the target (1-minute datapoints with
//!   detailed monitoring, 5-minute ones with basic), then desired = ceil(N · metric / target),
//!   clamped to `[MinSize, MaxSize]`; the low alarm needs 15 datapoints below 0.9 × target; no
//!   scale-in while an instance warms up, never below `MinSize`, never with `DisableScaleIn`;
//! - simple scaling waits for its activity to finish and then for `Cooldown`; step scaling picks
//!   the step by the metric's distance from the threshold and counts warming capacity;
//! - scheduled actions, unhealthy-instance replacement (`HealthCheckType`, grace period),
//!   per-second billing with a 60 s minimum, lifecycle hooks.
//!
//! Every timeline is exact: constant arrivals and service times, a constant launch time, health
//! checks with a fixed first-check delay. Expected values come from the model's parameters and
//! the utilisation law CPU% = λ·E[S]/(N·vCPUs)·100, never from a run.
//!
//! Conventions of the simulator these tests rely on (documented in the source, not AWS facts):
//! metric periods are 60 s and alarms are evaluated at period ends; a period's row is recorded
//! at its end *before* the policies act on that evaluation, so an action at a period end shows in
//! the next row ("what happens at a boundary counts in the period it starts"); instances of the
//! group are named `<group>-0001`, `<group>-0002`, … in launch order; the group's health-check
//! loop polls every `health_check_poll_interval` from t = 0.

use crate::common::{
    CHECK_MS, alarm_changes, alarm_rows, asg_model, asg_times, assert_near, assert_time,
    auto_scaling_group, capacity_at, capacity_rows, checked_group, client, constant_ms,
    constant_rate, constant_steps, cpu_target_tracking, first_alarm, health_check, in_service,
    instance, instance_result, launch_template, launches, run_value, terminations, transitions,
    tt_alarms, utilisation_law,
};
use albsim::RunResult;
use albsim::recorder::{AlarmSide, PolicyNote, ScalingActivity, TargetState, TargetTrackingAlarm};
use serde_json::{Value, json};

/// The Auto Scaling group's name in every model here.
const GROUP: &str = "asg";

/// Whether `a` is a note of any policy for which `which` holds.
fn policy_note(a: &ScalingActivity, which: impl Fn(&PolicyNote) -> bool) -> bool {
    matches!(a, ScalingActivity::Policy { note, .. } if which(note))
}

/// Whether `a` is a note of policy `policy` for which `which` holds.
fn note_of(a: &ScalingActivity, policy: &str, which: impl Fn(&PolicyNote) -> bool) -> bool {
    matches!(a, ScalingActivity::Policy { policy: p, note } if p == policy && which(note))
}

/// Whether `a` is lifecycle hook holding `instance` from `from` in `to`.
fn hook_of(a: &ScalingActivity, instance: &str, from: &str, to: &str) -> bool {
    matches!(a, ScalingActivity::LifecycleHook { instance: i, from: f, to: t, .. }
        if (i.as_str(), *f, *t) == (instance, from, to))
}
/// Service time of every request [s] (constant).
const SERVICE_S: f64 = 0.1;
/// Launch to ready [s] (constant).
const LAUNCH_S: f64 = 60.0;
/// Metric period [s] (albsim's default).
const PERIOD: f64 = 60.0;
/// Target of the target tracking policies [% CPU].
const TARGET: f64 = 50.0;
/// Tolerance on a measured `CPUUtilization` datapoint [percentage points]. Arrivals are evenly
/// spaced, so a 60 s period holds the law's work to within one request straddling each period
/// boundary per instance (≤ 0.1 s of 60 s: 0.17 points); health checks add 2 nodes × 1 ms every
/// 5 s (0.04 points). 0.5 points covers both; every threshold and step bound in these models is
/// at least 2 points away from the value the law gives.
const CPU_TOL: f64 = 0.5;

/// The health check of the group's target groups: every 5 s, first check 1 s after registration
/// (node 0, which drives the state), so a new instance gets traffic `1 s + CHECK_MS` after it is
/// registered (one passing check makes an `initial` target healthy).
fn fast_checks() -> Value {
    health_check(5, 2, 2, 2, Some(1.0))
}

/// A model whose client (`arrival`, 100 ms constant service) sends to the group's target group
/// `web`; the group runs `test.c1` (1 vCPU) with 10 workers and `policies`.
fn served_group(
    seconds: f64,
    arrival: Value,
    capacity: (u32, u32, u32),
    detailed: bool,
    policies: Value,
) -> Value {
    let mut g = auto_scaling_group(
        GROUP,
        capacity,
        launch_template("test.c1", 10, detailed, LAUNCH_S),
        &["web"],
    );
    g["Policies"] = policies;
    asg_model(
        "asg",
        seconds,
        json!([client("c", arrival, constant_ms(SERVICE_S * 1000.0))]),
        "web",
        json!([checked_group("web", &[], fast_checks())]),
        json!([]),
        json!([g]),
    )
}

/// A model whose traffic goes to a static instance `web-1` (target group `web`) while the group
/// registers with `pool`, which gets no requests: deregistration then completes at once (nothing
/// in flight), so terminations happen at the instant they start, and lifecycle times are exact.
fn idle_group(seconds: f64, capacity: (u32, u32, u32), pool_checks: Value) -> Value {
    let g = auto_scaling_group(
        GROUP,
        capacity,
        launch_template("test.c1", 10, true, LAUNCH_S),
        &["pool"],
    );
    asg_model(
        "asg-idle",
        seconds,
        json!([client("c", constant_rate(2.0), constant_ms(10.0))]),
        "web",
        json!([
            checked_group("web", &["web-1"], fast_checks()),
            checked_group("pool", &[], pool_checks)
        ]),
        json!([instance("web-1", "test.c1", 10)]),
        json!([g]),
    )
}

fn group_id(k: u32) -> String {
    format!("{GROUP}-{k:04}")
}

/// Panics unless the group's desired capacity is within `[min, max]` at the end of every period.
fn assert_desired_within(r: &RunResult, min: u32, max: u32) {
    for (end, c) in capacity_rows(r, 0) {
        assert!(
            (min..=max).contains(&c.desired),
            "at {end} s desired {} is outside [{min}, {max}]",
            c.desired
        );
    }
}

/// Panics unless `times` are exactly `expected` (same length, each within the time tolerance).
fn assert_times(times: &[f64], expected: &[f64], what: &str) {
    assert_eq!(
        times.len(),
        expected.len(),
        "{what}: at {times:?}, expected at {expected:?}"
    );
    for (t, e) in times.iter().zip(expected) {
        assert_time(*t, *e, what);
    }
}

/// The latest datapoint of alarm `name` at the end of the period ending at `end`.
fn alarm_value_at(r: &RunResult, name: &str, end: f64) -> f64 {
    alarm_rows(r, name)
        .into_iter()
        .find(|&(t, _, _)| (t - end).abs() < 1e-9)
        .and_then(|(_, _, v)| v)
        .unwrap_or_else(|| panic!("{name}: no datapoint at {end} s"))
}

/// The first alarm evaluation (period end) at or after `t` [s], for `t` not on a boundary.
fn next_evaluation(t: f64) -> f64 {
    (t / PERIOD).ceil() * PERIOD
}

// ---------------------------------------------------------------------------------------------
// 1. Target tracking scale-out
// ---------------------------------------------------------------------------------------------

/// Two instances at 30 % CPU; at 600 s (a 5-minute boundary, so no datapoint mixes the two
/// levels) the load steps up to 80 % by the utilisation law. The high alarm (metric > target)
/// needs 3 datapoints: with `datapoint` = 60 s (detailed) or 300 s (basic monitoring: the managed
/// alarms then use 5-minute periods, an albsim assumption) it goes to ALARM at 600 + 3·datapoint
/// exactly, and the policy sets desired = min(ceil(2 · 80 / 50), MaxSize).
fn check_scale_out(detailed: bool, max: u32) {
    let datapoint = if detailed { 60.0 } else { 300.0 };
    let (step, low_rate, high_rate) = (600.0, 6.0, 16.0);
    let fire = step + 3.0 * datapoint;
    let seconds = fire + 300.0;
    let mut policy = cpu_target_tracking("cpu50", TARGET);
    policy["EstimatedInstanceWarmup"] = json!(300);
    let r = run_value(&served_group(
        seconds,
        constant_steps(&[(0.0, low_rate), (step, high_rate)]),
        (1, max, 2),
        detailed,
        json!([policy]),
    ));
    let (high, _) = tt_alarms(GROUP, "cpu50");

    let before = utilisation_law(low_rate, SERVICE_S, 2, 1);
    let after = utilisation_law(high_rate, SERVICE_S, 2, 1);
    assert!(
        before < TARGET - 5.0 && after > TARGET + 5.0,
        "model design"
    );

    // ALARM after exactly three datapoints above the target, not one period earlier.
    assert_eq!(first_alarm(&r, &high), Some(fire), "high alarm");
    assert_near(alarm_value_at(&r, &high, fire), after, CPU_TOL, "datapoint");
    let wanted = (2.0 * after / TARGET).ceil() as u32;
    assert!(
        (2.0 * (after - CPU_TOL) / TARGET).ceil() as u32 == wanted
            && (2.0 * (after + CPU_TOL) / TARGET).ceil() as u32 == wanted,
        "the tolerance must not straddle an integer"
    );
    let desired = wanted.min(max);
    let added = (desired - 2) as usize;

    let launches = launches(&r, GROUP);
    assert_times(&launches, &vec![fire; added], "launches");
    let in_service = in_service(&r, GROUP);
    assert_times(&in_service, &vec![fire + LAUNCH_S; added], "InService");

    // The row of the period ending at `fire` is taken before the policy acts.
    let c = capacity_at(&r, 0, fire);
    assert_eq!((c.desired, c.in_service, c.pending), (2, 2, 0), "at {fire}");
    // Pending for the launch time (60 s = one period), InService after it.
    let c = capacity_at(&r, 0, fire + PERIOD);
    assert_eq!(
        (c.desired, c.in_service, c.pending),
        (desired, 2, desired - 2),
        "at {}",
        fire + PERIOD
    );
    let c = capacity_at(&r, 0, fire + 2.0 * PERIOD);
    assert_eq!(
        (c.desired, c.in_service, c.pending),
        (desired, desired, 0),
        "at {}",
        fire + 2.0 * PERIOD
    );

    // One activity: the warming instances count toward the next calculation (§10.3), and at
    // MaxSize nothing more is added even though the metric stays above the target.
    let g = &r.auto_scaling_groups[0];
    assert_eq!(
        (g.scale_out_activities, g.scale_in_activities),
        (1, 0),
        "activities"
    );
    assert_eq!(g.instances_launched, desired, "2 initial + the scale-out");
    assert_eq!(g.max_in_service, desired);
    assert_desired_within(&r, 1, max);
}

#[test]
fn target_tracking_scales_out_after_three_one_minute_datapoints() {
    // 2 · 80 / 50 = 3.2 → 4 instances.
    check_scale_out(true, 6);
}

#[test]
fn target_tracking_scale_out_is_clamped_to_max_size() {
    // ceil(3.2) = 4 > MaxSize 3. With 3 instances the load is 53 % > 50: the high alarm stays in
    // ALARM, yet desired stays at MaxSize.
    check_scale_out(true, 3);
}

#[test]
fn target_tracking_with_basic_monitoring_needs_fifteen_minutes() {
    // Three 5-minute datapoints: ALARM at 600 + 900 s.
    check_scale_out(false, 6);
}

#[test]
fn target_tracking_alarm_names_and_shapes() {
    // The two managed alarms exist, named after the group and the policy, and the low alarm's
    // threshold is 0.9 × target (45): its transition message says so.
    let r = run_value(&served_group(
        1200.0,
        constant_rate(4.0),
        (1, 4, 2),
        true,
        json!([cpu_target_tracking("cpu50", TARGET)]),
    ));
    let (high, low) = tt_alarms(GROUP, "cpu50");
    for (name, side) in [(&high, AlarmSide::High), (&low, AlarmSide::Low)] {
        let (_, alarm) = r.alarm(name).unwrap_or_else(|| panic!("no alarm {name}"));
        let managed = TargetTrackingAlarm {
            group: GROUP.into(),
            policy: "cpu50".into(),
            side,
        };
        assert_eq!(alarm.target_tracking, Some(managed), "{name}");
    }
    let low_moves = alarm_changes(&r, &low);
    assert!(
        (low_moves.iter()).any(|(_, c)| (c.comparison, c.threshold) == ("<", 45.0)),
        "low alarm threshold 0.9 × 50: {low_moves:?}"
    );
}

// ---------------------------------------------------------------------------------------------
// 2. Target tracking scale-in
// ---------------------------------------------------------------------------------------------

/// Four instances at 47.5 % CPU (between 0.9 × target = 45 and the target: neither alarm
/// breaches) for 20 minutes — longer than the low alarm's 15 datapoints, so a threshold at or
/// above 47.5 would show — then the load drops to 10 %. Warm-up 120 s.
fn scale_in_model(disable_scale_in: bool) -> Value {
    let mut policy = cpu_target_tracking("cpu50", TARGET);
    policy["EstimatedInstanceWarmup"] = json!(120);
    policy["TargetTrackingConfiguration"]["DisableScaleIn"] = json!(disable_scale_in);
    served_group(
        2700.0,
        constant_steps(&[(0.0, 19.0), (1200.0, 4.0)]),
        (2, 6, 4),
        true,
        json!([policy]),
    )
}

#[test]
fn target_tracking_scales_in_after_fifteen_datapoints_and_not_below_min_size() {
    let drop = 1200.0;
    let r = run_value(&scale_in_model(false));
    let (high, low) = tt_alarms(GROUP, "cpu50");
    let before = utilisation_law(19.0, SERVICE_S, 4, 1);
    let after = utilisation_law(4.0, SERVICE_S, 4, 1);
    assert!(
        before > 0.9 * TARGET + 2.0 && before < TARGET - 2.0,
        "model design"
    );

    // 15 one-minute datapoints below 45 after the drop: ALARM at drop + 15 min, not before.
    let fire = drop + 15.0 * PERIOD;
    assert_eq!(first_alarm(&r, &low), Some(fire), "low alarm");
    assert_eq!(first_alarm(&r, &high), None, "high alarm");
    assert_near(alarm_value_at(&r, &low, fire), after, CPU_TOL, "datapoint");

    // desired = max(ceil(4 · 10 / 50) = 1, MinSize 2) = 2: two instances terminate at `fire`.
    let wanted = (4.0 * after / TARGET).ceil() as u32;
    assert_eq!(wanted, 1);
    let desired = wanted.max(2);
    let terminations = terminations(&r, GROUP);
    assert_times(
        &terminations,
        &vec![fire; (4 - desired) as usize],
        "terminations",
    );
    for (end, c) in capacity_rows(&r, 0) {
        let expect = if end <= fire { 4 } else { desired };
        assert_eq!(c.desired, expect, "desired at {end} s");
    }
    // Two instances at 20 % stay below 45: the alarm stays in ALARM, the policy would go to
    // ceil(2 · 20 / 50) = 1, but MinSize holds.
    let rows = alarm_rows(&r, &low);
    assert!(rows.iter().filter(|x| x.0 >= fire).all(|x| x.1 == 1));
    assert!(
        !asg_times(&r, GROUP, |a| policy_note(a, |n| *n
            == PolicyNote::WouldScaleInBelowMinSize { min: 2 }))
        .is_empty(),
        "the history says why it does not scale in further"
    );
    let g = &r.auto_scaling_groups[0];
    assert_eq!((g.scale_out_activities, g.scale_in_activities), (0, 1));
    assert_desired_within(&r, 2, 6);
}

#[test]
fn disable_scale_in_keeps_the_capacity() {
    let r = run_value(&scale_in_model(true));
    let (_, low) = tt_alarms(GROUP, "cpu50");
    let fire = 1200.0 + 15.0 * PERIOD;
    // The low alarm still exists and fires; the policy does not act on it.
    assert_eq!(first_alarm(&r, &low), Some(fire), "low alarm");
    assert!(terminations(&r, GROUP).is_empty());
    assert!(capacity_rows(&r, 0).iter().all(|(_, c)| c.desired == 4));
    assert_eq!(r.auto_scaling_groups[0].scale_in_activities, 0);
    assert_times(
        &asg_times(&r, GROUP, |a| {
            policy_note(a, |n| *n == PolicyNote::ScaleInDisabled)
        }),
        &[fire],
        "note",
    );
}

#[test]
fn no_scale_in_while_an_instance_warms_up() {
    // Four instances at 10 % from the start; the initial instances are in service (and warm) since
    // before the run, so the low alarm has its 15th one-minute datapoint at 900 s. A scheduled action
    // at 600 s adds a fifth instance: Pending until 660 s, warming up (600 s) until 1260 s. Scale-in
    // waits for it and happens at the first evaluation after, 1260 s, to MinSize 2
    // (ceil(5 · 8 / 50) = 1).
    let warmup = 600.0;
    let mut policy = cpu_target_tracking("cpu50", TARGET);
    policy["EstimatedInstanceWarmup"] = json!(warmup);
    let mut m = served_group(2400.0, constant_rate(4.0), (2, 6, 4), true, json!([policy]));
    let added = 600.0;
    m["auto_scaling_groups"][0]["ScheduledActions"] =
        json!([{ "ScheduledActionName": "one-more", "at": "600s", "DesiredCapacity": 5 }]);
    let r = run_value(&m);
    let (_, low) = tt_alarms(GROUP, "cpu50");

    let alarm_at = 15.0 * PERIOD;
    assert_eq!(first_alarm(&r, &low), Some(alarm_at), "low alarm");
    let warm_at = added + LAUNCH_S + warmup;
    let scale_in = next_evaluation(warm_at);
    let low_rows = alarm_rows(&r, &low);
    assert!(
        low_rows
            .iter()
            .filter(|x| x.0 >= alarm_at && x.0 <= scale_in)
            .all(|x| x.1 == 1),
        "the low alarm stays in ALARM while scale-in waits"
    );
    let expected = utilisation_law(4.0, SERVICE_S, 5, 1);
    assert_near(
        alarm_value_at(&r, &low, scale_in),
        expected,
        CPU_TOL,
        "datapoint",
    );
    assert_times(&terminations(&r, GROUP), &[scale_in; 3], "terminations");
    assert_times(
        &asg_times(&r, GROUP, |a| {
            policy_note(a, |n| {
                matches!(n, PolicyNote::ScaleInBlockedByWarmup { .. })
            })
        }),
        &[alarm_at],
        "the blocked note",
    );
    // A period ending at exactly 600 s closes before the scheduled action at 600 s runs.
    for (end, c) in capacity_rows(&r, 0) {
        let expect = if end <= added {
            4
        } else if end <= scale_in {
            5
        } else {
            2
        };
        assert_eq!(c.desired, expect, "desired at {end} s");
    }
}

// ---------------------------------------------------------------------------------------------
// 3. Simple and step scaling with explicit alarms
// ---------------------------------------------------------------------------------------------

fn cpu_alarm(name: &str, threshold: f64, evaluation_periods: u32, policy: &str) -> Value {
    json!({ "AlarmName": name, "MetricName": "CPUUtilization",
            "Dimensions": { "AutoScalingGroupName": GROUP }, "Statistic": "Average",
            "Period": 60, "EvaluationPeriods": evaluation_periods, "Threshold": threshold,
            "ComparisonOperator": "GreaterThanThreshold", "AlarmActions": [policy] })
}

#[test]
fn a_simple_scaling_cooldown_holds_back_every_simple_policy_of_the_group() {
    // "After your Auto Scaling group launches or terminates instances, it waits for a cooldown
    // period to end before any further scaling activities initiated by simple scaling policies
    // can start" (User Guide, Scaling cooldowns): the group's wait, not the policy's. One
    // instance at 90 % (9 req/s × 100 ms) trips add1 (CPU > 25, 1 of 1) at 60 s; its instance
    // is InService 90 s later, and add1's Cooldown of 300 s runs to 450 s. The load drops to
    // 1 req/s at 200 s (2 instances at 5 %): remove1's alarm (CPU < 8, 2 of 2) is in ALARM from
    // 360 s (the 240 s datapoint still averages 18 %), but remove1 must wait for add1's cooldown
    // and scales in at the first evaluation after 450 s.
    let (launch, cooldown) = (90.0, 300.0);
    let mut m = served_group(
        720.0,
        constant_steps(&[(0.0, 9.0), (200.0, 1.0)]),
        (1, 2, 1),
        true,
        json!([
            { "PolicyName": "add1", "PolicyType": "SimpleScaling",
              "AdjustmentType": "ChangeInCapacity", "ScalingAdjustment": 1, "Cooldown": cooldown },
            { "PolicyName": "remove1", "PolicyType": "SimpleScaling",
              "AdjustmentType": "ChangeInCapacity", "ScalingAdjustment": -1, "Cooldown": cooldown }
        ]),
    );
    m["auto_scaling_groups"][0]["LaunchTemplate"]["launch_time"] = constant_ms(launch * 1000.0);
    let mut low = cpu_alarm("cpu-low", 8.0, 2, "remove1");
    low["ComparisonOperator"] = json!("LessThanThreshold");
    m["alarms"] = json!([cpu_alarm("cpu-high", 25.0, 1, "add1"), low]);
    let r = run_value(&m);
    assert!(
        utilisation_law(1.0, SERVICE_S, 2, 1) < 8.0 - 2.0,
        "model design"
    );
    assert!(
        utilisation_law(1.0, SERVICE_S, 1, 1) > 8.0 + 1.0,
        "model design"
    );

    let out = PERIOD;
    assert_times(&launches(&r, GROUP), &[out], "the scale-out");
    assert_eq!(first_alarm(&r, "cpu-low"), Some(6.0 * PERIOD));
    let until = out + launch + cooldown;
    assert_times(
        &terminations(&r, GROUP),
        &[next_evaluation(until)],
        "the scale-in waits for the scale-out's cooldown",
    );
    let held = asg_times(&r, GROUP, |a| {
        note_of(
            a,
            "remove1",
            |n| matches!(n, PolicyNote::CooldownUntil { until: u } if (u.as_secs_f64() - until).abs() < 1e-9),
        )
    });
    assert_eq!(
        held.first().copied(),
        Some(6.0 * PERIOD),
        "remove1 says why it waits: {held:?}"
    );
}

#[test]
fn a_simple_scale_in_with_nothing_to_drain_starts_its_cooldown_at_once() {
    // The group's instances get no traffic (the static web-1 serves it), so a terminated
    // instance has nothing to drain and its activity completes as it starts: the cooldown must
    // start then, or a second scale-in would follow a minute later. CPU of the idle group is 0:
    // remove1 (CPU < 50, 1 of 1) is in ALARM from 60 s; 3 → 2 at 60 s, 2 → 1 after the cooldown.
    let cooldown = 300.0;
    let mut m = idle_group(900.0, (1, 3, 3), fast_checks());
    m["auto_scaling_groups"][0]["Policies"] = json!([
        { "PolicyName": "remove1", "PolicyType": "SimpleScaling",
          "AdjustmentType": "ChangeInCapacity", "ScalingAdjustment": -1, "Cooldown": cooldown }
    ]);
    let mut low = cpu_alarm("idle", 50.0, 1, "remove1");
    low["ComparisonOperator"] = json!("LessThanThreshold");
    m["alarms"] = json!([low]);
    let r = run_value(&m);
    assert_times(
        &terminations(&r, GROUP),
        &[PERIOD, next_evaluation(PERIOD + cooldown)],
        "one scale-in per cooldown",
    );
    assert_times(
        &asg_times(&r, GROUP, |a| {
            matches!(a, ScalingActivity::CooldownStarts { .. })
        }),
        &[PERIOD, next_evaluation(PERIOD + cooldown)],
        "each cooldown starts as its scale-in completes",
    );
}

#[test]
fn simple_scaling_waits_for_the_activity_and_the_cooldown() {
    // One instance at 90 % (9 req/s × 100 ms); the alarm is CPU > 25 for 2 of 2 minutes, so it is
    // in ALARM from 120 s with 1, 2 or 3 instances (90, 45, 30 % by the law). +1 per activity,
    // Cooldown 120 s, launch 90 s (off the minute grid, so no event ties with an evaluation).
    let (launch, cooldown) = (90.0, 120.0);
    let mut m = served_group(
        720.0,
        constant_rate(9.0),
        (1, 3, 1),
        true,
        json!([{ "PolicyName": "add1", "PolicyType": "SimpleScaling",
                 "AdjustmentType": "ChangeInCapacity", "ScalingAdjustment": 1,
                 "Cooldown": cooldown }]),
    );
    m["auto_scaling_groups"][0]["LaunchTemplate"]["launch_time"] = constant_ms(launch * 1000.0);
    m["alarms"] = json!([cpu_alarm("cpu-high", 25.0, 2, "add1")]);
    let r = run_value(&m);
    for n in 1..=3 {
        assert!(
            utilisation_law(9.0, SERVICE_S, n, 1) > 25.0 + 2.0,
            "model design"
        );
    }

    let first = 2.0 * PERIOD;
    assert_eq!(first_alarm(&r, "cpu-high"), Some(first));
    let complete = first + launch;
    let second = next_evaluation(complete + cooldown);
    // The alarm is in ALARM at every evaluation in between: the policy is invoked and declines.
    let rows = alarm_rows(&r, "cpu-high");
    assert!(rows.iter().filter(|x| x.0 >= first).all(|x| x.1 == 1));
    assert_times(
        &launches(&r, GROUP),
        &[first, second],
        "launches (the second at the first evaluation after completion + Cooldown)",
    );
    assert!(second >= complete + cooldown);
    assert!(
        second > first + cooldown,
        "the cooldown counts from completion, not from start"
    );
    // Why not: the activity still in progress at 180 s, then the cooldown.
    assert_times(
        &asg_times(&r, GROUP, |a| {
            note_of(a, "add1", |n| {
                matches!(n, PolicyNote::ActivityInProgress { .. })
            })
        }),
        &[first + PERIOD, second + PERIOD],
        "in-progress notes",
    );
    assert_times(
        &asg_times(
            &r,
            GROUP,
            |a| matches!(a, ScalingActivity::CooldownStarts { seconds, .. } if *seconds == 120.0),
        ),
        &[complete, second + launch],
        "cooldown start",
    );
    let notes = asg_times(&r, GROUP, |a| {
        note_of(a, "add1", |n| matches!(n, PolicyNote::CooldownUntil { .. }))
    });
    assert_eq!(
        notes.first().copied(),
        Some(next_evaluation(complete)),
        "first cooldown note: {notes:?}"
    );
    // At MaxSize 3 it stops.
    let g = &r.auto_scaling_groups[0];
    assert_eq!(g.scale_out_activities, 2);
    assert_desired_within(&r, 1, 3);
}

/// `n` instances at 20 % CPU until 600 s (past the 300 s warm-up of the initial instances), then
/// `rate` req/s; the alarm is CPU > 50 for 1 minute; steps (relative to the threshold)
/// [0, 20) → +1 and [20, ∞) → +3; warm-up 300 s, launch 90 s (off the minute grid).
fn step_run(n: u32, rate: f64, seconds: f64) -> RunResult {
    step_run_from(n, 0.2 * f64::from(n) / SERVICE_S, rate, seconds)
}

/// [`step_run`] with `quiet` req/s before 600 s.
fn step_run_from(n: u32, quiet: f64, rate: f64, seconds: f64) -> RunResult {
    let mut m = served_group(
        seconds,
        constant_steps(&[(0.0, quiet), (STEP_AT, rate)]),
        (1, 10, n),
        true,
        json!([{ "PolicyName": "steps", "PolicyType": "StepScaling",
                 "AdjustmentType": "ChangeInCapacity", "EstimatedInstanceWarmup": STEP_WARMUP,
                 "StepAdjustments": [
                     { "MetricIntervalLowerBound": 0, "MetricIntervalUpperBound": 20,
                       "ScalingAdjustment": 1 },
                     { "MetricIntervalLowerBound": 20, "ScalingAdjustment": 3 } ] }]),
    );
    m["auto_scaling_groups"][0]["LaunchTemplate"]["launch_time"] =
        constant_ms(STEP_LAUNCH * 1000.0);
    m["alarms"] = json!([cpu_alarm("cpu-step", 50.0, 1, "steps")]);
    run_value(&m)
}

/// When the step policy's load changes [s].
const STEP_AT: f64 = 600.0;
/// The step policy's warm-up [s].
const STEP_WARMUP: f64 = 300.0;
/// Launch time in the step scaling tests [s].
const STEP_LAUNCH: f64 = 90.0;

/// The step for a metric `diff` above the threshold: lower bound inclusive, upper exclusive.
fn step_for(diff: f64) -> u32 {
    assert!(
        diff > CPU_TOL && (diff - 20.0).abs() > CPU_TOL,
        "model design: {diff} too close to a bound"
    );
    if diff < 20.0 { 1 } else { 3 }
}

/// Two instances at `rate` req/s from 600 s: the alarm fires on the first datapoint after the
/// step (660 s) and the policy adds the step's adjustment. At 720 s the alarm is still in ALARM on
/// the same step (the new instances are Pending: not in the metric) and the policy runs again,
/// but the launching capacity counts as already added: no second activity.
fn check_step(rate: f64) {
    let r = step_run(2, rate, 900.0);
    let cpu = utilisation_law(rate, SERVICE_S, 2, 1);
    let adjustment = step_for(cpu - 50.0);
    let fire = STEP_AT + PERIOD;
    assert_eq!(first_alarm(&r, "cpu-step"), Some(fire));
    assert_near(
        alarm_value_at(&r, "cpu-step", fire),
        cpu,
        CPU_TOL,
        "datapoint",
    );
    let again = fire + PERIOD;
    assert_eq!(
        alarm_rows(&r, "cpu-step")
            .iter()
            .find(|x| (x.0 - again).abs() < 1e-9)
            .map(|x| x.1),
        Some(1),
        "ALARM at {again}"
    );
    assert_near(
        alarm_value_at(&r, "cpu-step", again),
        cpu,
        CPU_TOL,
        "datapoint",
    );
    assert_times(
        &launches(&r, GROUP),
        &vec![fire; adjustment as usize],
        "launches",
    );
    assert_eq!(r.auto_scaling_groups[0].scale_out_activities, 1);
    for (end, c) in capacity_rows(&r, 0) {
        let expect = if end <= fire { 2 } else { 2 + adjustment };
        assert_eq!(c.desired, expect, "desired at {end} s");
    }
}

#[test]
fn step_scaling_small_breach_takes_the_first_step() {
    // 12 req/s on 2 → 60 %: 10 above the threshold → +1.
    check_step(12.0);
}

#[test]
fn step_scaling_large_breach_takes_the_second_step() {
    // 15 req/s on 2 → 75 %: 25 above the threshold → +3.
    check_step(15.0);
}

#[test]
fn step_scaling_counts_the_initial_instances_as_current_capacity() {
    // The large breach from the start: 75 % on the two initial instances, the alarm in ALARM at
    // 60 s. The simulator says these instances were InService before the run (their targets
    // start healthy, "registered before the run"), so none of them is warming up and the current
    // capacity is 2 (§10.4): 2 + 3 = 5. The simulator gives 0 + 3 = 3 (floored at desired 2 + 1).
    let r = step_run_from(2, 15.0, 15.0, 600.0);
    let cpu = utilisation_law(15.0, SERVICE_S, 2, 1);
    assert_eq!(step_for(cpu - 50.0), 3);
    assert_eq!(first_alarm(&r, "cpu-step"), Some(PERIOD));
    assert_times(&launches(&r, GROUP), &[PERIOD; 3], "launches");
}

#[test]
fn step_scaling_does_not_add_again_for_warming_capacity() {
    // Four instances at 65 % (26 req/s): +1 at 660 s. The fifth is InService at 750 s and warms
    // up until 1050 s; with it the load is 52 % (the alarm's CPU over all InService instances is
    // above 50 from 780 s on, and on the first step whichever way the warming instance counts:
    // 4 old ones at ≈ 58.7 % and the new one at ≈ 25 % average 52 %). While it warms up, the
    // current capacity is 4 (§10.4: "we do not consider instances that are warming up as part of
    // the current capacity"), 4 + 1 = 5 is already desired: nothing is added. At the first
    // evaluation after the warm-up the capacity is 5 and the metric still 52 %: +1.
    let r = step_run(4, 26.0, 1200.0);
    let cpu = utilisation_law(26.0, SERVICE_S, 4, 1);
    let later = utilisation_law(26.0, SERVICE_S, 5, 1);
    assert_eq!((step_for(cpu - 50.0), step_for(later - 50.0)), (1, 1));
    let fire = STEP_AT + PERIOD;
    let in_service = fire + STEP_LAUNCH;
    let warm = next_evaluation(in_service + STEP_WARMUP);
    let rows = alarm_rows(&r, "cpu-step");
    assert!(
        rows.iter()
            .filter(|x| x.0 >= fire && x.0 <= warm)
            .all(|x| x.1 == 1),
        "ALARM throughout: {rows:?}"
    );
    assert_near(
        alarm_value_at(&r, "cpu-step", warm),
        later,
        CPU_TOL,
        "datapoint",
    );
    assert_times(&launches(&r, GROUP), &[fire, warm], "launches");
    assert_eq!(r.auto_scaling_groups[0].scale_out_activities, 2);
}

// ---------------------------------------------------------------------------------------------
// 4. Scheduled actions
// ---------------------------------------------------------------------------------------------

#[test]
fn scheduled_actions_change_min_max_and_desired() {
    // (1, 4, 2); at 330 s MinSize 3 (desired rises to 3); at 630 s DesiredCapacity 4; at 930 s
    // MinSize 1 and MaxSize 2 (desired falls to 2); at 1230 s DesiredCapacity 1. Off the minute
    // grid, so each change shows in the row of the period it happens in.
    let mut m = idle_group(1500.0, (1, 4, 2), fast_checks());
    m["auto_scaling_groups"][0]["ScheduledActions"] = json!([
        { "ScheduledActionName": "raise-min", "at": "330s", "MinSize": 3 },
        { "ScheduledActionName": "peak", "at": "630s", "DesiredCapacity": 4 },
        { "ScheduledActionName": "night", "at": "930s", "MinSize": 1, "MaxSize": 2 },
        { "ScheduledActionName": "idle", "at": "1230s", "DesiredCapacity": 1 }
    ]);
    let r = run_value(&m);
    // (from [s], MinSize, MaxSize, desired)
    let plan = [
        (0.0, 1, 4, 2),
        (330.0, 3, 4, 3),
        (630.0, 3, 4, 4),
        (930.0, 1, 2, 2),
        (1230.0, 1, 2, 1),
    ];
    let at = |t: f64| *plan.iter().rev().find(|p| p.0 <= t).unwrap();
    for (end, c) in capacity_rows(&r, 0) {
        let (_, min, max, desired) = at(end);
        assert_eq!(c.desired, desired, "desired at {end} s");
        assert!((min..=max).contains(&c.desired));
    }
    assert_times(&launches(&r, GROUP), &[330.0, 630.0], "launches");
    assert_times(
        &in_service(&r, GROUP),
        &[330.0 + LAUNCH_S, 630.0 + LAUNCH_S],
        "InService",
    );
    assert_times(
        &terminations(&r, GROUP),
        &[930.0, 930.0, 1230.0],
        "terminations",
    );
    assert_times(
        &asg_times(&r, GROUP, |a| {
            *a == ScalingActivity::ScheduledAction {
                action: "raise-min".into(),
                min: 3,
                max: 4,
            }
        }),
        &[330.0],
        "log",
    );
    // Pending for the launch time, then InService; terminations take effect at once (no
    // requests in flight on `pool`).
    let c = capacity_at(&r, 0, 360.0);
    assert_eq!((c.in_service, c.pending), (2, 1));
    let c = capacity_at(&r, 0, 420.0);
    assert_eq!((c.in_service, c.pending), (3, 0));
    let c = capacity_at(&r, 0, 960.0);
    assert_eq!((c.in_service, c.terminating), (2, 0));
    let c = capacity_at(&r, 0, 1260.0);
    assert_eq!((c.in_service, c.terminating), (1, 0));
    let g = &r.auto_scaling_groups[0];
    assert_eq!((g.scale_out_activities, g.scale_in_activities), (2, 2));
    // Averages over the period ends (60, 120, …, 1500 s): InService 2, then 3 from 390 s, 4 from
    // 690 s, 2 from 930 s, 1 from 1230 s.
    let ends: Vec<f64> = (1..=25).map(|k| f64::from(k) * PERIOD).collect();
    let in_service = |t: f64| match t {
        t if t < 390.0 => 2.0,
        t if t < 690.0 => 3.0,
        t if t < 930.0 => 4.0,
        t if t < 1230.0 => 2.0,
        _ => 1.0,
    };
    let mean = |f: &dyn Fn(f64) -> f64| ends.iter().map(|&t| f(t)).sum::<f64>() / 25.0;
    assert!((g.average_in_service - mean(&in_service)).abs() < 1e-12);
    assert!((g.average_desired_capacity - mean(&|t| f64::from(at(t).3))).abs() < 1e-12);
    assert_eq!(g.max_in_service, 4);
}

// ---------------------------------------------------------------------------------------------
// 5. Replacing unhealthy instances
// ---------------------------------------------------------------------------------------------

/// Health poll of the group [s] (albsim's `health_check_poll_interval`; AWS does not document the
/// period). 50 s, so that no poll coincides with a grace-period end below.
const POLL: f64 = 50.0;
/// `HealthCheckGracePeriod` [s].
const GRACE: f64 = 120.0;

/// The first poll at or after `t` (polls at k · POLL, k ≥ 1; `t` not on a poll).
fn next_poll(t: f64) -> f64 {
    (t / POLL).ceil() * POLL
}

/// One instance (1, 1, 1) behind `pool` with checks every 10 s (first 1 s after registration,
/// 2 failures make it unhealthy); `matcher` is the `Matcher.HttpCode` (the application answers
/// 200).
fn replacement_model(check_type: &str, matcher: &str, seconds: f64) -> Value {
    let mut hc = health_check(10, 5, 2, 2, Some(1.0));
    hc["Matcher"] = json!({ "HttpCode": matcher });
    let mut m = idle_group(seconds, (1, 1, 1), hc);
    let g = &mut m["auto_scaling_groups"][0];
    g["HealthCheckType"] = json!(check_type);
    g["HealthCheckGracePeriod"] = json!(GRACE);
    g["health_check_poll_interval"] = json!(format!("{POLL}s"));
    m
}

#[test]
fn elb_health_checks_replace_an_unhealthy_instance_after_the_grace_period() {
    // Every check fails (`Matcher` 404, the application answers 200). The initial instance is
    // healthy at 0 and unhealthy after failures at 1 s and 11 s; it has been in service since before
    // the run, so it is past its grace period and the group marks it unhealthy at its next poll,
    // 50 s, terminates it and launches a replacement. Each replacement is InService 60 s later,
    // unhealthy 11 s after that, and protected by its own grace period (120 s): replaced at the
    // first poll past it, 250 s, then 450 s.
    let r = run_value(&replacement_model("ELB", "404", 500.0));
    let first = next_poll(11.0 + CHECK_MS / 1e3);
    let in_service = first + LAUNCH_S;
    let second = next_poll((in_service + 11.0 + CHECK_MS / 1e3).max(in_service + GRACE));
    let third = next_poll((second + LAUNCH_S + GRACE).max(second + LAUNCH_S + 11.0));
    assert_eq!((first, second, third), (50.0, 250.0, 450.0));
    let t = transitions(&r, &format!("pool/{}", group_id(1)));
    assert!(
        t.iter()
            .any(|(at, x)| x.to == TargetState::Unhealthy && (at - 11.001).abs() < 1e-8),
        "{t:?}"
    );
    assert_times(
        &asg_times(&r, GROUP, |a| {
            matches!(a, ScalingActivity::MarkedUnhealthy { .. })
        }),
        &[first, second, third],
        "marked unhealthy",
    );
    assert_times(
        &terminations(&r, GROUP),
        &[first, second, third],
        "terminations",
    );
    assert_times(
        &launches(&r, GROUP),
        &[first, second, third],
        "replacements",
    );
    let old = instance_result(&r, &group_id(1));
    assert_eq!(old.terminated_seconds, Some(first));
    let new = instance_result(&r, &group_id(2));
    assert_eq!(
        (new.launched_seconds, new.terminated_seconds),
        (first, Some(second))
    );
    let g = &r.auto_scaling_groups[0];
    assert_eq!(g.unhealthy_replacements, 3);
    assert_eq!(g.instances_launched, 4);
    assert!(capacity_rows(&r, 0).iter().all(|(_, c)| c.desired == 1));
}

#[test]
fn ec2_health_checks_ignore_the_load_balancer() {
    // The same failing target with the default `HealthCheckType: EC2`: unhealthy in the target
    // group, never replaced (§1.4, §15 item 5).
    let r = run_value(&replacement_model("EC2", "404", 500.0));
    let t = transitions(&r, &format!("pool/{}", group_id(1)));
    assert!(
        t.iter().any(|(_, x)| x.to == TargetState::Unhealthy),
        "{t:?}"
    );
    let g = &r.auto_scaling_groups[0];
    assert_eq!((g.unhealthy_replacements, g.instances_launched), (0, 1));
    assert!(terminations(&r, GROUP).is_empty());
}

/// The group (1, 1, 1) behind `pool` with passing checks, and `fault` on its first instance.
fn faulted_model(check_type: &str, grace: f64, fault: Value) -> Value {
    let mut m = replacement_model(check_type, "200", 400.0);
    m["auto_scaling_groups"][0]["HealthCheckGracePeriod"] = json!(grace);
    m["faults"] = json!([fault]);
    m
}

#[test]
fn a_crashed_instance_is_replaced_under_elb_checks() {
    // Crash at 200 s: checks at 201 and 211 s are refused → unhealthy at 211 s; the next poll
    // (past the grace period) at 250 s terminates and replaces it; the replacement is InService
    // at 310 s.
    let r = run_value(&faulted_model(
        "ELB",
        GRACE,
        json!({ "type": "crash", "instance": group_id(1), "at": "200s" }),
    ));
    let unhealthy = 211.0;
    let poll = next_poll(unhealthy);
    assert_times(&terminations(&r, GROUP), &[poll], "termination");
    assert_times(&launches(&r, GROUP), &[poll], "replacement");
    assert_times(&in_service(&r, GROUP), &[poll + LAUNCH_S], "InService");
    assert_eq!(r.auto_scaling_groups[0].unhealthy_replacements, 1);
}

#[test]
fn a_crashed_but_running_instance_is_not_replaced_under_ec2_checks() {
    let r = run_value(&faulted_model(
        "EC2",
        GRACE,
        json!({ "type": "crash", "instance": group_id(1), "at": "200s" }),
    ));
    let t = transitions(&r, &format!("pool/{}", group_id(1)));
    assert!(
        t.iter().any(|(_, x)| x.to == TargetState::Unhealthy),
        "{t:?}"
    );
    assert_eq!(r.auto_scaling_groups[0].unhealthy_replacements, 0);
    assert!(terminations(&r, GROUP).is_empty());
}

#[test]
fn a_stopped_instance_is_replaced_under_ec2_checks_even_within_the_grace_period() {
    // The grace period does not protect a non-running instance (§1.4): stopped at 70 s, replaced
    // at the next poll, 100 s, although the grace period (300 s) has not ended.
    let r = run_value(&faulted_model(
        "EC2",
        300.0,
        json!({ "type": "instance_stop", "instance": group_id(1), "at": "70s" }),
    ));
    let poll = next_poll(70.0);
    assert_times(&terminations(&r, GROUP), &[poll], "termination");
    assert_times(&launches(&r, GROUP), &[poll], "replacement");
    assert_eq!(r.auto_scaling_groups[0].unhealthy_replacements, 1);
}

// ---------------------------------------------------------------------------------------------
// 6. Cost
// ---------------------------------------------------------------------------------------------

#[test]
fn ec2_cost_is_per_second_with_a_60_second_minimum() {
    // A static instance at $0.1/h for 900 s; the group's type at $0.36/h (1e-4 $/s): two initial
    // instances, one launched at 300 s and terminated while still Pending at 330 s (30 s, billed
    // 60 s: Pending is billed, §10.6), one of the initial ones terminated at 600 s.
    let seconds = 900.0;
    let price = 0.36;
    let mut m = idle_group(seconds, (1, 4, 2), fast_checks());
    m["instance_types"]
        .as_array_mut()
        .unwrap()
        .push(json!({ "name": "test.asg", "vcpus": 1, "memory_gib": 8, "price_per_hour": price }));
    let g = &mut m["auto_scaling_groups"][0];
    g["LaunchTemplate"]["instance_type"] = json!("test.asg");
    g["TerminationPolicies"] = json!(["NewestInstance"]);
    g["ScheduledActions"] = json!([
        { "ScheduledActionName": "up", "at": "300s", "DesiredCapacity": 3 },
        { "ScheduledActionName": "back", "at": "330s", "DesiredCapacity": 2 },
        { "ScheduledActionName": "down", "at": "600s", "DesiredCapacity": 1 }
    ]);
    let r = run_value(&m);

    let short = instance_result(&r, &group_id(3));
    assert_eq!(
        (short.launched_seconds, short.terminated_seconds),
        (300.0, Some(330.0))
    );
    assert_times(
        // Printed as "billed 60 s": at least 60 s, and at most 60.5 (rounded, ties to even).
        &asg_times(
            &r,
            GROUP,
            |a| matches!(a, ScalingActivity::Terminated { billed_seconds, .. } if (60.0..=60.5).contains(billed_seconds)),
        ),
        &[330.0],
        "the 30 s instance",
    );
    // Lifetimes from the model: 900 (web-1, $0.1), 900 + 600 + max(30, 60) at $0.36.
    let asg_seconds = seconds + 600.0 + 60.0;
    let ec2 = 0.1 * seconds / 3600.0 + price * asg_seconds / 3600.0;
    let hours = (seconds + asg_seconds) / 3600.0;
    // Float rounding: a handful of additions of values ~0.1, so 1e-12 relative is ample.
    assert!(
        (r.cost.ec2 - ec2).abs() <= 1e-12 * ec2,
        "{} vs {ec2}",
        r.cost.ec2
    );
    assert!((r.cost.instance_hours - hours).abs() <= 1e-12 * hours);
    // The same sum over the reported instances: Σ max(alive, 60)/3600 × price.
    let sum: f64 = r
        .instances
        .iter()
        .map(|i| {
            let end = i.terminated_seconds.unwrap_or(seconds);
            (end - i.launched_seconds).max(60.0) / 3600.0 * i.price_per_hour
        })
        .sum();
    assert!((r.cost.ec2 - sum).abs() <= 1e-12 * sum);
    assert!((r.cost.total - r.cost.ec2 - r.cost.alb).abs() <= 1e-12 * r.cost.total);
}

// ---------------------------------------------------------------------------------------------
// 7. Lifecycle hooks
// ---------------------------------------------------------------------------------------------

#[test]
fn lifecycle_hooks_delay_in_service_and_termination() {
    // A launch hook completing after 45 s (HeartbeatTimeout 300) and a termination hook that never
    // completes (HeartbeatTimeout 90: the wait ends at the timeout). Scheduled: DesiredCapacity 2
    // at 330 s, back to 1 at 630 s (NewestInstance: the one launched at 330 s goes).
    let (hook, heartbeat) = (45.0, 90.0);
    let mut m = idle_group(900.0, (1, 3, 1), fast_checks());
    let g = &mut m["auto_scaling_groups"][0];
    g["TerminationPolicies"] = json!(["NewestInstance"]);
    g["LifecycleHooks"] = json!([
        { "LifecycleHookName": "init", "LifecycleTransition": "autoscaling:EC2_INSTANCE_LAUNCHING",
          "HeartbeatTimeout": 300, "completes_after": format!("{hook}s") },
        { "LifecycleHookName": "flush",
          "LifecycleTransition": "autoscaling:EC2_INSTANCE_TERMINATING",
          "HeartbeatTimeout": heartbeat }
    ]);
    g["ScheduledActions"] = json!([
        { "ScheduledActionName": "up", "at": "330s", "DesiredCapacity": 2 },
        { "ScheduledActionName": "down", "at": "630s", "DesiredCapacity": 1 }
    ]);
    let r = run_value(&m);
    let id = group_id(2);
    let (launch, remove) = (330.0, 630.0);

    let wait = asg_times(&r, GROUP, |a| hook_of(a, &id, "Pending", "Pending:Wait"));
    assert_times(&wait, &[launch + LAUNCH_S], "Pending:Wait");
    let in_service = asg_times(
        &r,
        GROUP,
        |a| matches!(a, ScalingActivity::InService { instance, .. } if *instance == id),
    );
    assert_times(&in_service, &[launch + LAUNCH_S + hook], "InService");
    // Pending:Wait counts as pending (GroupPendingInstances) until the hook completes.
    let c = capacity_at(&r, 0, 420.0);
    assert_eq!((c.in_service, c.pending), (1, 1));
    let c = capacity_at(&r, 0, 480.0);
    assert_eq!((c.in_service, c.pending), (2, 0));

    assert_times(
        &asg_times(
            &r,
            GROUP,
            |a| matches!(a, ScalingActivity::Terminating { instance, .. } if *instance == id),
        ),
        &[remove],
        "Terminating",
    );
    let hold = asg_times(&r, GROUP, |a| {
        hook_of(a, &id, "Terminating", "Terminating:Wait")
    });
    assert_times(
        &hold,
        &[remove],
        "Terminating:Wait (deregistered at once: nothing in flight)",
    );
    let gone = asg_times(
        &r,
        GROUP,
        |a| matches!(a, ScalingActivity::Terminated { instance, .. } if *instance == id),
    );
    assert_times(&gone, &[remove + heartbeat], "Terminated");
    assert_eq!(
        instance_result(&r, &id).terminated_seconds,
        Some(remove + heartbeat),
        "billed until Terminated"
    );
    let c = capacity_at(&r, 0, 660.0);
    assert_eq!((c.in_service, c.terminating), (1, 1));
    let c = capacity_at(&r, 0, 780.0);
    assert_eq!((c.in_service, c.terminating), (1, 0));
    // Only the scheduled changes: nothing else launched or removed.
    assert_eq!(launches(&r, GROUP).len(), 1);
}

// ---------------------------------------------------------------------------------------------
// The shipped models tell the story their descriptions tell
// ---------------------------------------------------------------------------------------------

/// Both models: web-asg (MinSize 2, MaxSize 6, 2 × t3.small, 2 vCPUs), target tracking on CPU =
/// 50; 40 req/s of exponential 20 ms service, 160 req/s from 10 min to 30 min. By the law: 20 %
/// on 2 before, 80 % on 2 when the test starts, 40 % on 4 during it, 10 % on 4 after it. These
/// runs are Poisson: a 1-minute datapoint at 80 % on 2 instances has a standard deviation of about
/// 1.2 points (λT·E[S²] = 9600 · 2 · 0.02² s² of work variance over 240 vCPU·s), a 5-minute one
/// 0.5; ±3 points keeps ceil(2 · x / 50) = 4 (x in (75, 87.5]) at more than 2.5σ even for
/// 1-minute datapoints.
fn check_story_scale_out(r: &RunResult, fire: f64) {
    let (high, _) = tt_alarms("web-asg", "cpu50");
    let cpu = utilisation_law(160.0, 0.020, 2, 2);
    assert_eq!(first_alarm(r, &high), Some(fire), "high alarm");
    assert_near(alarm_value_at(r, &high, fire), cpu, 3.0, "datapoint");
    assert_times(
        &launches(r, "web-asg"),
        &[fire, fire],
        "scale-out to ceil(2 · 80 / 50) = 4",
    );
    assert_desired_within(r, 2, 6);
}

#[test]
fn shipped_model_asg_not_scaling_down() {
    let r = crate::common::run_model_file("asg-not-scaling-down");
    // Basic monitoring: three 5-minute datapoints after 10:00 → ALARM at 25:00.
    check_story_scale_out(&r, 600.0 + 3.0 * 300.0);
    // The low alarm needs 15 five-minute datapoints below 45. The first is the one at 35:00 —
    // or at 30:00 if the new instances took traffic within 37.5 s of 25:00 (the old ones' 5-minute
    // mean is 40 + 40·x/300 for x seconds at 80 %), which the launch-time distribution (median
    // 60 s) makes unlikely but possible. So the group scales in at 1:45:00 (or 1:40:00), to
    // MinSize 2 (ceil(4 · 10 / 50) = 1 < 2) — the "about 1:45" of the description.
    let (_, low) = tt_alarms("web-asg", "cpu50");
    let fire = first_alarm(&r, &low).expect("the low alarm fires");
    assert!(
        [1800.0 + 14.0 * 300.0, 2100.0 + 14.0 * 300.0].contains(&fire),
        "low alarm at {fire} s"
    );
    assert_times(&terminations(&r, "web-asg"), &[fire, fire], "scale-in");
    let g = &r.auto_scaling_groups[0];
    assert_eq!((g.scale_out_activities, g.scale_in_activities), (1, 1));
}

#[test]
fn shipped_model_asg_scaling_down_fixed() {
    let r = crate::common::run_model_file("asg-scaling-down-fixed");
    // Detailed monitoring: three 1-minute datapoints after 10:00 → ALARM at 13:00.
    check_story_scale_out(&r, 600.0 + 3.0 * 60.0);
    // During the test 4 instances at 40 % are below 45: the low alarm fires during the test (its
    // 15 datapoints start once the new instances take traffic, about 14:00–15:00), but
    // ceil(4 · 40 / 50) = 4 keeps them. The first datapoint after the test (31:00) is 10 %:
    // ceil(4 · 10 / 50) = 1 → MinSize 2, one minute after the test ends.
    let (_, low) = tt_alarms("web-asg", "cpu50");
    let fire = first_alarm(&r, &low).expect("the low alarm fires");
    assert!(
        fire > 780.0 + 15.0 * 60.0 && fire <= 1800.0,
        "low alarm at {fire} s, during the test"
    );
    assert_times(
        &terminations(&r, "web-asg"),
        &[1860.0, 1860.0],
        "scale-in one minute after the test",
    );
    let g = &r.auto_scaling_groups[0];
    assert_eq!((g.scale_out_activities, g.scale_in_activities), (1, 1));
}

// ---------------------------------------------------------------------------------------------
// 8. Customized metrics and percentile alarms
// ---------------------------------------------------------------------------------------------

/// A `CustomizedMetricSpecification` naming `RequestCountPerTarget` of the group's target group
/// with `Sum` is, by definition, the predefined `ALBRequestCountPerTarget`: both policies must
/// drive the group through exactly the same capacities.
#[test]
fn customized_metric_tracks_like_the_predefined_one() {
    let load = json!({ "type": "schedule", "process": "constant", "steps": [
        { "at": "0s", "rate_per_second": 4.0 }, { "at": "600s", "rate_per_second": 16.0 } ] });
    let predefined = json!([{ "PolicyName": "rcpt", "PolicyType": "TargetTrackingScaling",
        "TargetTrackingConfiguration": {
            "PredefinedMetricSpecification": { "PredefinedMetricType": "ALBRequestCountPerTarget", "ResourceLabel": "web" },
            "TargetValue": 240 } }]);
    let customized = json!([{ "PolicyName": "rcpt", "PolicyType": "TargetTrackingScaling",
        "TargetTrackingConfiguration": {
            "CustomizedMetricSpecification": { "MetricName": "RequestCountPerTarget",
                "Dimensions": { "TargetGroup": "web" }, "Statistic": "Sum" },
            "TargetValue": 240 } }]);
    let a = run_value(&served_group(
        1500.0,
        load.clone(),
        (2, 8, 2),
        true,
        predefined,
    ));
    let b = run_value(&served_group(1500.0, load, (2, 8, 2), true, customized));
    let rows = |r: &RunResult| {
        capacity_rows(r, 0)
            .into_iter()
            .map(|(t, c)| (t, c.desired))
            .collect::<Vec<_>>()
    };
    assert_eq!(rows(&a), rows(&b));
    // 16 req/s on 2 targets is 480 per target per minute, twice the target: the group grows.
    assert!(rows(&a).iter().any(|&(_, d)| d > 2), "{:?}", rows(&a));
}

/// `ExtendedStatistic: p99` on `TargetResponseTime` at 1 req/s: constant 100 ms service gives
/// p99 = 0.1 s;
/// a `slow` fault ×5 from 300 s makes it 0.5 s, above the 0.3 s threshold, so the alarm (2 of 2
/// one-minute datapoints) is in ALARM at the second period end after the fault, and its simple
/// scaling policy adds an instance then.
#[test]
fn percentile_alarm_fires_on_slow_responses() {
    let policies = json!([{ "PolicyName": "latency-out", "PolicyType": "SimpleScaling",
        "AdjustmentType": "ChangeInCapacity", "ScalingAdjustment": 1, "Cooldown": 600 }]);
    // 1 req/s: even slowed ×5 (0.5 s of CPU each) requests do not overlap on the 1 vCPU.
    let mut m = served_group(900.0, constant_rate(1.0), (1, 3, 1), true, policies);
    m["alarms"] = json!([{ "AlarmName": "p99-high", "MetricName": "TargetResponseTime",
        "ExtendedStatistic": "p99", "Period": 60, "EvaluationPeriods": 2, "Threshold": 0.3,
        "ComparisonOperator": "GreaterThanThreshold", "AlarmActions": ["latency-out"] }]);
    m["faults"] =
        json!([{ "type": "slow", "instance": format!("{GROUP}-0001"), "factor": 5, "at": "300s" }]);
    let r = run_value(&m);
    let (k, _) = r.alarm("p99-high").unwrap();
    let value_at = |t: f64| {
        r.periods
            .iter()
            .find(|p| (p.start_seconds + p.length_seconds - t).abs() < 1e-6)
            .and_then(|p| p.alarms[k].value)
    };
    // Before the fault: p99 of a constant 100 ms. The instance has 1 vCPU, so a health check
    // (1 ms of CPU) overlapping a request shares the CPU and delays it by at most 1 ms per check in
    // flight (two load balancer nodes): p99 ∈ [100, 102] ms, plus 0.1 % histogram resolution.
    let before = value_at(240.0).unwrap();
    assert!((0.0999..=0.1021).contains(&before), "{before}");
    // The first full period after the fault (360–420 s): every request takes 500 ms, and a
    // check (now 5 ms) adds at most 10 ms.
    let after = value_at(420.0).unwrap();
    assert!((0.4995..=0.5105).contains(&after), "{after}");
    assert_eq!(first_alarm(&r, "p99-high"), Some(420.0));
    let launches = launches(&r, GROUP);
    assert_eq!(launches, vec![420.0]);
}
