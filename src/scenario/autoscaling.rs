//! EC2 Auto Scaling groups as written (`CreateAutoScalingGroup` names: `MinSize`, `MaxSize`,
//! `DesiredCapacity`, `LaunchTemplate`, lifecycle hooks, scheduled actions) and their resolution
//! into [`AsgSpec`]s.

use super::distribution::RawDistribution;
use super::policy::RawScalingPolicy;
use super::values::{AwsInt, DurationValue};
use serde::Deserialize;

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
