//! Simple scaling (`SimpleScaling`): one `ScalingAdjustment` per alarm, then nothing until the
//! activity's instances finished launching or terminating and the cooldown after it (`Cooldown`,
//! else the group's `DefaultCooldown`) is over.
//!
//! The wait is the group's, not the policy's: "after your Auto Scaling group launches or
//! terminates instances, it waits for a cooldown period to end before any further scaling
//! activities initiated by simple scaling policies can start" (EC2 Auto Scaling User Guide,
//! Scaling cooldowns). So a scale-out by one simple policy also holds back the scale-in policy,
//! for the cooldown of the policy whose activity it was. A scale-in whose instances are gone at
//! once (nothing to drain) completes at once, and its cooldown starts then.

use super::member::Lifecycle;
use super::trigger::Trigger;
use crate::engine::SimTime;
use crate::model::autoscaling::{AdjustmentType, PolicyKind};
use crate::model::ids::{AsgId, InstanceId, PolicyId};
use crate::model::world::World;
use crate::recorder::{PolicyNote, ScalingActivity, SizeLimit};

/// Run state of a simple scaling policy.
#[derive(Clone, Debug, Default)]
pub(super) struct SimpleRun {
    /// No new activity before this.
    pub cooldown_until: SimTime,
    /// Instances of its last activity still launching or terminating.
    pub in_progress: Vec<InstanceId>,
}

impl World<'_> {
    /// Policy `p` of group `a`, invoked by its alarm.
    pub(super) fn simple_scaling(
        &mut self,
        a: AsgId,
        p: PolicyId,
        t: Trigger,
        adjustment_type: AdjustmentType,
        adjustment: i64,
    ) {
        let Trigger {
            desired,
            min,
            max,
            cause,
            ..
        } = t;
        let runs = || {
            self.scaling.groups[a.index()]
                .policies
                .iter()
                .map(|r| &r.simple)
        };
        let in_progress: usize = runs().map(|r| r.in_progress.len()).sum();
        if in_progress > 0 {
            self.note(
                a,
                p,
                PolicyNote::ActivityInProgress {
                    instances: in_progress,
                },
            );
            return;
        }
        let until = runs().map(|r| r.cooldown_until).max().unwrap_or_default();
        if self.now < until {
            self.note(a, p, PolicyNote::CooldownUntil { until });
            return;
        }
        let wanted = adjustment_type.apply(desired, adjustment, 0);
        let before: Vec<InstanceId> = self.scaling.groups[a.index()]
            .members
            .iter()
            .map(|m| m.instance)
            .collect();
        if self.set_desired(a, wanted, cause) {
            let run_members = &self.scaling.groups[a.index()].members;
            let changed: Vec<InstanceId> = run_members
                .iter()
                .filter(|m| !before.contains(&m.instance) || m.state == Lifecycle::Terminating)
                .map(|m| m.instance)
                .collect();
            let done_at_once = changed.is_empty();
            let pr = &mut self.scaling.groups[a.index()].policies[p.index()];
            pr.simple.in_progress = changed;
            pr.last_note = None;
            if done_at_once {
                self.start_cooldown(a, p);
            }
        } else if (wanted > i64::from(desired) && desired >= max)
            || (wanted < i64::from(desired) && desired <= min)
        {
            self.note(
                a,
                p,
                PolicyNote::AtLimit {
                    limit: if wanted > i64::from(desired) {
                        SizeLimit::MaxSize
                    } else {
                        SizeLimit::MinSize
                    },
                    desired,
                },
            );
        }
    }

    /// A simple-scaling activity's instance finished launching or terminating: once all have, the
    /// policy's cooldown starts.
    pub(super) fn activity_finished(&mut self, a: AsgId, instance: InstanceId) {
        let now = self.now;
        let spec = &self.sc.auto_scaling_groups[a.index()];
        let mut notes = Vec::new();
        for (p, run) in self.scaling.groups[a.index()]
            .policies
            .iter_mut()
            .enumerate()
        {
            let run = &mut run.simple;
            let before = run.in_progress.len();
            run.in_progress.retain(|&i| i != instance);
            if before > 0 && run.in_progress.is_empty() {
                if let PolicyKind::Simple { cooldown, .. } = spec.policies[p].kind {
                    run.cooldown_until = now + cooldown;
                    notes.push(ScalingActivity::CooldownStarts {
                        policy: spec.policies[p].name.clone(),
                        seconds: cooldown.as_secs_f64(),
                    });
                }
            }
        }
        for n in notes {
            self.group_log(a, n);
        }
    }

    /// Policy `p`'s activity completed as it started (its instances were terminated at once):
    /// its cooldown starts now.
    fn start_cooldown(&mut self, a: AsgId, p: PolicyId) {
        let spec = &self.sc.auto_scaling_groups[a.index()].policies[p.index()];
        if let PolicyKind::Simple { cooldown, .. } = spec.kind {
            let name = spec.name.clone();
            self.scaling.groups[a.index()].policies[p.index()]
                .simple
                .cooldown_until = self.now + cooldown;
            self.group_log(
                a,
                ScalingActivity::CooldownStarts {
                    policy: name,
                    seconds: cooldown.as_secs_f64(),
                },
            );
        }
    }
}
