//! Automatic Target Weights at run time: every 5 seconds each target group's anomaly detection
//! and mitigation run ([`crate::model::anomaly`]); targets' responses are counted as they come.

use super::World;
use crate::model::anomaly::EVALUATION_INTERVAL;
use crate::model::event::Event;
use crate::model::ids::{MemberId, TargetGroupId};
use crate::recorder::{ActivityKind, TargetHealth};

impl World<'_> {
    /// Schedules the first evaluation, when the model has target groups.
    pub(super) fn start_anomaly_detection(&mut self) {
        let first = crate::engine::SimTime::ZERO + EVALUATION_INTERVAL;
        if !self.sc.target_groups.is_empty() && first < self.end {
            self.queue.schedule(first, Event::AnomalyDetectionRuns);
        }
    }

    /// The load balancer's connection to member `m` of group `g` failed (refused, reset, or its
    /// SYN dropped): `TargetConnectionErrorCount`, and an error for anomaly detection.
    #[inline(always)]
    pub(super) fn target_connection_failed(&mut self, g: TargetGroupId, m: MemberId) {
        self.rec.target_connection_error();
        self.lb.groups[g.index()].members[m.index()]
            .responses
            .count(true);
    }

    /// One 5-second step in every group: verdicts and weights change, the history tells it,
    /// and `AnomalousHostCount` / `MitigatedHostCount` follow.
    #[inline(never)]
    pub(super) fn on_anomaly_detection_runs(&mut self) {
        for (g, spec) in self.sc.target_groups.iter().enumerate() {
            let group = &mut self.lb.groups[g];
            let (was_anomalous, was_mitigated) = (group.anomaly.anomalous, group.anomaly.mitigated);
            let (fleet, rec, now) = (&self.fleet, &mut self.rec, self.now);
            group.evaluate_anomalies(spec, |instance, change| {
                let subject = format!("{}/{}", spec.name, fleet[instance].spec.id);
                let kind = ActivityKind::TargetHealth(TargetHealth::Anomaly(change));
                rec.activity(now, subject, kind);
            });
            let group = &self.lb.groups[g];
            let (anomalous, mitigated) = (group.anomaly.anomalous, group.anomaly.mitigated);
            if (anomalous, mitigated) != (was_anomalous, was_mitigated) {
                self.rec.anomaly_counts(g, self.now, anomalous, mitigated);
            }
        }
        let next = self.now + EVALUATION_INTERVAL;
        if next < self.end {
            self.queue.schedule(next, Event::AnomalyDetectionRuns);
        }
    }
}
