//! Scheduled actions (`PutScheduledUpdateGroupAction`): at a set time, new `MinSize`, `MaxSize`
//! and `DesiredCapacity` for a group.

use crate::model::ids::{AsgId, ScheduledActionId};
use crate::model::world::World;
use crate::recorder::{ChangedBy, ScalingActivity};

impl World<'_> {
    /// Scheduled action `k` of group `a` is due.
    pub(in crate::model::world) fn on_scheduled_action_runs(
        &mut self,
        a: AsgId,
        k: ScheduledActionId,
    ) {
        let action = self.sc.auto_scaling_groups[a.index()].scheduled[k.index()].clone();
        let run = &mut self.scaling.groups[a.index()];
        if let Some(min) = action.min {
            run.min = min;
        }
        if let Some(max) = action.max {
            run.max = max.max(run.min);
        }
        let desired = action.desired.unwrap_or(run.desired);
        let (min, max) = (run.min, run.max);
        let limits = ScalingActivity::ScheduledAction {
            action: action.name.clone(),
            min,
            max,
        };
        self.group_log(a, limits);
        let cause = ChangedBy::ScheduledAction {
            action: action.name.clone(),
        };
        if !self.set_desired(a, i64::from(desired), cause) {
            // The limits may have moved the clamp.
            let run = &self.scaling.groups[a.index()];
            let clamped = i64::from(run.desired.clamp(run.min, run.max));
            self.set_desired(
                a,
                clamped,
                ChangedBy::ScheduledLimits {
                    action: action.name.clone(),
                },
            );
        }
    }
}
