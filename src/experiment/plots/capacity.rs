//! `capacity.svg`: each chosen point's Auto Scaling groups' in-service instances
//! (`GroupInServiceInstances`) per period: the mean across replications as a step line, the
//! range from the smallest to the largest replication as a band.

use plotters::prelude::*;

use super::frame::{self, LegendEntry, MAX_LINES, TITLE_BAND, WIDTH, legend_width, line_color};
use crate::experiment::labels::point_label;
use crate::experiment::summary::{PointResult, RenderError, Summary};
use crate::report::timeline_plot::axes::{format_number, linear_y_range};
use crate::report::timeline_plot::style::{AXIS, AXIS_PX, GRID, font};

/// One drawn line: a group of a point, per period the mean, smallest and largest count.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct CapacityLine {
    /// `point 3: rate=200, instances=4` (and the group's name when a run has several).
    pub label: String,
    /// Per period: (mean, min, max) over the replications that have the period.
    pub periods: Vec<Option<(f64, f64, f64)>>,
}

/// The lines of the chosen points, in the order the experiment lists them.
pub(super) fn capacity_lines(s: &Summary<'_>) -> Vec<CapacityLine> {
    let e = s.experiment;
    // Label by the parameters that tell the chosen points apart (all swept ones for one point):
    // what they share would only lengthen every legend entry.
    let chosen: Vec<&PointResult<'_>> = e
        .plots
        .capacity_points
        .iter()
        .filter_map(|&i| s.points.get(i))
        .collect();
    let differ = |k: usize| {
        chosen
            .iter()
            .any(|p| p.point.levels[k] != chosen[0].point.levels[k])
    };
    let mut varying: Vec<usize> = (0..e.parameters.len()).filter(|&k| differ(k)).collect();
    if varying.is_empty() {
        varying = (0..e.parameters.len())
            .filter(|&k| e.parameters[k].levels.len() > 1)
            .collect();
    }
    let mut out = Vec::new();
    for &index in &e.plots.capacity_points {
        let Some(p) = s.points.get(index) else {
            continue;
        };
        let groups = group_names(p);
        for group in &groups {
            let mut label = format!("point {index}");
            if !varying.is_empty() {
                label = format!("{label}: {}", point_label(e, p.point, &varying));
            }
            if groups.len() > 1 {
                label = format!("{label} ({group})");
            }
            out.push(CapacityLine {
                label,
                periods: per_period(p, group),
            });
        }
    }
    out
}

/// The groups the point's runs report, in the order of its first run that has them.
fn group_names(p: &PointResult<'_>) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for run in &p.runs {
        for (name, _) in &run.capacity.groups {
            if !names.contains(name) {
                names.push(name.clone());
            }
        }
    }
    names
}

fn per_period(p: &PointResult<'_>, group: &str) -> Vec<Option<(f64, f64, f64)>> {
    let series: Vec<&Vec<u32>> = p
        .runs
        .iter()
        .filter_map(|r| r.capacity.groups.iter().find(|(n, _)| n == group))
        .map(|(_, v)| v)
        .collect();
    let len = series.iter().map(|v| v.len()).max().unwrap_or(0);
    (0..len)
        .map(|i| {
            let values: Vec<f64> = series
                .iter()
                .filter_map(|v| v.get(i))
                .map(|&c| f64::from(c))
                .collect();
            if values.is_empty() {
                return None;
            }
            let mean = values.iter().sum::<f64>() / values.len() as f64;
            let min = values.iter().copied().fold(f64::INFINITY, f64::min);
            let max = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            Some((mean, min, max))
        })
        .collect()
}

/// The period of the chosen points' runs \[s\] (the first run that reports one).
fn period_seconds(s: &Summary<'_>) -> f64 {
    s.experiment
        .plots
        .capacity_points
        .iter()
        .filter_map(|&i| s.points.get(i))
        .flat_map(|p| &p.runs)
        .map(|r| r.capacity.period_seconds)
        .find(|p| p.is_finite() && *p > 0.0)
        .unwrap_or(60.0)
}

/// `capacity.svg`, or `None` when no chosen point's runs have an Auto Scaling group.
pub(super) fn render(s: &Summary<'_>) -> Result<Option<(String, Vec<u8>)>, RenderError> {
    let mut all = capacity_lines(s);
    all.retain(|l| l.periods.iter().any(Option::is_some));
    if all.is_empty() {
        return Ok(None);
    }
    let total = all.len();
    all.truncate(MAX_LINES);
    let period = period_seconds(s);
    let periods = all.iter().map(|l| l.periods.len()).max().unwrap_or(1);
    let span = period * periods as f64;
    let (unit, per) = if span > 3.0 * 3600.0 {
        ("h", 3600.0)
    } else {
        ("min", 60.0)
    };
    let reps = s.experiment.replications;
    let mut subtitle = format!(
        "mean across {reps} replication{}, held over each {} s period; band: smallest to largest",
        if reps == 1 { "" } else { "s" },
        format_number(period)
    );
    if total > all.len() {
        subtitle = format!("{subtitle}; first {} of {total} lines drawn", all.len());
    }
    let note = (total > all.len()).then(|| format!("+{} lines not drawn", total - all.len()));
    let name = "capacity.svg".to_string();
    let svg = frame::svg(&name, |root| {
        let err = |e: &dyn std::fmt::Display| e.to_string();
        frame::titles(
            root,
            "In-service instances over time (GroupInServiceInstances)",
            &subtitle,
        )?;
        let legend_w = legend_width(all.iter().map(|l| l.label.clone()).chain(note.clone()));
        let ys = all.iter().flat_map(|l| {
            l.periods
                .iter()
                .flatten()
                .flat_map(|(_, lo, hi)| [*lo, *hi])
        });
        let mut chart = ChartBuilder::on(root)
            .margin_top(TITLE_BAND)
            .margin_left(8)
            .margin_right(legend_w + 24)
            .margin_bottom(8)
            .x_label_area_size(44)
            .y_label_area_size(76)
            .build_cartesian_2d(0.0..span / per, linear_y_range(ys, true))
            .map_err(|e| err(&e))?;
        let number = |v: &f64| format_number(*v);
        chart
            .configure_mesh()
            .x_labels(12)
            .y_labels(8)
            .x_label_formatter(&number)
            .y_label_formatter(&number)
            .bold_line_style(GRID)
            .light_line_style(TRANSPARENT)
            .axis_style(AXIS)
            .label_style(font(AXIS_PX))
            .axis_desc_style(font(AXIS_PX))
            .x_desc(format!("time [{unit}]"))
            .y_desc("in-service instances")
            .draw()
            .map_err(|e| err(&e))?;
        for (i, line) in all.iter().enumerate() {
            let color = line_color(i);
            for run in runs(&line.periods) {
                let t = |k: usize| k as f64 * period / per;
                let steps = |pick: fn(&(f64, f64, f64)) -> f64| {
                    run.iter()
                        .filter_map(|&k| line.periods[k].map(|v| (k, pick(&v))))
                        .flat_map(move |(k, v)| [(t(k), v), (t(k + 1), v)])
                        .collect::<Vec<_>>()
                };
                let low = steps(|v| v.1);
                let mut band = low.clone();
                band.extend(steps(|v| v.2).into_iter().rev());
                if low.iter().zip(steps(|v| v.2)).any(|(a, b)| a.1 != b.1) {
                    chart
                        .draw_series(std::iter::once(Polygon::new(
                            band,
                            color.mix(0.18).filled(),
                        )))
                        .map_err(|e| err(&e))?;
                }
                chart
                    .draw_series(LineSeries::new(steps(|v| v.0), color.stroke_width(2)))
                    .map_err(|e| err(&e))?;
            }
        }
        let entries: Vec<LegendEntry> = all
            .iter()
            .enumerate()
            .map(|(i, l)| LegendEntry {
                label: l.label.clone(),
                color: line_color(i),
                band: reps > 1,
            })
            .collect();
        let (_, py) = chart.plotting_area().get_pixel_range();
        let left = (WIDTH - legend_w - 12) as i32;
        frame::legend(root, (left, py.start), legend_w, &entries, note.as_deref())
    })?;
    Ok(Some((name, svg)))
}

/// Runs of consecutive periods with a value.
fn runs(periods: &[Option<(f64, f64, f64)>]) -> Vec<Vec<usize>> {
    let mut out: Vec<Vec<usize>> = Vec::new();
    let mut open = false;
    for (k, v) in periods.iter().enumerate() {
        match (v.is_some(), open) {
            (true, false) => out.push(vec![k]),
            (true, true) => {
                if let Some(run) = out.last_mut() {
                    run.push(k);
                }
            }
            _ => {}
        }
        open = v.is_some();
    }
    out
}
