//! ISO 8601 UTC timestamps as ALB access logs write them (`2018-07-02T22:23:00.186641Z`), read
//! into microseconds since the Unix epoch by hand, and the proleptic Gregorian calendar (H.
//! Hinnant's `days_from_civil`/`civil_from_days`) the writer's clock uses too.

/// `YYYY-MM-DDTHH:MM:SS[.f…]Z` → µs since 1970-01-01T00:00:00Z; fractions beyond microseconds
/// are cut. `None` unless the text is exactly that form with valid fields.
pub fn iso8601_us(t: &str) -> Option<i64> {
    let b = t.as_bytes();
    if b.len() < 20 || b[4] != b'-' || b[7] != b'-' || b[10] != b'T' || b[13] != b':' {
        return None;
    }
    if b[16] != b':' || *b.last()? != b'Z' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<i64> {
        let s = &b[r];
        s.iter()
            .all(u8::is_ascii_digit)
            .then(|| s.iter().fold(0i64, |acc, d| acc * 10 + i64::from(d - b'0')))
    };
    let (y, mo, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (h, mi, s) = (num(11..13)?, num(14..16)?, num(17..19)?);
    if !(1..=12).contains(&mo) || d < 1 || d > days_in_month(y, mo) || h > 23 || mi > 59 || s > 60 {
        return None;
    }
    let mut micros = 0i64;
    let rest = &b[19..b.len() - 1];
    if !rest.is_empty() {
        let digits = rest.strip_prefix(b".")?;
        if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
            return None;
        }
        for k in 0..6 {
            micros = micros * 10 + digits.get(k).map_or(0, |d| i64::from(d - b'0'));
        }
    }
    let secs = days_from_civil(y, mo, d) * 86_400 + h * 3600 + mi * 60 + s;
    Some(secs * 1_000_000 + micros)
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date.
pub(crate) fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of a day count since 1970-01-01.
pub(crate) fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (
        if m <= 2 {
            yoe + era * 400 + 1
        } else {
            yoe + era * 400
        },
        m,
        d,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_instants() {
        assert_eq!(iso8601_us("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(iso8601_us("1970-01-01T00:00:00.000001Z"), Some(1));
        // `date -u -d 2018-07-02T22:23:00Z +%s` = 1530570180.
        assert_eq!(
            iso8601_us("2018-07-02T22:23:00.186641Z"),
            Some(1_530_570_180_186_641)
        );
        // A leap day; 2000 is a leap year (divisible by 400), 1900 is not.
        assert_eq!(
            iso8601_us("2000-02-29T00:00:00Z"),
            Some(951_782_400_000_000)
        );
        assert_eq!(iso8601_us("1900-02-29T00:00:00Z"), None);
        // Fractions beyond µs are cut, shorter ones padded.
        assert_eq!(iso8601_us("1970-01-01T00:00:01.5Z"), Some(1_500_000));
        assert_eq!(iso8601_us("1970-01-01T00:00:01.1234567Z"), Some(1_123_456));
    }

    #[test]
    fn rejects_what_is_not_that_form() {
        for t in [
            "2018-07-02 22:23:00Z",
            "2018-07-02T22:23:00",
            "2018-13-02T22:23:00Z",
            "2018-07-32T22:23:00Z",
            "2018-07-02T24:00:00Z",
            "2018-07-02T22:23:00.Z",
            "2018-07-02T22:23:00+01:00",
            "x018-07-02T22:23:00Z",
        ] {
            assert_eq!(iso8601_us(t), None, "{t}");
        }
    }
}
