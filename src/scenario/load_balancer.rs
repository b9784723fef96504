//! The Application Load Balancer as written (`load_balancer`: name, attributes, listeners) and
//! the resolution of its attributes (`idle_timeout.timeout_seconds`, `client_keep_alive.seconds`,
//! `routing.http2.enabled`) and listener list.

use super::listener::RawListener;
use super::values::{AwsBool, AwsInt};
use serde::Deserialize;

/// The Application Load Balancer.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLoadBalancer {
    /// Load balancer name.
    pub name: String,
    /// Load balancer attributes, AWS keys.
    #[serde(default)]
    pub attributes: RawLbAttributes,
    /// Listeners (port + protocol + rules).
    pub listeners: Vec<RawListener>,
}

/// Load balancer attributes (AWS `LoadBalancerAttributes`).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLbAttributes {
    /// `idle_timeout.timeout_seconds`, 1–4000, default 60.
    #[serde(rename = "idle_timeout.timeout_seconds", default)]
    pub idle_timeout_seconds: Option<AwsInt>,
    /// `client_keep_alive.seconds`, 60–604800, default 3600.
    #[serde(rename = "client_keep_alive.seconds", default)]
    pub client_keep_alive_seconds: Option<AwsInt>,
    /// `routing.http2.enabled`, default true: HTTPS listeners speak HTTP/2 to clients that can.
    #[serde(rename = "routing.http2.enabled", default)]
    pub http2_enabled: Option<AwsBool>,
}
