//! A group's instance and its AWS lifecycle state (`aws-behavior.md` §10.6): `Pending` →
//! `Pending:Wait` → `InService` → `Terminating` → `Terminating:Wait` → `Terminated`. The
//! transitions are in `lifecycle.rs`.

use crate::engine::{SimDuration, SimTime};
use crate::model::ids::InstanceId;

/// AWS lifecycle state of a group's instance.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Lifecycle {
    /// Booting.
    Pending,
    /// Held by a launch hook.
    PendingWait,
    /// Serving.
    InService,
    /// Deregistering (draining).
    Terminating,
    /// Held by a termination hook.
    TerminatingWait,
    /// Gone.
    Terminated,
}

impl Lifecycle {
    /// AWS spelling.
    pub(super) fn as_str(self) -> &'static str {
        match self {
            Lifecycle::Pending => "Pending",
            Lifecycle::PendingWait => "Pending:Wait",
            Lifecycle::InService => "InService",
            Lifecycle::Terminating => "Terminating",
            Lifecycle::TerminatingWait => "Terminating:Wait",
            Lifecycle::Terminated => "Terminated",
        }
    }

    /// Counts toward the group's capacity (not on its way out).
    pub(super) fn counts(self) -> bool {
        matches!(
            self,
            Lifecycle::Pending | Lifecycle::PendingWait | Lifecycle::InService
        )
    }
}

/// One instance of a group.
#[derive(Clone, Debug)]
pub(super) struct Member {
    /// The EC2 instance.
    pub instance: InstanceId,
    /// Its Availability Zone, among the group's.
    pub zone: usize,
    /// Lifecycle state.
    pub state: Lifecycle,
    /// Launch time.
    pub launched: SimTime,
    /// When it entered service.
    pub in_service: SimTime,
    /// Protected from scale-in (`NewInstancesProtectedFromScaleIn`).
    pub protected: bool,
    /// Protected from scale-in by its worker program while it processes messages
    /// (`SetInstanceProtection`, the SQS worker pattern).
    pub worker_protected: bool,
    /// Part of the initial capacity: in service since before the run, so warmed up and past its
    /// grace period.
    pub initial: bool,
    /// Launched by `AZRebalance` ahead of the termination it balances: not counted against the
    /// desired capacity until it is in service and its partner is terminating.
    pub rebalancing: bool,
}

impl Member {
    /// How long it has been in service (for warm-up and the grace period).
    pub(super) fn served(&self, now: SimTime) -> SimDuration {
        if self.initial {
            SimDuration(u64::MAX)
        } else {
            now.since(self.in_service)
        }
    }
}
