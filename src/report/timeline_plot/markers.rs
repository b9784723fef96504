//! Markers: thinning dense ones, placing labels in rows that do not overlap, and drawing the
//! lines across every panel.

use std::ops::Range;

use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::error::PlotError;
use super::figure::{Marker, Timeline};
use super::layout::{Layout, PlotRect};
use super::render::Area;
use super::style::{
    BOLD_WIDTH, MARKER, MARKER_LIGHT, MARKER_MAX_CHARS, MARKER_MAX_ROWS, MARKER_PX, MARKER_ROW,
    PANEL_TITLE_PX, TITLE_BAND, drawing_error, font, text_width, truncate,
};

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
            Marker { x: first.x, label }
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

/// Dashed vertical lines over every panel and labels in the marker band.
pub(super) fn draw_markers(
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

pub(super) fn dashed(
    root: &Area<'_>,
    x: i32,
    y0: i32,
    y1: i32,
    style: ShapeStyle,
) -> Result<(), PlotError> {
    if y1 <= y0 {
        return Ok(());
    }
    root.draw(&DashedPathElement::new(vec![(x, y0), (x, y1)], 4, 3, style))
        .map_err(drawing_error)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::timeline_plot::figure::SeriesStyle;
    use crate::report::timeline_plot::render_svg;
    use crate::report::timeline_plot::test_support::single_panel;

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
}
