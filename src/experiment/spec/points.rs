//! Every point's model, checked before anything runs: the model read with the point's overrides
//! (replication 0's seed), and each summary metric's path against the scenario.

use super::{ExperimentError, errors_word};
use crate::experiment::{Experiment, MetricSource, RunId};
use crate::scenario;
use rayon::prelude::*;

/// The most problem lines listed; beyond them a line says how many more there are.
pub const MAX_LINES: usize = 100;

/// Checks every point of `experiment`; the error lists each distinct problem once (in point
/// order) and how many points have problems.
pub(super) fn check(experiment: &Experiment) -> Result<(), ExperimentError> {
    let per_point: Vec<Vec<String>> = experiment
        .points
        .par_iter()
        .map(|p| point_problems(experiment, p.index))
        .collect();
    let affected = per_point.iter().filter(|lines| !lines.is_empty()).count();
    if affected == 0 {
        return Ok(());
    }
    let mut distinct: Vec<String> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for line in per_point.into_iter().flatten() {
        if seen.insert(line.clone()) {
            distinct.push(line);
        }
    }
    let total = distinct.len();
    let file = experiment.file.display();
    let mut lines: Vec<String> = distinct
        .into_iter()
        .take(MAX_LINES)
        .map(|l| format!("error: {l}"))
        .collect();
    if total > MAX_LINES {
        lines.push(format!(
            "{file}: … and {} more (only the first {MAX_LINES} are shown)",
            total - MAX_LINES
        ));
    }
    lines.push(format!(
        "{file}: {} (in {affected} of {} points)",
        errors_word(total),
        experiment.points.len()
    ));
    Err(ExperimentError {
        lines,
        count: total,
    })
}

/// The problem lines (without `error: `) of point `point`'s model.
fn point_problems(experiment: &Experiment, point: usize) -> Vec<String> {
    let p = &experiment.points[point];
    let variant = &experiment.variants[experiment.variant_of(p)];
    let overrides = experiment.overrides_of(RunId {
        point,
        replication: 0,
    });
    let scenario = match scenario::from_json_with(&variant.text, &variant.file, &overrides) {
        Ok(s) => s,
        Err(e) => return e.lines(),
    };
    experiment
        .metrics
        .iter()
        .enumerate()
        .filter_map(|(i, m)| match &m.source {
            MetricSource::Summary(path) => path
                .check(&scenario)
                .err()
                .map(|e| format!("{}: metrics[{i}]: {e}", experiment.file.display())),
            MetricSource::Expression(_) => None,
        })
        .collect()
}
