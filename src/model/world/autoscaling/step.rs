//! Step scaling (`StepScaling`): the alarm's datapoint minus its threshold picks a step
//! (`MetricIntervalLowerBound`/`UpperBound`), whose `ScalingAdjustment` applies to the desired
//! capacity. No cooldown, but a scale-out counts capacity still launching or warming up (the same
//! step does not add twice), and a scale-in waits for it.

use super::trigger::Trigger;
use crate::model::autoscaling::{AdjustmentType, Step, find_step};
use crate::model::ids::{AsgId, PolicyId};
use crate::model::world::World;
use crate::recorder::{PolicyNote, TwoDecimals};

impl World<'_> {
    /// Policy `p` of group `a`, invoked by one of its alarms.
    pub(super) fn step_scaling(
        &mut self,
        a: AsgId,
        p: PolicyId,
        t: Trigger,
        adjustment_type: AdjustmentType,
        steps: &[Step],
        min_magnitude: u32,
    ) {
        let Trigger {
            alarm,
            value,
            desired,
            max,
            warming,
            pending,
            cause,
            ..
        } = t;
        let alarm_spec = &self.sc.alarms[alarm.index()];
        let diff = value - alarm_spec.rule.threshold;
        let Some(step) = find_step(steps, diff, alarm_spec.rule.comparison) else {
            let note = PolicyNote::NoStepCovers {
                value: TwoDecimals(value),
                threshold: alarm_spec.rule.threshold,
            };
            self.note(a, p, note);
            return;
        };
        if step.adjustment > 0 || adjustment_type == AdjustmentType::ExactCapacity {
            // Warming capacity counts, so the same step does not add twice.
            let base = desired.saturating_sub(warming + pending);
            let wanted = adjustment_type
                .apply(base, step.adjustment, min_magnitude)
                .max(i64::from(desired));
            if wanted > i64::from(desired) && desired >= max {
                self.note(a, p, PolicyNote::AtMaxSize { max });
            } else {
                self.set_desired(a, wanted, cause);
            }
        } else if warming + pending > 0 {
            self.note(
                a,
                p,
                PolicyNote::StepScaleInWaits {
                    instances: warming + pending,
                },
            );
        } else {
            let wanted = adjustment_type.apply(desired, step.adjustment, min_magnitude);
            self.set_desired(a, wanted.min(i64::from(desired)), cause);
        }
    }
}
