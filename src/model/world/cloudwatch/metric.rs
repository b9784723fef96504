//! CloudWatch metrics: what a metric is called (`Namespace`, `MetricName`, `Dimensions`, the
//! period statistic) and the run's metric store, where every metric source publishes one value
//! per metric period (`PutMetricData`) and alarms read it (`GetMetricData`).
//!
//! Only metrics some alarm reads are registered; each is published at every period end, `None`
//! standing for a missing datapoint (CloudWatch's "no data"). A metric math expression is a
//! metric of its own whose dimension names its two operands' ids in the store (registered
//! before it), computed after every source published.

use crate::model::cloudwatch::{MathOp, MetricRef, SnsMetric, SqsMetric};
use crate::model::ids::{AsgId, MetricId, TargetGroupId};
use crate::model::sqs::{QueueId, TopicId};

/// A CloudWatch metric name (`MetricName`), with its namespace.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(in crate::model::world) enum MetricName {
    /// `AWS/EC2 CPUUtilization` \[%\], averaged over a group's InService instances.
    CpuUtilization,
    /// `CPUUtilization` of a group's InService instances that finished warming up: target
    /// tracking's view (AWS computes it inside the policy; it has no metric name of its own).
    CpuUtilizationWarmedUp,
    /// `AWS/EC2 NetworkIn` per InService, warmed-up instance \[bytes per metric period\].
    NetworkIn,
    /// `AWS/EC2 NetworkOut` per InService, warmed-up instance \[bytes per metric period\].
    NetworkOut,
    /// `AWS/AutoScaling GroupInServiceInstances`.
    GroupInServiceInstances,
    /// `AWS/ApplicationELB RequestCount`.
    RequestCount,
    /// `AWS/ApplicationELB RequestCountPerTarget`.
    RequestCountPerTarget,
    /// `AWS/ApplicationELB TargetResponseTime` \[s\].
    TargetResponseTime,
    /// `AWS/ApplicationELB HTTPCode_ELB_5XX_Count`.
    HttpCodeElb5xxCount,
    /// An `AWS/SQS` queue metric.
    Sqs(SqsMetric),
    /// An `AWS/SNS` topic metric.
    Sns(SnsMetric),
    /// A metric math expression `left op right` (its operands: [`Dimension::Operands`]).
    Expression(MathOp),
}

/// The dimension a metric is published for (`Dimensions`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(in crate::model::world) enum Dimension {
    /// `AutoScalingGroupName=…`.
    AutoScalingGroup(AsgId),
    /// `TargetGroup=…`.
    TargetGroup(TargetGroupId),
    /// `LoadBalancer=…` (the model has one load balancer).
    LoadBalancer,
    /// `QueueName=…`.
    Queue(QueueId),
    /// `TopicName=…`.
    Topic(TopicId),
    /// A metric math expression's operands: (left, right) metrics of the store.
    Operands(MetricId, MetricId),
}

/// The statistic of one metric period's datapoint.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(in crate::model::world) enum PeriodStatistic {
    /// `Average`.
    Average,
    /// `Sum`.
    Sum,
    /// A percentile (`ExtendedStatistic`), in per mille (p99.9 = 999).
    Percentile(u16),
}

/// One CloudWatch metric: name, dimension and period statistic.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(in crate::model::world) struct MetricKey {
    /// `MetricName` (and so its `Namespace`).
    pub name: MetricName,
    /// `Dimensions`.
    pub dimension: Dimension,
    /// The statistic each period's datapoint carries.
    pub statistic: PeriodStatistic,
}

impl MetricKey {
    /// The metric an alarm of the model watches, if it is not an expression (an expression's
    /// key names its operands' ids: [`MetricStore::register_metric`]).
    pub fn of(metric: &MetricRef) -> Option<MetricKey> {
        use PeriodStatistic::{Average, Percentile, Sum};
        let asg = Dimension::AutoScalingGroup;
        let (name, dimension, statistic) = match *metric {
            MetricRef::AsgCpu(g) => (MetricName::CpuUtilization, asg(g), Average),
            MetricRef::AsgCpuReady(g) => (MetricName::CpuUtilizationWarmedUp, asg(g), Average),
            MetricRef::AsgNetworkIn(g) => (MetricName::NetworkIn, asg(g), Average),
            MetricRef::AsgNetworkOut(g) => (MetricName::NetworkOut, asg(g), Average),
            MetricRef::AsgInService(g) => (MetricName::GroupInServiceInstances, asg(g), Average),
            MetricRef::TgRequestCount(t) => {
                (MetricName::RequestCount, Dimension::TargetGroup(t), Sum)
            }
            MetricRef::TgRequestCountPerTarget(t) => (
                MetricName::RequestCountPerTarget,
                Dimension::TargetGroup(t),
                Sum,
            ),
            MetricRef::LbTargetResponseTime => (
                MetricName::TargetResponseTime,
                Dimension::LoadBalancer,
                Average,
            ),
            MetricRef::LbTargetResponseTimePercentile(q) => (
                MetricName::TargetResponseTime,
                Dimension::LoadBalancer,
                Percentile(q),
            ),
            MetricRef::LbElb5xx => (
                MetricName::HttpCodeElb5xxCount,
                Dimension::LoadBalancer,
                Sum,
            ),
            MetricRef::Queue(q, m) => (
                MetricName::Sqs(m),
                Dimension::Queue(q),
                if m.is_count() { Sum } else { Average },
            ),
            MetricRef::Topic(t, m) => (MetricName::Sns(m), Dimension::Topic(t), Sum),
            MetricRef::Math(_) => return None,
        };
        Some(MetricKey {
            name,
            dimension,
            statistic,
        })
    }
}

/// The metrics of a run, each with the datapoint of the latest metric period.
#[derive(Clone, Debug, Default)]
pub(in crate::model::world) struct MetricStore {
    keys: Vec<MetricKey>,
    latest: Vec<Option<f64>>,
}

impl MetricStore {
    /// The id of `key`, registering it on first use (once per alarm, at the start of a run).
    pub fn register(&mut self, key: MetricKey) -> MetricId {
        if let Some(i) = self.keys.iter().position(|&k| k == key) {
            return MetricId(i as u32);
        }
        self.keys.push(key);
        self.latest.push(None);
        MetricId(self.keys.len() as u32 - 1)
    }

    /// The id of `metric`, registering it (and an expression's operands before it) on first use.
    pub fn register_metric(&mut self, metric: &MetricRef) -> MetricId {
        match metric {
            MetricRef::Math(m) => {
                let left = self.register_metric(&m.left);
                let right = self.register_metric(&m.right);
                self.register(MetricKey {
                    name: MetricName::Expression(m.op),
                    dimension: Dimension::Operands(left, right),
                    statistic: PeriodStatistic::Average,
                })
            }
            leaf => self.register(MetricKey::of(leaf).expect("not an expression")),
        }
    }

    /// Computes every expression from its operands' datapoints of the period just closed (after
    /// every source published; operands come first in the store, so nested ones work too).
    pub fn publish_expressions(&mut self) {
        for i in 0..self.keys.len() {
            let key = self.keys[i];
            if let (MetricName::Expression(op), Dimension::Operands(l, r)) =
                (key.name, key.dimension)
            {
                self.latest[i] = op.apply(self.latest[l.index()], self.latest[r.index()]);
            }
        }
    }

    /// How many metrics are registered (ids `0..len`).
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// The metric `id`.
    pub fn key(&self, id: MetricId) -> MetricKey {
        self.keys[id.index()]
    }

    /// Every registered metric, with its id.
    pub fn keys(&self) -> impl Iterator<Item = (MetricId, MetricKey)> + '_ {
        (self.keys.iter().enumerate()).map(|(i, &k)| (MetricId(i as u32), k))
    }

    /// Publishes the datapoint of the metric period just closed (`None`: no data).
    pub fn publish(&mut self, id: MetricId, value: Option<f64>) {
        self.latest[id.index()] = value;
    }

    /// The datapoint of the latest metric period.
    pub fn latest(&self, id: MetricId) -> Option<f64> {
        self.latest[id.index()]
    }

    /// Forgets the datapoints of the period just closed: what no source publishes is missing.
    pub fn start_period(&mut self) {
        self.latest.iter_mut().for_each(|v| *v = None);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_metric_is_registered_once_per_name_dimension_and_statistic() {
        let mut store = MetricStore::default();
        let cpu = store.register_metric(&MetricRef::AsgCpu(AsgId(0)));
        let p99 = store.register_metric(&MetricRef::LbTargetResponseTimePercentile(990));
        let avg = store.register_metric(&MetricRef::LbTargetResponseTime);
        assert_eq!(store.register_metric(&MetricRef::AsgCpu(AsgId(0))), cpu);
        assert_ne!(store.register_metric(&MetricRef::AsgCpu(AsgId(1))), cpu);
        assert_ne!(p99, avg, "a percentile is a statistic of its own");
        assert_eq!(store.keys().count(), 4);
    }

    #[test]
    fn an_unpublished_datapoint_is_missing() {
        let mut store = MetricStore::default();
        let id = store.register_metric(&MetricRef::LbElb5xx);
        store.publish(id, Some(3.0));
        assert_eq!(store.latest(id), Some(3.0));
        store.start_period();
        assert_eq!(store.latest(id), None);
    }

    #[test]
    fn alarm_metrics_map_to_aws_names_dimensions_and_statistics() {
        let key = MetricKey::of(&MetricRef::TgRequestCountPerTarget(TargetGroupId(2))).unwrap();
        assert_eq!(key.name, MetricName::RequestCountPerTarget);
        assert_eq!(key.dimension, Dimension::TargetGroup(TargetGroupId(2)));
        let key = MetricKey::of(&MetricRef::AsgInService(AsgId(1))).unwrap();
        assert_eq!(key.name, MetricName::GroupInServiceInstances);
        assert_eq!(key.dimension, Dimension::AutoScalingGroup(AsgId(1)));
        let key = MetricKey::of(&MetricRef::LbTargetResponseTimePercentile(999)).unwrap();
        assert_eq!(key.name, MetricName::TargetResponseTime);
        assert_eq!(key.statistic, PeriodStatistic::Percentile(999));
        let key = MetricKey::of(&MetricRef::LbElb5xx).unwrap();
        assert_eq!(key.name, MetricName::HttpCodeElb5xxCount);
        assert_eq!(key.statistic, PeriodStatistic::Sum);
    }

    #[test]
    fn queue_gauges_are_averages_and_counts_sums() {
        for m in SqsMetric::ALL {
            let key = MetricKey::of(&MetricRef::Queue(QueueId(3), m)).unwrap();
            assert_eq!(key.name, MetricName::Sqs(m));
            assert_eq!(key.dimension, Dimension::Queue(QueueId(3)));
            // AWS: NumberOf… metrics count events in the period; Approximate… read a level.
            let count = m.name().starts_with("NumberOf");
            let want = if count {
                PeriodStatistic::Sum
            } else {
                PeriodStatistic::Average
            };
            assert_eq!(key.statistic, want, "{}", m.name());
        }
        for m in SnsMetric::ALL {
            let key = MetricKey::of(&MetricRef::Topic(TopicId(1), m)).unwrap();
            assert_eq!(key.dimension, Dimension::Topic(TopicId(1)));
            assert_eq!(key.statistic, PeriodStatistic::Sum);
        }
    }

    fn backlog_per_instance() -> MetricRef {
        MetricRef::Math(Box::new(crate::model::cloudwatch::MetricMath {
            left: MetricRef::Queue(QueueId(0), SqsMetric::Visible),
            op: MathOp::Divide,
            right: MetricRef::AsgInService(AsgId(0)),
        }))
    }

    #[test]
    fn an_expression_is_computed_from_its_operands_of_the_same_period() {
        let mut store = MetricStore::default();
        let e = store.register_metric(&backlog_per_instance());
        assert_eq!(store.register_metric(&backlog_per_instance()), e);
        let visible = store.register_metric(&MetricRef::Queue(QueueId(0), SqsMetric::Visible));
        let in_service = store.register_metric(&MetricRef::AsgInService(AsgId(0)));
        assert!(visible < e && in_service < e, "operands come first");
        // AWS's worked example: 1,500 messages on 10 InService instances.
        store.publish(visible, Some(1500.0));
        store.publish(in_service, Some(10.0));
        store.publish_expressions();
        assert_eq!(store.latest(e), Some(150.0));
        // No InService instance: no backlog per instance (a missing datapoint).
        store.publish(in_service, Some(0.0));
        store.publish_expressions();
        assert_eq!(store.latest(e), None);
        // A missing operand makes the result missing.
        store.start_period();
        store.publish(in_service, Some(4.0));
        store.publish_expressions();
        assert_eq!(store.latest(e), None);
    }
}
