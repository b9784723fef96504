//! Drawing the figure with plotters' SVG backend: title, panels, their charts and series.

use std::ops::Range;

use plotters::backend::SVGBackend;
use plotters::coord::ranged1d::{AsRangedCoord, ValueFormatter};
use plotters::coord::types::RangedCoordf64;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::axes::{format_number, linear_y_range, log_y_range, panel_values};
use super::error::PlotError;
use super::figure::{Panel, Series, SeriesStyle, Timeline};
use super::layout::{Area, Layout, PlotRect, period_end};
use super::legend::draw_legend;
use super::markers::{draw_marker_key, draw_markers};
use super::series::{Columns, drawn_runs};
use super::style::{
    AXIS, AXIS_PX, BOTTOM_BAND, FIGURE_TITLE_PX, GRID, LEGEND_GAP, LINE_PX, MARGIN_LEFT, MUTED,
    PANEL_TITLE_BAND, PANEL_TITLE_PX, TITLE_BAND, X_TICK_AREA, Y_LABEL_AREA, bold_font,
    bold_text_width, drawing_error, fit, font, series_color,
};

pub(super) fn draw_figure(root: &Area<'_>, t: &Timeline, layout: &Layout) -> Result<(), PlotError> {
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

    let x_desc_y = (layout.total_height - layout.key_band - BOTTOM_BAND / 2) as i32;
    let style = font(AXIS_PX).pos(Pos::new(HPos::Center, VPos::Center));
    root.draw(&Text::new(t.x_label.clone(), (centre, x_desc_y), style))
        .map_err(drawing_error)?;

    draw_markers(root, t, layout, &rects, &marker_px)?;
    draw_marker_key(root, t, layout)
}

/// Figure title centred over the plot areas, shifted and truncated as
/// needed to stay inside the figure.
pub(super) fn draw_title(
    root: &Area<'_>,
    title: &str,
    width: u32,
    centre: i32,
) -> Result<(), PlotError> {
    let room = f64::from(width.saturating_sub(16));
    let title = fit(title, FIGURE_TITLE_PX, true, room);
    let half = (bold_text_width(&title, FIGURE_TITLE_PX) / 2.0).ceil() as i32;
    let width = width as i32;
    let centre = centre.min(width - 8 - half).max(8 + half);
    let style = bold_font(FIGURE_TITLE_PX).pos(Pos::new(HPos::Center, VPos::Center));
    root.draw(&Text::new(title, (centre, (TITLE_BAND / 2) as i32), style))
        .map_err(drawing_error)
}

/// Draws one panel; returns its plot rectangle and the pixel x of each marker.
pub(super) fn draw_panel(
    area: &Area<'_>,
    t: &Timeline,
    panel: &Panel,
    layout: &Layout,
) -> Result<(PlotRect, Vec<i32>), PlotError> {
    let style = bold_font(PANEL_TITLE_PX).pos(Pos::new(HPos::Left, VPos::Center));
    let room = f64::from(layout.plot_right() - layout.plot_left());
    area.draw(&Text::new(
        fit(&panel.title, PANEL_TITLE_PX, true, room),
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
pub(super) fn draw_chart<Y>(
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
    let x_labels = (((px.end - px.start) / 80).clamp(3, 12)) as usize;
    let y_labels = (((py.end - py.start) / 36).clamp(2, 6)) as usize;
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

pub(super) type Chart<'a, 'b, Y> = ChartContext<'a, SVGBackend<'b>, Cartesian2d<RangedCoordf64, Y>>;

/// Draws one series; returns whether it had any datapoint.
pub(super) fn draw_series<Y>(
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
    let line = color.stroke_width(LINE_PX);
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
            SeriesStyle::DashedSteps => {
                let points: Vec<(f64, f64)> = run
                    .iter()
                    .flat_map(|&i| [at(i), (period_end(x, i), at(i).1)])
                    .collect();
                chart
                    .draw_series(std::iter::once(DashedPathElement::new(points, 6, 4, line)))
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
