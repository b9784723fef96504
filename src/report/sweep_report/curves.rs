//! `curves`: every plot the sweep wrote, in the manifest's order, with a caption saying what it
//! shows and what its band is.

use super::SweepFolder;
use crate::report::document::{Block, Figure, Section, Text};

/// The section.
pub(super) fn section(f: &SweepFolder) -> Section {
    let mut blocks = Vec::new();
    if f.plots.is_empty() {
        blocks.push(Block::Paragraph(Text::plain(
            "No plots: no numeric parameter to plot against, two parameters for a heat map, \
             Auto Scaling groups to draw, or no metric has a value.",
        )));
    }
    for (file, svg) in &f.plots {
        let name = file.strip_suffix(".svg").unwrap_or(file).to_string();
        blocks.push(Block::Figure(Figure {
            caption: caption(f, &name),
            name,
            svg: svg.clone(),
        }));
    }
    Section {
        id: "curves".into(),
        title: "Curves".into(),
        blocks,
    }
}

/// What the plot `name` (a file stem) shows.
pub(super) fn caption(f: &SweepFolder, name: &str) -> String {
    let e = &f.experiment;
    let reps = f.sweep.experiment.replications;
    if let Some(metric) = name.strip_prefix("plot-") {
        let x = e
            .plots
            .x
            .map_or("the x parameter", |k| e.parameters[k].name.as_str());
        let lines = match line_parameters(f).as_slice() {
            [] => String::new(),
            [one] => format!(", one line per level of {one}"),
            many => format!(", one line per combination of {}", many.join(" × ")),
        };
        format!(
            "{metric} against {x}: the mean over each point's {reps} replications{lines}; the \
             band is the 95 % confidence interval of the mean over the replications."
        )
    } else if let Some(metric) = name.strip_prefix("heatmap-") {
        let names: Vec<&str> = e.parameters.iter().map(|p| p.name.as_str()).collect();
        format!(
            "{metric} for each pair of levels of {}: one cell per point, coloured by the mean \
             over its {reps} replications (the colour bar gives the scale); a blank cell is no \
             such point (left out of the grid), – a point without a value.",
            names.join(" and ")
        )
    } else if name == "capacity" {
        let points: Vec<String> = e
            .plots
            .capacity_points
            .iter()
            .map(|p| p.to_string())
            .collect();
        format!(
            "In-service instances (GroupInServiceInstances) of the Auto Scaling groups over \
             time at point{} {}: the mean over the {reps} replications as a step line; the band \
             runs from the smallest to the largest replication.",
            if points.len() == 1 { "" } else { "s" },
            points.join(", ")
        )
    } else {
        format!("{name}, as the sweep drew it.")
    }
}

/// The parameters that tell a curve plot's lines apart, as the plot draws them: the `lines`
/// parameter first, then every other but x that takes more than one level among the points
/// and is not in lockstep with x.
fn line_parameters(f: &SweepFolder) -> Vec<&str> {
    let e = &f.experiment;
    let Some(x) = e.plots.x else {
        return Vec::new();
    };
    let x_name = e.parameters[x].name.as_str();
    let varies = |k: usize| {
        let mut seen: Vec<usize> = e.points.iter().map(|p| p.levels[k]).collect();
        seen.sort_unstable();
        seen.dedup();
        seen.len() > 1
    };
    let with_x = |name: &str| {
        f.lockstep
            .iter()
            .any(|g| g.iter().any(|n| n == x_name) && g.iter().any(|n| n == name))
    };
    let mut order: Vec<usize> = e.plots.lines.into_iter().filter(|&k| k != x).collect();
    order.extend((0..e.parameters.len()).filter(|&k| k != x && Some(k) != e.plots.lines));
    order
        .into_iter()
        .filter(|&k| varies(k) && !with_x(&e.parameters[k].name))
        .map(|k| e.parameters[k].name.as_str())
        .collect()
}
