//! The run timeline plot: request rate and errors, latency, CPU per instance; with SQS queues,
//! each queue's messages, the age of their oldest message and the worker programs' pollers.
//!
//! The time axis is in minutes for runs up to 6 hours, in hours up to 4 days, in days beyond.
//! A model without a load balancer has no traffic, host or `TargetResponseTime` panel.

mod queues;

mod marks;
mod units;

pub use marks::{instance_color, mark_color, markers, target_group_color};
pub use units::metric_unit;

use super::events::{ExplainedEvent, explain};
use super::timeline_plot::{Panel, PlotError, Series, SeriesStyle, Timeline, render_svg};
use crate::recorder::{ActivityKind, AlarmResult, HostCounts, RunResult};
use crate::report::document::Mark;

/// The unit of the time axis for a run of `seconds`: seconds per unit and the axis label.
pub fn time_unit(seconds: f64) -> (f64, &'static str) {
    if seconds <= 6.0 * 3600.0 {
        (60.0, "time [min]")
    } else if seconds <= 4.0 * 86_400.0 {
        (3600.0, "time [h]")
    } else {
        (86_400.0, "time [days]")
    }
}

/// Builds the timeline figure of a run (x axis in minutes, hours or days, see [`time_unit`]),
/// marked with the run's explained events ([`explain`]).
pub fn timeline(r: &RunResult) -> Timeline {
    timeline_with_events(r, &explain(r))
}

/// Builds the timeline figure of a run, marked with `events`: each event with a label is a
/// marker in its mark's colour (see [`markers`]).
pub fn timeline_with_events(r: &RunResult, events: &[ExplainedEvent]) -> Timeline {
    let (unit, x_label) = time_unit(r.duration_seconds);
    let x: Vec<f64> = r.periods.iter().map(|p| p.start_seconds / unit).collect();
    let per_sec = |n: u64, len: f64| Some(if len > 0.0 { n as f64 / len } else { 0.0 });
    let traffic = Panel {
        title: "Load balancer traffic".into(),
        y_label: "requests / s".into(),
        series: vec![
            Series {
                name: "RequestCount / s".into(),
                values: r
                    .periods
                    .iter()
                    .map(|p| per_sec(p.request_count, p.length_seconds))
                    .collect(),
                style: SeriesStyle::Line,
                color: None,
            },
            Series {
                name: "5XX / s (ELB + target)".into(),
                values: r
                    .periods
                    .iter()
                    .map(|p| per_sec(p.elb.c5xx + p.target.c5xx, p.length_seconds))
                    .collect(),
                style: SeriesStyle::Area,
                color: Some([214, 39, 40]),
            },
        ],
        y_min_zero: true,
        log_y: false,
    };
    let mut traffic = traffic;
    if !r.clients.is_empty() {
        // Clients that give up and retry: what succeeds, and the extra work they send.
        let sum = |f: fn(&crate::recorder::ClientPeriod) -> u64| -> Vec<Option<f64>> {
            (r.periods.iter())
                .map(|p| per_sec(p.clients.iter().map(f).sum(), p.length_seconds))
                .collect()
        };
        traffic.series.extend([
            Series {
                name: "2XX / s (target)".into(),
                values: (r.periods.iter())
                    .map(|p| per_sec(p.target.c2xx, p.length_seconds))
                    .collect(),
                style: SeriesStyle::Line,
                color: Some([44, 160, 44]),
            },
            Series {
                name: "client retries / s".into(),
                values: sum(|c| c.retries),
                style: SeriesStyle::Line,
                color: Some([255, 127, 14]),
            },
            Series {
                name: "client timeouts (460) / s".into(),
                values: sum(|c| c.timeouts),
                style: SeriesStyle::Line,
                color: Some([148, 103, 189]),
            },
        ]);
    }
    let ms = |v: Option<f64>| v.map(|s| s * 1e3);
    let latency = Panel {
        title: "TargetResponseTime".into(),
        y_label: "latency [ms]".into(),
        series: vec![
            Series {
                name: "p50".into(),
                values: r
                    .periods
                    .iter()
                    .map(|p| ms(p.target_response_time_p50))
                    .collect(),
                style: SeriesStyle::Line,
                color: None,
            },
            Series {
                name: "p99".into(),
                values: r
                    .periods
                    .iter()
                    .map(|p| ms(p.target_response_time_p99))
                    .collect(),
                style: SeriesStyle::Line,
                color: None,
            },
        ],
        y_min_zero: true,
        log_y: false,
    };
    let cpu = Panel {
        title: "CPUUtilization per instance".into(),
        y_label: "CPU [%]".into(),
        series: r
            .instances
            .iter()
            .enumerate()
            .map(|(i, inst)| Series {
                name: inst.id.clone(),
                values: r
                    .periods
                    .iter()
                    .map(|p| p.cpu_utilization.get(i).copied().flatten())
                    .collect(),
                style: SeriesStyle::Line,
                color: Some(instance_color(i)),
            })
            .collect(),
        y_min_zero: true,
        log_y: false,
    };
    let hosts_anomalous = (r.periods.iter()).any(|p| {
        p.hosts
            .iter()
            .any(|h| h.anomalous > 0.0 || h.mitigated > 0.0)
    });
    let hosts = Panel {
        title: if hosts_anomalous {
            "Target counts: healthy, unhealthy, anomalous, mitigated".into()
        } else {
            "HealthyHostCount / UnHealthyHostCount".into()
        },
        y_label: "targets [count]".into(),
        series: r
            .target_group_order
            .iter()
            .enumerate()
            .flat_map(|(g, name)| {
                let healthy = Series {
                    name: format!("{name} healthy"),
                    values: r
                        .periods
                        .iter()
                        .map(|p| p.hosts.get(g).map(|h| h.healthy))
                        .collect(),
                    style: SeriesStyle::Steps,
                    color: Some(target_group_color(g)),
                };
                let unhealthy = Series {
                    name: format!("{name} unhealthy"),
                    values: r
                        .periods
                        .iter()
                        .map(|p| p.hosts.get(g).map(|h| h.unhealthy))
                        .collect(),
                    style: SeriesStyle::DashedSteps,
                    color: Some(target_group_color(g)),
                };
                // Automatic Target Weights' counts, only for groups where they are not zero.
                // Mitigated is dashed: it often equals anomalous, which stays visible beneath.
                let count = |label: &str, f: fn(&HostCounts) -> f64, mark, style| {
                    let values: Vec<Option<f64>> =
                        r.periods.iter().map(|p| p.hosts.get(g).map(f)).collect();
                    values.iter().flatten().any(|&v| v > 0.0).then(|| Series {
                        name: format!("{name} {label}"),
                        values,
                        style,
                        color: Some(mark_color(mark)),
                    })
                };
                let anomalous = count(
                    "anomalous",
                    |h| h.anomalous,
                    Mark::Fault,
                    SeriesStyle::Steps,
                );
                let mitigated = count(
                    "mitigated",
                    |h| h.mitigated,
                    Mark::Policy,
                    SeriesStyle::DashedSteps,
                );
                [Some(healthy), Some(unhealthy), anomalous, mitigated]
                    .into_iter()
                    .flatten()
            })
            .collect(),
        y_min_zero: true,
        log_y: false,
    };
    let mut capacity_panels = Vec::new();
    let (markers, marker_key) = markers(r, events, unit);
    for (a, group) in r.auto_scaling_groups.iter().enumerate() {
        let col = |f: fn(&crate::recorder::GroupCapacity) -> u32| -> Vec<Option<f64>> {
            r.periods
                .iter()
                .map(|p| p.groups.get(a).map(|g| f64::from(f(g))))
                .collect()
        };
        capacity_panels.push(Panel {
            title: format!("Auto Scaling group {}", group.name),
            y_label: "instances [count]".into(),
            series: vec![
                Series {
                    name: "GroupDesiredCapacity".into(),
                    values: col(|g| g.desired),
                    style: SeriesStyle::Steps,
                    color: None,
                },
                Series {
                    name: "GroupInServiceInstances".into(),
                    values: col(|g| g.in_service),
                    style: SeriesStyle::Steps,
                    color: None,
                },
                Series {
                    name: "GroupPendingInstances".into(),
                    values: col(|g| g.pending),
                    style: SeriesStyle::Steps,
                    color: None,
                },
            ],
            y_min_zero: true,
            log_y: false,
        });
    }
    if !r.alarms.is_empty() {
        // Alarms on the same metric (target tracking's high and low pair) share one line; each
        // threshold is a grey constant line, so the wait for datapoints is visible.
        let mut series: Vec<Series> = Vec::new();
        let mut seen: Vec<Vec<Option<f64>>> = Vec::new();
        for (k, alarm) in r.alarms.iter().enumerate() {
            let values: Vec<Option<f64>> =
                r.alarm_points(k).map(|a| a.and_then(|a| a.value)).collect();
            if !seen.contains(&values) {
                series.push(Series {
                    name: metric_label(alarm),
                    values: values.clone(),
                    style: SeriesStyle::Steps,
                    color: None,
                });
                seen.push(values);
            }
            let threshold = alarm.threshold;
            series.push(Series {
                name: format!("{} threshold {threshold}", threshold_label(alarm)),
                values: r.periods.iter().map(|_| Some(threshold)).collect(),
                style: SeriesStyle::Line,
                color: Some([150, 150, 150]),
            });
        }
        capacity_panels.push(Panel {
            title: "Alarm metrics (latest datapoint) and thresholds".into(),
            y_label: alarm_axis_label(&r.alarms),
            series,
            y_min_zero: true,
            log_y: false,
        });
    }
    let health_activity =
        (r.activity.iter()).any(|a| matches!(a.kind, ActivityKind::TargetHealth(_)));
    let mut panels = Vec::new();
    if r.has_load_balancer {
        panels.push(traffic);
        if health_activity || !r.auto_scaling_groups.is_empty() {
            panels.push(hosts);
        }
    }
    panels.extend(queues::panels(r));
    panels.extend(capacity_panels);
    if r.has_load_balancer {
        panels.push(latency);
    }
    panels.push(cpu);
    Timeline {
        title: format!("{} (seed {})", r.model, r.seed),
        x_label: x_label.into(),
        x,
        panels,
        markers,
        marker_key,
    }
}

/// The alarm panel's y axis: the unit of the alarms' metrics (`alarm metric [%]`), every unit
/// when they differ (`alarm metric [% | requests]`), the metric names for a metric of unknown unit.
fn alarm_axis_label(alarms: &[AlarmResult]) -> String {
    let mut units: Vec<&str> = Vec::new();
    for a in alarms {
        let unit = metric_unit(&a.metric_name).unwrap_or(a.metric_name.as_str());
        if !units.contains(&unit) {
            units.push(unit);
        }
    }
    format!("alarm metric [{}]", units.join(" | "))
}

/// The legend name of an alarm's metric line: a target tracking policy's two alarms watch one
/// metric, named after the policy (`TargetTracking-web-asg-cpu50`); any other alarm by its name.
fn metric_label(alarm: &AlarmResult) -> String {
    match &alarm.target_tracking {
        Some(t) => format!("TargetTracking-{}-{}", t.group, t.policy),
        None => alarm.name.clone(),
    }
}

/// The legend name of an alarm's threshold line: a target tracking alarm by its side and policy
/// (`AlarmLow-cpu50`, the group being in the metric's name already); any other alarm by its name.
fn threshold_label(alarm: &AlarmResult) -> String {
    match &alarm.target_tracking {
        Some(t) => format!("{}-{}", t.side.as_str(), t.policy),
        None => alarm.name.clone(),
    }
}

/// The timeline as SVG text.
pub fn to_svg(r: &RunResult) -> Result<String, PlotError> {
    render_svg(&timeline(r), 1000, 240)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::recorder::{AlarmSide, TargetTrackingAlarm};

    fn alarm(name: &str, target_tracking: Option<TargetTrackingAlarm>) -> AlarmResult {
        AlarmResult {
            name: name.into(),
            metric_name: "CPUUtilization".into(),
            threshold: 45.0,
            target_tracking,
        }
    }

    /// A target tracking alarm is labelled from its policy and side, not from its name.
    #[test]
    fn target_tracking_labels_come_from_the_policy() {
        let managed = alarm(
            // A name the labels must not be parsed from.
            "anything",
            Some(TargetTrackingAlarm {
                group: "web-Alarm-asg".into(),
                policy: "cpu50".into(),
                side: AlarmSide::Low,
            }),
        );
        assert_eq!(metric_label(&managed), "TargetTracking-web-Alarm-asg-cpu50");
        assert_eq!(threshold_label(&managed), "AlarmLow-cpu50");
    }

    /// An alarm of the model is labelled by its name, even one that looks like a managed alarm's.
    #[test]
    fn model_alarms_are_labelled_by_name() {
        let own = alarm("TargetTracking-x-AlarmHigh-y", None);
        assert_eq!(metric_label(&own), "TargetTracking-x-AlarmHigh-y");
        assert_eq!(threshold_label(&own), "TargetTracking-x-AlarmHigh-y");
    }
}

#[cfg(test)]
mod queue_panel_tests {
    use super::*;
    use crate::report::test_support::{CONSUMER_PERIODS, QUEUE_PERIODS, messaging_result};

    fn titles(t: &Timeline) -> Vec<&str> {
        t.panels.iter().map(|p| p.title.as_str()).collect()
    }

    /// Without a load balancer: the queue, its age, the workers and CPU; nothing about requests.
    #[test]
    fn a_queue_model_has_queue_age_and_worker_panels() {
        let r = messaging_result();
        let t = timeline(&r);
        assert_eq!(
            titles(&t),
            [
                "SQS queue orders: ApproximateNumberOfMessages…",
                "ApproximateAgeOfOldestMessage (empty queue: no datapoint)",
                "NumberOfEmptyReceives per period (billed; log scale)",
                "Worker pollers: running, and busy processing (time average)",
                "CPUUtilization per instance",
            ]
        );
        let queue = &t.panels[0];
        let values = |k: usize| queue.series[k].values.clone();
        let visible: Vec<Option<f64>> = QUEUE_PERIODS
            .iter()
            .map(|q| Some(q.visible as f64))
            .collect();
        let in_flight: Vec<Option<f64>> = QUEUE_PERIODS
            .iter()
            .map(|q| Some(q.not_visible as f64))
            .collect();
        assert_eq!((values(0), values(1)), (visible, in_flight));
        // A message was delayed in the second period: the queue shows its delayed messages.
        assert_eq!(queue.series[2].name, "Delayed");
        assert_eq!(queue.y_label, "messages");
        let age = &t.panels[1];
        assert_eq!(age.y_label, "age [s]");
        assert_eq!(age.series[0].values, [Some(12.5), Some(48.0), None]);
        let empty = &t.panels[2];
        assert!(empty.log_y);
        let want: Vec<Option<f64>> = QUEUE_PERIODS
            .iter()
            .map(|q| Some(q.empty_receives as f64))
            .collect();
        assert_eq!(empty.series[0].values, want);
        let workers = &t.panels[3];
        let busy: Vec<Option<f64>> = CONSUMER_PERIODS
            .iter()
            .map(|c| Some(c.busy_pollers))
            .collect();
        assert_eq!(workers.series[0].name, "order-worker busy");
        assert_eq!(workers.series[0].values, busy);
        assert_eq!(workers.series[1].name, "order-worker pollers");
        assert_eq!(workers.series[1].values, [Some(10.0); 3]);
        // A worker's two lines share its colour.
        assert_eq!(workers.series[0].color, workers.series[1].color);
        let svg = to_svg(&r).expect("renders");
        for title in titles(&t) {
            assert!(svg.contains(title), "{title}");
        }
    }

    /// With a load balancer as well, the request panels stay, the queue panels after the traffic.
    #[test]
    fn a_model_with_both_keeps_the_request_panels() {
        let r = RunResult {
            has_load_balancer: true,
            ..messaging_result()
        };
        let t = timeline(&r);
        assert_eq!(titles(&t)[0], "Load balancer traffic");
        assert_eq!(
            titles(&t)[1],
            "SQS queue orders: ApproximateNumberOfMessages…"
        );
        assert_eq!(titles(&t)[5], "TargetResponseTime");
        // A queue that never delayed a message has no delayed line.
        let mut r = r;
        r.periods.iter_mut().for_each(|p| p.queues[0].delayed = 0);
        assert_eq!(timeline(&r).panels[1].series.len(), 2);
    }

    /// Ages over 10 minutes are drawn in minutes.
    #[test]
    fn long_ages_are_drawn_in_minutes() {
        let mut r = messaging_result();
        r.periods[1].queues[0].age_of_oldest_seconds = Some(1_800.0);
        let t = timeline(&r);
        let age = &t.panels[1];
        assert_eq!(age.y_label, "age [min]");
        assert_eq!(age.series[0].values[1], Some(30.0));
    }

    /// Every panel's y axis names a unit, the alarm panel its metric's.
    #[test]
    fn every_panel_axis_has_a_unit() {
        for r in [crate::report::summary::tests::result(), messaging_result()] {
            for p in &timeline(&r).panels {
                assert!(
                    !p.y_label.is_empty() && p.y_label != "value",
                    "{}: {:?}",
                    p.title,
                    p.y_label
                );
            }
        }
        let alarm = |metric: &str| AlarmResult {
            name: "a".into(),
            metric_name: metric.into(),
            threshold: 1.0,
            target_tracking: None,
        };
        assert_eq!(
            alarm_axis_label(&[alarm("CPUUtilization")]),
            "alarm metric [%]"
        );
        assert_eq!(
            alarm_axis_label(&[
                alarm("CPUUtilization"),
                alarm("CPUUtilization"),
                alarm("RequestCount")
            ]),
            "alarm metric [% | requests]"
        );
    }

    /// A run without queues has none of the panels.
    #[test]
    fn a_run_without_queues_has_no_queue_panels() {
        let r = crate::report::summary::tests::result();
        let t = timeline(&r);
        assert!(
            titles(&t)
                .iter()
                .all(|t| !t.contains("SQS") && !t.contains("Worker")),
            "{:?}",
            titles(&t)
        );
    }
}
