//! From the raw model to a runnable [`Scenario`]: defaults, AWS ranges, names → ids, routes.

use super::path::JsonPath;
use super::ranges::ranged;
use super::raw::{RawInstance, RawModel, RawTargetGroup, RawTgAttributes};
use super::{FieldError, FieldErrors, Scenario, limits, names};
use crate::engine::SimDuration;
use crate::model::catalog::{self, InstanceType};
use crate::model::client::ClientSpec;
use crate::model::fault::{FaultSpec, OperationSpec};
use crate::model::health::HealthCheckSpec;
use crate::model::ids::{InstanceId, TargetGroupId};
use crate::model::instance::InstanceSpec;
use crate::model::listener::ListenerSpec;
use crate::model::route::RouteTable;
use crate::model::target_group::{Algorithm, Stickiness, StickinessKind, TargetGroupSpec};
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

/// Keeps the value of `r`, or records its error.
fn keep<T>(errors: &mut Vec<FieldError>, r: Result<T, FieldError>) -> Option<T> {
    match r {
        Ok(v) => Some(v),
        Err(e) => {
            errors.push(e);
            None
        }
    }
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

    // Instance types: the catalog, then the model's own (which may override).
    let mut types: BTreeMap<String, InstanceType> = catalog::built_in()
        .into_iter()
        .map(|t| (t.name.clone(), t))
        .collect();
    for (i, t) in raw.instance_types.iter().enumerate() {
        let at = root.key("instance_types").index(i);
        keep(
            &mut errors,
            names::check_name(&t.name, &at.key("name"), "instance type name"),
        );
        if t.vcpus == 0 || t.vcpus > 448 {
            errors.push(
                at.key("vcpus")
                    .error(format!("expected 1–448 vCPUs, got {}", t.vcpus)),
            );
        }
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
        if let Some(spec) = keep(&mut errors, resolve_instance(inst, &at, &types)) {
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
        if let Some(spec) = keep(&mut errors, resolve_group(g, &at, &instance_ids)) {
            target_groups.push(spec);
        }
    }

    let lb = &raw.load_balancer;
    let lb_at = root.key("load_balancer");
    keep(
        &mut errors,
        names::check_name(&lb.name, &lb_at.key("name"), "load balancer name"),
    );
    let attrs = lb_at.key("attributes");
    let idle = keep(
        &mut errors,
        ranged(
            lb.attributes.idle_timeout_seconds.map(|v| v.0),
            &attrs.key("idle_timeout.timeout_seconds"),
            1,
            4000,
            60,
            "seconds",
        ),
    )
    .unwrap_or(60);
    let keep_alive = keep(
        &mut errors,
        ranged(
            lb.attributes.client_keep_alive_seconds.map(|v| v.0),
            &attrs.key("client_keep_alive.seconds"),
            60,
            604_800,
            3600,
            "seconds",
        ),
    )
    .unwrap_or(3600);
    if lb.listeners.is_empty() {
        errors.push(
            lb_at
                .key("listeners")
                .error("expected at least one listener"),
        );
    }
    let http2 = lb.attributes.http2_enabled.is_none_or(|b| b.0);
    let mut listeners: Vec<ListenerSpec> = Vec::with_capacity(lb.listeners.len());
    let mut listeners_ok = !lb.listeners.is_empty();
    for (i, l) in lb.listeners.iter().enumerate() {
        let at = lb_at.key("listeners").index(i);
        let Some(mut spec) = keep(&mut errors, ListenerSpec::resolve(l, &at, &group_ids)) else {
            listeners_ok = false;
            continue;
        };
        spec.http2 &= http2;
        if listeners.iter().any(|o| o.port == spec.port) {
            errors.push(
                at.key("port")
                    .error(format!("duplicate listener port {}", spec.port)),
            );
            listeners_ok = false;
        }
        listeners.push(spec);
    }

    if raw.clients.is_empty() {
        errors.push(root.key("clients").error("expected at least one client"));
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
        if listeners_ok {
            if let Some(spec) = keep(
                &mut errors,
                ClientSpec::resolve(c, &at, &listeners, &mut routes, run_length),
            ) {
                clients.push(spec);
            }
        }
    }
    if clients.len() == raw.clients.len() {
        keep(
            &mut errors,
            crate::model::client::check_population(&clients, &root.key("clients")),
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
            FaultSpec::resolve(f, &at, &located, &asg_zones),
        ) {
            faults.push(spec);
        }
    }
    let mut operations = Vec::with_capacity(raw.operations.len());
    for (i, o) in raw.operations.iter().enumerate() {
        let at = root.key("operations").index(i);
        if let Some(spec) = keep(
            &mut errors,
            OperationSpec::resolve(o, &at, &group_ids, &located),
        ) {
            operations.push(spec);
        }
    }

    let autoscaling = super::resolve_asg::resolve_autoscaling(
        &raw.auto_scaling_groups,
        &raw.alarms,
        &types,
        &group_ids,
        period,
    );
    let (auto_scaling_groups, alarms) = match autoscaling {
        Ok(v) => v,
        Err(e) => {
            errors.extend(e.0);
            (Vec::new(), Vec::new())
        }
    };
    if !errors.is_empty() {
        return Err(FieldErrors(errors));
    }

    let mut scenario = Scenario {
        name: raw.name.clone(),
        description: raw.description.clone(),
        duration: run_length,
        seed: raw.seed.unwrap_or(1),
        period,
        load_balancer: lb.name.clone(),
        idle_timeout: SimDuration::from_secs(idle as u64),
        client_keep_alive: SimDuration::from_secs(keep_alive as u64),
        listeners,
        routes,
        clients,
        target_groups,
        instances,
        faults,
        operations,
        auto_scaling_groups,
        alarms,
        warnings: Vec::new(),
    };
    if let Some(e) = limits::check_series(&scenario) {
        return Err(e.into());
    }
    scenario.warnings = super::lint::warnings(&scenario, raw);
    Ok(scenario)
}

fn resolve_instance(
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
    let workers = raw.workers.unwrap_or(t.vcpus);
    if !(1..=100_000).contains(&workers) {
        return Err(at
            .key("workers")
            .error(format!("expected 1–100000 workers, got {workers}")));
    }
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
    })
}

fn resolve_group(
    raw: &RawTargetGroup,
    at: &JsonPath,
    instance_ids: &BTreeMap<String, InstanceId>,
) -> Result<TargetGroupSpec, FieldError> {
    let port = u16::try_from(raw.port)
        .ok()
        .filter(|&p| p >= 1)
        .ok_or_else(|| {
            at.key("port")
                .error(format!("expected a port in 1–65535, got {}", raw.port))
        })?;
    if !matches!(raw.protocol.as_str(), "HTTP" | "HTTPS") {
        return Err(at.key("protocol").error(format!(
            "expected \"HTTP\" or \"HTTPS\", got {:?}",
            raw.protocol
        )));
    }
    let algorithm = Algorithm::parse(
        raw.attributes.algorithm.as_deref(),
        &at.key("attributes").key("load_balancing.algorithm.type"),
    )?;
    let mut targets = Vec::with_capacity(raw.targets.len());
    for (i, t) in raw.targets.iter().enumerate() {
        let id = instance_ids.get(t).copied().ok_or_else(|| {
            at.key("targets").index(i).error(format!(
                "no instance with id {t:?} (define it under \"instances\")"
            ))
        })?;
        if targets.contains(&id) {
            return Err(at
                .key("targets")
                .index(i)
                .error(format!("instance {t:?} is registered twice")));
        }
        targets.push(id);
    }
    let attrs = at.key("attributes");
    let delay = ranged(
        raw.attributes.deregistration_delay_seconds.map(|v| v.0),
        &attrs.key("deregistration_delay.timeout_seconds"),
        0,
        3600,
        300,
        "seconds",
    )?;
    let min_healthy = ranged(
        raw.attributes.minimum_healthy_targets.map(|v| v.0),
        &attrs.key("target_group_health.unhealthy_state_routing.minimum_healthy_targets.count"),
        1,
        1000,
        1,
        "targets",
    )?;
    let slow_start = raw.attributes.slow_start_seconds.map_or(0, |v| v.0);
    let slow_at = attrs.key("slow_start.duration_seconds");
    if slow_start != 0 && !(30..=900).contains(&slow_start) {
        return Err(slow_at.error(format!(
            "expected 0 (off) or 30–900 seconds, got {slow_start}"
        )));
    }
    if slow_start != 0 && algorithm != Algorithm::RoundRobin {
        return Err(slow_at.error(format!(
            "slow start cannot be used with {} (AWS allows it with round_robin only)",
            algorithm.as_str()
        )));
    }
    let stickiness = resolve_stickiness(&raw.attributes, &attrs, algorithm)?;
    Ok(TargetGroupSpec {
        name: raw.name.clone(),
        port,
        algorithm,
        targets,
        health: HealthCheckSpec::resolve(&raw.health_check, &at.key("health_check"))?,
        deregistration_delay: SimDuration::from_secs(delay as u64),
        minimum_healthy_targets: min_healthy as u32,
        slow_start: SimDuration::from_secs(slow_start as u64),
        stickiness,
    })
}

fn resolve_stickiness(
    a: &RawTgAttributes,
    at: &JsonPath,
    algorithm: Algorithm,
) -> Result<Option<Stickiness>, FieldError> {
    let kind_at = at.key("stickiness.type");
    let enabled = a.stickiness_enabled.is_some_and(|b| b.0);
    let kind = match a.stickiness_type.as_deref() {
        None | Some("lb_cookie") => "lb_cookie",
        Some("app_cookie") => "app_cookie",
        Some(other) => {
            return Err(kind_at.error(format!(
                "expected \"lb_cookie\" or \"app_cookie\", got {other:?}"
            )));
        }
    };
    let lb = ranged(
        a.lb_cookie_duration_seconds.map(|v| v.0),
        &at.key("stickiness.lb_cookie.duration_seconds"),
        1,
        604_800,
        86_400,
        "seconds",
    )?;
    let app = ranged(
        a.app_cookie_duration_seconds.map(|v| v.0),
        &at.key("stickiness.app_cookie.duration_seconds"),
        1,
        604_800,
        86_400,
        "seconds",
    )?;
    if !enabled {
        return Ok(None);
    }
    if algorithm == Algorithm::WeightedRandom {
        return Err(at.key("stickiness.enabled").error("sticky sessions cannot be used with weighted_random (AWS does not support the combination)"));
    }
    Ok(Some(match kind {
        "lb_cookie" => Stickiness {
            kind: StickinessKind::LbCookie,
            duration: SimDuration::from_secs(lb as u64),
        },
        _ => {
            let name_at = at.key("stickiness.app_cookie.cookie_name");
            let name = a.app_cookie_name.clone().ok_or_else(|| {
                name_at.error("app_cookie stickiness needs the application's cookie name")
            })?;
            if name.is_empty()
                || ["AWSALB", "AWSALBAPP", "AWSALBTG"]
                    .iter()
                    .any(|p| name.starts_with(p))
            {
                return Err(name_at.error(format!("expected a cookie name not starting with AWSALB, AWSALBAPP or AWSALBTG (reserved), got {name:?}")));
            }
            Stickiness {
                kind: StickinessKind::AppCookie { cookie_name: name },
                duration: SimDuration::from_secs(app as u64),
            }
        }
    }))
}
