//! `points`: one row per point (its levels, each metric's mean ± half-width of the 95 %
//! confidence interval, the runs it has), each row with the anchor `point-K`, and links to the
//! reports of the runs kept under `runs/`.

use super::SweepFolder;
use super::sweep_json::{EstimateJson, PointJson};
use crate::experiment::labels::significant;
use crate::experiment::runner::RUNS_FOLDER;
use crate::report::document::{Block, Section, Table, Text};

/// Significant digits shown, as `results.md` shows them (`points.csv` has every digit).
pub(super) const DIGITS: u32 = 3;

/// The anchor of point `index`'s row.
pub fn anchor(index: usize) -> String {
    format!("point-{index}")
}

/// `mean ± half-width`, or the mean alone below two values; `(n=2)` when only some of the
/// point's `runs` had a value; `–` when none had.
pub(super) fn estimate(est: &EstimateJson, runs: usize) -> String {
    let Some(mean) = est.mean else {
        return "–".to_string();
    };
    let mut text = significant(mean, DIGITS);
    if let Some(hw) = est.half_width() {
        text.push_str(" ± ");
        text.push_str(&significant(hw, DIGITS));
    }
    if est.n < runs {
        text.push_str(&format!(" (n={})", est.n));
    }
    text
}

/// The section.
pub(super) fn section(f: &SweepFolder) -> Section {
    let s = &f.sweep;
    let kept = !f.kept_runs.is_empty();
    let mut header: Vec<String> = vec!["point".into()];
    header.extend(s.parameters.iter().map(|p| p.name.clone()));
    header.extend(s.metrics.iter().map(|m| match &m.unit {
        Some(u) => format!("{} [{u}]", m.name),
        None => m.name.clone(),
    }));
    header.push("n".into());
    if kept {
        header.push("run reports".into());
    }
    let numeric: Vec<bool> = std::iter::once(true)
        .chain(s.parameters.iter().map(|p| p.numeric))
        .chain(s.metrics.iter().map(|_| true))
        .chain(std::iter::once(true))
        .chain(kept.then_some(false))
        .collect();
    let refs: Vec<&str> = header.iter().map(String::as_str).collect();
    let mut table = Table::new(&refs, &numeric);
    for p in &s.points {
        table.row_with_id(anchor(p.index), row(f, p, kept));
    }
    let mut intro = Text::plain(
        "Mean ± half-width of the two-sided 95 % Student-t confidence interval over the \
         replications (3 significant digits; ",
    )
    .and_code("points.csv")
    .and(
        " has every digit). n: the point's finished runs; (n=k): only k of them had a value; \
         –: none had.",
    );
    if kept {
        intro = intro
            .and(" Each run's own report is in its folder under ")
            .and_code(format!("{RUNS_FOLDER}/"))
            .and(" (r00 is the first replication).");
    }
    Section {
        id: "points".into(),
        title: "Points".into(),
        blocks: vec![Block::Paragraph(intro), Block::Table(table)],
    }
}

/// Point `p`'s cells.
fn row(f: &SweepFolder, p: &PointJson, kept: bool) -> Vec<Text> {
    let s = &f.sweep;
    let runs = p.runs.len();
    let mut cells = vec![Text::plain(p.index.to_string())];
    cells.extend(
        s.level_labels(p)
            .into_iter()
            .map(|(_, label)| Text::plain(label)),
    );
    cells.extend(s.metrics.iter().map(|m| {
        Text::plain(
            p.metrics
                .get(&m.name)
                .map_or_else(|| "–".to_string(), |est| estimate(est, runs)),
        )
    }));
    cells.push(Text::plain(runs.to_string()));
    if kept {
        let mut links = Text::default();
        for (i, run) in f
            .kept_runs
            .iter()
            .filter(|r| r.point == p.index)
            .enumerate()
        {
            if i > 0 {
                links = links.and(" ");
            }
            links = links.and_link(
                format!("r{:02}", run.replication),
                format!("{RUNS_FOLDER}/{}/report.html", run.folder),
            );
        }
        if links.0.is_empty() {
            links = Text::plain("–");
        }
        cells.push(links);
    }
    cells
}
