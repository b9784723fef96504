//! The `Recurrence` of an `AWS::AutoScaling::ScheduledAction`: "Unix cron syntax", five fields
//! `[Minute] [Hour] [Day_of_Month] [Month_of_Year] [Day_of_Week]` (EC2 Auto Scaling API
//! reference, `ScheduledUpdateGroupActionRequest`), read as Vixie cron reads them: lists,
//! ranges, `*`, steps (`*/15`, `8-18/2`, `5/10`), month and weekday names, Sunday as 0 or 7,
//! and — when both day fields are restricted — a day that matches either.

use crate::access_log::parse::time::civil_from_days;

/// Seconds in a day.
const DAY: i64 = 86_400;

/// A parsed cron expression, as bit sets over each field's values.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cron {
    minutes: u64,
    hours: u32,
    days: u32,
    months: u16,
    weekdays: u8,
    /// Day of month and day of week are both restricted (not `*…`): a day matching either fires.
    either_day: bool,
}

/// One field's name, range and value names.
struct Field {
    name: &'static str,
    lo: u32,
    hi: u32,
    names: &'static [&'static str],
}

const MINUTE: Field = Field {
    name: "minute",
    lo: 0,
    hi: 59,
    names: &[],
};
const HOUR: Field = Field {
    name: "hour",
    lo: 0,
    hi: 23,
    names: &[],
};
const DAY_OF_MONTH: Field = Field {
    name: "day of month",
    lo: 1,
    hi: 31,
    names: &[],
};
const MONTH: Field = Field {
    name: "month",
    lo: 1,
    hi: 12,
    names: &[
        "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC",
    ],
};
/// Day of week: 0–7, both 0 and 7 are Sunday.
const DAY_OF_WEEK: Field = Field {
    name: "day of week",
    lo: 0,
    hi: 7,
    names: &["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"],
};

impl Cron {
    /// Parses a five-field expression; the error says which field is wrong and why.
    pub fn parse(text: &str) -> Result<Cron, String> {
        let fields: Vec<&str> = text.split_whitespace().collect();
        if fields.len() != 5 {
            return Err(format!(
                "expected five cron fields \"[Minute] [Hour] [Day_of_Month] [Month_of_Year] [Day_of_Week]\" such as \"30 0 1 1,6,12 *\", got {} in {text:?}",
                fields.len()
            ));
        }
        let weekdays = bits(fields[4], &DAY_OF_WEEK)?;
        Ok(Cron {
            minutes: bits(fields[0], &MINUTE)?,
            hours: bits(fields[1], &HOUR)? as u32,
            days: bits(fields[2], &DAY_OF_MONTH)? as u32,
            months: bits(fields[3], &MONTH)? as u16,
            // Sunday is both 0 and 7.
            weekdays: ((weekdays | weekdays >> 7) & 0x7f) as u8,
            either_day: !fields[2].starts_with('*') && !fields[4].starts_with('*'),
        })
    }

    /// Whether the expression fires on the civil day `days` (days since 1970-01-01).
    fn fires_on(&self, days: i64) -> bool {
        let (_, month, day) = civil_from_days(days);
        // 1970-01-01 was a Thursday (weekday 4).
        let weekday = (days + 4).rem_euclid(7);
        let in_month = self.months >> month & 1 == 1;
        let by_day = self.days >> day & 1 == 1;
        let by_weekday = self.weekdays >> weekday & 1 == 1;
        in_month
            && if self.either_day {
                by_day || by_weekday
            } else {
                by_day && by_weekday
            }
    }

    /// The instants (seconds since the epoch, on whole minutes) at which it fires in
    /// `from..=to`, in order, until `each` returns false.
    pub fn each_between(&self, from: i64, to: i64, mut each: impl FnMut(i64) -> bool) {
        let mut day = from.div_euclid(DAY);
        while day * DAY <= to {
            if self.fires_on(day) {
                for t in self.minutes_of(day) {
                    if t >= from && t <= to && !each(t) {
                        return;
                    }
                }
            }
            day += 1;
        }
    }

    /// The last instant at which it fires strictly before `before` and not before `floor`, looking
    /// back at most `horizon` seconds.
    pub fn last_before(&self, before: i64, floor: i64, horizon: i64) -> Option<i64> {
        let lowest = floor.max(before - horizon);
        let mut day = (before - 1).div_euclid(DAY);
        while (day + 1) * DAY > lowest {
            if self.fires_on(day) {
                let last = self
                    .minutes_of(day)
                    .filter(|&t| t < before && t >= lowest)
                    .last();
                if last.is_some() {
                    return last;
                }
            }
            day -= 1;
        }
        None
    }

    /// The instants of day `day` at which the hour and minute fields match, in order.
    fn minutes_of(&self, day: i64) -> impl Iterator<Item = i64> + '_ {
        (0..24i64)
            .filter(|h| self.hours >> h & 1 == 1)
            .flat_map(move |h| {
                (0..60i64)
                    .filter(|m| self.minutes >> m & 1 == 1)
                    .map(move |m| day * DAY + h * 3600 + m * 60)
            })
    }
}

/// A field's values as a bit set (bit `v` set for value `v`).
fn bits(text: &str, f: &Field) -> Result<u64, String> {
    let mut set = 0u64;
    for item in text.split(',') {
        let bad = |why: &str| {
            Err(format!(
                "the {} field {text:?}: {why} (allowed: {}–{}{}, `*`, lists a,b, ranges a-b and steps */n or a-b/n)",
                f.name,
                f.lo,
                f.hi,
                if f.names.is_empty() {
                    String::new()
                } else {
                    format!(" or {}–{}", f.names[0], f.names[f.names.len() - 1])
                }
            ))
        };
        let (range, step) = match item.split_once('/') {
            Some((r, s)) => match s.parse::<u32>() {
                Ok(s) if s >= 1 => (r, s),
                _ => return bad(&format!("{s:?} is not a step of 1 or more")),
            },
            None => (item, 1),
        };
        let (lo, hi) = if range == "*" {
            (f.lo, f.hi)
        } else if let Some((a, b)) = range.split_once('-') {
            match (value(a, f), value(b, f)) {
                (Some(a), Some(b)) if a <= b => (a, b),
                _ => return bad(&format!("{range:?} is not a range low-high")),
            }
        } else {
            match value(range, f) {
                // `5/10` runs from 5 to the field's end, as Vixie cron reads it.
                Some(v) if item.contains('/') => (v, f.hi),
                Some(v) => (v, v),
                None => return bad(&format!("{range:?} is not a value")),
            }
        };
        let mut v = lo;
        while v <= hi {
            set |= 1 << v;
            v += step;
        }
    }
    Ok(set)
}

/// One value: a number in the field's range or one of its names (any case).
fn value(text: &str, f: &Field) -> Option<u32> {
    if let Ok(v) = text.parse::<u32>() {
        return (f.lo..=f.hi).contains(&v).then_some(v);
    }
    let i = f.names.iter().position(|n| n.eq_ignore_ascii_case(text))?;
    Some(i as u32 + if f.lo == 1 { 1 } else { 0 })
}

/// `t` (seconds since the epoch) as `YYYY-MM-DDThh:mm:ssZ`, the form `StartTime` is written in.
pub fn iso_utc(t: i64) -> String {
    let (y, mo, d) = civil_from_days(t.div_euclid(DAY));
    let s = t.rem_euclid(DAY);
    format!(
        "{y:04}-{mo:02}-{d:02}T{:02}:{:02}:{:02}Z",
        s / 3600,
        s / 60 % 60,
        s % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::access_log::parse::time::days_from_civil;

    /// Seconds since the epoch of a civil UTC date and time.
    fn unix(y: i64, mo: i64, d: i64, h: i64, mi: i64) -> i64 {
        days_from_civil(y, mo, d) * DAY + h * 3600 + mi * 60
    }

    fn all(cron: &str, from: i64, to: i64) -> Vec<i64> {
        let c = Cron::parse(cron).unwrap();
        let mut out = Vec::new();
        c.each_between(from, to, |t| {
            out.push(t);
            true
        });
        out
    }

    #[test]
    fn the_api_references_example_fires_at_00_30_on_the_first_of_january_june_and_december() {
        // "30 0 1 1,6,12 *" (ScheduledUpdateGroupActionRequest.Recurrence).
        let year = all(
            "30 0 1 1,6,12 *",
            unix(2026, 1, 1, 0, 0),
            unix(2027, 1, 1, 0, 0),
        );
        assert_eq!(
            year,
            vec![
                unix(2026, 1, 1, 0, 30),
                unix(2026, 6, 1, 0, 30),
                unix(2026, 12, 1, 0, 30)
            ]
        );
    }

    #[test]
    fn weekdays_names_and_sunday_as_seven() {
        // 2026-01-05 is a Monday.
        let week = all(
            "0 9 * * MON-FRI",
            unix(2026, 1, 4, 0, 0),
            unix(2026, 1, 11, 0, 0),
        );
        let days: Vec<i64> = (5..=9).map(|d| unix(2026, 1, d, 9, 0)).collect();
        assert_eq!(week, days);
        let sundays = all("0 0 * * 7", unix(2026, 1, 1, 0, 0), unix(2026, 1, 31, 0, 0));
        let zero = all("0 0 * * 0", unix(2026, 1, 1, 0, 0), unix(2026, 1, 31, 0, 0));
        assert_eq!(sundays, zero);
        assert_eq!(sundays[0], unix(2026, 1, 4, 0, 0));
        assert_eq!(sundays.len(), 4);
    }

    #[test]
    fn steps_ranges_and_lists() {
        let hour = all(
            "*/15 8 * * *",
            unix(2026, 3, 2, 0, 0),
            unix(2026, 3, 2, 23, 59),
        );
        let quarters: Vec<i64> = [0, 15, 30, 45]
            .iter()
            .map(|&m| unix(2026, 3, 2, 8, m))
            .collect();
        assert_eq!(hour, quarters);
        let odd = all(
            "5/20 8-12/2 * * *",
            unix(2026, 3, 2, 0, 0),
            unix(2026, 3, 3, 0, 0),
        );
        let expected: Vec<i64> = [8, 10, 12]
            .iter()
            .flat_map(|&h| [5, 25, 45].map(|m| unix(2026, 3, 2, h, m)))
            .collect();
        assert_eq!(odd, expected);
    }

    #[test]
    fn both_day_fields_restricted_fire_on_either() {
        // The 13th, and every Friday (Vixie cron's rule).
        let days = all(
            "0 0 13 * FRI",
            unix(2026, 2, 1, 0, 0),
            unix(2026, 2, 28, 23, 59),
        );
        let expected: Vec<i64> = [6, 13, 20, 27]
            .iter()
            .map(|&d| unix(2026, 2, d, 0, 0))
            .collect();
        assert_eq!(days, expected);
        // With `*` in one of them, both must hold.
        let none = all(
            "0 0 13 * *",
            unix(2026, 2, 1, 0, 0),
            unix(2026, 2, 28, 23, 59),
        );
        assert_eq!(none, vec![unix(2026, 2, 13, 0, 0)]);
    }

    #[test]
    fn the_last_firing_before_an_instant() {
        let c = Cron::parse("0 18 * * *").unwrap();
        let start = unix(2026, 1, 1, 0, 0);
        assert_eq!(
            c.last_before(start, i64::MIN, 366 * DAY),
            Some(unix(2025, 12, 31, 18, 0))
        );
        // Not before the floor (a StartTime), nor beyond the horizon.
        assert_eq!(
            c.last_before(start, unix(2025, 12, 31, 19, 0), 366 * DAY),
            None
        );
        let yearly = Cron::parse("0 0 1 7 *").unwrap();
        assert_eq!(
            yearly.last_before(start, i64::MIN, 366 * DAY),
            Some(unix(2025, 7, 1, 0, 0))
        );
        assert_eq!(yearly.last_before(start, i64::MIN, 100 * DAY), None);
    }

    #[test]
    fn instants_print_as_start_times_do() {
        assert_eq!(iso_utc(unix(2026, 3, 9, 8, 5) + 7), "2026-03-09T08:05:07Z");
        assert_eq!(iso_utc(unix(1969, 12, 31, 23, 59)), "1969-12-31T23:59:00Z");
    }

    #[test]
    fn bad_expressions_say_which_field_and_what_is_allowed() {
        for (text, says) in [
            ("0 9 * *", "expected five cron fields"),
            ("60 9 * * *", "the minute field \"60\""),
            ("0 24 * * *", "the hour field"),
            ("0 9 0 * *", "the day of month field"),
            ("0 9 * 13 *", "the month field"),
            ("0 9 * * 8", "the day of week field"),
            ("0 9 ? * MON", "the day of month field \"?\""),
            ("*/0 9 * * *", "not a step of 1 or more"),
            ("0 12-9 * * *", "not a range"),
        ] {
            let e = Cron::parse(text).unwrap_err();
            assert!(e.contains(says), "{text}: {e}");
        }
        assert!(Cron::parse("0 9 * jan-mar sun").is_ok());
    }
}
