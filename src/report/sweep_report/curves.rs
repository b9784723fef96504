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
        let others: Vec<&str> = (0..e.parameters.len())
            .filter(|&k| Some(k) != e.plots.x)
            .map(|k| e.parameters[k].name.as_str())
            .collect();
        let lines = match e.plots.lines {
            Some(k) => format!(", one line per level of {}", e.parameters[k].name),
            None if others.is_empty() => String::new(),
            None => format!(", one line per level of {}", others.join(" × ")),
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
             such point (the constraint left it out), – a point without a value.",
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
