//! A small experiment built by hand, with runs whose every number the tests derive by hand.

use std::path::PathBuf;

use serde_json::{Value, json};

use crate::experiment::expr::Expr;
use crate::experiment::metric::SummaryPath;
use crate::experiment::{
    Capacity, Experiment, Level, Metric, MetricSource, Objective, Parameter, PlotSpec, Point,
    RunId, RunOutcome, Variant,
};

pub(crate) fn level(value: Value) -> Level {
    // The experiment file's rule: a number as Rust `{}` of the f64, integers without `.0`.
    let label = match &value {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.as_f64().map(|v| v.to_string()).unwrap_or_default(),
        other => other.to_string(),
    };
    Level {
        label,
        value,
        overrides: Vec::new(),
        variant: None,
    }
}

pub(crate) fn parameter(name: &str, values: &[Value]) -> Parameter {
    Parameter {
        name: name.into(),
        levels: values.iter().cloned().map(level).collect(),
        numeric: values.iter().all(Value::is_number),
    }
}

pub(crate) fn summary_metric(name: &str, path: &str) -> Metric {
    Metric {
        name: name.into(),
        source: MetricSource::Summary(SummaryPath::parse(path).expect("metric path")),
    }
}

/// Every combination of the parameters' levels, the first outermost.
pub(crate) fn full_grid(parameters: &[Parameter]) -> Vec<Point> {
    let mut grid: Vec<Vec<usize>> = vec![Vec::new()];
    for p in parameters {
        grid = grid
            .into_iter()
            .flat_map(|prefix| {
                (0..p.levels.len()).map(move |l| {
                    let mut next = prefix.clone();
                    next.push(l);
                    next
                })
            })
            .collect();
    }
    grid.into_iter()
        .enumerate()
        .map(|(index, levels)| Point { index, levels })
        .collect()
}

/// An experiment with these parameters and metrics, the full grid, one model.
pub(crate) fn experiment(
    parameters: Vec<Parameter>,
    metrics: Vec<Metric>,
    replications: u32,
) -> Experiment {
    Experiment {
        file: PathBuf::from("experiments/fleet.json"),
        name: "fleet".into(),
        description: Some("How many instances for p99 ≤ 50 ms?".into()),
        seed: 7,
        replications,
        variants: vec![Variant {
            label: "quickstart".into(),
            file: PathBuf::from("experiments/../models/quickstart.json"),
            text: String::new(),
            overrides: Vec::new(),
        }],
        fixed: Vec::new(),
        points: full_grid(&parameters),
        parameters,
        metrics,
        objectives: Vec::new(),
        plots: PlotSpec {
            x: Some(0),
            lines: Some(1),
            capacity_points: Vec::new(),
        },
    }
}

/// The runs of `e` with these metric values, point by point then replication by replication.
pub(crate) fn runs(e: &Experiment, values: &[&[&[Option<f64>]]]) -> Vec<RunOutcome> {
    e.runs()
        .map(|run: RunId| RunOutcome {
            run,
            seed: e.seed_of(run),
            metrics: values[run.point]
                .iter()
                .map(|per_rep| per_rep[run.replication as usize])
                .collect(),
            capacity: Capacity::default(),
        })
        .collect()
}

/// rate × instances (100, 200 × 1, 2), three replications, `p99_ms` and `errors`:
///
/// | point | rate | instances | p99_ms | errors |
/// | --- | --- | --- | --- | --- |
/// | 0 | 100 | 1 | 10, 12, 14 | 0, –, 2 |
/// | 1 | 100 | 2 | 5, 5, 5 | 0, 0, 0 |
/// | 2 | 200 | 1 | 100, 200, 300 | 10, 20, 30 |
/// | 3 | 200 | 2 | –, –, – | 1, 1, 4 |
pub(crate) fn fleet() -> (Experiment, Vec<RunOutcome>) {
    let mut e = experiment(
        vec![
            parameter("rate", &[json!(100), json!(200)]),
            parameter("instances", &[json!(1), json!(2)]),
        ],
        vec![
            summary_metric("p99_ms", "latency_ms.p99"),
            summary_metric("errors", "requests.by_status.502"),
        ],
        3,
    );
    e.objectives = vec![
        Objective {
            name: "smallest fleet for p99 ≤ 50 ms".into(),
            rank_by: "instances".into(),
            minimise: true,
            subject_to: Some(Expr::parse("p99_ms <= 50").expect("condition")),
            for_each: Some("rate".into()),
        },
        Objective {
            name: "most errors".into(),
            rank_by: "errors".into(),
            minimise: false,
            subject_to: None,
            for_each: None,
        },
    ];
    let s = Some;
    let runs = runs(
        &e,
        &[
            &[&[s(10.0), s(12.0), s(14.0)], &[s(0.0), None, s(2.0)]],
            &[&[s(5.0), s(5.0), s(5.0)], &[s(0.0), s(0.0), s(0.0)]],
            &[
                &[s(100.0), s(200.0), s(300.0)],
                &[s(10.0), s(20.0), s(30.0)],
            ],
            &[&[None, None, None], &[s(1.0), s(1.0), s(4.0)]],
        ],
    );
    (e, runs)
}
