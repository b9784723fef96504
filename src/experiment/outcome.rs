//! A run's outcome from its cached record: each metric's value, its capacity over time.

use super::cache::RunRecord;
use super::expr::Val;
use super::{Experiment, MetricSource, RunId, RunOutcome};

/// The outcome of run `run` of `exp`, from its record.
pub fn of(exp: &Experiment, run: RunId, record: &RunRecord) -> RunOutcome {
    let point = &exp.points[run.point];
    let mut values: Vec<Option<f64>> = Vec::with_capacity(exp.metrics.len());
    for metric in &exp.metrics {
        let value = match &metric.source {
            MetricSource::Summary(path) => path.read(&record.summary),
            MetricSource::Expression(e) => {
                let var = |name: &str| -> Option<Val> {
                    if let Some(k) = exp.parameters.iter().position(|p| p.name == name) {
                        let level = &exp.parameters[k].levels[point.levels[k]];
                        return Some(match level.value.as_f64() {
                            Some(x) if exp.parameters[k].numeric => Val::Number(x),
                            _ => Val::Text(level.label.clone()),
                        });
                    }
                    let m = exp.metrics.iter().position(|m| m.name == name)?;
                    values.get(m).copied().flatten().map(Val::Number)
                };
                match e.eval(&var) {
                    Ok(Val::Number(x)) if x.is_finite() => Some(x),
                    // A metric of the expression is null in this run (or it is not a number:
                    // the experiment's checks refuse that before anything runs).
                    _ => None,
                }
            }
        };
        values.push(value);
    }
    RunOutcome {
        run,
        seed: record.seed,
        metrics: values,
        capacity: record.capacity.clone(),
    }
}
