//! The tables of a small hand-made sweep, every number derived by hand (see
//! [`test_support::fleet`]).

use super::*;
use crate::experiment::seeds::run_seed;
use crate::experiment::test_support::{experiment, fleet, parameter, runs, summary_metric};
use serde_json::{Value, json};

/// t(0.975; 2) = 0.95 / √(2 · 0.975 · 0.025) and t(0.975; 1) = tan(0.475 π), in closed form.
fn t2() -> f64 {
    0.95 / (2.0f64 * 0.975 * 0.025).sqrt()
}
fn t1() -> f64 {
    (0.475 * std::f64::consts::PI).tan()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * b.abs().max(1.0)
}

fn file<'a>(files: &'a [(String, Vec<u8>)], name: &str) -> &'a str {
    let (_, bytes) = files
        .iter()
        .find(|(n, _)| n == name)
        .unwrap_or_else(|| panic!("no {name}"));
    std::str::from_utf8(bytes).expect("utf-8")
}

fn render_fleet() -> Vec<(String, Vec<u8>)> {
    let (e, runs) = fleet();
    render_all(&SweepResults {
        experiment: &e,
        runs: &runs,
    })
    .expect("render")
}

#[test]
fn files_in_a_fixed_order() {
    let files = render_fleet();
    let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "results.csv",
            "points.csv",
            "sweep.json",
            "results.md",
            "plot-p99_ms.svg",
            "heatmap-p99_ms.svg",
            "plot-errors.svg",
            "heatmap-errors.svg",
        ]
    );
    assert_eq!(files, render_fleet(), "same inputs, same bytes");
}

#[test]
fn results_csv_has_a_row_per_run() {
    let files = render_fleet();
    let csv = file(&files, "results.csv");
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "point,replication,seed,rate,instances,p99_ms,errors"
    );
    assert_eq!(lines.len(), 1 + 12);
    assert_eq!(lines[1], format!("0,0,{},100,1,10,0", run_seed(7, 0, 0)));
    assert_eq!(lines[2], format!("0,1,{},100,1,12,", run_seed(7, 0, 1)));
    assert_eq!(lines[10], format!("3,0,{},200,2,,1", run_seed(7, 3, 0)));
    assert!(csv.ends_with('\n'));
}

#[test]
fn points_csv_has_means_and_intervals() {
    let files = render_fleet();
    let csv = file(&files, "points.csv");
    let rows: Vec<Vec<&str>> = csv.lines().map(|l| l.split(',').collect()).collect();
    assert_eq!(
        rows[0].join(","),
        "point,rate,instances,replications,p99_ms_mean,p99_ms_ci95_low,p99_ms_ci95_high,p99_ms_n,\
         errors_mean,errors_ci95_low,errors_ci95_high,errors_n"
    );
    let num = |row: usize, col: usize| rows[row][col].parse::<f64>().expect("number");
    // Point 0: p99 10, 12, 14: mean 12, s = 2, half = t(2) · 2/√3.
    let half = t2() * 2.0 / 3f64.sqrt();
    assert_eq!(&rows[1][..5], ["0", "100", "1", "3", "12"]);
    assert!(close(num(1, 5), 12.0 - half) && close(num(1, 6), 12.0 + half));
    assert_eq!(rows[1][7], "3");
    // Errors 0, –, 2: n = 2, mean 1, s = √2, half = t(1) · √2/√2 = t(1) = 12.706.
    assert_eq!((rows[1][8], rows[1][11]), ("1", "2"));
    assert!(close(num(1, 9), 1.0 - t1()) && close(num(1, 10), 1.0 + t1()));
    assert!(close(t1(), 12.706_204_736), "{}", t1());
    // Point 1: constant values, an interval of zero width.
    assert_eq!(rows[2][4..].join(","), "5,5,5,3,0,0,0,3");
    // Point 2: 100, 200, 300: s = 100, half = t(2) · 100/√3 = 248.41.
    let half = t2() * 100.0 / 3f64.sqrt();
    assert!(close(num(3, 5), 200.0 - half) && close(num(3, 6), 200.0 + half));
    // Point 3: no p99 at all; errors 1, 1, 4: mean 2, s = √3, half = t(2).
    assert_eq!(rows[4][4..8].join(","), ",,,0");
    assert_eq!(rows[4][8], "2");
    assert!(close(num(4, 9), 2.0 - t2()) && close(num(4, 10), 2.0 + t2()));
}

#[test]
fn sweep_json_holds_the_grid_and_the_data() {
    let files = render_fleet();
    let text = file(&files, "sweep.json");
    assert!(text.starts_with("{\n  \"albsim_version\": "), "{text}");
    assert!(text.ends_with("}\n"));
    let doc: Value = serde_json::from_str(text).expect("json");
    assert_eq!(doc["albsim_version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(doc["experiment"]["name"], "fleet");
    assert_eq!(doc["experiment"]["file"], "experiments/fleet.json");
    assert_eq!(doc["experiment"]["models"][0]["label"], "quickstart");
    assert_eq!(doc["experiment"]["seed"], 7);
    assert_eq!(doc["experiment"]["replications"], 3);
    assert_eq!(doc["parameters"][1]["name"], "instances");
    assert_eq!(
        doc["parameters"][1]["levels"][1],
        json!({"label": "2", "value": 2})
    );
    assert_eq!(
        doc["metrics"][0],
        json!({"name": "p99_ms", "source": "latency_ms.p99", "unit": "ms"})
    );
    let p0 = &doc["points"][0];
    assert_eq!(p0["index"], 0);
    assert_eq!(p0["parameters"]["rate"]["value"], 100);
    assert_eq!(p0["runs"][1]["seed"], run_seed(7, 0, 1));
    assert_eq!(
        p0["runs"][1]["metrics"],
        json!({"p99_ms": 12.0, "errors": null})
    );
    assert_eq!(p0["metrics"]["p99_ms"]["mean"], 12.0);
    assert_eq!(p0["metrics"]["p99_ms"]["std_dev"], 2.0);
    assert_eq!(p0["metrics"]["errors"]["n"], 2);
    let ci = p0["metrics"]["p99_ms"]["ci95"]
        .as_array()
        .expect("interval");
    assert!(close(
        ci[1].as_f64().unwrap_or_default(),
        12.0 + t2() * 2.0 / 3f64.sqrt()
    ));
    assert_eq!(
        doc["points"][3]["metrics"]["p99_ms"],
        json!({"n": 0, "mean": null, "std_dev": null, "ci95": null})
    );
    let best = &doc["objectives"][0];
    assert_eq!(best["goal"], "minimise");
    assert_eq!(best["subject_to"], "p99_ms <= 50");
    assert_eq!(
        best["best"],
        json!([
            {"for_each_level": "100", "point": 0, "value": 1.0},
            {"for_each_level": "200", "point": null, "value": null}
        ])
    );
    assert_eq!(
        doc["objectives"][1]["best"],
        json!([{"point": 2, "value": 20.0}])
    );
}

#[test]
fn markdown_report_reads_for_people() {
    let files = render_fleet();
    let md = file(&files, "results.md");
    assert!(
        md.starts_with("# fleet\n\nHow many instances for p99 ≤ 50 ms?\n"),
        "{md}"
    );
    assert!(
        md.contains("4 points × 3 replications = 12 runs (12 finished)"),
        "{md}"
    );
    assert!(md.contains("| rate | 100, 200 |"), "{md}");
    assert!(md.contains("| p99_ms [ms] | `latency_ms.p99` |"), "{md}");
    assert!(
        md.contains("| point | rate | instances | p99_ms [ms] | errors |"),
        "{md}"
    );
    // 12 ± t(2)·2/√3 = 4.968; 1 ± 12.706 with n = 2; 200 ± 248.4; 2 ± 4.303.
    assert!(
        md.contains("| 0 | 100 | 1 | 12.0 ± 4.97 | 1.00 ± 12.7 (n=2) |"),
        "{md}"
    );
    assert!(md.contains("| 1 | 100 | 2 | 5.00 ± 0 | 0 ± 0 |"), "{md}");
    assert!(
        md.contains("| 2 | 200 | 1 | 200 ± 248 | 20.0 ± 24.8 |"),
        "{md}"
    );
    assert!(md.contains("| 3 | 200 | 2 | – | 2.00 ± 4.30 |"), "{md}");
    assert!(md.contains("### smallest fleet for p99 ≤ 50 ms"), "{md}");
    assert!(
        md.contains("- rate=100: point 0 (rate=100, instances=1): instances = 1\n"),
        "{md}"
    );
    assert!(
        md.contains("- rate=200: no point meets `p99_ms <= 50`\n"),
        "{md}"
    );
    assert!(
        md.contains("- point 2 (rate=200, instances=1): errors = 20.0\n"),
        "{md}"
    );
    assert!(
        md.contains("- [plot-p99_ms.svg](plot-p99_ms.svg)\n"),
        "{md}"
    );
}

#[test]
fn ties_go_to_the_first_point_and_maximise_picks_the_largest() {
    let (mut e, runs) = fleet();
    e.objectives[0].subject_to = None;
    e.objectives[0].for_each = None;
    e.objectives[1].minimise = true;
    let s = Summary::of(&SweepResults {
        experiment: &e,
        runs: &runs,
    })
    .expect("summary");
    let best = objectives::best_points(&s);
    // instances = 1 at points 0 and 2: the first wins.
    assert_eq!(best[0].groups[0].point, Some(0));
    // Smallest errors mean: point 1 (0).
    assert_eq!(best[1].groups[0].point, Some(1));
}

#[test]
fn runs_that_do_not_fit_are_refused() {
    let (e, mut runs) = fleet();
    runs[0].metrics.pop();
    let err = render_all(&SweepResults {
        experiment: &e,
        runs: &runs,
    })
    .unwrap_err();
    assert!(
        err.to_string()
            .contains("1 metric values, the experiment 2 metrics"),
        "{err}"
    );
    let (e, mut runs) = fleet();
    runs[0].run.point = 9;
    assert!(matches!(
        render_all(&SweepResults {
            experiment: &e,
            runs: &runs
        }),
        Err(RenderError::Mismatch(_))
    ));
}

#[test]
fn text_cells_are_quoted_and_a_metric_without_values_has_no_plot() {
    let e = experiment(
        vec![parameter(
            "policy",
            &[json!("target, 50%"), json!("say \"hi\"")],
        )],
        vec![summary_metric("p99_ms", "latency_ms.p99")],
        1,
    );
    let runs = runs(&e, &[&[&[None]], &[&[None]]]);
    let files = render_all(&SweepResults {
        experiment: &e,
        runs: &runs,
    })
    .expect("render");
    let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        ["results.csv", "points.csv", "sweep.json", "results.md"]
    );
    let csv = file(&files, "results.csv");
    assert!(csv.contains(",\"target, 50%\",\n"), "{csv}");
    assert!(csv.contains(",\"say \"\"hi\"\"\",\n"), "{csv}");
    assert!(file(&files, "results.md").contains("No plots: no metric has a value."));
}

#[test]
fn run_order_does_not_change_a_byte() {
    // Runs collected from shards arrive in any order: the tables are the same.
    let (e, runs) = fleet();
    let mut shuffled = runs.clone();
    shuffled.reverse();
    shuffled.swap(0, 5);
    let a = render_all(&SweepResults {
        experiment: &e,
        runs: &runs,
    })
    .expect("render");
    let b = render_all(&SweepResults {
        experiment: &e,
        runs: &shuffled,
    })
    .expect("render");
    assert_eq!(a, b);
}

/// Writes the fleet's tables to `target/sweep-tables/` for reading.
#[test]
#[ignore = "writes files; run manually to look at the output"]
fn write_example() {
    let dir = std::path::Path::new("target/sweep-tables");
    std::fs::create_dir_all(dir).expect("folder");
    for (name, bytes) in render_fleet() {
        std::fs::write(dir.join(name), bytes).expect("write");
    }
}

#[test]
fn a_grid_at_the_run_limit_renders() {
    // 100 × 100 points, one replication: the 10,000 runs `--yes` allows without asking.
    let levels: Vec<Value> = (1..=100).map(|k| json!(k)).collect();
    let e = experiment(
        vec![parameter("a", &levels), parameter("b", &levels)],
        vec![summary_metric("p99_ms", "latency_ms.p99")],
        1,
    );
    let values: Vec<[Option<f64>; 1]> = (0..10_000).map(|i| [Some(f64::from(i % 97))]).collect();
    let per: Vec<[&[Option<f64>]; 1]> = values.iter().map(|v| [&v[..]]).collect();
    let refs: Vec<&[&[Option<f64>]]> = per.iter().map(|p| &p[..]).collect();
    let runs = runs(&e, &refs);
    let started = std::time::Instant::now();
    let files = render_all(&SweepResults {
        experiment: &e,
        runs: &runs,
    })
    .expect("render");
    eprintln!("10,000 runs rendered in {:?}", started.elapsed());
    let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names[4..], ["plot-p99_ms.svg", "heatmap-p99_ms.svg"]);
    assert_eq!(file(&files, "points.csv").lines().count(), 10_001);
    // 100 lines of which 12 are drawn; the heat map's cells too small for text.
    let plot = file(&files, "plot-p99_ms.svg");
    assert!(plot.contains("first 12 of 100 lines drawn"));
    let heat = file(&files, "heatmap-p99_ms.svg");
    assert!(heat.len() < 3_000_000, "{} bytes", heat.len());
    if std::env::var_os("ALBSIM_WRITE_EXAMPLES").is_some() {
        std::fs::write("target/heatmap-100x100.svg", heat).expect("write");
    }
}
