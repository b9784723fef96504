//! Injected failures (`faults`) and scheduled operations (`operations`).
//!
//! | fault `type` | the instance… | the ALB answers |
//! | --- | --- | --- |
//! | `crash` | process dies: in-flight requests are reset, new connections refused | 502; checks fail (`Target.FailedHealthChecks`) |
//! | `hang` | accepts connections but never answers (backlog fills, then refuses) | 504 after the idle timeout, then 502; checks time out |
//! | `slow` | serves every request `factor` times slower | — (latency) |
//! | `health_path_broken` | health path answers `status_code` (default 500), traffic still works | checks fail (`Target.ResponseCodeMismatch`) |
//! | `network_blocked` | unreachable from the ALB (the security-group mistake) | 504 after the 10 s connect timeout; checks time out |
//! | `az_outage` | every instance in the Availability Zone hangs and is unreachable | 504 |
//! | `instance_stop` | the EC2 instance stops: down, unreachable, and its EC2 status check fails | 504 |
//!
//! A fault starts `at` a time and lasts `duration` (default: to the end), or strikes at random with
//! exponential gaps of mean `mean_time_between_failures` and recovers after an exponential time of
//! mean `mean_time_to_recover`. Recovery from `crash` or `hang` restarts the application: requests it
//! still held are reset (502).

use super::ids::{InstanceId, TargetGroupId};
use crate::engine::SimDuration;

/// What goes wrong.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum FaultKind {
    /// The process dies.
    Crash,
    /// The process stops answering.
    Hang,
    /// Service times are multiplied.
    Slow(f64),
    /// The health path answers this status.
    HealthPathBroken(u16),
    /// ALB → target traffic is dropped.
    NetworkBlocked,
    /// A whole Availability Zone is lost (hang + unreachable).
    AzOutage,
    /// The EC2 instance stops (status check: not running): unreachable and down.
    InstanceStop,
    /// The application answers `status` (a 5xx) to this share of the requests it completes,
    /// while its health path still passes: a gray failure.
    ApplicationErrors {
        /// Share of completed requests answered with `status`, in (0, 1].
        share: f64,
        /// The status, 500–599.
        status: u16,
    },
}

impl FaultKind {
    /// Model spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            FaultKind::Crash => "crash",
            FaultKind::Hang => "hang",
            FaultKind::Slow(_) => "slow",
            FaultKind::HealthPathBroken(_) => "health_path_broken",
            FaultKind::NetworkBlocked => "network_blocked",
            FaultKind::AzOutage => "az_outage",
            FaultKind::InstanceStop => "instance_stop",
            FaultKind::ApplicationErrors { .. } => "application_errors",
        }
    }
}

/// What a fault hits, resolved when it strikes (Auto Scaling instances come and go).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FaultTarget {
    /// The instance with this id, if it is running then.
    Instance(String),
    /// Every instance running in this Availability Zone then.
    Zone(String),
}

/// When a fault strikes.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum FaultTiming {
    /// Once, at `at`, for `duration` (`None`: until the end).
    Once {
        /// Start.
        at: SimDuration,
        /// Length.
        duration: Option<SimDuration>,
    },
    /// Repeatedly, with exponential gaps.
    Random {
        /// Mean time between failures.
        mtbf: SimDuration,
        /// Mean time to recover (`None`: never).
        mttr: Option<SimDuration>,
    },
}

/// A resolved fault.
#[derive(Clone, Debug)]
pub struct FaultSpec {
    /// What goes wrong.
    pub kind: FaultKind,
    /// What it hits: an instance (of the model, or one an Auto Scaling group will launch) or every
    /// instance running in an Availability Zone when it strikes.
    pub target: FaultTarget,
    /// What it hits, for the activity history (`web-1`, `AZ us-east-1a`).
    pub subject: String,
    /// When.
    pub timing: FaultTiming,
}

/// `RegisterTargets` or `DeregisterTargets`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OperationKind {
    /// Register a target: it starts `initial`.
    Register,
    /// Deregister a target: `draining`, then `unused` after the deregistration delay.
    Deregister,
}

/// A resolved operation.
#[derive(Clone, Debug)]
pub struct OperationSpec {
    /// When.
    pub at: SimDuration,
    /// What.
    pub kind: OperationKind,
    /// Target group.
    pub group: TargetGroupId,
    /// Instance.
    pub instance: InstanceId,
}
