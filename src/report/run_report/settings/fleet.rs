//! Target groups (health checks and attributes), instances, and Auto Scaling groups with their
//! policies, scheduled actions and lifecycle hooks.

use super::super::describe::{adjustment_type, distribution, metric, name_at, statistic};
use super::super::format::{Clock, count, duration, number, seconds};
use super::{Given, flag, pair, setting};
use crate::model::anomaly::AnomalySpec;
use crate::model::autoscaling::{AsgSpec, HealthCheckType, PolicyKind, TerminationPolicy};
use crate::model::target_group::{Algorithm, StickinessKind, TargetGroupSpec};
use crate::report::document::{Block, Table, Text};
use crate::scenario::Scenario;

/// The fleet's settings.
pub(super) fn blocks(s: &Scenario, given: &Given<'_>, clock: Clock) -> Vec<Block> {
    let mut out = Vec::new();
    for tg in &s.target_groups {
        out.push(Block::Heading(format!("Target group {}", tg.name)));
        out.push(Block::Pairs(target_group(
            s,
            tg,
            given.find("target_groups", "name", &tg.name),
        )));
    }
    if !s.instances.is_empty() {
        out.push(Block::Heading("Instances".into()));
        let mut t = Table::new(
            &[
                "Instance",
                "Type",
                "vCPUs",
                "Availability Zone",
                "Workers",
                "Backlog",
            ],
            &[false, false, true, false, true, true],
        );
        for i in &s.instances {
            t.row(vec![
                Text::plain(i.id.clone()),
                Text::plain(i.instance_type.clone()),
                Text::plain(i.vcpus.to_string()),
                Text::plain(i.availability_zone.clone()),
                Text::plain(count(u64::from(i.workers))),
                Text::plain(count(u64::from(i.backlog))),
            ]);
        }
        out.push(Block::Table(t));
    }
    for g in &s.auto_scaling_groups {
        out.extend(auto_scaling_group(
            s,
            g,
            given.find("auto_scaling_groups", "AutoScalingGroupName", &g.name),
            clock,
        ));
    }
    out
}

/// A target group's settings under their AWS names.
fn target_group(s: &Scenario, tg: &TargetGroupSpec, given: Given<'_>) -> Vec<(String, Text)> {
    let hc = given.at("health_check");
    let attrs = given.at("attributes");
    let h = &tg.health;
    let targets: Vec<String> = tg
        .targets
        .iter()
        .map(|i| name_at(&s.instances, i.index(), |x| &x.id))
        .collect();
    let asgs: Vec<&str> = s
        .auto_scaling_groups
        .iter()
        .filter(|g| {
            g.groups
                .iter()
                .any(|t| s.target_groups[t.index()].name == tg.name)
        })
        .map(|g| g.name.as_str())
        .collect();
    let mut members = targets.join(", ");
    if !asgs.is_empty() {
        if !members.is_empty() {
            members.push_str("; ");
        }
        members.push_str(&format!("the instances of {}", asgs.join(", ")));
    }
    if members.is_empty() {
        members = "none".into();
    }
    let matcher: Vec<String> = h
        .matcher
        .iter()
        .map(|(a, b)| {
            if a == b {
                a.to_string()
            } else {
                format!("{a}-{b}")
            }
        })
        .collect();
    let mut p = vec![
        pair("Port", Text::plain(tg.port.to_string())),
        pair("Targets", Text::plain(members)),
        pair(
            "HealthCheckEnabled",
            setting(flag(h.enabled), hc.has("HealthCheckEnabled")),
        ),
    ];
    if h.enabled {
        p.extend([
            pair(
                "HealthCheckPath",
                setting(h.path.clone(), hc.has("HealthCheckPath")),
            ),
            pair(
                "HealthCheckIntervalSeconds",
                setting(seconds(h.interval), hc.has("HealthCheckIntervalSeconds")),
            ),
            pair(
                "HealthCheckTimeoutSeconds",
                setting(seconds(h.timeout), hc.has("HealthCheckTimeoutSeconds")),
            ),
            pair(
                "HealthyThresholdCount",
                setting(
                    h.healthy_threshold.to_string(),
                    hc.has("HealthyThresholdCount"),
                ),
            ),
            pair(
                "UnhealthyThresholdCount",
                setting(
                    h.unhealthy_threshold.to_string(),
                    hc.has("UnhealthyThresholdCount"),
                ),
            ),
            pair("Matcher", setting(matcher.join(","), hc.has("Matcher"))),
        ]);
    }
    let attr = |key: &str, value: String| pair(key, setting(value, attrs.has(key)));
    p.push(attr(
        "load_balancing.algorithm.type",
        tg.algorithm.as_str().to_string(),
    ));
    p.push(attr(
        "deregistration_delay.timeout_seconds",
        seconds(tg.deregistration_delay),
    ));
    p.push(attr("slow_start.duration_seconds", seconds(tg.slow_start)));
    if tg.algorithm == Algorithm::WeightedRandom
        || attrs.has("load_balancing.algorithm.anomaly_mitigation")
    {
        p.push(attr(
            "load_balancing.algorithm.anomaly_mitigation",
            if tg.anomaly.mitigation { "on" } else { "off" }.into(),
        ));
    }
    let defaults = AnomalySpec {
        mitigation: tg.anomaly.mitigation,
        ..AnomalySpec::DEFAULT
    };
    if tg.anomaly != defaults {
        let a = &tg.anomaly;
        p.push(pair(
            "anomaly_detection",
            setting(
                format!(
                    "window {} s, {} responses, {}× and +{} points over peers, weight ×{} down to {} %, +{} % per step, at most {} % of healthy targets",
                    a.window_buckets * 5,
                    a.minimum_requests,
                    number(a.error_rate_ratio),
                    number(100.0 * a.error_rate_margin),
                    number(a.reduction),
                    number(100.0 * a.minimum_weight),
                    number(100.0 * a.recovery_step),
                    a.max_mitigated_percentage
                ),
                true,
            ),
        ));
    }
    p.push(attr(
        "load_balancing.cross_zone.enabled",
        if tg.cross_zone { "true" } else { "false" }.into(),
    ));
    let dns_key = "target_group_health.dns_failover.minimum_healthy_targets.count";
    if !tg.cross_zone || attrs.has(dns_key) {
        p.push(attr(
            dns_key,
            tg.dns_minimum_healthy_targets
                .map_or("off".into(), |n| n.to_string()),
        ));
    }
    match &tg.stickiness {
        None => p.push(attr("stickiness.enabled", flag(false))),
        Some(st) => {
            p.push(attr("stickiness.enabled", flag(true)));
            match &st.kind {
                StickinessKind::LbCookie => {
                    p.push(attr("stickiness.type", "lb_cookie".into()));
                    p.push(attr(
                        "stickiness.lb_cookie.duration_seconds",
                        seconds(st.duration),
                    ));
                }
                StickinessKind::AppCookie { cookie_name } => {
                    p.push(attr("stickiness.type", "app_cookie".into()));
                    p.push(attr(
                        "stickiness.app_cookie.cookie_name",
                        cookie_name.clone(),
                    ));
                    p.push(attr(
                        "stickiness.app_cookie.duration_seconds",
                        seconds(st.duration),
                    ));
                }
            }
        }
    }
    p.push(attr(
        "target_group_health.unhealthy_state_routing.minimum_healthy_targets.count",
        tg.minimum_healthy_targets.to_string(),
    ));
    if let Some(pct) = tg.minimum_healthy_percentage {
        p.push(attr(
            "target_group_health.unhealthy_state_routing.minimum_healthy_targets.percentage",
            pct.to_string(),
        ));
    }
    p
}

/// An Auto Scaling group: its settings, policies, scheduled actions and hooks.
fn auto_scaling_group(s: &Scenario, g: &AsgSpec, given: Given<'_>, clock: Clock) -> Vec<Block> {
    let lt = &g.template;
    let tgs: Vec<String> = g
        .groups
        .iter()
        .map(|t| name_at(&s.target_groups, t.index(), |x| &x.name))
        .collect();
    let termination: Vec<&str> = g.termination.iter().map(|t| termination_name(*t)).collect();
    let mut pairs = vec![
        pair("MinSize", Text::plain(g.min.to_string())),
        pair("MaxSize", Text::plain(g.max.to_string())),
        pair(
            "DesiredCapacity",
            setting(g.desired.to_string(), given.has("DesiredCapacity")),
        ),
        pair(
            "LaunchTemplate",
            Text::plain(format!(
                "{} ({} vCPUs), {} monitoring, launch time {}",
                lt.instance_type.name,
                lt.instance_type.vcpus,
                if lt.detailed_monitoring {
                    "detailed (1-minute)"
                } else {
                    "basic (5-minute)"
                },
                distribution(&lt.launch_time)
            )),
        ),
        pair("AvailabilityZones", Text::plain(g.zones.join(", "))),
        pair(
            "TargetGroupARNs",
            Text::plain(if tgs.is_empty() {
                "none".to_string()
            } else {
                tgs.join(", ")
            }),
        ),
        pair(
            "HealthCheckType",
            setting(
                match g.health_check_type {
                    HealthCheckType::Ec2 => "EC2",
                    HealthCheckType::Elb => "ELB",
                },
                given.has("HealthCheckType"),
            ),
        ),
        pair(
            "HealthCheckGracePeriod",
            setting(seconds(g.grace_period), given.has("HealthCheckGracePeriod")),
        ),
        pair(
            "DefaultCooldown",
            setting(seconds(g.default_cooldown), given.has("DefaultCooldown")),
        ),
        pair(
            "DefaultInstanceWarmup",
            match g.default_warmup {
                Some(w) => Text::plain(seconds(w)),
                None => Text::plain("not set"),
            },
        ),
        pair(
            "TerminationPolicies",
            setting(termination.join(", "), given.has("TerminationPolicies")),
        ),
        pair(
            "NewInstancesProtectedFromScaleIn",
            setting(
                flag(g.protected),
                given.has("NewInstancesProtectedFromScaleIn"),
            ),
        ),
    ];
    pairs.push(pair(
        "health_check_poll_interval",
        setting(
            duration(g.health_poll),
            given.has("health_check_poll_interval"),
        ),
    ));
    let mut out = vec![
        Block::Heading(format!("Auto Scaling group {}", g.name)),
        Block::Pairs(pairs),
    ];
    if !g.policies.is_empty() {
        let mut t = Table::new(
            &["PolicyName", "PolicyType", "What it does", "Warm-up"],
            &[],
        );
        for p in &g.policies {
            let (kind, what) = policy(s, &p.kind);
            t.row(vec![
                Text::plain(p.name.clone()),
                Text::plain(kind),
                Text::plain(what),
                Text::plain(duration(p.warmup)),
            ]);
        }
        out.push(Block::Table(t));
    }
    if !g.scheduled.is_empty() {
        let mut t = Table::new(
            &[
                "ScheduledActionName",
                "At",
                "MinSize",
                "MaxSize",
                "DesiredCapacity",
            ],
            &[false, false, true, true, true],
        );
        let opt = |v: Option<u32>| Text::plain(v.map_or("–".to_string(), |v| v.to_string()));
        for a in &g.scheduled {
            t.row(vec![
                Text::plain(a.name.clone()),
                Text::plain(clock.at(a.at.as_secs_f64())),
                opt(a.min),
                opt(a.max),
                opt(a.desired),
            ]);
        }
        out.push(Block::Table(t));
    }
    if !g.hooks.is_empty() {
        let mut t = Table::new(&["LifecycleHookName", "LifecycleTransition", "Wait"], &[]);
        for h in &g.hooks {
            t.row(vec![
                Text::plain(h.name.clone()),
                Text::plain(if h.launching {
                    "autoscaling:EC2_INSTANCE_LAUNCHING"
                } else {
                    "autoscaling:EC2_INSTANCE_TERMINATING"
                }),
                Text::plain(duration(h.wait)),
            ]);
        }
        out.push(Block::Table(t));
    }
    out
}

/// A policy's `PolicyType` and what it does in one line.
fn policy(s: &Scenario, kind: &PolicyKind) -> (String, String) {
    match kind {
        PolicyKind::TargetTracking {
            metric: m,
            target,
            disable_scale_in,
            ..
        } => {
            let on = match m {
                crate::model::autoscaling::TrackedMetric::AlbRequestCountPerTarget(t) => {
                    format!(" of {}", name_at(&s.target_groups, t.index(), |x| &x.name))
                }
                crate::model::autoscaling::TrackedMetric::Custom(r, st) => {
                    format!(" ({} of {})", statistic(*st), metric(r, s))
                }
                _ => String::new(),
            };
            (
                "TargetTrackingScaling".into(),
                format!(
                    "keeps {}{on} at TargetValue {}{}",
                    m.as_str(),
                    number(*target),
                    if *disable_scale_in {
                        " (DisableScaleIn: never scales in)"
                    } else {
                        ""
                    }
                ),
            )
        }
        PolicyKind::Step {
            adjustment_type: a,
            steps,
            min_magnitude,
        } => {
            let bound = |x: f64| {
                if x.is_finite() {
                    number(x)
                } else if x > 0.0 {
                    "+∞".into()
                } else {
                    "−∞".into()
                }
            };
            let parts: Vec<String> = steps
                .iter()
                .map(|st| {
                    format!(
                        "[{}, {}) ⇒ {}{}",
                        bound(st.lower),
                        bound(st.upper),
                        if st.adjustment > 0 { "+" } else { "" },
                        st.adjustment
                    )
                })
                .collect();
            let mut what = format!(
                "{}; steps from the alarm threshold: {}",
                adjustment_type(*a),
                parts.join(", ")
            );
            if *min_magnitude > 0 {
                what.push_str(&format!("; MinAdjustmentMagnitude {min_magnitude}"));
            }
            ("StepScaling".into(), what)
        }
        PolicyKind::Simple {
            adjustment_type: a,
            adjustment,
            cooldown,
        } => (
            "SimpleScaling".into(),
            format!(
                "{} {}{}, Cooldown {}",
                adjustment_type(*a),
                if *adjustment > 0 { "+" } else { "" },
                adjustment,
                duration(*cooldown)
            ),
        ),
    }
}

/// A termination policy's AWS name.
fn termination_name(t: TerminationPolicy) -> &'static str {
    match t {
        TerminationPolicy::Default => "Default",
        TerminationPolicy::OldestInstance => "OldestInstance",
        TerminationPolicy::NewestInstance => "NewestInstance",
        TerminationPolicy::ClosestToNextInstanceHour => "ClosestToNextInstanceHour",
        TerminationPolicy::OldestLaunchTemplate => "OldestLaunchTemplate",
    }
}
