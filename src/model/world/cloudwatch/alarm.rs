//! A CloudWatch alarm at run time (`PutMetricAlarm`): it collects its metric's per-period values
//! into datapoints of its own `Period`, evaluates the last `EvaluationPeriods` of them (M of N,
//! `TreatMissingData`: [`AlarmRule::evaluate`]) and keeps its state (`OK`, `ALARM`,
//! `INSUFFICIENT_DATA`).

use crate::model::cloudwatch::{AlarmRule, AlarmSpec, AlarmState};
use crate::model::ids::MetricId;
use std::collections::VecDeque;

/// Run state of an alarm.
#[derive(Clone, Debug)]
pub(in crate::model::world) struct Alarm {
    /// The metric it reads from the store.
    pub metric: MetricId,
    /// `StateValue`.
    pub state: AlarmState,
    /// Metric values of recent metric periods (oldest first).
    minutes: VecDeque<Option<f64>>,
    /// Recent datapoints of the alarm's own period (oldest first).
    datapoints: VecDeque<Option<f64>>,
    /// Latest datapoint.
    pub last: Option<f64>,
}

/// A state change (`StateUpdatedTimestamp`, the history item "Alarm updated from … to …").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(in crate::model::world) struct Transition {
    /// The state before.
    pub from: AlarmState,
    /// The state now.
    pub to: AlarmState,
    /// Breaching datapoints among the last `EvaluationPeriods`.
    pub breaching: u32,
}

/// What one metric period did to an alarm.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(in crate::model::world) enum Observed {
    /// Inside its `Period`: the value was kept for the datapoint to come.
    Collected,
    /// A datapoint was taken and evaluated; the state changed if `Some`.
    Evaluated(Option<Transition>),
}

impl Alarm {
    /// A new alarm on `metric`, in `INSUFFICIENT_DATA`.
    pub fn new(metric: MetricId) -> Alarm {
        Alarm {
            metric,
            state: AlarmState::InsufficientData,
            minutes: VecDeque::new(),
            datapoints: VecDeque::new(),
            last: None,
        }
    }

    /// Takes the metric's value of the period that closed as the `period_index`-th: every
    /// `period_multiple` metric periods the alarm combines them into a datapoint (its
    /// `Statistic`) and evaluates.
    pub fn observe(&mut self, spec: &AlarmSpec, value: Option<f64>, period_index: u64) -> Observed {
        self.minutes.push_back(value);
        while self.minutes.len() > spec.period_multiple as usize {
            self.minutes.pop_front();
        }
        if period_index % u64::from(spec.period_multiple) != 0 {
            return Observed::Collected;
        }
        let present: Vec<f64> = self.minutes.iter().flatten().copied().collect();
        let datapoint = spec.statistic.combine(&present);
        self.last = datapoint;
        self.datapoints.push_back(datapoint);
        while self.datapoints.len() > spec.rule.evaluation_periods as usize {
            self.datapoints.pop_front();
        }
        let points: Vec<Option<f64>> = self.datapoints.iter().copied().collect();
        let e = spec.rule.evaluate(&points, self.state);
        let before = self.state;
        self.state = e.state;
        Observed::Evaluated((e.state != before).then_some(Transition {
            from: before,
            to: e.state,
            breaching: e.breaching,
        }))
    }

    /// The trailing run of breaching datapoints: how far the alarm has counted toward `ALARM`.
    pub fn breaching_streak(&self, rule: &AlarmRule) -> usize {
        self.datapoints
            .iter()
            .rev()
            .take_while(|d| d.is_some_and(|v| rule.comparison.breaches(v, rule.threshold)))
            .count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::cloudwatch::MetricRef;
    use crate::model::cloudwatch::{Comparison, MissingData, Statistic};

    fn spec(period_multiple: u32, m: u32, n: u32) -> AlarmSpec {
        AlarmSpec {
            name: "high".into(),
            metric_name: "CPUUtilization".into(),
            metric: MetricRef::AsgCpu(crate::model::ids::AsgId(0)),
            statistic: Statistic::Average,
            period_multiple,
            rule: AlarmRule {
                threshold: 50.0,
                comparison: Comparison::Greater,
                evaluation_periods: n,
                datapoints_to_alarm: m,
                missing: MissingData::Missing,
            },
            actions: Vec::new(),
        }
    }

    #[test]
    fn m_of_n_datapoints_move_the_alarm_and_say_so_once() {
        let spec = spec(1, 2, 3);
        let mut alarm = Alarm::new(MetricId(0));
        let first = alarm.observe(&spec, Some(60.0), 1);
        assert_eq!(
            first,
            Observed::Evaluated(Some(Transition {
                from: AlarmState::InsufficientData,
                to: AlarmState::Ok,
                breaching: 1,
            }))
        );
        let second = alarm.observe(&spec, Some(70.0), 2);
        assert_eq!(
            second,
            Observed::Evaluated(Some(Transition {
                from: AlarmState::Ok,
                to: AlarmState::Alarm,
                breaching: 2,
            }))
        );
        assert_eq!(
            alarm.observe(&spec, Some(10.0), 3),
            Observed::Evaluated(None)
        );
        assert_eq!(
            alarm.state,
            AlarmState::Alarm,
            "2 of the last 3 still breach"
        );
        assert_eq!(alarm.breaching_streak(&spec.rule), 0);
    }

    #[test]
    fn a_longer_period_combines_metric_periods_into_one_datapoint() {
        // Period 3 × the metric period, Average: (40 + 50 + 90) / 3 = 60 > 50.
        let spec = spec(3, 1, 1);
        let mut alarm = Alarm::new(MetricId(0));
        assert_eq!(alarm.observe(&spec, Some(40.0), 1), Observed::Collected);
        assert_eq!(alarm.observe(&spec, Some(50.0), 2), Observed::Collected);
        assert_eq!(alarm.last, None);
        alarm.observe(&spec, Some(90.0), 3);
        assert_eq!(alarm.last, Some(60.0));
        assert_eq!(alarm.state, AlarmState::Alarm);
        assert_eq!(alarm.breaching_streak(&spec.rule), 1);
    }
}
