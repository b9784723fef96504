//! Target groups as written (`port`, `protocol`, targets, attributes such as
//! `deregistration_delay.timeout_seconds`, `load_balancing.algorithm.type`, `stickiness.*`,
//! `slow_start.duration_seconds`) and their resolution into [`TargetGroupSpec`]s.

use super::FieldError;
use super::anomaly::{RawAnomalyDetection, resolve_anomaly};
use super::health::RawHealthCheck;
use super::health::resolve_health_check;
use super::path::JsonPath;
use super::ranges::ranged;
use super::values::{AwsBool, AwsInt};
use crate::engine::SimDuration;
use crate::model::ids::InstanceId;
use crate::model::target_group::{Algorithm, Stickiness, StickinessKind, TargetGroupSpec};
use serde::Deserialize;
use std::collections::BTreeMap;

/// A target group.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTargetGroup {
    /// Target group name (unique).
    pub name: String,
    /// Traffic port, 1–65535.
    pub port: u32,
    /// `HTTP` or `HTTPS`.
    pub protocol: String,
    /// Target group attributes, AWS keys.
    #[serde(default)]
    pub attributes: RawTgAttributes,
    /// Registered instance ids.
    #[serde(default)]
    pub targets: Vec<String>,
    /// Health check settings (AWS `CreateTargetGroup` parameter names).
    #[serde(default)]
    pub health_check: RawHealthCheck,
    /// albsim's settings for Automatic Target Weights' detection and mitigation (AWS publishes
    /// none of these numbers).
    #[serde(default)]
    pub anomaly_detection: Option<RawAnomalyDetection>,
}

/// Target group attributes (AWS `TargetGroupAttributes`).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTgAttributes {
    /// `load_balancing.algorithm.type`: `round_robin` (default), `least_outstanding_requests`,
    /// `weighted_random`.
    #[serde(rename = "load_balancing.algorithm.type", default)]
    pub algorithm: Option<String>,
    /// `load_balancing.algorithm.anomaly_mitigation`: `on` or `off` (default); `on` needs
    /// `weighted_random`.
    #[serde(rename = "load_balancing.algorithm.anomaly_mitigation", default)]
    pub anomaly_mitigation: Option<serde_json::Value>,
    /// `deregistration_delay.timeout_seconds`, 0–3600, default 300.
    #[serde(rename = "deregistration_delay.timeout_seconds", default)]
    pub deregistration_delay_seconds: Option<AwsInt>,
    /// `stickiness.enabled` (default false).
    #[serde(rename = "stickiness.enabled", default)]
    pub stickiness_enabled: Option<AwsBool>,
    /// `stickiness.type`: `lb_cookie` (default) or `app_cookie`.
    #[serde(rename = "stickiness.type", default)]
    pub stickiness_type: Option<String>,
    /// `stickiness.lb_cookie.duration_seconds`, 1–604800, default 86400.
    #[serde(rename = "stickiness.lb_cookie.duration_seconds", default)]
    pub lb_cookie_duration_seconds: Option<AwsInt>,
    /// `stickiness.app_cookie.cookie_name` (required for `app_cookie`).
    #[serde(rename = "stickiness.app_cookie.cookie_name", default)]
    pub app_cookie_name: Option<String>,
    /// `stickiness.app_cookie.duration_seconds`, 1–604800, default 86400.
    #[serde(rename = "stickiness.app_cookie.duration_seconds", default)]
    pub app_cookie_duration_seconds: Option<AwsInt>,
    /// `slow_start.duration_seconds`: 0 (off, default) or 30–900; `round_robin` only.
    #[serde(rename = "slow_start.duration_seconds", default)]
    pub slow_start_seconds: Option<AwsInt>,
    /// `target_group_health.unhealthy_state_routing.minimum_healthy_targets.count`, default 1: below
    /// this many healthy targets the load balancer routes to all targets (fails open).
    #[serde(
        rename = "target_group_health.unhealthy_state_routing.minimum_healthy_targets.count",
        default
    )]
    pub minimum_healthy_targets: Option<AwsInt>,
    /// `target_group_health.unhealthy_state_routing.minimum_healthy_targets.percentage`, `off`
    /// (default) or 1–100: below this share of the registered targets healthy, the load
    /// balancer fails open too.
    #[serde(
        rename = "target_group_health.unhealthy_state_routing.minimum_healthy_targets.percentage",
        default
    )]
    pub minimum_healthy_percentage: Option<serde_json::Value>,
    /// `load_balancing.cross_zone.enabled`: `true`, `false`, or
    /// `use_load_balancer_configuration` (default; an ALB's is always on).
    #[serde(rename = "load_balancing.cross_zone.enabled", default)]
    pub cross_zone: Option<serde_json::Value>,
    /// `target_group_health.dns_failover.minimum_healthy_targets.count`: `off` or 1–1000,
    /// default 1: below this many healthy targets in a zone, the zone's node leaves DNS.
    #[serde(
        rename = "target_group_health.dns_failover.minimum_healthy_targets.count",
        default
    )]
    pub dns_minimum_healthy_targets: Option<serde_json::Value>,
    /// `target_group_health.dns_failover.minimum_healthy_targets.percentage`: `off` (default)
    /// or 1–100.
    #[serde(
        rename = "target_group_health.dns_failover.minimum_healthy_targets.percentage",
        default
    )]
    pub dns_minimum_healthy_percentage: Option<serde_json::Value>,
}

/// Resolves the target group at `at`; `instance_ids` names the model's instances.
pub(super) fn resolve_target_group(
    raw: &RawTargetGroup,
    at: &JsonPath,
    instance_ids: &BTreeMap<String, InstanceId>,
) -> Result<TargetGroupSpec, FieldError> {
    let port = u16::try_from(raw.port)
        .ok()
        .filter(|&p| p >= 1)
        .ok_or_else(|| {
            at.key("port")
                .error(format!("expected a port in 1–65535, got {}", raw.port))
        })?;
    if !matches!(raw.protocol.as_str(), "HTTP" | "HTTPS") {
        return Err(at.key("protocol").error(format!(
            "expected \"HTTP\" or \"HTTPS\", got {:?}",
            raw.protocol
        )));
    }
    let algorithm = parse_algorithm(
        raw.attributes.algorithm.as_deref(),
        &at.key("attributes").key("load_balancing.algorithm.type"),
    )?;
    let mut targets = Vec::with_capacity(raw.targets.len());
    for (i, t) in raw.targets.iter().enumerate() {
        let id = instance_ids.get(t).copied().ok_or_else(|| {
            at.key("targets").index(i).error(format!(
                "no instance with id {t:?} (define it under \"instances\")"
            ))
        })?;
        if targets.contains(&id) {
            return Err(at
                .key("targets")
                .index(i)
                .error(format!("instance {t:?} is registered twice")));
        }
        targets.push(id);
    }
    let attrs = at.key("attributes");
    let delay = ranged(
        raw.attributes.deregistration_delay_seconds.map(|v| v.0),
        &attrs.key("deregistration_delay.timeout_seconds"),
        0,
        3600,
        300,
        "seconds",
    )?;
    let min_healthy = ranged(
        raw.attributes.minimum_healthy_targets.map(|v| v.0),
        &attrs.key("target_group_health.unhealthy_state_routing.minimum_healthy_targets.count"),
        1,
        1000,
        1,
        "targets",
    )?;
    let min_healthy_pct = off_or_percentage(
        raw.attributes.minimum_healthy_percentage.as_ref(),
        &attrs
            .key("target_group_health.unhealthy_state_routing.minimum_healthy_targets.percentage"),
    )?;
    let slow_start = raw.attributes.slow_start_seconds.map_or(0, |v| v.0);
    let slow_at = attrs.key("slow_start.duration_seconds");
    if slow_start != 0 && !(30..=900).contains(&slow_start) {
        return Err(slow_at.error(format!(
            "expected 0 (off) or 30–900 seconds, got {slow_start}"
        )));
    }
    if slow_start != 0 && algorithm != Algorithm::RoundRobin {
        return Err(slow_at.error(format!(
            "slow start cannot be used with {} (AWS allows it with round_robin only)",
            algorithm.as_str()
        )));
    }
    let stickiness = resolve_stickiness(&raw.attributes, &attrs, algorithm)?;
    let cross_zone = cross_zone(
        raw.attributes.cross_zone.as_ref(),
        &attrs.key("load_balancing.cross_zone.enabled"),
    )?;
    let dns_count_at = attrs.key("target_group_health.dns_failover.minimum_healthy_targets.count");
    let dns_count = match raw.attributes.dns_minimum_healthy_targets.as_ref() {
        None => Some(1),
        Some(serde_json::Value::String(s)) if s == "off" => None,
        Some(v) => {
            let n = match v {
                serde_json::Value::String(s) => s.trim().parse::<u64>().ok(),
                other => other.as_u64(),
            };
            match n {
                Some(n @ 1..=1000) => Some(n as u32),
                _ => {
                    return Err(
                        dns_count_at.error(format!("expected \"off\" or 1–1000 targets, got {v}"))
                    );
                }
            }
        }
    };
    let dns_pct_at =
        attrs.key("target_group_health.dns_failover.minimum_healthy_targets.percentage");
    let dns_pct = off_or_percentage(
        raw.attributes.dns_minimum_healthy_percentage.as_ref(),
        &dns_pct_at,
    )?;
    // "The threshold for DNS failover must be greater than or equal to the threshold for routing
    // failover" (when both are given).
    if raw.attributes.dns_minimum_healthy_targets.is_some()
        && raw.attributes.minimum_healthy_targets.is_some()
        && dns_count.is_some_and(|d| d < min_healthy as u32)
    {
        return Err(dns_count_at.error(format!(
            "expected at least the routing failover count ({min_healthy}): AWS requires the DNS failover threshold to be greater than or equal to the routing failover threshold, got {}",
            dns_count.unwrap_or(0)
        )));
    }
    if let (Some(d), Some(r)) = (dns_pct, min_healthy_pct)
        && d < r
    {
        return Err(dns_pct_at.error(format!(
            "expected at least the routing failover percentage ({r}): AWS requires the DNS failover threshold to be greater than or equal to the routing failover threshold, got {d}"
        )));
    }
    let anomaly = resolve_anomaly(
        raw.attributes.anomaly_mitigation.as_ref(),
        &attrs.key("load_balancing.algorithm.anomaly_mitigation"),
        algorithm,
        raw.anomaly_detection.as_ref(),
        &at.key("anomaly_detection"),
    )?;
    Ok(TargetGroupSpec {
        anomaly,
        cross_zone,
        dns_minimum_healthy_targets: dns_count,
        dns_minimum_healthy_percentage: dns_pct,
        name: raw.name.clone(),
        port,
        algorithm,
        targets,
        health: resolve_health_check(&raw.health_check, &at.key("health_check"))?,
        deregistration_delay: SimDuration::from_secs(delay as u64),
        minimum_healthy_targets: min_healthy as u32,
        minimum_healthy_percentage: min_healthy_pct,
        slow_start: SimDuration::from_secs(slow_start as u64),
        stickiness,
    })
}

/// `load_balancing.cross_zone.enabled`: whether each load balancer node may route to targets in
/// every zone. `use_load_balancer_configuration` (the default) takes the load balancer's, which
/// for an Application Load Balancer is always on.
fn cross_zone(v: Option<&serde_json::Value>, at: &JsonPath) -> Result<bool, FieldError> {
    use serde_json::Value;
    match v {
        None => Ok(true),
        Some(Value::Bool(b)) => Ok(*b),
        Some(Value::String(s)) => match s.as_str() {
            "true" | "use_load_balancer_configuration" => Ok(true),
            "false" => Ok(false),
            _ => Err(at.error(format!(
                "expected \"true\", \"false\" or \"use_load_balancer_configuration\" (the default: on, as an Application Load Balancer's cross-zone load balancing always is), got {s:?}"
            ))),
        },
        Some(other) => Err(at.error(format!(
            "expected \"true\", \"false\" or \"use_load_balancer_configuration\", got {other}"
        ))),
    }
}

/// A `…minimum_healthy_targets.percentage` attribute: `"off"` (`None`, also when left out) or a
/// whole percentage 1–100, as a number or a string, as AWS takes attribute values.
fn off_or_percentage(
    v: Option<&serde_json::Value>,
    at: &JsonPath,
) -> Result<Option<u32>, FieldError> {
    use serde_json::Value;
    let n = match v {
        None => return Ok(None),
        Some(Value::String(s)) if s == "off" => return Ok(None),
        Some(Value::String(s)) => s.trim().parse::<u64>().ok(),
        Some(Value::Number(n)) => n.as_u64(),
        Some(_) => None,
    };
    match n {
        Some(p @ 1..=100) => Ok(Some(p as u32)),
        _ => Err(at.error(format!(
            "expected \"off\" or a whole percentage 1–100, got {}",
            v.map_or_else(String::new, |v| v.to_string())
        ))),
    }
}

/// `stickiness.*` attributes: `None` when sticky sessions are off.
fn resolve_stickiness(
    a: &RawTgAttributes,
    at: &JsonPath,
    algorithm: Algorithm,
) -> Result<Option<Stickiness>, FieldError> {
    let kind_at = at.key("stickiness.type");
    let enabled = a.stickiness_enabled.is_some_and(|b| b.0);
    let kind = match a.stickiness_type.as_deref() {
        None | Some("lb_cookie") => "lb_cookie",
        Some("app_cookie") => "app_cookie",
        Some(other) => {
            return Err(kind_at.error(format!(
                "expected \"lb_cookie\" or \"app_cookie\", got {other:?}"
            )));
        }
    };
    let lb = ranged(
        a.lb_cookie_duration_seconds.map(|v| v.0),
        &at.key("stickiness.lb_cookie.duration_seconds"),
        1,
        604_800,
        86_400,
        "seconds",
    )?;
    let app = ranged(
        a.app_cookie_duration_seconds.map(|v| v.0),
        &at.key("stickiness.app_cookie.duration_seconds"),
        1,
        604_800,
        86_400,
        "seconds",
    )?;
    if !enabled {
        return Ok(None);
    }
    if algorithm == Algorithm::WeightedRandom {
        return Err(at.key("stickiness.enabled").error("sticky sessions cannot be used with weighted_random (AWS does not support the combination)"));
    }
    Ok(Some(match kind {
        "lb_cookie" => Stickiness {
            kind: StickinessKind::LbCookie,
            duration: SimDuration::from_secs(lb as u64),
        },
        _ => {
            let name_at = at.key("stickiness.app_cookie.cookie_name");
            let name = a.app_cookie_name.clone().ok_or_else(|| {
                name_at.error("app_cookie stickiness needs the application's cookie name")
            })?;
            if name.is_empty()
                || ["AWSALB", "AWSALBAPP", "AWSALBTG"]
                    .iter()
                    .any(|p| name.starts_with(p))
            {
                return Err(name_at.error(format!("expected a cookie name not starting with AWSALB, AWSALBAPP or AWSALBTG (reserved), got {name:?}")));
            }
            Stickiness {
                kind: StickinessKind::AppCookie { cookie_name: name },
                duration: SimDuration::from_secs(app as u64),
            }
        }
    }))
}

/// Parses `load_balancing.algorithm.type`; `None` gives the default, `round_robin`.
fn parse_algorithm(value: Option<&str>, path: &JsonPath) -> Result<Algorithm, FieldError> {
    match value {
        None | Some("round_robin") => Ok(Algorithm::RoundRobin),
        Some("least_outstanding_requests") => Ok(Algorithm::LeastOutstandingRequests),
        Some("weighted_random") => Ok(Algorithm::WeightedRandom),
        Some(other) => Err(path.error(format!(
            "expected \"round_robin\", \"least_outstanding_requests\" or \"weighted_random\", got {other:?}"
        ))),
    }
}
