//! The timeline's SQS panels: per queue its messages (`ApproximateNumberOfMessagesVisible`,
//! `…NotVisible`, `…Delayed`), the `ApproximateAgeOfOldestMessage` of the working queues (and of
//! the dead-letter queues apart), `NumberOfEmptyReceives` when a queue had any, and the worker
//! programs' pollers, running and busy.

use super::super::timeline_plot::{Panel, Series, SeriesStyle};
use crate::recorder::{QueuePeriod, RunResult};

/// `ApproximateNumberOfMessagesVisible` in every queue panel: the backlog.
const VISIBLE: [u8; 3] = [0x4E, 0x79, 0xA7];
/// `ApproximateNumberOfMessagesNotVisible` in every queue panel: in flight.
const NOT_VISIBLE: [u8; 3] = [0xF2, 0x8E, 0x2B];
/// `ApproximateNumberOfMessagesDelayed` in every queue panel.
const DELAYED: [u8; 3] = [0xB0, 0x7A, 0xA1];
/// The colours of queues (in the age panel) and of worker programs, in model order: the
/// palette's without the blue and orange that mean visible and in flight.
/// Neighbours differ in hue (green, red, brown, teal…), so two programs are easy to tell apart.
const NAMED: [[u8; 3]; 6] = [
    [0x59, 0xA1, 0x4F],
    [0xE1, 0x57, 0x59],
    [0x9C, 0x75, 0x5F],
    [0x76, 0xB7, 0xB2],
    [0xED, 0xC9, 0x48],
    [0xBA, 0xB0, 0xAC],
];

/// The panel of each queue, the age panel and the workers panel (none without queues).
pub(super) fn panels(r: &RunResult) -> Vec<Panel> {
    let mut out: Vec<Panel> = (0..r.queues.len()).map(|k| queue_panel(r, k)).collect();
    // Dead-letter queues keep messages for hours: their ages get a panel of their own, so the
    // working queues' minutes stay readable.
    let dead_letter = |k: usize| {
        let name = &r.queues[k].name;
        (r.queues.iter()).any(|q| q.dead_letter_queue.as_ref() == Some(name))
    };
    let (dlqs, working): (Vec<usize>, Vec<usize>) =
        (0..r.queues.len()).partition(|&k| dead_letter(k));
    if !working.is_empty() {
        out.push(age_panel(
            r,
            &working,
            "ApproximateAgeOfOldestMessage (empty queue: no datapoint)",
        ));
    }
    if !dlqs.is_empty() {
        out.push(age_panel(
            r,
            &dlqs,
            "ApproximateAgeOfOldestMessage of dead-letter queues",
        ));
    }
    if (r.periods.iter()).any(|p| p.queues.iter().any(|q| q.empty_receives > 0)) {
        out.push(empty_receives_panel(r));
    }
    if !r.consumers.is_empty() {
        out.push(workers_panel(r));
    }
    out
}

/// `NumberOfEmptyReceives` per queue on a log scale: short polling's thousands a minute beside long
/// polling's few (each one billed), the cost story of `WaitTimeSeconds`. A minute without any is a
/// gap.
fn empty_receives_panel(r: &RunResult) -> Panel {
    Panel {
        title: "NumberOfEmptyReceives per period (billed; log scale)".into(),
        y_label: "receives".into(),
        series: (r.queues.iter().enumerate())
            .filter(|&(k, _)| {
                (r.periods.iter()).any(|p| p.queues.get(k).is_some_and(|q| q.empty_receives > 0))
            })
            .map(|(k, q)| Series {
                name: q.name.clone(),
                values: column(r, k, |p| Some(p.empty_receives as f64)),
                style: SeriesStyle::Line,
                color: Some(NAMED[k % NAMED.len()]),
            })
            .collect(),
        y_min_zero: false,
        log_y: true,
    }
}

/// Queue `k`'s value `f` in every period (`None` for a period closed without it).
fn column(r: &RunResult, k: usize, f: impl Fn(&QueuePeriod) -> Option<f64>) -> Vec<Option<f64>> {
    (r.periods.iter())
        .map(|p| p.queues.get(k).and_then(&f))
        .collect()
}

fn queue_panel(r: &RunResult, k: usize) -> Panel {
    let q = &r.queues[k];
    let mut series = vec![
        Series {
            name: "Visible".into(),
            values: column(r, k, |p| Some(p.visible as f64)),
            style: SeriesStyle::Area,
            color: Some(VISIBLE),
        },
        Series {
            name: "NotVisible (in flight)".into(),
            values: column(r, k, |p| Some(p.not_visible as f64)),
            style: SeriesStyle::Line,
            color: Some(NOT_VISIBLE),
        },
    ];
    // Delayed messages only in queues that ever had some (DelaySeconds, or a per-message delay).
    if r.periods
        .iter()
        .any(|p| p.queues.get(k).is_some_and(|q| q.delayed > 0))
    {
        series.push(Series {
            name: "Delayed".into(),
            values: column(r, k, |p| Some(p.delayed as f64)),
            style: SeriesStyle::Line,
            color: Some(DELAYED),
        });
    }
    Panel {
        title: format!("SQS queue {}: ApproximateNumberOfMessages…", q.name),
        y_label: "messages".into(),
        series,
        y_min_zero: true,
        log_y: false,
    }
}

/// The unit the age panel shows: seconds, minutes or hours, after the oldest age shown.
fn age_unit(max_seconds: f64) -> (f64, &'static str) {
    if max_seconds <= 600.0 {
        (1.0, "age [s]")
    } else if max_seconds <= 10.0 * 3600.0 {
        (60.0, "age [min]")
    } else {
        (3600.0, "age [h]")
    }
}

/// The age of the oldest message of queues `which` (indices into `r.queues`).
fn age_panel(r: &RunResult, which: &[usize], title: &str) -> Panel {
    let max = (r.periods.iter())
        .flat_map(|p| {
            (which.iter()).filter_map(|&k| p.queues.get(k).and_then(|q| q.age_of_oldest_seconds))
        })
        .fold(0.0, f64::max);
    let (per, unit) = age_unit(max);
    Panel {
        title: title.into(),
        y_label: unit.into(),
        series: (which.iter())
            .map(|&k| Series {
                name: r.queues[k].name.clone(),
                values: column(r, k, |p| p.age_of_oldest_seconds.map(|a| a / per)),
                style: SeriesStyle::Line,
                color: Some(NAMED[k % NAMED.len()]),
            })
            .collect(),
        y_min_zero: true,
        log_y: false,
    }
}

fn workers_panel(r: &RunResult) -> Panel {
    let series = (r.consumers.iter().enumerate())
        .flat_map(|(k, c)| {
            let color = Some(NAMED[k % NAMED.len()]);
            let values = |f: fn(&crate::recorder::ConsumerPeriod) -> f64| -> Vec<Option<f64>> {
                (r.periods.iter())
                    .map(|p| p.consumers.get(k).map(f))
                    .collect()
            };
            [
                Series {
                    name: format!("{} busy", c.name),
                    values: values(|p| p.busy_pollers),
                    style: SeriesStyle::Area,
                    color,
                },
                Series {
                    name: format!("{} pollers", c.name),
                    values: values(|p| f64::from(p.pollers)),
                    style: SeriesStyle::Steps,
                    color,
                },
            ]
        })
        .collect();
    Panel {
        title: "Worker pollers: running, and busy processing (time average)".into(),
        y_label: "pollers".into(),
        series,
        y_min_zero: true,
        log_y: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_are_shown_in_a_unit_that_keeps_numbers_short() {
        assert_eq!(age_unit(0.0), (1.0, "age [s]"));
        assert_eq!(age_unit(600.0), (1.0, "age [s]"));
        assert_eq!(age_unit(601.0), (60.0, "age [min]"));
        assert_eq!(age_unit(36_001.0), (3600.0, "age [h]"));
    }
}
