//! EC2 Auto Scaling groups as written (`CreateAutoScalingGroup` names: `MinSize`, `MaxSize`,
//! `DesiredCapacity`, `LaunchTemplate`, lifecycle hooks, scheduled actions) and their resolution
//! into [`AsgSpec`]s.

use super::alarm::{MessagingNames, MetricScope, PolicyRef, RawAlarm, resolve_alarm};
use super::distribution::{RawDistribution, RawDistributionLognormal, resolve_distribution};
use super::instance::workers;
use super::path::JsonPath;
use super::policy::{RawScalingPolicy, resolve_policy};
use super::ranges::ranged_seconds;
use super::timing;
use super::values::{AwsInt, DurationValue};
use super::{FieldError, FieldErrors, names};
use crate::engine::SimDuration;
use crate::model::autoscaling::{
    AsgSpec, HealthCheckType, LaunchTemplate, LifecycleHook, ScheduledAction, TerminationPolicy,
};
use crate::model::catalog::InstanceType;
use crate::model::cloudwatch::AlarmSpec;
use crate::model::ids::{AsgId, PolicyId, TargetGroupId};
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};

/// An EC2 Auto Scaling group (AWS `CreateAutoScalingGroup` names).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAutoScalingGroup {
    /// `AutoScalingGroupName`.
    #[serde(rename = "AutoScalingGroupName")]
    pub name: String,
    /// `MinSize`.
    #[serde(rename = "MinSize")]
    pub min_size: u32,
    /// `MaxSize`.
    #[serde(rename = "MaxSize")]
    pub max_size: u32,
    /// `DesiredCapacity` (default `MinSize`).
    #[serde(rename = "DesiredCapacity", default)]
    pub desired_capacity: Option<u32>,
    /// `LaunchTemplate`: what to launch.
    #[serde(rename = "LaunchTemplate")]
    pub launch_template: RawLaunchTemplate,
    /// `AvailabilityZones`: instances are balanced across them.
    #[serde(rename = "AvailabilityZones")]
    pub availability_zones: Vec<String>,
    /// `TargetGroupARNs`: target group names the instances register with.
    #[serde(rename = "TargetGroupARNs", default)]
    pub target_groups: Vec<String>,
    /// `HealthCheckType`: `EC2` (default) or `ELB`.
    #[serde(rename = "HealthCheckType", default)]
    pub health_check_type: Option<String>,
    /// `HealthCheckGracePeriod` \[s\], default 0 (the API's; the console uses 300).
    #[serde(rename = "HealthCheckGracePeriod", default)]
    pub health_check_grace_period: Option<AwsInt>,
    /// `DefaultCooldown` \[s\], default 300.
    #[serde(rename = "DefaultCooldown", default)]
    pub default_cooldown: Option<AwsInt>,
    /// `DefaultInstanceWarmup` \[s\], 0–3600, not set by default.
    #[serde(rename = "DefaultInstanceWarmup", default)]
    pub default_instance_warmup: Option<AwsInt>,
    /// `TerminationPolicies`, default `["Default"]`.
    #[serde(rename = "TerminationPolicies", default)]
    pub termination_policies: Vec<String>,
    /// `NewInstancesProtectedFromScaleIn`, default false.
    #[serde(rename = "NewInstancesProtectedFromScaleIn", default)]
    pub protected_from_scale_in: Option<bool>,
    /// `LifecycleHooks`.
    #[serde(rename = "LifecycleHooks", default)]
    pub lifecycle_hooks: Vec<RawLifecycleHook>,
    /// Scaling policies (`PutScalingPolicy`).
    #[serde(rename = "Policies", default)]
    pub policies: Vec<RawScalingPolicy>,
    /// Scheduled actions (`PutScheduledUpdateGroupAction`).
    #[serde(rename = "ScheduledActions", default)]
    pub scheduled_actions: Vec<RawScheduledAction>,
    /// Period of the group's health-check loop (an assumption: AWS does not document it; default 60 s).
    #[serde(default)]
    pub health_check_poll_interval: Option<DurationValue>,
}

/// What the group launches.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLaunchTemplate {
    /// Instance type.
    pub instance_type: String,
    /// Requests processed at once (default: the type's vCPUs).
    #[serde(default)]
    pub workers: Option<u32>,
    /// Backlog limit (default 1024).
    #[serde(default)]
    pub backlog: Option<u32>,
    /// Detailed (1-minute) monitoring; default false: basic, 5-minute `CPUUtilization`.
    #[serde(default)]
    pub detailed_monitoring: Option<bool>,
    /// Launch to ready: boot plus application start (default lognormal, median 60 s, p99 120 s;
    /// an assumption).
    #[serde(default)]
    pub launch_time: Option<RawDistribution>,
}

/// A lifecycle hook.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLifecycleHook {
    /// `LifecycleHookName`.
    #[serde(rename = "LifecycleHookName")]
    pub name: String,
    /// `autoscaling:EC2_INSTANCE_LAUNCHING` or `autoscaling:EC2_INSTANCE_TERMINATING`.
    #[serde(rename = "LifecycleTransition")]
    pub transition: String,
    /// `HeartbeatTimeout` \[s\], 30–7200, default 3600.
    #[serde(rename = "HeartbeatTimeout", default)]
    pub heartbeat_timeout: Option<AwsInt>,
    /// How long the hook's work takes before it completes the action (default: it never does, and
    /// the heartbeat timeout ends the wait).
    #[serde(default)]
    pub completes_after: Option<DurationValue>,
}

/// A scheduled action.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawScheduledAction {
    /// `ScheduledActionName`.
    #[serde(rename = "ScheduledActionName")]
    pub name: String,
    /// When (time into the run).
    pub at: DurationValue,
    /// New `MinSize`.
    #[serde(rename = "MinSize", default)]
    pub min_size: Option<u32>,
    /// New `MaxSize`.
    #[serde(rename = "MaxSize", default)]
    pub max_size: Option<u32>,
    /// New `DesiredCapacity`.
    #[serde(rename = "DesiredCapacity", default)]
    pub desired_capacity: Option<u32>,
}

/// Largest `MaxSize` (and scheduled `MinSize`/`MaxSize`/`DesiredCapacity`): albsim's limit, the
/// same as AWS's targets per target group (1,000).
pub(crate) const MAX_GROUP_SIZE: u32 = 1000;

/// Resolves every group and alarm. `period` is the metric period; `types` the instance catalog;
/// `messaging` the queue and topic names that SQS and SNS metrics name.
///
/// Every group and alarm is checked even when an earlier one failed; all problems are returned.
/// Alarms refer to groups and policies by their position in the model, so a group that failed
/// does not make the alarms that name it fail too.
pub(super) fn resolve_autoscaling(
    groups_raw: &[RawAutoScalingGroup],
    alarms_raw: &[RawAlarm],
    types: &BTreeMap<String, InstanceType>,
    target_groups: &BTreeMap<String, TargetGroupId>,
    messaging: &MessagingNames,
    period: SimDuration,
) -> Result<(Vec<AsgSpec>, Vec<AlarmSpec>), FieldErrors> {
    let root = JsonPath::root();
    let mut errors = Vec::new();
    let mut asgs = Vec::with_capacity(groups_raw.len());
    let mut alarms = Vec::new();
    let mut names = BTreeSet::new();
    let mut policy_names: BTreeMap<String, PolicyRef> = BTreeMap::new();
    let mut asg_index: BTreeMap<&str, usize> = BTreeMap::new();
    for (a, raw) in groups_raw.iter().enumerate() {
        let at = root.key("auto_scaling_groups").index(a);
        let name_at = at.key("AutoScalingGroupName");
        if let Err(e) = names::check_name(&raw.name, &name_at, "Auto Scaling group name") {
            errors.push(e);
        } else if !names.insert(raw.name.as_str()) {
            errors.push(name_at.error(format!(
                "expected a unique name, got {:?} a second time",
                raw.name
            )));
        }
        asg_index.entry(raw.name.as_str()).or_insert(a);
        for (p, policy) in raw.policies.iter().enumerate() {
            let p_at = at.key("Policies").index(p).key("PolicyName");
            if let Err(e) = names::check_name(&policy.name, &p_at, "policy name") {
                errors.push(e);
            } else if policy_names
                .insert(
                    policy.name.clone(),
                    PolicyRef {
                        group: AsgId(a as u32),
                        index: PolicyId(p as u32),
                        target_tracking: policy.policy_type == "TargetTrackingScaling",
                    },
                )
                .is_some()
            {
                errors.push(p_at.error(format!(
                    "duplicate policy name {:?} (alarm actions refer to policies by name)",
                    policy.name
                )));
            }
        }
        let mut more = Vec::new();
        match resolve_group(
            raw,
            &at,
            types,
            target_groups,
            messaging,
            period,
            a,
            &mut alarms,
            &mut more,
        ) {
            Ok(asg) => asgs.push(asg),
            Err(e) => errors.push(e),
        }
        errors.extend(more);
    }
    for (i, raw) in alarms_raw.iter().enumerate() {
        let at = root.key("alarms").index(i);
        if let Err(e) = names::check_name(&raw.name, &at.key("AlarmName"), "alarm name") {
            errors.push(e);
        }
        let scope = MetricScope {
            groups: &asg_index,
            target_groups,
            messaging,
        };
        match resolve_alarm(raw, &at, scope, &policy_names, period) {
            Ok(alarm) => alarms.push(alarm),
            Err(e) => errors.push(e),
        }
    }
    if !errors.is_empty() {
        return Err(FieldErrors(errors));
    }
    let mut alarm_names = BTreeSet::new();
    for a in &alarms {
        if !alarm_names.insert(a.name.as_str()) {
            let i = alarms_raw
                .iter()
                .rposition(|r| r.name == a.name)
                .unwrap_or(0);
            errors.push(
                root.key("alarms")
                    .index(i)
                    .key("AlarmName")
                    .error(format!("duplicate alarm name {:?}", a.name)),
            );
        }
    }
    if errors.is_empty() {
        Ok((asgs, alarms))
    } else {
        Err(FieldErrors(errors))
    }
}

/// Resolves the group at `at`; the alarms its target tracking policies create go to `alarms`,
/// and errors beyond the first (returned) to `more`.
#[allow(clippy::too_many_arguments)]
fn resolve_group(
    raw: &RawAutoScalingGroup,
    at: &JsonPath,
    types: &BTreeMap<String, InstanceType>,
    target_groups: &BTreeMap<String, TargetGroupId>,
    messaging: &MessagingNames,
    period: SimDuration,
    asg_index: usize,
    alarms: &mut Vec<AlarmSpec>,
    more: &mut Vec<FieldError>,
) -> Result<AsgSpec, FieldError> {
    if raw.max_size > MAX_GROUP_SIZE {
        return Err(at.key("MaxSize").error(format!(
            "expected at most {MAX_GROUP_SIZE} instances, got {}",
            raw.max_size
        )));
    }
    if raw.min_size > raw.max_size {
        return Err(at.key("MinSize").error(format!(
            "expected MinSize ≤ MaxSize ({}), got {}",
            raw.max_size, raw.min_size
        )));
    }
    let desired = raw.desired_capacity.unwrap_or(raw.min_size);
    if !(raw.min_size..=raw.max_size).contains(&desired) {
        return Err(at.key("DesiredCapacity").error(format!(
            "expected DesiredCapacity within MinSize–MaxSize ({}–{}), got {desired}",
            raw.min_size, raw.max_size
        )));
    }
    let lt = &raw.launch_template;
    let lt_at = at.key("LaunchTemplate");
    let instance_type = types.get(&lt.instance_type).cloned().ok_or_else(|| {
        lt_at
            .key("instance_type")
            .error(format!("unknown instance type {:?}", lt.instance_type))
    })?;
    let workers = workers(
        lt.workers.unwrap_or(instance_type.vcpus),
        &lt_at.key("workers"),
    )?;
    let default_launch = RawDistribution::Lognormal(RawDistributionLognormal {
        median_ms: Some(60_000.0),
        p99_ms: Some(120_000.0),
        mean_ms: None,
        stddev_ms: None,
    });
    let template = LaunchTemplate {
        workers,
        backlog: lt.backlog.unwrap_or(1024),
        detailed_monitoring: lt.detailed_monitoring.unwrap_or(false),
        launch_time: resolve_distribution(
            lt.launch_time.as_ref().unwrap_or(&default_launch),
            &lt_at.key("launch_time"),
        )?,
        instance_type,
    };
    if raw.availability_zones.is_empty() {
        return Err(at
            .key("AvailabilityZones")
            .error("expected at least one Availability Zone"));
    }
    let mut zones = Vec::new();
    for (i, z) in raw.availability_zones.iter().enumerate() {
        if z.is_empty() || zones.contains(z) {
            return Err(at.key("AvailabilityZones").index(i).error(format!(
                "expected a unique Availability Zone name, got {z:?}"
            )));
        }
        names::check_name(
            z,
            &at.key("AvailabilityZones").index(i),
            "Availability Zone",
        )?;
        zones.push(z.clone());
    }
    let mut groups = Vec::new();
    for (i, g) in raw.target_groups.iter().enumerate() {
        let id = target_groups.get(g).ok_or_else(|| {
            at.key("TargetGroupARNs")
                .index(i)
                .error(format!("no target group named {g:?}"))
        })?;
        groups.push(*id);
    }
    let health_check_type = match raw.health_check_type.as_deref() {
        None | Some("EC2") => HealthCheckType::Ec2,
        Some("ELB") => HealthCheckType::Elb,
        Some(other) => {
            return Err(at
                .key("HealthCheckType")
                .error(format!("expected \"EC2\" or \"ELB\", got {other:?}")));
        }
    };
    let grace_period = ranged_seconds(
        raw.health_check_grace_period.map(|v| v.0),
        &at.key("HealthCheckGracePeriod"),
        0,
        86_400,
        0,
    )?;
    let default_cooldown = ranged_seconds(
        raw.default_cooldown.map(|v| v.0),
        &at.key("DefaultCooldown"),
        0,
        86_400,
        300,
    )?;
    let default_warmup = match raw.default_instance_warmup {
        None => None,
        Some(v) => Some(ranged_seconds(
            Some(v.0),
            &at.key("DefaultInstanceWarmup"),
            0,
            3600,
            0,
        )?),
    };
    let mut termination = Vec::new();
    for (i, t) in raw.termination_policies.iter().enumerate() {
        termination.push(match t.as_str() {
            "Default" => TerminationPolicy::Default,
            "OldestInstance" => TerminationPolicy::OldestInstance,
            "NewestInstance" => TerminationPolicy::NewestInstance,
            "ClosestToNextInstanceHour" => TerminationPolicy::ClosestToNextInstanceHour,
            "OldestLaunchTemplate" => TerminationPolicy::OldestLaunchTemplate,
            other => {
                return Err(at.key("TerminationPolicies").index(i).error(format!(
                    "expected Default, OldestInstance, NewestInstance, ClosestToNextInstanceHour or OldestLaunchTemplate, got {other:?}"
                )));
            }
        });
    }
    if termination.is_empty() {
        termination.push(TerminationPolicy::Default);
    }
    let mut hooks = Vec::new();
    for (i, h) in raw.lifecycle_hooks.iter().enumerate() {
        let h_at = at.key("LifecycleHooks").index(i);
        let launching = match h.transition.as_str() {
            "autoscaling:EC2_INSTANCE_LAUNCHING" => true,
            "autoscaling:EC2_INSTANCE_TERMINATING" => false,
            other => {
                return Err(h_at.key("LifecycleTransition").error(format!(
                    "expected autoscaling:EC2_INSTANCE_LAUNCHING or autoscaling:EC2_INSTANCE_TERMINATING, got {other:?}"
                )));
            }
        };
        let heartbeat = ranged_seconds(
            h.heartbeat_timeout.map(|v| v.0),
            &h_at.key("HeartbeatTimeout"),
            30,
            7200,
            3600,
        )?;
        let wait = match h.completes_after {
            None => heartbeat,
            Some(d) => timing::time_value(d.0, &h_at.key("completes_after"))?.min(heartbeat),
        };
        names::check_name(
            &h.name,
            &h_at.key("LifecycleHookName"),
            "lifecycle hook name",
        )?;
        hooks.push(LifecycleHook {
            name: h.name.clone(),
            launching,
            wait,
        });
    }
    let health_poll = match raw.health_check_poll_interval {
        None => SimDuration::from_secs(60),
        Some(d) if d.0.as_secs_f64() >= 1.0 => {
            timing::time_value(d.0, &at.key("health_check_poll_interval"))?
        }
        Some(_) => {
            return Err(at
                .key("health_check_poll_interval")
                .error("expected at least 1 s"));
        }
    };
    // Every policy is checked; the first failure is returned, the others go to `more`.
    let mut policies = Vec::new();
    let mut failed = Vec::new();
    for (p, rp) in raw.policies.iter().enumerate() {
        let p_at = at.key("Policies").index(p);
        match resolve_policy(
            rp,
            &p_at,
            &raw.name,
            &groups,
            target_groups,
            messaging,
            default_cooldown,
            default_warmup,
            &template,
            period,
            asg_index,
            p,
            alarms,
        ) {
            Ok(policy) => policies.push(policy),
            Err(e) => failed.push(e),
        }
    }
    let mut scheduled = Vec::new();
    for (i, s) in raw.scheduled_actions.iter().enumerate() {
        match scheduled_action(s, &at.key("ScheduledActions").index(i)) {
            Ok(action) => scheduled.push(action),
            Err(e) => failed.push(e),
        }
    }
    if !failed.is_empty() {
        let first = failed.remove(0);
        more.extend(failed);
        return Err(first);
    }
    Ok(AsgSpec {
        name: raw.name.clone(),
        min: raw.min_size,
        max: raw.max_size,
        desired,
        template,
        zones,
        groups,
        health_check_type,
        grace_period,
        default_cooldown,
        default_warmup,
        termination,
        protected: raw.protected_from_scale_in.unwrap_or(false),
        hooks,
        policies,
        scheduled,
        health_poll,
    })
}

/// A scheduled action (`PutScheduledUpdateGroupAction`) written at `s_at`.
fn scheduled_action(
    s: &RawScheduledAction,
    s_at: &JsonPath,
) -> Result<ScheduledAction, FieldError> {
    if s.min_size.is_none() && s.max_size.is_none() && s.desired_capacity.is_none() {
        return Err(s_at
            .error("a scheduled action needs at least one of MinSize, MaxSize, DesiredCapacity"));
    }
    names::check_name(
        &s.name,
        &s_at.key("ScheduledActionName"),
        "scheduled action name",
    )?;
    for (key, v) in [
        ("MinSize", s.min_size),
        ("MaxSize", s.max_size),
        ("DesiredCapacity", s.desired_capacity),
    ] {
        if let Some(v) = v.filter(|&v| v > MAX_GROUP_SIZE) {
            return Err(s_at.key(key).error(format!(
                "expected at most {MAX_GROUP_SIZE} instances, got {v}"
            )));
        }
    }
    Ok(ScheduledAction {
        name: s.name.clone(),
        at: timing::time_value(s.at.0, &s_at.key("at"))?,
        min: s.min_size,
        max: s.max_size,
        desired: s.desired_capacity,
    })
}
