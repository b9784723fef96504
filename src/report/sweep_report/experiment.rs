//! `experiment`: the experiment file, its model(s), replications and seeds, the grid (each
//! parameter's levels and what each sets in the model), the metrics and the constraint.

use super::{SweepFolder, count};
use crate::experiment::{MetricSource, Parameter};
use crate::report::document::{Block, Section, Table, Text};
use crate::scenario::overrides::Override;

/// The section.
pub(super) fn section(f: &SweepFolder) -> Section {
    let mut blocks = vec![Block::Pairs(settings(f))];
    blocks.push(Block::Heading("Grid".into()));
    blocks.push(Block::Paragraph(grid_sentence(f)));
    blocks.push(Block::Table(grid_table(f)));
    blocks.push(Block::Heading("Metrics".into()));
    blocks.push(Block::Paragraph(Text::plain(
        "Each metric is read from every run; the tables and plots show its mean over a point's \
         replications with the 95 % confidence interval.",
    )));
    blocks.push(Block::Table(metrics_table(f)));
    Section {
        id: "experiment".into(),
        title: "The experiment".into(),
        blocks,
    }
}

/// The experiment file, models, replications, seeds and the settings of every point.
fn settings(f: &SweepFolder) -> Vec<(String, Text)> {
    let s = &f.sweep;
    let e = &f.experiment;
    let mut pairs = vec![(
        "Experiment file".to_string(),
        Text::code(s.experiment.file.clone()),
    )];
    for v in &e.variants {
        let mut t = Text::code(v.file.display().to_string());
        if e.variants.len() > 1 {
            t = t.and(" (").and_strong(v.label.clone()).and(")");
        }
        t = and_sets(t, " with ", &v.overrides);
        let term = if e.variants.len() > 1 {
            "Model compared"
        } else {
            "Model"
        };
        pairs.push((term.to_string(), t));
    }
    let finished: usize = s.points.iter().map(|p| p.runs.len()).sum();
    pairs.push((
        "Replications".to_string(),
        Text::plain(format!(
            "{} per point: {} × {} = {} ({} finished)",
            s.experiment.replications,
            count(e.points.len(), "point", "points"),
            s.experiment.replications,
            count(e.run_count(), "run", "runs"),
            finished
        )),
    ));
    pairs.push((
        "Master seed".to_string(),
        Text::plain(s.experiment.seed.to_string()),
    ));
    pairs.push((
        "Seeds".to_string(),
        Text::plain(format!(
            "each run's seed is derived from the master seed {}, the point's index and the \
             replication (SplitMix64), so a point's results never depend on thread count, \
             order or sharding",
            s.experiment.seed
        )),
    ));
    if !e.fixed.is_empty() {
        pairs.push((
            "Set on every point".to_string(),
            and_sets(Text::default(), "", &e.fixed),
        ));
    }
    pairs
}

/// `t` followed by `lead` and `path = value; …` for each override (nothing when there is none).
fn and_sets(mut t: Text, lead: &str, sets: &[Override]) -> Text {
    for (i, o) in sets.iter().enumerate() {
        t = t.and(if i == 0 { lead } else { "; " });
        t = t.and_code(format!("{} = {}", o.path(), o.value()));
    }
    t
}

/// How many points the grid has and why: the product of the levels, lockstep, the constraint.
fn grid_sentence(f: &SweepFolder) -> Text {
    let e = &f.experiment;
    let sizes: Vec<String> = e
        .parameters
        .iter()
        .map(|p| p.levels.len().to_string())
        .collect();
    let product: usize = e.parameters.iter().map(|p| p.levels.len()).product();
    let mut t = Text::plain(format!(
        "{} of {} levels",
        count(e.parameters.len(), "parameter", "parameters"),
        sizes.join(" × ")
    ));
    if e.parameters.len() > 1 {
        t = t.and(format!(" ({product} combinations)"));
    }
    for group in &f.lockstep {
        t = t.and("; ");
        for (i, name) in group.iter().enumerate() {
            if i > 0 {
                t = t.and(if i + 1 == group.len() { " and " } else { ", " });
            }
            t = t.and_code(name.clone());
        }
        t = t.and(" advance in lockstep (their first levels together, then their second, …)");
    }
    if let Some(c) = &f.constraint {
        t = t
            .and("; only the combinations that meet the constraint ")
            .and_code(c.clone())
            .and(" are run");
    }
    t.and(format!(": {}.", count(e.points.len(), "point", "points")))
}

/// One row per parameter whose levels go to its paths; one row per case otherwise.
fn grid_table(f: &SweepFolder) -> Table {
    let mut table = Table::new(&["parameter", "levels", "sets in the model"], &[]);
    for p in &f.experiment.parameters {
        match shared_paths(p) {
            Some(paths) => {
                let labels: Vec<&str> = p.levels.iter().map(|l| l.label.as_str()).collect();
                let mut sets = Text::plain("each level into ");
                for (i, path) in paths.iter().enumerate() {
                    if i > 0 {
                        sets = sets.and(", ");
                    }
                    sets = sets.and_code(path.clone());
                }
                table.row(vec![
                    Text::code(p.name.clone()),
                    Text::plain(labels.join(", ")),
                    sets,
                ]);
            }
            None => {
                for l in &p.levels {
                    let sets = match l.variant {
                        Some(v) => {
                            let variant = &f.experiment.variants[v];
                            and_sets(
                                Text::plain("the model ")
                                    .and_code(variant.file.display().to_string()),
                                " with ",
                                &variant.overrides,
                            )
                        }
                        None if l.overrides.is_empty() => {
                            Text::plain("nothing: the model as written")
                        }
                        None => and_sets(Text::default(), "", &l.overrides),
                    };
                    table.row(vec![
                        Text::code(p.name.clone()),
                        Text::plain(l.label.clone()),
                        sets,
                    ]);
                }
            }
        }
    }
    table
}

/// The paths a parameter sets to each level's own value, when every level sets exactly those
/// (`path`/`paths` in the experiment file); `None` for cases and compared models.
fn shared_paths(p: &Parameter) -> Option<Vec<String>> {
    let first = p.levels.first()?;
    let paths: Vec<String> = first
        .overrides
        .iter()
        .map(|o| o.path().to_string())
        .collect();
    let shared = !paths.is_empty()
        && p.levels.iter().all(|l| {
            l.variant.is_none()
                && l.overrides.len() == paths.len()
                && l.overrides
                    .iter()
                    .zip(&paths)
                    .all(|(o, path)| o.path().to_string() == *path && *o.value() == l.value)
        });
    shared.then_some(paths)
}

/// Each metric, its unit and what it is computed from.
fn metrics_table(f: &SweepFolder) -> Table {
    let mut table = Table::new(&["metric", "unit", "computed from"], &[]);
    for (m, written) in f.experiment.metrics.iter().zip(&f.sweep.metrics) {
        let from = match &m.source {
            MetricSource::Summary(path) => Text::code(path.to_string())
                .and(" in each run's ")
                .and_code("summary.json"),
            MetricSource::Expression(expr) => Text::plain("the expression ")
                .and_code(expr.to_string())
                .and(" over the point's parameters and the metrics before it"),
        };
        table.row(vec![
            Text::code(m.name.clone()),
            Text::plain(written.unit.clone().unwrap_or_else(|| "–".into())),
            from,
        ]);
    }
    table
}
