//! Warnings: settings that are valid but almost certainly not what the model's author meant.
//!
//! Computed from the resolved [`Scenario`] (which already reflects `--duration`) and the raw
//! model (for JSON paths). Each check is sound: it warns only when the situation is certain
//! (an `at` that the run never reaches, a rule that no request can reach), never on a guess.

use super::path::JsonPath;
use super::raw::{RawAction, RawArrival, RawCondition, RawModel, RawRule};
use super::{Scenario, Warning};
use crate::engine::human::human_duration;
use crate::model::client::Load;
use std::collections::BTreeSet;
use std::time::Duration;

/// Every warning for `sc` (resolved from `raw`), in model order.
pub(super) fn warnings(sc: &Scenario, raw: &RawModel) -> Vec<Warning> {
    let mut out = Vec::new();
    late_times(sc, raw, &mut out);
    zero_think_time(sc, raw, &mut out);
    unreachable_rules(sc, raw, &mut out);
    unreached_groups(raw, &mut out);
    idle_instances(raw, &mut out);
    per_instance_from_zero(sc, &mut out);
    idle_mitigation_settings(sc, raw, &mut out);
    super::sqs::lint::warnings(sc, &mut out);
    out.extend(super::arrival::replay::warnings(sc));
    out
}

fn warn(out: &mut Vec<Warning>, at: JsonPath, message: String) {
    out.push(Warning {
        path: at.to_string(),
        message,
    });
}

/// `anomaly_detection`'s mitigation settings on a group that does not mitigate (its algorithm
/// is not `weighted_random` with `load_balancing.algorithm.anomaly_mitigation` on): they change
/// nothing (detection's own settings still apply).
fn idle_mitigation_settings(sc: &Scenario, raw: &RawModel, out: &mut Vec<Warning>) {
    for (g, (raw_g, spec)) in raw.target_groups.iter().zip(&sc.target_groups).enumerate() {
        let Some(a) = raw_g.anomaly_detection.as_ref() else {
            continue;
        };
        if spec.anomaly.mitigation {
            continue;
        }
        let given = [
            ("reduction", a.reduction.is_some()),
            ("minimum_weight", a.minimum_weight.is_some()),
            ("recovery_step", a.recovery_step.is_some()),
            (
                "max_mitigated_percentage",
                a.max_mitigated_percentage.is_some(),
            ),
        ];
        for (key, _) in given.iter().filter(|(_, set)| *set) {
            let at = JsonPath::root()
                .key("target_groups")
                .index(g)
                .key("anomaly_detection")
                .key(key);
            warn(
                out,
                at,
                format!(
                    "{key} applies to anomaly mitigation, which this group does not do (it needs load_balancing.algorithm.type \"weighted_random\" and load_balancing.algorithm.anomaly_mitigation \"on\"): it changes nothing"
                ),
            );
        }
    }
}

/// `at` values at or beyond the end of the run.
fn late_times(sc: &Scenario, raw: &RawModel, out: &mut Vec<Warning>) {
    let end = Duration::from_nanos(sc.duration.0);
    let run = human_duration(sc.duration.as_secs_f64());
    let check = |out: &mut Vec<Warning>, at: JsonPath, when: Duration, what: &str| {
        if when >= end {
            warn(
                out,
                at,
                format!(
                    "{what} at {} is never reached in a {run} run",
                    human_duration(when.as_secs_f64())
                ),
            );
        }
    };
    let root = JsonPath::root();
    for (i, f) in raw.faults.iter().enumerate() {
        if let Some(at) = f.at {
            check(
                out,
                root.key("faults").index(i).key("at"),
                at.0,
                "this fault",
            );
        }
    }
    for (i, o) in raw.operations.iter().enumerate() {
        check(
            out,
            root.key("operations").index(i).key("at"),
            o.at.0,
            "this operation",
        );
    }
    for (a, g) in raw.auto_scaling_groups.iter().enumerate() {
        for (s, action) in g.scheduled_actions.iter().enumerate() {
            let at = root
                .key("auto_scaling_groups")
                .index(a)
                .key("ScheduledActions")
                .index(s)
                .key("at");
            check(out, at, action.at.0, "this scheduled action");
        }
    }
    for (c, client) in raw.clients.iter().enumerate() {
        let arrival = root.key("clients").index(c).key("arrival");
        match &client.arrival {
            RawArrival::Schedule(s) => {
                for (i, step) in s.steps.iter().enumerate() {
                    let at = arrival.key("steps").index(i).key("at");
                    check(out, at, step.at.0, "this rate step");
                }
            }
            RawArrival::Spike(s) => check(out, arrival.key("at"), s.at.0, "the spike"),
            _ => {}
        }
    }
}

/// Closed-loop users whose think time is always zero.
fn zero_think_time(sc: &Scenario, raw: &RawModel, out: &mut Vec<Warning>) {
    for (i, c) in sc.clients.iter().enumerate() {
        if let Load::Users { think, .. } = &c.load {
            if think.mean_ns() == 0.0 {
                let name = raw.clients.get(i).map_or("", |c| c.name.as_str());
                warn(
                    out,
                    JsonPath::root()
                        .key("clients")
                        .index(i)
                        .key("arrival")
                        .key("think_time"),
                    format!(
                        "the think time of client {name:?} is always zero: users send their next request the instant they get an answer; if the answer is instant (a fixed response, an empty target group) the run cannot advance"
                    ),
                );
            }
        }
    }
}

/// The values of a condition as comparable strings, with its kind (and header name).
fn condition_key(c: &RawCondition) -> (String, BTreeSet<String>) {
    let set = |v: &[String]| v.iter().cloned().collect::<BTreeSet<_>>();
    match c {
        RawCondition::PathPattern(p) => ("path-pattern".into(), set(&p.values)),
        RawCondition::HostHeader(h) => (
            "host-header".into(),
            h.values.iter().map(|v| v.to_ascii_lowercase()).collect(),
        ),
        RawCondition::HttpHeader(h) => (
            format!("http-header:{}", h.http_header_name.to_ascii_lowercase()),
            h.values.iter().map(|v| v.to_ascii_lowercase()).collect(),
        ),
        RawCondition::HttpRequestMethod(m) => ("http-request-method".into(), set(&m.values)),
        RawCondition::QueryString(q) => (
            "query-string".into(),
            q.values
                .iter()
                .map(|p| {
                    format!(
                        "{}={}",
                        p.key.as_deref().unwrap_or("*").to_ascii_lowercase(),
                        p.value.to_ascii_lowercase()
                    )
                })
                .collect(),
        ),
        RawCondition::SourceIp(s) => ("source-ip".into(), set(&s.values)),
    }
}

/// True if every request `later` matches is also matched by `earlier`: each of `earlier`'s
/// conditions is also in `later` (same kind) with a subset of its values, or is a `*` path or
/// host pattern.
fn covers(earlier: &RawRule, later: &RawRule) -> bool {
    let later_keys: Vec<_> = later.conditions.iter().map(condition_key).collect();
    earlier
        .conditions
        .iter()
        .map(condition_key)
        .all(|(kind, values)| {
            let matches_all =
                values.contains("*") && matches!(kind.as_str(), "path-pattern" | "host-header");
            matches_all
                || later_keys
                    .iter()
                    .any(|(k, v)| *k == kind && v.is_subset(&values))
        })
}

/// Rules shadowed by an earlier rule, and rules that no client's request reaches.
fn unreachable_rules(sc: &Scenario, raw: &RawModel, out: &mut Vec<Warning>) {
    let lb = JsonPath::root().key("load_balancer").key("listeners");
    let Some(balancer) = &raw.load_balancer else {
        return;
    };
    for (l, listener) in balancer.listeners.iter().enumerate() {
        let mut by_priority: Vec<(usize, &RawRule)> = listener.rules.iter().enumerate().collect();
        by_priority.sort_by_key(|(_, r)| r.priority);
        let mut shadowed = BTreeSet::new();
        for (k, &(j, rule)) in by_priority.iter().enumerate() {
            if let Some(&(e, earlier)) = by_priority[..k]
                .iter()
                .find(|(_, earlier)| covers(earlier, rule))
            {
                shadowed.insert(j);
                warn(
                    out,
                    lb.index(l).key("rules").index(j),
                    format!(
                        "the rule with priority {} can never match: the rule with priority {} (rules[{e}]) matches every request it would",
                        rule.priority, earlier.priority
                    ),
                );
            }
        }
        // Which requests arrive on this listener is known only if no redirect can send requests
        // here (a redirect rewrites the request).
        let port = sc.listeners.get(l).map(|s| s.port);
        if port.is_none() || redirect_may_reach(raw, l, port) {
            continue;
        }
        let Some(spec) = sc.listeners.get(l) else {
            continue;
        };
        let mut used = BTreeSet::new();
        for c in &sc.clients {
            for (_, view) in c.request_views().into_iter().filter(|t| t.0.index() == l) {
                if let Some(r) = spec
                    .rules
                    .iter()
                    .position(|rule| rule.conditions.iter().all(|c| c.matches(view)))
                {
                    used.insert(spec.rules[r].priority);
                }
            }
        }
        for (j, rule) in listener.rules.iter().enumerate() {
            if !used.contains(&rule.priority) && !shadowed.contains(&j) {
                warn(
                    out,
                    lb.index(l).key("rules").index(j),
                    format!(
                        "no client's request reaches the rule with priority {} (each request type on port {} matches an earlier rule or not this one)",
                        rule.priority,
                        port.unwrap_or(0)
                    ),
                );
            }
        }
    }
}

/// True if some redirect action may send requests to listener `l` (on `port`).
fn redirect_may_reach(raw: &RawModel, l: usize, port: Option<u16>) -> bool {
    raw.load_balancer
        .iter()
        .flat_map(|lb| lb.listeners.iter())
        .enumerate()
        .any(|(m, listener)| {
            listener
                .rules
                .iter()
                .flat_map(|r| r.actions.iter())
                .chain(listener.default_actions.iter())
                .any(|a| match a {
                    RawAction::Redirect(r) => match r.port.as_deref() {
                        None | Some("#{port}") => m == l,
                        Some(p) => p.parse::<u16>().ok() == port,
                    },
                    _ => false,
                })
        })
}

/// Target group names any listener action forwards to.
fn forwarded_groups(raw: &RawModel) -> BTreeSet<&str> {
    let mut names = BTreeSet::new();
    for listener in raw.load_balancer.iter().flat_map(|lb| lb.listeners.iter()) {
        let actions = listener
            .rules
            .iter()
            .flat_map(|r| r.actions.iter())
            .chain(listener.default_actions.iter());
        for a in actions {
            if let RawAction::Forward(f) = a {
                names.extend(f.target_group.as_deref());
                for g in f.target_groups.iter().flatten() {
                    names.insert(g.name.as_str());
                }
            }
        }
    }
    names
}

/// Target groups that no listener action forwards to.
fn unreached_groups(raw: &RawModel, out: &mut Vec<Warning>) {
    let reached = forwarded_groups(raw);
    for (i, g) in raw.target_groups.iter().enumerate() {
        if !reached.contains(g.name.as_str()) {
            warn(
                out,
                JsonPath::root().key("target_groups").index(i),
                format!(
                    "no listener rule or default action forwards to target group {:?}: its targets get health checks but no requests",
                    g.name
                ),
            );
        }
    }
}

/// Target tracking on a value per InService instance (`m1 / GroupInServiceInstances`, such as
/// backlog per instance) in a group whose `MinSize` is 0: once the group is empty the division
/// has no datapoint, the alarms go to `INSUFFICIENT_DATA`, and the group never scales out again.
fn per_instance_from_zero(sc: &Scenario, out: &mut Vec<Warning>) {
    use crate::model::autoscaling::{PolicyKind, TrackedMetric};
    use crate::model::cloudwatch::MetricRef;
    for (a, g) in sc.auto_scaling_groups.iter().enumerate() {
        if g.min > 0 {
            continue;
        }
        for (p, policy) in g.policies.iter().enumerate() {
            let PolicyKind::TargetTracking {
                metric: TrackedMetric::Custom(MetricRef::Math(math), _),
                ..
            } = &policy.kind
            else {
                continue;
            };
            if math
                .per_instance_of()
                .is_some_and(|owner| owner.index() == a)
            {
                warn(
                    out,
                    JsonPath::root()
                        .key("auto_scaling_groups")
                        .index(a)
                        .key("Policies")
                        .index(p),
                    format!(
                        "policy {:?} tracks a value per InService instance of group {:?}, whose MinSize is 0: once the group has no InService instance the value has no datapoint (division by zero), its alarms go to INSUFFICIENT_DATA and the group never scales out again; set MinSize to at least 1",
                        policy.name, g.name
                    ),
                );
            }
        }
    }
}

/// Instances that are in no target group, that no operation registers and that run no worker
/// program.
fn idle_instances(raw: &RawModel, out: &mut Vec<Warning>) {
    let mut registered: BTreeSet<&str> = raw
        .target_groups
        .iter()
        .flat_map(|g| g.targets.iter().map(String::as_str))
        .collect();
    registered.extend(
        raw.operations
            .iter()
            .filter(|o| o.action == "register")
            .map(|o| o.instance.as_str()),
    );
    // A worker instance polls a queue: it needs no requests.
    registered.extend(
        (raw.consumers.iter())
            .flat_map(|c| c.instances.iter().flatten())
            .map(String::as_str),
    );
    for (i, inst) in raw.instances.iter().enumerate() {
        if !registered.contains(inst.id.as_str()) {
            warn(
                out,
                JsonPath::root().key("instances").index(i),
                format!(
                    "instance {:?} is in no target group (and no operation registers it): it never receives a request",
                    inst.id
                ),
            );
        }
    }
}
