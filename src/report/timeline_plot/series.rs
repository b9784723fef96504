//! Which datapoints of a series are drawn: usable values, runs split at gaps, and the M4
//! downsampling of series longer than the plot is wide.

use std::ops::Range;

/// The value, if it is a usable datapoint (finite; positive on a log axis).
pub(super) fn usable(v: Option<f64>, log_y: bool) -> Option<f64> {
    v.filter(|v| v.is_finite() && (!log_y || *v > 0.0))
}

/// Maximal index ranges of consecutive usable datapoints.
pub(super) fn runs(values: &[Option<f64>], log_y: bool) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, v) in values.iter().enumerate() {
        match (usable(*v, log_y), start) {
            (Some(_), None) => start = Some(i),
            (None, Some(s)) => {
                out.push(s..i);
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push(s..values.len());
    }
    out
}

/// The pixel columns of the plot area over the shared x range.
pub(super) struct Columns {
    pub(super) start: f64,
    pub(super) per_unit: f64,
    pub(super) count: usize,
}

impl Columns {
    pub(super) fn of(xr: &Range<f64>, pixels: i32) -> Self {
        let count = pixels.max(1) as usize;
        Columns {
            start: xr.start,
            per_unit: count as f64 / (xr.end - xr.start),
            count,
        }
    }

    /// The column `x` falls in (clamped to the plot area).
    pub(super) fn of_x(&self, x: f64) -> usize {
        let c = ((x - self.start) * self.per_unit).floor();
        if c > 0.0 {
            (c as usize).min(self.count - 1)
        } else {
            0
        }
    }
}

/// The datapoints to draw, as runs of indices into `values`: every usable datapoint, split at
/// gaps, when there are at most as many datapoints as pixel columns; otherwise the M4 envelope of
/// each column (its first, smallest, largest and last usable datapoint, in order), split where a
/// whole column has no usable datapoint.
pub(super) fn drawn_runs(
    x: &[f64],
    values: &[Option<f64>],
    log_y: bool,
    columns: &Columns,
) -> Vec<Vec<usize>> {
    if values.len() <= columns.count {
        return runs(values, log_y)
            .into_iter()
            .map(|r| r.collect())
            .collect();
    }
    let mut out: Vec<Vec<usize>> = Vec::new();
    let mut run: Vec<usize> = Vec::new();
    // The column being filled: its index and its first, min, max and last datapoints.
    let mut open: Option<(usize, [usize; 4])> = None;
    let flush = |cell: [usize; 4], run: &mut Vec<usize>| {
        let mut picked = cell;
        picked.sort_unstable();
        for i in picked {
            if run.last() != Some(&i) {
                run.push(i);
            }
        }
    };
    let value = |i: usize| usable(values[i], log_y);
    for (i, xi) in x.iter().enumerate().take(values.len()) {
        let column = columns.of_x(*xi);
        let Some(v) = value(i) else {
            continue;
        };
        match &mut open {
            Some((c, cell)) if *c == column => {
                let [_, lo, hi, last] = cell;
                if v < value(*lo).unwrap_or(v) {
                    *lo = i;
                }
                if v > value(*hi).unwrap_or(v) {
                    *hi = i;
                }
                *last = i;
            }
            _ => {
                if let Some((c, cell)) = open.take() {
                    // Missing datapoints between the two columns break the line when they fill
                    // a column of their own; a gap narrower than a column is not visible.
                    let gap = (cell[3] + 1..i).any(|k| {
                        let ck = columns.of_x(x[k]);
                        c < ck && ck < column
                    });
                    flush(cell, &mut run);
                    if gap {
                        out.push(std::mem::take(&mut run));
                    }
                }
                open = Some((column, [i; 4]));
            }
        }
    }
    if let Some((_, cell)) = open {
        flush(cell, &mut run);
    }
    if !run.is_empty() {
        out.push(run);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_split_on_missing_and_nonpositive_for_log() {
        let v = vec![None, Some(1.0), Some(0.0), Some(3.0), None, Some(5.0)];
        assert_eq!(runs(&v, false), vec![1..4, 5..6]);
        assert_eq!(runs(&v, true), vec![1..2, 3..4, 5..6]);
        assert!(runs(&[], false).is_empty());
    }

    fn columns(n: usize) -> Columns {
        Columns::of(&(0.0..n as f64), 800)
    }

    #[test]
    fn short_series_are_drawn_point_by_point() {
        let v = vec![Some(1.0), None, Some(2.0), Some(3.0)];
        let x: Vec<f64> = (0..4).map(f64::from).collect();
        assert_eq!(
            drawn_runs(&x, &v, false, &columns(4)),
            vec![vec![0], vec![2, 3]]
        );
    }

    #[test]
    fn downsampling_keeps_every_spike_and_few_points() {
        let n = 527_040; // a year of 60 s periods
        let x: Vec<f64> = (0..n).map(|i| i as f64).collect();
        let mut v: Vec<Option<f64>> = (0..n).map(|i| Some((i % 7) as f64)).collect();
        v[123_457] = Some(1_000.0);
        v[400_001] = Some(-50.0);
        let c = columns(n);
        let runs = drawn_runs(&x, &v, false, &c);
        assert_eq!(runs.len(), 1);
        let run = &runs[0];
        assert!(run.len() <= 4 * 800, "{} points", run.len());
        assert!(run.windows(2).all(|w| w[0] < w[1]), "in order");
        assert!(run.contains(&123_457) && run.contains(&400_001));
        assert_eq!((run[0], *run.last().unwrap()), (0, n - 1));
        // Each column's own extremes are kept: the envelope is the data's.
        let per_column_max = |col: usize| {
            (0..n)
                .filter(|&i| c.of_x(x[i]) == col)
                .filter_map(|i| v[i])
                .fold(f64::MIN, f64::max)
        };
        for col in [0, 17, 399, 799] {
            let drawn = run
                .iter()
                .filter(|&&i| c.of_x(x[i]) == col)
                .filter_map(|&i| v[i])
                .fold(f64::MIN, f64::max);
            assert_eq!(drawn, per_column_max(col), "column {col}");
        }
    }

    #[test]
    fn downsampled_gaps_break_the_line_only_when_a_column_wide() {
        let n = 80_000; // 100 datapoints per column
        let x: Vec<f64> = (0..n).map(|i| i as f64).collect();
        let mut v = vec![Some(1.0); n];
        v[5_000] = None; // narrower than a column: not visible
        v[40_000..40_300].fill(None); // three columns: a gap
        let runs = drawn_runs(&x, &v, false, &columns(n));
        assert_eq!(
            runs.len(),
            2,
            "{:?}",
            runs.iter().map(Vec::len).collect::<Vec<_>>()
        );
        assert!(runs[0].last() < Some(&40_000) && runs[1][0] >= 40_300);
        // Sparse datapoints (missing in most periods) still draw as one line.
        let sparse: Vec<Option<f64>> = (0..n).map(|i| (i % 3 == 0).then_some(2.0)).collect();
        assert_eq!(drawn_runs(&x, &sparse, false, &columns(n)).len(), 1);
    }
}
