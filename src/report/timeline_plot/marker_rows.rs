//! Marker labels: thinning dense markers (merged, or a rug of ticks) and placing labels in rows
//! that neither overlap nor cross another label's connector. Pure geometry, drawn by `markers.rs`.

use std::ops::Range;

use super::figure::Marker;
use super::style::{MARKER_MAX_CHARS, MARKER_MAX_ROWS, MARKER_PX, text_width, truncate};

/// A marker label placed in the band above the panels.
#[derive(Debug, Clone)]
pub(super) struct MarkerLabel {
    /// Marker position in the x unit.
    pub(super) x: f64,
    /// Label text, truncated.
    pub(super) text: String,
    /// Row in the marker band, from the top; `None` if the label was left
    /// out for lack of room (the line is still drawn).
    pub(super) row: Option<usize>,
    /// Put the label left of the line (near the right edge).
    pub(super) flip: bool,
    /// Colour of the line and the label, `None` for the default dark grey.
    pub(super) color: Option<[u8; 3]>,
}

/// Visible markers sorted by x, with label rows chosen so that labels do not
/// overlap. `plot` is the horizontal pixel extent of the plot areas.
pub(super) fn place_marker_labels(
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
                color: m.color,
            }
        })
        .collect()
}

/// Most marker lines drawn; beyond that (after merging markers that share a pixel column) markers
/// become ticks in the marker band.
pub const MAX_MARKER_LINES: usize = 40;

/// How the markers are drawn.
pub(super) enum Thinned {
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
pub(super) fn thin_markers(markers: &[Marker], xr: &Range<f64>, plot: Range<i32>) -> Thinned {
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
            Marker {
                x: first.x,
                label,
                color: first.color,
            }
        })
        .collect();
    Thinned::Merged(merged)
}

/// Markers drawn as ticks under one label, when there are too many to draw as lines.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Rug {
    /// Pixel x of each tick (one per pixel column holding a marker), increasing.
    pub(super) ticks: Vec<i32>,
    /// Number of markers the ticks stand for.
    pub(super) count: usize,
}

/// A label already placed in the marker band: its row, its pixel span and
/// the x of its connector line, which runs from its row down to the panels.
pub(super) struct Placed {
    pub(super) row: usize,
    pub(super) span: Range<i32>,
    pub(super) line: i32,
}

/// First row where a label spanning `span` with its connector at `line`
/// neither overlaps another label nor crosses another label's connector.
/// `None` when no row is free: the label is then left out rather than drawn
/// over another one (the marker line is still drawn).
pub(super) fn choose_row(placed: &[Placed], span: &Range<i32>, line: i32) -> Option<usize> {
    (0..MARKER_MAX_ROWS).find(|&row| placed.iter().all(|p| compatible(p, row, span, line)))
}

pub(super) fn compatible(p: &Placed, row: usize, span: &Range<i32>, line: i32) -> bool {
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
