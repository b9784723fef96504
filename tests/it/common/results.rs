//! Reading a run's result: status counts, per-group, per-instance and per-period values, Auto
//! Scaling capacity and alarms.

use super::timing::TIME_TOL;
use albsim::RunResult;

/// Number of responses with status `code`.
pub fn status(r: &RunResult, code: u16) -> u64 {
    r.by_status.get(&code).copied().unwrap_or(0)
}

/// Responses of target group `name`.
pub fn group_requests(r: &RunResult, name: &str) -> u64 {
    r.target_groups
        .get(name)
        .unwrap_or_else(|| panic!("no target group {name} in the result"))
        .requests
}

/// Requests each instance completed, by instance id.
pub fn completed(r: &RunResult, id: &str) -> u64 {
    r.instances
        .iter()
        .find(|i| i.id == id)
        .unwrap_or_else(|| panic!("no instance {id}"))
        .requests_completed
}

/// Sum of `f(row)` over the metric periods that start in `[from, to)` [s].
pub fn sum_rows(
    r: &RunResult,
    from: f64,
    to: f64,
    f: impl Fn(&albsim::recorder::PeriodRow) -> u64,
) -> u64 {
    r.periods
        .iter()
        .filter(|p| p.start_seconds >= from && p.start_seconds < to)
        .map(f)
        .sum()
}

/// Panics unless `count` is one of the two halves of `n` (round robin over two targets alternates,
/// so one target gets ⌊n/2⌋ or ⌈n/2⌉ of n consecutive requests).
pub fn assert_half(count: u64, n: u64, what: &str) {
    assert!(
        count == n / 2 || count == n.div_ceil(2),
        "{what}: {count}, expected half of {n}"
    );
}

/// Index of instance `id` in the result (the order of per-instance columns in periods).
pub fn instance_index(r: &RunResult, id: &str) -> usize {
    r.instances
        .iter()
        .position(|i| i.id == id)
        .unwrap_or_else(|| panic!("no instance {id}"))
}

/// Index of target group `name` in the result (the order of per-group columns in periods).
pub fn group_index(r: &RunResult, name: &str) -> usize {
    r.target_group_order
        .iter()
        .position(|g| g == name)
        .unwrap_or_else(|| panic!("no target group {name}"))
}

/// Mean `CPUUtilization` [%] of instance `id` over the full-length periods that start in
/// `[from, to)` [s].
pub fn mean_cpu(r: &RunResult, id: &str, from: f64, to: f64) -> f64 {
    let i = instance_index(r, id);
    let xs: Vec<f64> = r
        .periods
        .iter()
        .filter(|p| p.start_seconds >= from && p.start_seconds < to)
        .filter(|p| p.length_seconds == r.period_seconds)
        .map(|p| p.cpu_utilization[i].expect("instance running"))
        .collect();
    assert!(!xs.is_empty(), "no period in [{from}, {to}) s");
    xs.iter().sum::<f64>() / xs.len() as f64
}

/// The result of instance `id`.
pub fn instance_result<'a>(r: &'a RunResult, id: &str) -> &'a albsim::recorder::InstanceResult {
    r.instances
        .iter()
        .find(|i| i.id == id)
        .unwrap_or_else(|| panic!("no instance {id}"))
}

/// Capacity of group `a` (model order) at the end of every period, as (period end [s], row).
pub fn capacity_rows(r: &RunResult, a: usize) -> Vec<(f64, albsim::recorder::GroupCapacity)> {
    r.periods
        .iter()
        .map(|p| (p.start_seconds + p.length_seconds, p.groups[a]))
        .collect()
}

/// Group `a`'s capacity at the end of the period that ends at `end` [s].
pub fn capacity_at(r: &RunResult, a: usize, end: f64) -> albsim::recorder::GroupCapacity {
    capacity_rows(r, a)
        .into_iter()
        .find(|(e, _)| (e - end).abs() < TIME_TOL)
        .unwrap_or_else(|| panic!("no period ends at {end} s"))
        .1
}

/// Alarm `name` at the end of every period, as (period end [s], state, latest datapoint).
pub fn alarm_rows(r: &RunResult, name: &str) -> Vec<(f64, i32, Option<f64>)> {
    let (k, _) = r.alarm(name).unwrap_or_else(|| {
        let names: Vec<&str> = r.alarms.iter().map(|a| a.name.as_str()).collect();
        panic!("no alarm {name} in {names:?}")
    });
    r.periods
        .iter()
        .map(|p| {
            let a = p.alarms[k];
            (p.start_seconds + p.length_seconds, a.state, a.value)
        })
        .collect()
}

/// End [s] of the first period at whose end alarm `name` is in ALARM (state 1).
pub fn first_alarm(r: &RunResult, name: &str) -> Option<f64> {
    alarm_rows(r, name)
        .into_iter()
        .find(|&(_, s, _)| s == 1)
        .map(|(t, _, _)| t)
}

/// The two alarms a target tracking policy `policy` of group `group` creates (high, low).
pub fn tt_alarms(group: &str, policy: &str) -> (String, String) {
    (
        format!("TargetTracking-{group}-AlarmHigh-{policy}"),
        format!("TargetTracking-{group}-AlarmLow-{policy}"),
    )
}
