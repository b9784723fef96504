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
    RawArrival, RawArrivalAccessLog, RawArrivalConstant, RawArrivalDiurnal, RawArrivalPoisson,
    RawArrivalSchedule, RawArrivalSpike, RawArrivalUsers, RawArrivalWebsocket, RawProcess,
    RawServiceTimeSource, RawStep,
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
pub use super::sqs::{
    RawConsumer, RawHeartbeat, RawMessage, RawProducer, RawQueue, RawRedrivePolicy,
    RawRequestMessage, RawStaleDelete, RawSubscription, RawTopic,
};
pub use super::target_group::{RawTargetGroup, RawTgAttributes};
use super::values::DurationValue;
use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, Visitor};
use std::fmt;

/// The whole model file.
///
/// `clients`, `load_balancer` and `target_groups` are required unless the model writes
/// `producers` or `consumers` (a queue-and-workers model needs no load balancer); when required
/// and absent, the error is serde's own "missing required key".
#[derive(Debug)]
pub struct RawModel {
    /// Model name; the default output folder is `output/<name>/`.
    pub name: String,
    /// What the scenario shows, in prose.
    pub description: Option<String>,
    /// Simulated time to run, e.g. `"30m"` or `1800` \[s\].
    pub duration: DurationValue,
    /// Master seed of every random stream.
    pub seed: Option<u64>,
    /// Metric settings (CloudWatch period).
    pub metrics: Option<RawMetrics>,
    /// Traffic sources (empty when left out).
    pub clients: Vec<RawClient>,
    /// The Application Load Balancer (`None`: a model of queues and workers only).
    pub load_balancer: Option<RawLoadBalancer>,
    /// Target groups the listeners forward to (empty when left out).
    pub target_groups: Vec<RawTargetGroup>,
    /// EC2 instances that serve the target groups.
    pub instances: Vec<RawInstance>,
    /// Instance types added to (or overriding) the built-in catalog.
    pub instance_types: Vec<RawInstanceType>,
    /// Failures injected into the run.
    pub faults: Vec<RawFault>,
    /// Operations at given times (register, deregister).
    pub operations: Vec<RawOperation>,
    /// EC2 Auto Scaling groups.
    pub auto_scaling_groups: Vec<RawAutoScalingGroup>,
    /// CloudWatch alarms (for step and simple scaling policies).
    pub alarms: Vec<RawAlarm>,
    /// Amazon SQS queues (`AWS::SQS::Queue`).
    pub queues: Vec<RawQueue>,
    /// Amazon SNS topics and their subscriptions (`AWS::SNS::Topic`).
    pub topics: Vec<RawTopic>,
    /// Open-loop programs sending messages to a queue or publishing to a topic.
    pub producers: Vec<RawProducer>,
    /// Worker programs polling a queue.
    pub consumers: Vec<RawConsumer>,
    /// Whether `producers` or `consumers` was written (see [`RawModel::has_programs`]).
    programs_written: bool,
}

impl RawModel {
    /// Whether the model writes `producers` or `consumers`: then it needs no load balancer.
    pub fn has_programs(&self) -> bool {
        self.programs_written
    }
}

/// The keys of the model file, in the order serde reads and lists them (and the importer writes
/// them).
pub(crate) const MODEL_KEYS: &[&str] = &[
    "name",
    "description",
    "duration",
    "seed",
    "metrics",
    "clients",
    "load_balancer",
    "target_groups",
    "instances",
    "instance_types",
    "faults",
    "operations",
    "auto_scaling_groups",
    "alarms",
    "queues",
    "topics",
    "producers",
    "consumers",
];

/// A key that may be left out, remembering whether it was written. Unlike `Option`, a written
/// key is read as its own type (an error's placeholder stays "written"), and `null` is an error.
#[derive(Debug)]
struct Written<T>(Option<T>);

impl<T> Default for Written<T> {
    fn default() -> Self {
        Written(None)
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Written<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        T::deserialize(d).map(|t| Written(Some(t)))
    }
}

/// [`RawModel`] as serde reads it: the three load balancer keys may be absent.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawModelKeys {
    name: String,
    #[serde(default)]
    description: Option<String>,
    duration: DurationValue,
    #[serde(default)]
    seed: Option<u64>,
    #[serde(default)]
    metrics: Option<RawMetrics>,
    #[serde(default)]
    clients: Written<Vec<RawClient>>,
    #[serde(default)]
    load_balancer: Written<RawLoadBalancer>,
    #[serde(default)]
    target_groups: Written<Vec<RawTargetGroup>>,
    #[serde(default)]
    instances: Vec<RawInstance>,
    #[serde(default)]
    instance_types: Vec<RawInstanceType>,
    #[serde(default)]
    faults: Vec<RawFault>,
    #[serde(default)]
    operations: Vec<RawOperation>,
    #[serde(default)]
    auto_scaling_groups: Vec<RawAutoScalingGroup>,
    #[serde(default)]
    alarms: Vec<RawAlarm>,
    #[serde(default)]
    queues: Vec<RawQueue>,
    #[serde(default)]
    topics: Vec<RawTopic>,
    #[serde(default)]
    producers: Written<Vec<RawProducer>>,
    #[serde(default)]
    consumers: Written<Vec<RawConsumer>>,
}

impl RawModelKeys {
    /// The model, or the first load balancer key that is required and absent.
    fn into_model<E: de::Error>(self) -> Result<RawModel, E> {
        let programs_written = self.producers.0.is_some() || self.consumers.0.is_some();
        if !programs_written {
            if self.clients.0.is_none() {
                return Err(E::missing_field("clients"));
            }
            if self.load_balancer.0.is_none() {
                return Err(E::missing_field("load_balancer"));
            }
            if self.target_groups.0.is_none() {
                return Err(E::missing_field("target_groups"));
            }
        }
        Ok(RawModel {
            name: self.name,
            description: self.description,
            duration: self.duration,
            seed: self.seed,
            metrics: self.metrics,
            clients: self.clients.0.unwrap_or_default(),
            load_balancer: self.load_balancer.0,
            target_groups: self.target_groups.0.unwrap_or_default(),
            instances: self.instances,
            instance_types: self.instance_types,
            faults: self.faults,
            operations: self.operations,
            auto_scaling_groups: self.auto_scaling_groups,
            alarms: self.alarms,
            queues: self.queues,
            topics: self.topics,
            producers: self.producers.0.unwrap_or_default(),
            consumers: self.consumers.0.unwrap_or_default(),
            programs_written,
        })
    }
}

impl<'de> Deserialize<'de> for RawModel {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct ModelVisitor;
        impl<'de> Visitor<'de> for ModelVisitor {
            type Value = RawModel;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<RawModel, A::Error> {
                // Read in place (errors keep their paths), then check what only the whole
                // model can say: which keys are required.
                RawModelKeys::deserialize(de::value::MapAccessDeserializer::new(map))?.into_model()
            }
        }
        d.deserialize_struct("RawModel", MODEL_KEYS, ModelVisitor)
    }
}

/// Metric collection settings.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawMetrics {
    /// CloudWatch period of `timeseries.csv` rows (default 60 s).
    #[serde(default)]
    pub period: Option<DurationValue>,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The keys the model lists (in errors, and as placeholders after an error) are exactly the
    /// keys serde reads.
    #[test]
    fn model_keys_are_the_keys_serde_reads() {
        let e = serde_json::from_str::<RawModelKeys>(r#"{"zzz": 1}"#).unwrap_err();
        let listed: Vec<String> = MODEL_KEYS.iter().map(|k| format!("`{k}`")).collect();
        assert!(
            e.to_string().contains(&listed.join(", ")),
            "{e} vs {listed:?}"
        );
    }

    #[test]
    fn the_load_balancer_keys_are_optional_only_with_programs() {
        let read = |json: &str| serde_json::from_str::<RawModel>(json).map_err(|e| e.to_string());
        let e = read(r#"{"name": "m", "duration": 60}"#).unwrap_err();
        assert!(e.contains("missing field `clients`"), "{e}");
        let e = read(r#"{"name": "m", "duration": 60, "clients": []}"#).unwrap_err();
        assert!(e.contains("missing field `load_balancer`"), "{e}");
        let m = read(r#"{"name": "m", "duration": 60, "consumers": []}"#).unwrap();
        assert!(m.has_programs() && m.load_balancer.is_none() && m.clients.is_empty());
        let e = read(r#"{"name": "m", "duration": 60, "producers": [], "load_balancer": null}"#)
            .unwrap_err();
        assert!(e.contains("null"), "a written key is read as its type: {e}");
    }
}
