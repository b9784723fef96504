//! From the raw model to a runnable [`Scenario`]: defaults, AWS ranges, names → ids, routes.

use super::path::JsonPath;
use super::raw::RawModel;
use super::{FieldError, FieldErrors, Scenario, keep, limits, names};
use crate::engine::SimDuration;
use crate::model::client::Load;
use crate::model::ids::{InstanceId, TargetGroupId};
use crate::model::route::RouteTable;
use std::collections::{BTreeMap, BTreeSet};

/// Longest simulated run accepted: one year (the limit every time in the model obeys).
const MAX_DURATION_SECS: u64 = super::timing::MAX_TIME_SECS;

fn unique_name<'a>(
    seen: &mut BTreeSet<&'a str>,
    name: &'a str,
    path: &JsonPath,
    what: &str,
) -> Result<(), FieldError> {
    names::check_name(name, path, what)?;
    if !seen.insert(name) {
        return Err(path.error(format!("duplicate {what} {name:?}")));
    }
    Ok(())
}

/// Resolves a raw model, reporting every problem found (in model order).
///
/// Each list element and section is checked even when an earlier one failed. A failed element
/// keeps its name, so references to it are not reported too. Clients are checked only when every
/// listener resolved (their routes are computed through the listeners' rules).
pub fn resolve(raw: &RawModel) -> Result<Scenario, FieldErrors> {
    let mut errors = Vec::new();
    let root = JsonPath::root();
    keep(
        &mut errors,
        names::check_model_name(&raw.name, &root.key("name")),
    );
    let duration = raw.duration.0;
    // The 366-day limit and its wording are those of every time in the model; a run is also at
    // least 1 s long.
    let duration_at = root.key("duration");
    match super::timing::time_value(duration, &duration_at) {
        Ok(d) if d < SimDuration::from_secs(1) => errors.push(duration_at.error(format!(
            "expected a duration from 1 s to {}, got {} s",
            super::timing::MAX_TIME_WORDS,
            super::number::readable(duration.as_secs_f64())
        ))),
        Ok(_) => {}
        Err(e) => errors.push(e),
    }
    let run_length = SimDuration(duration.as_nanos().min(u128::from(u64::MAX)) as u64);
    let period = match raw.metrics.as_ref().and_then(|m| m.period) {
        None => SimDuration::from_secs(60),
        Some(p) => {
            let secs = p.0.as_secs_f64();
            let ok = [1.0, 5.0, 10.0, 30.0].contains(&secs)
                || (secs >= 60.0
                    && p.0.as_secs() % 60 == 0
                    && p.0.subsec_nanos() == 0
                    && p.0.as_secs() <= MAX_DURATION_SECS);
            if ok {
                SimDuration::from_secs_f64(secs)
            } else {
                errors.push(root.key("metrics").key("period").error(format!(
                    "expected a CloudWatch period: 1, 5, 10 or 30 s, or a multiple of 60 s, got {secs} s"
                )));
                SimDuration::from_secs(60)
            }
        }
    };
    limits::check_counts(raw, &mut errors);

    let types = super::instance::instance_types(&raw.instance_types, &mut errors);

    let mut seen = BTreeSet::new();
    let mut instance_ids = BTreeMap::new();
    let mut instances = Vec::with_capacity(raw.instances.len());
    for (i, inst) in raw.instances.iter().enumerate() {
        let at = root.key("instances").index(i);
        keep(
            &mut errors,
            unique_name(&mut seen, &inst.id, &at.key("id"), "instance id"),
        );
        // Known even when wrong, so references to it are not reported as well.
        instance_ids
            .entry(inst.id.clone())
            .or_insert(InstanceId(i as u32));
        if let Some(spec) = keep(
            &mut errors,
            super::instance::resolve_instance(inst, &at, &types),
        ) {
            instances.push(spec);
        }
    }

    let mut seen = BTreeSet::new();
    let mut group_ids = BTreeMap::new();
    let mut target_groups = Vec::with_capacity(raw.target_groups.len());
    for (i, g) in raw.target_groups.iter().enumerate() {
        let at = root.key("target_groups").index(i);
        keep(
            &mut errors,
            unique_name(&mut seen, &g.name, &at.key("name"), "target group name"),
        );
        group_ids
            .entry(g.name.clone())
            .or_insert(TargetGroupId(i as u32));
        if let Some(spec) = keep(
            &mut errors,
            super::target_group::resolve_target_group(g, &at, &instance_ids),
        ) {
            target_groups.push(spec);
        }
    }

    // Queues and topics first: request types, producers and workers refer to them.
    let destinations = super::sqs::resolve_destinations(raw, &mut errors);

    let balancer = match &raw.load_balancer {
        Some(lb) => super::load_balancer::resolve_load_balancer(lb, &group_ids, &mut errors),
        None => {
            // Only a model with producers or consumers may leave it out (see RawModel).
            if !raw.clients.is_empty() {
                errors.push(root.key("clients").error(
                    "clients send their requests to a load balancer, and the model has none: add \"load_balancer\" (and \"target_groups\"), or leave clients out for a model of queues and workers",
                ));
            }
            // AWS's default attributes, and no listeners.
            super::load_balancer::LoadBalancer {
                idle_timeout: SimDuration::from_secs(60),
                client_keep_alive: SimDuration::from_secs(3600),
                listeners: Vec::new(),
                listeners_ok: false,
            }
        }
    };
    let (listeners, listeners_ok) = (balancer.listeners, balancer.listeners_ok);
    let zones = keep(&mut errors, super::zones::resolve_zones(raw)).unwrap_or_default();

    if raw.clients.is_empty() {
        if !raw.has_programs() {
            errors.push(root.key("clients").error("expected at least one client"));
        } else if raw.producers.is_empty() {
            errors.push(root.key("producers").error(
                "expected at least one client or producer: without either nothing sends requests or messages",
            ));
        }
    }
    let mut routes = RouteTable::default();
    let mut seen = BTreeSet::new();
    let mut clients = Vec::with_capacity(raw.clients.len());
    for (i, c) in raw.clients.iter().enumerate() {
        let at = root.key("clients").index(i);
        keep(
            &mut errors,
            unique_name(&mut seen, &c.name, &at.key("name"), "client name"),
        );
        for (r, t) in c.requests.iter().enumerate() {
            let t_at = at.key("requests").index(r).key("name");
            keep(
                &mut errors,
                names::check_name(&t.name, &t_at, "request type name"),
            );
        }
        // Checked whatever becomes of the client, so every problem is reported.
        let messages: Vec<_> = c
            .requests
            .iter()
            .enumerate()
            .map(|(r, t)| {
                let m_at = at.key("requests").index(r).key("messages");
                super::sqs::request_messages(&t.messages, &m_at, &destinations, &mut errors)
            })
            .collect();
        if listeners_ok {
            if let Some(mut spec) = keep(
                &mut errors,
                super::client::resolve_client(c, &at, &listeners, &mut routes, run_length),
            ) {
                for (t, m) in spec.types.iter_mut().zip(messages) {
                    t.messages = m;
                }
                if let Some(shares) = &c.zone_shares {
                    let at = at.key("zone_shares");
                    spec.zone_weights = keep(
                        &mut errors,
                        super::client::zone_weights(shares, &zones, &at),
                    );
                }
                clients.push(spec);
            }
        }
    }
    if clients.len() == raw.clients.len() {
        keep(
            &mut errors,
            super::client::check_population(&clients, &root.key("clients")),
        );
    }

    // Faults and operations refer to instances by id: the raw list, so an instance that failed
    // to resolve is still known.
    let located: BTreeMap<String, (InstanceId, String)> = raw
        .instances
        .iter()
        .enumerate()
        .map(|(i, inst)| {
            (
                inst.id.clone(),
                (InstanceId(i as u32), inst.availability_zone.clone()),
            )
        })
        .collect();
    let asg_zones: Vec<(String, Vec<String>)> = raw
        .auto_scaling_groups
        .iter()
        .map(|g| (g.name.clone(), g.availability_zones.clone()))
        .collect();
    let mut faults = Vec::with_capacity(raw.faults.len());
    for (i, f) in raw.faults.iter().enumerate() {
        let at = root.key("faults").index(i);
        if let Some(spec) = keep(
            &mut errors,
            super::fault::resolve_fault(f, &at, &located, &asg_zones),
        ) {
            faults.push(spec);
        }
    }
    let mut operations = Vec::with_capacity(raw.operations.len());
    for (i, o) in raw.operations.iter().enumerate() {
        let at = root.key("operations").index(i);
        if let Some(spec) = keep(
            &mut errors,
            super::fault::resolve_operation(o, &at, &group_ids, &located),
        ) {
            operations.push(spec);
        }
    }

    let autoscaling = super::autoscaling::resolve_autoscaling(
        &raw.auto_scaling_groups,
        &raw.alarms,
        &types,
        &group_ids,
        &super::alarm::MessagingNames::new(
            raw.queues.iter().map(|q| q.name.as_str()),
            raw.topics.iter().map(|t| t.name.as_str()),
        ),
        period,
    );
    let (auto_scaling_groups, alarms) = match autoscaling {
        Ok(v) => v,
        Err(e) => {
            errors.extend(e.0);
            (Vec::new(), Vec::new())
        }
    };
    let messaging = super::sqs::resolve_messaging(
        raw,
        destinations,
        &instance_ids,
        run_length.as_secs_f64(),
        &mut errors,
    );
    if !errors.is_empty() {
        return Err(FieldErrors(errors));
    }

    // Producers are load too: a burst of orders ends like a burst of requests.
    let producer_loads: Vec<Load> = messaging
        .producers
        .iter()
        .map(|p| Load::Open(p.arrival.clone()))
        .collect();
    let arrivals: Vec<_> = (raw.clients.iter().map(|c| &c.arrival))
        .chain(raw.producers.iter().map(|p| &p.arrival))
        .collect();
    let loads: Vec<_> = (clients.iter().map(|c| &c.load))
        .chain(producer_loads.iter())
        .collect();
    let load_ends = super::load_end::load_ends(&arrivals, &loads);
    let mut scenario = Scenario {
        name: raw.name.clone(),
        description: raw.description.clone(),
        duration: run_length,
        load_ends,
        seed: raw.seed.unwrap_or(1),
        period,
        load_balancer: raw
            .load_balancer
            .as_ref()
            .map_or_else(String::new, |lb| lb.name.clone()),
        idle_timeout: balancer.idle_timeout,
        client_keep_alive: balancer.client_keep_alive,
        listeners,
        zones,
        routes,
        clients,
        target_groups,
        instances,
        faults,
        operations,
        auto_scaling_groups,
        alarms,
        messaging,
        warnings: Vec::new(),
    };
    if let Some(e) = limits::check_series(&scenario) {
        return Err(e.into());
    }
    scenario.warnings = super::lint::warnings(&scenario, raw);
    Ok(scenario)
}
