//! The y axes: ranges with headroom snapped to nice steps, whole decades on a log axis, and
//! compact tick labels.

use std::ops::Range;

use super::figure::Panel;
use super::series::usable;

/// A "nice" tick step (1, 2, 2.5 or 5 times a power of ten) >= `raw`.
pub(crate) fn nice_step(raw: f64) -> f64 {
    if !(raw.is_finite() && raw > 0.0) {
        return 1.0;
    }
    let mag = 10f64.powf(raw.log10().floor());
    let norm = raw / mag;
    let mult = [1.0, 2.0, 2.5, 5.0]
        .into_iter()
        .find(|m| norm <= *m * (1.0 + 1e-9))
        .unwrap_or(10.0);
    mult * mag
}

/// Linear y range with headroom, snapped outward to a nice tick step.
pub(crate) fn linear_y_range(values: impl Iterator<Item = f64>, min_zero: bool) -> Range<f64> {
    let Some((mut lo, mut hi)) = values.fold(None, |acc: Option<(f64, f64)>, v| match acc {
        None => Some((v, v)),
        Some((lo, hi)) => Some((lo.min(v), hi.max(v))),
    }) else {
        return 0.0..1.0;
    };
    if min_zero {
        lo = lo.min(0.0);
        hi = hi.max(0.0);
    }
    if hi - lo <= f64::EPSILON * hi.abs().max(lo.abs()).max(1.0) {
        let pad = if hi == 0.0 { 1.0 } else { hi.abs() * 0.1 };
        hi += pad;
        if !(min_zero && lo == 0.0) {
            lo -= pad;
        }
    }
    let span = hi - lo;
    hi += 0.05 * span;
    if lo != 0.0 {
        lo -= 0.05 * span;
    }
    let step = nice_step((hi - lo) / 5.0);
    let (lo, hi) = ((lo / step).floor() * step, (hi / step).ceil() * step);
    if lo.is_finite() && hi.is_finite() && hi > lo {
        lo..hi
    } else {
        0.0..1.0
    }
}

/// Log y range covering whole decades.
pub(crate) fn log_y_range(values: impl Iterator<Item = f64>) -> Range<f64> {
    let (lo, hi) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
        (lo.min(v), hi.max(v))
    });
    if !(lo.is_finite() && hi.is_finite()) {
        return 1.0..10.0;
    }
    let lo_exp = lo.log10().floor().clamp(-300.0, 300.0) as i32;
    let mut hi_exp = (hi * 1.05).log10().ceil().clamp(-300.0, 300.0) as i32;
    if hi_exp <= lo_exp {
        hi_exp = lo_exp + 1;
    }
    10f64.powi(lo_exp)..10f64.powi(hi_exp)
}

pub(super) fn panel_values(panel: &Panel) -> impl Iterator<Item = f64> + '_ {
    let log_y = panel.log_y;
    panel
        .series
        .iter()
        .flat_map(|s| &s.values)
        .filter_map(move |v| usable(*v, log_y))
}

/// Compact tick label: at most ~6 characters for typical values.
pub(crate) fn format_number(v: f64) -> String {
    if !v.is_finite() {
        return String::new();
    }
    let a = v.abs();
    if a < 1e-12 {
        return "0".to_string();
    }
    let (scaled, suffix) = if a >= 1e9 {
        (v / 1e9, "G")
    } else if a >= 1e6 {
        (v / 1e6, "M")
    } else if a >= 1e4 {
        (v / 1e3, "k")
    } else {
        (v, "")
    };
    let sa = scaled.abs();
    let decimals = if sa >= 100.0 {
        1
    } else if sa >= 1.0 {
        2
    } else {
        ((-sa.log10().floor()) as usize + 2).min(8)
    };
    let mut s = format!("{scaled:.decimals$}");
    if s.contains('.') {
        s.truncate(s.trim_end_matches('0').trim_end_matches('.').len());
    }
    if s == "-0" {
        s = "0".to_string();
    }
    s + suffix
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn y_range_has_headroom_and_width() {
        let r = linear_y_range([0.0, 100.0].into_iter(), true);
        assert_eq!(r.start, 0.0);
        assert!(r.end > 100.0 && r.end <= 125.0, "{r:?}");
        let c = linear_y_range([5.0, 5.0].into_iter(), false);
        assert!(c.start < 5.0 && c.end > 5.0, "{c:?}");
        assert_eq!(linear_y_range(std::iter::empty(), true), 0.0..1.0);
        assert_eq!(linear_y_range([0.0].into_iter(), true).start, 0.0);
    }

    #[test]
    fn number_format_is_compact() {
        assert_eq!(format_number(0.0), "0");
        assert_eq!(format_number(2500.0), "2500");
        assert_eq!(format_number(12_500.0), "12.5k");
        assert_eq!(format_number(3_000_000.0), "3M");
        assert_eq!(format_number(0.30000000000000004), "0.3");
        assert_eq!(format_number(-0.25), "-0.25");
        assert_eq!(format_number(0.001), "0.001");
    }
}
