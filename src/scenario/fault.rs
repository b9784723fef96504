//! Injected failures (`faults`) and scheduled register/deregister operations (`operations`) as
//! written, and their resolution into [`FaultSpec`]s and [`OperationSpec`]s.

use super::values::DurationValue;
use serde::Deserialize;

/// A fault: at a time (optionally for a duration), or at random with a mean time between failures.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFault {
    /// `crash`, `hang`, `slow`, `health_path_broken`, `network_blocked`, `az_outage`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The instance it hits (all but `az_outage`).
    #[serde(default)]
    pub instance: Option<String>,
    /// The Availability Zone it hits (`az_outage`).
    #[serde(default)]
    pub availability_zone: Option<String>,
    /// When it starts (a one-off fault).
    #[serde(default)]
    pub at: Option<DurationValue>,
    /// How long it lasts; recovery follows (default: to the end of the run).
    #[serde(default)]
    pub duration: Option<DurationValue>,
    /// Random faults: mean time between failures (exponential).
    #[serde(default)]
    pub mean_time_between_failures: Option<DurationValue>,
    /// Random faults: mean time to recover (exponential; default: never recovers).
    #[serde(default)]
    pub mean_time_to_recover: Option<DurationValue>,
    /// `slow`: service time multiplier (above 1).
    #[serde(default)]
    pub factor: Option<f64>,
    /// `health_path_broken`: the status the health path answers (default 500).
    #[serde(default)]
    pub status_code: Option<u16>,
}

/// An operation on the load balancer at a given time.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawOperation {
    /// When.
    pub at: DurationValue,
    /// `register` or `deregister` (AWS `RegisterTargets` / `DeregisterTargets`).
    pub action: String,
    /// Target group name.
    pub target_group: String,
    /// Instance id.
    pub instance: String,
}
