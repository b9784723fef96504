//! The load balancer's Availability Zones (`load_balancer.AvailabilityZones`): one load balancer
//! node in each. Left out, they are every zone the model's instances and Auto Scaling groups are
//! in, so a model written before nodes existed keeps its meaning.

use super::FieldError;
use super::path::JsonPath;
use super::raw::RawModel;
use std::collections::BTreeSet;

/// Most zones a load balancer is enabled in (a Region has at most a handful).
const MAX_ZONES: usize = 16;

/// The zones of the load balancer's nodes, in the order written (default: sorted); every
/// instance's and group's zone must be one of them.
pub(super) fn resolve_zones(raw: &RawModel) -> Result<Vec<String>, FieldError> {
    let Some(lb) = &raw.load_balancer else {
        return Ok(Vec::new());
    };
    let used: BTreeSet<&str> = (raw.instances.iter())
        .map(|i| i.availability_zone.as_str())
        .chain(
            (raw.auto_scaling_groups.iter())
                .flat_map(|g| g.availability_zones.iter().map(String::as_str)),
        )
        .collect();
    let at = JsonPath::root()
        .key("load_balancer")
        .key("AvailabilityZones");
    let zones: Vec<String> = match &lb.availability_zones {
        None => used.iter().map(|z| z.to_string()).collect(),
        Some(list) => {
            if list.is_empty() || list.len() > MAX_ZONES {
                return Err(at.error(format!(
                    "expected 1–{MAX_ZONES} Availability Zones, got {}",
                    list.len()
                )));
            }
            for (i, z) in list.iter().enumerate() {
                if list[..i].contains(z) {
                    return Err(at.index(i).error(format!("zone {z:?} is listed twice")));
                }
            }
            list.clone()
        }
    };
    if zones.len() > MAX_ZONES {
        return Err(at.error(format!(
            "the model's instances and Auto Scaling groups are in {} zones; a load balancer has at most {MAX_ZONES} nodes",
            zones.len()
        )));
    }
    let enabled = |z: &str| zones.iter().any(|e| e == z);
    let listed = || zones.join(", ");
    for (i, inst) in raw.instances.iter().enumerate() {
        if !enabled(&inst.availability_zone) {
            return Err(JsonPath::root()
                .key("instances")
                .index(i)
                .key("availability_zone")
                .error(format!(
                    "{:?} is not one of the load balancer's Availability Zones ({}): AWS sends no traffic to a target there (Target.NotInUse), which albsim does not model; add the zone to load_balancer.AvailabilityZones or move the instance",
                    inst.availability_zone,
                    listed()
                )));
        }
    }
    for (i, g) in raw.auto_scaling_groups.iter().enumerate() {
        if let Some((k, z)) = (g.availability_zones.iter().enumerate()).find(|(_, z)| !enabled(z)) {
            return Err(JsonPath::root()
                .key("auto_scaling_groups")
                .index(i)
                .key("AvailabilityZones")
                .index(k)
                .error(format!(
                    "{z:?} is not one of the load balancer's Availability Zones ({}): AWS sends no traffic to targets there (Target.NotInUse), which albsim does not model; add the zone to load_balancer.AvailabilityZones",
                    listed()
                )));
        }
    }
    Ok(zones)
}
