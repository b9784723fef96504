//! The raw experiment into an [`Experiment`]: names, models, `set`, parameters, lockstep
//! groups, the grid and its constraint, metrics, objectives, plots. Every problem is collected.

use super::models::{model_parameter, variants};
use super::names::{Taken, check_identifier};
use super::raw::RawExperiment;
use super::sets::overrides_of_set;
use super::{metrics, parameters};
use crate::experiment::expr::{Expr, Val};
use crate::experiment::grid::{self, MAX_POINTS};
use crate::experiment::{Experiment, Level, Parameter, PlotSpec, Point};
use crate::scenario::path::JsonPath;
use crate::scenario::{FieldError, ModelError, names};
use std::path::Path;

/// The most replications a point may have.
pub const MAX_REPLICATIONS: u32 = 1000;

/// Resolves `raw`, read from `file`; model files are read by `read_model`.
pub(super) fn resolve(
    file: &Path,
    raw: &RawExperiment,
    read_model: &dyn Fn(&Path) -> Result<String, ModelError>,
) -> Result<Experiment, Vec<FieldError>> {
    let root = JsonPath::root();
    let mut errors = Vec::new();
    if let Err(e) = names::check_model_name(&raw.name, &root.key("name")) {
        errors.push(FieldError {
            message: e.message.replace("a model name", "an experiment name"),
            ..e
        });
    }
    let replications = raw.replications.unwrap_or(1);
    if !(1..=MAX_REPLICATIONS).contains(&replications) {
        errors.push(root.key("replications").error(format!(
            "expected a whole number 1–{MAX_REPLICATIONS} (runs per point, each with its own seed), got {replications}"
        )));
    }
    let variants = variants(file, raw, read_model, &mut errors);
    let fixed = match &raw.set {
        Some(map) => overrides_of_set(file, map, &root.key("set"), &mut errors).0,
        None => Vec::new(),
    };

    let mut taken = Taken::default();
    let mut parameters: Vec<Parameter> = Vec::new();
    if raw.models.is_some() {
        let _ = taken.take("model", &root.key("models"));
        parameters.push(model_parameter(&variants));
    }
    let mut all_paths: Vec<(String, crate::scenario::overrides::OverridePath, JsonPath)> =
        Vec::new();
    let mut parameters_ok = variants.len() == raw.models.as_ref().map_or(1, Vec::len);
    if raw.parameters.is_empty() {
        errors.push(root.key("parameters").error(
            "expected at least one parameter (an experiment sweeps something; to run one model once, use albsim run)",
        ));
        parameters_ok = false;
    }
    for (i, rp) in raw.parameters.iter().enumerate() {
        let at = root.key("parameters").index(i);
        let name_at = at.key("name");
        let name_ok = check_identifier(&rp.name, &name_at, "a parameter")
            .and_then(|()| taken.take(&rp.name, &name_at));
        if let Err(e) = name_ok {
            errors.push(e);
        }
        match parameters::resolve(file, rp, &at, &mut errors) {
            Some(resolved) => {
                for (path, path_at) in resolved.paths {
                    if let Some((other, _, _)) = all_paths
                        .iter()
                        .find(|(n, p, _)| *n != rp.name && super::sets::overlap(p, &path))
                    {
                        errors.push(path_at.error(format!(
                            "{path} overlaps a path the parameter {other:?} sets: two parameters setting the same place would depend on their order"
                        )));
                    }
                    all_paths.push((rp.name.clone(), path, path_at));
                }
                parameters.push(resolved.parameter);
            }
            None => {
                parameters_ok = false;
                parameters.push(Parameter {
                    name: rp.name.clone(),
                    levels: Vec::new(),
                    numeric: false,
                });
            }
        }
    }
    let groups = lockstep(raw, &parameters, &mut errors);

    let points = if parameters_ok && errors.is_empty() {
        grid_points(raw, &parameters, &groups, &mut errors)
    } else {
        Vec::new()
    };
    let metrics = metrics::metrics(&raw.metrics, &parameters, &mut taken, &mut errors);
    let objectives = metrics::objectives(raw, &parameters, &metrics, &mut errors);
    let plots = if points.is_empty() {
        PlotSpec {
            x: None,
            lines: None,
            capacity_points: Vec::new(),
        }
    } else {
        metrics::plots(raw, &parameters, points.len(), &mut errors)
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Experiment {
        file: file.to_path_buf(),
        name: raw.name.clone(),
        description: raw.description.clone(),
        seed: raw.seed.unwrap_or(1),
        replications,
        variants,
        fixed,
        parameters,
        points,
        metrics,
        objectives,
        plots,
    })
}

/// The variable a parameter's level is in expressions: its number, or its label as text.
pub(super) fn level_value(parameter: &Parameter, level: &Level) -> Val {
    match (parameter.numeric, level.value.as_f64()) {
        (true, Some(x)) => Val::Number(x),
        _ => Val::Text(level.label.clone()),
    }
}

/// The lockstep groups, as parameter indices.
fn lockstep(
    raw: &RawExperiment,
    parameters: &[Parameter],
    errors: &mut Vec<FieldError>,
) -> Vec<Vec<usize>> {
    let at = JsonPath::root().key("lockstep");
    let known: Vec<&str> = parameters.iter().map(|p| p.name.as_str()).collect();
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for (g, names) in raw.lockstep.iter().flatten().enumerate() {
        let group_at = at.index(g);
        if names.len() < 2 {
            errors.push(group_at.error(format!(
                "expected at least two parameter names (they advance together), got {}",
                names.len()
            )));
            continue;
        }
        let mut group = Vec::new();
        for (j, name) in names.iter().enumerate() {
            let name_at = group_at.index(j);
            let Some(p) = known.iter().position(|k| k == name) else {
                errors.push(name_at.error(format!(
                    "unknown parameter {name:?}; known: {}",
                    known.join(", ")
                )));
                continue;
            };
            if group.contains(&p) {
                errors.push(name_at.error(format!("{name:?} is listed twice in this group")));
            } else if let Some(other) = groups.iter().position(|o| o.contains(&p)) {
                errors.push(name_at.error(format!(
                    "{name:?} is already in lockstep[{other}]: a parameter advances with one group at most"
                )));
            } else {
                group.push(p);
            }
        }
        let counts: Vec<usize> = group.iter().map(|&p| parameters[p].levels.len()).collect();
        if counts
            .windows(2)
            .any(|w| w[0] != w[1] && w[0] > 0 && w[1] > 0)
        {
            let each: Vec<String> = group
                .iter()
                .map(|&p| format!("{} has {}", parameters[p].name, parameters[p].levels.len()))
                .collect();
            errors.push(group_at.error(format!(
                "parameters in lockstep need as many levels each (they advance together): {}",
                each.join(", ")
            )));
        }
        groups.push(group);
    }
    groups
}

/// The grid's points: the product of the axes, filtered by the constraint.
fn grid_points(
    raw: &RawExperiment,
    parameters: &[Parameter],
    groups: &[Vec<usize>],
    errors: &mut Vec<FieldError>,
) -> Vec<Point> {
    let root = JsonPath::root();
    let counts: Vec<usize> = parameters.iter().map(|p| p.levels.len()).collect();
    let axes = grid::axes(parameters.len(), groups);
    match grid::point_count(&counts, &axes) {
        Some(n) if n <= MAX_POINTS => {}
        n => {
            let shown = n.map_or("more than 2^64".to_string(), |n| n.to_string());
            errors.push(root.key("parameters").error(format!(
                "the grid has {shown} points, more than the {MAX_POINTS} albsim sweeps: use fewer levels, lockstep groups or a coarser range"
            )));
            return Vec::new();
        }
    }
    let candidates = grid::product(&counts, &axes);
    let all = candidates.len();
    let Some(text) = &raw.constraint else {
        return grid::filter(candidates, |_| Ok(true)).unwrap_or_default();
    };
    let at = root.key("constraint");
    let expr = match Expr::parse(text) {
        Ok(e) => e,
        Err(m) => {
            errors.push(at.error(m));
            return Vec::new();
        }
    };
    let known: Vec<&str> = parameters.iter().map(|p| p.name.as_str()).collect();
    let unknown: Vec<&str> = expr
        .variables()
        .into_iter()
        .filter(|v| !known.contains(v))
        .collect();
    if !unknown.is_empty() {
        for name in unknown {
            errors.push(at.error(format!(
                "unknown name '{name}'; known: {} (the constraint is over parameters)",
                known.join(", ")
            )));
        }
        return Vec::new();
    }
    let shown_point = |levels: &[usize]| {
        parameters
            .iter()
            .zip(levels)
            .map(|(p, &l)| format!("{}={}", p.name, p.levels[l].label))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let kept = grid::filter(candidates, |levels| {
        let var = |name: &str| {
            let k = parameters.iter().position(|p| p.name == name)?;
            Some(level_value(
                &parameters[k],
                &parameters[k].levels[levels[k]],
            ))
        };
        match expr.eval(&var) {
            Ok(Val::Bool(b)) => Ok(b),
            Ok(other) => Err(format!(
                "expected a condition that is true or false, got {} at the point {}",
                other.kind(),
                shown_point(levels)
            )),
            Err(m) => Err(format!("{m} (at the point {})", shown_point(levels))),
        }
    });
    match kept {
        Ok(points) if points.is_empty() => {
            errors.push(at.error(format!(
                "the constraint holds at none of the grid's {all} points: nothing would run"
            )));
            Vec::new()
        }
        Ok(points) => points,
        Err(m) => {
            errors.push(at.error(m));
            Vec::new()
        }
    }
}
