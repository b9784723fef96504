//! Which lines a metric's plot has: points grouped by their levels of every parameter but the x
//! one, ordered by the `lines` parameter first; and whether the x axis is logarithmic.

use crate::experiment::stats::Estimate;
use crate::experiment::summary::{PointResult, Summary};

/// One line of a plot: the points that share every level but the x parameter's.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Line {
    /// Its legend entry (`instances=2, policy=simple`), or the metric's name for a single line.
    pub label: String,
    /// Its points by increasing x: the x value and the metric's estimate there.
    pub points: Vec<(f64, Estimate)>,
}

/// The parameters that tell lines apart, the `lines` parameter first: every parameter but `x`
/// that takes more than one level among the points and is not tied to `x` (a lockstep partner
/// of `x` has one level per x level: it would make one line per point).
pub(super) fn key_parameters(s: &Summary<'_>, x: usize, lines: Option<usize>) -> Vec<usize> {
    let e = s.experiment;
    let varies = |k: usize| {
        let mut seen: Vec<usize> = s.points.iter().map(|p| p.point.levels[k]).collect();
        seen.sort_unstable();
        seen.dedup();
        seen.len() > 1
    };
    let tied_to_x = |k: usize| {
        // The level of k seen first with each level of x; tied if every point agrees with it.
        let mut first: Vec<Option<usize>> = vec![None; e.parameters[x].levels.len()];
        s.points.iter().all(|p| {
            let seen = &mut first[p.point.levels[x]];
            *seen.get_or_insert(p.point.levels[k]) == p.point.levels[k]
        })
    };
    let mut order: Vec<usize> = lines.into_iter().filter(|&k| k != x).collect();
    order.extend((0..e.parameters.len()).filter(|&k| k != x && Some(k) != lines));
    order
        .into_iter()
        .filter(|&k| k < e.parameters.len() && varies(k) && !tied_to_x(k))
        .collect()
}

/// The lines of `metric` against parameter `x`, in the order of their key's levels.
pub(super) fn lines(s: &Summary<'_>, x: usize, lines: Option<usize>, metric: usize) -> Vec<Line> {
    let e = s.experiment;
    let key = key_parameters(s, x, lines);
    let key_of =
        |p: &PointResult<'_>| -> Vec<usize> { key.iter().map(|&k| p.point.levels[k]).collect() };
    let mut groups: Vec<(Vec<usize>, Vec<&PointResult<'_>>)> = Vec::new();
    for p in &s.points {
        let k = key_of(p);
        match groups.iter_mut().find(|(g, _)| *g == k) {
            Some((_, members)) => members.push(p),
            None => groups.push((k, vec![p])),
        }
    }
    groups.sort_by(|a, b| a.0.cmp(&b.0));
    groups
        .into_iter()
        .map(|(_, members)| {
            let first = members[0].point;
            let label = if key.is_empty() {
                e.metrics[metric].name.clone()
            } else {
                crate::experiment::labels::point_label(e, first, &key)
            };
            let mut points: Vec<(f64, Estimate)> = members
                .iter()
                .filter_map(|p| {
                    let level = &e.parameters[x].levels[p.point.levels[x]];
                    let v = level.value.as_f64().filter(|v| v.is_finite())?;
                    Some((v, p.estimates[metric].clone()))
                })
                .collect();
            points.sort_by(|a, b| a.0.total_cmp(&b.0));
            points.dedup_by(|b, a| a.0 == b.0);
            Line { label, points }
        })
        .collect()
}

/// Whether numeric levels are a log range: at least three, all positive, and spaced
/// geometrically (equal ratios within 1e-6, the 12-digit rounding of ranges included), with a
/// ratio that is not 1.
pub(super) fn geometric(values: &[f64]) -> bool {
    let mut v: Vec<f64> = values.to_vec();
    v.sort_by(f64::total_cmp);
    v.dedup();
    if v.len() < 3 || v.iter().any(|x| !(x.is_finite() && *x > 0.0)) {
        return false;
    }
    let ratio = v[1] / v[0];
    if ratio < 1.0 + 1e-6 {
        return false;
    }
    let linear = v
        .windows(2)
        .all(|w| ((w[1] - w[0]) - (v[1] - v[0])).abs() <= 1e-6 * v[1]);
    !linear
        && v.windows(2)
            .all(|w| ((w[1] / w[0]) / ratio - 1.0).abs() <= 1e-6)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_ranges_are_told_from_linear_ones() {
        assert!(geometric(&[1.0, 10.0, 100.0, 1000.0]));
        assert!(geometric(&[1000.0, 1.0, 100.0, 10.0]));
        assert!(geometric(&[1.0, 2.0, 4.0]));
        assert!(geometric(&[1.0, 4.64158883361, 21.5443469003, 100.0]));
        assert!(!geometric(&[1.0, 2.0, 3.0]));
        assert!(!geometric(&[1.0, 10.0]));
        assert!(!geometric(&[0.0, 1.0, 10.0]));
        assert!(!geometric(&[5.0, 5.0, 5.0]));
        assert!(!geometric(&[1.0, 2.0, 4.0, 7.0]));
    }
}
