//! The timeline's event markers, from the explained events, and the colours that stay the same
//! for one instance, one target group and one kind of event in every panel and in the report.

use crate::recorder::{ActivityKind, RunResult, ScalingActivity, TargetHealth, TargetState};
use crate::report::document::Mark;
use crate::report::events::ExplainedEvent;
use crate::report::timeline_plot::{Marker, MarkerKey};

/// The categorical palette of the plots, as `[r, g, b]`.
fn palette(k: usize) -> [u8; 3] {
    let c = crate::report::timeline_plot::style::PALETTE;
    let plotters::style::RGBColor(r, g, b) = c[k % c.len()];
    [r, g, b]
}

/// The colour of the run's instance `k` (its position in `instances`), in every panel.
pub fn instance_color(k: usize) -> [u8; 3] {
    palette(k)
}

/// The colour of target group `k` (its position in `target_group_order`), in every panel: its
/// healthy line solid, its unhealthy line dashed, both in this colour.
pub fn target_group_color(k: usize) -> [u8; 3] {
    palette(k)
}

/// The colour of a kind of event: the same as the report's style sheet gives it
/// (`--scaling`, `--alarm`, … in `report.css`), so a marker and its narrative entry match.
pub fn mark_color(mark: Mark) -> [u8; 3] {
    match mark {
        Mark::Scaling => [0x1F, 0x6F, 0xEB],
        Mark::Policy => [0x82, 0x50, 0xDF],
        Mark::Alarm => [0xBC, 0x4C, 0x00],
        Mark::Health => [0x1A, 0x7F, 0x37],
        Mark::Fault => [0xCF, 0x22, 0x2E],
        Mark::Queue => [0x0E, 0x74, 0x90],
    }
}

/// The markers of `events` on a time axis of `unit` seconds, and the key of the kinds that
/// occur (in [`Mark::ALL`]'s order).
///
/// Each event with a label is a marker at its time, in its mark's colour. A deregistration (a
/// target going to `draining`) that an Auto Scaling termination of the same instance caused at
/// the same instant is not marked: the termination's marker stands for it. That is judged from
/// the typed activity the event explains (its `lines`, which number `r.activity`). Likewise an
/// alarm going to `ALARM` at the instant a scaling activity happens is not marked: the scaling
/// activity's label (`web-asg 2→3`) says what the alarm did, on the same line.
pub fn markers(
    r: &RunResult,
    events: &[ExplainedEvent],
    unit: f64,
) -> (Vec<Marker>, Vec<MarkerKey>) {
    let markers: Vec<(Marker, Mark)> = events
        .iter()
        .filter(|e| !stands_for_a_termination(r, e))
        .filter(|e| {
            e.mark != Mark::Alarm
                || !events.iter().any(|s| {
                    s.mark == Mark::Scaling && s.label.is_some() && s.time_seconds == e.time_seconds
                })
        })
        .filter_map(|e| {
            let label = e.label.as_ref()?;
            let marker = Marker {
                x: e.time_seconds / unit,
                label: label.clone(),
                color: Some(mark_color(e.mark)),
            };
            Some((marker, e.mark))
        })
        .collect();
    let key = Mark::ALL
        .into_iter()
        .filter(|m| markers.iter().any(|(_, k)| k == m))
        .map(|m| MarkerKey {
            name: m.word().to_string(),
            color: mark_color(m),
        })
        .collect();
    (markers.into_iter().map(|(m, _)| m).collect(), key)
}

/// Whether every activity `e` explains is a deregistration caused by a termination of the same
/// instance at the same instant (an event that explains no activity is kept).
fn stands_for_a_termination(r: &RunResult, e: &ExplainedEvent) -> bool {
    !e.lines.is_empty()
        && e.lines.iter().all(|&l| {
            r.activity
                .get(l)
                .is_some_and(|a| is_termination_deregistration(r, a))
        })
}

/// A target going to `draining` while an Auto Scaling termination of its instance happens at
/// the same instant.
fn is_termination_deregistration(r: &RunResult, a: &crate::recorder::Activity) -> bool {
    let ActivityKind::TargetHealth(TargetHealth::Transition(t)) = &a.kind else {
        return false;
    };
    if t.to != TargetState::Draining {
        return false;
    }
    // The subject is `<target group>/<instance>`.
    let instance = a.subject.rsplit('/').next().unwrap_or("");
    // The history is in time order: look only at the activities of the same instant.
    let first = r
        .activity
        .partition_point(|b| b.time_seconds < a.time_seconds);
    r.activity[first..]
        .iter()
        .take_while(|b| b.time_seconds == a.time_seconds)
        .any(|b| {
            matches!(&b.kind, ActivityKind::Scaling(ScalingActivity::Terminating { instance: id, .. }) if id == instance)
        })
}

#[cfg(test)]
#[path = "marks_tests.rs"]
mod tests;
