//! The seam between CloudWatch and the scaling policies: while an alarm is in `ALARM`, every
//! metric period it invokes its `AlarmActions` (AWS re-invokes Auto Scaling actions on every
//! evaluation), each a policy of a group. The policy gets a [`Trigger`] — the datapoint and the
//! group's capacity at that moment — and decides in its own file (`target_tracking.rs`, `step.rs`,
//! `simple.rs`).
//!
//! The policy types are a closed `enum` ([`PolicyKind`]) in the model, so the seam is one `match`
//! here rather than a trait: the resolved specs stay plain data, each type's run state and rules
//! live in its own file, and a new type adds one variant, one file and one arm below.

use super::simple::SimpleRun;
use super::trigger::Trigger;
use crate::model::autoscaling::PolicyKind;
use crate::model::cloudwatch::AlarmState;
use crate::model::ids::{AlarmId, AsgId, PolicyId};
use crate::model::world::World;
use crate::recorder::{ChangedBy, PolicyNote, ScalingActivity};

/// Run state of a policy.
#[derive(Clone, Debug, Default)]
pub(super) struct PolicyRun {
    /// Last "why not" note, so the history says it once, not every minute.
    pub last_note: Option<PolicyNote>,
    /// Simple scaling's activity in progress and cooldown.
    pub simple: SimpleRun,
}

impl World<'_> {
    /// Auto Scaling's part of a metric period's end, after every alarm evaluated (`evaluated`:
    /// those that took a datapoint): note what each new datapoint described, record the capacity
    /// row, run the policies of the alarms in `ALARM`, then explain a scale-in still waiting.
    pub(in crate::model::world) fn react_to_alarms(&mut self, evaluated: &[AlarmId]) {
        for &k in evaluated {
            if let Some(&(a, _)) = self.sc.alarms[k.index()].actions.first() {
                let basis = self.instance_counts(a).ready;
                self.scaling.alarm_basis[k.index()] = basis;
            }
        }
        self.record_scaling_row();
        // Policies: for every alarm in ALARM, its actions; target tracking once per policy.
        for k in 0..self.sc.alarms.len() {
            let alarm = AlarmId(k as u32);
            if self.cloudwatch.alarm(alarm).state != AlarmState::Alarm {
                continue;
            }
            for &(a, p) in &self.sc.alarms[k].actions {
                self.run_policy(a, p, alarm);
            }
        }
        self.note_waiting_scale_in();
    }

    /// Runs policy `p` of group `a`, invoked by `alarm`.
    fn run_policy(&mut self, a: AsgId, p: PolicyId, alarm: AlarmId) {
        let sc = self.sc;
        let policy = &sc.auto_scaling_groups[a.index()].policies[p.index()];
        let Some(value) = self.cloudwatch.alarm(alarm).last else {
            return;
        };
        let run = &self.scaling.groups[a.index()];
        let counts = self.instance_counts(a);
        let trigger = Trigger {
            alarm,
            value,
            basis: self.scaling.alarm_basis[alarm.index()],
            desired: run.desired,
            min: run.min,
            max: run.max,
            ready: counts.ready,
            warming: counts.warming,
            pending: counts.pending,
            cause: ChangedBy::Alarm {
                alarm: sc.alarms[alarm.index()].name.clone(),
                policy: policy.name.clone(),
                value,
            },
        };
        match &policy.kind {
            PolicyKind::TargetTracking {
                target,
                disable_scale_in,
                high_alarm,
                ..
            } => {
                let high = alarm == *high_alarm;
                self.target_tracking(a, p, trigger, *target, *disable_scale_in, high);
            }
            PolicyKind::Simple {
                adjustment_type,
                adjustment,
                ..
            } => self.simple_scaling(a, p, trigger, *adjustment_type, *adjustment),
            PolicyKind::Step {
                adjustment_type,
                steps,
                min_magnitude,
            } => self.step_scaling(a, p, trigger, *adjustment_type, steps, *min_magnitude),
        }
    }

    /// Says why a policy did not act, once (not every minute while the reason lasts).
    pub(super) fn note(&mut self, a: AsgId, p: PolicyId, note: PolicyNote) {
        let last = &mut self.scaling.groups[a.index()].policies[p.index()].last_note;
        if last.as_ref() != Some(&note) {
            *last = Some(note.clone());
            let name = self.sc.auto_scaling_groups[a.index()].policies[p.index()]
                .name
                .clone();
            self.group_log(a, ScalingActivity::Policy { policy: name, note });
        }
    }

    /// The policy acted: its next "why not" is news again.
    pub(super) fn clear_note(&mut self, a: AsgId, p: PolicyId) {
        self.scaling.groups[a.index()].policies[p.index()].last_note = None;
    }
}
