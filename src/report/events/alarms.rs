//! CloudWatch alarm transitions. An alarm that goes in and out of `ALARM` many times in a row
//! (flapping) is one span, so the narrative stays readable; its lines stay with that span.

use super::Story;
use super::words::{clock, duration};
use crate::recorder::{ActivityKind, AlarmChange};
use crate::report::document::Mark;

/// An alarm with more transitions than this has its bursts grouped.
const GROUP_ABOVE: usize = 10;
/// Transitions at most this far apart [s] are one burst.
const BURST_GAP_SECONDS: f64 = 600.0;
/// A burst is grouped into one span from this many transitions.
const BURST_MIN: usize = 6;

/// Tells the bursts of a flapping alarm, before the other lines.
pub(super) fn tell_flapping(s: &mut Story) {
    let mut names: Vec<&str> = Vec::new();
    for a in s.acts {
        if let ActivityKind::Alarm(c) = &a.kind
            && !names.contains(&c.alarm.as_str())
        {
            names.push(&c.alarm);
        }
    }
    for name in names {
        let flips: Vec<usize> = (0..s.acts.len())
            .filter(|&i| {
                matches!(&s.acts[i].kind, ActivityKind::Alarm(c)
                    if c.alarm == name && c.from != "INSUFFICIENT_DATA" && c.to != "INSUFFICIENT_DATA")
            })
            .collect();
        if flips.len() <= GROUP_ABOVE {
            continue;
        }
        let mut burst: Vec<usize> = Vec::new();
        for &i in &flips {
            if let Some(&last) = burst.last()
                && s.acts[i].time_seconds - s.acts[last].time_seconds > BURST_GAP_SECONDS
            {
                tell_burst(s, name, &std::mem::take(&mut burst));
            }
            burst.push(i);
        }
        tell_burst(s, name, &burst);
    }
}

/// One burst of an alarm's transitions: a span if long enough, else left for [`tell`].
fn tell_burst(s: &mut Story, name: &str, burst: &[usize]) {
    if burst.len() < BURST_MIN {
        return;
    }
    let (first, last) = (burst[0], burst[burst.len() - 1]);
    let (start, end) = (s.acts[first].time_seconds, s.acts[last].time_seconds);
    let change = |i: usize| match &s.acts[i].kind {
        ActivityKind::Alarm(c) => Some(c),
        _ => None,
    };
    let into = burst
        .iter()
        .filter(|&&i| change(i).is_some_and(|c| c.to == "ALARM"))
        .count();
    let Some(c) = change(first) else { return };
    let text = format!(
        "{} went in and out of ALARM {into} times between {} and {} ({} transitions in {}): its datapoints kept crossing {} {} (it needs {} of {})",
        s.alarm_role(name),
        clock(start),
        clock(end),
        burst.len(),
        duration(end - start),
        c.comparison,
        c.threshold,
        c.needed,
        c.evaluation_periods
    );
    let label = format!("{} flapping ×{into}", s.alarm_short(name));
    let subject = s.acts[first].subject.clone();
    s.add(
        start,
        Some(end),
        Mark::Alarm,
        &subject,
        Some(label),
        text,
        burst.to_vec(),
    );
}

/// Tells line `i`, one alarm transition.
pub(super) fn tell(s: &mut Story, i: usize) {
    let a = &s.acts[i];
    let ActivityKind::Alarm(c) = &a.kind else {
        return;
    };
    let (label, text) = sentence(s, c);
    let subject = a.subject.clone();
    s.add(
        a.time_seconds,
        None,
        Mark::Alarm,
        &subject,
        label,
        text,
        vec![i],
    );
}

/// The label (for `ALARM` only) and sentence of a transition.
fn sentence(s: &Story, c: &AlarmChange) -> (Option<String>, String) {
    let role = s.alarm_role(&c.alarm);
    let seen = format!(
        "{} of the last {} datapoints {} {}",
        c.breaching, c.evaluation_periods, c.comparison, c.threshold
    );
    match (c.from, c.to) {
        (_, "ALARM") => (
            Some(format!("{} ALARM", s.alarm_short(&c.alarm))),
            format!(
                "{role} went to ALARM: {seen}, and it needs {} (DatapointsToAlarm)",
                c.needed
            ),
        ),
        ("INSUFFICIENT_DATA", "OK") => (
            None,
            format!(
                "{role} has its first datapoints and is OK: {seen}, {} needed for ALARM",
                c.needed
            ),
        ),
        (_, "OK") => (
            None,
            format!(
                "{role} is back to OK: only {seen}, fewer than the {} needed",
                c.needed
            ),
        ),
        (from, to) => (
            None,
            format!("{role} went from {from} to {to}: {seen} (missing datapoints)"),
        ),
    }
}
