//! CloudWatch at run time: the metric store every metric source publishes into once per metric
//! period (`PutMetricData`, keyed by `Namespace`/`MetricName`/`Dimensions` and statistic), and the
//! alarms that read it (`PutMetricAlarm`: datapoints, M of N evaluation, state and history).
//!
//! At every period end (`World::on_period_ends`) the sources publish — the Auto Scaling groups'
//! `AWS/EC2` and `AWS/AutoScaling` metrics (`world/autoscaling/metrics.rs`), the load balancer's
//! `AWS/ApplicationELB` metrics (`load_balancer.rs`), the queues' and topics' `AWS/SQS` and
//! `AWS/SNS` metrics (`sqs.rs`), then the metric math expressions from them — then every alarm
//! takes its value, and Auto Scaling reacts to the alarms' actions (`world/autoscaling/policy.rs`).
//! A new metric source publishes its metrics from its own file; alarms and policies need no
//! change.

mod alarm;
mod load_balancer;
mod metric;
mod sqs;

pub(super) use alarm::Alarm;
pub(super) use metric::{Dimension, MetricName};

use super::World;
use crate::model::cloudwatch::{MathOp, MetricRef};
use crate::model::ids::{AlarmId, TargetGroupId};
use crate::model::resolved::Scenario;
use crate::recorder::{ActivityKind, AlarmChange};
use alarm::{Observed, Transition};
use metric::MetricStore;

/// Metrics and alarms of a run.
#[derive(Clone, Debug)]
pub(super) struct CloudWatch {
    /// Every metric some alarm reads, with its latest datapoint.
    pub metrics: MetricStore,
    /// The alarms, indexed by [`AlarmId`] (the model's order).
    pub alarms: Vec<Alarm>,
    /// Whether anything reads metrics (alarms, Auto Scaling groups): only then are the
    /// per-period request and byte counters kept and metrics published.
    pub counting: bool,
    /// Per target group: requests forwarded this period (`RequestCount`); see
    /// [`CloudWatch::request_forwarded`].
    requests: Vec<u64>,
    /// `TargetResponseTime` percentiles \[per mille\] alarms ask for, in the order the recorder
    /// computes them every period.
    percentiles: Vec<u16>,
}

impl CloudWatch {
    /// Each alarm's state code (1 `ALARM`, 0 `OK`, -1 `INSUFFICIENT_DATA`) and latest datapoint,
    /// for the period row.
    pub fn alarm_row(&self) -> Vec<(i32, Option<f64>)> {
        (self.alarms.iter())
            .map(|r| (r.state.code(), r.last))
            .collect()
    }

    /// The load balancer forwarded a request to target group `g`: one more for its
    /// `RequestCount` this period. Call only when [`CloudWatch::counting`].
    #[inline(always)]
    pub fn request_forwarded(&mut self, g: TargetGroupId) {
        self.requests[g.index()] += 1;
    }

    /// The alarms of `sc`, each in `INSUFFICIENT_DATA`, with the metrics they read registered.
    pub fn new(sc: &Scenario) -> CloudWatch {
        let mut metrics = MetricStore::default();
        let alarms = (sc.alarms.iter())
            .map(|a| Alarm::new(metrics.register_metric(&a.metric)))
            .collect();
        let mut percentiles: Vec<u16> = (sc.alarms.iter())
            .filter_map(|a| match a.metric {
                MetricRef::LbTargetResponseTimePercentile(q) => Some(q),
                _ => None,
            })
            .collect();
        percentiles.sort_unstable();
        percentiles.dedup();
        CloudWatch {
            metrics,
            alarms,
            counting: !sc.alarms.is_empty() || !sc.auto_scaling_groups.is_empty(),
            requests: vec![0; sc.target_groups.len()],
            percentiles,
        }
    }

    /// The `TargetResponseTime` quantiles (0–1) the recorder must compute every period.
    pub fn quantiles(&self) -> Vec<f64> {
        (self.percentiles.iter())
            .map(|&q| f64::from(q) / 1000.0)
            .collect()
    }

    /// The alarm `id`.
    pub fn alarm(&self, id: AlarmId) -> &Alarm {
        &self.alarms[id.index()]
    }

    /// For an alarm on a value per InService instance (metric math `m1 / m2`, m2 a group's
    /// `GroupInServiceInstances`, such as backlog per instance): the instances its latest
    /// metric period's datapoint was divided by. Valid until the next period starts.
    pub fn per_instance_count(&self, id: AlarmId) -> Option<f64> {
        let key = self.metrics.key(self.alarm(id).metric);
        let (MetricName::Expression(MathOp::Divide), Dimension::Operands(_, right)) =
            (key.name, key.dimension)
        else {
            return None;
        };
        (self.metrics.key(right).name == MetricName::GroupInServiceInstances)
            .then(|| self.metrics.latest(right))
            .flatten()
    }

    /// Starts a new metric period: counters restart at zero, and last period's datapoints are
    /// gone (what no source publishes is missing data).
    pub fn start_period(&mut self) {
        self.requests.iter_mut().for_each(|n| *n = 0);
        self.metrics.start_period();
    }
}

impl World<'_> {
    /// The metric period just closed: every source publishes, every alarm evaluates, and Auto
    /// Scaling reacts to the alarms.
    pub(super) fn close_metric_period(&mut self, cpu: &[Option<f64>]) {
        if !self.cloudwatch.counting {
            return;
        }
        self.publish_group_metrics(cpu);
        self.publish_load_balancer_metrics();
        self.publish_messaging_metrics();
        self.cloudwatch.metrics.publish_expressions();
        let evaluated = self.evaluate_alarms();
        self.react_to_alarms(&evaluated);
    }

    /// Every alarm takes its metric's latest value; returns those that took a datapoint (an
    /// alarm with a longer `Period` takes one every few metric periods). State changes go to the
    /// activity history.
    fn evaluate_alarms(&mut self) -> Vec<AlarmId> {
        let period_index = self.rec.periods_closed() as u64;
        let mut evaluated = Vec::new();
        for (k, spec) in self.sc.alarms.iter().enumerate() {
            let alarm = &mut self.cloudwatch.alarms[k];
            let value = self.cloudwatch.metrics.latest(alarm.metric);
            let Observed::Evaluated(change) = alarm.observe(spec, value, period_index) else {
                continue;
            };
            evaluated.push(AlarmId(k as u32));
            if let Some(Transition {
                from: before,
                to: state,
                breaching,
            }) = change
            {
                let change = AlarmChange {
                    alarm: spec.name.clone(),
                    from: before.as_str(),
                    to: state.as_str(),
                    breaching,
                    evaluation_periods: spec.rule.evaluation_periods,
                    comparison: spec.rule.comparison.symbol(),
                    threshold: spec.rule.threshold,
                    needed: spec.rule.datapoints_to_alarm,
                };
                self.rec.activity(
                    self.now,
                    spec.metric_name.clone(),
                    ActivityKind::Alarm(change),
                );
            }
        }
        evaluated
    }
}

/// One result per alarm: its name, metric and threshold, and the target tracking policy (and
/// side) that manages it, if any — what the summary and the plots label it with.
pub(super) fn alarm_results(sc: &Scenario) -> Vec<crate::recorder::AlarmResult> {
    (sc.alarms.iter().enumerate())
        .map(|(k, a)| crate::recorder::AlarmResult {
            name: a.name.clone(),
            metric_name: a.metric_name.clone(),
            threshold: a.rule.threshold,
            target_tracking: a.actions.iter().find_map(|&(g, p)| {
                use crate::model::autoscaling::PolicyKind::TargetTracking;
                use crate::recorder::AlarmSide::{High, Low};
                let (group, policy) = (
                    &sc.auto_scaling_groups[g.index()],
                    &sc.auto_scaling_groups[g.index()].policies[p.index()],
                );
                let TargetTracking {
                    high_alarm,
                    low_alarm,
                    ..
                } = policy.kind
                else {
                    return None;
                };
                let side = [(high_alarm, High), (low_alarm, Low)]
                    .into_iter()
                    .find(|&(i, _)| i.index() == k)?
                    .1;
                Some(crate::recorder::TargetTrackingAlarm {
                    group: group.name.clone(),
                    policy: policy.name.clone(),
                    side,
                })
            }),
        })
        .collect()
}
