//! The load balancer's state during a run: requests in flight, target groups (members, health,
//! routing state), connection rules, idle-timeout deadlines and sticky-session cookie jars.
//!
//! The request path through it is in `world/request_path.rs`; health checks and draining in
//! `world/health.rs`.

use super::sessions::Sessions;
use super::slab::Slab;
use crate::engine::{RngStream, SimTime};
use crate::model::connection::{Conn, ConnRules};
use crate::model::ids::{
    ClientId, InstanceId, ListenerId, MemberId, RouteId, TargetGroupId, UserId,
};
use crate::model::resolved::Scenario;
use crate::model::target_group::TargetGroupState;
use std::collections::VecDeque;

/// Where a request is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Stage {
    /// Waiting for its connection's TLS handshake.
    Handshake,
    /// At a target (running or in its backlog).
    AtTarget,
    /// Waiting for the 10 s connect timeout to an unreachable target.
    Connecting,
    /// Answered by the ALB (504) while the target still holds it; freed when the target is done.
    Abandoned,
    /// Done at the target, but the response cannot reach the ALB (network blocked): the ALB's idle
    /// timeout will answer 504.
    Lost,
    /// The client got an answer it retries, and waits for its backoff delay: the slot holds
    /// the request to send again (a new request to the ALB).
    Backoff,
}

/// Where a request stands in its client's attempts (`clients[i].retry`).
#[derive(Clone, Copy, Debug)]
pub(super) struct Attempt {
    /// When the client sent its first attempt: the end user's latency runs from here.
    pub first_sent: SimTime,
    /// 1 for the first attempt, 2 for the first retry…
    pub number: u8,
    /// Retry-quota tokens the latest retry took (0: no retry yet).
    pub cost: u32,
    /// The latest backoff delay \[µs\] (decorrelated jitter grows from it).
    pub backoff_us: u32,
}

impl Attempt {
    /// A first attempt, sent at `now`.
    #[inline(always)]
    pub fn first(now: SimTime) -> Attempt {
        Attempt {
            first_sent: now,
            number: 1,
            cost: 0,
            backoff_us: 0,
        }
    }
}

/// A client request in flight.
#[derive(Clone, Copy, Debug)]
pub(super) struct Request {
    pub client: ClientId,
    pub rtype: u32,
    /// Its user, or `UserId::NONE` for an open-loop request.
    pub user: UserId,
    pub listener: ListenerId,
    pub route: RouteId,
    pub arrived: SimTime,
    pub dispatched: SimTime,
    pub conn: Conn,
    /// Its target group once forwarded, else `TargetGroupId::NONE`.
    pub group: TargetGroupId,
    pub member: MemberId,
    pub instance: InstanceId,
    /// Cookie jar, or `NO_SESSION`.
    pub session: u32,
    /// HTTP/2 connection slot in the client's pool, or `NO_H2`.
    pub h2: u32,
    /// A replayed request's logged service time \[µs\], or `NO_LOGGED_SERVICE` (drawn instead).
    pub logged_service_us: u32,
    /// A replayed request's class (what the access log writes), or `NOT_REPLAYED`.
    pub replay_class: u32,
    pub stage: Stage,
    /// Its place in the client's attempts.
    pub attempt: Attempt,
}

/// ALB idle-timeout deadlines of requests at targets, in dispatch (= deadline) order, with one
/// timer event armed for the earliest.
#[derive(Debug, Default)]
pub(super) struct IdleDeadlines {
    /// `(deadline, request slot, slot generation)`.
    pub queue: VecDeque<(SimTime, u32, u32)>,
    /// Generation of the armed timer (older timer events are stale).
    pub generation: u32,
    /// Whether a timer event is scheduled.
    pub armed: bool,
}

/// The Application Load Balancer during a run.
#[derive(Debug)]
pub(super) struct LoadBalancer {
    /// `idle_timeout.timeout_seconds` and `client_keep_alive.seconds`.
    pub conn_rules: ConnRules,
    /// Per target group: members, health, routing state.
    pub groups: Vec<TargetGroupState>,
    /// Client requests in flight.
    pub requests: Slab<Request>,
    /// Idle timeouts of requests at targets.
    pub deadlines: IdleDeadlines,
    /// Draws of weighted forward actions.
    pub forward_weights: RngStream,
    /// Cookie jars for sticky sessions.
    pub sessions: Sessions,
    /// Which nodes DNS returns.
    pub dns: Dns,
}

/// The load balancer's DNS: which nodes a client's lookup may return (equal shares). Only nodes
/// that route by zone (some target group with cross-zone off) make the node matter; otherwise
/// every connection is said to reach node 0.
#[derive(Debug)]
pub(super) struct Dns {
    /// Whether the nodes route by zone.
    pub zonal: bool,
    /// The nodes in DNS now (indices into the load balancer's zones).
    pub nodes: Vec<u8>,
    /// Per zone: whether its node passes every DNS failover threshold.
    pub healthy: Vec<bool>,
    /// Whether no zone passes (DNS then returns every node).
    pub all_unhealthy: bool,
}

impl Dns {
    fn new(sc: &Scenario) -> Dns {
        let zonal = sc.zones.len() > 1 && sc.target_groups.iter().any(|g| !g.cross_zone);
        let n = if zonal { sc.zones.len() } else { 1 };
        Dns {
            zonal,
            nodes: (0..n as u8).collect(),
            healthy: vec![true; n],
            all_unhealthy: false,
        }
    }
}

impl LoadBalancer {
    /// The load balancer of `sc`, before any target is registered.
    pub fn new(sc: &Scenario) -> LoadBalancer {
        let seed = sc.seed;
        LoadBalancer {
            conn_rules: ConnRules {
                idle_timeout: sc.idle_timeout,
                max_lifetime: sc.client_keep_alive,
            },
            groups: (sc.target_groups.iter())
                .map(|g| {
                    let name = format!("target_group/{}", g.name);
                    TargetGroupState::new(RngStream::derive(seed, &name), g, sc.zones.len())
                })
                .collect(),
            dns: Dns::new(sc),
            requests: Slab::default(),
            deadlines: IdleDeadlines::default(),
            forward_weights: RngStream::derive(seed, "load_balancer/forward_weights"),
            sessions: Sessions::default(),
        }
    }
}

/// The node a DNS answer gives a client with `zone_shares`: among `nodes` (those in DNS), by
/// `weights` (per zone) for a uniform draw `u` in [0, 1); equal shares if the nodes in DNS all
/// weigh 0.
pub(super) fn weighted_node(nodes: &[u8], weights: &[f64], u: f64) -> u8 {
    let total: f64 = nodes.iter().map(|&z| weights[usize::from(z)]).sum();
    if total <= 0.0 {
        return nodes[((u * nodes.len() as f64) as usize).min(nodes.len() - 1)];
    }
    let mut x = u * total;
    for &z in nodes {
        x -= weights[usize::from(z)];
        if x < 0.0 {
            return z;
        }
    }
    // Rounding: the last node with a share.
    *nodes
        .iter()
        .rev()
        .find(|&&z| weights[usize::from(z)] > 0.0)
        .unwrap_or(&nodes[0])
}

#[cfg(test)]
mod tests {
    use super::weighted_node;

    #[test]
    fn weighted_dns_answers_follow_the_shares_of_the_nodes_in_dns() {
        let w = [3.0, 1.0, 0.0];
        let pick = |nodes: &[u8], u: f64| weighted_node(nodes, &w, u);
        assert_eq!(pick(&[0, 1, 2], 0.0), 0);
        assert_eq!(pick(&[0, 1, 2], 0.74), 0);
        assert_eq!(pick(&[0, 1, 2], 0.76), 1);
        assert_eq!(pick(&[0, 1, 2], 0.999_999), 1, "zone 2 has no share");
        // Zone 0 out of DNS: zone 1 takes everything.
        assert_eq!(pick(&[1, 2], 0.1), 1);
        assert_eq!(pick(&[1, 2], 0.9), 1);
        // Only weightless nodes left in DNS: equal shares among them.
        assert_eq!(pick(&[2], 0.5), 2);
    }
}
