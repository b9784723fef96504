//! Stacked time-series plots of a simulation run, rendered to SVG.
//!
//! A [`Timeline`] is a list of [`Panel`]s that share one x axis (time, in
//! whatever unit the caller chose, e.g. minutes). Each panel has its own
//! y axis, title and legend and holds a few [`Series`] (lines, filled areas
//! or step lines). [`Marker`]s are vertical dashed lines drawn across every
//! panel, labelled once in a band above the first panel: scaling activities,
//! fault injection, and similar events.
//!
//! The plot reads only exported, per-period data (the same values written to
//! the CSV/JSON reports), never the simulator's internal state. A picture
//! therefore always agrees with the numbers a reader can check, and the
//! renderer can be tested without running a simulation.
//!
//! Missing datapoints are `None` and break the line, as in CloudWatch graphs,
//! rather than being drawn as zero. Non-finite values are treated as missing.
//!
//! Long series are downsampled to what the figure can show: when a series has
//! more datapoints than the plot area has pixel columns, each column keeps only
//! its first, smallest, largest and last datapoint (the "M4" envelope), so a
//! one-period spike stays visible and the line looks as if every point were
//! drawn, while the SVG stays small. A gap narrower than a pixel column is then
//! not visible. Series with at most one point per column are drawn point by
//! point. Markers too dense to label (more than [`MAX_MARKER_LINES`] after
//! merging those in the same pixel column) become a row of ticks in the marker
//! band under one label.
//!
//! Output is deterministic: the same input gives a byte-identical SVG (fixed
//! palette, no timestamps, no generated ids). Text is emitted as SVG `<text>`
//! in the bundled font's family (`DejaVu Sans, sans-serif`) and laid out from
//! that font's advance widths ([`crate::report::png::text_width`]), so it fits
//! exactly in the PNGs and in the HTML report, which both use that font.
//!
//! Legends sit right of the plot areas and the markers' labels and key in
//! bands above and below them: no text is drawn over data.

pub(crate) mod axes;
mod error;
mod figure;
mod layout;
mod legend;
mod marker_rows;
mod markers;
mod render;
mod series;
pub(crate) mod style;
#[cfg(test)]
mod test_support;
#[cfg(test)]
mod tests;

pub use error::{MAX_SIZE, MIN_PANEL_HEIGHT, MIN_WIDTH, PlotError};
pub use figure::{Marker, MarkerKey, Panel, Series, SeriesStyle, Timeline};
pub use marker_rows::MAX_MARKER_LINES;

use plotters::backend::SVGBackend;
use plotters::prelude::*;

use error::validate;
use layout::Layout;
use render::draw_figure;
use style::drawing_error;

/// Renders `t` as an SVG document and returns it.
///
/// The figure is `width` pixels wide. Its height is `height_per_panel` per
/// panel plus a title band at the top, a band for marker labels (only when a
/// marker is visible) and a band for the x-axis description at the bottom;
/// see [`figure_height`].
pub fn render_svg(t: &Timeline, width: u32, height_per_panel: u32) -> Result<String, PlotError> {
    validate(t, width, height_per_panel)?;
    let layout = Layout::new(t, width, height_per_panel);
    let mut svg = String::new();
    {
        let root =
            SVGBackend::with_string(&mut svg, (width, layout.total_height)).into_drawing_area();
        draw_figure(&root, t, &layout)?;
        root.present().map_err(drawing_error)?;
    }
    Ok(svg)
}

/// Height in pixels of the figure [`render_svg`] draws for `t` at this size.
pub fn figure_height(t: &Timeline, width: u32, height_per_panel: u32) -> u32 {
    Layout::new(t, width, height_per_panel).total_height
}
