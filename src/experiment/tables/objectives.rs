//! Best points: for each objective, the point that minimises (or maximises) its `rank_by` among
//! those whose metric means meet `subject_to`, once per level of `for_each` if given.

use super::super::expr::Val;
use super::super::{Experiment, Objective};
use crate::experiment::summary::{PointResult, Summary};

/// The best points one objective names.
#[derive(Clone, Debug, PartialEq)]
pub struct Best {
    /// One entry per level of `for_each` (in level order), or a single entry without it.
    pub groups: Vec<BestOf>,
}

/// The best point of one group of points.
#[derive(Clone, Debug, PartialEq)]
pub struct BestOf {
    /// The `for_each` parameter's level of the group (index into its levels), if any.
    pub level: Option<usize>,
    /// The winning point's index; `None` when no point of the group meets the condition (or
    /// none has a value to rank by).
    pub point: Option<usize>,
    /// Its `rank_by` value (a metric's mean or a parameter's value).
    pub value: Option<f64>,
}

/// The best points of every objective, in the experiment's order.
pub fn best_points(s: &Summary<'_>) -> Vec<Best> {
    s.experiment
        .objectives
        .iter()
        .map(|o| best_of(s, o))
        .collect()
}

fn best_of(s: &Summary<'_>, o: &Objective) -> Best {
    let e = s.experiment;
    let for_each = o
        .for_each
        .as_deref()
        .and_then(|name| e.parameters.iter().position(|p| p.name == name));
    let groups = match for_each {
        None => vec![winner(s, o, None)],
        Some(k) => (0..e.parameters[k].levels.len())
            .map(|level| winner(s, o, Some((k, level))))
            .collect(),
    };
    Best { groups }
}

/// The best point among those with level `group.1` of parameter `group.0` (all without a
/// group); ties go to the first point in grid order.
fn winner(s: &Summary<'_>, o: &Objective, group: Option<(usize, usize)>) -> BestOf {
    let mut best: Option<(usize, f64)> = None;
    for p in &s.points {
        if group.is_some_and(|(k, level)| p.point.levels[k] != level) {
            continue;
        }
        let Some(value) = variable(s.experiment, p, &o.rank_by).and_then(|v| match v {
            Val::Number(x) if x.is_finite() => Some(x),
            _ => None,
        }) else {
            continue;
        };
        if !meets(s.experiment, p, o) {
            continue;
        }
        let better = match best {
            None => true,
            Some((_, b)) if o.minimise => value < b,
            Some((_, b)) => value > b,
        };
        if better {
            best = Some((p.point.index, value));
        }
    }
    BestOf {
        level: group.map(|(_, level)| level),
        point: best.map(|(index, _)| index),
        value: best.map(|(_, value)| value),
    }
}

/// Whether point `p` meets the objective's condition; a condition that cannot be evaluated
/// (a metric without a value at this point) is not met.
fn meets(e: &Experiment, p: &PointResult<'_>, o: &Objective) -> bool {
    let Some(condition) = &o.subject_to else {
        return true;
    };
    matches!(
        condition.eval(&|name| variable(e, p, name)),
        Ok(Val::Bool(true))
    )
}

/// A variable of `subject_to` or `rank_by` at point `p`: a parameter's level (a number for a
/// numeric parameter, else its label) or a metric's mean (unknown when it has no value).
pub(super) fn variable(e: &Experiment, p: &PointResult<'_>, name: &str) -> Option<Val> {
    if let Some(k) = e.parameters.iter().position(|param| param.name == name) {
        let level = &e.parameters[k].levels[p.point.levels[k]];
        return Some(match level.value.as_f64() {
            Some(x) if e.parameters[k].numeric => Val::Number(x),
            _ => Val::Text(level.label.clone()),
        });
    }
    let m = e.metrics.iter().position(|m| m.name == name)?;
    p.estimates[m].mean.map(Val::Number)
}
