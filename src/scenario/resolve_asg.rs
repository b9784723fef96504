//! Resolution of Auto Scaling groups, their policies, and CloudWatch alarms (user-defined ones and
//! the two each target tracking policy creates).

use super::path::JsonPath;
use super::ranges::ranged_seconds;
use super::raw::{
    RawAlarm, RawAutoScalingGroup, RawDistribution, RawDistributionLognormal, RawScalingPolicy,
    RawScheduledAction,
};
use super::timing;
use super::{FieldError, FieldErrors, names};
use crate::engine::SimDuration;
use crate::model::autoscaling::{
    AdjustmentType, AlarmSpec, AsgSpec, HealthCheckType, LaunchTemplate, LifecycleHook, MetricRef,
    PolicyKind, PolicySpec, ScheduledAction, Step, TerminationPolicy, TrackedMetric,
    tt_alarm_rules,
};
use crate::model::catalog::InstanceType;
use crate::model::cloudwatch::{AlarmRule, Comparison, MissingData, Statistic};
use crate::model::ids::TargetGroupId;
use std::collections::{BTreeMap, BTreeSet};

/// Largest `MaxSize` (and scheduled `MinSize`/`MaxSize`/`DesiredCapacity`): albsim's limit, the
/// same as AWS's targets per target group (1,000).
const MAX_GROUP_SIZE: u32 = 1000;

/// Resolves every group and alarm. `period` is the metric period; `types` the instance catalog.
///
/// Every group and alarm is checked even when an earlier one failed; all problems are returned.
/// Alarms refer to groups and policies by their position in the model, so a group that failed
/// does not make the alarms that name it fail too.
pub fn resolve_autoscaling(
    groups_raw: &[RawAutoScalingGroup],
    alarms_raw: &[RawAlarm],
    types: &BTreeMap<String, InstanceType>,
    target_groups: &BTreeMap<String, TargetGroupId>,
    period: SimDuration,
) -> Result<(Vec<AsgSpec>, Vec<AlarmSpec>), FieldErrors> {
    let root = JsonPath::root();
    let mut errors = Vec::new();
    let mut asgs = Vec::with_capacity(groups_raw.len());
    let mut alarms = Vec::new();
    let mut names = BTreeSet::new();
    let mut policy_names: BTreeMap<String, (usize, usize)> = BTreeMap::new();
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
            } else if policy_names.insert(policy.name.clone(), (a, p)).is_some() {
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
        match resolve_alarm(
            raw,
            &at,
            &asg_index,
            target_groups,
            &policy_names,
            groups_raw,
            period,
        ) {
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

#[allow(clippy::too_many_arguments)]
fn resolve_group(
    raw: &RawAutoScalingGroup,
    at: &JsonPath,
    types: &BTreeMap<String, InstanceType>,
    target_groups: &BTreeMap<String, TargetGroupId>,
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
    let workers = lt.workers.unwrap_or(instance_type.vcpus);
    if !(1..=100_000).contains(&workers) {
        return Err(lt_at
            .key("workers")
            .error(format!("expected 1–100000 workers, got {workers}")));
    }
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
        launch_time: super::distribution::resolve_distribution(
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
            raw,
            &groups,
            target_groups,
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

#[allow(clippy::too_many_arguments)]
fn resolve_policy(
    raw: &RawScalingPolicy,
    at: &JsonPath,
    group: &RawAutoScalingGroup,
    asg_groups: &[TargetGroupId],
    target_groups: &BTreeMap<String, TargetGroupId>,
    default_cooldown: SimDuration,
    default_warmup: Option<SimDuration>,
    template: &LaunchTemplate,
    period: SimDuration,
    asg_index: usize,
    policy_index: usize,
    alarms: &mut Vec<AlarmSpec>,
) -> Result<PolicySpec, FieldError> {
    let warmup = match raw.estimated_instance_warmup {
        Some(v) => ranged_seconds(Some(v.0), &at.key("EstimatedInstanceWarmup"), 0, 86_400, 0)?,
        None => default_warmup.unwrap_or(default_cooldown),
    };
    let adjustment_type = |required: bool| -> Result<Option<AdjustmentType>, FieldError> {
        match raw.adjustment_type.as_deref() {
            None if required => Err(at
                .key("AdjustmentType")
                .error("expected ChangeInCapacity, ExactCapacity or PercentChangeInCapacity")),
            None => Ok(None),
            Some(t) => AdjustmentType::parse(t).map(Some).ok_or_else(|| {
                at.key("AdjustmentType").error(format!(
                    "expected ChangeInCapacity, ExactCapacity or PercentChangeInCapacity, got {t:?}"
                ))
            }),
        }
    };
    let kind = match raw.policy_type.as_str() {
        "TargetTrackingScaling" => {
            let tt_at = at.key("TargetTrackingConfiguration");
            let tt = raw.target_tracking.as_ref().ok_or_else(|| {
                tt_at.error("a target tracking policy needs TargetTrackingConfiguration")
            })?;
            let m_at = tt_at.key("PredefinedMetricSpecification");
            let metric = match (&tt.predefined, &tt.customized) {
                (None, Some(c)) => {
                    let c_at = tt_at.key("CustomizedMetricSpecification");
                    let own: BTreeMap<&str, usize> = [(group.name.as_str(), asg_index)].into();
                    let metric =
                        lookup_metric(&c.metric_name, &c.dimensions, &c_at, &own, target_groups)?;
                    let statistic =
                        Statistic::parse(c.statistic.as_deref(), &c_at.key("Statistic"))?;
                    TrackedMetric::Custom(metric, statistic)
                }
                (Some(predefined), None) => match predefined.metric_type.as_str() {
                    "ASGAverageCPUUtilization" => TrackedMetric::AsgAverageCpu,
                    "ASGAverageNetworkIn" => TrackedMetric::AsgAverageNetworkIn,
                    "ASGAverageNetworkOut" => TrackedMetric::AsgAverageNetworkOut,
                    "ALBRequestCountPerTarget" => {
                        let label = predefined.resource_label.as_deref().ok_or_else(|| {
                            m_at.key("ResourceLabel").error(
                            "ALBRequestCountPerTarget needs ResourceLabel: the target group name",
                        )
                        })?;
                        let g = target_groups.get(label).copied().ok_or_else(|| {
                            m_at.key("ResourceLabel")
                                .error(format!("no target group named {label:?}"))
                        })?;
                        if !asg_groups.contains(&g) {
                            return Err(m_at.key("ResourceLabel").error(format!(
                                "target group {label:?} is not in this group's TargetGroupARNs"
                            )));
                        }
                        TrackedMetric::AlbRequestCountPerTarget(g)
                    }
                    other => {
                        return Err(m_at.key("PredefinedMetricType").error(format!(
                        "expected ASGAverageCPUUtilization, ASGAverageNetworkIn, ASGAverageNetworkOut or ALBRequestCountPerTarget, got {other:?}"
                    )));
                    }
                },
                _ => {
                    return Err(tt_at.error(
                        "expected exactly one of PredefinedMetricSpecification and CustomizedMetricSpecification",
                    ));
                }
            };
            let target = tt.target_value;
            let max_target = if metric == TrackedMetric::AsgAverageCpu {
                100.0
            } else {
                f64::MAX
            };
            if !(target.is_finite() && target > 0.0 && target <= max_target) {
                return Err(tt_at.key("TargetValue").error(format!(
                    "expected a positive target{}, got {target}",
                    if max_target == 100.0 {
                        " up to 100 (%)"
                    } else {
                        ""
                    }
                )));
            }
            let shape = tt.alarms.as_ref();
            let high = shape.and_then(|s| s.high_datapoints).unwrap_or(3);
            let low = shape.and_then(|s| s.low_datapoints).unwrap_or(15);
            let factor = shape.and_then(|s| s.low_threshold_factor).unwrap_or(0.9);
            if !(1..=100).contains(&high) || !(1..=100).contains(&low) {
                return Err(tt_at
                    .key("alarms")
                    .error("expected 1–100 datapoints per alarm"));
            }
            if !(factor > 0.0 && factor <= 1.0) {
                return Err(tt_at
                    .key("alarms")
                    .key("low_threshold_factor")
                    .error(format!("expected a factor in (0, 1], got {factor}")));
            }
            let (high_rule, low_rule) = tt_alarm_rules(target, high, low, factor);
            // Basic monitoring publishes CPU every 5 minutes: the managed alarms then use 5-minute
            // periods (an assumption consistent with the observed 15 min out / 75 min in).
            let minutes = (SimDuration::from_secs(300).0 / period.0).max(1) as u32;
            let (metric_ref, metric_name, multiple) = match metric {
                TrackedMetric::AsgAverageCpu => (
                    MetricRef::AsgCpuReady(asg_index),
                    "CPUUtilization",
                    if template.detailed_monitoring {
                        1
                    } else {
                        minutes
                    },
                ),
                TrackedMetric::AsgAverageNetworkIn => (
                    MetricRef::AsgNetworkIn(asg_index),
                    "NetworkIn",
                    if template.detailed_monitoring {
                        1
                    } else {
                        minutes
                    },
                ),
                TrackedMetric::AsgAverageNetworkOut => (
                    MetricRef::AsgNetworkOut(asg_index),
                    "NetworkOut",
                    if template.detailed_monitoring {
                        1
                    } else {
                        minutes
                    },
                ),
                TrackedMetric::AlbRequestCountPerTarget(g) => (
                    MetricRef::TgRequestCountPerTarget(g),
                    "RequestCountPerTarget",
                    1,
                ),
                TrackedMetric::Custom(m, _) => {
                    let basic_cpu =
                        matches!(m, MetricRef::AsgCpu(_)) && !template.detailed_monitoring;
                    (m, "custom metric", if basic_cpu { minutes } else { 1 })
                }
            };
            let statistic = match metric {
                TrackedMetric::AlbRequestCountPerTarget(_) => Statistic::Sum,
                TrackedMetric::Custom(_, st) => st,
                _ => Statistic::Average,
            };
            let high_alarm = alarms.len();
            for (which, rule) in [("AlarmHigh", high_rule), ("AlarmLow", low_rule)] {
                alarms.push(AlarmSpec {
                    name: format!("TargetTracking-{}-{which}-{}", group.name, raw.name),
                    metric_name: metric_name.to_string(),
                    metric: metric_ref,
                    statistic,
                    period_multiple: multiple,
                    rule,
                    actions: vec![(asg_index, policy_index)],
                });
            }
            PolicyKind::TargetTracking {
                metric,
                target,
                disable_scale_in: tt.disable_scale_in.unwrap_or(false),
                high_alarm,
                low_alarm: high_alarm + 1,
            }
        }
        "StepScaling" => {
            let adjustment_type = adjustment_type(true)?.expect("required");
            if raw.step_adjustments.is_empty() {
                return Err(at
                    .key("StepAdjustments")
                    .error("expected at least one step"));
            }
            let mut steps: Vec<Step> = raw
                .step_adjustments
                .iter()
                .map(|s| Step {
                    lower: s.lower.unwrap_or(f64::NEG_INFINITY),
                    upper: s.upper.unwrap_or(f64::INFINITY),
                    adjustment: s.adjustment,
                })
                .collect();
            steps.sort_by(|a, b| a.lower.total_cmp(&b.lower));
            for w in steps.windows(2) {
                if w[0].upper != w[1].lower {
                    return Err(at.key("StepAdjustments").error(format!(
                        "steps may not overlap or leave gaps: one ends at {}, the next starts at {}",
                        w[0].upper, w[1].lower
                    )));
                }
            }
            PolicyKind::Step {
                adjustment_type,
                steps,
                min_magnitude: raw.min_adjustment_magnitude.unwrap_or(0),
            }
        }
        "SimpleScaling" => {
            let adjustment_type = adjustment_type(true)?.expect("required");
            let adjustment = raw.scaling_adjustment.ok_or_else(|| {
                at.key("ScalingAdjustment")
                    .error("a simple scaling policy needs ScalingAdjustment")
            })?;
            let cooldown = match raw.cooldown {
                Some(v) => ranged_seconds(Some(v.0), &at.key("Cooldown"), 0, 86_400, 0)?,
                None => default_cooldown,
            };
            PolicyKind::Simple {
                adjustment_type,
                adjustment,
                cooldown,
            }
        }
        other => {
            return Err(at.key("PolicyType").error(format!(
                "expected TargetTrackingScaling, StepScaling or SimpleScaling, got {other:?}"
            )));
        }
    };
    Ok(PolicySpec {
        name: raw.name.clone(),
        kind,
        warmup,
    })
}

/// `p99` → 990, `p99.9` → 999 (per mille, 1–1000).
fn parse_percentile(text: &str) -> Option<u16> {
    let v: f64 = text.strip_prefix('p')?.parse().ok()?;
    (v > 0.0 && v <= 100.0).then(|| (v * 10.0).round() as u16)
}

/// A metric by CloudWatch name and dimensions.
fn lookup_metric(
    name: &str,
    dimensions: &BTreeMap<String, String>,
    at: &JsonPath,
    asg_index: &BTreeMap<&str, usize>,
    target_groups: &BTreeMap<String, TargetGroupId>,
) -> Result<MetricRef, FieldError> {
    let dim = |key: &str| dimensions.get(key).map(String::as_str);
    let asg = || -> Result<usize, FieldError> {
        let name = dim("AutoScalingGroupName").ok_or_else(|| {
            at.key("Dimensions")
                .error("this metric needs the AutoScalingGroupName dimension")
        })?;
        asg_index.get(name).copied().ok_or_else(|| {
            at.key("Dimensions")
                .key("AutoScalingGroupName")
                .error(format!("no Auto Scaling group named {name:?}"))
        })
    };
    let tg = || -> Result<TargetGroupId, FieldError> {
        let name = dim("TargetGroup").ok_or_else(|| {
            at.key("Dimensions")
                .error("this metric needs the TargetGroup dimension")
        })?;
        target_groups.get(name).copied().ok_or_else(|| {
            at.key("Dimensions")
                .key("TargetGroup")
                .error(format!("no target group named {name:?}"))
        })
    };
    Ok(match name {
        "CPUUtilization" => MetricRef::AsgCpu(asg()?),
        "NetworkIn" => MetricRef::AsgNetworkIn(asg()?),
        "NetworkOut" => MetricRef::AsgNetworkOut(asg()?),
        "GroupInServiceInstances" => MetricRef::AsgInService(asg()?),
        "RequestCount" => MetricRef::TgRequestCount(tg()?),
        "RequestCountPerTarget" => MetricRef::TgRequestCountPerTarget(tg()?),
        "TargetResponseTime" => MetricRef::LbTargetResponseTime,
        "HTTPCode_ELB_5XX_Count" => MetricRef::LbElb5xx,
        other => {
            return Err(at.key("MetricName").error(format!(
                "expected CPUUtilization, NetworkIn, NetworkOut, GroupInServiceInstances, RequestCount, RequestCountPerTarget, TargetResponseTime or HTTPCode_ELB_5XX_Count, got {other:?}"
            )));
        }
    })
}

fn resolve_alarm(
    raw: &RawAlarm,
    at: &JsonPath,
    asg_index: &BTreeMap<&str, usize>,
    target_groups: &BTreeMap<String, TargetGroupId>,
    policies: &BTreeMap<String, (usize, usize)>,
    groups_raw: &[RawAutoScalingGroup],
    period: SimDuration,
) -> Result<AlarmSpec, FieldError> {
    let metric = lookup_metric(
        &raw.metric_name,
        &raw.dimensions,
        at,
        asg_index,
        target_groups,
    )?;
    let metric = match raw.extended_statistic.as_deref() {
        None => metric,
        Some(p) => {
            let q = parse_percentile(p).ok_or_else(|| {
                at.key("ExtendedStatistic").error(format!(
                    "expected a percentile such as \"p99\" or \"p99.9\", got {p:?}"
                ))
            })?;
            if metric != MetricRef::LbTargetResponseTime {
                return Err(at
                    .key("ExtendedStatistic")
                    .error("percentiles are available for TargetResponseTime only"));
            }
            if raw
                .period
                .is_some_and(|v| v.0 as f64 != period.as_secs_f64())
            {
                return Err(at.key("Period").error(format!(
                    "a percentile alarm needs Period equal to the metric period ({} s)",
                    period.as_secs_f64()
                )));
            }
            MetricRef::LbTargetResponseTimePercentile(q)
        }
    };
    let period_s = raw.period.map_or(60, |v| v.0);
    let metric_s = period.as_secs_f64();
    if period_s <= 0 || (period_s as f64 % metric_s) != 0.0 {
        return Err(at.key("Period").error(format!(
            "expected a multiple of the metric period ({metric_s} s), got {period_s}"
        )));
    }
    if !(1..=100).contains(&raw.evaluation_periods) {
        return Err(at
            .key("EvaluationPeriods")
            .error(format!("expected 1–100, got {}", raw.evaluation_periods)));
    }
    let m = raw.datapoints_to_alarm.unwrap_or(raw.evaluation_periods);
    if m == 0 || m > raw.evaluation_periods {
        return Err(at.key("DatapointsToAlarm").error(format!(
            "expected 1–EvaluationPeriods ({}), got {m}",
            raw.evaluation_periods
        )));
    }
    let rule = AlarmRule {
        threshold: raw.threshold,
        comparison: Comparison::parse(&raw.comparison, &at.key("ComparisonOperator"))?,
        evaluation_periods: raw.evaluation_periods,
        datapoints_to_alarm: m,
        missing: MissingData::parse(
            raw.treat_missing_data.as_deref(),
            &at.key("TreatMissingData"),
        )?,
    };
    let mut actions = Vec::new();
    for (i, name) in raw.alarm_actions.iter().enumerate() {
        let &(a, p) = policies.get(name).ok_or_else(|| {
            at.key("AlarmActions")
                .index(i)
                .error(format!("no scaling policy named {name:?}"))
        })?;
        if groups_raw[a].policies[p].policy_type == "TargetTrackingScaling" {
            return Err(at
                .key("AlarmActions")
                .index(i)
                .error("target tracking policies manage their own alarms"));
        }
        actions.push((a, p));
    }
    Ok(AlarmSpec {
        name: raw.name.clone(),
        metric_name: raw.metric_name.clone(),
        metric,
        statistic: Statistic::parse(raw.statistic.as_deref(), &at.key("Statistic"))?,
        period_multiple: (period_s as f64 / metric_s) as u32,
        rule,
        actions,
    })
}
