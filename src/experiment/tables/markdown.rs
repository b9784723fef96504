//! `results.md`: the sweep for people — its story, its grid, a table of points with
//! `mean ± half-width`, the best points, the plots.

use std::fmt::Write;

use super::objectives::Best;
use crate::experiment::Objective;
use crate::experiment::labels::{metric_label, metric_source, point_label, significant};
use crate::experiment::stats::Estimate;
use crate::experiment::summary::{PointResult, Summary};

/// Digits shown in the Markdown table (people read it; the CSV files have every digit).
const DIGITS: u32 = 3;

/// Text in a table cell: `|` escaped, line breaks as spaces.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace(['\n', '\r'], " ")
}

/// `mean ± half-width`, or the mean alone below two values; `(n=2)` when some of the point's
/// runs had no value; `–` when none had.
fn estimate(est: &Estimate, runs: usize) -> String {
    let Some(mean) = est.mean else {
        return "–".to_string();
    };
    let mut text = significant(mean, DIGITS);
    if let Some(ci) = est.ci95 {
        let _ = write!(text, " ± {}", significant(ci.half_width(), DIGITS));
    }
    if est.n < runs {
        let _ = write!(text, " (n={})", est.n);
    }
    text
}

/// The whole report.
pub(super) fn report(s: &Summary<'_>, best: &[Best], plots: &[&str]) -> String {
    let e = s.experiment;
    let mut out = String::new();
    let _ = writeln!(out, "# {}\n", e.name);
    if let Some(d) = e.description.as_deref().filter(|d| !d.trim().is_empty()) {
        let _ = writeln!(out, "{}\n", d.trim());
    }
    grid(&mut out, s);
    points_table(&mut out, s);
    if !e.objectives.is_empty() {
        best_points(&mut out, s, best);
    }
    let _ = writeln!(out, "## Plots\n");
    if plots.is_empty() {
        let _ = writeln!(out, "No plots: no metric has a value.");
    }
    for name in plots {
        let _ = writeln!(out, "- [{name}]({name})");
    }
    out
}

fn grid(out: &mut String, s: &Summary<'_>) {
    let e = s.experiment;
    let _ = writeln!(out, "## Grid\n");
    let _ = writeln!(out, "- Experiment file: `{}`", e.file.display());
    for v in &e.variants {
        let _ = writeln!(out, "- Model `{}`: `{}`", v.label, v.file.display());
    }
    let finished: usize = s.points.iter().map(|p| p.runs.len()).sum();
    let _ = writeln!(
        out,
        "- {} points × {} replications = {} runs ({} finished). Each run's seed is derived \
         from the master seed {}, the point's index and the replication (SplitMix64), so a \
         point's results never depend on thread count, order or sharding.\n",
        e.points.len(),
        e.replications,
        e.run_count(),
        finished,
        e.seed
    );
    let _ = writeln!(out, "| parameter | levels |\n| --- | --- |");
    for p in &e.parameters {
        let levels: Vec<&str> = p.levels.iter().map(|l| l.label.as_str()).collect();
        let _ = writeln!(out, "| {} | {} |", cell(&p.name), cell(&levels.join(", ")));
    }
    let _ = writeln!(out, "\n| metric | from |\n| --- | --- |");
    for m in &e.metrics {
        let _ = writeln!(
            out,
            "| {} | `{}` |",
            cell(&metric_label(m)),
            cell(&metric_source(m))
        );
    }
    out.push('\n');
}

fn points_table(out: &mut String, s: &Summary<'_>) {
    let e = s.experiment;
    let _ = writeln!(
        out,
        "## Points\n\nMean ± half-width of the two-sided 95 % Student-t confidence interval over \
         the replications ({DIGITS} significant digits; `points.csv` has every digit). \
         `(n=k)`: only k replications had a value; `–`: none had.\n"
    );
    let header: Vec<String> = std::iter::once("point".to_string())
        .chain(e.parameters.iter().map(|p| cell(&p.name)))
        .chain(e.metrics.iter().map(|m| cell(&metric_label(m))))
        .collect();
    let _ = writeln!(out, "| {} |", header.join(" | "));
    let _ = writeln!(out, "|{}", " --- |".repeat(header.len()));
    for p in &s.points {
        let row: Vec<String> = std::iter::once(p.point.index.to_string())
            .chain((0..e.parameters.len()).map(|k| cell(e.level_label(p.point, k))))
            .chain(p.estimates.iter().map(|est| estimate(est, p.runs.len())))
            .collect();
        let _ = writeln!(out, "| {} |", row.join(" | "));
    }
    out.push('\n');
}

fn best_points(out: &mut String, s: &Summary<'_>, best: &[Best]) {
    let e = s.experiment;
    let _ = writeln!(out, "## Best points\n");
    for (o, b) in e.objectives.iter().zip(best) {
        let goal = if o.minimise { "smallest" } else { "largest" };
        let mut rule = format!("{goal} `{}`", o.rank_by);
        if let Some(c) = &o.subject_to {
            let _ = write!(rule, " where the means meet `{c}`");
        }
        let _ = writeln!(out, "### {}\n\n{}:\n", o.name, capitalised(&rule));
        for entry in entries(s, o, b, "`") {
            let _ = writeln!(out, "- {entry}");
        }
        out.push('\n');
    }
}

/// The best points in one line each, for the terminal: `NAME: [LEVEL: ]point K (levels):
/// RANK = VALUE`, or why none is named.
pub(super) fn best_point_lines(s: &Summary<'_>, best: &[Best]) -> Vec<String> {
    s.experiment
        .objectives
        .iter()
        .zip(best)
        .flat_map(|(o, b)| {
            entries(s, o, b, "")
                .into_iter()
                .map(move |entry| format!("{}: {entry}", o.name))
        })
        .collect()
}

/// One entry per group of an objective's best points: `[LEVEL: ]point K (levels): RANK =
/// VALUE`, or why there is none (`quote` around the condition: a backtick in Markdown).
fn entries(s: &Summary<'_>, o: &Objective, b: &Best, quote: &str) -> Vec<String> {
    let e = s.experiment;
    let for_each = o
        .for_each
        .as_deref()
        .and_then(|n| e.parameters.iter().position(|p| p.name == n));
    b.groups
        .iter()
        .map(|g| {
            let prefix = match (for_each, g.level) {
                (Some(k), Some(l)) => format!(
                    "{}={}: ",
                    e.parameters[k].name, e.parameters[k].levels[l].label
                ),
                _ => String::new(),
            };
            let found = g.point.and_then(|i| s.points.get(i));
            let what = match (found, g.value) {
                (Some(p), Some(v)) => format!(
                    "point {} ({}): {} = {}",
                    p.point.index,
                    all_levels(s, p),
                    o.rank_by,
                    ranked_value(s, p, &o.rank_by, v)
                ),
                _ => match &o.subject_to {
                    Some(c) => format!("no point meets {quote}{c}{quote}"),
                    None => format!("no point has a value of {quote}{}{quote}", o.rank_by),
                },
            };
            format!("{prefix}{what}")
        })
        .collect()
}

/// The winning value as people read it: a parameter's level label, a metric's mean to
/// [`DIGITS`] digits.
fn ranked_value(s: &Summary<'_>, p: &PointResult<'_>, rank_by: &str, v: f64) -> String {
    let e = s.experiment;
    match e.parameters.iter().position(|param| param.name == rank_by) {
        Some(k) => e.level_label(p.point, k).to_string(),
        None => significant(v, DIGITS),
    }
}

fn all_levels(s: &Summary<'_>, p: &PointResult<'_>) -> String {
    let all: Vec<usize> = (0..s.experiment.parameters.len()).collect();
    point_label(s.experiment, p.point, &all)
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
