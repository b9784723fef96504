//! EC2 instances and instance types as written, and their resolution into [`InstanceSpec`]s
//! against the built-in catalog (which the model's own `instance_types` extend or override).

use super::path::JsonPath;
use super::ranges::count_in;
use super::{FieldError, keep, names};
use crate::model::catalog::{self, InstanceType};
use crate::model::instance::InstanceSpec;
use serde::Deserialize;
use std::collections::BTreeMap;

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

/// The instance types a model can use: the built-in catalog, then the model's own
/// `instance_types` (which may override a built-in one); problems are added to `errors`.
pub(super) fn instance_types(
    raw: &[RawInstanceType],
    errors: &mut Vec<FieldError>,
) -> BTreeMap<String, InstanceType> {
    let mut types: BTreeMap<String, InstanceType> = catalog::built_in()
        .into_iter()
        .map(|t| (t.name.clone(), t))
        .collect();
    for (i, t) in raw.iter().enumerate() {
        let at = JsonPath::root().key("instance_types").index(i);
        keep(
            errors,
            names::check_name(&t.name, &at.key("name"), "instance type name"),
        );
        keep(errors, count_in(t.vcpus, &at.key("vcpus"), 1, 448, "vCPUs"));
        if !(t.price_per_hour.is_finite() && t.price_per_hour >= 0.0) {
            errors.push(
                at.key("price_per_hour")
                    .error("expected a price in USD per hour ≥ 0"),
            );
        }
        if !(t.memory_gib.is_finite() && t.memory_gib > 0.0) {
            errors.push(at.key("memory_gib").error("expected memory in GiB above 0"));
        }
        // Kept even when wrong, so instances of this type are not reported as unknown.
        types.insert(
            t.name.clone(),
            InstanceType {
                name: t.name.clone(),
                vcpus: t.vcpus,
                memory_gib: t.memory_gib,
                price_per_hour: t.price_per_hour,
            },
        );
    }
    types
}

/// Resolves the instance at `at` against the instance `types`.
pub(super) fn resolve_instance(
    raw: &RawInstance,
    at: &JsonPath,
    types: &BTreeMap<String, InstanceType>,
) -> Result<InstanceSpec, FieldError> {
    let t = types.get(&raw.instance_type).ok_or_else(|| {
        at.key("instance_type").error(format!(
            "unknown instance type {:?}; built in: t2/t3 nano…2xlarge, m5/c5 large…4xlarge, r5, m6i, c6i (add your own under \"instance_types\")",
            raw.instance_type
        ))
    })?;
    if raw.availability_zone.is_empty() {
        return Err(at
            .key("availability_zone")
            .error("expected an Availability Zone such as \"us-east-1a\""));
    }
    names::check_name(
        &raw.availability_zone,
        &at.key("availability_zone"),
        "Availability Zone",
    )?;
    let workers = workers(raw.workers.unwrap_or(t.vcpus), &at.key("workers"))?;
    let backlog = raw.backlog.unwrap_or(1024);
    if backlog > 10_000_000 {
        return Err(at.key("backlog").error(format!(
            "expected a backlog of 0–10000000 requests, got {backlog}"
        )));
    }
    Ok(InstanceSpec {
        id: raw.id.clone(),
        instance_type: t.name.clone(),
        availability_zone: raw.availability_zone.clone(),
        vcpus: t.vcpus,
        workers,
        backlog,
        price_per_hour: t.price_per_hour,
        pollers: 0,
    })
}

/// Workers of an instance (or of a launch template's instances) at `at`: 1–100000.
pub(super) fn workers(n: u32, at: &JsonPath) -> Result<u32, FieldError> {
    count_in(n, at, 1, 100_000, "workers")
}
