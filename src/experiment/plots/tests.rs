//! The plots of hand-made sweeps: which files, which lines, and SVGs to look at.

use serde_json::json;

use super::capacity::capacity_lines;
use super::lines::{key_parameters, lines};
use super::render;
use crate::experiment::summary::{Summary, SweepResults};
use crate::experiment::test_support::{experiment, fleet, parameter, summary_metric};
use crate::experiment::{Capacity, Experiment, Point, RunOutcome};

fn summary<'a>(e: &'a Experiment, runs: &'a [RunOutcome]) -> Summary<'a> {
    Summary::of(&SweepResults {
        experiment: e,
        runs,
    })
    .expect("summary")
}

/// rate (log range 10 … 1000) × instances 1 … 4 × policy (two cases), five replications: a
/// latency "hockey stick" p99 = 20 / (1 − ρ) ms with ρ = rate / (300 · instances), noisy by
/// replication, missing past saturation; capacity over an hour for points 0 and 5.
pub(super) fn hockey_stick() -> (Experiment, Vec<RunOutcome>) {
    let rates = [10.0, 31.6227766017, 100.0, 316.227766017, 1000.0];
    let mut e = experiment(
        vec![
            parameter("rate", &rates.map(|r| json!(r))),
            parameter("instances", &[json!(1), json!(2), json!(3), json!(4)]),
            parameter("policy", &[json!("target tracking"), json!("simple 300 s")]),
        ],
        vec![
            summary_metric("p99_ms", "latency_ms.p99"),
            summary_metric("cost", "cost.total"),
        ],
        5,
    );
    e.plots.capacity_points = vec![0, 5, 40];
    let runs = e
        .runs()
        .map(|run| {
            let p = &e.points[run.point];
            let rate = rates[p.levels[0]];
            let instances = (p.levels[1] + 1) as f64;
            let rho = rate / (300.0 * instances);
            let noise = 1.0 + 0.06 * (f64::from(run.replication) - 2.0);
            let p99 =
                (rho < 0.97).then(|| 20.0 / (1.0 - rho) * noise * (1.0 + 0.1 * p.levels[2] as f64));
            let cost = instances * 0.085 * noise;
            let capacity: Vec<u32> = (0..60)
                .map(|minute| {
                    let base = p.levels[1] as u32 + 1;
                    if (10..30 + 2 * run.replication).contains(&minute) {
                        base + 2
                    } else {
                        base
                    }
                })
                .collect();
            RunOutcome {
                run,
                seed: e.seed_of(run),
                metrics: vec![p99, Some(cost)],
                capacity: Capacity {
                    period_seconds: 60.0,
                    groups: vec![("web-asg".into(), capacity)],
                },
            }
        })
        .collect();
    (e, runs)
}

fn names(files: &[(String, Vec<u8>)]) -> Vec<&str> {
    files.iter().map(|(n, _)| n.as_str()).collect()
}

#[test]
fn three_parameters_give_curves_and_capacity_but_no_heat_map() {
    let (e, runs) = hockey_stick();
    let files = render(&summary(&e, &runs)).expect("render");
    assert_eq!(
        names(&files),
        ["plot-p99_ms.svg", "plot-cost.svg", "capacity.svg"]
    );
    let svg = std::str::from_utf8(&files[0].1).expect("utf-8");
    assert!(svg.contains("rate (log scale)"), "log x axis named");
    assert!(svg.contains("p99_ms [ms]"));
    assert!(svg.contains("instances=1, policy=target tracking"));
    assert!(
        std::str::from_utf8(&files[1].1)
            .expect("utf-8")
            .contains("cost [USD]")
    );
    assert_eq!(files, render(&summary(&e, &runs)).expect("render"));
}

#[test]
fn lines_are_the_other_parameters_levels_lines_parameter_first() {
    let (e, runs) = hockey_stick();
    let s = summary(&e, &runs);
    assert_eq!(key_parameters(&s, 0, Some(1)), [1, 2]);
    assert_eq!(key_parameters(&s, 0, Some(2)), [2, 1]);
    let all = lines(&s, 0, Some(1), 0);
    assert_eq!(all.len(), 8);
    assert_eq!(all[0].label, "instances=1, policy=target tracking");
    assert_eq!(all[1].label, "instances=1, policy=simple 300 s");
    assert_eq!(all[7].label, "instances=4, policy=simple 300 s");
    // x by increasing rate; the mean of 0.88, 0.94, 1, 1.06, 1.12 times the value is the value.
    let xs: Vec<f64> = all[0].points.iter().map(|(x, _)| *x).collect();
    assert_eq!(xs, [10.0, 31.6227766017, 100.0, 316.227766017, 1000.0]);
    let mean = all[0].points[0].1.mean.expect("mean");
    assert!((mean - 20.0 / (1.0 - 10.0 / 300.0)).abs() < 1e-9, "{mean}");
    // Saturated (ρ ≥ 0.97): no value, a gap in the line.
    assert_eq!(all[0].points[3].1.mean, None);
}

#[test]
fn a_lockstep_partner_of_x_does_not_split_lines() {
    // rate and instances in lockstep: (100, 1), (200, 2), (400, 4).
    let mut e = experiment(
        vec![
            parameter("rate", &[json!(100), json!(200), json!(400)]),
            parameter("instances", &[json!(1), json!(2), json!(4)]),
        ],
        vec![summary_metric("p99_ms", "latency_ms.p99")],
        1,
    );
    e.points = (0..3)
        .map(|i| Point {
            index: i,
            levels: vec![i, i],
        })
        .collect();
    let runs = crate::experiment::test_support::runs(
        &e,
        &[&[&[Some(1.0)]], &[&[Some(2.0)]], &[&[Some(3.0)]]],
    );
    let s = summary(&e, &runs);
    assert!(key_parameters(&s, 0, Some(1)).is_empty());
    let all = lines(&s, 0, Some(1), 0);
    assert_eq!(all.len(), 1);
    assert_eq!(all[0].label, "p99_ms");
    assert_eq!(all[0].points.len(), 3);
}

#[test]
fn more_than_twelve_lines_are_cut_and_said() {
    let e = experiment(
        vec![
            parameter("rate", &[json!(1), json!(2)]),
            parameter("k", &(0..15).map(|k| json!(k)).collect::<Vec<_>>()),
        ],
        vec![summary_metric("p99_ms", "latency_ms.p99")],
        1,
    );
    let values: Vec<[Option<f64>; 1]> = (0..30).map(|i| [Some(f64::from(i))]).collect();
    let per_point: Vec<[&[Option<f64>]; 1]> = values.iter().map(|v| [&v[..]]).collect();
    let refs: Vec<&[&[Option<f64>]]> = per_point.iter().map(|p| &p[..]).collect();
    let runs = crate::experiment::test_support::runs(&e, &refs);
    let files = render(&summary(&e, &runs)).expect("render");
    assert_eq!(names(&files), ["plot-p99_ms.svg", "heatmap-p99_ms.svg"]);
    let svg = std::str::from_utf8(&files[0].1).expect("utf-8");
    assert!(svg.contains("first 12 of 15 lines drawn"), "{svg}");
    assert!(svg.contains("+3 lines not drawn"));
    assert!(svg.contains("k=11") && !svg.contains("k=12"));
}

#[test]
fn no_curve_without_a_numeric_parameter() {
    let mut e = experiment(
        vec![parameter("policy", &[json!("a"), json!("b")])],
        vec![summary_metric("p99_ms", "latency_ms.p99")],
        2,
    );
    e.plots.x = None;
    let runs = crate::experiment::test_support::runs(
        &e,
        &[&[&[Some(1.0), Some(2.0)]], &[&[Some(3.0), None]]],
    );
    assert!(render(&summary(&e, &runs)).expect("render").is_empty());
}

#[test]
fn capacity_is_the_mean_and_range_across_replications() {
    let (e, runs) = hockey_stick();
    let s = summary(&e, &runs);
    let all = capacity_lines(&s);
    // Point 40 does not exist (40 points: 0 … 39): left out. Both at rate 10: labelled by
    // what tells them apart.
    assert_eq!(all.len(), 2);
    assert_eq!(all[0].label, "point 0: instances=1, policy=target tracking");
    assert_eq!(all[1].label, "point 5: instances=3, policy=simple 300 s");
    // Point 0 (one instance): 3 from minute 10 to 29 + 2r in replication r.
    assert_eq!(all[0].periods[0], Some((1.0, 1.0, 1.0)));
    assert_eq!(all[0].periods[10], Some((3.0, 3.0, 3.0)));
    // Minute 31: replications 1…4 still at 3 (their ends are 32, 34, 36, 38), replication 0 at 1.
    assert_eq!(
        all[0].periods[31],
        Some(((1.0 + 4.0 * 3.0) / 5.0, 1.0, 3.0))
    );
    assert_eq!(all[0].periods.len(), 60);
}

#[test]
fn the_fleet_heat_map_writes_each_mean() {
    let (e, runs) = fleet();
    let files = render(&summary(&e, &runs)).expect("render");
    let heat = std::str::from_utf8(&files[1].1).expect("utf-8");
    // rate across, instances up; the means to three digits, "–" for the point without p99.
    for text in ["12.0", "5.00", "200", "–"] {
        assert!(
            heat.contains(&format!(">{text}<")) || heat.contains(&format!("\n{text}\n")),
            "{text}"
        );
    }
}

#[test]
fn degenerate_sweeps_draw_without_panicking() {
    let one = experiment(
        vec![parameter("rate", &[json!(5)])],
        vec![summary_metric("p99_ms", "latency_ms.p99")],
        1,
    );
    let cases: Vec<(Experiment, Vec<Option<f64>>)> = vec![
        (one.clone(), vec![Some(3.0)]),
        (one.clone(), vec![Some(-1e300)]),
        (one, vec![Some(f64::INFINITY)]),
    ];
    for (e, values) in cases {
        let per: Vec<[&[Option<f64>]; 1]> =
            values.iter().map(|v| [std::slice::from_ref(v)]).collect();
        let refs: Vec<&[&[Option<f64>]]> = per.iter().map(|p| &p[..]).collect();
        let runs = crate::experiment::test_support::runs(&e, &refs);
        let files = render(&summary(&e, &runs)).expect("render");
        let finite = values[0].is_some_and(f64::is_finite);
        assert_eq!(files.len(), usize::from(finite), "{values:?}");
        for (_, svg) in files {
            let svg = String::from_utf8(svg).expect("utf-8");
            assert!(svg.starts_with("<svg") && !svg.contains("NaN"));
        }
    }
    // A filtered two-parameter grid (no point at rate 200, instances 2): a blank cell.
    let (mut e, mut runs) = fleet();
    e.points.pop();
    runs.retain(|r| r.run.point < 3);
    let files = render(&summary(&e, &runs)).expect("render");
    assert_eq!(files.len(), 4);
}

/// Writes the example plots to `target/sweep-plots/` for eyeballing.
#[test]
#[ignore = "writes files; run manually to look at the output"]
fn write_examples() {
    let dir = std::path::Path::new("target/sweep-plots");
    std::fs::create_dir_all(dir).expect("folder");
    for (e, runs) in [hockey_stick(), fleet()] {
        for (name, svg) in render(&summary(&e, &runs)).expect("render") {
            std::fs::write(dir.join(format!("{}-{name}", e.points.len())), svg).expect("write");
        }
    }
}
