//! The run timeline plot: request rate and errors, latency, CPU per instance.

use super::timeline_plot::{Panel, PlotError, Series, SeriesStyle, Timeline, render_svg};
use crate::recorder::RunResult;

/// Builds the timeline figure of a run (x axis in minutes).
pub fn timeline(r: &RunResult) -> Timeline {
    let x: Vec<f64> = r.periods.iter().map(|p| p.start_seconds / 60.0).collect();
    let per_sec = |n: u64, len: f64| Some(if len > 0.0 { n as f64 / len } else { 0.0 });
    let traffic = Panel {
        title: "Load balancer traffic".into(),
        y_label: "per second".into(),
        series: vec![
            Series {
                name: "RequestCount / s".into(),
                values: r
                    .periods
                    .iter()
                    .map(|p| per_sec(p.request_count, p.length_seconds))
                    .collect(),
                style: SeriesStyle::Line,
                color: None,
            },
            Series {
                name: "5XX / s (ELB + target)".into(),
                values: r
                    .periods
                    .iter()
                    .map(|p| per_sec(p.elb.c5xx + p.target.c5xx, p.length_seconds))
                    .collect(),
                style: SeriesStyle::Area,
                color: Some([214, 39, 40]),
            },
        ],
        y_min_zero: true,
        log_y: false,
    };
    let ms = |v: Option<f64>| v.map(|s| s * 1e3);
    let latency = Panel {
        title: "TargetResponseTime".into(),
        y_label: "ms".into(),
        series: vec![
            Series {
                name: "p50".into(),
                values: r
                    .periods
                    .iter()
                    .map(|p| ms(p.target_response_time_p50))
                    .collect(),
                style: SeriesStyle::Line,
                color: None,
            },
            Series {
                name: "p99".into(),
                values: r
                    .periods
                    .iter()
                    .map(|p| ms(p.target_response_time_p99))
                    .collect(),
                style: SeriesStyle::Line,
                color: None,
            },
        ],
        y_min_zero: true,
        log_y: false,
    };
    let cpu = Panel {
        title: "CPUUtilization per instance".into(),
        y_label: "%".into(),
        series: r
            .instances
            .iter()
            .enumerate()
            .map(|(i, inst)| Series {
                name: inst.id.clone(),
                values: r
                    .periods
                    .iter()
                    .map(|p| p.cpu_utilization.get(i).copied())
                    .collect(),
                style: SeriesStyle::Line,
                color: None,
            })
            .collect(),
        y_min_zero: true,
        log_y: false,
    };
    Timeline {
        title: format!("{} (seed {})", r.model, r.seed),
        x_label: "time [min]".into(),
        x,
        panels: vec![traffic, latency, cpu],
        markers: Vec::new(),
    }
}

/// The timeline as SVG text.
pub fn to_svg(r: &RunResult) -> Result<String, PlotError> {
    render_svg(&timeline(r), 1000, 240)
}
