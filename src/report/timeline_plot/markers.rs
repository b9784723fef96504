//! Markers: drawing the lines across every panel and their labels (placed by `marker_rows.rs`).

use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::error::PlotError;
use super::figure::Timeline;
use super::layout::{Area, Layout, PlotRect};
use super::style::{
    LEGEND_SWATCH, LINE_PX, MARKER, MARKER_LIGHT, MARKER_PX, MARKER_ROW, PANEL_TITLE_PX,
    TITLE_BAND, bold_text_width, drawing_error, font, text_width,
};

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
            root.draw(&PathElement::new(
                vec![(x, top), (x, bottom)],
                MARKER.stroke_width(1),
            ))
            .map_err(drawing_error)?;
        }
    }
    // Keep the panel title readable: do not cross it with the connector.
    let title_end =
        layout.plot_left() + bold_text_width(&t.panels[0].title, PANEL_TITLE_PX).ceil() as i32 + 4;

    for (m, &x) in layout.markers.iter().zip(marker_px) {
        let color = m.color.map_or(MARKER, |[r, g, b]| RGBColor(r, g, b));
        let style = color.stroke_width(1);
        let light = match m.color {
            Some(_) => color.mix(0.45).stroke_width(1),
            None => MARKER_LIGHT.stroke_width(1),
        };
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
            .color(&color)
            .pos(Pos::new(hpos, VPos::Center));
        root.draw(&Text::new(m.text.as_str(), (tx, label_y), text_style))
            .map_err(drawing_error)?;
    }
    Ok(())
}

/// The markers' key, in its row under the x-axis description: "Markers:" and a short line in
/// each kind's colour with its name.
pub(super) fn draw_marker_key(
    root: &Area<'_>,
    t: &Timeline,
    layout: &Layout,
) -> Result<(), PlotError> {
    if layout.key_band == 0 {
        return Ok(());
    }
    let y = (layout.total_height - layout.key_band / 2 - 2) as i32;
    let mut x = layout.plot_left();
    let title = "Markers:";
    let text_style = font(MARKER_PX)
        .color(&MARKER)
        .pos(Pos::new(HPos::Left, VPos::Center));
    root.draw(&Text::new(title, (x, y), text_style.clone()))
        .map_err(drawing_error)?;
    x += text_width(title, MARKER_PX).ceil() as i32 + 10;
    for entry in &t.marker_key {
        let [r, g, b] = entry.color;
        let color = RGBColor(r, g, b);
        let w = LEGEND_SWATCH as i32;
        root.draw(&DashedPathElement::new(
            vec![(x, y), (x + w, y)],
            4,
            3,
            color.stroke_width(LINE_PX),
        ))
        .map_err(drawing_error)?;
        x += w + 5;
        let style = font(MARKER_PX)
            .color(&color)
            .pos(Pos::new(HPos::Left, VPos::Center));
        root.draw(&Text::new(entry.name.as_str(), (x, y), style))
            .map_err(drawing_error)?;
        x += text_width(&entry.name, MARKER_PX).ceil() as i32 + 14;
    }
    Ok(())
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
    use crate::report::timeline_plot::figure::Marker;
    use crate::report::timeline_plot::figure::SeriesStyle;
    use crate::report::timeline_plot::marker_rows::{MAX_MARKER_LINES, Thinned, thin_markers};
    use crate::report::timeline_plot::render_svg;
    use crate::report::timeline_plot::test_support::single_panel;

    #[test]
    fn dense_markers_merge_then_become_ticks() {
        let xr = 0.0..1000.0;
        let few: Vec<Marker> = (0..MAX_MARKER_LINES)
            .map(|i| Marker {
                x: i as f64,
                label: format!("m{i}"),
                color: None,
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
                color: None,
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
                color: None,
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
