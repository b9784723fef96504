//! Target group health checks as written (`HealthCheckIntervalSeconds`,
//! `HealthCheckTimeoutSeconds`, `HealthyThresholdCount`, `UnhealthyThresholdCount`, `Matcher`) and
//! their resolution into a [`HealthCheckSpec`].

use super::distribution::RawDistribution;
use super::values::{AwsBool, AwsInt, DurationValue};
use serde::Deserialize;

/// Target group health check settings, in AWS spelling, plus albsim's assumptions (snake_case).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawHealthCheck {
    /// `HealthCheckEnabled` (default true).
    #[serde(rename = "HealthCheckEnabled", default)]
    pub enabled: Option<AwsBool>,
    /// `HealthCheckProtocol`: `HTTP` (default) or `HTTPS`.
    #[serde(rename = "HealthCheckProtocol", default)]
    pub protocol: Option<String>,
    /// `HealthCheckPort`: `traffic-port` (default) or a port.
    #[serde(rename = "HealthCheckPort", default)]
    pub port: Option<String>,
    /// `HealthCheckPath` (default `/`).
    #[serde(rename = "HealthCheckPath", default)]
    pub path: Option<String>,
    /// `HealthCheckIntervalSeconds`, 5–300, default 30.
    #[serde(rename = "HealthCheckIntervalSeconds", default)]
    pub interval_seconds: Option<AwsInt>,
    /// `HealthCheckTimeoutSeconds`, 2–120, default 5.
    #[serde(rename = "HealthCheckTimeoutSeconds", default)]
    pub timeout_seconds: Option<AwsInt>,
    /// `HealthyThresholdCount`, 2–10, default 5.
    #[serde(rename = "HealthyThresholdCount", default)]
    pub healthy_threshold: Option<AwsInt>,
    /// `UnhealthyThresholdCount`, 2–10, default 2.
    #[serde(rename = "UnhealthyThresholdCount", default)]
    pub unhealthy_threshold: Option<AwsInt>,
    /// `Matcher`: `{"HttpCode": "200"}` (default), lists `"200,202"` and ranges `"200-299"`.
    #[serde(rename = "Matcher", default)]
    pub matcher: Option<RawMatcher>,
    /// Time the target spends answering a check (default constant 1 ms; an assumption).
    #[serde(default)]
    pub service_time: Option<RawDistribution>,
    /// Load balancer nodes that each check every target (default 2, ALB's minimum of two AZs; an
    /// assumption: AWS does not document the count). The first node's results drive the state.
    #[serde(default)]
    pub nodes: Option<u32>,
    /// Delay of the first check after registration (default: uniformly random within one interval;
    /// an assumption).
    #[serde(default)]
    pub first_check_delay: Option<DurationValue>,
}

/// `Matcher` of a health check.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawMatcher {
    /// Success codes, e.g. `"200"`, `"200,202"`, `"200-299"`.
    #[serde(rename = "HttpCode")]
    pub http_code: String,
}
