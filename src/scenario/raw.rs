//! The model file exactly as written: a serde mirror of the JSON, with AWS's own key names.
//!
//! Nothing here is checked beyond types and key names (`deny_unknown_fields` everywhere, so a typo
//! is an error, not a silently ignored setting). Defaults, ranges and cross-references are the job
//! of [`super::resolve`], which turns this into a runnable [`super::Scenario`]. `Option` means "the
//! user may leave it out"; the AWS default is applied during resolution, in one place.

use super::tagged::tagged_deserialize;
use super::values::{AwsBool, AwsInt, DurationValue};
use serde::Deserialize;
use std::collections::BTreeMap;

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

/// A scaling policy (`PutScalingPolicy`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawScalingPolicy {
    /// `PolicyName`.
    #[serde(rename = "PolicyName")]
    pub name: String,
    /// `TargetTrackingScaling`, `StepScaling` or `SimpleScaling`.
    #[serde(rename = "PolicyType")]
    pub policy_type: String,
    /// Target tracking settings.
    #[serde(rename = "TargetTrackingConfiguration", default)]
    pub target_tracking: Option<RawTargetTracking>,
    /// `ChangeInCapacity`, `ExactCapacity` or `PercentChangeInCapacity` (step and simple).
    #[serde(rename = "AdjustmentType", default)]
    pub adjustment_type: Option<String>,
    /// Simple scaling: the adjustment.
    #[serde(rename = "ScalingAdjustment", default)]
    pub scaling_adjustment: Option<i64>,
    /// Simple scaling: cooldown \[s\] (default: the group's `DefaultCooldown`).
    #[serde(rename = "Cooldown", default)]
    pub cooldown: Option<AwsInt>,
    /// Step scaling: steps relative to the alarm threshold.
    #[serde(rename = "StepAdjustments", default)]
    pub step_adjustments: Vec<RawStepAdjustment>,
    /// `MinAdjustmentMagnitude` for `PercentChangeInCapacity`.
    #[serde(rename = "MinAdjustmentMagnitude", default)]
    pub min_adjustment_magnitude: Option<u32>,
    /// `EstimatedInstanceWarmup` \[s\] (target tracking and step).
    #[serde(rename = "EstimatedInstanceWarmup", default)]
    pub estimated_instance_warmup: Option<AwsInt>,
}

/// `TargetTrackingConfiguration`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTargetTracking {
    /// `PredefinedMetricSpecification` (one of this and `CustomizedMetricSpecification`).
    #[serde(rename = "PredefinedMetricSpecification", default)]
    pub predefined: Option<RawPredefinedMetric>,
    /// `CustomizedMetricSpecification`: any metric albsim computes, by name and dimensions.
    #[serde(rename = "CustomizedMetricSpecification", default)]
    pub customized: Option<RawCustomizedMetric>,
    /// `TargetValue`.
    #[serde(rename = "TargetValue")]
    pub target_value: f64,
    /// `DisableScaleIn`, default false.
    #[serde(rename = "DisableScaleIn", default)]
    pub disable_scale_in: Option<bool>,
    /// Shapes of the alarms AWS creates (assumptions from observation: high 3 of 3, low 15 of 15,
    /// low threshold 0.9 × target).
    #[serde(default)]
    pub alarms: Option<RawTargetTrackingAlarms>,
}

/// `CustomizedMetricSpecification`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCustomizedMetric {
    /// `MetricName` (as for alarms).
    #[serde(rename = "MetricName")]
    pub metric_name: String,
    /// `Dimensions`.
    #[serde(rename = "Dimensions", default)]
    pub dimensions: std::collections::BTreeMap<String, String>,
    /// `Statistic` (default `Average`).
    #[serde(rename = "Statistic", default)]
    pub statistic: Option<String>,
}

/// `PredefinedMetricSpecification`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPredefinedMetric {
    /// `ASGAverageCPUUtilization`, `ASGAverageNetworkIn`, `ASGAverageNetworkOut` or
    /// `ALBRequestCountPerTarget`.
    #[serde(rename = "PredefinedMetricType")]
    pub metric_type: String,
    /// `ResourceLabel`: for `ALBRequestCountPerTarget`, the target group name.
    #[serde(rename = "ResourceLabel", default)]
    pub resource_label: Option<String>,
}

/// The alarms target tracking creates (albsim settings; AWS does not document them).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTargetTrackingAlarms {
    /// High alarm datapoints (M of N, default 3 of 3).
    #[serde(default)]
    pub high_datapoints: Option<u32>,
    /// Low alarm datapoints (default 15 of 15).
    #[serde(default)]
    pub low_datapoints: Option<u32>,
    /// Low alarm threshold as a fraction of the target (default 0.9).
    #[serde(default)]
    pub low_threshold_factor: Option<f64>,
}

/// A step of a step scaling policy.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawStepAdjustment {
    /// `MetricIntervalLowerBound` (relative to the threshold; absent: −∞).
    #[serde(rename = "MetricIntervalLowerBound", default)]
    pub lower: Option<f64>,
    /// `MetricIntervalUpperBound` (relative to the threshold; absent: +∞).
    #[serde(rename = "MetricIntervalUpperBound", default)]
    pub upper: Option<f64>,
    /// `ScalingAdjustment`.
    #[serde(rename = "ScalingAdjustment")]
    pub adjustment: i64,
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

/// A CloudWatch alarm (`PutMetricAlarm`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAlarm {
    /// `AlarmName`.
    #[serde(rename = "AlarmName")]
    pub name: String,
    /// `MetricName`: `CPUUtilization`, `NetworkIn`, `NetworkOut`, `GroupInServiceInstances`
    /// (dimension `AutoScalingGroupName`), `RequestCount`, `RequestCountPerTarget` (dimension
    /// `TargetGroup`), `TargetResponseTime`, `HTTPCode_ELB_5XX_Count` (the load balancer).
    #[serde(rename = "MetricName")]
    pub metric_name: String,
    /// `Dimensions`: `{"AutoScalingGroupName": "web-asg"}` or `{"TargetGroup": "web"}`.
    #[serde(rename = "Dimensions", default)]
    pub dimensions: std::collections::BTreeMap<String, String>,
    /// `Statistic`: `Average` (default), `Sum`, `Maximum`, `Minimum`.
    #[serde(rename = "Statistic", default)]
    pub statistic: Option<String>,
    /// `ExtendedStatistic`: a percentile such as `p99`, for `TargetResponseTime` (with `Period`
    /// equal to the metric period).
    #[serde(rename = "ExtendedStatistic", default)]
    pub extended_statistic: Option<String>,
    /// `Period` \[s\], a multiple of the metric period (default 60).
    #[serde(rename = "Period", default)]
    pub period: Option<AwsInt>,
    /// `EvaluationPeriods`.
    #[serde(rename = "EvaluationPeriods")]
    pub evaluation_periods: u32,
    /// `DatapointsToAlarm` (default `EvaluationPeriods`).
    #[serde(rename = "DatapointsToAlarm", default)]
    pub datapoints_to_alarm: Option<u32>,
    /// `Threshold`.
    #[serde(rename = "Threshold")]
    pub threshold: f64,
    /// `ComparisonOperator`.
    #[serde(rename = "ComparisonOperator")]
    pub comparison: String,
    /// `TreatMissingData`: `missing` (default), `notBreaching`, `breaching`, `ignore`.
    #[serde(rename = "TreatMissingData", default)]
    pub treat_missing_data: Option<String>,
    /// `AlarmActions`: scaling policy names, run while the alarm is in ALARM.
    #[serde(rename = "AlarmActions", default)]
    pub alarm_actions: Vec<String>,
}

/// A fault: at a time (optionally for a duration), or at random with a mean time between failures.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFault {
    /// `crash`, `hang`, `slow`, `health_path_broken`, `network_blocked`, `az_outage`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The instance it hits (all but `az_outage`).
    #[serde(default)]
    pub instance: Option<String>,
    /// The Availability Zone it hits (`az_outage`).
    #[serde(default)]
    pub availability_zone: Option<String>,
    /// When it starts (a one-off fault).
    #[serde(default)]
    pub at: Option<DurationValue>,
    /// How long it lasts; recovery follows (default: to the end of the run).
    #[serde(default)]
    pub duration: Option<DurationValue>,
    /// Random faults: mean time between failures (exponential).
    #[serde(default)]
    pub mean_time_between_failures: Option<DurationValue>,
    /// Random faults: mean time to recover (exponential; default: never recovers).
    #[serde(default)]
    pub mean_time_to_recover: Option<DurationValue>,
    /// `slow`: service time multiplier (above 1).
    #[serde(default)]
    pub factor: Option<f64>,
    /// `health_path_broken`: the status the health path answers (default 500).
    #[serde(default)]
    pub status_code: Option<u16>,
}

/// An operation on the load balancer at a given time.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawOperation {
    /// When.
    pub at: DurationValue,
    /// `register` or `deregister` (AWS `RegisterTargets` / `DeregisterTargets`).
    pub action: String,
    /// Target group name.
    pub target_group: String,
    /// Instance id.
    pub instance: String,
}

/// Metric collection settings.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawMetrics {
    /// CloudWatch period of `timeseries.csv` rows (default 60 s).
    #[serde(default)]
    pub period: Option<DurationValue>,
}

/// One traffic source: an arrival process and a weighted mix of request types.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawClient {
    /// Client name (unique); also names its random streams.
    pub name: String,
    /// How requests (open loop) or users (closed loop) arrive.
    pub arrival: RawArrival,
    /// The request types this client sends, picked by weight.
    pub requests: Vec<RawRequestType>,
    /// Listener port the client connects to (default: the first listener's).
    #[serde(default)]
    pub port: Option<u16>,
    /// The client's source address, matched by `source-ip` rule conditions.
    #[serde(default)]
    pub source_ip: Option<String>,
    /// Whether the client reuses connections (HTTP keep-alive); default true.
    #[serde(default)]
    pub keep_alive: Option<bool>,
    /// Whether the client speaks HTTP/2 on HTTPS listeners (default true, as browsers do).
    #[serde(default)]
    pub http2: Option<bool>,
    /// Open loop: number of browser sessions (cookie jars) the requests are spread over; each
    /// request belongs to one at random. Default: none (every request comes without cookies).
    /// Closed-loop users always carry their own session.
    #[serde(default)]
    pub sessions: Option<u32>,
}

/// Arrival processes.
#[derive(Debug)]
pub enum RawArrival {
    /// Evenly spaced requests.
    Constant(RawArrivalConstant),

    /// Poisson process (exponential gaps).
    Poisson(RawArrivalPoisson),

    /// Piecewise rate: steps and linear ramps.
    Schedule(RawArrivalSchedule),

    /// A base rate with one burst.
    Spike(RawArrivalSpike),

    /// A sinusoidal day curve between a minimum and a maximum rate.
    Diurnal(RawArrivalDiurnal),

    /// Closed loop: a population of users who send, wait for the answer, think, and repeat.
    Users(RawArrivalUsers),

    /// WebSocket clients: each upgrades one long-lived connection, exchanges messages on it, and
    /// reconnects when it is closed.
    Websocket(RawArrivalWebsocket),
}

tagged_deserialize!(RawArrival, "type", {
    "constant" => Constant,
    "poisson" => Poisson,
    "schedule" => Schedule,
    "spike" => Spike,
    "diurnal" => Diurnal,
    "users" => Users,
    "websocket" => Websocket,
});

/// Evenly spaced requests.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawArrivalConstant {
    /// Requests per second.
    pub rate_per_second: f64,
}

/// Poisson process (exponential gaps).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawArrivalPoisson {
    /// Requests per second.
    pub rate_per_second: f64,
}

/// Piecewise rate: steps and linear ramps.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawArrivalSchedule {
    /// `poisson` (default) or `constant` spacing.
    #[serde(default)]
    pub process: Option<RawProcess>,
    /// Rate changes in time order.
    pub steps: Vec<RawStep>,
}

/// A base rate with one burst.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawArrivalSpike {
    /// `poisson` (default) or `constant` spacing.
    #[serde(default)]
    pub process: Option<RawProcess>,
    /// Rate outside the spike [req/s].
    pub base_rate_per_second: f64,
    /// Rate during the spike [req/s].
    pub spike_rate_per_second: f64,
    /// When the spike starts.
    pub at: DurationValue,
    /// How long the spike lasts.
    pub duration: DurationValue,
    /// Ramp time up to and down from the spike (default 0: a step).
    #[serde(default)]
    pub ramp: Option<DurationValue>,
}

/// A sinusoidal day curve between a minimum and a maximum rate.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawArrivalDiurnal {
    /// `poisson` (default) or `constant` spacing.
    #[serde(default)]
    pub process: Option<RawProcess>,
    /// Lowest rate [req/s], reached half a period from the peak.
    pub min_rate_per_second: f64,
    /// Highest rate [req/s], reached at `peak_at`.
    pub max_rate_per_second: f64,
    /// Length of one cycle (default 24 h).
    #[serde(default)]
    pub period: Option<DurationValue>,
    /// Time of the peak within the cycle (default 14 h).
    #[serde(default)]
    pub peak_at: Option<DurationValue>,
}

/// Closed loop: a population of users who send, wait for the answer, think, and repeat.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawArrivalUsers {
    /// Number of users.
    pub count: u32,
    /// Users started per second (default: all at time 0).
    #[serde(default)]
    pub spawn_rate_per_second: Option<f64>,
    /// Pause between a response and the user's next request.
    pub think_time: RawDistribution,
}

/// WebSocket clients.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawArrivalWebsocket {
    /// Number of WebSocket clients (each keeps one connection open).
    pub connections: u32,
    /// Clients started per second (default: all at time 0).
    #[serde(default)]
    pub spawn_rate_per_second: Option<f64>,
    /// Gap between messages the client sends (default: none).
    #[serde(default)]
    pub client_message_interval: Option<RawDistribution>,
    /// Gap between messages the server pushes (default: none).
    #[serde(default)]
    pub server_message_interval: Option<RawDistribution>,
    /// Client ping interval: a ping/pong is data, so it keeps the connection out of the idle
    /// timeout (default: no pings).
    #[serde(default)]
    pub ping_interval: Option<DurationValue>,
    /// Pause before reconnecting after the connection is closed (default constant 1 s).
    #[serde(default)]
    pub reconnect_delay: Option<RawDistribution>,
    /// Size of each message \[bytes\] (default 200).
    #[serde(default)]
    pub message_bytes: Option<u64>,
}

/// Spacing of arrivals for time-varying rates.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum RawProcess {
    /// Exponential gaps (non-homogeneous Poisson process).
    Poisson,
    /// Deterministic gaps of one unit of integrated rate.
    Constant,
}

/// One rate change of a `schedule`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawStep {
    /// When the change starts.
    pub at: DurationValue,
    /// The new rate [req/s].
    pub rate_per_second: f64,
    /// Ramp linearly from the previous rate over this long (default 0: a step).
    #[serde(default)]
    pub ramp: Option<DurationValue>,
}

/// A random duration, in milliseconds.
#[derive(Debug)]
pub enum RawDistribution {
    /// Always the same.
    Constant(RawDistributionConstant),

    /// Exponential.
    Exponential(RawDistributionExponential),

    /// Uniform between two bounds.
    Uniform(RawDistributionUniform),

    /// Normal, truncated at zero.
    Normal(RawDistributionNormal),

    /// Log-normal, given by median and p99, or by mean and standard deviation.
    Lognormal(RawDistributionLognormal),

    /// A percentile table, interpolated linearly.
    Empirical(RawDistributionEmpirical),
}

tagged_deserialize!(RawDistribution, "distribution", {
    "constant" => Constant,
    "exponential" => Exponential,
    "uniform" => Uniform,
    "normal" => Normal,
    "lognormal" => Lognormal,
    "empirical" => Empirical,
});

/// Always the same.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDistributionConstant {
    /// The value \[ms\].
    pub ms: f64,
}

/// Exponential.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDistributionExponential {
    /// Mean \[ms\].
    pub mean_ms: f64,
}

/// Uniform between two bounds.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDistributionUniform {
    /// Lower bound \[ms\].
    pub min_ms: f64,
    /// Upper bound \[ms\].
    pub max_ms: f64,
}

/// Normal, truncated at zero.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDistributionNormal {
    /// Mean \[ms\].
    pub mean_ms: f64,
    /// Standard deviation \[ms\].
    pub stddev_ms: f64,
}

/// Log-normal, given by median and p99, or by mean and standard deviation.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDistributionLognormal {
    /// Median \[ms\] (with `p99_ms`).
    #[serde(default)]
    pub median_ms: Option<f64>,
    /// 99th percentile \[ms\] (with `median_ms`).
    #[serde(default)]
    pub p99_ms: Option<f64>,
    /// Mean \[ms\] (with `stddev_ms`).
    #[serde(default)]
    pub mean_ms: Option<f64>,
    /// Standard deviation \[ms\] (with `mean_ms`).
    #[serde(default)]
    pub stddev_ms: Option<f64>,
}

/// A percentile table, interpolated linearly.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDistributionEmpirical {
    /// Points `(p, ms)` from p = 0 to p = 100.
    pub percentiles: Vec<RawPercentile>,
}

/// One point of an empirical distribution.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPercentile {
    /// Percentile, 0–100.
    pub p: f64,
    /// Value at that percentile \[ms\].
    pub ms: f64,
}

/// A kind of request a client sends.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRequestType {
    /// Name, unique within the client.
    pub name: String,
    /// Relative frequency (default 1).
    #[serde(default)]
    pub weight: Option<f64>,
    /// HTTP method (default `GET`).
    #[serde(default)]
    pub method: Option<String>,
    /// `Host` header (default `example.com`).
    #[serde(default)]
    pub host: Option<String>,
    /// URL path (default `/`).
    #[serde(default)]
    pub path: Option<String>,
    /// Request headers.
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
    /// Query-string parameters.
    #[serde(default)]
    pub query: BTreeMap<String, String>,
    /// Listener port (default: the client's).
    #[serde(default)]
    pub port: Option<u16>,
    /// Request size \[bytes\] (default 500).
    #[serde(default)]
    pub request_bytes: Option<u64>,
    /// Response size \[bytes\] (default 5000).
    #[serde(default)]
    pub response_bytes: Option<u64>,
    /// CPU time the target spends on the request.
    pub service_time: RawDistribution,
}

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

/// A listener.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawListener {
    /// Port, 1–65535.
    pub port: u32,
    /// `HTTP` or `HTTPS`.
    pub protocol: String,
    /// ALB-side TLS handshake time on a new HTTPS connection \[ms\] (default 2; an assumption).
    #[serde(default)]
    pub tls_handshake_ms: Option<f64>,
    /// Rules, evaluated by ascending priority.
    #[serde(default)]
    pub rules: Vec<RawRule>,
    /// The default rule's action.
    pub default_actions: Vec<RawAction>,
}

/// A listener rule.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRule {
    /// Priority, 1–50000, unique per listener; lowest first.
    pub priority: u32,
    /// Conditions; all must match.
    pub conditions: Vec<RawCondition>,
    /// The action taken when the rule matches.
    pub actions: Vec<RawAction>,
}

/// A rule condition (AWS `RuleCondition`).
#[derive(Debug)]
pub enum RawCondition {
    /// Path wildcards (`*`, `?`), case-sensitive.
    PathPattern(RawConditionPathPattern),

    /// Host wildcards, case-insensitive.
    HostHeader(RawConditionHostHeader),

    /// A header's value, wildcards, case-insensitive.
    HttpHeader(RawConditionHttpHeader),

    /// Request method, exact and case-sensitive.
    HttpRequestMethod(RawConditionHttpRequestMethod),

    /// Query-string key/value pairs, wildcards, case-insensitive.
    QueryString(RawConditionQueryString),

    /// Client source address in CIDR blocks.
    SourceIp(RawConditionSourceIp),
}

tagged_deserialize!(RawCondition, "field", {
    "path-pattern" => PathPattern,
    "host-header" => HostHeader,
    "http-header" => HttpHeader,
    "http-request-method" => HttpRequestMethod,
    "query-string" => QueryString,
    "source-ip" => SourceIp,
});

/// Path wildcards (`*`, `?`), case-sensitive.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawConditionPathPattern {
    /// Patterns, any may match.
    pub values: Vec<String>,
}

/// Host wildcards, case-insensitive.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawConditionHostHeader {
    /// Patterns, any may match.
    pub values: Vec<String>,
}

/// A header's value, wildcards, case-insensitive.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawConditionHttpHeader {
    /// Header name.
    pub http_header_name: String,
    /// Patterns, any may match.
    pub values: Vec<String>,
}

/// Request method, exact and case-sensitive.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawConditionHttpRequestMethod {
    /// Methods, any may match.
    pub values: Vec<String>,
}

/// Query-string key/value pairs, wildcards, case-insensitive.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawConditionQueryString {
    /// Pairs, any may match; a missing key matches any key.
    pub values: Vec<RawQueryPair>,
}

/// Client source address in CIDR blocks.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawConditionSourceIp {
    /// CIDR blocks, any may match.
    pub values: Vec<String>,
}

/// One `query-string` condition value.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawQueryPair {
    /// Key pattern (optional: any key).
    #[serde(default)]
    pub key: Option<String>,
    /// Value pattern.
    pub value: String,
}

/// A rule action (AWS `Action`).
#[derive(Debug)]
pub enum RawAction {
    /// Forward to one target group, or split by weight across several.
    Forward(RawActionForward),

    /// Redirect; the client follows it.
    Redirect(RawActionRedirect),

    /// Answer directly from the load balancer.
    FixedResponse(RawActionFixedResponse),
}

tagged_deserialize!(RawAction, "type", {
    "forward" => Forward,
    "redirect" => Redirect,
    "fixed-response" => FixedResponse,
});

/// Forward to one target group, or split by weight across several.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawActionForward {
    /// One target group.
    #[serde(default)]
    pub target_group: Option<String>,
    /// Several target groups with weights 0–999.
    #[serde(default)]
    pub target_groups: Option<Vec<RawWeightedGroup>>,
    /// Target-group-level stickiness of a weighted forward (AWS `TargetGroupStickinessConfig`).
    #[serde(default)]
    pub stickiness: Option<RawGroupStickiness>,
}

/// `TargetGroupStickinessConfig`: keep a session on the target group it was first sent to.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawGroupStickiness {
    /// `Enabled`.
    pub enabled: bool,
    /// `DurationSeconds`, 1–604800.
    #[serde(default)]
    pub duration_seconds: Option<AwsInt>,
}

/// Redirect; the client follows it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawActionRedirect {
    /// `HTTP` or `HTTPS` or `#{protocol}`.
    #[serde(default)]
    pub protocol: Option<String>,
    /// Port or `#{port}`.
    #[serde(default)]
    pub port: Option<String>,
    /// Host or `#{host}`.
    #[serde(default)]
    pub host: Option<String>,
    /// Path (`/#{path}` by default).
    #[serde(default)]
    pub path: Option<String>,
    /// Query (`#{query}` by default).
    #[serde(default)]
    pub query: Option<String>,
    /// `HTTP_301` or `HTTP_302`.
    pub status_code: String,
}

/// Answer directly from the load balancer.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawActionFixedResponse {
    /// 2XX, 4XX or 5XX code, as a string (`"503"`) or number.
    pub status_code: AwsInt,
    /// Content type (informational).
    #[serde(default)]
    pub content_type: Option<String>,
    /// Body (its length counts as response bytes).
    #[serde(default)]
    pub message_body: Option<String>,
}

/// One target group of a weighted forward.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawWeightedGroup {
    /// Target group name.
    pub name: String,
    /// Weight, 0–999.
    pub weight: u32,
}

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

/// An EC2 instance.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawInstance {
    /// Instance id (unique), e.g. `web-1` or `i-0abc…`.
    pub id: String,
    /// Instance type from the catalog, e.g. `t3.micro`.
    pub instance_type: String,
    /// Availability Zone, e.g. `us-east-1a`.
    pub availability_zone: String,
    /// Requests processed at once (default: the type's vCPUs).
    #[serde(default)]
    pub workers: Option<u32>,
    /// Requests that may wait for a worker before new ones are refused (default 1024).
    #[serde(default)]
    pub backlog: Option<u32>,
}

/// A user-defined instance type.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawInstanceType {
    /// Type name, e.g. `m7g.large`.
    pub name: String,
    /// vCPUs.
    pub vcpus: u32,
    /// Memory \[GiB\].
    pub memory_gib: f64,
    /// On-demand price [USD per hour].
    pub price_per_hour: f64,
}
