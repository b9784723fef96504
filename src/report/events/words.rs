//! How the narrative writes times, durations, labels and lists.

/// Longest marker label, in characters (the timeline has room for about this many).
pub const LABEL_MAX: usize = 28;

/// A moment of the run: `0:25` on a whole minute, else `0:10:45` (to the second).
pub fn clock(seconds: f64) -> String {
    let s = seconds.max(0.0).round() as u64;
    let (h, m, sec) = (s / 3600, s / 60 % 60, s % 60);
    if (seconds - seconds.round()).abs() < 1e-6 && sec == 0 {
        format!("{h}:{m:02}")
    } else {
        format!("{h}:{m:02}:{sec:02}")
    }
}

/// A span of time in words: `45 s`, `1.5 s`, `15 min`, `2 min 15 s`, `1 h 15 min`.
pub fn duration(seconds: f64) -> String {
    if seconds < 10.0 && (seconds - seconds.round()).abs() >= 0.05 {
        return format!("{seconds:.1} s");
    }
    let s = seconds.max(0.0).round() as u64;
    match (s / 3600, s / 60 % 60, s % 60) {
        (0, 0, sec) => format!("{sec} s"),
        (0, m, 0) => format!("{m} min"),
        (0, m, sec) => format!("{m} min {sec} s"),
        (h, 0, _) => format!("{h} h"),
        (h, m, _) => format!("{h} h {m} min"),
    }
}

/// A label cut to [`LABEL_MAX`] characters (with `…` if cut).
pub fn fit(label: String) -> String {
    if label.chars().count() <= LABEL_MAX {
        return label;
    }
    let mut cut: String = label.chars().take(LABEL_MAX - 1).collect();
    cut.push('…');
    cut
}

/// `a`, `a and b`, `a, b and c`.
pub fn list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// `1 instance`, `2 instances`.
pub fn count(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clocks_and_durations() {
        assert_eq!(clock(1500.0), "0:25");
        assert_eq!(clock(644.942), "0:10:45");
        assert_eq!(clock(6300.0), "1:45");
        assert_eq!(duration(45.0), "45 s");
        assert_eq!(duration(4500.0), "1 h 15 min");
        assert_eq!(duration(900.0), "15 min");
        assert_eq!(duration(135.0), "2 min 15 s");
        assert_eq!(duration(1.25), "1.2 s");
    }

    #[test]
    fn labels_fit_and_lists_read() {
        assert_eq!(fit("web-asg 2→3".into()), "web-asg 2→3");
        let long = fit("TargetTracking-web-asg-AlarmHigh-cpu50 ALARM".into());
        assert_eq!(long.chars().count(), LABEL_MAX);
        assert!(long.ends_with('…'));
        let l = |v: &[&str]| list(&v.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        assert_eq!(l(&["a"]), "a");
        assert_eq!(l(&["a", "b", "c"]), "a, b and c");
        assert_eq!(count(1, "message", "messages"), "1 message");
    }
}
