//! `AWS::EC2::Instance` (instance type, Availability Zone) and the instances a target group
//! names only by id → `instances[]`.

use super::{Ctx, INSTANCE, SUBNET, defaults};
use crate::import::cloudformation::ImportError;
use serde_json::{Value as Json, json};

/// The template's instances, then those only named in `Targets`.
pub fn map_all(cx: &mut Ctx<'_>) -> Result<Vec<Json>, ImportError> {
    let mut out = Vec::new();
    let subnets = cx.ids(SUBNET);
    let instances: Vec<_> = cx.of_type(INSTANCE).collect();
    for r in instances {
        let p = cx.props(r);
        let at = format!("instances[{}]", out.len());
        let instance_type = match p.str_of("InstanceType")? {
            Some(t) => t,
            None => {
                cx.assume(
                    &format!("{at}.instance_type"),
                    &format!("{:?}: the template gives no InstanceType, and AWS's default, m1.small, is a previous-generation type albsim's catalog does not have", defaults::INSTANCE_TYPE),
                );
                defaults::INSTANCE_TYPE.to_string()
            }
        };
        let subnet = p.get("SubnetId").or_else(|| {
            p.get("NetworkInterfaces")
                .and_then(|n| n.items().ok())
                .and_then(|items| items.into_iter().next())
                .and_then(|first| first.get("SubnetId"))
        });
        let mut zone = p.str_of("AvailabilityZone")?;
        if zone.is_none()
            && let Some(s) = subnet
            && let Some(sub) = s.reference(&subnets).and_then(|id| cx.find(&id))
        {
            zone = cx.props(sub).str_of("AvailabilityZone")?;
        }
        let zone = match zone {
            Some(z) => z,
            None => {
                let z = defaults::zone(&cx.region, out.len());
                cx.assume(
                    &format!("{at}.availability_zone"),
                    &format!("{z:?} (the template does not say)"),
                );
                z
            }
        };
        cx.assume(
            &format!("{at}.workers"),
            "left out: one worker (request processed at once) per vCPU of the instance type",
        );
        out.push(json!({ "id": r.logical_id, "instance_type": instance_type, "availability_zone": zone }));
    }
    for (i, id) in cx.external_instances.clone().into_iter().enumerate() {
        let at = format!("instances[{}]", out.len());
        let zone = defaults::zone(&cx.region, i);
        cx.assume(
            &at,
            &format!(
                "instance {id} is named by id only: instance_type {:?} and availability_zone {zone:?} are assumed, one worker per vCPU",
                defaults::INSTANCE_TYPE
            ),
        );
        out.push(json!({ "id": id, "instance_type": defaults::INSTANCE_TYPE, "availability_zone": zone }));
    }
    Ok(out)
}
