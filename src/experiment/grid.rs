//! Parameters into points: the values of ranges, the axes (a lockstep group is one axis), their
//! product in order (the first axis outermost), and the constraint's filter.

use super::Point;
use serde_json::Value;

/// The most points a grid may have before the constraint filters it.
pub const MAX_POINTS: usize = 100_000;

/// The most values a range may have (`count`, or what `step` gives).
pub const MAX_RANGE_VALUES: u64 = 10_000;

/// `x` rounded to 12 significant digits, so `0.1 + 0.2` reads `0.3`.
pub fn round12(x: f64) -> f64 {
    if x == 0.0 || !x.is_finite() {
        return x;
    }
    format!("{x:.11e}").parse().unwrap_or(x)
}

/// `from + k·step` for k = 0, 1, … while it is at most `to` (with a relative slack of 1e-9),
/// each rounded by [`round12`]; `step > 0` and `to ≥ from` are the caller's to check. Refuses
/// more than [`MAX_RANGE_VALUES`] values.
pub fn linear_by_step(from: f64, to: f64, step: f64) -> Result<Vec<f64>, String> {
    let slack = 1e-9 * (to - from).abs().max(step);
    let steps = ((to - from + slack) / step).floor();
    if steps.is_nan() || steps + 1.0 > MAX_RANGE_VALUES as f64 {
        return Err(format!(
            "expected at most {MAX_RANGE_VALUES} values, but from {from} to {to} in steps of {step} gives {}",
            steps + 1.0
        ));
    }
    Ok((0..=steps as u64)
        .map(|k| round12(from + k as f64 * step))
        .collect())
}

/// `count` values evenly spaced from `from` to `to` (both included), rounded by [`round12`].
pub fn linear_by_count(from: f64, to: f64, count: u64) -> Vec<f64> {
    let last = (count - 1) as f64;
    (0..count)
        .map(|k| round12(from + (to - from) * k as f64 / last))
        .collect()
}

/// `count` values geometrically spaced from `from` to `to` (both > 0, both included), rounded
/// by [`round12`]: 1 to 1000 in 4 values is 1, 10, 100, 1000.
pub fn log_by_count(from: f64, to: f64, count: u64) -> Vec<f64> {
    let last = (count - 1) as f64;
    let (a, b) = (from.ln(), to.ln());
    (0..count)
        .map(|k| round12((a + (b - a) * k as f64 / last).exp()))
        .collect()
}

/// A range's number as a JSON value: an integer when it is whole (so `MinSize` takes it).
pub fn number_value(x: f64) -> Value {
    if x.fract() == 0.0 && x.abs() < 9.0e15 {
        Value::from(x as i64)
    } else {
        Value::from(x)
    }
}

/// How a number level reads in tables: Rust's shortest round-trip form, `3` not `3.0`.
pub fn number_label(x: f64) -> String {
    format!("{x}")
}

/// The axes of the grid, in order: each parameter alone, or a lockstep group at the position of
/// its first member (in the parameters' order). `groups` hold parameter indices; a parameter is
/// in at most one group.
pub fn axes(parameter_count: usize, groups: &[Vec<usize>]) -> Vec<Vec<usize>> {
    let mut axes = Vec::new();
    for p in 0..parameter_count {
        match groups.iter().find(|g| g.contains(&p)) {
            Some(group) => {
                let first = group.iter().copied().min().unwrap_or(p);
                if first == p {
                    let mut members = group.clone();
                    members.sort_unstable();
                    axes.push(members);
                }
            }
            None => axes.push(vec![p]),
        }
    }
    axes
}

/// How many points the axes give (`None`: more than `usize` holds); each axis has the level
/// count of its members (equal within a group).
pub fn point_count(level_counts: &[usize], axes: &[Vec<usize>]) -> Option<usize> {
    axes.iter()
        .try_fold(1usize, |n, axis| n.checked_mul(level_counts[axis[0]]))
}

/// Every point of the product of `axes` (as nested loops, the first axis outermost): for each,
/// the level index of every parameter.
pub fn product(level_counts: &[usize], axes: &[Vec<usize>]) -> Vec<Vec<usize>> {
    let mut points = vec![vec![0; level_counts.len()]];
    for axis in axes {
        let n = level_counts[axis[0]];
        points = points
            .into_iter()
            .flat_map(|levels| {
                (0..n).map(move |l| {
                    let mut next = levels.clone();
                    for &p in axis {
                        next[p] = l;
                    }
                    next
                })
            })
            .collect();
    }
    points
}

/// The points `keep` accepts, numbered in order; the first error `keep` gives stops it.
pub fn filter(
    candidates: Vec<Vec<usize>>,
    keep: impl Fn(&[usize]) -> Result<bool, String>,
) -> Result<Vec<Point>, String> {
    let mut points = Vec::new();
    for levels in candidates {
        if keep(&levels)? {
            points.push(Point {
                index: points.len(),
                levels,
            });
        }
    }
    Ok(points)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tenth_steps_read_as_written() {
        assert_eq!(
            linear_by_step(0.1, 0.5, 0.1).unwrap(),
            vec![0.1, 0.2, 0.3, 0.4, 0.5]
        );
        assert_eq!(
            number_label(linear_by_step(0.0, 1.0, 0.1).unwrap()[3]),
            "0.3"
        );
        assert_eq!(linear_by_step(1.0, 8.0, 3.0).unwrap(), vec![1.0, 4.0, 7.0]);
        assert_eq!(linear_by_step(5.0, 5.0, 1.0).unwrap(), vec![5.0]);
        assert!(
            linear_by_step(0.0, 1.0, 1e-6)
                .unwrap_err()
                .contains("at most 10000")
        );
    }

    #[test]
    fn log_ranges_are_geometric() {
        assert_eq!(log_by_count(1.0, 1000.0, 4), vec![1.0, 10.0, 100.0, 1000.0]);
        assert_eq!(log_by_count(2.0, 8.0, 3), vec![2.0, 4.0, 8.0]);
        assert_eq!(
            linear_by_count(0.0, 1.0, 5),
            vec![0.0, 0.25, 0.5, 0.75, 1.0]
        );
    }

    #[test]
    fn whole_numbers_become_integers() {
        assert_eq!(number_value(3.0), Value::from(3));
        assert_eq!(number_value(0.5), Value::from(0.5));
        assert_eq!(number_label(3.0), "3");
        assert_eq!(number_label(-0.25), "-0.25");
    }

    #[test]
    fn the_first_axis_is_outermost_and_lockstep_is_one_axis() {
        let axes_plain = axes(2, &[]);
        assert_eq!(
            product(&[2, 3], &axes_plain),
            vec![
                vec![0, 0],
                vec![0, 1],
                vec![0, 2],
                vec![1, 0],
                vec![1, 1],
                vec![1, 2]
            ]
        );
        // Parameters 0 and 2 in lockstep: one axis at parameter 0's position.
        let zipped = axes(3, &[vec![2, 0]]);
        assert_eq!(zipped, vec![vec![0, 2], vec![1]]);
        assert_eq!(
            product(&[2, 2, 2], &zipped),
            vec![vec![0, 0, 0], vec![0, 1, 0], vec![1, 0, 1], vec![1, 1, 1]]
        );
        assert_eq!(point_count(&[2, 2, 2], &zipped), Some(4));
        assert_eq!(point_count(&[usize::MAX, 2], &axes(2, &[])), None);
    }

    #[test]
    fn the_filter_numbers_what_it_keeps() {
        let kept = filter(vec![vec![0], vec![1], vec![2]], |l| Ok(l[0] != 1)).unwrap();
        assert_eq!(
            kept,
            vec![
                Point {
                    index: 0,
                    levels: vec![0]
                },
                Point {
                    index: 1,
                    levels: vec![2]
                }
            ]
        );
        assert_eq!(
            filter(vec![vec![0]], |_| Err("no".into())).unwrap_err(),
            "no"
        );
    }
}
