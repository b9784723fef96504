//! `best`: for each objective the experiment names, its best point (one per level of
//! `for_each`), with its parameters and value ± half-width, linked to its row of the points
//! table. The wording is the terminal's `best` lines' and `results.md`'s.

use super::SweepFolder;
use super::points::{DIGITS, anchor};
use super::sweep_json::{BestJson, ObjectiveJson};
use crate::experiment::labels::significant;
use crate::report::document::{Block, Section, Text};

/// The section.
pub(super) fn section(f: &SweepFolder) -> Section {
    let mut blocks = Vec::new();
    if f.sweep.objectives.is_empty() {
        blocks.push(Block::Paragraph(
            Text::plain("The experiment names no objectives (its ")
                .and_code("objectives")
                .and("): compare the points in the table."),
        ));
    }
    for o in &f.sweep.objectives {
        blocks.push(Block::Heading(o.name.clone()));
        blocks.push(Block::Paragraph(rule(o)));
        blocks.push(Block::Bullets(
            o.best.iter().map(|b| entry(f, o, b)).collect(),
        ));
    }
    Section {
        id: "best".into(),
        title: "Best points".into(),
        blocks,
    }
}

/// `Smallest cost_usd where the means meet p99_ms <= 70, for each level of rate:`.
fn rule(o: &ObjectiveJson) -> Text {
    let goal = if o.goal == "maximise" {
        "Largest "
    } else {
        "Smallest "
    };
    let mut t = Text::plain(goal).and_code(o.rank_by.clone());
    if let Some(c) = &o.subject_to {
        t = t.and(" where the means meet ").and_code(c.clone());
    }
    if let Some(p) = &o.for_each {
        t = t.and(", for each level of ").and_code(p.clone());
    }
    t.and(":")
}

/// `[rate=50: ]point 3 (target=60): cost_usd = 0.409 ± 0.001`, `point 3` linking to its row;
/// or why no point is named.
fn entry(f: &SweepFolder, o: &ObjectiveJson, b: &BestJson) -> Text {
    let s = &f.sweep;
    let mut t = Text::default();
    if let (Some(param), Some(level)) = (&o.for_each, &b.for_each_level) {
        t = t.and(format!("{param}={level}: "));
    }
    let found = b.point.and_then(|i| s.point(i));
    let (Some(p), Some(v)) = (found, b.value) else {
        return match &o.subject_to {
            Some(c) => t.and("no point meets ").and_code(c.clone()),
            None => t
                .and("no point has a value of ")
                .and_code(o.rank_by.clone()),
        };
    };
    let value = match s.parameters.iter().find(|param| param.name == o.rank_by) {
        Some(param) => p
            .parameters
            .get(&param.name)
            .map_or_else(|| significant(v, DIGITS), |l| l.label.clone()),
        None => {
            let mut text = significant(v, DIGITS);
            if let Some(hw) = p.metrics.get(&o.rank_by).and_then(|e| e.half_width()) {
                text.push_str(" ± ");
                text.push_str(&significant(hw, DIGITS));
            }
            text
        }
    };
    t.and_link(
        format!("point {}", p.index),
        format!("#{}", anchor(p.index)),
    )
    .and(format!(" ({}): {} = {value}", s.point_label(p), o.rank_by))
}
