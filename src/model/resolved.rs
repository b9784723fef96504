//! The resolved, runnable model: what [`super::world::World`] runs.
//!
//! Built from a model file by `crate::scenario` (defaults applied, AWS ranges checked, names turned
//! into typed ids, routes precomputed); nothing here reads JSON.

use super::autoscaling::AsgSpec;
use super::client::ClientSpec;
use super::cloudwatch::AlarmSpec;
use super::fault::{FaultSpec, OperationSpec};
use super::instance::InstanceSpec;
use super::listener::ListenerSpec;
use super::route::RouteTable;
use super::sqs::Messaging;
use super::target_group::TargetGroupSpec;
use crate::engine::SimDuration;

/// A resolved, runnable model: every setting checked and defaulted, every name a typed id.
#[derive(Clone, Debug)]
pub struct Scenario {
    /// Model name.
    pub name: String,
    /// What the model shows.
    pub description: Option<String>,
    /// Simulated time.
    pub duration: SimDuration,
    /// When the load ends: the earliest time after which every open-loop client's rate stays at
    /// or below its final rate (a schedule's or spike's last way down); `None` for load that
    /// never comes down (steady rates, day curves, closed-loop users). See
    /// `summary.json`'s `load_ends_seconds`.
    pub load_ends: Option<SimDuration>,
    /// Master seed.
    pub seed: u64,
    /// CloudWatch metric period of `timeseries.csv` (default 60 s).
    pub period: SimDuration,
    /// Load balancer name.
    pub load_balancer: String,
    /// `idle_timeout.timeout_seconds` (default 60 s).
    pub idle_timeout: SimDuration,
    /// `client_keep_alive.seconds` (default 3600 s).
    pub client_keep_alive: SimDuration,
    /// Listeners.
    pub listeners: Vec<ListenerSpec>,
    /// The Availability Zones of the load balancer's nodes (`load_balancer.AvailabilityZones`),
    /// one node each; empty without a load balancer.
    pub zones: Vec<String>,
    /// Routes of every request type.
    pub routes: RouteTable,
    /// Clients.
    pub clients: Vec<ClientSpec>,
    /// Target groups.
    pub target_groups: Vec<TargetGroupSpec>,
    /// Instances.
    pub instances: Vec<InstanceSpec>,
    /// Injected failures.
    pub faults: Vec<FaultSpec>,
    /// Scheduled register/deregister operations.
    pub operations: Vec<OperationSpec>,
    /// Auto Scaling groups.
    pub auto_scaling_groups: Vec<AsgSpec>,
    /// CloudWatch alarms: the model's, and those target tracking policies create.
    pub alarms: Vec<AlarmSpec>,
    /// SQS queues, SNS topics, producers and worker programs.
    pub messaging: Messaging,
    /// Valid but suspicious settings, for `validate` and `run` to show.
    pub warnings: Vec<Warning>,
}

/// Something valid but suspicious in a model (an `at` beyond the run's end, zero think time, a rule
/// that can never match…): reported by `validate` and `run`, never fatal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Warning {
    /// JSON path, e.g. `faults[0].at`.
    pub path: String,
    /// What looks wrong and why it matters.
    pub message: String,
}

impl std::fmt::Display for Warning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}
