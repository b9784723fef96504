//! `AWS::AutoScaling::ScheduledAction` → its group's `ScheduledActions`.
//!
//! A template's scheduled action runs at calendar times (`StartTime`, a cron `Recurrence` in a
//! `TimeZone`, until `EndTime`); an albsim run has a calendar start and a length (`import
//! cloudformation --start … --duration …`). Each time the action runs during the run becomes one
//! `ScheduledActions` entry at that time into the run; the last time it ran before the start
//! set sizes that still hold when the run begins, so the group starts with them. "If you specify
//! Recurrence and StartTime, Amazon EC2 Auto Scaling performs the action at this time, and then
//! performs the action based on the specified recurrence" (API reference,
//! `PutScheduledUpdateGroupAction`).

use super::cron::{Cron, iso_utc};
use super::{Ctx, Resolved};
use crate::access_log::write::clock::parse_start;
use crate::import::cloudformation::ImportError;
use crate::scenario::MAX_GROUP_SIZE;
use serde_json::{Map, Value as Json, json};
use std::time::Duration;

/// How far back albsim looks for the last time a recurring action ran before the start.
const LOOK_BACK_SECS: i64 = 366 * 86_400;

/// Most times one scheduled action may run during a run.
const MAX_RUNS: usize = 10_000;

/// The sizes a scheduled action sets.
const SIZES: [&str; 3] = ["MinSize", "MaxSize", "DesiredCapacity"];

/// Where the run lies on the calendar: `--start` and `--duration`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Calendar {
    /// The instant (seconds since the epoch, UTC) at which simulated time 0 falls.
    pub start: i64,
    /// The run's length \[s\].
    pub duration_secs: i64,
}

/// One time a scheduled action runs: when (seconds since the epoch) and the model entry.
pub struct Run {
    /// The instant it runs.
    pub at: i64,
    /// Its `ScheduledActions` entry, `at` filled in by [`entries`].
    pub entry: Map<String, Json>,
}

/// The runs during the run (and the last before it) of the scheduled action `r`, noting what was
/// imported; an action that never runs in the run's window is listed as ignored.
pub fn runs(cx: &mut Ctx<'_>, r: &Resolved, calendar: &Calendar) -> Result<Vec<Run>, ImportError> {
    let p = cx.props(r);
    let mut entry = Map::new();
    entry.insert("ScheduledActionName".into(), json!(r.logical_id));
    entry.insert("at".into(), json!("0s"));
    let mut any = false;
    for key in SIZES {
        if let Some(v) = p.int_of(key, 0, i64::from(MAX_GROUP_SIZE))? {
            entry.insert(key.into(), json!(v));
            any = true;
        }
    }
    if !any {
        return Err(cx.error(
            r,
            "a scheduled action needs at least one of MinSize, MaxSize, DesiredCapacity",
        ));
    }
    let instant = |key: &str| -> Result<Option<i64>, ImportError> {
        let Some(v) = p.get(key) else { return Ok(None) };
        let text = v.string()?;
        parse_start(&text)
            .map(|t| Some(t as i64))
            .map_err(|e| v.error(format!("{key}: {e}")))
    };
    let start = instant("StartTime")?;
    let end = instant("EndTime")?;
    let recurrence_prop = p.get("Recurrence");
    let recurrence = match &recurrence_prop {
        Some(v) => {
            let text = v.string()?;
            let cron = Cron::parse(&text).map_err(|e| v.error(format!("Recurrence: {e}")))?;
            Some((text, cron))
        }
        None => None,
    };
    let zone = p.str_of("TimeZone")?;
    let offset = match zone.as_deref() {
        None => 0,
        Some(z) => match utc_offset(z) {
            Some(o) => o,
            None => {
                cx.ignored.push((r.logical_id.clone(), r.type_name.clone()));
                cx.note(
                    &r.logical_id,
                    format!(
                        "TimeZone {z:?}: albsim has no time-zone database, so it cannot tell when this cron runs; not imported — write Recurrence in UTC (Etc/UTC) or a fixed zone such as Etc/GMT-1"
                    ),
                );
                return Ok(Vec::new());
            }
        },
    };
    let (from, to) = (calendar.start, calendar.start + calendar.duration_secs);
    let (mut during, mut before) = (Vec::new(), None);
    match (&recurrence, start) {
        (None, None) => {
            return Err(cx.error(r, "a scheduled action needs a StartTime or a Recurrence"));
        }
        (None, Some(s)) => {
            if s < from {
                before = Some(s);
            } else if s <= to {
                during.push(s);
            }
        }
        (Some((_, cron)), s) => {
            let floor = s.unwrap_or(i64::MIN / 2);
            let ceiling = end.unwrap_or(i64::MAX / 2);
            if let Some(s) = s.filter(|&s| s <= ceiling) {
                if s < from {
                    before = Some(s);
                } else if s <= to {
                    during.push(s);
                }
            }
            // The cron runs in local time: local = UTC + offset.
            let (lo, hi) = (from.max(floor), to.min(ceiling));
            let mut too_many = false;
            cron.each_between(lo + offset, hi + offset, |local| {
                let t = local - offset;
                if Some(t) != s {
                    during.push(t);
                }
                too_many = during.len() > MAX_RUNS;
                !too_many
            });
            if let (true, Some(v)) = (too_many, &recurrence_prop) {
                return Err(v.error(format!(
                    "Recurrence runs more than {MAX_RUNS} times during the run; import a shorter --duration"
                )));
            }
            let last = cron
                .last_before(
                    from.min(ceiling + 1) + offset,
                    floor + offset,
                    LOOK_BACK_SECS,
                )
                .map(|local| local - offset);
            before = before.max(last);
        }
    }
    cx.note(
        &r.logical_id,
        describe(calendar, &recurrence, zone.as_deref(), &during, before),
    );
    if during.is_empty() && before.is_none() {
        cx.ignored.push((r.logical_id.clone(), r.type_name.clone()));
        return Ok(Vec::new());
    }
    Ok(before
        .into_iter()
        .chain(during)
        .map(|at| Run {
            at,
            entry: entry.clone(),
        })
        .collect())
}

/// The group's sizes at the start: the template's, as the runs before the start left them (in
/// the order they ran; an action that changes `MinSize` or `MaxSize` moves the desired capacity
/// into the new range, as AWS does). Returns the sizes, or an error message.
pub fn sizes_at_start(
    runs: &[Run],
    calendar: &Calendar,
    (mut min, mut max, mut desired): (i64, i64, i64),
) -> Result<(i64, i64, i64), String> {
    let mut earlier: Vec<&Run> = runs.iter().filter(|r| r.at < calendar.start).collect();
    earlier.sort_by_key(|r| r.at);
    for r in earlier {
        let get = |k: &str| r.entry.get(k).and_then(Json::as_i64);
        min = get("MinSize").unwrap_or(min);
        max = get("MaxSize").unwrap_or(max);
        desired = get("DesiredCapacity").unwrap_or(desired);
        if min > max {
            return Err(format!(
                "its run at {} leaves MinSize {min} above MaxSize {max}",
                iso_utc(r.at)
            ));
        }
        desired = desired.clamp(min, max);
    }
    Ok((min, max, desired))
}

/// The runs during the run as the group's `ScheduledActions`, in the order they run.
pub fn entries(mut runs: Vec<Run>, calendar: &Calendar) -> Vec<Json> {
    runs.retain(|r| r.at >= calendar.start);
    runs.sort_by_key(|r| r.at);
    runs.into_iter()
        .map(|mut r| {
            let secs = (r.at - calendar.start) as u64;
            let at = humantime::format_duration(Duration::from_secs(secs)).to_string();
            r.entry
                .insert("at".into(), json!(if secs == 0 { "0s".into() } else { at }));
            Json::Object(r.entry)
        })
        .collect()
}

/// What the note says: the schedule, how often it runs in the window, and what holds at 0 s.
fn describe(
    calendar: &Calendar,
    recurrence: &Option<(String, Cron)>,
    zone: Option<&str>,
    during: &[i64],
    before: Option<i64>,
) -> String {
    let window = format!(
        "from {} for {}",
        iso_utc(calendar.start),
        humantime::format_duration(Duration::from_secs(calendar.duration_secs as u64))
    );
    let schedule = match recurrence {
        Some((text, _)) => format!("Recurrence {text:?} ({})", zone.unwrap_or("UTC")),
        None => "StartTime".to_string(),
    };
    let mut s = match during.len() {
        0 => format!("{schedule} does not run during the run ({window})"),
        n => format!(
            "{schedule} runs {n} time{} during the run ({window}), imported as ScheduledActions at {}",
            if n == 1 { "" } else { "s" },
            shown_times(calendar, during)
        ),
    };
    if let Some(b) = before {
        s.push_str(&format!(
            "; it last ran at {} before the run's start (the group starts with the sizes its actions left)",
            iso_utc(b)
        ));
    } else if during.is_empty() {
        s.push_str("; not imported (set --start and --duration to a window in which it runs)");
    }
    s
}

/// The first few run times, into the run.
fn shown_times(calendar: &Calendar, during: &[i64]) -> String {
    let mut shown: Vec<String> = during
        .iter()
        .take(5)
        .map(|&t| {
            humantime::format_duration(Duration::from_secs((t - calendar.start) as u64)).to_string()
        })
        .collect();
    if during.len() > 5 {
        shown.push("…".into());
    }
    shown.join(", ")
}

/// The fixed offset from UTC \[s\] of a `TimeZone` whose offset never changes (UTC and its
/// aliases, `Etc/GMT±N`), or `None` for a zone with daylight saving or history.
fn utc_offset(zone: &str) -> Option<i64> {
    const UTC: &[&str] = &[
        "UTC",
        "UCT",
        "GMT",
        "Zulu",
        "Universal",
        "Greenwich",
        "Etc/UTC",
        "Etc/UCT",
        "Etc/GMT",
        "Etc/GMT0",
        "Etc/GMT+0",
        "Etc/GMT-0",
        "Etc/Zulu",
        "Etc/Universal",
        "Etc/Greenwich",
    ];
    if UTC.contains(&zone) {
        return Some(0);
    }
    // POSIX signs: Etc/GMT+9 is nine hours *behind* UTC.
    let rest = zone.strip_prefix("Etc/GMT")?;
    let (sign, hours) = rest.split_at_checked(1)?;
    let h: i64 = hours.parse().ok()?;
    match sign {
        "+" if (1..=12).contains(&h) => Some(-h * 3600),
        "-" if (1..=14).contains(&h) => Some(h * 3600),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_zones_have_posix_signs_and_others_none() {
        assert_eq!(utc_offset("Etc/UTC"), Some(0));
        assert_eq!(utc_offset("Etc/GMT+9"), Some(-9 * 3600));
        assert_eq!(utc_offset("Etc/GMT-14"), Some(14 * 3600));
        assert_eq!(utc_offset("Etc/GMT-15"), None);
        assert_eq!(utc_offset("Europe/Berlin"), None);
        assert_eq!(utc_offset("Etc/GMT+"), None);
    }
}
