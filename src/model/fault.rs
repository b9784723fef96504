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
use crate::scenario::FieldError;
use crate::scenario::path::JsonPath;
use crate::scenario::raw::{RawFault, RawOperation};
use crate::scenario::timing;
use std::collections::BTreeMap;

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

/// An optional time of the model at `path`, checked by [`timing::time_value`].
fn optional_time(
    d: Option<crate::scenario::values::DurationValue>,
    path: &JsonPath,
) -> Result<Option<SimDuration>, FieldError> {
    d.map(|d| timing::time_value(d.0, path)).transpose()
}

impl FaultSpec {
    /// Resolves a fault at `path`; `instances` maps ids to instances and their AZs.
    pub fn resolve(
        raw: &RawFault,
        path: &JsonPath,
        instances: &BTreeMap<String, (InstanceId, String)>,
        asgs: &[(String, Vec<String>)],
    ) -> Result<FaultSpec, FieldError> {
        let kind = match raw.kind.as_str() {
            "crash" => FaultKind::Crash,
            "hang" => FaultKind::Hang,
            "slow" => {
                let f = raw.factor.ok_or_else(|| {
                    path.key("factor")
                        .error("a slow fault needs a factor (service time multiplier)")
                })?;
                if !(f.is_finite() && f > 1.0 && f <= 1000.0) {
                    return Err(path.key("factor").error(format!(
                        "expected a factor above 1 and at most 1000, got {}",
                        crate::scenario::number::readable(f)
                    )));
                }
                FaultKind::Slow(f)
            }
            "health_path_broken" => {
                let code = raw.status_code.unwrap_or(500);
                if !(100..=599).contains(&code) {
                    return Err(path
                        .key("status_code")
                        .error(format!("expected an HTTP status 100–599, got {code}")));
                }
                FaultKind::HealthPathBroken(code)
            }
            "network_blocked" => FaultKind::NetworkBlocked,
            "az_outage" => FaultKind::AzOutage,
            "instance_stop" => FaultKind::InstanceStop,
            other => {
                return Err(path.key("type").error(format!(
                    "expected one of \"crash\", \"hang\", \"slow\", \"health_path_broken\", \"network_blocked\", \"az_outage\", \"instance_stop\", got {other:?}"
                )));
            }
        };
        if raw.factor.is_some() && !matches!(kind, FaultKind::Slow(_)) {
            return Err(path
                .key("factor")
                .error("factor applies only to slow faults"));
        }
        if raw.status_code.is_some() && !matches!(kind, FaultKind::HealthPathBroken(_)) {
            return Err(path
                .key("status_code")
                .error("status_code applies only to health_path_broken faults"));
        }
        let (target, subject) = match (kind, &raw.instance, &raw.availability_zone) {
            (FaultKind::AzOutage, None, Some(az)) => {
                let known = instances.values().any(|(_, a)| a == az)
                    || asgs.iter().any(|(_, zones)| zones.contains(az));
                if !known {
                    return Err(path.key("availability_zone").error(format!(
                        "no instance or Auto Scaling group is in Availability Zone {az:?}"
                    )));
                }
                (FaultTarget::Zone(az.clone()), format!("AZ {az}"))
            }
            (FaultKind::AzOutage, _, _) => {
                return Err(
                    path.error("an az_outage needs \"availability_zone\" (and no \"instance\")")
                );
            }
            (_, Some(id), None) => {
                // An Auto Scaling group names its instances <group>-0001, <group>-0002, …
                let launched = asgs.iter().any(|(name, _)| {
                    id.strip_prefix(name.as_str())
                        .and_then(|rest| rest.strip_prefix('-'))
                        .is_some_and(|n| n.len() == 4 && n.bytes().all(|b| b.is_ascii_digit()))
                });
                if !instances.contains_key(id) && !launched {
                    return Err(path.key("instance").error(format!(
                        "no instance with id {id:?} (instances of an Auto Scaling group are named <group>-0001, <group>-0002, …)"
                    )));
                }
                (FaultTarget::Instance(id.clone()), id.clone())
            }
            _ => {
                return Err(path.error(format!(
                    "a {} fault needs \"instance\" (and no \"availability_zone\")",
                    raw.kind
                )));
            }
        };
        let timing = match (raw.at, raw.mean_time_between_failures) {
            (Some(at), None) => {
                if raw.mean_time_to_recover.is_some() {
                    return Err(path.key("mean_time_to_recover").error("use duration with at; mean_time_to_recover goes with mean_time_between_failures"));
                }
                FaultTiming::Once {
                    at: timing::time_value(at.0, &path.key("at"))?,
                    duration: optional_time(raw.duration, &path.key("duration"))?,
                }
            }
            (None, Some(mtbf)) => {
                if raw.duration.is_some() {
                    return Err(path
                        .key("duration")
                        .error("random faults use mean_time_to_recover, not duration"));
                }
                if mtbf.0.as_secs_f64() < 1.0 {
                    return Err(path
                        .key("mean_time_between_failures")
                        .error("expected at least 1 s"));
                }
                FaultTiming::Random {
                    mtbf: timing::time_value(mtbf.0, &path.key("mean_time_between_failures"))?,
                    mttr: optional_time(
                        raw.mean_time_to_recover,
                        &path.key("mean_time_to_recover"),
                    )?,
                }
            }
            _ => {
                return Err(
                    path.error("a fault needs either \"at\" or \"mean_time_between_failures\"")
                );
            }
        };
        Ok(FaultSpec {
            kind,
            target,
            subject,
            timing,
        })
    }
}

impl OperationSpec {
    /// Resolves an operation at `path`.
    pub fn resolve(
        raw: &RawOperation,
        path: &JsonPath,
        groups: &BTreeMap<String, TargetGroupId>,
        instances: &BTreeMap<String, (InstanceId, String)>,
    ) -> Result<OperationSpec, FieldError> {
        let kind = match raw.action.as_str() {
            "register" => OperationKind::Register,
            "deregister" => OperationKind::Deregister,
            other => {
                return Err(path.key("action").error(format!(
                    "expected \"register\" or \"deregister\", got {other:?}"
                )));
            }
        };
        let group = *groups.get(&raw.target_group).ok_or_else(|| {
            path.key("target_group")
                .error(format!("no target group named {:?}", raw.target_group))
        })?;
        let (instance, _) = instances.get(&raw.instance).ok_or_else(|| {
            path.key("instance")
                .error(format!("no instance with id {:?}", raw.instance))
        })?;
        Ok(OperationSpec {
            at: timing::time_value(raw.at.0, &path.key("at"))?,
            kind,
            group,
            instance: *instance,
        })
    }
}
