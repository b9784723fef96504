//! Sizes, fonts and colours of the figure, and the text widths that lay text out (measured from
//! the bundled font's advance widths, [`crate::report::png::text_width`]).
//!
//! Sized for a projector: at the figure's 1000 px width tick labels are 14 px, panel titles
//! 16 px, the figure title 18 px, and every data line is at least 2 px wide.

use std::fmt;

use plotters::prelude::*;

use super::error::PlotError;
use super::figure::Series;
use crate::report::png::SVG_FONT_FAMILY;

// Layout constants (pixels). Font sizes are the rendered SVG font-size.

pub(crate) const TITLE_BAND: u32 = 44;
pub(crate) const BOTTOM_BAND: u32 = 38;
pub(crate) const PANEL_TITLE_BAND: u32 = 30;
pub(crate) const X_TICK_AREA: u32 = 28;
pub(crate) const Y_LABEL_AREA: u32 = 82;
pub(crate) const MARGIN_LEFT: u32 = 8;
pub(crate) const LEGEND_GAP: u32 = 14;
pub(crate) const LEGEND_SWATCH: u32 = 24;
pub(crate) const LEGEND_MIN_W: u32 = 120;
pub(crate) const MARKER_ROW: u32 = 19;
pub(crate) const MARKER_MAX_ROWS: usize = 4;
pub(crate) const MARKER_MAX_CHARS: usize = 28;

pub(crate) const FIGURE_TITLE_PX: f64 = 18.0;
pub(crate) const PANEL_TITLE_PX: f64 = 16.0;
pub(crate) const AXIS_PX: f64 = 14.0;
pub(crate) const LEGEND_PX: f64 = 14.0;
pub(crate) const MARKER_PX: f64 = 13.0;
/// Width of every data line (series, legend swatches) [px].
pub(crate) const LINE_PX: u32 = 2;

/// Categorical palette for lines on white: ColorBrewer's Dark2 (distinct for the common kinds of
/// colour blindness) and two more, every colour at least 3:1 against white, so a 2 px line reads
/// on a projector. Instance `k` and target group `k` take colour `k` in every panel.
pub(crate) const PALETTE: [RGBColor; 10] = [
    RGBColor(0x1F, 0x77, 0xB4),
    RGBColor(0xD9, 0x5F, 0x02),
    RGBColor(0x1B, 0x9E, 0x77),
    RGBColor(0x75, 0x70, 0xB3),
    RGBColor(0xE7, 0x29, 0x8A),
    RGBColor(0x5E, 0x9A, 0x1B),
    RGBColor(0xA6, 0x76, 0x1D),
    RGBColor(0x66, 0x66, 0x66),
    RGBColor(0x17, 0x80, 0x8C),
    RGBColor(0xB2, 0x18, 0x2B),
];

pub(crate) const TEXT: RGBColor = RGBColor(0x22, 0x22, 0x22);
pub(crate) const MUTED: RGBColor = RGBColor(0x77, 0x77, 0x77);
pub(crate) const AXIS: RGBColor = RGBColor(0x99, 0x99, 0x99);
pub(crate) const GRID: RGBColor = RGBColor(0xE4, 0xE4, 0xE4);
pub(crate) const MARKER: RGBColor = RGBColor(0x55, 0x55, 0x55);
/// Solid marker lines, used when markers are many: as light as a dashed line looks.
pub(crate) const MARKER_LIGHT: RGBColor = RGBColor(0xA8, 0xA8, 0xA8);

/// Text in the bundled font (named first, `sans-serif` after it) at `px` pixels. Plotters scales
/// text by 1/1.24 when writing SVG; this undoes it.
pub(crate) fn font(px: f64) -> TextStyle<'static> {
    (SVG_FONT_FAMILY, px * 1.24).into_font().color(&TEXT)
}

/// Bold text in the bundled font at `px` pixels.
pub(crate) fn bold_font(px: f64) -> TextStyle<'static> {
    (SVG_FONT_FAMILY, px * 1.24, FontStyle::Bold)
        .into_font()
        .color(&TEXT)
}

/// Width in pixels of `text` in the bundled font at `px` pixels.
pub(crate) fn text_width(text: &str, px: f64) -> f64 {
    crate::report::png::text_width(text, px, false)
}

/// Width in pixels of `text` in the bundled bold font at `px` pixels.
pub(crate) fn bold_text_width(text: &str, px: f64) -> f64 {
    crate::report::png::text_width(text, px, true)
}

/// `text` cut (ending in an ellipsis) to fit in `room` pixels at `px` pixels, bold or not.
pub(crate) fn fit(text: &str, px: f64, bold: bool, room: f64) -> String {
    let width = |t: &str| crate::report::png::text_width(t, px, bold);
    if width(text) <= room {
        return text.to_string();
    }
    let chars: Vec<char> = text.chars().collect();
    // The longest prefix that fits with its ellipsis.
    let mut keep = chars.len();
    while keep > 0 {
        keep -= 1;
        let candidate: String = chars[..keep].iter().chain(['…'].iter()).collect();
        if width(&candidate) <= room {
            return candidate;
        }
    }
    "…".to_string()
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
