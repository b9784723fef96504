//! CloudWatch alarms, injected faults and scheduled target operations.

use super::super::describe::{comparison, metric, missing, name_at, statistic};
use super::super::format::{Clock, duration, number};
use crate::engine::SimDuration;
use crate::model::cloudwatch::Comparison;
use crate::model::fault::{FaultKind, FaultTiming, OperationKind};
use crate::report::document::{Block, Table, Text};
use crate::scenario::Scenario;

/// The alarms, faults and operations, each a table when there are any.
pub(super) fn blocks(s: &Scenario, clock: Clock) -> Vec<Block> {
    let mut out = Vec::new();
    if !s.alarms.is_empty() {
        out.push(Block::Heading("CloudWatch alarms".into()));
        let mut t = Table::new(
            &[
                "AlarmName",
                "Metric",
                "Statistic",
                "Period",
                "Threshold",
                "DatapointsToAlarm of EvaluationPeriods",
                "TreatMissingData",
                "AlarmActions",
            ],
            &[false, false, false, false, true, true],
        );
        for a in &s.alarms {
            let period = SimDuration(s.period.0.saturating_mul(u64::from(a.period_multiple)));
            let actions: Vec<String> = a
                .actions
                .iter()
                .map(|(g, p)| {
                    let group = s.auto_scaling_groups.get(g.index());
                    let policy = group
                        .and_then(|grp| grp.policies.get(p.index()))
                        .map_or_else(|| format!("#{}", p.index()), |x| x.name.clone());
                    format!(
                        "{} of {}",
                        policy,
                        name_at(&s.auto_scaling_groups, g.index(), |x| &x.name)
                    )
                })
                .collect();
            t.row(vec![
                Text::plain(a.name.clone()),
                Text::plain(metric(&a.metric, s)),
                Text::plain(statistic(a.statistic)),
                Text::plain(duration(period)),
                Text::plain(format!(
                    "{} {}",
                    a.rule.comparison.symbol(),
                    number(a.rule.threshold)
                )),
                Text::plain(format!(
                    "{} of {}",
                    a.rule.datapoints_to_alarm, a.rule.evaluation_periods
                )),
                Text::plain(missing(a.rule.missing)),
                Text::plain(if actions.is_empty() {
                    "none".to_string()
                } else {
                    actions.join(", ")
                }),
            ]);
        }
        out.push(Block::Table(t));
        let mut ops: Vec<Comparison> = Vec::new();
        for a in &s.alarms {
            if !ops.contains(&a.rule.comparison) {
                ops.push(a.rule.comparison);
            }
        }
        let ops: Vec<String> = ops
            .iter()
            .map(|c| format!("{} is {}", c.symbol(), comparison(*c)))
            .collect();
        out.push(Block::Paragraph(Text::plain(format!(
            "Threshold is written with its ComparisonOperator ({}). The alarms a target tracking policy creates are listed too.",
            ops.join(", ")
        ))));
    }
    if !s.faults.is_empty() {
        out.push(Block::Heading("Faults".into()));
        let mut t = Table::new(&["Fault", "Target", "When"], &[]);
        for f in &s.faults {
            t.row(vec![
                Text::plain(fault_kind(f.kind)),
                Text::plain(f.subject.clone()),
                Text::plain(timing(&f.timing, clock)),
            ]);
        }
        out.push(Block::Table(t));
    }
    if !s.operations.is_empty() {
        out.push(Block::Heading("Target operations".into()));
        let mut t = Table::new(&["At", "Operation", "Target group", "Instance"], &[]);
        for o in &s.operations {
            t.row(vec![
                Text::plain(clock.at(o.at.as_secs_f64())),
                Text::plain(match o.kind {
                    OperationKind::Register => "RegisterTargets",
                    OperationKind::Deregister => "DeregisterTargets",
                }),
                Text::plain(name_at(&s.target_groups, o.group.index(), |x| &x.name)),
                Text::plain(name_at(&s.instances, o.instance.index(), |x| &x.id)),
            ]);
        }
        out.push(Block::Table(t));
    }
    out
}

/// A fault's kind with its parameter: `slow ×3`, `health_path_broken (503)`.
fn fault_kind(k: FaultKind) -> String {
    match k {
        FaultKind::Slow(f) => format!("slow (service times ×{})", number(f)),
        FaultKind::HealthPathBroken(code) => format!("health_path_broken (answers {code})"),
        FaultKind::ApplicationErrors { share, status } => format!(
            "application_errors (answers {status} to {} % of requests)",
            number(share * 100.0)
        ),
        other => other.as_str().to_string(),
    }
}

/// When a fault strikes: `at 10:00 for 5 min`, `at random, mean time between failures 1 h`.
fn timing(t: &FaultTiming, clock: Clock) -> String {
    match t {
        FaultTiming::Once { at, duration: d } => match d {
            Some(d) => format!("at {} for {}", clock.at(at.as_secs_f64()), duration(*d)),
            None => format!("at {} until the end", clock.at(at.as_secs_f64())),
        },
        FaultTiming::Random { mtbf, mttr } => format!(
            "at random: mean time between failures {}, {}",
            duration(*mtbf),
            match mttr {
                Some(r) => format!("mean time to recover {}", duration(*r)),
                None => "no recovery".into(),
            }
        ),
    }
}
