//! The log's clock: simulated time placed on the calendar from a start instant, written as AWS
//! writes `time` and `request_creation_time` (ISO 8601 UTC with microseconds,
//! `2018-07-02T22:23:00.186641Z`), formatted by hand into a reused buffer.

use crate::access_log::parse::time::{civil_from_days, days_from_civil};

/// The default start of the log's clock: 2026-01-01T00:00:00Z, in seconds since the Unix epoch.
pub const DEFAULT_START_UNIX_SECONDS: u64 = 1_767_225_600;

/// Parses a start instant written `YYYY-MM-DDTHH:MM:SSZ` (UTC, optional fraction ignored only if
/// it is `.0…`): seconds since the Unix epoch. The message says what is expected.
pub fn parse_start(text: &str) -> Result<u64, String> {
    let expected = || {
        format!(
            "expected a UTC instant such as 2026-01-01T00:00:00Z (year 1970–9999), got {text:?}"
        )
    };
    let b = text.as_bytes();
    if b.len() != 20
        || b[4] != b'-'
        || b[7] != b'-'
        || b[10] != b'T'
        || b[13] != b':'
        || b[16] != b':'
        || b[19] != b'Z'
    {
        return Err(expected());
    }
    let num = |from: usize, to: usize| -> Result<u64, String> {
        let s = &text[from..to];
        if s.bytes().all(|c| c.is_ascii_digit()) {
            s.parse().map_err(|_| expected())
        } else {
            Err(expected())
        }
    };
    let (year, month, day) = (num(0, 4)?, num(5, 7)?, num(8, 10)?);
    let (hour, minute, second) = (num(11, 13)?, num(14, 16)?, num(17, 19)?);
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let month_days = [
        31,
        if leap { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    if year < 1970
        || !(1..=12).contains(&month)
        || day == 0
        || day > month_days[month as usize - 1]
        || hour > 23
        || minute > 59
        || second > 59
    {
        return Err(expected());
    }
    let days = days_from_civil(year as i64, month as i64, day as i64) as u64;
    Ok(days * 86_400 + hour * 3600 + minute * 60 + second)
}

/// Appends `n` as decimal digits, at least `width` of them (zero-padded).
pub fn push_padded(out: &mut Vec<u8>, n: u64, width: usize) {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    let mut n = n;
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for _ in (digits.len() - i)..width {
        out.push(b'0');
    }
    out.extend_from_slice(&digits[i..]);
}

/// Appends the instant `start_secs` + `nanos` as `YYYY-MM-DDTHH:MM:SS.uuuuuuZ` (microseconds
/// truncated).
pub fn push_instant(out: &mut Vec<u8>, start_secs: u64, nanos: u64) {
    let secs = start_secs + nanos / 1_000_000_000;
    let micros = (nanos % 1_000_000_000) / 1000;
    let (y, m, d) = civil_from_days((secs / 86_400) as i64);
    let (m, d) = (m as u32, d as u32);
    let in_day = secs % 86_400;
    push_padded(out, y as u64, 4);
    out.push(b'-');
    push_padded(out, u64::from(m), 2);
    out.push(b'-');
    push_padded(out, u64::from(d), 2);
    out.push(b'T');
    push_padded(out, in_day / 3600, 2);
    out.push(b':');
    push_padded(out, in_day / 60 % 60, 2);
    out.push(b':');
    push_padded(out, in_day % 60, 2);
    out.push(b'.');
    push_padded(out, micros, 6);
    out.push(b'Z');
}

/// Appends a duration in seconds with millisecond precision (`0.086`), rounded to the nearest
/// millisecond; `None` is AWS's `-1`.
pub fn push_seconds(out: &mut Vec<u8>, nanos: Option<u64>) {
    match nanos {
        None => out.extend_from_slice(b"-1"),
        Some(ns) => {
            let ms = (ns + 500_000) / 1_000_000;
            push_padded(out, ms / 1000, 1);
            out.push(b'.');
            push_padded(out, ms % 1000, 3);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn instant(start: u64, nanos: u64) -> String {
        let mut v = Vec::new();
        push_instant(&mut v, start, nanos);
        String::from_utf8(v).unwrap()
    }

    #[test]
    fn the_default_start_is_new_year_2026() {
        assert_eq!(
            parse_start("2026-01-01T00:00:00Z"),
            Ok(DEFAULT_START_UNIX_SECONDS)
        );
        // 56 years of 365 days and 14 leap days (1972…2024).
        assert_eq!(DEFAULT_START_UNIX_SECONDS, (56 * 365 + 14) * 86_400);
        assert_eq!(
            instant(DEFAULT_START_UNIX_SECONDS, 0),
            "2026-01-01T00:00:00.000000Z"
        );
    }

    #[test]
    fn instants_are_written_as_aws_writes_them() {
        // AWS's example: 2018-07-02T22:23:00.186641Z.
        let start = parse_start("2018-07-02T22:23:00Z").unwrap();
        assert_eq!(instant(start, 186_641_999), "2018-07-02T22:23:00.186641Z");
        // Across a leap day and a year end.
        let leap = parse_start("2024-02-28T23:59:59Z").unwrap();
        assert_eq!(instant(leap, 1_000_000_000), "2024-02-29T00:00:00.000000Z");
        let eve = parse_start("2025-12-31T23:59:59Z").unwrap();
        assert_eq!(instant(eve, 1_500_000_000), "2026-01-01T00:00:00.500000Z");
        assert_eq!(instant(0, 0), "1970-01-01T00:00:00.000000Z");
    }

    #[test]
    fn bad_start_instants_say_what_is_expected() {
        for bad in [
            "2026-01-01",
            "2026-13-01T00:00:00Z",
            "2025-02-29T00:00:00Z",
            "2026-01-01T24:00:00Z",
            "1969-12-31T23:59:59Z",
            "2026-01-01T00:00:00+01",
            "２026-01-01T00:00:00Z",
        ] {
            let e = parse_start(bad).unwrap_err();
            assert!(e.contains("2026-01-01T00:00:00Z"), "{bad}: {e}");
        }
    }

    #[test]
    fn durations_have_three_decimals_and_minus_one() {
        let s = |ns| {
            let mut v = Vec::new();
            push_seconds(&mut v, ns);
            String::from_utf8(v).unwrap()
        };
        assert_eq!(s(None), "-1");
        assert_eq!(s(Some(0)), "0.000");
        assert_eq!(s(Some(86_000_000)), "0.086");
        assert_eq!(s(Some(1_999_600_000)), "2.000");
        assert_eq!(s(Some(61_234_400_000)), "61.234");
    }
}
