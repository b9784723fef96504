//! What an alarm in `ALARM` hands the policy it invokes: the datapoint, what it was measured on,
//! and the group's capacity now (the seam every policy type reads).

use crate::model::ids::AlarmId;
use crate::recorder::ChangedBy;

/// What a policy is given when an alarm in `ALARM` invokes it.
#[derive(Clone, Debug)]
pub(super) struct Trigger {
    /// The alarm.
    pub alarm: AlarmId,
    /// Its latest datapoint.
    pub value: f64,
    /// Warmed-up InService instances when that datapoint was taken.
    pub basis: u32,
    /// `DesiredCapacity` now.
    pub desired: u32,
    /// `MinSize` now.
    pub min: u32,
    /// `MaxSize` now.
    pub max: u32,
    /// InService instances past their warm-up.
    pub ready: u32,
    /// InService instances still warming up.
    pub warming: u32,
    /// Instances still launching (`Pending`, `Pending:Wait`).
    pub pending: u32,
    /// What changes the desired capacity if the policy acts: this alarm and policy.
    pub cause: ChangedBy,
}
