//! The model file exactly as written: a serde mirror of the JSON, with AWS's own key names.
//!
//! Nothing here is checked beyond types and key names (`deny_unknown_fields` everywhere, so a typo
//! is an error, not a silently ignored setting). Defaults, ranges and cross-references are the job
//! of [`super::resolve`], which turns this into a runnable [`super::Scenario`]. `Option` means "the
//! user may leave it out"; the AWS default is applied during resolution, in one place.
//!
//! This file holds the top level ([`RawModel`]); each concept's structs live beside its resolver
//! (`scenario/listener.rs`, `scenario/health.rs`, …) and are re-exported here, so every raw type
//! is `albsim::scenario::raw::Raw…`.

pub use super::action::{
    RawAction, RawActionFixedResponse, RawActionForward, RawActionRedirect, RawGroupStickiness,
    RawWeightedGroup,
};
pub use super::alarm::RawAlarm;
pub use super::arrival::{
    RawArrival, RawArrivalConstant, RawArrivalDiurnal, RawArrivalPoisson, RawArrivalSchedule,
    RawArrivalSpike, RawArrivalUsers, RawArrivalWebsocket, RawProcess, RawStep,
};
pub use super::autoscaling::{
    RawAutoScalingGroup, RawLaunchTemplate, RawLifecycleHook, RawScheduledAction,
};
pub use super::client::{RawClient, RawRequestType};
pub use super::distribution::{
    RawDistribution, RawDistributionConstant, RawDistributionEmpirical, RawDistributionExponential,
    RawDistributionLognormal, RawDistributionNormal, RawDistributionUniform, RawPercentile,
};
pub use super::fault::{RawFault, RawOperation};
pub use super::health::{RawHealthCheck, RawMatcher};
pub use super::instance::{RawInstance, RawInstanceType};
pub use super::listener::{
    RawCondition, RawConditionHostHeader, RawConditionHttpHeader, RawConditionHttpRequestMethod,
    RawConditionPathPattern, RawConditionQueryString, RawConditionSourceIp, RawListener,
    RawQueryPair, RawRule,
};
pub use super::load_balancer::{RawLbAttributes, RawLoadBalancer};
pub use super::policy::{
    RawCustomizedMetric, RawPredefinedMetric, RawScalingPolicy, RawStepAdjustment,
    RawTargetTracking, RawTargetTrackingAlarms,
};
pub use super::target_group::{RawTargetGroup, RawTgAttributes};
use super::values::DurationValue;
use serde::Deserialize;

/// The whole model file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawModel {
    /// Model name; the default output folder is `output/<name>/`.
    pub name: String,
    /// What the scenario shows, in prose.
    #[serde(default)]
    pub description: Option<String>,
    /// Simulated time to run, e.g. `"30m"` or `1800` \[s\].
    pub duration: DurationValue,
    /// Master seed of every random stream.
    #[serde(default)]
    pub seed: Option<u64>,
    /// Metric settings (CloudWatch period).
    #[serde(default)]
    pub metrics: Option<RawMetrics>,
    /// Traffic sources.
    pub clients: Vec<RawClient>,
    /// The Application Load Balancer.
    pub load_balancer: RawLoadBalancer,
    /// Target groups the listeners forward to.
    pub target_groups: Vec<RawTargetGroup>,
    /// EC2 instances that serve the target groups.
    #[serde(default)]
    pub instances: Vec<RawInstance>,
    /// Instance types added to (or overriding) the built-in catalog.
    #[serde(default)]
    pub instance_types: Vec<RawInstanceType>,
    /// Failures injected into the run.
    #[serde(default)]
    pub faults: Vec<RawFault>,
    /// Operations at given times (register, deregister).
    #[serde(default)]
    pub operations: Vec<RawOperation>,
    /// EC2 Auto Scaling groups.
    #[serde(default)]
    pub auto_scaling_groups: Vec<RawAutoScalingGroup>,
    /// CloudWatch alarms (for step and simple scaling policies).
    #[serde(default)]
    pub alarms: Vec<RawAlarm>,
}

/// Metric collection settings.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawMetrics {
    /// CloudWatch period of `timeseries.csv` rows (default 60 s).
    #[serde(default)]
    pub period: Option<DurationValue>,
}
