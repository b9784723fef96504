//! What every sweep plot shares with the run timeline's look: the SVG canvas, the title and
//! subtitle, the legend on the right, the palette.

use plotters::backend::SVGBackend;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::experiment::summary::RenderError;
use crate::report::timeline_plot::style::{
    FIGURE_TITLE_PX, LEGEND_PX, LEGEND_SWATCH, LINE_PX, MUTED, PALETTE, TEXT, bold_font, fit, font,
    text_width,
};

/// The drawing area of a sweep plot.
pub(super) type Area<'a> = DrawingArea<SVGBackend<'a>, Shift>;

/// Figure width and height in pixels.
pub(super) const WIDTH: u32 = 960;
pub(super) const HEIGHT: u32 = 560;
/// Band for the title and the subtitle under it.
pub(super) const TITLE_BAND: u32 = 62;
/// Most lines one plot draws; the rest are named in the legend as not drawn.
pub(super) const MAX_LINES: usize = 12;
const SUBTITLE_PX: f64 = 14.0;
const LEGEND_ROW: i32 = 21;

/// The colour of line `i`: the timeline's palette, then two darker ones, so twelve lines stay
/// apart.
pub(super) fn line_color(i: usize) -> RGBColor {
    const EXTRA: [RGBColor; 2] = [RGBColor(0x2F, 0x2F, 0x2F), RGBColor(0x1F, 0x6F, 0x5F)];
    let all = PALETTE.len() + EXTRA.len();
    match i % all {
        k if k < PALETTE.len() => PALETTE[k],
        k => EXTRA[k - PALETTE.len()],
    }
}

/// Turns a plotters error into the plot's [`RenderError`].
pub(super) fn failed(file: &str) -> impl Fn(String) -> RenderError + '_ {
    move |why| RenderError::Plot {
        file: file.to_string(),
        why,
    }
}

/// Draws the figure with `draw` on a white canvas of [`WIDTH`] × [`HEIGHT`] and returns the SVG.
pub(super) fn svg(
    file: &str,
    draw: impl FnOnce(&Area<'_>) -> Result<(), String>,
) -> Result<Vec<u8>, RenderError> {
    let mut text = String::new();
    {
        let root = SVGBackend::with_string(&mut text, (WIDTH, HEIGHT)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| failed(file)(e.to_string()))?;
        draw(&root).map_err(failed(file))?;
        root.present().map_err(|e| failed(file)(e.to_string()))?;
    }
    Ok(text.into_bytes())
}

/// The title (bold, centred) and a muted subtitle under it, both cut to the figure's width.
pub(super) fn titles(root: &Area<'_>, title: &str, subtitle: &str) -> Result<(), String> {
    let centre = (WIDTH / 2) as i32;
    let room = f64::from(WIDTH - 24);
    let title = fit(title, FIGURE_TITLE_PX, true, room);
    let style = bold_font(FIGURE_TITLE_PX).pos(Pos::new(HPos::Center, VPos::Center));
    root.draw(&Text::new(title, (centre, 21), style))
        .map_err(|e| e.to_string())?;
    let subtitle = fit(subtitle, SUBTITLE_PX, false, room);
    let style = font(SUBTITLE_PX)
        .color(&MUTED)
        .pos(Pos::new(HPos::Center, VPos::Center));
    root.draw(&Text::new(subtitle, (centre, 45), style))
        .map_err(|e| e.to_string())
}

/// One legend row: a line with a translucent band behind it, and its label.
pub(super) struct LegendEntry {
    /// Its label.
    pub label: String,
    /// Its colour.
    pub color: RGBColor,
    /// Draw the band swatch (the line has an interval or a range drawn).
    pub band: bool,
}

/// The width the legend needs for these labels (and a note), at most 40 % of the figure.
pub(super) fn legend_width(labels: impl Iterator<Item = String>) -> u32 {
    let longest = labels
        .map(|l| text_width(&l, LEGEND_PX))
        .fold(0.0, f64::max);
    (longest.ceil() as u32 + LEGEND_SWATCH + 16).clamp(110, WIDTH * 2 / 5)
}

/// The legend from pixel (`left`, `top`): one row per entry, then `note` in muted text.
pub(super) fn legend(
    root: &Area<'_>,
    (left, top): (i32, i32),
    width: u32,
    entries: &[LegendEntry],
    note: Option<&str>,
) -> Result<(), String> {
    let room = f64::from(width.saturating_sub(LEGEND_SWATCH + 6));
    let text_x = left + LEGEND_SWATCH as i32 + 6;
    for (i, entry) in entries.iter().enumerate() {
        let y = top + i as i32 * LEGEND_ROW + LEGEND_ROW / 2;
        let w = LEGEND_SWATCH as i32;
        if entry.band {
            root.draw(&Rectangle::new(
                [(left, y - 5), (left + w, y + 5)],
                entry.color.mix(0.2).filled(),
            ))
            .map_err(|e| e.to_string())?;
        }
        root.draw(&PathElement::new(
            vec![(left, y), (left + w, y)],
            entry.color.stroke_width(LINE_PX),
        ))
        .map_err(|e| e.to_string())?;
        let style = font(LEGEND_PX)
            .color(&TEXT)
            .pos(Pos::new(HPos::Left, VPos::Center));
        root.draw(&Text::new(
            fit(&entry.label, LEGEND_PX, false, room),
            (text_x, y),
            style,
        ))
        .map_err(|e| e.to_string())?;
    }
    if let Some(note) = note {
        let y = top + entries.len() as i32 * LEGEND_ROW + LEGEND_ROW / 2;
        let style = font(LEGEND_PX)
            .color(&MUTED)
            .pos(Pos::new(HPos::Left, VPos::Center));
        let note = fit(note, LEGEND_PX, false, room + f64::from(LEGEND_SWATCH + 6));
        root.draw(&Text::new(note, (left, y), style))
            .map_err(|e| e.to_string())?;
    }
    Ok(())
}
