//! Injected failures (`faults`) and scheduled register/deregister operations (`operations`) as
//! written, and their resolution into [`FaultSpec`]s and [`OperationSpec`]s.

use super::FieldError;
use super::number::readable;
use super::path::JsonPath;
use super::timing;
use super::values::DurationValue;
use crate::engine::SimDuration;
use crate::model::fault::{
    FaultKind, FaultSpec, FaultTarget, FaultTiming, OperationKind, OperationSpec,
};
use crate::model::ids::{InstanceId, TargetGroupId};
use serde::Deserialize;
use std::collections::BTreeMap;

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
    /// `health_path_broken`: the status the health path answers (default 500);
    /// `application_errors`: the status the application answers (500–599, default 500).
    #[serde(default)]
    pub status_code: Option<u16>,
    /// `application_errors`: the share of completed requests answered with `status_code`, in
    /// (0, 1].
    #[serde(default)]
    pub share: Option<f64>,
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

/// An optional time of the model at `path`, checked by [`timing::time_value`].
fn optional_time(
    d: Option<DurationValue>,
    path: &JsonPath,
) -> Result<Option<SimDuration>, FieldError> {
    d.map(|d| timing::time_value(d.0, path)).transpose()
}

/// Resolves a fault at `path`; `instances` maps ids to instances and their AZs.
pub(super) fn resolve_fault(
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
                    readable(f)
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
        "application_errors" => {
            let share = raw.share.ok_or_else(|| {
                path.key("share").error(
                    "an application_errors fault needs a share (of completed requests answered with an error, 0 < share ≤ 1)",
                )
            })?;
            if !(share > 0.0 && share <= 1.0) {
                return Err(path.key("share").error(format!(
                    "expected a share above 0 and at most 1, got {}",
                    readable(share)
                )));
            }
            let status = raw.status_code.unwrap_or(500);
            if !(500..=599).contains(&status) {
                return Err(path.key("status_code").error(format!(
                    "expected a server error status 500–599, got {status}"
                )));
            }
            FaultKind::ApplicationErrors { share, status }
        }
        "network_blocked" => FaultKind::NetworkBlocked,
        "az_outage" => FaultKind::AzOutage,
        "instance_stop" => FaultKind::InstanceStop,
        other => {
            return Err(path.key("type").error(format!(
                "expected one of \"crash\", \"hang\", \"slow\", \"health_path_broken\", \"application_errors\", \"network_blocked\", \"az_outage\", \"instance_stop\", got {other:?}"
            )));
        }
    };
    if raw.factor.is_some() && !matches!(kind, FaultKind::Slow(_)) {
        return Err(path
            .key("factor")
            .error("factor applies only to slow faults"));
    }
    if raw.status_code.is_some()
        && !matches!(
            kind,
            FaultKind::HealthPathBroken(_) | FaultKind::ApplicationErrors { .. }
        )
    {
        return Err(path.key("status_code").error(
            "status_code applies only to health_path_broken and application_errors faults",
        ));
    }
    if raw.share.is_some() && !matches!(kind, FaultKind::ApplicationErrors { .. }) {
        return Err(path
            .key("share")
            .error("share applies only to application_errors faults"));
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
                mttr: optional_time(raw.mean_time_to_recover, &path.key("mean_time_to_recover"))?,
            }
        }
        _ => {
            return Err(path.error("a fault needs either \"at\" or \"mean_time_between_failures\""));
        }
    };
    Ok(FaultSpec {
        kind,
        target,
        subject,
        timing,
    })
}

/// Resolves an operation at `path`.
pub(super) fn resolve_operation(
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
