//! `heatmap-<metric>.svg` for a grid of exactly two parameters: one cell per pair of levels,
//! coloured by the metric's mean (a colour bar says the scale), the mean written in each cell
//! when it fits.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::frame::{self, Area, HEIGHT, TITLE_BAND, WIDTH};
use crate::experiment::labels::{metric_label, significant};
use crate::experiment::summary::{RenderError, Summary};
use crate::report::timeline_plot::axes::{format_number, nice_step};
use crate::report::timeline_plot::style::{AXIS, AXIS_PX, MUTED, fit, font, text_width, truncate};

/// Viridis at five stops: perceptually even, readable in grey and by colour-blind readers.
const STOPS: [(f64, [u8; 3]); 5] = [
    (0.0, [0x44, 0x01, 0x54]),
    (0.25, [0x3B, 0x52, 0x8B]),
    (0.5, [0x21, 0x91, 0x8C]),
    (0.75, [0x5E, 0xC9, 0x62]),
    (1.0, [0xFD, 0xE7, 0x25]),
];
/// Font size of the means written in cells: 11 px, larger in large cells.
const CELL_PX: (f64, f64) = (11.0, 16.0);
const BAR_W: i32 = 18;

/// The colour of `t` in 0..=1 on the scale.
pub(super) fn scale(t: f64) -> RGBColor {
    let t = if t.is_finite() {
        t.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let i = STOPS
        .iter()
        .rposition(|(at, _)| *at <= t)
        .unwrap_or(0)
        .min(STOPS.len() - 2);
    let ((a, ca), (b, cb)) = (STOPS[i], STOPS[i + 1]);
    let f = (t - a) / (b - a);
    let mix =
        |k: usize| (f64::from(ca[k]) + f * (f64::from(cb[k]) - f64::from(ca[k]))).round() as u8;
    RGBColor(mix(0), mix(1), mix(2))
}

/// Whether dark text reads better than white on `c` (relative luminance above one half).
fn light(c: RGBColor) -> bool {
    0.2126 * f64::from(c.0) + 0.7152 * f64::from(c.1) + 0.0722 * f64::from(c.2) > 140.0
}

/// The heat map of metric `m`, `x` across and `y` up; `None` when the metric has no value.
pub(super) fn render(
    s: &Summary<'_>,
    x: usize,
    y: usize,
    m: usize,
) -> Result<Option<(String, Vec<u8>)>, RenderError> {
    let e = s.experiment;
    let (nx, ny) = (e.parameters[x].levels.len(), e.parameters[y].levels.len());
    let mut cells: Vec<Vec<Option<Option<f64>>>> = vec![vec![None; ny]; nx];
    for p in &s.points {
        let (i, j) = (p.point.levels[x], p.point.levels[y]);
        if cells[i][j].is_none() {
            cells[i][j] = Some(p.estimates[m].mean.filter(|v| v.is_finite()));
        }
    }
    let values: Vec<f64> = cells.iter().flatten().filter_map(|c| c.flatten()).collect();
    if values.is_empty() {
        return Ok(None);
    }
    let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let name = format!("heatmap-{}.svg", e.metrics[m].name);
    let label = metric_label(&e.metrics[m]);
    let title = format!(
        "{label} by {} and {}",
        e.parameters[x].name, e.parameters[y].name
    );
    let subtitle = format!(
        "mean of {} replication{} per point; blank: no such point, –: no value",
        e.replications,
        if e.replications == 1 { "" } else { "s" }
    );
    let y_labels: Vec<&str> = e.parameters[y]
        .levels
        .iter()
        .map(|l| l.label.as_str())
        .collect();
    let longest_y = y_labels
        .iter()
        .map(|l| text_width(&truncate(l, 24), AXIS_PX))
        .fold(0.0, f64::max);
    let left = longest_y.ceil() as i32 + 40;
    let right = WIDTH as i32 - 130;
    let (top, bottom) = (TITLE_BAND as i32 + 8, HEIGHT as i32 - 62);
    let cw = f64::from(right - left) / nx as f64;
    let ch = f64::from(bottom - top) / ny as f64;
    let cell_px = (ch / 5.0).min(cw / 7.0).clamp(CELL_PX.0, CELL_PX.1).floor();
    let svg = frame::svg(&name, |root| {
        let err = |e: DrawingAreaErrorKind<_>| e.to_string();
        frame::titles(root, &title, &subtitle)?;
        for (i, column) in cells.iter().enumerate() {
            for (j, cell) in column.iter().enumerate() {
                let x0 = left + (i as f64 * cw).round() as i32;
                let x1 = left + ((i + 1) as f64 * cw).round() as i32;
                // Level 0 at the bottom, as on a chart's y axis.
                let y1 = bottom - (j as f64 * ch).round() as i32;
                let y0 = bottom - ((j + 1) as f64 * ch).round() as i32;
                let Some(mean) = cell else { continue };
                let fill = match mean {
                    Some(v) if hi > lo => scale((v - lo) / (hi - lo)),
                    Some(_) => scale(0.5),
                    None => RGBColor(0xEE, 0xEE, 0xEE),
                };
                root.draw(&Rectangle::new([(x0, y0), (x1, y1)], fill.filled()))
                    .map_err(err)?;
                if cw >= 12.0 && ch >= 12.0 {
                    // A white rule between cells; on tiny cells it would be all one sees.
                    root.draw(&Rectangle::new([(x0, y0), (x1, y1)], WHITE.stroke_width(1)))
                        .map_err(err)?;
                }
                let text = mean.map_or("–".to_string(), |v| significant(v, 3));
                let fits = text_width(&text, cell_px) + 6.0 <= f64::from(x1 - x0)
                    && f64::from(y1 - y0) >= cell_px + 4.0;
                if fits {
                    let color = if mean.is_none() {
                        MUTED
                    } else if light(fill) {
                        RGBColor(0x22, 0x22, 0x22)
                    } else {
                        WHITE
                    };
                    let style = font(cell_px)
                        .color(&color)
                        .pos(Pos::new(HPos::Center, VPos::Center));
                    root.draw(&Text::new(text, ((x0 + x1) / 2, (y0 + y1) / 2), style))
                        .map_err(err)?;
                }
            }
        }
        // Axis labels: each level under its column and beside its row, cut to fit.
        // Every level's label when they fit; with many narrow cells, every k-th one so that
        // none overlap (a label may then span up to k cells).
        let longest_x = e.parameters[x]
            .levels
            .iter()
            .map(|l| text_width(&truncate(&l.label, 12), AXIS_PX))
            .fold(0.0, f64::max);
        let x_every = ((longest_x + 8.0) / cw).ceil().max(1.0) as usize;
        let x_room = (x_every as f64 * cw - 8.0).max(3.0 * AXIS_PX);
        for (i, level) in e.parameters[x].levels.iter().enumerate().step_by(x_every) {
            let cx = left + ((i as f64 + 0.5) * cw).round() as i32;
            let style = font(AXIS_PX).pos(Pos::new(HPos::Center, VPos::Top));
            root.draw(&Text::new(
                fit(&level.label, AXIS_PX, false, x_room),
                (cx, bottom + 6),
                style,
            ))
            .map_err(err)?;
        }
        let y_every = ((AXIS_PX + 4.0) / ch).ceil().max(1.0) as usize;
        for (j, level) in y_labels.iter().enumerate().step_by(y_every) {
            let cy = bottom - ((j as f64 + 0.5) * ch).round() as i32;
            let style = font(AXIS_PX).pos(Pos::new(HPos::Right, VPos::Center));
            root.draw(&Text::new(truncate(level, 24), (left - 6, cy), style))
                .map_err(err)?;
        }
        let style = font(AXIS_PX).pos(Pos::new(HPos::Center, VPos::Center));
        root.draw(&Text::new(
            e.parameters[x].name.clone(),
            ((left + right) / 2, bottom + 36),
            style.clone(),
        ))
        .map_err(err)?;
        let style = font(AXIS_PX)
            .transform(FontTransform::Rotate270)
            .pos(Pos::new(HPos::Center, VPos::Center));
        root.draw(&Text::new(
            e.parameters[y].name.clone(),
            (14, (top + bottom) / 2),
            style,
        ))
        .map_err(err)?;
        colour_bar(root, (right + 24, top, bottom), lo, hi, &label)
    })?;
    Ok(Some((name, svg)))
}

/// The colour bar at `x` from `top` to `bottom`: the scale from `lo` (bottom) to `hi`, with
/// five tick labels and the metric's name above.
fn colour_bar(
    root: &Area<'_>,
    (x, top, bottom): (i32, i32, i32),
    lo: f64,
    hi: f64,
    label: &str,
) -> Result<(), String> {
    let err = |e: DrawingAreaErrorKind<_>| e.to_string();
    let bar_top = top + 18;
    // Forty bands read as a smooth scale and keep the file small.
    const BANDS: i32 = 40;
    let height = f64::from((bottom - bar_top).max(1));
    for k in 0..BANDS {
        let y0 = bottom - (f64::from(k + 1) * height / f64::from(BANDS)).round() as i32;
        let y1 = bottom - (f64::from(k) * height / f64::from(BANDS)).round() as i32;
        let t = (f64::from(k) + 0.5) / f64::from(BANDS);
        root.draw(&Rectangle::new(
            [(x, y0), (x + BAR_W, y1)],
            scale(t).filled(),
        ))
        .map_err(err)?;
    }
    root.draw(&Rectangle::new(
        [(x, bar_top), (x + BAR_W, bottom)],
        AXIS.stroke_width(1),
    ))
    .map_err(err)?;
    // Ticks at round values inside the scale (the middle alone when every mean is the same).
    let ticks: Vec<f64> = if hi > lo {
        let step = nice_step((hi - lo) / 4.0);
        let first = (lo / step).ceil() as i64;
        let last = (hi / step).floor() as i64;
        (first..=last).map(|k| k as f64 * step).collect()
    } else {
        vec![lo]
    };
    for v in ticks {
        let t = if hi > lo { (v - lo) / (hi - lo) } else { 0.5 };
        let yy = bottom - (t * f64::from(bottom - bar_top)).round() as i32;
        root.draw(&PathElement::new(
            vec![(x + BAR_W, yy), (x + BAR_W + 4, yy)],
            AXIS,
        ))
        .map_err(err)?;
        let style = font(AXIS_PX).pos(Pos::new(HPos::Left, VPos::Center));
        root.draw(&Text::new(format_number(v), (x + BAR_W + 7, yy), style))
            .map_err(err)?;
    }
    let style = font(AXIS_PX).pos(Pos::new(HPos::Left, VPos::Center));
    root.draw(&Text::new(truncate(label, 16), (x - 8, top + 4), style))
        .map_err(err)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scale_ends_and_middle() {
        assert_eq!(scale(0.0), RGBColor(0x44, 0x01, 0x54));
        assert_eq!(scale(1.0), RGBColor(0xFD, 0xE7, 0x25));
        assert_eq!(scale(0.5), RGBColor(0x21, 0x91, 0x8C));
        assert_eq!(scale(f64::NAN), scale(0.0));
        assert!(light(scale(1.0)) && !light(scale(0.0)));
    }
}
