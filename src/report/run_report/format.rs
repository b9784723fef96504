//! Formatting for people: counts with thousands separators, measured values with sensible
//! digits, durations (`1 h 30 min`), run times (`0:20`, `1:05:30`) and POSIX shell quoting.
//! One place, so every table of a report writes its numbers the same way.

use crate::engine::SimDuration;

/// A count with thousands separators: `144035` ⇒ `144,035`.
pub fn count(n: u64) -> String {
    group(&n.to_string())
}

/// A signed count with thousands separators (`-1,200`).
pub fn signed(n: i64) -> String {
    if n < 0 {
        format!("-{}", count(n.unsigned_abs()))
    } else {
        count(n as u64)
    }
}

/// A measured value with digits that matter: from 100 on no decimals (`1,234`), from 10 one
/// (`12.3`), from 1 two (`1.23`), below 1 three significant digits (`0.0123`); trailing zeros
/// dropped (`50`, `0.5`).
pub fn number(x: f64) -> String {
    if !x.is_finite() {
        return if x.is_nan() {
            "–".into()
        } else if x > 0.0 {
            "∞".into()
        } else {
            "−∞".into()
        };
    }
    if x == x.trunc() && x.abs() < 1e15 {
        return signed(x as i64);
    }
    let a = x.abs();
    let decimals = if a >= 100.0 {
        0
    } else if a >= 10.0 {
        1
    } else if a >= 1.0 {
        2
    } else {
        // Three significant digits: 0.0123 has its first digit at 10^-2.
        (2 - a.log10().floor() as i32).clamp(1, 9) as usize
    };
    let text = fixed(x, decimals);
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    }
}

/// `x` with exactly `decimals` decimals and thousands separators (`1,234.50`).
pub fn fixed(x: f64, decimals: usize) -> String {
    let text = format!("{:.*}", decimals, x.abs());
    let (int, frac) = match text.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (text.as_str(), None),
    };
    let negative = x < 0.0 && text.chars().any(|c| c.is_ascii_digit() && c != '0');
    let mut out = String::new();
    if negative {
        out.push('-');
    }
    out.push_str(&group(int));
    if let Some(f) = frac {
        out.push('.');
        out.push_str(f);
    }
    out
}

/// A percentage with one decimal: `31.24` ⇒ `31.2 %`.
pub fn percent(x: f64) -> String {
    format!("{} %", fixed(x, 1))
}

/// A share in [0, 1] as a percentage: `0.87` ⇒ `87.0 %`.
pub fn share(x: f64) -> String {
    percent(x * 100.0)
}

/// Milliseconds: `12.34` ⇒ `12.3 ms`.
pub fn ms(x: f64) -> String {
    format!("{} ms", number(x))
}

/// US dollars: cents from one dollar on (`$12.50`), four decimals below (`$0.0540`).
pub fn usd(x: f64) -> String {
    if x.abs() >= 1.0 {
        format!("${}", fixed(x, 2))
    } else {
        format!("${}", fixed(x, 4))
    }
}

/// A setting's duration in its natural unit: `250 ms`, `1.5 s`, `30 s`, `5 min`, `2 min 30 s`,
/// `1 h 30 min`, `2 d`.
pub fn duration(d: SimDuration) -> String {
    let ns = d.0;
    if ns == 0 {
        return "0 s".into();
    }
    if ns < 1_000_000_000 {
        return format!("{} ms", number(ns as f64 / 1e6));
    }
    if ns % 1_000_000_000 != 0 {
        return format!("{} s", number(ns as f64 / 1e9));
    }
    let s = ns / 1_000_000_000;
    let (d, h, m, sec) = (s / 86_400, s / 3600 % 24, s / 60 % 60, s % 60);
    let parts: Vec<String> = [(d, "d"), (h, "h"), (m, "min"), (sec, "s")]
        .iter()
        .filter(|(v, _)| *v > 0)
        .map(|(v, unit)| format!("{v} {unit}"))
        .collect();
    if (60..600).contains(&s) && sec != 0 {
        // Under ten minutes with seconds: `150 s` reads better than `2 min 30 s`.
        return format!("{s} s");
    }
    parts.join(" ")
}

/// A setting given in seconds under its AWS name (`HealthCheckIntervalSeconds`): `30`, `0.5`.
pub fn seconds(d: SimDuration) -> String {
    number(d.as_secs_f64())
}

/// How the report writes times in a run: `m:ss` for runs under an hour, `h:mm:ss` otherwise,
/// so all times of one report line up.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Clock {
    long: bool,
}

impl Clock {
    /// The clock of a run that lasts `duration_seconds`.
    pub fn for_run(duration_seconds: f64) -> Clock {
        Clock {
            long: duration_seconds >= 3600.0,
        }
    }

    /// `t` seconds after the start, whole seconds (rounded down): `0:20`, `1:05:30`.
    pub fn at(self, t: f64) -> String {
        let s = if t.is_finite() && t > 0.0 {
            t.floor() as u64
        } else {
            0
        };
        if self.long {
            format!("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
        } else {
            format!("{}:{:02}", s / 60, s % 60)
        }
    }

    /// A moment (`0:35`) or a span (`0:35–1:45`).
    pub fn when(self, from: f64, until: Option<f64>) -> String {
        match until {
            Some(u) => format!("{}–{}", self.at(from), self.at(u)),
            None => self.at(from),
        }
    }
}

/// `word` as one word of a POSIX shell command: as is when it holds only characters no shell
/// treats specially, otherwise in single quotes (a `'` inside written `'\''`).
pub fn shell_word(word: &str) -> String {
    let safe = |c: char| c.is_ascii_alphanumeric() || "_-./:=@%+,".contains(c);
    if !word.is_empty() && word.chars().all(safe) {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

/// Inserts a `,` every three digits from the right of a run of digits.
fn group(digits: &str) -> String {
    let n = digits.len();
    let mut out = String::with_capacity(n + n / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (n - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_have_thousands_separators() {
        assert_eq!(count(0), "0");
        assert_eq!(count(999), "999");
        assert_eq!(count(1000), "1,000");
        assert_eq!(count(144_035), "144,035");
        assert_eq!(count(1_234_567), "1,234,567");
        assert_eq!(signed(-1200), "-1,200");
    }

    #[test]
    fn numbers_keep_the_digits_that_matter() {
        assert_eq!(number(50.0), "50");
        assert_eq!(number(12_345.0), "12,345");
        assert_eq!(number(1234.56), "1,235");
        assert_eq!(number(31.24), "31.2");
        assert_eq!(number(1.234), "1.23");
        assert_eq!(number(0.012345), "0.0123");
        assert_eq!(number(0.5), "0.5");
        assert_eq!(number(-2.5), "-2.5");
        assert_eq!(number(1.201), "1.2");
        assert_eq!(number(f64::INFINITY), "∞");
        assert_eq!(fixed(-0.00001, 2), "0.00");
    }

    #[test]
    fn money_and_shares() {
        assert_eq!(usd(0.054), "$0.0540");
        assert_eq!(usd(12.5), "$12.50");
        assert_eq!(usd(1234.5), "$1,234.50");
        assert_eq!(percent(31.24), "31.2 %");
        assert_eq!(share(0.87), "87.0 %");
        assert_eq!(ms(12.34), "12.3 ms");
    }

    #[test]
    fn durations_in_natural_units() {
        assert_eq!(duration(SimDuration::ZERO), "0 s");
        assert_eq!(duration(SimDuration::from_millis(250)), "250 ms");
        assert_eq!(duration(SimDuration::from_millis(1500)), "1.5 s");
        assert_eq!(duration(SimDuration::from_secs(30)), "30 s");
        assert_eq!(duration(SimDuration::from_secs(150)), "150 s");
        assert_eq!(duration(SimDuration::from_secs(300)), "5 min");
        assert_eq!(duration(SimDuration::from_secs(5400)), "1 h 30 min");
        assert_eq!(duration(SimDuration::from_secs(86_400)), "1 d");
        assert_eq!(seconds(SimDuration::from_secs(10)), "10");
        assert_eq!(seconds(SimDuration::from_millis(500)), "0.5");
    }

    #[test]
    fn run_times_short_and_long() {
        let short = Clock::for_run(1800.0);
        assert_eq!(short.at(20.9), "0:20");
        assert_eq!(short.at(65.0), "1:05");
        assert_eq!(short.when(35.0, Some(105.0)), "0:35–1:45");
        let long = Clock::for_run(5400.0);
        assert_eq!(long.at(3930.0), "1:05:30");
        assert_eq!(long.at(20.0), "0:00:20");
        assert_eq!(long.at(-1.0), "0:00:00");
    }

    #[test]
    fn shell_words_are_quoted_only_when_needed() {
        assert_eq!(
            shell_word("models/quickstart.json"),
            "models/quickstart.json"
        );
        assert_eq!(shell_word("duration=5m"), "duration=5m");
        assert_eq!(
            shell_word("auto_scaling_groups[0].DefaultCooldown=120"),
            "'auto_scaling_groups[0].DefaultCooldown=120'"
        );
        assert_eq!(shell_word("my model.json"), "'my model.json'");
        assert_eq!(shell_word("it's"), r"'it'\''s'");
        assert_eq!(shell_word(""), "''");
        assert_eq!(shell_word("$HOME"), "'$HOME'");
    }
}
