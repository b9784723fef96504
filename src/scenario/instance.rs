//! EC2 instances and instance types as written, and their resolution into [`InstanceSpec`]s
//! against the built-in catalog (which the model's own `instance_types` extend or override).

use serde::Deserialize;

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
