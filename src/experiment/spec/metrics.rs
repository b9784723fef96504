//! What an experiment collects and reports: metrics (summary paths or expressions), objectives
//! (best points) and plots.

use super::names::{Taken, check_identifier, name_of_path};
use super::raw::{RawExperiment, RawMetric};
use crate::experiment::expr::{Expr, Val};
use crate::experiment::metric::SummaryPath;
use crate::experiment::{Metric, MetricSource, Objective, Parameter, PlotSpec};
use crate::scenario::path::JsonPath;
use crate::scenario::{FieldError, shape};
use serde_json::Value;

/// The metrics of the file; their problems are added to `errors`.
pub(super) fn metrics(
    raw: &[Value],
    parameters: &[Parameter],
    taken: &mut Taken,
    errors: &mut Vec<FieldError>,
) -> Vec<Metric> {
    let at = JsonPath::root().key("metrics");
    if raw.is_empty() {
        errors.push(at.error(
            "expected at least one metric (a path into summary.json such as \"latency_ms.p99\")",
        ));
    }
    let mut metrics: Vec<Metric> = Vec::new();
    for (i, value) in raw.iter().enumerate() {
        let m_at = at.index(i);
        let (name, name_at, source) = match value {
            Value::String(path) => match SummaryPath::parse(path) {
                Ok(p) => (name_of_path(path), m_at.clone(), MetricSource::Summary(p)),
                Err(m) => {
                    errors.push(m_at.error(format!("expected a path into summary.json: {m}")));
                    continue;
                }
            },
            Value::Object(_) => {
                let raw = match shape::check::<RawMetric>(value) {
                    Ok(raw) => raw,
                    Err(e) => {
                        errors.extend(e.errors.into_iter().map(|f| inside(&m_at, f)));
                        continue;
                    }
                };
                match object_source(&raw, &m_at, parameters, &metrics) {
                    Ok(source) => (raw.name.clone(), m_at.key("name"), source),
                    Err(e) => {
                        errors.push(e);
                        continue;
                    }
                }
            }
            other => {
                errors.push(m_at.error(format!(
                    "expected a path into summary.json (text, e.g. \"latency_ms.p99\") or an object {{\"name\", \"path\"}} or {{\"name\", \"expression\"}}, got {}",
                    kind_of(other)
                )));
                continue;
            }
        };
        if let Err(e) =
            check_identifier(&name, &name_at, "a metric").and_then(|()| taken.take(&name, &name_at))
        {
            errors.push(e);
        }
        metrics.push(Metric { name, source });
    }
    metrics
}

/// A shape error inside an element at `at`, with its path made whole.
fn inside(at: &JsonPath, f: FieldError) -> FieldError {
    let path = if f.path.is_empty() || f.path == "(top level)" {
        at.to_string()
    } else if f.path.starts_with('[') {
        format!("{at}{}", f.path)
    } else {
        format!("{at}.{}", f.path)
    };
    FieldError { path, ..f }
}

fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "true or false",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

fn object_source(
    raw: &RawMetric,
    at: &JsonPath,
    parameters: &[Parameter],
    earlier: &[Metric],
) -> Result<MetricSource, FieldError> {
    match (&raw.path, &raw.expression) {
        (Some(path), None) => SummaryPath::parse(path)
            .map(MetricSource::Summary)
            .map_err(|m| at.key("path").error(format!("expected a path into summary.json: {m}"))),
        (None, Some(text)) => {
            let e_at = at.key("expression");
            let expr = Expr::parse(text).map_err(|m| e_at.error(m))?;
            let mut known: Vec<&str> = parameters.iter().map(|p| p.name.as_str()).collect();
            known.extend(earlier.iter().map(|m| m.name.as_str()));
            check_variables(&expr, &known, &e_at, "parameters and the metrics before this one")?;
            Ok(MetricSource::Expression(expr))
        }
        (got_path, _) => Err(at.error(format!(
            "expected exactly one of \"path\" (into summary.json) or \"expression\" (over parameters and earlier metrics), got {}",
            if got_path.is_some() { "both" } else { "neither" }
        ))),
    }
}

/// Checks that every variable of `expr` is one of `known` (`what` says what they are).
fn check_variables(
    expr: &Expr,
    known: &[&str],
    at: &JsonPath,
    what: &str,
) -> Result<(), FieldError> {
    match expr.variables().into_iter().find(|v| !known.contains(v)) {
        Some(name) => Err(at.error(format!(
            "unknown name '{name}'; known: {} ({what})",
            known.join(", ")
        ))),
        None => Ok(()),
    }
}

/// The objectives of the file.
/// An error if `e` gives a number or text rather than true or false: evaluated with every
/// metric at 1 and every parameter at its first level (an evaluation error there proves nothing
/// either way, and is left to the runs).
fn check_is_condition(e: &Expr, parameters: &[Parameter], at: &JsonPath) -> Result<(), FieldError> {
    let var = |name: &str| -> Option<Val> {
        match parameters.iter().find(|p| p.name == name) {
            Some(p) => {
                let level = p.levels.first()?;
                Some(match level.value.as_f64() {
                    Some(x) if p.numeric => Val::Number(x),
                    _ => Val::Text(level.label.clone()),
                })
            }
            None => Some(Val::Number(1.0)),
        }
    };
    match e.eval(&var) {
        Ok(Val::Bool(_)) | Err(_) => Ok(()),
        Ok(other) => Err(at.error(format!(
            "expected a condition that is true or false (e.g. p99_ms <= 200), got {}",
            other.kind()
        ))),
    }
}

pub(super) fn objectives(
    raw: &RawExperiment,
    parameters: &[Parameter],
    metrics: &[Metric],
    errors: &mut Vec<FieldError>,
) -> Vec<Objective> {
    let at = JsonPath::root().key("objectives");
    let mut known: Vec<&str> = parameters.iter().map(|p| p.name.as_str()).collect();
    known.extend(metrics.iter().map(|m| m.name.as_str()));
    let mut out = Vec::new();
    for (i, o) in raw.objectives.iter().flatten().enumerate() {
        let o_at = at.index(i);
        let (rank_by, minimise, rank_at) = match (&o.minimise, &o.maximise) {
            (Some(r), None) => (r, true, o_at.key("minimise")),
            (None, Some(r)) => (r, false, o_at.key("maximise")),
            (r, _) => {
                errors.push(o_at.error(format!(
                    "expected exactly one of \"minimise\" or \"maximise\" (a metric or numeric parameter), got {}",
                    if r.is_some() { "both" } else { "neither" }
                )));
                continue;
            }
        };
        let is_metric = metrics.iter().any(|m| &m.name == rank_by);
        match parameters.iter().find(|p| &p.name == rank_by) {
            Some(p) if !p.numeric => errors.push(rank_at.error(format!(
                "the parameter {rank_by:?} is not numeric: rank by a metric or a numeric parameter"
            ))),
            Some(_) => {}
            None if is_metric => {}
            None => errors.push(rank_at.error(format!(
                "unknown name '{rank_by}'; known: {} (metrics and numeric parameters)",
                known.join(", ")
            ))),
        }
        let subject_to = match &o.subject_to {
            Some(text) => {
                let s_at = o_at.key("subject_to");
                match Expr::parse(text).map_err(|m| s_at.error(m)).and_then(|e| {
                    check_variables(&e, &known, &s_at, "parameters and metrics")?;
                    check_is_condition(&e, parameters, &s_at)?;
                    Ok(e)
                }) {
                    Ok(e) => Some(e),
                    Err(e) => {
                        errors.push(e);
                        None
                    }
                }
            }
            None => None,
        };
        if let Some(f) = &o.for_each {
            if !parameters.iter().any(|p| &p.name == f) {
                let names: Vec<&str> = parameters.iter().map(|p| p.name.as_str()).collect();
                errors.push(o_at.key("for_each").error(format!(
                    "unknown parameter '{f}'; known: {}",
                    names.join(", ")
                )));
            }
        }
        out.push(Objective {
            name: o.name.clone(),
            rank_by: rank_by.clone(),
            minimise,
            subject_to,
            for_each: o.for_each.clone(),
        });
    }
    out
}

/// What the plots show: the file's `plots`, with defaults (x: the first numeric parameter;
/// lines: the first other parameter; capacity: every point if at most 4, else the first, the
/// last and two evenly between).
pub(super) fn plots(
    raw: &RawExperiment,
    parameters: &[Parameter],
    point_count: usize,
    errors: &mut Vec<FieldError>,
) -> PlotSpec {
    let at = JsonPath::root().key("plots");
    let given = raw.plots.as_ref();
    let find = |name: &str, key: &str, errors: &mut Vec<FieldError>| {
        let found = parameters.iter().position(|p| p.name == name);
        if found.is_none() {
            let names: Vec<&str> = parameters.iter().map(|p| p.name.as_str()).collect();
            errors.push(at.key(key).error(format!(
                "unknown parameter '{name}'; known: {}",
                names.join(", ")
            )));
        }
        found
    };
    let x = match given.and_then(|p| p.x.as_deref()) {
        Some(name) => find(name, "x", errors).filter(|&k| {
            let numeric = parameters[k].numeric;
            if !numeric {
                errors.push(at.key("x").error(format!(
                    "the parameter {name:?} is not numeric (its levels are not all numbers): the x axis needs a numeric parameter"
                )));
            }
            numeric
        }),
        None => parameters.iter().position(|p| p.numeric),
    };
    let lines = match given.and_then(|p| p.lines.as_deref()) {
        Some(name) => find(name, "lines", errors).filter(|&k| {
            let same = Some(k) == x;
            if same {
                errors.push(at.key("lines").error(format!(
                    "{name:?} is already the x axis: lines need another parameter"
                )));
            }
            !same
        }),
        None => x.and_then(|x| (0..parameters.len()).find(|&k| k != x)),
    };
    let capacity_points = match given.and_then(|p| p.capacity_points.clone()) {
        Some(points) => {
            for (j, &p) in points.iter().enumerate() {
                if p >= point_count {
                    errors.push(at.key("capacity_points").index(j).error(format!(
                        "expected a point index 0–{}, got {p}",
                        point_count - 1
                    )));
                }
            }
            points
        }
        None => default_capacity_points(point_count),
    };
    PlotSpec {
        x,
        lines,
        capacity_points,
    }
}

/// Every point if there are at most 4, else the first, the last and two evenly between.
fn default_capacity_points(n: usize) -> Vec<usize> {
    if n <= 4 {
        return (0..n).collect();
    }
    let last = n - 1;
    let mut points = vec![0, (last + 1) / 3, (2 * last + 1) / 3, last];
    points.dedup();
    points
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capacity_points_default_to_four_spread_out() {
        assert_eq!(default_capacity_points(3), vec![0, 1, 2]);
        assert_eq!(default_capacity_points(4), vec![0, 1, 2, 3]);
        assert_eq!(default_capacity_points(10), vec![0, 3, 6, 9]);
        assert_eq!(default_capacity_points(5), vec![0, 1, 3, 4]);
    }
}
