//! CloudWatch metrics: what a metric is called (`Namespace`, `MetricName`, `Dimensions`, the
//! period statistic) and the run's metric store, where every metric source publishes one value
//! per metric period (`PutMetricData`) and alarms read it (`GetMetricData`).
//!
//! Only metrics some alarm reads are registered; each is published at every period end, `None`
//! standing for a missing datapoint (CloudWatch's "no data").

use crate::model::cloudwatch::MetricRef;
use crate::model::ids::{AsgId, MetricId, TargetGroupId};

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
    /// The metric an alarm of the model watches.
    pub fn of(metric: MetricRef) -> MetricKey {
        use PeriodStatistic::{Average, Percentile, Sum};
        let asg = Dimension::AutoScalingGroup;
        let (name, dimension, statistic) = match metric {
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
        };
        MetricKey {
            name,
            dimension,
            statistic,
        }
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
        let cpu = store.register(MetricKey::of(MetricRef::AsgCpu(AsgId(0))));
        let p99 = store.register(MetricKey::of(MetricRef::LbTargetResponseTimePercentile(
            990,
        )));
        let avg = store.register(MetricKey::of(MetricRef::LbTargetResponseTime));
        assert_eq!(
            store.register(MetricKey::of(MetricRef::AsgCpu(AsgId(0)))),
            cpu
        );
        assert_ne!(
            store.register(MetricKey::of(MetricRef::AsgCpu(AsgId(1)))),
            cpu
        );
        assert_ne!(p99, avg, "a percentile is a statistic of its own");
        assert_eq!(store.keys().count(), 4);
    }

    #[test]
    fn an_unpublished_datapoint_is_missing() {
        let mut store = MetricStore::default();
        let id = store.register(MetricKey::of(MetricRef::LbElb5xx));
        store.publish(id, Some(3.0));
        assert_eq!(store.latest(id), Some(3.0));
        store.start_period();
        assert_eq!(store.latest(id), None);
    }

    #[test]
    fn alarm_metrics_map_to_aws_names_dimensions_and_statistics() {
        let key = MetricKey::of(MetricRef::TgRequestCountPerTarget(TargetGroupId(2)));
        assert_eq!(key.name, MetricName::RequestCountPerTarget);
        assert_eq!(key.dimension, Dimension::TargetGroup(TargetGroupId(2)));
        let key = MetricKey::of(MetricRef::AsgInService(AsgId(1)));
        assert_eq!(key.name, MetricName::GroupInServiceInstances);
        assert_eq!(key.dimension, Dimension::AutoScalingGroup(AsgId(1)));
        let key = MetricKey::of(MetricRef::LbTargetResponseTimePercentile(999));
        assert_eq!(key.name, MetricName::TargetResponseTime);
        assert_eq!(key.statistic, PeriodStatistic::Percentile(999));
        let key = MetricKey::of(MetricRef::LbElb5xx);
        assert_eq!(key.name, MetricName::HttpCodeElb5xxCount);
        assert_eq!(key.statistic, PeriodStatistic::Sum);
    }
}
