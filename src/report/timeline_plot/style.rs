//! Sizes, fonts and colours of the figure, and the text-width estimate that lays text out.

use std::fmt;

use plotters::prelude::*;

use super::error::PlotError;
use super::figure::Series;

// Layout constants (pixels). Font sizes are the rendered SVG font-size.

pub(crate) const TITLE_BAND: u32 = 40;
pub(crate) const BOTTOM_BAND: u32 = 34;
pub(crate) const PANEL_TITLE_BAND: u32 = 26;
pub(crate) const X_TICK_AREA: u32 = 24;
pub(crate) const Y_LABEL_AREA: u32 = 70;
pub(crate) const MARGIN_LEFT: u32 = 8;
pub(crate) const LEGEND_GAP: u32 = 14;
pub(crate) const LEGEND_SWATCH: u32 = 22;
pub(crate) const LEGEND_MIN_W: u32 = 110;
pub(crate) const MARKER_ROW: u32 = 16;
pub(crate) const MARKER_MAX_ROWS: usize = 4;
pub(crate) const MARKER_MAX_CHARS: usize = 28;

pub(crate) const FIGURE_TITLE_PX: f64 = 17.0;
pub(crate) const PANEL_TITLE_PX: f64 = 14.0;
pub(crate) const AXIS_PX: f64 = 12.0;
pub(crate) const LEGEND_PX: f64 = 12.0;
pub(crate) const MARKER_PX: f64 = 11.0;

/// Approximate advance width of an average character, relative to the font
/// size, for sans-serif text. A little generous so text never overflows.
pub(crate) const CHAR_WIDTH: f64 = 0.58;
/// Extra width of bold text relative to regular text.
pub(crate) const BOLD_WIDTH: f64 = 1.08;

/// Colour-blind friendly categorical palette (Tableau 10), cycled per panel.
pub(crate) const PALETTE: [RGBColor; 10] = [
    RGBColor(0x4E, 0x79, 0xA7),
    RGBColor(0xF2, 0x8E, 0x2B),
    RGBColor(0xE1, 0x57, 0x59),
    RGBColor(0x76, 0xB7, 0xB2),
    RGBColor(0x59, 0xA1, 0x4F),
    RGBColor(0xED, 0xC9, 0x48),
    RGBColor(0xB0, 0x7A, 0xA1),
    RGBColor(0xFF, 0x9D, 0xA7),
    RGBColor(0x9C, 0x75, 0x5F),
    RGBColor(0xBA, 0xB0, 0xAC),
];

pub(crate) const TEXT: RGBColor = RGBColor(0x22, 0x22, 0x22);
pub(crate) const MUTED: RGBColor = RGBColor(0x77, 0x77, 0x77);
pub(crate) const AXIS: RGBColor = RGBColor(0x99, 0x99, 0x99);
pub(crate) const GRID: RGBColor = RGBColor(0xE4, 0xE4, 0xE4);
pub(crate) const MARKER: RGBColor = RGBColor(0x55, 0x55, 0x55);
/// Solid marker lines, used when markers are many: as light as a dashed line looks.
pub(crate) const MARKER_LIGHT: RGBColor = RGBColor(0xA8, 0xA8, 0xA8);

/// Plotters scales text by 1/1.24 when writing SVG; this undoes it.
pub(crate) fn font(px: f64) -> TextStyle<'static> {
    ("sans-serif", px * 1.24).into_font().color(&TEXT)
}

pub(crate) fn bold_font(px: f64) -> TextStyle<'static> {
    ("sans-serif", px * 1.24, FontStyle::Bold)
        .into_font()
        .color(&TEXT)
}

pub(crate) fn text_width(text: &str, px: f64) -> f64 {
    text.chars().count() as f64 * px * CHAR_WIDTH
}

pub(crate) fn drawing_error(e: impl fmt::Display) -> PlotError {
    PlotError::Drawing(e.to_string())
}

/// Cuts `text` to at most `max_chars` characters, ending in an ellipsis.
pub(crate) fn truncate(text: &str, max_chars: usize) -> String {
    if text.chars().count() <= max_chars {
        return text.to_string();
    }
    let keep = max_chars.saturating_sub(1);
    let mut s: String = text.chars().take(keep).collect();
    s.push('…');
    s
}

pub(crate) fn series_color(s: &Series, index: usize) -> RGBColor {
    match s.color {
        Some([r, g, b]) => RGBColor(r, g, b),
        None => PALETTE[index % PALETTE.len()],
    }
}
