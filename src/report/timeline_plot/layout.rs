//! Pixel geometry shared by every panel: bands, legend width, plot area and the shared x range.

use std::ops::Range;

use super::figure::{Series, SeriesStyle, Timeline};
use super::marker_rows::{MarkerLabel, Rug, Thinned, place_marker_labels, thin_markers};
use super::series::usable;
use super::style::{
    BOTTOM_BAND, LEGEND_GAP, LEGEND_MIN_W, LEGEND_PX, LEGEND_SWATCH, MARGIN_LEFT, MARKER_ROW,
    TITLE_BAND, Y_LABEL_AREA, text_width,
};

/// The SVG drawing area every part of the figure draws on.
pub(super) type Area<'a> =
    plotters::drawing::DrawingArea<plotters::backend::SVGBackend<'a>, plotters::coord::Shift>;

/// Legend entry for `s`; series without a usable datapoint say so.
pub(super) fn legend_text(s: &Series, log_y: bool) -> String {
    if s.values.iter().any(|v| usable(*v, log_y).is_some()) {
        s.name.clone()
    } else {
        format!("{} (no data)", s.name)
    }
}

pub(super) fn has_steps(t: &Timeline) -> bool {
    t.panels
        .iter()
        .flat_map(|p| &p.series)
        .any(|s| matches!(s.style, SeriesStyle::Steps | SeriesStyle::DashedSteps))
}

/// End of the period starting at `x[i]`, used by step series.
pub(super) fn period_end(x: &[f64], i: usize) -> f64 {
    match (x.get(i + 1), i.checked_sub(1).and_then(|p| x.get(p))) {
        (Some(next), _) => *next,
        (None, Some(prev)) => x[i] + (x[i] - prev),
        (None, None) => x[i] + 1.0,
    }
}

/// Shared x range: first to last period start, extended to the end of the
/// last period when a step series is present; never zero-width.
pub(super) fn x_range(t: &Timeline) -> Range<f64> {
    let (Some(first), Some(last)) = (t.x.first(), t.x.last()) else {
        return 0.0..1.0;
    };
    let end = if has_steps(t) {
        period_end(&t.x, t.x.len() - 1)
    } else {
        *last
    };
    if end > *first {
        *first..end
    } else {
        first - 0.5..first + 0.5
    }
}

/// Pixel geometry shared by all panels, so the plot areas line up.
pub(super) struct Layout {
    pub(super) width: u32,
    pub(super) panel_height: u32,
    pub(super) total_height: u32,
    pub(super) legend_width: u32,
    pub(super) x_range: Range<f64>,
    pub(super) markers: Vec<MarkerLabel>,
    /// Markers too dense to draw one by one: drawn as ticks in the marker band instead.
    pub(super) rug: Option<Rug>,
    /// Draw marker lines solid and light (many markers: a dashed line is one SVG element per
    /// dash, which would make most of the file).
    pub(super) solid_markers: bool,
    pub(super) marker_band: u32,
    /// Height of the row under the x-axis description that holds the markers' key (0: none).
    pub(super) key_band: u32,
}

impl Layout {
    pub(super) fn new(t: &Timeline, width: u32, panel_height: u32) -> Self {
        let longest = t
            .panels
            .iter()
            .flat_map(|p| p.series.iter().map(|s| legend_text(s, p.log_y)))
            .map(|text| text_width(&text, LEGEND_PX))
            .fold(0.0, f64::max);
        let wanted = (longest.ceil() as u32).saturating_add(LEGEND_SWATCH + 16);
        let legend_width = wanted.clamp(LEGEND_MIN_W, (width / 10 * 3).max(LEGEND_MIN_W));
        let mut layout = Self {
            width,
            panel_height,
            total_height: 0,
            legend_width,
            x_range: x_range(t),
            markers: Vec::new(),
            rug: None,
            solid_markers: false,
            marker_band: 0,
            key_band: 0,
        };
        if !t.panels.is_empty() {
            let plot = layout.plot_left()..layout.plot_right();
            match thin_markers(&t.markers, &layout.x_range, plot.clone()) {
                Thinned::AsGiven => {
                    layout.markers = place_marker_labels(&t.markers, &layout.x_range, plot, width);
                }
                Thinned::Merged(merged) => {
                    layout.solid_markers = true;
                    layout.markers = place_marker_labels(&merged, &layout.x_range, plot, width);
                }
                Thinned::Rug(rug) => layout.rug = Some(rug),
            }
        }
        layout.marker_band = match layout.markers.iter().filter_map(|m| m.row).max() {
            Some(rows) => (rows as u32 + 1) * MARKER_ROW + 6,
            None if layout.rug.is_some() => 2 * MARKER_ROW + 6,
            None => 0,
        };
        if layout.marker_band > 0 && !t.marker_key.is_empty() {
            layout.key_band = MARKER_ROW + 4;
        }
        let panels = u32::try_from(t.panels.len().max(1)).unwrap_or(u32::MAX);
        layout.total_height = TITLE_BAND
            .saturating_add(layout.marker_band)
            .saturating_add(panels.saturating_mul(panel_height))
            .saturating_add(BOTTOM_BAND)
            .saturating_add(layout.key_band);
        layout
    }

    pub(super) fn panel_top(&self, index: usize) -> u32 {
        let index = u32::try_from(index).unwrap_or(u32::MAX);
        (TITLE_BAND + self.marker_band).saturating_add(index.saturating_mul(self.panel_height))
    }

    pub(super) fn plot_left(&self) -> i32 {
        (MARGIN_LEFT + Y_LABEL_AREA) as i32
    }

    pub(super) fn plot_right(&self) -> i32 {
        let right = self.width.saturating_sub(self.legend_width + LEGEND_GAP);
        i32::try_from(right)
            .unwrap_or(i32::MAX)
            .max(self.plot_left() + 1)
    }
}

/// Absolute vertical pixel extent of a panel's plotting area (all panels
/// share the horizontal extent).
#[derive(Debug, Clone)]
pub(super) struct PlotRect {
    pub(super) y: Range<i32>,
}
