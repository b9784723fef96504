//! Counts and durations for people (`1,234,567`, `30m`, `1h 30m`, `2d 3h`), for messages,
//! summaries and progress lines.

/// `1234567` → `1,234,567`.
pub fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Seconds as `30m`, `1h 30m`, `45s`, `2m 30s`, `366d`, `2d 3h`: every unit that is not zero.
pub fn human_duration(secs: f64) -> String {
    in_units(secs, usize::MAX)
}

/// Seconds to the two largest units that are not zero (the rest dropped): `45s`, `2m 30s`,
/// `2h 10m`, `3d 4h`, for figures that change as they are read (progress).
pub fn rough_duration(secs: f64) -> String {
    in_units(secs, 2)
}

/// Seconds rounded to whole seconds, as days, hours, minutes and seconds, from the largest
/// unit that is not zero and at most `most` units after it.
fn in_units(secs: f64, most: usize) -> String {
    // `as` saturates: NaN and negative values are 0 s, huge ones u64::MAX s.
    let s = secs.round() as u64;
    let units = [
        (s / 86_400, "d"),
        ((s % 86_400) / 3600, "h"),
        ((s % 3600) / 60, "m"),
        (s % 60, "s"),
    ];
    let Some(first) = units.iter().position(|&(n, _)| n > 0) else {
        return "0s".into();
    };
    let parts: Vec<String> = units[first..]
        .iter()
        .take(most)
        .filter(|&&(n, _)| n > 0)
        .map(|(n, unit)| format!("{n}{unit}"))
        .collect();
    parts.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn number_and_duration_formatting() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(1234567), "1,234,567");
        assert_eq!(human_duration(1800.0), "30m");
        assert_eq!(human_duration(5400.0), "1h 30m");
        assert_eq!(human_duration(150.0), "2m 30s");
        assert_eq!(human_duration(0.2), "0s");
        assert_eq!(human_duration(3605.0), "1h 5s");
        assert_eq!(human_duration(366.0 * 86_400.0), "366d");
        assert_eq!(human_duration(2.0 * 86_400.0 + 3.0 * 3600.0), "2d 3h");
        assert_eq!(human_duration(86_400.0 + 61.0), "1d 1m 1s");
        assert_eq!(rough_duration(45.0), "45s");
        assert_eq!(rough_duration(150.0), "2m 30s");
        assert_eq!(rough_duration(7805.0), "2h 10m");
        assert_eq!(rough_duration(7200.0), "2h");
        assert_eq!(rough_duration(366.0 * 86_400.0), "366d");
        assert_eq!(
            rough_duration(3.0 * 86_400.0 + 4.0 * 3600.0 + 59.0),
            "3d 4h"
        );
        assert_eq!(rough_duration(86_400.0 + 61.0), "1d");
    }
}
