//! `events.json`: the run's important moments explained, for the timeline's markers and the
//! report's "What happened" narrative.
//!
//! Made from the typed activity history (never from its text): each scaling activity, alarm
//! transition, health transition, fault and queue event worth a reader's eye becomes an
//! [`ExplainedEvent`] with a short label for the plot (`web-asg 2→3`) and a sentence saying
//! what happened and why ("the high alarm … saw 3 of the last 3 datapoints > 50 ⇒ policy cpu50
//! set web-asg's desired capacity 2 → 3"). Spans (a low alarm counting its 15 datapoints, a
//! fault, a target unhealthy until healthy again) have an end time.
//!
//! | file | tells |
//! |---|---|
//! | `scaling.rs` | Auto Scaling activities, grouped per cause, and why a policy did not act |
//! | `alarms.rs` | CloudWatch alarm transitions (an alarm flapping is one span) |
//! | `targets.rs` | target health, draining, failing open, registration, faults |
//! | `queues.rs` | SQS redeliveries, dead-letter moves, expiry, throttling, lost work |
//! | `words.rs` | times, durations, labels |

mod alarms;
mod queues;
mod scaling;
mod targets;
mod words;

use crate::recorder::{Activity, ActivityKind, AlarmResult, AlarmSide, RunResult};
use crate::report::document::Mark;
use serde::{Deserialize, Serialize};

pub use words::LABEL_MAX;

/// The file name in a run's output folder.
pub const FILE_NAME: &str = "events.json";

/// One explained moment (or span) of a run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ExplainedEvent {
    /// When it happened (the span's start) [s since the run began].
    pub time_seconds: f64,
    /// For a span, when it ended \[s\]; `None` for a moment.
    pub until_seconds: Option<f64>,
    /// What part of the system it is about.
    pub mark: Mark,
    /// What it concerns (`web-asg`, `web/web-asg-0003`, an alarm's name).
    pub subject: String,
    /// A short label for the timeline's marker (`web-asg desired 2→3`); `None` if the event is
    /// told in the narrative but not marked on the plot.
    pub label: Option<String>,
    /// The sentence of the narrative: what happened and why.
    pub text: String,
    /// The lines of `activity.log` (from 0) it explains, highlighted in the report.
    pub lines: Vec<usize>,
}

impl ExplainedEvent {
    /// When, as the narrative writes it: `0:20`, `0:10:45`, or a span `0:35–1:45`.
    pub fn when(&self) -> String {
        match self.until_seconds {
            Some(u) if u > self.time_seconds => {
                format!("{}–{}", words::clock(self.time_seconds), words::clock(u))
            }
            _ => words::clock(self.time_seconds),
        }
    }
}

/// The explained events of a run, in time order (ties in the order of their first line).
///
/// Every line of the history is told by exactly one event, except the recorder's own note that
/// the history was cut. Labels are given to the moments a reader of the plot should find (a
/// capacity change, an alarm going to `ALARM`, a target going unhealthy, a fault, a queue's
/// first redelivery); routine lines (an instance `InService`, a first passing health check, an
/// alarm's first datapoints, an alarm back to `OK`) have none, so the plot is not flooded.
pub fn explain(r: &RunResult) -> Vec<ExplainedEvent> {
    let mut story = Story {
        acts: &r.activity,
        alarms: &r.alarms,
        end_seconds: r.duration_seconds,
        told: vec![false; r.activity.len()],
        events: Vec::new(),
    };
    alarms::tell_flapping(&mut story);
    for i in 0..story.acts.len() {
        if story.told[i] {
            continue;
        }
        match &story.acts[i].kind {
            ActivityKind::Scaling(_) => scaling::tell(&mut story, i),
            ActivityKind::Alarm(_) => alarms::tell(&mut story, i),
            ActivityKind::TargetHealth(_)
            | ActivityKind::TargetGroup(_)
            | ActivityKind::LoadBalancer(_)
            | ActivityKind::Registration(_)
            | ActivityKind::Fault(_) => targets::tell(&mut story, i),
            ActivityKind::Queue(_) => queues::tell(&mut story, i),
            ActivityKind::HistoryCut { .. } => {}
        }
    }
    let mut events = story.events;
    events.sort_by(|a, b| {
        (a.time_seconds.total_cmp(&b.time_seconds))
            .then_with(|| a.lines.first().cmp(&b.lines.first()))
    });
    events
}

/// The history being told: which lines are told already, and the events so far.
struct Story<'a> {
    /// The typed history (`RunResult::activity`).
    acts: &'a [Activity],
    /// The run's alarms (which are a target tracking policy's high or low alarm).
    alarms: &'a [AlarmResult],
    /// The run's end [s].
    end_seconds: f64,
    /// Lines an event already tells.
    told: Vec<bool>,
    /// Events told.
    events: Vec<ExplainedEvent>,
}

impl Story<'_> {
    /// Adds an event telling `lines` (marked told).
    #[allow(clippy::too_many_arguments)]
    fn add(
        &mut self,
        time_seconds: f64,
        until_seconds: Option<f64>,
        mark: Mark,
        subject: &str,
        label: Option<String>,
        text: String,
        lines: Vec<usize>,
    ) {
        for &l in &lines {
            self.told[l] = true;
        }
        self.events.push(ExplainedEvent {
            time_seconds,
            until_seconds,
            mark,
            subject: subject.to_string(),
            label: label.map(words::fit),
            text,
            lines,
        });
    }

    /// Lines after `i` not told yet, in order.
    fn after(&self, i: usize) -> impl Iterator<Item = (usize, &Activity)> + '_ {
        (i + 1..self.acts.len())
            .filter(|&j| !self.told[j])
            .map(|j| (j, &self.acts[j]))
    }

    /// The alarm's role in words: `the high alarm X`, `the low alarm X`, `alarm X`.
    fn alarm_role(&self, name: &str) -> String {
        match self.alarm_side(name) {
            Some(AlarmSide::High) => format!("the high alarm {name}"),
            Some(AlarmSide::Low) => format!("the low alarm {name}"),
            None => format!("alarm {name}"),
        }
    }

    /// Which alarm of a target tracking policy it is, if one.
    fn alarm_side(&self, name: &str) -> Option<AlarmSide> {
        (self.alarms.iter())
            .find(|a| a.name == name)
            .and_then(|a| a.target_tracking.as_ref())
            .map(|t| t.side)
    }

    /// A short name for a label: `AlarmHigh`/`AlarmLow` for a target tracking alarm, else the name.
    fn alarm_short(&self, name: &str) -> String {
        match self.alarm_side(name) {
            Some(side) => side.as_str().to_string(),
            None => name.to_string(),
        }
    }
}

/// `events.json`'s text: `{"events": [...]}`, pretty, ending in a newline.
pub fn to_json(events: &[ExplainedEvent]) -> String {
    #[derive(Serialize)]
    struct File<'a> {
        events: &'a [ExplainedEvent],
    }
    let mut text = serde_json::to_string_pretty(&File { events }).expect("events serialize");
    text.push('\n');
    text
}

/// Reads `events.json`'s text.
pub fn from_json(text: &str) -> Result<Vec<ExplainedEvent>, serde_json::Error> {
    #[derive(Deserialize)]
    struct File {
        events: Vec<ExplainedEvent>,
    }
    serde_json::from_str::<File>(text).map(|f| f.events)
}

#[cfg(test)]
mod tests;
