//! A sweep's plots (SVG, drawn with plotters in the run timeline's style): each metric against
//! the x parameter with confidence bands, heat maps of two-parameter grids, capacity over time.
//!
//! | file | when | what |
//! | --- | --- | --- |
//! | `plot-<metric>.svg` | the experiment has a numeric x parameter | the metric's mean against x, one line per level of the other parameters, the 95 % interval as a band |
//! | `heatmap-<metric>.svg` | exactly two parameters | a cell per pair of levels coloured by the mean |
//! | `capacity.svg` | the chosen points' runs have Auto Scaling groups | in-service instances per period, mean and min–max band |
//!
//! A metric without any value gets no plot. Output is deterministic like the timeline's.

mod capacity;
mod curves;
mod frame;
mod heatmap;
mod lines;

use super::summary::{RenderError, Summary};

/// Every plot of the sweep (file name, SVG), in a fixed order: for each metric its
/// `plot-<metric>.svg` then its `heatmap-<metric>.svg`, then `capacity.svg`.
pub fn render(s: &Summary<'_>) -> Result<Vec<(String, Vec<u8>)>, RenderError> {
    let e = s.experiment;
    let x = e
        .plots
        .x
        .filter(|&k| e.parameters.get(k).is_some_and(|p| p.numeric));
    let mut out = Vec::new();
    for m in 0..e.metrics.len() {
        if let Some(x) = x {
            out.extend(curves::render(s, x, m)?);
        }
        if e.parameters.len() == 2 {
            let across = match e.plots.x {
                Some(k) if k < 2 => k,
                _ if e.plots.lines == Some(1) => 0,
                _ => 1,
            };
            out.extend(heatmap::render(s, across, 1 - across, m)?);
        }
    }
    out.extend(capacity::render(s)?);
    Ok(out)
}

#[cfg(test)]
mod tests;
