//! `plot-<metric>.svg`: a metric's mean against the x parameter, one line per level of the
//! other parameters, the 95 % confidence interval as a translucent band (an error bar where a
//! point stands alone).

use std::ops::Range;

use plotters::coord::ranged1d::{AsRangedCoord, ValueFormatter};
use plotters::prelude::*;

use super::frame::{
    self, Area, LegendEntry, MAX_LINES, TITLE_BAND, WIDTH, legend_width, line_color,
};
use super::lines::{Line, geometric, lines};
use crate::experiment::labels::metric_label;
use crate::experiment::summary::{RenderError, Summary};
use crate::report::timeline_plot::axes::{format_number, linear_y_range};
use crate::report::timeline_plot::style::{AXIS, AXIS_PX, GRID, font};

/// The plot of metric `m` against parameter `x`, or `None` when the metric has no value.
pub(super) fn render(
    s: &Summary<'_>,
    x: usize,
    m: usize,
) -> Result<Option<(String, Vec<u8>)>, RenderError> {
    let e = s.experiment;
    let mut all = lines(s, x, e.plots.lines, m);
    all.retain(|l| l.points.iter().any(|(_, est)| est.mean.is_some()));
    if all.is_empty() {
        return Ok(None);
    }
    let total = all.len();
    all.truncate(MAX_LINES);
    let name = format!("plot-{}.svg", e.metrics[m].name);
    let x_name = &e.parameters[x].name;
    let xs: Vec<f64> = e.parameters[x]
        .levels
        .iter()
        .filter_map(|l| l.value.as_f64())
        .collect();
    let log_x = geometric(&xs);
    let title = format!("{} against {x_name}", metric_label(&e.metrics[m]));
    let mut subtitle = format!(
        "mean of {} replication{} per point; band: 95 % confidence interval (Student t)",
        e.replications,
        if e.replications == 1 { "" } else { "s" }
    );
    if total > all.len() {
        subtitle = format!("{subtitle}; first {} of {total} lines drawn", all.len());
    }
    let note = (total > all.len()).then(|| format!("+{} lines not drawn", total - all.len()));
    let x_desc = if log_x {
        format!("{x_name} (log scale)")
    } else {
        x_name.clone()
    };
    let svg = frame::svg(&name, |root| {
        frame::titles(root, &title, &subtitle)?;
        let figure = Figure {
            lines: &all,
            x_desc: &x_desc,
            y_desc: &metric_label(&e.metrics[m]),
            note: note.as_deref(),
        };
        let (lo, hi) = x_extent(&all);
        if log_x {
            let pad = (hi / lo).powf(0.04);
            figure.draw(root, (lo / pad..hi * pad).log_scale())
        } else {
            let pad = if hi > lo { (hi - lo) * 0.04 } else { 0.5 };
            figure.draw(root, lo - pad..hi + pad)
        }
    })?;
    Ok(Some((name, svg)))
}

fn x_extent(lines: &[Line]) -> (f64, f64) {
    let xs = lines.iter().flat_map(|l| l.points.iter().map(|(x, _)| *x));
    xs.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), x| {
        (lo.min(x), hi.max(x))
    })
}

struct Figure<'a> {
    lines: &'a [Line],
    x_desc: &'a str,
    y_desc: &'a str,
    note: Option<&'a str>,
}

impl Figure<'_> {
    fn y_range(&self) -> Range<f64> {
        let values: Vec<f64> = self
            .lines
            .iter()
            .flat_map(|l| &l.points)
            .flat_map(|(_, est)| {
                let ci = est.ci95.map(|c| [c.low, c.high]);
                est.mean.into_iter().chain(ci.into_iter().flatten())
            })
            .filter(|v| v.is_finite())
            .collect();
        let min_zero = values.iter().all(|v| *v >= 0.0);
        linear_y_range(values.into_iter(), min_zero)
    }

    fn draw<X>(&self, root: &Area<'_>, x_spec: X) -> Result<(), String>
    where
        X: AsRangedCoord<Value = f64>,
        X::CoordDescType: ValueFormatter<f64>,
    {
        let legend_w = legend_width(
            self.lines
                .iter()
                .map(|l| l.label.clone())
                .chain(self.note.map(String::from)),
        );
        let err = |e: &dyn std::fmt::Display| e.to_string();
        let mut chart = ChartBuilder::on(root)
            .margin_top(TITLE_BAND)
            .margin_left(8)
            .margin_right(legend_w + 24)
            .margin_bottom(8)
            .x_label_area_size(44)
            .y_label_area_size(76)
            .build_cartesian_2d(x_spec, self.y_range())
            .map_err(|e| err(&e))?;
        let number = |v: &f64| format_number(*v);
        chart
            .configure_mesh()
            .x_labels(10)
            .y_labels(8)
            .x_label_formatter(&number)
            .y_label_formatter(&number)
            .bold_line_style(GRID)
            .light_line_style(TRANSPARENT)
            .axis_style(AXIS)
            .label_style(font(AXIS_PX))
            .axis_desc_style(font(AXIS_PX))
            .x_desc(self.x_desc)
            .y_desc(self.y_desc)
            .draw()
            .map_err(|e| err(&e))?;
        for (i, line) in self.lines.iter().enumerate() {
            let color = line_color(i);
            for run in runs(line, |est| est.ci95.is_some()) {
                let ci = |k: usize| line.points[k].1.ci95.map(|c| (c.low, c.high));
                if run.len() == 1 {
                    let (x, (lo, hi)) = (line.points[run[0]].0, ci(run[0]).unwrap_or_default());
                    let style = color.mix(0.6).stroke_width(1);
                    let cap = |y: f64| {
                        EmptyElement::at((x, y)) + PathElement::new(vec![(-5, 0), (5, 0)], style)
                    };
                    chart
                        .draw_series(std::iter::once(PathElement::new(
                            vec![(x, lo), (x, hi)],
                            style,
                        )))
                        .map_err(|e| err(&e))?;
                    chart.draw_series([cap(lo), cap(hi)]).map_err(|e| err(&e))?;
                    continue;
                }
                let low = run
                    .iter()
                    .map(|&k| (line.points[k].0, ci(k).unwrap_or_default().0));
                let high = run
                    .iter()
                    .rev()
                    .map(|&k| (line.points[k].0, ci(k).unwrap_or_default().1));
                chart
                    .draw_series(std::iter::once(Polygon::new(
                        low.chain(high).collect::<Vec<_>>(),
                        color.mix(0.18).filled(),
                    )))
                    .map_err(|e| err(&e))?;
            }
            for run in runs(line, |est| est.mean.is_some()) {
                let at = |k: usize| (line.points[k].0, line.points[k].1.mean.unwrap_or_default());
                chart
                    .draw_series(LineSeries::new(
                        run.iter().map(|&k| at(k)),
                        color.stroke_width(2),
                    ))
                    .map_err(|e| err(&e))?;
                chart
                    .draw_series(run.iter().map(|&k| Circle::new(at(k), 3, color.filled())))
                    .map_err(|e| err(&e))?;
            }
        }
        let entries: Vec<LegendEntry> = self
            .lines
            .iter()
            .enumerate()
            .map(|(i, l)| LegendEntry {
                label: l.label.clone(),
                color: line_color(i),
                band: l.points.iter().any(|(_, est)| est.ci95.is_some()),
            })
            .collect();
        let (_, py) = chart.plotting_area().get_pixel_range();
        let left = (WIDTH - legend_w - 12) as i32;
        frame::legend(root, (left, py.start), legend_w, &entries, self.note)?;
        Ok(())
    }
}

/// Runs of consecutive points of `line` where `has` holds.
fn runs(line: &Line, has: impl Fn(&crate::experiment::stats::Estimate) -> bool) -> Vec<Vec<usize>> {
    let mut out: Vec<Vec<usize>> = Vec::new();
    let mut open = false;
    for (k, (_, est)) in line.points.iter().enumerate() {
        if has(est) {
            if !open {
                out.push(Vec::new());
            }
            if let Some(run) = out.last_mut() {
                run.push(k);
            }
            open = true;
        } else {
            open = false;
        }
    }
    out
}
