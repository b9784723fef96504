//! Target groups as written (`port`, `protocol`, targets, attributes such as
//! `deregistration_delay.timeout_seconds`, `load_balancing.algorithm.type`, `stickiness.*`,
//! `slow_start.duration_seconds`) and their resolution into [`TargetGroupSpec`]s.

use super::health::RawHealthCheck;
use super::values::{AwsBool, AwsInt};
use serde::Deserialize;

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
}

/// Target group attributes (AWS `TargetGroupAttributes`).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTgAttributes {
    /// `load_balancing.algorithm.type`: `round_robin` (default), `least_outstanding_requests`,
    /// `weighted_random`.
    #[serde(rename = "load_balancing.algorithm.type", default)]
    pub algorithm: Option<String>,
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
}
