//! The load balancer as a CloudWatch metric source: `AWS/ApplicationELB` `RequestCount` and
//! `RequestCountPerTarget` per target group, `TargetResponseTime` (average and percentiles) and
//! `HTTPCode_ELB_5XX_Count` of the load balancer, published once per metric period.
//!
//! Request counts come from the counters the request path keeps ([`CloudWatch::requests`]); the
//! response-time statistics and 5XX count from the recorder's row of the period just closed.
//!
//! [`CloudWatch::requests`]: super::CloudWatch

use super::metric::{Dimension, MetricKey, MetricName, PeriodStatistic};
use crate::model::world::World;

impl World<'_> {
    /// Publishes the load balancer's metrics of the period just closed.
    pub(in crate::model::world) fn publish_load_balancer_metrics(&mut self) {
        let keys: Vec<_> = self.cloudwatch.metrics.keys().collect();
        for (id, key) in keys {
            if matches!(
                key.dimension,
                Dimension::TargetGroup(_) | Dimension::LoadBalancer
            ) {
                let value = self.load_balancer_metric(key);
                self.cloudwatch.metrics.publish(id, value);
            }
        }
    }

    fn load_balancer_metric(&self, key: MetricKey) -> Option<f64> {
        let row = || self.rec.last_row();
        match (key.name, key.dimension, key.statistic) {
            (MetricName::RequestCount, Dimension::TargetGroup(g), _) => {
                let n = self.cloudwatch.requests[g.index()];
                (n > 0).then_some(n as f64)
            }
            (MetricName::RequestCountPerTarget, Dimension::TargetGroup(g), _) => {
                let (healthy, _) = self.lb.groups[g.index()].host_counts();
                Some(self.cloudwatch.requests[g.index()] as f64 / f64::from(healthy.max(1)))
            }
            (MetricName::TargetResponseTime, _, PeriodStatistic::Percentile(q)) => {
                // Quantiles the recorder computes each period, in the order of the alarms asking.
                let index = self.cloudwatch.percentiles.iter().position(|&x| x == q)?;
                row().and_then(|r| {
                    r.target_response_time_quantiles
                        .get(index)
                        .copied()
                        .flatten()
                })
            }
            (MetricName::TargetResponseTime, _, _) => {
                row().and_then(|r| r.target_response_time_avg)
            }
            (MetricName::HttpCodeElb5xxCount, _, _) => {
                row().and_then(|r| (r.elb.c5xx > 0).then_some(r.elb.c5xx as f64))
            }
            _ => None,
        }
    }
}
