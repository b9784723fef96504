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
//! with the generic `sans-serif` family and is sized from an approximate
//! width estimate (no font files are read), so the viewer picks the font.

use std::fmt;
use std::ops::Range;

use plotters::backend::SVGBackend;
use plotters::coord::Shift;
use plotters::coord::ranged1d::{AsRangedCoord, ValueFormatter};
use plotters::coord::types::RangedCoordf64;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// A complete figure: panels stacked vertically over a shared x axis.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Timeline {
    /// Figure title, centred above all panels.
    pub title: String,
    /// Description of the shared x axis, shown once below the last panel
    /// (e.g. `"time [min]"`).
    pub x_label: String,
    /// Start of each period, in the x unit; strictly increasing and finite.
    /// Every non-empty [`Series::values`] must have the same length.
    pub x: Vec<f64>,
    /// Panels, drawn top to bottom.
    pub panels: Vec<Panel>,
    /// Vertical markers drawn across all panels (order does not matter).
    pub markers: Vec<Marker>,
}

/// One plot with its own y axis, title and legend.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Panel {
    /// Title shown above the panel's plot area.
    pub title: String,
    /// Description of the y axis, including the unit (e.g. `"latency \[ms\]"`).
    pub y_label: String,
    /// Series drawn in this panel; colours cycle through a fixed palette
    /// unless [`Series::color`] is set.
    pub series: Vec<Series>,
    /// Start the y axis at zero (ignored when `log_y` is set).
    pub y_min_zero: bool,
    /// Use a base-10 logarithmic y axis; values `<= 0` are treated as missing
    /// and the axis is widened to whole decades.
    pub log_y: bool,
}

/// One named sequence of values, aligned with [`Timeline::x`].
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Series {
    /// Name shown in the panel legend.
    pub name: String,
    /// One value per period; `None` (or a non-finite value) means "no
    /// datapoint" and leaves a gap. An empty vector means "no data at all".
    pub values: Vec<Option<f64>>,
    /// How the values are drawn.
    pub style: SeriesStyle,
    /// Explicit colour as `[r, g, b]`; `None` picks the next palette colour.
    pub color: Option<[u8; 3]>,
}

/// How a [`Series`] is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SeriesStyle {
    /// Straight segments between consecutive datapoints; an isolated
    /// datapoint is drawn as a dot.
    #[default]
    Line,
    /// Like [`SeriesStyle::Line`], with the area down to zero (or the bottom
    /// of the axis, if zero is not visible) filled semi-transparently.
    Area,
    /// Each value is held from its period start to the next period start
    /// (suits counts such as desired capacity). The last period extends by
    /// the last period length, which widens the shared x range.
    Steps,
}

/// A vertical dashed line across all panels with a short label at the top.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Marker {
    /// Position in the x unit; markers outside the x range are not drawn.
    pub x: f64,
    /// Short label (a few words); long labels are truncated.
    pub label: String,
}

/// Why a timeline could not be rendered.
#[derive(Debug, Clone, PartialEq)]
pub enum PlotError {
    /// The requested size is too small to lay out the figure, or the figure
    /// would exceed [`MAX_SIZE`].
    InvalidSize {
        /// Requested width in pixels.
        width: u32,
        /// Requested height of one panel in pixels.
        height_per_panel: u32,
    },
    /// [`Timeline::x`] is not finite and strictly increasing.
    InvalidX(String),
    /// A series has a different number of values than [`Timeline::x`].
    LengthMismatch {
        /// Title of the panel holding the series.
        panel: String,
        /// Name of the offending series.
        series: String,
        /// `Timeline::x.len()`.
        expected: usize,
        /// `Series::values.len()`.
        got: usize,
    },
    /// The plotting library reported an error.
    Drawing(String),
}

impl fmt::Display for PlotError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InvalidSize {
                width,
                height_per_panel,
            } => write!(
                f,
                "plot size {width} wide, {height_per_panel} per panel is out of range \
                 (width >= {MIN_WIDTH}, height per panel >= {MIN_PANEL_HEIGHT}, \
                 figure at most {MAX_SIZE} pixels either way)"
            ),
            Self::InvalidX(why) => write!(f, "invalid x values: {why}"),
            Self::LengthMismatch {
                panel,
                series,
                expected,
                got,
            } => write!(
                f,
                "series \"{series}\" in panel \"{panel}\" has {got} values, expected {expected}"
            ),
            Self::Drawing(msg) => write!(f, "drawing failed: {msg}"),
        }
    }
}

impl std::error::Error for PlotError {}

/// Smallest accepted figure width in pixels.
pub const MIN_WIDTH: u32 = 320;
/// Smallest accepted panel height in pixels.
pub const MIN_PANEL_HEIGHT: u32 = 120;
/// Largest accepted figure width or total height in pixels.
pub const MAX_SIZE: u32 = 32_768;

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

// ---------------------------------------------------------------------------
// Layout constants (pixels). Font sizes are the rendered SVG font-size.

const TITLE_BAND: u32 = 40;
const BOTTOM_BAND: u32 = 34;
const PANEL_TITLE_BAND: u32 = 26;
const X_TICK_AREA: u32 = 24;
const Y_LABEL_AREA: u32 = 70;
const MARGIN_LEFT: u32 = 8;
const LEGEND_GAP: u32 = 14;
const LEGEND_SWATCH: u32 = 22;
const LEGEND_MIN_W: u32 = 110;
const MARKER_ROW: u32 = 16;
const MARKER_MAX_ROWS: usize = 4;
const MARKER_MAX_CHARS: usize = 28;

const FIGURE_TITLE_PX: f64 = 17.0;
const PANEL_TITLE_PX: f64 = 14.0;
const AXIS_PX: f64 = 12.0;
const LEGEND_PX: f64 = 12.0;
const MARKER_PX: f64 = 11.0;

/// Approximate advance width of an average character, relative to the font
/// size, for sans-serif text. A little generous so text never overflows.
const CHAR_WIDTH: f64 = 0.58;
/// Extra width of bold text relative to regular text.
const BOLD_WIDTH: f64 = 1.08;

/// Colour-blind friendly categorical palette (Tableau 10), cycled per panel.
const PALETTE: [RGBColor; 10] = [
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

const TEXT: RGBColor = RGBColor(0x22, 0x22, 0x22);
const MUTED: RGBColor = RGBColor(0x77, 0x77, 0x77);
const AXIS: RGBColor = RGBColor(0x99, 0x99, 0x99);
const GRID: RGBColor = RGBColor(0xE4, 0xE4, 0xE4);
const MARKER: RGBColor = RGBColor(0x55, 0x55, 0x55);
/// Solid marker lines, used when markers are many: as light as a dashed line looks.
const MARKER_LIGHT: RGBColor = RGBColor(0xA8, 0xA8, 0xA8);

/// Plotters scales text by 1/1.24 when writing SVG; this undoes it.
fn font(px: f64) -> TextStyle<'static> {
    ("sans-serif", px * 1.24).into_font().color(&TEXT)
}

fn bold_font(px: f64) -> TextStyle<'static> {
    ("sans-serif", px * 1.24, FontStyle::Bold)
        .into_font()
        .color(&TEXT)
}

fn text_width(text: &str, px: f64) -> f64 {
    text.chars().count() as f64 * px * CHAR_WIDTH
}

fn drawing_error(e: impl fmt::Display) -> PlotError {
    PlotError::Drawing(e.to_string())
}

// ---------------------------------------------------------------------------
// Validation and data preparation

fn validate(t: &Timeline, width: u32, height_per_panel: u32) -> Result<(), PlotError> {
    let height = figure_height(t, width, height_per_panel);
    if width < MIN_WIDTH
        || height_per_panel < MIN_PANEL_HEIGHT
        || width > MAX_SIZE
        || height > MAX_SIZE
    {
        return Err(PlotError::InvalidSize {
            width,
            height_per_panel,
        });
    }
    if let Some(i) = t.x.iter().position(|v| !v.is_finite()) {
        return Err(PlotError::InvalidX(format!("x[{i}] is not finite")));
    }
    if let Some(i) = t.x.windows(2).position(|w| w[1] <= w[0]) {
        return Err(PlotError::InvalidX(format!(
            "x[{}] = {} does not increase from x[{i}] = {}",
            i + 1,
            t.x[i + 1],
            t.x[i]
        )));
    }
    for panel in &t.panels {
        for s in &panel.series {
            if !s.values.is_empty() && s.values.len() != t.x.len() {
                return Err(PlotError::LengthMismatch {
                    panel: panel.title.clone(),
                    series: s.name.clone(),
                    expected: t.x.len(),
                    got: s.values.len(),
                });
            }
        }
    }
    Ok(())
}

/// The value, if it is a usable datapoint (finite; positive on a log axis).
fn usable(v: Option<f64>, log_y: bool) -> Option<f64> {
    v.filter(|v| v.is_finite() && (!log_y || *v > 0.0))
}

/// Maximal index ranges of consecutive usable datapoints.
fn runs(values: &[Option<f64>], log_y: bool) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, v) in values.iter().enumerate() {
        match (usable(*v, log_y), start) {
            (Some(_), None) => start = Some(i),
            (None, Some(s)) => {
                out.push(s..i);
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push(s..values.len());
    }
    out
}

fn has_steps(t: &Timeline) -> bool {
    t.panels
        .iter()
        .flat_map(|p| &p.series)
        .any(|s| s.style == SeriesStyle::Steps)
}

/// End of the period starting at `x[i]`, used by step series.
fn period_end(x: &[f64], i: usize) -> f64 {
    match (x.get(i + 1), i.checked_sub(1).and_then(|p| x.get(p))) {
        (Some(next), _) => *next,
        (None, Some(prev)) => x[i] + (x[i] - prev),
        (None, None) => x[i] + 1.0,
    }
}

/// Shared x range: first to last period start, extended to the end of the
/// last period when a step series is present; never zero-width.
fn x_range(t: &Timeline) -> Range<f64> {
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

/// A marker label placed in the band above the panels.
#[derive(Debug, Clone)]
struct MarkerLabel {
    /// Marker position in the x unit.
    x: f64,
    /// Label text, truncated.
    text: String,
    /// Row in the marker band, from the top; `None` if the label was left
    /// out for lack of room (the line is still drawn).
    row: Option<usize>,
    /// Put the label left of the line (near the right edge).
    flip: bool,
}

/// Visible markers sorted by x, with label rows chosen so that labels do not
/// overlap. `plot` is the horizontal pixel extent of the plot areas.
fn place_marker_labels(
    markers: &[Marker],
    xr: &Range<f64>,
    plot: Range<i32>,
    width: u32,
) -> Vec<MarkerLabel> {
    let mut visible: Vec<&Marker> = markers
        .iter()
        .filter(|m| m.x.is_finite() && m.x >= xr.start && m.x <= xr.end)
        .collect();
    visible.sort_by(|a, b| a.x.total_cmp(&b.x));
    let scale = f64::from(plot.end - plot.start) / (xr.end - xr.start);
    let mut placed: Vec<Placed> = Vec::new();
    visible
        .into_iter()
        .map(|m| {
            let px = plot.start + ((m.x - xr.start) * scale).round() as i32;
            let text = truncate(&m.label, MARKER_MAX_CHARS);
            let w = text_width(&text, MARKER_PX).ceil() as i32 + 3;
            let flip = px + w > width as i32 - 4;
            let span = if flip { px - w..px } else { px..px + w };
            let row = choose_row(&placed, &span, px);
            if let Some(row) = row {
                placed.push(Placed {
                    row,
                    span,
                    line: px,
                });
            }
            MarkerLabel {
                x: m.x,
                text,
                row,
                flip,
            }
        })
        .collect()
}

/// Most marker lines drawn; beyond that (after merging markers that share a pixel column) markers
/// become ticks in the marker band.
pub const MAX_MARKER_LINES: usize = 40;

/// How the markers are drawn.
enum Thinned {
    /// One line per marker (at most [`MAX_MARKER_LINES`] are visible).
    AsGiven,
    /// Markers sharing a pixel column merged into one, labelled `… ×k` (same label) or
    /// `… +k more`.
    Merged(Vec<Marker>),
    /// Still too many: ticks under one label.
    Rug(Rug),
}

/// Thins markers for a plot area spanning pixels `plot` over `xr`, so that long runs do not draw a
/// wall of lines and labels.
fn thin_markers(markers: &[Marker], xr: &Range<f64>, plot: Range<i32>) -> Thinned {
    let mut visible: Vec<&Marker> = markers
        .iter()
        .filter(|m| m.x.is_finite() && m.x >= xr.start && m.x <= xr.end)
        .collect();
    if visible.len() <= MAX_MARKER_LINES {
        return Thinned::AsGiven;
    }
    visible.sort_by(|a, b| a.x.total_cmp(&b.x));
    let scale = f64::from(plot.end - plot.start) / (xr.end - xr.start);
    let px = |m: &Marker| plot.start + ((m.x - xr.start) * scale).round() as i32;
    let mut groups: Vec<(i32, Vec<&Marker>)> = Vec::new();
    for m in visible.iter().copied() {
        match groups.last_mut() {
            Some((p, group)) if *p == px(m) => group.push(m),
            _ => groups.push((px(m), vec![m])),
        }
    }
    if groups.len() > MAX_MARKER_LINES {
        return Thinned::Rug(Rug {
            ticks: groups.iter().map(|(p, _)| *p).collect(),
            count: visible.len(),
        });
    }
    let merged = groups
        .into_iter()
        .map(|(_, group)| {
            let first = group[0];
            let label = match group.len() {
                1 => first.label.clone(),
                k if group.iter().all(|m| m.label == first.label) => {
                    format!("{} ×{k}", first.label)
                }
                k => format!("{} +{} more", first.label, k - 1),
            };
            Marker { x: first.x, label }
        })
        .collect();
    Thinned::Merged(merged)
}

/// A "nice" tick step (1, 2, 2.5 or 5 times a power of ten) >= `raw`.
fn nice_step(raw: f64) -> f64 {
    if !(raw.is_finite() && raw > 0.0) {
        return 1.0;
    }
    let mag = 10f64.powf(raw.log10().floor());
    let norm = raw / mag;
    let mult = [1.0, 2.0, 2.5, 5.0]
        .into_iter()
        .find(|m| norm <= *m * (1.0 + 1e-9))
        .unwrap_or(10.0);
    mult * mag
}

/// Linear y range with headroom, snapped outward to a nice tick step.
fn linear_y_range(values: impl Iterator<Item = f64>, min_zero: bool) -> Range<f64> {
    let Some((mut lo, mut hi)) = values.fold(None, |acc: Option<(f64, f64)>, v| match acc {
        None => Some((v, v)),
        Some((lo, hi)) => Some((lo.min(v), hi.max(v))),
    }) else {
        return 0.0..1.0;
    };
    if min_zero {
        lo = lo.min(0.0);
        hi = hi.max(0.0);
    }
    if hi - lo <= f64::EPSILON * hi.abs().max(lo.abs()).max(1.0) {
        let pad = if hi == 0.0 { 1.0 } else { hi.abs() * 0.1 };
        hi += pad;
        if !(min_zero && lo == 0.0) {
            lo -= pad;
        }
    }
    let span = hi - lo;
    hi += 0.05 * span;
    if lo != 0.0 {
        lo -= 0.05 * span;
    }
    let step = nice_step((hi - lo) / 5.0);
    let (lo, hi) = ((lo / step).floor() * step, (hi / step).ceil() * step);
    if lo.is_finite() && hi.is_finite() && hi > lo {
        lo..hi
    } else {
        0.0..1.0
    }
}

/// Log y range covering whole decades.
fn log_y_range(values: impl Iterator<Item = f64>) -> Range<f64> {
    let (lo, hi) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
        (lo.min(v), hi.max(v))
    });
    if !(lo.is_finite() && hi.is_finite()) {
        return 1.0..10.0;
    }
    let lo_exp = lo.log10().floor().clamp(-300.0, 300.0) as i32;
    let mut hi_exp = (hi * 1.05).log10().ceil().clamp(-300.0, 300.0) as i32;
    if hi_exp <= lo_exp {
        hi_exp = lo_exp + 1;
    }
    10f64.powi(lo_exp)..10f64.powi(hi_exp)
}

fn panel_values(panel: &Panel) -> impl Iterator<Item = f64> + '_ {
    let log_y = panel.log_y;
    panel
        .series
        .iter()
        .flat_map(|s| &s.values)
        .filter_map(move |v| usable(*v, log_y))
}

/// Compact tick label: at most ~6 characters for typical values.
fn format_number(v: f64) -> String {
    if !v.is_finite() {
        return String::new();
    }
    let a = v.abs();
    if a < 1e-12 {
        return "0".to_string();
    }
    let (scaled, suffix) = if a >= 1e9 {
        (v / 1e9, "G")
    } else if a >= 1e6 {
        (v / 1e6, "M")
    } else if a >= 1e4 {
        (v / 1e3, "k")
    } else {
        (v, "")
    };
    let sa = scaled.abs();
    let decimals = if sa >= 100.0 {
        1
    } else if sa >= 1.0 {
        2
    } else {
        ((-sa.log10().floor()) as usize + 2).min(8)
    };
    let mut s = format!("{scaled:.decimals$}");
    if s.contains('.') {
        s.truncate(s.trim_end_matches('0').trim_end_matches('.').len());
    }
    if s == "-0" {
        s = "0".to_string();
    }
    s + suffix
}

/// Cuts `text` to at most `max_chars` characters, ending in an ellipsis.
fn truncate(text: &str, max_chars: usize) -> String {
    if text.chars().count() <= max_chars {
        return text.to_string();
    }
    let keep = max_chars.saturating_sub(1);
    let mut s: String = text.chars().take(keep).collect();
    s.push('…');
    s
}

fn series_color(s: &Series, index: usize) -> RGBColor {
    match s.color {
        Some([r, g, b]) => RGBColor(r, g, b),
        None => PALETTE[index % PALETTE.len()],
    }
}

// ---------------------------------------------------------------------------
// Layout

/// Pixel geometry shared by all panels, so the plot areas line up.
struct Layout {
    width: u32,
    panel_height: u32,
    total_height: u32,
    legend_width: u32,
    x_range: Range<f64>,
    markers: Vec<MarkerLabel>,
    /// Markers too dense to draw one by one: drawn as ticks in the marker band instead.
    rug: Option<Rug>,
    /// Draw marker lines solid and light (many markers: a dashed line is one SVG element per
    /// dash, which would make most of the file).
    solid_markers: bool,
    marker_band: u32,
}

/// Markers drawn as ticks under one label, when there are too many to draw as lines.
#[derive(Debug, Clone, PartialEq)]
struct Rug {
    /// Pixel x of each tick (one per pixel column holding a marker), increasing.
    ticks: Vec<i32>,
    /// Number of markers the ticks stand for.
    count: usize,
}

impl Layout {
    fn new(t: &Timeline, width: u32, panel_height: u32) -> Self {
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
        let panels = u32::try_from(t.panels.len().max(1)).unwrap_or(u32::MAX);
        layout.total_height = TITLE_BAND
            .saturating_add(layout.marker_band)
            .saturating_add(panels.saturating_mul(panel_height))
            .saturating_add(BOTTOM_BAND);
        layout
    }

    fn panel_top(&self, index: usize) -> u32 {
        let index = u32::try_from(index).unwrap_or(u32::MAX);
        (TITLE_BAND + self.marker_band).saturating_add(index.saturating_mul(self.panel_height))
    }

    fn plot_left(&self) -> i32 {
        (MARGIN_LEFT + Y_LABEL_AREA) as i32
    }

    fn plot_right(&self) -> i32 {
        let right = self.width.saturating_sub(self.legend_width + LEGEND_GAP);
        i32::try_from(right)
            .unwrap_or(i32::MAX)
            .max(self.plot_left() + 1)
    }
}

/// Legend entry for `s`; series without a usable datapoint say so.
fn legend_text(s: &Series, log_y: bool) -> String {
    if s.values.iter().any(|v| usable(*v, log_y).is_some()) {
        s.name.clone()
    } else {
        format!("{} (no data)", s.name)
    }
}

/// Absolute vertical pixel extent of a panel's plotting area (all panels
/// share the horizontal extent).
#[derive(Debug, Clone)]
struct PlotRect {
    y: Range<i32>,
}

// ---------------------------------------------------------------------------
// Drawing

type Area<'a> = DrawingArea<SVGBackend<'a>, Shift>;

fn draw_figure(root: &Area<'_>, t: &Timeline, layout: &Layout) -> Result<(), PlotError> {
    root.fill(&WHITE).map_err(drawing_error)?;
    let centre = (layout.plot_left() + layout.plot_right()) / 2;
    draw_title(root, &t.title, layout.width, centre)?;

    if t.panels.is_empty() {
        let y = (layout.panel_top(0) + layout.panel_height / 2) as i32;
        let style = font(PANEL_TITLE_PX)
            .color(&MUTED)
            .pos(Pos::new(HPos::Center, VPos::Center));
        root.draw(&Text::new("no panels", (centre, y), style))
            .map_err(drawing_error)?;
    }

    let mut rects = Vec::with_capacity(t.panels.len());
    let mut marker_px = Vec::new();
    for (i, panel) in t.panels.iter().enumerate() {
        let top = layout.panel_top(i);
        let area = root
            .clone()
            .shrink((0, top), (layout.width, layout.panel_height));
        let (rect, px) = draw_panel(&area, t, panel, layout)?;
        if i == 0 {
            marker_px = px;
        }
        rects.push(rect);
    }

    let x_desc_y = (layout.total_height - BOTTOM_BAND / 2) as i32;
    let style = font(AXIS_PX).pos(Pos::new(HPos::Center, VPos::Center));
    root.draw(&Text::new(t.x_label.clone(), (centre, x_desc_y), style))
        .map_err(drawing_error)?;

    draw_markers(root, t, layout, &rects, &marker_px)
}

/// Figure title centred over the plot areas, shifted and truncated as
/// needed to stay inside the figure.
fn draw_title(root: &Area<'_>, title: &str, width: u32, centre: i32) -> Result<(), PlotError> {
    let char_w = FIGURE_TITLE_PX * CHAR_WIDTH * BOLD_WIDTH;
    let room = f64::from(width.saturating_sub(16));
    let title = truncate(title, (room / char_w).floor() as usize);
    let half = (text_width(&title, FIGURE_TITLE_PX) * BOLD_WIDTH / 2.0).ceil() as i32;
    let width = width as i32;
    let centre = centre.min(width - 8 - half).max(8 + half);
    let style = bold_font(FIGURE_TITLE_PX).pos(Pos::new(HPos::Center, VPos::Center));
    root.draw(&Text::new(title, (centre, (TITLE_BAND / 2) as i32), style))
        .map_err(drawing_error)
}

/// Draws one panel; returns its plot rectangle and the pixel x of each marker.
fn draw_panel(
    area: &Area<'_>,
    t: &Timeline,
    panel: &Panel,
    layout: &Layout,
) -> Result<(PlotRect, Vec<i32>), PlotError> {
    let style = bold_font(PANEL_TITLE_PX).pos(Pos::new(HPos::Left, VPos::Center));
    area.draw(&Text::new(
        panel.title.clone(),
        (layout.plot_left(), (PANEL_TITLE_BAND / 2) as i32 + 2),
        style,
    ))
    .map_err(drawing_error)?;

    let drawn = if panel.log_y {
        let yr = log_y_range(panel_values(panel));
        draw_chart(area, t, panel, layout, yr.clone().log_scale(), yr)?
    } else {
        let yr = linear_y_range(panel_values(panel), panel.y_min_zero);
        draw_chart(area, t, panel, layout, yr.clone(), yr)?
    };
    draw_legend(area, panel, layout, &drawn.0)?;
    Ok(drawn)
}

/// Builds the chart for one panel and draws the mesh and all series.
fn draw_chart<Y>(
    area: &Area<'_>,
    t: &Timeline,
    panel: &Panel,
    layout: &Layout,
    y_spec: Y,
    yr: Range<f64>,
) -> Result<(PlotRect, Vec<i32>), PlotError>
where
    Y: AsRangedCoord<Value = f64>,
    Y::CoordDescType: ValueFormatter<f64>,
{
    let mut chart = ChartBuilder::on(area)
        .margin_top(PANEL_TITLE_BAND)
        .margin_left(MARGIN_LEFT)
        .margin_right(layout.legend_width + LEGEND_GAP)
        .x_label_area_size(X_TICK_AREA)
        .y_label_area_size(Y_LABEL_AREA)
        .build_cartesian_2d(layout.x_range.clone(), y_spec)
        .map_err(drawing_error)?;

    let (px, py) = chart.plotting_area().get_pixel_range();
    let x_labels = (((px.end - px.start) / 70).clamp(3, 15)) as usize;
    let y_labels = (((py.end - py.start) / 32).clamp(2, 6)) as usize;
    let number = |v: &f64| format_number(*v);
    chart
        .configure_mesh()
        .x_labels(x_labels)
        .y_labels(y_labels)
        .x_label_formatter(&number)
        .y_label_formatter(&number)
        .bold_line_style(GRID)
        .light_line_style(TRANSPARENT)
        .axis_style(AXIS)
        .label_style(font(AXIS_PX))
        .axis_desc_style(font(AXIS_PX))
        .y_desc(panel.y_label.as_str())
        .draw()
        .map_err(drawing_error)?;

    let baseline = 0f64.clamp(yr.start, yr.end);
    let columns = Columns::of(&layout.x_range, layout.plot_right() - layout.plot_left());
    let mut any_data = false;
    for (i, s) in panel.series.iter().enumerate() {
        any_data |= draw_series(
            &mut chart,
            &t.x,
            s,
            series_color(s, i),
            baseline,
            panel.log_y,
            &columns,
        )?;
    }
    if !any_data {
        let centre = ((px.end - px.start) / 2, (py.end - py.start) / 2);
        let style = font(PANEL_TITLE_PX)
            .color(&MUTED)
            .pos(Pos::new(HPos::Center, VPos::Center));
        chart
            .plotting_area()
            .strip_coord_spec()
            .draw(&Text::new("no data", centre, style))
            .map_err(drawing_error)?;
    }

    let y_any = yr.start;
    let marker_px = layout
        .markers
        .iter()
        .map(|m| chart.backend_coord(&(m.x, y_any)).0)
        .collect();
    Ok((PlotRect { y: py }, marker_px))
}

type Chart<'a, 'b, Y> = ChartContext<'a, SVGBackend<'b>, Cartesian2d<RangedCoordf64, Y>>;

/// Draws one series; returns whether it had any datapoint.
fn draw_series<Y>(
    chart: &mut Chart<'_, '_, Y>,
    x: &[f64],
    s: &Series,
    color: RGBColor,
    baseline: f64,
    log_y: bool,
    columns: &Columns,
) -> Result<bool, PlotError>
where
    Y: Ranged<ValueType = f64>,
{
    let line = color.stroke_width(2);
    let fill = color.mix(0.22).filled();
    let runs = drawn_runs(x, &s.values, log_y, columns);
    for run in &runs {
        let at = |i: usize| (x[i], s.values[i].unwrap_or(0.0));
        match s.style {
            SeriesStyle::Steps => {
                let points = run
                    .iter()
                    .flat_map(|&i| [at(i), (period_end(x, i), at(i).1)]);
                chart
                    .draw_series(LineSeries::new(points, line))
                    .map_err(drawing_error)?;
            }
            _ if run.len() == 1 => {
                let dot = Circle::new(at(run[0]), 3, color.filled());
                chart
                    .draw_series(std::iter::once(dot))
                    .map_err(drawing_error)?;
            }
            SeriesStyle::Area => {
                let area =
                    AreaSeries::new(run.iter().map(|&i| at(i)), baseline, fill).border_style(line);
                chart.draw_series(area).map_err(drawing_error)?;
            }
            SeriesStyle::Line => {
                chart
                    .draw_series(LineSeries::new(run.iter().map(|&i| at(i)), line))
                    .map_err(drawing_error)?;
            }
        }
    }
    Ok(!runs.is_empty())
}

/// The pixel columns of the plot area over the shared x range.
struct Columns {
    start: f64,
    per_unit: f64,
    count: usize,
}

impl Columns {
    fn of(xr: &Range<f64>, pixels: i32) -> Self {
        let count = pixels.max(1) as usize;
        Columns {
            start: xr.start,
            per_unit: count as f64 / (xr.end - xr.start),
            count,
        }
    }

    /// The column `x` falls in (clamped to the plot area).
    fn of_x(&self, x: f64) -> usize {
        let c = ((x - self.start) * self.per_unit).floor();
        if c > 0.0 {
            (c as usize).min(self.count - 1)
        } else {
            0
        }
    }
}

/// The datapoints to draw, as runs of indices into `values`: every usable datapoint, split at
/// gaps, when there are at most as many datapoints as pixel columns; otherwise the M4 envelope of
/// each column (its first, smallest, largest and last usable datapoint, in order), split where a
/// whole column has no usable datapoint.
fn drawn_runs(
    x: &[f64],
    values: &[Option<f64>],
    log_y: bool,
    columns: &Columns,
) -> Vec<Vec<usize>> {
    if values.len() <= columns.count {
        return runs(values, log_y)
            .into_iter()
            .map(|r| r.collect())
            .collect();
    }
    let mut out: Vec<Vec<usize>> = Vec::new();
    let mut run: Vec<usize> = Vec::new();
    // The column being filled: its index and its first, min, max and last datapoints.
    let mut open: Option<(usize, [usize; 4])> = None;
    let flush = |cell: [usize; 4], run: &mut Vec<usize>| {
        let mut picked = cell;
        picked.sort_unstable();
        for i in picked {
            if run.last() != Some(&i) {
                run.push(i);
            }
        }
    };
    let value = |i: usize| usable(values[i], log_y);
    for (i, xi) in x.iter().enumerate().take(values.len()) {
        let column = columns.of_x(*xi);
        let Some(v) = value(i) else {
            continue;
        };
        match &mut open {
            Some((c, cell)) if *c == column => {
                let [_, lo, hi, last] = cell;
                if v < value(*lo).unwrap_or(v) {
                    *lo = i;
                }
                if v > value(*hi).unwrap_or(v) {
                    *hi = i;
                }
                *last = i;
            }
            _ => {
                if let Some((c, cell)) = open.take() {
                    // Missing datapoints between the two columns break the line when they fill
                    // a column of their own; a gap narrower than a column is not visible.
                    let gap = (cell[3] + 1..i).any(|k| {
                        let ck = columns.of_x(x[k]);
                        c < ck && ck < column
                    });
                    flush(cell, &mut run);
                    if gap {
                        out.push(std::mem::take(&mut run));
                    }
                }
                open = Some((column, [i; 4]));
            }
        }
    }
    if let Some((_, cell)) = open {
        flush(cell, &mut run);
    }
    if !run.is_empty() {
        out.push(run);
    }
    out
}

/// Legend to the right of the plot area, one row per series.
fn draw_legend(
    area: &Area<'_>,
    panel: &Panel,
    layout: &Layout,
    rect: &PlotRect,
) -> Result<(), PlotError> {
    if panel.series.is_empty() {
        return Ok(());
    }
    let (ox, oy) = (area.get_base_pixel().0, area.get_base_pixel().1);
    let left = layout.plot_right() + LEGEND_GAP as i32 - ox;
    let top = rect.y.start - oy + 2;
    let height = rect.y.end - rect.y.start;
    let count = panel.series.len() as i32;
    let row = (height / count).clamp(12, 18);
    let fits = ((height / row).max(1) as usize).min(panel.series.len());
    // Reserve the last row for "+N more" when not everything fits.
    let shown = if fits < panel.series.len() {
        fits.saturating_sub(1)
    } else {
        fits
    };
    let text_room = layout.legend_width.saturating_sub(LEGEND_SWATCH + 6) as f64;
    let max_chars = ((text_room / (LEGEND_PX * CHAR_WIDTH)).floor() as usize).max(4);

    for (i, s) in panel.series.iter().take(shown).enumerate() {
        let y = top + i as i32 * row + row / 2;
        let text = legend_text(s, panel.log_y);
        let has_data = text == s.name;
        draw_swatch(area, s, series_color(s, i), (left, y))?;
        let style = font(LEGEND_PX)
            .color(if has_data { &TEXT } else { &MUTED })
            .pos(Pos::new(HPos::Left, VPos::Center));
        area.draw(&Text::new(
            truncate(&text, max_chars),
            (left + LEGEND_SWATCH as i32 + 6, y),
            style,
        ))
        .map_err(drawing_error)?;
    }
    if shown < panel.series.len() {
        let y = top + shown as i32 * row + row / 2;
        let style = font(LEGEND_PX)
            .color(&MUTED)
            .pos(Pos::new(HPos::Left, VPos::Center));
        let more = format!("+{} more", panel.series.len() - shown);
        area.draw(&Text::new(
            more,
            (left + LEGEND_SWATCH as i32 + 6, y),
            style,
        ))
        .map_err(drawing_error)?;
    }
    Ok(())
}

fn draw_swatch(
    area: &Area<'_>,
    s: &Series,
    color: RGBColor,
    (x, y): (i32, i32),
) -> Result<(), PlotError> {
    let w = LEGEND_SWATCH as i32;
    if s.style == SeriesStyle::Area {
        area.draw(&Rectangle::new(
            [(x, y - 5), (x + w, y + 5)],
            color.mix(0.22).filled(),
        ))
        .map_err(drawing_error)?;
        area.draw(&PathElement::new(
            vec![(x, y - 5), (x + w, y - 5)],
            color.stroke_width(2),
        ))
        .map_err(drawing_error)?;
    } else {
        area.draw(&PathElement::new(
            vec![(x, y), (x + w, y)],
            color.stroke_width(2),
        ))
        .map_err(drawing_error)?;
    }
    Ok(())
}

/// Dashed vertical lines over every panel and labels in the marker band.
fn draw_markers(
    root: &Area<'_>,
    t: &Timeline,
    layout: &Layout,
    rects: &[PlotRect],
    marker_px: &[i32],
) -> Result<(), PlotError> {
    let Some(first) = rects.first() else {
        return Ok(());
    };
    let style = MARKER.stroke_width(1);
    let light = MARKER_LIGHT.stroke_width(1);
    let band_top = TITLE_BAND as i32;
    if let Some(rug) = &layout.rug {
        let text = format!("{} markers, too many to label: a tick at each", rug.count);
        let text_style = font(MARKER_PX)
            .color(&MARKER)
            .pos(Pos::new(HPos::Left, VPos::Center));
        let label_y = band_top + MARKER_ROW as i32 / 2;
        root.draw(&Text::new(text, (layout.plot_left(), label_y), text_style))
            .map_err(drawing_error)?;
        // The ticks fill the band's second row, above the first panel's title.
        let top = band_top + MARKER_ROW as i32 + 2;
        let bottom = band_top + layout.marker_band as i32 - 2;
        for &x in &rug.ticks {
            root.draw(&PathElement::new(vec![(x, top), (x, bottom)], style))
                .map_err(drawing_error)?;
        }
    }
    // Keep the panel title readable: do not cross it with the connector.
    let title_end = layout.plot_left()
        + text_width(&t.panels[0].title, PANEL_TITLE_PX * BOLD_WIDTH).ceil() as i32
        + 4;

    for (m, &x) in layout.markers.iter().zip(marker_px) {
        for rect in rects {
            if layout.solid_markers {
                let line = PathElement::new(vec![(x, rect.y.start), (x, rect.y.end - 1)], light);
                root.draw(&line).map_err(drawing_error)?;
            } else {
                dashed(root, x, rect.y.start, rect.y.end - 1, style)?;
            }
        }
        let Some(row) = m.row else {
            continue;
        };
        let label_y = band_top + row as i32 * MARKER_ROW as i32 + MARKER_ROW as i32 / 2;
        let connector_end = if x > title_end {
            first.y.start
        } else {
            band_top + layout.marker_band as i32
        };
        if layout.solid_markers {
            let line = PathElement::new(vec![(x, label_y - 5), (x, connector_end)], light);
            root.draw(&line).map_err(drawing_error)?;
        } else {
            dashed(root, x, label_y - 5, connector_end, style)?;
        }
        let (tx, hpos) = if m.flip {
            (x - 3, HPos::Right)
        } else {
            (x + 3, HPos::Left)
        };
        let text_style = font(MARKER_PX)
            .color(&MARKER)
            .pos(Pos::new(hpos, VPos::Center));
        root.draw(&Text::new(m.text.as_str(), (tx, label_y), text_style))
            .map_err(drawing_error)?;
    }
    Ok(())
}

/// A label already placed in the marker band: its row, its pixel span and
/// the x of its connector line, which runs from its row down to the panels.
struct Placed {
    row: usize,
    span: Range<i32>,
    line: i32,
}

/// First row where a label spanning `span` with its connector at `line`
/// neither overlaps another label nor crosses another label's connector.
/// `None` when no row is free: the label is then left out rather than drawn
/// over another one (the marker line is still drawn).
fn choose_row(placed: &[Placed], span: &Range<i32>, line: i32) -> Option<usize> {
    (0..MARKER_MAX_ROWS).find(|&row| placed.iter().all(|p| compatible(p, row, span, line)))
}

fn compatible(p: &Placed, row: usize, span: &Range<i32>, line: i32) -> bool {
    const PAD: i32 = 6;
    let crosses = |s: &Range<i32>, x: i32| s.start - PAD < x && x < s.end + PAD;
    match p.row.cmp(&row) {
        std::cmp::Ordering::Equal => {
            span.start >= p.span.end + PAD || p.span.start >= span.end + PAD
        }
        // `p`'s connector runs down through `row`.
        std::cmp::Ordering::Less => !crosses(span, p.line),
        // Our connector runs down through `p`'s row.
        std::cmp::Ordering::Greater => !crosses(&p.span, line),
    }
}

fn dashed(root: &Area<'_>, x: i32, y0: i32, y1: i32, style: ShapeStyle) -> Result<(), PlotError> {
    if y1 <= y0 {
        return Ok(());
    }
    root.draw(&DashedPathElement::new(vec![(x, y0), (x, y1)], 4, 3, style))
        .map_err(drawing_error)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn series(name: &str, style: SeriesStyle, values: Vec<Option<f64>>) -> Series {
        Series {
            name: name.to_string(),
            values,
            style,
            color: None,
        }
    }

    fn wave(n: usize, base: f64, amp: f64, phase: f64) -> Vec<Option<f64>> {
        (0..n)
            .map(|i| Some(base + amp * ((i as f64) * 0.4 + phase).sin()))
            .collect()
    }

    fn example() -> Timeline {
        let n = 30;
        let x: Vec<f64> = (0..n).map(|i| i as f64).collect();
        let mut errors: Vec<Option<f64>> = (0..n)
            .map(|i| Some(if (12..16).contains(&i) { 8.0 } else { 0.0 }))
            .collect();
        errors[20] = None;
        let mut p99 = wave(n, 180.0, 60.0, 1.0);
        p99[7] = None;
        p99[8] = None;
        let cpu = (0..4)
            .map(|k| {
                let mut v = wave(n, 45.0 + 8.0 * k as f64, 25.0, k as f64);
                if k == 3 {
                    v[..10].fill(None);
                }
                series(&format!("i-00{k} CPU"), SeriesStyle::Line, v)
            })
            .collect();
        Timeline {
            title: "Run timeline".to_string(),
            x_label: "time [min]".to_string(),
            x,
            panels: vec![
                Panel {
                    title: "Requests".to_string(),
                    y_label: "req/s".to_string(),
                    series: vec![
                        series(
                            "request rate",
                            SeriesStyle::Area,
                            wave(n, 900.0, 300.0, 0.0),
                        ),
                        Series {
                            color: Some([0xD6, 0x27, 0x28]),
                            ..series("5xx/s", SeriesStyle::Line, errors)
                        },
                    ],
                    y_min_zero: true,
                    log_y: false,
                },
                Panel {
                    title: "Latency".to_string(),
                    y_label: "ms".to_string(),
                    series: vec![
                        series("p50", SeriesStyle::Line, wave(n, 40.0, 10.0, 0.5)),
                        series("p99", SeriesStyle::Line, p99),
                    ],
                    y_min_zero: true,
                    log_y: false,
                },
                Panel {
                    title: "CPU utilization".to_string(),
                    y_label: "CPU [%]".to_string(),
                    series: cpu,
                    y_min_zero: true,
                    log_y: false,
                },
            ],
            markers: vec![
                Marker {
                    x: 10.0,
                    label: "scale out +2".to_string(),
                },
                Marker {
                    x: 11.5,
                    label: "instances in service".to_string(),
                },
                Marker {
                    x: 24.0,
                    label: "scale in -1".to_string(),
                },
            ],
        }
    }

    fn single_panel(values: Vec<Option<f64>>, style: SeriesStyle) -> Timeline {
        Timeline {
            title: "t".to_string(),
            x_label: "x".to_string(),
            x: (0..values.len()).map(|i| i as f64).collect(),
            panels: vec![Panel {
                title: "p".to_string(),
                y_label: "y".to_string(),
                series: vec![series("s", style, values)],
                y_min_zero: true,
                log_y: false,
            }],
            markers: vec![],
        }
    }

    fn polylines(svg: &str) -> usize {
        svg.matches("<polyline").count()
    }

    #[test]
    fn renders_three_panels() {
        let t = example();
        let svg = render_svg(&t, 1000, 240).expect("render");
        assert!(svg.starts_with("<svg"), "{}", &svg[..40]);
        assert!(svg.trim_end().ends_with("</svg>"));
        assert!(svg.contains(&format!("height=\"{}\"", figure_height(&t, 1000, 240))));
        for panel in &t.panels {
            assert!(svg.contains(&panel.title), "missing {}", panel.title);
            for s in &panel.series {
                assert!(svg.contains(&s.name), "missing {}", s.name);
            }
        }
        for m in &t.markers {
            assert!(svg.contains(&m.label), "missing {}", m.label);
        }
        assert!(svg.contains("time [min]"));
    }

    #[test]
    fn deterministic() {
        let t = example();
        let a = render_svg(&t, 900, 200).expect("render");
        let b = render_svg(&t.clone(), 900, 200).expect("render");
        assert_eq!(a, b);
    }

    #[test]
    fn gaps_break_the_line() {
        let all_none =
            render_svg(&single_panel(vec![None; 5], SeriesStyle::Line), 600, 200).expect("render");
        let gapped = vec![Some(1.0), Some(2.0), None, Some(3.0), Some(4.0)];
        let with_gap =
            render_svg(&single_panel(gapped, SeriesStyle::Line), 600, 200).expect("render");
        let zero = vec![Some(1.0), Some(2.0), Some(0.0), Some(3.0), Some(4.0)];
        let no_gap = render_svg(&single_panel(zero, SeriesStyle::Line), 600, 200).expect("render");
        assert_eq!(polylines(&with_gap), polylines(&all_none) + 2);
        assert_eq!(polylines(&no_gap), polylines(&all_none) + 1);
    }

    #[test]
    fn nan_and_inf_are_gaps() {
        let values = vec![
            Some(1.0),
            Some(f64::NAN),
            Some(2.0),
            Some(f64::INFINITY),
            None,
        ];
        assert_eq!(runs(&values, false), vec![0..1, 2..3]);
        let svg = render_svg(&single_panel(values, SeriesStyle::Line), 600, 200).expect("render");
        assert!(!svg.contains("NaN") && !svg.contains("inf"));
        // Two isolated points become dots.
        assert_eq!(svg.matches("<circle").count(), 2);
    }

    #[test]
    fn runs_split_on_missing_and_nonpositive_for_log() {
        let v = vec![None, Some(1.0), Some(0.0), Some(3.0), None, Some(5.0)];
        assert_eq!(runs(&v, false), vec![1..4, 5..6]);
        assert_eq!(runs(&v, true), vec![1..2, 3..4, 5..6]);
        assert!(runs(&[], false).is_empty());
    }

    #[test]
    fn degenerate_inputs_do_not_panic() {
        let cases = vec![
            single_panel(vec![], SeriesStyle::Line),
            single_panel(vec![None, None], SeriesStyle::Area),
            single_panel(vec![Some(7.0)], SeriesStyle::Line),
            single_panel(vec![Some(7.0)], SeriesStyle::Steps),
            single_panel(vec![Some(3.0); 4], SeriesStyle::Area),
            single_panel(vec![Some(0.0); 4], SeriesStyle::Steps),
            single_panel(vec![Some(-2.0), Some(-1.0)], SeriesStyle::Area),
            single_panel(vec![Some(1e300), Some(-1e300)], SeriesStyle::Line),
            Timeline::default(),
        ];
        for t in &cases {
            let svg = render_svg(t, 600, 160).expect("render");
            assert!(svg.starts_with("<svg"));
        }
        let mut empty_panel = single_panel(vec![], SeriesStyle::Line);
        empty_panel.panels[0].series.clear();
        empty_panel.markers.push(Marker {
            x: f64::NAN,
            label: "nan".to_string(),
        });
        let svg = render_svg(&empty_panel, 600, 160).expect("render");
        assert!(svg.contains("no data"));
    }

    #[test]
    fn log_panel_renders() {
        let mut t = single_panel(vec![Some(12.0), Some(0.0), Some(950.0)], SeriesStyle::Line);
        t.panels[0].log_y = true;
        let svg = render_svg(&t, 600, 200).expect("render");
        assert!(svg.contains("\n100\n"), "{svg}");
        assert_eq!(log_y_range([12.0, 950.0].into_iter()), 10.0..1000.0);
    }

    #[test]
    fn errors_instead_of_panics() {
        let t = single_panel(vec![Some(1.0); 3], SeriesStyle::Line);
        assert!(matches!(
            render_svg(&t, 10, 10),
            Err(PlotError::InvalidSize { .. })
        ));
        assert!(matches!(
            render_svg(&t, MAX_SIZE + 1, 200),
            Err(PlotError::InvalidSize { .. })
        ));
        let err = render_svg(&t, 100, 200).unwrap_err().to_string();
        assert!(err.contains("out of range"), "{err}");
        assert!(figure_height(&t, 0, 0) > 0);
        let mut bad_len = t.clone();
        bad_len.x.push(3.0);
        assert!(matches!(
            render_svg(&bad_len, 600, 200),
            Err(PlotError::LengthMismatch {
                expected: 4,
                got: 3,
                ..
            })
        ));
        let mut bad_x = t.clone();
        bad_x.x[1] = 0.0;
        let err = render_svg(&bad_x, 600, 200).unwrap_err();
        assert!(err.to_string().contains("does not increase"), "{err}");
    }

    #[test]
    fn y_range_has_headroom_and_width() {
        let r = linear_y_range([0.0, 100.0].into_iter(), true);
        assert_eq!(r.start, 0.0);
        assert!(r.end > 100.0 && r.end <= 125.0, "{r:?}");
        let c = linear_y_range([5.0, 5.0].into_iter(), false);
        assert!(c.start < 5.0 && c.end > 5.0, "{c:?}");
        assert_eq!(linear_y_range(std::iter::empty(), true), 0.0..1.0);
        assert_eq!(linear_y_range([0.0].into_iter(), true).start, 0.0);
    }

    #[test]
    fn number_format_is_compact() {
        assert_eq!(format_number(0.0), "0");
        assert_eq!(format_number(2500.0), "2500");
        assert_eq!(format_number(12_500.0), "12.5k");
        assert_eq!(format_number(3_000_000.0), "3M");
        assert_eq!(format_number(0.30000000000000004), "0.3");
        assert_eq!(format_number(-0.25), "-0.25");
        assert_eq!(format_number(0.001), "0.001");
    }

    #[test]
    fn marker_rows_avoid_overlap() {
        let mut placed = Vec::new();
        let mut place = |l: i32, r: i32, line: i32| {
            let row = choose_row(&placed, &(l..r), line);
            if let Some(row) = row {
                placed.push(Placed {
                    row,
                    span: l..r,
                    line,
                });
            }
            row
        };
        assert_eq!(place(0, 100, 0), Some(0));
        assert_eq!(place(50, 150, 50), Some(1));
        // Free in row 0, but its connector would cut the label in row 1.
        assert_eq!(place(120, 200, 120), Some(2));
        assert_eq!(place(300, 400, 300), Some(0));
        // A left-flipped label must not cover the connector at 300, which
        // runs down through every row below row 0.
        assert_eq!(place(260, 330, 330), None);
        assert_eq!(place(200, 290, 290), Some(0));
        // Clustered markers form a staircase until the rows run out.
        let mut full = Vec::new();
        for row in 0..=MARKER_MAX_ROWS {
            let line = 10 * row as i32;
            let span = line..line + 100;
            let got = choose_row(&full, &span, line);
            if row < MARKER_MAX_ROWS {
                assert_eq!(got, Some(row));
                full.push(Placed { row, span, line });
            } else {
                assert_eq!(got, None);
            }
        }
    }

    fn columns(n: usize) -> Columns {
        Columns::of(&(0.0..n as f64), 800)
    }

    #[test]
    fn short_series_are_drawn_point_by_point() {
        let v = vec![Some(1.0), None, Some(2.0), Some(3.0)];
        let x: Vec<f64> = (0..4).map(f64::from).collect();
        assert_eq!(
            drawn_runs(&x, &v, false, &columns(4)),
            vec![vec![0], vec![2, 3]]
        );
    }

    #[test]
    fn downsampling_keeps_every_spike_and_few_points() {
        let n = 527_040; // a year of 60 s periods
        let x: Vec<f64> = (0..n).map(|i| i as f64).collect();
        let mut v: Vec<Option<f64>> = (0..n).map(|i| Some((i % 7) as f64)).collect();
        v[123_457] = Some(1_000.0);
        v[400_001] = Some(-50.0);
        let c = columns(n);
        let runs = drawn_runs(&x, &v, false, &c);
        assert_eq!(runs.len(), 1);
        let run = &runs[0];
        assert!(run.len() <= 4 * 800, "{} points", run.len());
        assert!(run.windows(2).all(|w| w[0] < w[1]), "in order");
        assert!(run.contains(&123_457) && run.contains(&400_001));
        assert_eq!((run[0], *run.last().unwrap()), (0, n - 1));
        // Each column's own extremes are kept: the envelope is the data's.
        let per_column_max = |col: usize| {
            (0..n)
                .filter(|&i| c.of_x(x[i]) == col)
                .filter_map(|i| v[i])
                .fold(f64::MIN, f64::max)
        };
        for col in [0, 17, 399, 799] {
            let drawn = run
                .iter()
                .filter(|&&i| c.of_x(x[i]) == col)
                .filter_map(|&i| v[i])
                .fold(f64::MIN, f64::max);
            assert_eq!(drawn, per_column_max(col), "column {col}");
        }
    }

    #[test]
    fn downsampled_gaps_break_the_line_only_when_a_column_wide() {
        let n = 80_000; // 100 datapoints per column
        let x: Vec<f64> = (0..n).map(|i| i as f64).collect();
        let mut v = vec![Some(1.0); n];
        v[5_000] = None; // narrower than a column: not visible
        v[40_000..40_300].fill(None); // three columns: a gap
        let runs = drawn_runs(&x, &v, false, &columns(n));
        assert_eq!(
            runs.len(),
            2,
            "{:?}",
            runs.iter().map(Vec::len).collect::<Vec<_>>()
        );
        assert!(runs[0].last() < Some(&40_000) && runs[1][0] >= 40_300);
        // Sparse datapoints (missing in most periods) still draw as one line.
        let sparse: Vec<Option<f64>> = (0..n).map(|i| (i % 3 == 0).then_some(2.0)).collect();
        assert_eq!(drawn_runs(&x, &sparse, false, &columns(n)).len(), 1);
    }

    #[test]
    fn a_year_of_periods_renders_small() {
        let n = 527_040;
        let mut t = single_panel(
            (0..n)
                .map(|i| Some(50.0 + 40.0 * (i as f64 / 1440.0).sin()))
                .collect(),
            SeriesStyle::Line,
        );
        t.panels[0].series.push(series(
            "steps",
            SeriesStyle::Steps,
            (0..n).map(|i| Some((i / 10_000) as f64)).collect(),
        ));
        t.panels[0].series.push(series(
            "area",
            SeriesStyle::Area,
            (0..n).map(|i| Some((i % 13) as f64)).collect(),
        ));
        let svg = render_svg(&t, 1000, 240).expect("render");
        assert!(svg.len() < 200_000, "{} bytes", svg.len());
    }

    #[test]
    fn dense_markers_merge_then_become_ticks() {
        let xr = 0.0..1000.0;
        let few: Vec<Marker> = (0..MAX_MARKER_LINES)
            .map(|i| Marker {
                x: i as f64,
                label: format!("m{i}"),
            })
            .collect();
        assert!(matches!(thin_markers(&few, &xr, 0..800), Thinned::AsGiven));
        // 60 markers at two instants: two lines, labelled with their count.
        let twins: Vec<Marker> = (0..60)
            .map(|i| Marker {
                x: if i < 30 { 100.0 } else { 700.0 },
                label: if i < 30 {
                    "a launch".into()
                } else {
                    format!("b{i}")
                },
            })
            .collect();
        let Thinned::Merged(merged) = thin_markers(&twins, &xr, 0..800) else {
            panic!("expected merged markers");
        };
        let mut t = single_panel(vec![Some(1.0); 1000], SeriesStyle::Line);
        t.markers = twins.clone();
        let svg = render_svg(&t, 1000, 240).expect("render");
        assert!(svg.contains("a launch ×30"), "merged label");
        assert_eq!(
            svg.matches("stroke=\"#555555\"").count(),
            0,
            "merged lines are solid"
        );
        let labels: Vec<&str> = merged.iter().map(|m| m.label.as_str()).collect();
        assert_eq!(labels, ["a launch ×30", "b30 +29 more"]);
        // A thousand spread out: ticks, one per pixel column, under one label.
        let many: Vec<Marker> = (0..1000)
            .map(|i| Marker {
                x: i as f64,
                label: "x".into(),
            })
            .collect();
        let Thinned::Rug(rug) = thin_markers(&many, &xr, 0..800) else {
            panic!("expected ticks");
        };
        assert_eq!(rug.count, 1000);
        assert!(rug.ticks.len() <= 801 && rug.ticks.windows(2).all(|w| w[0] < w[1]));
        let mut t = single_panel(vec![Some(1.0); 1000], SeriesStyle::Line);
        t.markers = many;
        let svg = render_svg(&t, 1000, 240).expect("render");
        assert!(svg.contains("1000 markers"), "rug label");
        // Dashed lines are drawn dash by dash in the marker colour: only the ticks remain.
        let marker_strokes = svg.matches("stroke=\"#555555\"").count();
        assert!(
            (1..=801).contains(&marker_strokes),
            "{marker_strokes} strokes: ticks, no dashed lines"
        );
    }

    /// Writes the example to `target/timeline_example.svg` for eyeballing.
    #[test]
    #[ignore = "writes a file; run manually to look at the output"]
    fn write_example() {
        let svg = render_svg(&example(), 1000, 240).expect("render");
        std::fs::write("target/timeline_example.svg", svg).expect("write");
    }
}
