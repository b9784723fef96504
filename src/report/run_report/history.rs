//! The timeline plot, the narrative of explained events ("What happened") and the activity
//! history with those events' lines marked.

use super::format::Clock;
use crate::report::document::{Block, Figure, LogLine, Mark, Section, Text, TimedEntry};
use crate::report::folder::RunFolder;
use std::collections::BTreeMap;

/// The "Timeline" section: the plot and what its panels and markers are.
pub fn timeline(f: &RunFolder) -> Section {
    Section {
        id: "timeline".into(),
        title: "Timeline".into(),
        blocks: vec![Block::Figure(Figure {
            name: "timeline".into(),
            svg: f.timeline_svg.clone(),
            caption: caption(f),
        })],
    }
}

/// What the timeline's panels and markers show, for this model.
fn caption(f: &RunFolder) -> String {
    let s = &f.model;
    let lb = !s.listeners.is_empty();
    let asg = !s.auto_scaling_groups.is_empty();
    let mut panels = Vec::new();
    if lb {
        panels.push("the load balancer's traffic (requests, responses and errors per second)");
        if asg || !s.target_groups.is_empty() {
            panels.push("HealthyHostCount and UnHealthyHostCount (when targets changed health or an Auto Scaling group runs)");
        }
    }
    if !s.messaging.queues.is_empty() {
        panels.push("each SQS queue's ApproximateNumberOfMessages, the age of its oldest message, the worker programs' pollers (running and busy) and NumberOfEmptyReceives when there were any");
    }
    if asg {
        panels.push("each Auto Scaling group's desired capacity and instances");
    }
    if !s.alarms.is_empty() {
        panels.push("the alarms' metrics (latest datapoint) against their thresholds");
    }
    if lb {
        panels.push("TargetResponseTime percentiles");
    }
    panels.push("CPUUtilization per instance");
    // The kinds marked on the plot: those of the events with a marker label, in the key's order.
    let marked: Vec<&str> = Mark::ALL
        .iter()
        .filter(|m| f.events.iter().any(|e| e.mark == **m && e.label.is_some()))
        .map(|m| m.word())
        .collect();
    let markers = if marked.is_empty() {
        "Nothing was marked on the time axis.".to_string()
    } else {
        format!(
            "Dashed lines across the panels mark the events told under What happened, coloured by kind ({}) as the key under the plot says, each labelled above the first panel (lines too close to label merge, or become ticks).",
            marked.join(", ")
        )
    };
    format!(
        "Panels, top to bottom, one datapoint per metric period: {}. {markers}",
        panels.join("; ")
    )
}

/// The "What happened" section: each explained event at its time, or one sentence saying
/// there were none.
pub fn narrative(f: &RunFolder) -> Section {
    let clock = Clock::for_run(f.model.duration.as_secs_f64());
    let blocks = if f.events.is_empty() {
        vec![Block::Paragraph(Text::plain(
            "Nothing worth telling happened: no scaling activity, alarm change, health change, fault or queue event was explained for this run.",
        ))]
    } else {
        vec![Block::Timeline(
            f.events
                .iter()
                .map(|e| TimedEntry {
                    when: clock.when(e.time_seconds, e.until_seconds),
                    mark: e.mark,
                    text: if e.subject.is_empty() || e.text.contains(&e.subject) {
                        Text::plain(e.text.clone())
                    } else {
                        Text(vec![])
                            .and_strong(e.subject.clone())
                            .and(format!(": {}", e.text))
                    },
                })
                .collect(),
        )]
    };
    Section {
        id: "narrative".into(),
        title: "What happened".into(),
        blocks,
    }
}

/// The "Activity history" section: `activity.log` with the lines the narrative tells marked;
/// `None` when the history is empty.
pub fn activity(f: &RunFolder) -> Option<Section> {
    if f.activity.is_empty() {
        return None;
    }
    let marks = marked_lines(f);
    let lines: Vec<LogLine> = f
        .activity
        .iter()
        .enumerate()
        .map(|(i, text)| LogLine {
            text: text.clone(),
            mark: marks.get(&i).copied(),
        })
        .collect();
    let how = if marks.is_empty() {
        "Every line is one thing the simulated AWS did or saw, with its time (h:mm:ss.mmm since the run began), the service and what it concerns."
    } else {
        "Every line is one thing the simulated AWS did or saw, with its time (h:mm:ss.mmm since the run began), the service and what it concerns. The marked lines are those the narrative above tells, coloured by kind."
    };
    Some(Section {
        id: "activity".into(),
        title: "Activity history".into(),
        blocks: vec![Block::Paragraph(Text::plain(how)), Block::Log(lines)],
    })
}

/// The mark of every line an event explains (the first event naming a line gives its mark).
fn marked_lines(f: &RunFolder) -> BTreeMap<usize, Mark> {
    let mut marks = BTreeMap::new();
    for e in &f.events {
        for &line in &e.lines {
            if line < f.activity.len() {
                marks.entry(line).or_insert(e.mark);
            }
        }
    }
    marks
}
