//! The Application Load Balancer as written (`load_balancer`: name, attributes, listeners) and
//! the resolution of its attributes (`idle_timeout.timeout_seconds`, `client_keep_alive.seconds`,
//! `routing.http2.enabled`) and listener list.

use super::listener::{RawListener, resolve_listener};
use super::path::JsonPath;
use super::ranges::ranged;
use super::values::{AwsBool, AwsInt};
use super::{FieldError, keep, names};
use crate::engine::SimDuration;
use crate::model::ids::TargetGroupId;
use crate::model::listener::ListenerSpec;
use serde::Deserialize;
use std::collections::BTreeMap;

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
    /// The Availability Zones the load balancer is enabled in (its `Subnets`' zones): one node
    /// each. Default: every zone the model's instances and Auto Scaling groups are in.
    #[serde(rename = "AvailabilityZones", default)]
    pub availability_zones: Option<Vec<String>>,
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

/// The load balancer's resolved attributes and listeners.
pub(super) struct LoadBalancer {
    /// `idle_timeout.timeout_seconds` (default 60 s).
    pub idle_timeout: SimDuration,
    /// `client_keep_alive.seconds` (default 3600 s).
    pub client_keep_alive: SimDuration,
    /// The listeners that resolved, in model order.
    pub listeners: Vec<ListenerSpec>,
    /// Whether every listener resolved, with distinct ports (clients are checked only then:
    /// their routes are computed through the listeners' rules).
    pub listeners_ok: bool,
}

/// Resolves `load_balancer`; `groups` names the target groups. Every problem is added to
/// `errors` (a wrong attribute takes its default, so the listeners are still checked).
pub(super) fn resolve_load_balancer(
    lb: &RawLoadBalancer,
    group_ids: &BTreeMap<String, TargetGroupId>,
    errors: &mut Vec<FieldError>,
) -> LoadBalancer {
    let lb_at = JsonPath::root().key("load_balancer");
    keep(
        errors,
        names::check_name(&lb.name, &lb_at.key("name"), "load balancer name"),
    );
    let attrs = lb_at.key("attributes");
    let idle = keep(
        errors,
        ranged(
            lb.attributes.idle_timeout_seconds.map(|v| v.0),
            &attrs.key("idle_timeout.timeout_seconds"),
            1,
            4000,
            60,
            "seconds",
        ),
    )
    .unwrap_or(60);
    let keep_alive = keep(
        errors,
        ranged(
            lb.attributes.client_keep_alive_seconds.map(|v| v.0),
            &attrs.key("client_keep_alive.seconds"),
            60,
            604_800,
            3600,
            "seconds",
        ),
    )
    .unwrap_or(3600);
    if lb.listeners.is_empty() {
        errors.push(
            lb_at
                .key("listeners")
                .error("expected at least one listener"),
        );
    }
    let http2 = lb.attributes.http2_enabled.is_none_or(|b| b.0);
    let mut listeners: Vec<ListenerSpec> = Vec::with_capacity(lb.listeners.len());
    let mut listeners_ok = !lb.listeners.is_empty();
    for (i, l) in lb.listeners.iter().enumerate() {
        let at = lb_at.key("listeners").index(i);
        let Some(mut spec) = keep(errors, resolve_listener(l, &at, group_ids)) else {
            listeners_ok = false;
            continue;
        };
        spec.http2 &= http2;
        if listeners.iter().any(|o| o.port == spec.port) {
            errors.push(
                at.key("port")
                    .error(format!("duplicate listener port {}", spec.port)),
            );
            listeners_ok = false;
        }
        listeners.push(spec);
    }
    LoadBalancer {
        idle_timeout: SimDuration::from_secs(idle as u64),
        client_keep_alive: SimDuration::from_secs(keep_alive as u64),
        listeners,
        listeners_ok,
    }
}
