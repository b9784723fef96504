//! How numbers, metrics and points read in tables and plots for people: significant digits,
//! units guessed from a metric's name, a point's parameters as `a=1, b=2`.

use super::{Experiment, Metric, MetricSource, Point};

/// `v` rounded to `digits` significant digits, without exponent (`1234.5` → `1230`,
/// `0.012345` → `0.0123`): for tables people read, not for round trips.
pub fn significant(v: f64, digits: u32) -> String {
    if !v.is_finite() {
        return String::new();
    }
    if v == 0.0 {
        return "0".to_string();
    }
    let digits = digits.max(1) as i32;
    let mut magnitude = v.abs().log10().floor() as i32;
    let mut text = rounded(v, digits - 1 - magnitude);
    // Rounding can carry into a new digit (9.9996 → 10.00): one decimal fewer then.
    if text
        .parse::<f64>()
        .is_ok_and(|r| r.abs() >= 10f64.powi(magnitude + 1))
    {
        magnitude += 1;
        text = rounded(v, digits - 1 - magnitude);
    }
    if text.trim_start_matches(['-', '0', '.']).is_empty() {
        "0".to_string()
    } else {
        text
    }
}

/// `v` with `decimals` decimals, or rounded to a multiple of `10^-decimals` when negative.
fn rounded(v: f64, decimals: i32) -> String {
    if decimals >= 0 {
        format!("{v:.*}", decimals as usize)
    } else {
        let unit = 10f64.powi(-decimals);
        format!("{:.0}", (v / unit).round() * unit)
    }
}

/// The unit a metric's name or summary path implies: `ms` for `_ms`, `s` for `_s` or
/// `_seconds`, `min`, `h`, `USD` for a cost, `%` for a percentage; `None` when neither says.
pub fn metric_unit(m: &Metric) -> Option<&'static str> {
    let path = match &m.source {
        MetricSource::Summary(path) => path.to_string(),
        MetricSource::Expression(_) => String::new(),
    };
    unit_of(&m.name).or_else(|| unit_of(&path))
}

fn unit_of(name: &str) -> Option<&'static str> {
    let lower = name.to_ascii_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let has = |w: &str| words.contains(&w);
    if has("instance") && has("hours") {
        return Some("instance-hours");
    }
    let by_word = [
        (["ms", "milliseconds"], "ms"),
        (["s", "seconds"], "s"),
        (["min", "minutes"], "min"),
        (["h", "hours"], "h"),
        (["cost", "usd"], "USD"),
        (["percent", "pct"], "%"),
    ];
    // The last word that names a unit wins: `latency_ms.p99` is in ms, `cost.total` in USD.
    words.iter().rev().find_map(|w| {
        by_word
            .iter()
            .find(|(names, _)| names.contains(w))
            .map(|(_, unit)| *unit)
    })
}

/// A metric's name with its unit, as an axis reads: `p99_ms [ms]`.
pub fn metric_label(m: &Metric) -> String {
    match metric_unit(m) {
        Some(unit) => format!("{} [{unit}]", m.name),
        None => m.name.clone(),
    }
}

/// Where a metric comes from, as the experiment file says it: the summary path or the
/// expression.
pub fn metric_source(m: &Metric) -> String {
    match &m.source {
        MetricSource::Summary(path) => path.to_string(),
        MetricSource::Expression(e) => e.to_string(),
    }
}

/// The point's levels of the parameters `which`, as `a=1, b=2`.
pub fn point_label(e: &Experiment, p: &Point, which: &[usize]) -> String {
    which
        .iter()
        .map(|&k| format!("{}={}", e.parameters[k].name, e.level_label(p, k)))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::experiment::metric::SummaryPath;

    #[test]
    fn three_significant_digits() {
        assert_eq!(significant(1234.5, 3), "1230");
        assert_eq!(significant(123.45, 3), "123");
        assert_eq!(significant(12.345, 3), "12.3");
        assert_eq!(significant(0.012345, 3), "0.0123");
        assert_eq!(significant(-2.5, 3), "-2.50");
        assert_eq!(significant(0.0, 3), "0");
        assert_eq!(significant(9.9996, 3), "10.0");
        assert_eq!(significant(0.99996, 3), "1.00");
        assert_eq!(significant(999.6, 3), "1000");
        assert_eq!(significant(f64::NAN, 3), "");
    }

    fn summary_metric(name: &str, path: &str) -> Metric {
        Metric {
            name: name.into(),
            source: MetricSource::Summary(SummaryPath::parse(path).expect("path")),
        }
    }

    #[test]
    fn units_from_names_and_paths() {
        let unit = |name, path| metric_unit(&summary_metric(name, path));
        assert_eq!(unit("latency_ms_p99", "latency_ms.p99"), Some("ms"));
        assert_eq!(unit("p99", "latency_ms.p99"), Some("ms"));
        assert_eq!(unit("cost_total", "cost.total"), Some("USD"));
        assert_eq!(unit("detection_s", "x"), Some("s"));
        assert_eq!(unit("back_to_start_seconds", "x"), Some("s"));
        assert_eq!(unit("errors_502", "requests.by_status.502"), None);
        assert_eq!(
            unit(
                "web_instance_hours",
                "auto_scaling_groups[0].instance_hours"
            ),
            Some("instance-hours")
        );
        assert_eq!(
            metric_label(&summary_metric("p99_ms", "latency_ms.p99")),
            "p99_ms [ms]"
        );
    }
}
