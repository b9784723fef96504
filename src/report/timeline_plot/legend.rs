//! The legend to the right of each panel: one swatch and name per series.

use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::error::PlotError;
use super::figure::{Panel, Series, SeriesStyle};
use super::layout::{Area, Layout, PlotRect, legend_text};
use super::style::{
    LEGEND_GAP, LEGEND_PX, LEGEND_SWATCH, LINE_PX, MUTED, TEXT, drawing_error, fit, font,
    series_color,
};

/// Legend to the right of the plot area, one row per series, never over the data: it starts
/// [`LEGEND_GAP`] right of the plot area and its text is cut to the legend's width.
pub(super) fn draw_legend(
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
    let row = (height / count).clamp(17, 21);
    let fits = ((height / row).max(1) as usize).min(panel.series.len());
    // Reserve the last row for "+N more" when not everything fits.
    let shown = if fits < panel.series.len() {
        fits.saturating_sub(1)
    } else {
        fits
    };
    let text_room = layout.legend_width.saturating_sub(LEGEND_SWATCH + 6) as f64;

    for (i, s) in panel.series.iter().take(shown).enumerate() {
        let y = top + i as i32 * row + row / 2;
        let text = legend_text(s, panel.log_y);
        let has_data = text == s.name;
        draw_swatch(area, s, series_color(s, i), (left, y))?;
        let style = font(LEGEND_PX)
            .color(if has_data { &TEXT } else { &MUTED })
            .pos(Pos::new(HPos::Left, VPos::Center));
        area.draw(&Text::new(
            fit(&text, LEGEND_PX, false, text_room),
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

pub(super) fn draw_swatch(
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
            color.stroke_width(LINE_PX),
        ))
        .map_err(drawing_error)?;
    } else if s.style == SeriesStyle::DashedSteps {
        area.draw(&DashedPathElement::new(
            vec![(x, y), (x + w, y)],
            6,
            4,
            color.stroke_width(LINE_PX),
        ))
        .map_err(drawing_error)?;
    } else {
        area.draw(&PathElement::new(
            vec![(x, y), (x + w, y)],
            color.stroke_width(LINE_PX),
        ))
        .map_err(drawing_error)?;
    }
    Ok(())
}
