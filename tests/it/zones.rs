//! Load balancer nodes and cross-zone load balancing (`aws-behavior.md` §2; ELB target group
//! attributes): the ALB has a node in each of its Availability Zones, clients reach the nodes as
//! DNS spreads them (equal shares, one lookup per new connection), and
//! `load_balancing.cross_zone.enabled` decides whether a node routes to every target (on, the
//! ALB default) or only to those in its own zone (off), where an AZ with fewer targets gets
//! hotter, a node whose zone has no target answers 503, and fail open is decided per zone.
//!
//! Expected values come from those rules: with keep-alive off every request is a new connection
//! and so a fresh DNS pick, the node split is Binomial(N, 1/nodes), and round robin within a
//! node's zone shares that node's requests exactly (±1).

use crate::common::{
    assert_binomial, checked_group, client, completed, constant_ms, fail_open, health_check,
    http_listener, instance_in, model, next_check_after, poisson, run_value, status, sum_rows,
};
use albsim::RunResult;
use albsim::recorder::{ActivityKind, FailOpen, NodeDns};
use serde_json::{Value, json};

/// One target `a1` in us-east-1a and three (`b1`–`b3`) in us-east-1b behind round robin with
/// `cross_zone`; Poisson 100 req/s for 10 minutes, keep-alive off.
fn one_and_three(cross_zone: &str, seed: u64) -> Value {
    let mut c = client("c", poisson(100.0), constant_ms(2.0));
    c["keep_alive"] = json!(false);
    let mut group = json!({ "name": "web", "port": 8080, "protocol": "HTTP",
        "targets": ["a1", "b1", "b2", "b3"],
        "attributes": { "load_balancing.cross_zone.enabled": cross_zone } });
    group["health_check"] = json!({ "HealthCheckEnabled": false });
    model(
        "zones",
        seed,
        600.0,
        json!([c]),
        json!([http_listener(json!([]), "web")]),
        json!([group]),
        json!([
            instance_in("a1", "test.c4", 4, "us-east-1a"),
            instance_in("b1", "test.c4", 4, "us-east-1b"),
            instance_in("b2", "test.c4", 4, "us-east-1b"),
            instance_in("b3", "test.c4", 4, "us-east-1b"),
        ]),
    )
}

fn served(r: &RunResult) -> [u64; 4] {
    ["a1", "b1", "b2", "b3"].map(|id| completed(r, id))
}

#[test]
fn cross_zone_off_gives_each_node_its_zone_so_the_lone_target_takes_half() {
    for seed in 1..=3 {
        let r = run_value(&one_and_three("false", seed));
        let n = r.requests_total;
        let [a1, b1, b2, b3] = served(&r);
        assert_eq!(a1 + b1 + b2 + b3, n, "every request served");
        // Node us-east-1a gets half the connections (Binomial), and sends all to a1.
        assert_binomial(a1, n, 0.5, "a1: all of node a's requests");
        // Node us-east-1b shares its requests over three targets in turn.
        let b = [b1, b2, b3];
        let (lo, hi) = (b.iter().min().unwrap(), b.iter().max().unwrap());
        assert!(hi - lo <= 1, "round robin in zone b: {b:?}");
        assert!(a1 > 2 * hi, "the lone target is hotter: {a1} vs {b:?}");
    }
}

#[test]
fn cross_zone_on_spreads_every_node_over_every_target() {
    for cross_zone in ["true", "use_load_balancer_configuration"] {
        let r = run_value(&one_and_three(cross_zone, 1));
        let s = served(&r);
        let (lo, hi) = (s.iter().min().unwrap(), s.iter().max().unwrap());
        assert!(
            hi - lo <= 1,
            "{cross_zone}: round robin over all four: {s:?}"
        );
    }
}

#[test]
fn a_node_whose_zone_has_no_target_answers_503_with_cross_zone_off() {
    // The load balancer is in two zones; the group's only target is in us-east-1a.
    let mut m = one_and_three("false", 2);
    m["load_balancer"]["AvailabilityZones"] = json!(["us-east-1a", "us-east-1b"]);
    m["target_groups"][0]["targets"] = json!(["a1"]);
    m["target_groups"][0]["attributes"]["target_group_health.dns_failover.minimum_healthy_targets.count"] =
        json!("off");
    let r = run_value(&m);
    let n = r.requests_total;
    assert_eq!(status(&r, 503) + completed(&r, "a1"), n);
    assert_binomial(status(&r, 503), n, 0.5, "node b's requests: 503");
    // With cross-zone on, node b sends them to a1.
    m["target_groups"][0]["attributes"]["load_balancing.cross_zone.enabled"] = json!("true");
    let r = run_value(&m);
    assert_eq!(status(&r, 503), 0);
    assert_eq!(completed(&r, "a1"), r.requests_total);
}

#[test]
fn with_cross_zone_off_a_zone_fails_open_on_its_own() {
    // a1 crashes at 120 s: health checks (interval 10 s, UnhealthyThreshold 2) mark it unhealthy;
    // zone a then has 0 of 1 healthy and its node fails open, still sending its half of the
    // requests to a1 (502, connection refused), while zone b is untouched. With cross-zone on the
    // group has 3 of 4 healthy and routes everything to zone b.
    let hc = health_check(10, 5, 2, 2, Some(0.0));
    for cross_zone in ["false", "true"] {
        let mut m = one_and_three(cross_zone, 4);
        m["target_groups"][0] = checked_group("web", &["a1", "b1", "b2", "b3"], hc.clone());
        m["target_groups"][0]["attributes"] = json!({
            "load_balancing.cross_zone.enabled": cross_zone,
            "target_group_health.dns_failover.minimum_healthy_targets.count": "off" });
        m["faults"] = json!([{ "type": "crash", "instance": "a1", "at": 120 }]);
        m["metrics"] = json!({ "period": 10 });
        let r = run_value(&m);
        let (from, to) = (200.0, 600.0);
        let n = sum_rows(&r, from, to, |p| p.request_count);
        let refused = sum_rows(&r, from, to, |p| p.elb.c502);
        if cross_zone == "false" {
            assert_binomial(
                refused,
                n,
                0.5,
                "zone a's half still goes to the crashed a1",
            );
            let opened = fail_open(&r, "web (us-east-1a)");
            assert!(
                matches!(opened.first(), Some((_, FailOpen::Started(_)))),
                "{opened:?}"
            );
            assert!(fail_open(&r, "web (us-east-1b)").is_empty());
            assert!(
                fail_open(&r, "web").is_empty(),
                "the group as a whole does not"
            );
        } else {
            assert_eq!(
                refused, 0,
                "cross-zone on: routed to zone b's healthy targets"
            );
            assert!(fail_open(&r, "web").is_empty());
        }
    }
}

#[test]
fn dns_failover_takes_an_empty_zones_node_out_of_dns() {
    // The same group with AWS's default DNS failover threshold (count 1): zone b has no
    // healthy target from the start, so its node is not in DNS and every request reaches a1.
    let mut m = one_and_three("false", 2);
    m["load_balancer"]["AvailabilityZones"] = json!(["us-east-1a", "us-east-1b"]);
    m["target_groups"][0]["targets"] = json!(["a1"]);
    let r = run_value(&m);
    assert_eq!(status(&r, 503), 0);
    assert_eq!(completed(&r, "a1"), r.requests_total);
    let left: Vec<_> = (r.activity.iter())
        .filter(|a| a.subject == "lb (us-east-1b)")
        .collect();
    assert_eq!(left.len(), 1, "{left:?}");
    assert_eq!(left[0].time_seconds, 0.0);
    assert!(
        matches!(&left[0].kind, ActivityKind::LoadBalancer(NodeDns::Removed { group, cause })
            if group == "web" && cause.healthy == 0),
        "{left:?}"
    );
}

/// `one_and_three` with cross-zone off, health checks every 10 s from 0 s (thresholds 2), and
/// a1, zone a's only target, crashing for good at 125 s; 10 s metric periods.
fn zone_a_crashes() -> Value {
    let hc = health_check(10, 5, 2, 2, Some(0.0));
    let mut m = one_and_three("false", 4);
    m["target_groups"][0] = checked_group("web", &["a1", "b1", "b2", "b3"], hc);
    m["target_groups"][0]["attributes"] = json!({ "load_balancing.cross_zone.enabled": "false" });
    m["faults"] = json!([{ "type": "crash", "instance": "a1", "at": 125 }]);
    m["metrics"] = json!({ "period": 10 });
    m
}

#[test]
fn dns_failover_moves_new_connections_away_from_a_zone_that_lost_its_targets() {
    // a1 crashes at 125 s (between two checks) and is unhealthy at the second failed check (every 10 s from 0 s):
    // node a leaves DNS, so new connections (every request: keep-alive off) go to node b; the
    // 502s stop there, with no fail open. a1 never recovers, so the node stays out.
    // The client looks the load balancer up for every connection (no DNS caching).
    let mut m = zone_a_crashes();
    m["clients"][0]["dns_ttl"] = json!("0s");
    let r = run_value(&m);
    let unhealthy = next_check_after(125.0, 0.0, 10.0) + 10.0;
    let out: Vec<_> = (r.activity.iter())
        .filter(|a| a.subject == "lb (us-east-1a)")
        .collect();
    assert_eq!(out.len(), 1, "{out:?}");
    assert!((out[0].time_seconds - unhealthy).abs() < 0.01, "{out:?}");
    assert_eq!(sum_rows(&r, unhealthy + 10.0, 600.0, |p| p.elb.c502), 0);
    let n = sum_rows(&r, 130.0, unhealthy, |p| p.request_count);
    assert_binomial(
        sum_rows(&r, 130.0, unhealthy, |p| p.elb.c502),
        n,
        0.5,
        "until then node a's half is refused",
    );
}

#[test]
fn a_client_keeps_a_removed_node_until_its_dns_answer_expires() {
    // As above with the default dns_ttl of 60 s (the TTL of an ALB's records): the client looks
    // the load balancer up at its first request (within 0.1 s of 0 at 100 req/s) and again at
    // its first request 60 s after each lookup, so about every 60 s. Node a leaves DNS at about
    // 140 s, but the client keeps it until its lookup at about 180 s: node a's half of the
    // connections is refused (502) until then, and none after.
    let r = run_value(&zone_a_crashes());
    let unhealthy = next_check_after(125.0, 0.0, 10.0) + 10.0;
    assert!(unhealthy < 160.0);
    let n = sum_rows(&r, 160.0, 180.0, |p| p.request_count);
    assert_binomial(
        sum_rows(&r, 160.0, 180.0, |p| p.elb.c502),
        n,
        0.5,
        "node a out of DNS, but still in the client's cached answer",
    );
    assert_eq!(
        sum_rows(&r, 190.0, 600.0, |p| p.elb.c502),
        0,
        "after its next lookup"
    );
}

#[test]
fn zone_shares_weigh_a_clients_dns_answers() {
    // Shares 3 : 1 for us-east-1a : us-east-1b, cross-zone off: a1 serves Binomial(N, 3/4).
    for seed in 1..=2 {
        let mut m = one_and_three("false", seed);
        m["clients"][0]["zone_shares"] = json!({ "us-east-1a": 3, "us-east-1b": 1 });
        let r = run_value(&m);
        assert_binomial(
            completed(&r, "a1"),
            r.requests_total,
            0.75,
            "a1: node a's share",
        );
    }
}

#[test]
fn bad_zone_settings_say_what_is_allowed() {
    let cases: &[(&str, Value, &str)] = &[
        (
            "/target_groups/0/attributes/load_balancing.cross_zone.enabled",
            json!("sometimes"),
            "use_load_balancer_configuration",
        ),
        (
            "/load_balancer/AvailabilityZones",
            json!([]),
            "1–16 Availability Zones",
        ),
        (
            "/target_groups/0/attributes/target_group_health.dns_failover.minimum_healthy_targets.count",
            json!(0),
            "\"off\" or 1–1000",
        ),
        (
            "/target_groups/0/attributes/target_group_health.dns_failover.minimum_healthy_targets.percentage",
            json!(101),
            "1–100",
        ),
        (
            "/load_balancer/AvailabilityZones",
            json!(["us-east-1a", "us-east-1a", "us-east-1b"]),
            "listed twice",
        ),
        (
            "/load_balancer/AvailabilityZones",
            json!(["us-east-1a"]),
            "not one of the load balancer's Availability Zones",
        ),
        (
            "/clients/0/dns_ttl",
            json!("2d"),
            "expected a duration from 0 s to 1 day",
        ),
    ];
    for (shares, words) in [
        (
            json!({ "us-east-1c": 1 }),
            "not one of the load balancer's Availability Zones",
        ),
        (json!({ "us-east-1a": -1 }), "a share of 0 or more"),
        (
            json!({ "us-east-1a": 0 }),
            "at least one zone with a share above 0",
        ),
    ] {
        let mut m = one_and_three("false", 1);
        m["clients"][0]["zone_shares"] = shares;
        let e = albsim::scenario::from_json(&m.to_string(), std::path::Path::new("m.json"))
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("clients[0].zone_shares") && e.contains(words),
            "{e}"
        );
    }
    for (pointer, value, words) in cases {
        let mut m = one_and_three("false", 1);
        *m.pointer_mut(pointer.rsplit_once('/').unwrap().0)
            .unwrap()
            .as_object_mut()
            .unwrap()
            .entry(pointer.rsplit_once('/').unwrap().1)
            .or_insert(Value::Null) = value.clone();
        let e = albsim::scenario::from_json(&m.to_string(), std::path::Path::new("m.json"))
            .unwrap_err()
            .to_string();
        assert!(e.contains(words), "{pointer} = {value}: {e}");
    }
}
