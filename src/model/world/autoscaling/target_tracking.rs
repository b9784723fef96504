//! Target tracking scaling (`TargetTrackingScaling`, `aws-behavior.md` §10.2): two managed alarms
//! (high: the metric above the target; low: below a fraction of it) and the capacity
//! `ceil(N · metric / target)`, where N is the warmed-up InService count the datapoint was measured
//! on — for a value per InService instance (backlog per instance, metric math `m1 / m2`), the
//! InService count m2 read, so AWS's worked example (1,500 messages on 10 instances, target 100)
//! gives 15. Scale-out when the high alarm fires and that is more than the desired capacity;
//! scale-in only when every target tracking policy of the group agrees, `DisableScaleIn` is off
//! and nothing is still launching or warming up.

use super::trigger::Trigger;
use crate::model::autoscaling::{PolicyKind, target_tracking_capacity};
use crate::model::cloudwatch::AlarmState;
use crate::model::ids::{AsgId, PolicyId};
use crate::model::world::World;
use crate::recorder::PolicyNote;

impl World<'_> {
    /// Policy `p` of group `a`, invoked by its high alarm (`high`) or its low alarm.
    pub(super) fn target_tracking(
        &mut self,
        a: AsgId,
        p: PolicyId,
        t: Trigger,
        target: f64,
        disable_scale_in: bool,
        high: bool,
    ) {
        let alarm = t.alarm;
        let Trigger {
            value,
            basis,
            desired,
            min,
            max,
            ready,
            warming,
            pending,
            cause,
            ..
        } = t;
        // A value per InService instance (backlog per instance: `m1 / m2`, m2 the group's
        // `GroupInServiceInstances`) describes every instance m2 counted, warming up or not.
        let per_instance = self.cloudwatch.per_instance_count(alarm);
        if ready == 0 && per_instance.is_none() {
            self.note(a, p, PolicyNote::NoWarmedUpInstance);
            return;
        }
        // The datapoint describes the `basis` instances it was measured on; with 5-minute
        // data the alarm keeps acting on the same datapoint, which must not be applied to
        // capacity added since.
        let basis = per_instance.map_or(basis, |n| n as u32);
        let wanted = target_tracking_capacity(basis.max(1), value, target);
        if high {
            if i64::from(wanted) > i64::from(desired) {
                if desired >= max {
                    self.note(a, p, PolicyNote::WantsAboveMaxSize { wanted, max });
                } else if self.set_desired(a, i64::from(wanted), cause) {
                    self.clear_note(a, p);
                }
            }
        } else if let Some(other) = self.tt_policy_against_scale_in(a, p) {
            self.note(a, p, PolicyNote::OtherPolicyDisagrees { policy: other });
        } else if disable_scale_in {
            self.note(a, p, PolicyNote::ScaleInDisabled);
        } else if warming + pending > 0 {
            self.note(
                a,
                p,
                PolicyNote::ScaleInBlockedByWarmup {
                    instances: warming + pending,
                },
            );
        } else if wanted < desired {
            if desired <= min {
                self.note(a, p, PolicyNote::WouldScaleInBelowMinSize { min });
            } else if self.set_desired(a, i64::from(wanted), cause) {
                self.clear_note(a, p);
            }
        }
    }

    /// With several target tracking policies the group scales in only if all of them (those with
    /// scale-in enabled) would (`aws-behavior.md` §10.2): the name of one whose low alarm is not in
    /// ALARM, if any.
    fn tt_policy_against_scale_in(&self, a: AsgId, p: PolicyId) -> Option<String> {
        let spec = &self.sc.auto_scaling_groups[a.index()];
        spec.policies
            .iter()
            .enumerate()
            .find_map(|(q, other)| match other.kind {
                PolicyKind::TargetTracking {
                    disable_scale_in: false,
                    low_alarm,
                    ..
                } if q != p.index()
                    && self.cloudwatch.alarm(low_alarm).state != AlarmState::Alarm =>
                {
                    Some(other.name.clone())
                }
                _ => None,
            })
    }

    /// Target tracking's low alarm still counting datapoints: say so once, with the count, so the
    /// history explains why the group has not scaled in yet.
    pub(super) fn note_waiting_scale_in(&mut self) {
        for a in 0..self.sc.auto_scaling_groups.len() {
            for p in 0..self.sc.auto_scaling_groups[a].policies.len() {
                let PolicyKind::TargetTracking { low_alarm, .. } =
                    self.sc.auto_scaling_groups[a].policies[p].kind
                else {
                    continue;
                };
                let alarm = &self.sc.alarms[low_alarm.index()];
                let run = self.cloudwatch.alarm(low_alarm);
                if run.state == AlarmState::Alarm {
                    continue;
                }
                // The trailing run of breaching datapoints: how far the alarm has counted.
                let streak = run.breaching_streak(&alarm.rule);
                let desired = self.scaling.groups[a].desired;
                let (asg, policy) = (AsgId(a as u32), PolicyId(p as u32));
                let waiting = matches!(
                    self.scaling.groups[a].policies[p].last_note,
                    Some(PolicyNote::WaitingForLowAlarm { .. })
                );
                if streak > 0 && desired > self.scaling.groups[a].min {
                    let note = PolicyNote::WaitingForLowAlarm {
                        streak,
                        comparison: alarm.rule.comparison.symbol(),
                        threshold: alarm.rule.threshold,
                        needed: alarm.rule.datapoints_to_alarm,
                        every_seconds: alarm.period_multiple as u64 * self.sc.period.0
                            / 1_000_000_000,
                    };
                    // Once when counting starts (the count itself changes every minute).
                    if !waiting {
                        self.note(asg, policy, note);
                    }
                } else if waiting {
                    self.clear_note(asg, policy);
                }
            }
        }
    }
}
