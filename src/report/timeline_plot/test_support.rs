//! Figures the tests of this folder render.

use super::figure::{Marker, Panel, Series, SeriesStyle, Timeline};

pub(super) fn series(name: &str, style: SeriesStyle, values: Vec<Option<f64>>) -> Series {
    Series {
        name: name.to_string(),
        values,
        style,
        color: None,
    }
}

pub(super) fn wave(n: usize, base: f64, amp: f64, phase: f64) -> Vec<Option<f64>> {
    (0..n)
        .map(|i| Some(base + amp * ((i as f64) * 0.4 + phase).sin()))
        .collect()
}

pub(super) fn example() -> Timeline {
    let n = 30;
    let x: Vec<f64> = (0..n).map(|i| i as f64).collect();
    let mut errors: Vec<Option<f64>> = (0..n)
        .map(|i| Some(if (12..16).contains(&i) { 8.0 } else { 0.0 }))
        .collect();
    errors[20] = None;
    let mut p99 = wave(n, 180.0, 60.0, 1.0);
    p99[7] = None;
    p99[8] = None;
    let cpu = (0..4)
        .map(|k| {
            let mut v = wave(n, 45.0 + 8.0 * k as f64, 25.0, k as f64);
            if k == 3 {
                v[..10].fill(None);
            }
            series(&format!("i-00{k} CPU"), SeriesStyle::Line, v)
        })
        .collect();
    Timeline {
        title: "Run timeline".to_string(),
        x_label: "time [min]".to_string(),
        x,
        panels: vec![
            Panel {
                title: "Requests".to_string(),
                y_label: "req/s".to_string(),
                series: vec![
                    series(
                        "request rate",
                        SeriesStyle::Area,
                        wave(n, 900.0, 300.0, 0.0),
                    ),
                    Series {
                        color: Some([0xD6, 0x27, 0x28]),
                        ..series("5xx/s", SeriesStyle::Line, errors)
                    },
                ],
                y_min_zero: true,
                log_y: false,
            },
            Panel {
                title: "Latency".to_string(),
                y_label: "ms".to_string(),
                series: vec![
                    series("p50", SeriesStyle::Line, wave(n, 40.0, 10.0, 0.5)),
                    series("p99", SeriesStyle::Line, p99),
                ],
                y_min_zero: true,
                log_y: false,
            },
            Panel {
                title: "CPU utilization".to_string(),
                y_label: "CPU [%]".to_string(),
                series: cpu,
                y_min_zero: true,
                log_y: false,
            },
        ],
        markers: vec![
            Marker {
                x: 10.0,
                label: "scale out +2".to_string(),
                color: None,
            },
            Marker {
                x: 11.5,
                label: "instances in service".to_string(),
                color: None,
            },
            Marker {
                x: 24.0,
                label: "scale in -1".to_string(),
                color: None,
            },
        ],
        marker_key: vec![],
    }
}

pub(super) fn single_panel(values: Vec<Option<f64>>, style: SeriesStyle) -> Timeline {
    Timeline {
        title: "t".to_string(),
        x_label: "x".to_string(),
        x: (0..values.len()).map(|i| i as f64).collect(),
        panels: vec![Panel {
            title: "p".to_string(),
            y_label: "y".to_string(),
            series: vec![series("s", style, values)],
            y_min_zero: true,
            log_y: false,
        }],
        markers: vec![],
        marker_key: vec![],
    }
}

pub(super) fn polylines(svg: &str) -> usize {
    svg.matches("<polyline").count()
}
