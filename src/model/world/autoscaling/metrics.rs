//! The Auto Scaling groups as a CloudWatch metric source: `AWS/EC2` `CPUUtilization` (1-minute
//! with detailed monitoring, else every 5 minutes the mean of the last five), `NetworkIn` and
//! `NetworkOut` per warmed-up instance, and `AWS/AutoScaling` `GroupInServiceInstances`, each with
//! the dimension `AutoScalingGroupName`, published once per metric period.

use super::member::{Lifecycle, Member};
use crate::model::ids::AsgId;
use crate::model::world::World;
use crate::model::world::cloudwatch::{Dimension, MetricName};

impl World<'_> {
    /// Publishes the groups' metrics of the period just closed (`cpu`: `CPUUtilization` per
    /// instance).
    pub(in crate::model::world) fn publish_group_metrics(&mut self, cpu: &[Option<f64>]) {
        self.record_group_cpu(cpu);
        let keys: Vec<_> = self.cloudwatch.metrics.keys().collect();
        for (id, key) in keys {
            let Dimension::AutoScalingGroup(a) = key.dimension else {
                continue;
            };
            let value = self.group_metric(a, key.name);
            self.cloudwatch.metrics.publish(id, value);
        }
    }

    /// Keeps 5 minutes of the groups' per-minute CPU averages (basic monitoring publishes their
    /// mean every 5 minutes).
    fn record_group_cpu(&mut self, cpu: &[Option<f64>]) {
        for a in 0..self.scaling.groups.len() {
            let warm = self.warmup(AsgId(a as u32));
            let run = &self.scaling.groups[a];
            let mut all = Vec::new();
            let mut ready = Vec::new();
            for x in run
                .members
                .iter()
                .filter(|x| x.state == Lifecycle::InService)
            {
                if let Some(c) = cpu.get(x.instance.index()).copied().flatten() {
                    all.push(c);
                    if x.served(self.now) >= warm {
                        ready.push(c);
                    }
                }
            }
            let mean = |v: &[f64]| (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64);
            let entry = (mean(&all), mean(&ready));
            let run = &mut self.scaling.groups[a];
            run.cpu_minutes.push_back(entry);
            while run.cpu_minutes.len() > 5 {
                run.cpu_minutes.pop_front();
            }
        }
    }

    /// One metric of group `a` over the period just closed.
    fn group_metric(&self, a: AsgId, name: MetricName) -> Option<f64> {
        let minute_of_five =
            (self.rec.periods_closed() as u64 * self.sc.period.0 / 1_000_000_000 / 60) % 5 == 0;
        let run = &self.scaling.groups[a.index()];
        match name {
            MetricName::CpuUtilization | MetricName::CpuUtilizationWarmedUp => {
                let spec = &self.sc.auto_scaling_groups[a.index()];
                let pick = |e: &(Option<f64>, Option<f64>)| {
                    if name == MetricName::CpuUtilization {
                        e.0
                    } else {
                        e.1
                    }
                };
                if spec.template.detailed_monitoring {
                    run.cpu_minutes.back().and_then(pick)
                } else if minute_of_five {
                    let v: Vec<f64> = run.cpu_minutes.iter().filter_map(pick).collect();
                    (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64)
                } else {
                    None
                }
            }
            MetricName::NetworkIn | MetricName::NetworkOut => {
                let warm = self.warmup(a);
                let ready: Vec<&Member> = run
                    .members
                    .iter()
                    .filter(|x| x.state == Lifecycle::InService && x.served(self.now) >= warm)
                    .collect();
                if ready.is_empty() {
                    return None;
                }
                let total: u64 = ready
                    .iter()
                    .map(|x| {
                        let b = self.fleet[x.instance].network;
                        if name == MetricName::NetworkIn {
                            b.received
                        } else {
                            b.sent
                        }
                    })
                    .sum();
                Some(total as f64 / ready.len() as f64)
            }
            MetricName::GroupInServiceInstances => Some(
                run.members
                    .iter()
                    .filter(|x| x.state == Lifecycle::InService)
                    .count() as f64,
            ),
            _ => None,
        }
    }
}
