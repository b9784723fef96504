//! Health checks, registration and draining: how targets enter and leave a group's rotation.
//!
//! Each registered target is checked by `nodes` load balancer nodes, each every
//! `HealthCheckIntervalSeconds`. A check is real work on the instance (it queues behind requests and
//! uses CPU), so a saturated instance can fail its checks. The first node's results drive the
//! target's state (see [`crate::model::health`]); every transition goes to the activity history and
//! changes the group's routable set.

use super::slab::Slab;
use super::{Request, Stage, World};
use crate::engine::{RngStream, SimDuration};
use crate::model::event::Event;
use crate::model::fault::OperationKind;
use crate::model::health::{CheckFailure, HealthState, Transition};
use crate::model::ids::{CheckerId, InstanceId, MemberId, OperationId, TargetGroupId};
use crate::model::instance::Job;
use crate::model::resolved::Scenario;
use crate::recorder::{
    ActivityKind, FailOpen, FailOpenCause, NodeDns, Registration, TargetHealth, WsClose,
};

/// Health checking during a run: one checker per (target group, member, load balancer node) and
/// the checks in flight at instances.
#[derive(Debug)]
pub(super) struct HealthChecks {
    /// Every checker ever started (a deregistered member's checkers go stale, by generation).
    pub checkers: Vec<Checker>,
    /// Health checks in flight at instances.
    pub in_flight: Slab<InFlightCheck>,
    /// Per target group: draws of first-check times and health-check service times.
    pub rngs: Vec<RngStream>,
}

impl HealthChecks {
    /// No checker yet; one random stream per target group of `sc`.
    pub fn new(sc: &Scenario) -> HealthChecks {
        HealthChecks {
            checkers: Vec::new(),
            in_flight: Slab::default(),
            rngs: (sc.target_groups.iter())
                .map(|g| RngStream::derive(sc.seed, &format!("target_group/{}/health", g.name)))
                .collect(),
        }
    }
}

/// A health check request at an instance, waiting for its answer.
#[derive(Clone, Copy, Debug)]
pub(super) struct InFlightCheck {
    /// The checker that sent it.
    pub checker: CheckerId,
    /// Which of that checker's checks it is.
    pub seq: u32,
    /// The instance it was sent to.
    pub instance: InstanceId,
}

/// One load balancer node checking one registered target.
#[derive(Clone, Debug)]
pub(super) struct Checker {
    group: TargetGroupId,
    member: MemberId,
    node: u32,
    /// Member generation it was started for; stale after (de)registration.
    generation: u32,
    /// Number of the latest check sent.
    seq: u32,
    /// Whether the latest check awaits its result.
    pending: bool,
}

impl World<'_> {
    /// Targets listed in `target_groups[].targets` were registered before the run: they start
    /// `healthy`, and their checks run from time 0 (staggered within the first interval).
    pub(super) fn register_initial_targets(&mut self) {
        for (g, spec) in self.sc.target_groups.iter().enumerate() {
            let g = TargetGroupId(g as u32);
            for &instance in &spec.targets {
                self.register_target(g, instance, true);
            }
            self.host_counts_changed(g);
        }
    }

    /// Registers `instance` with target group `g` (`RegisterTargets`) and starts its health
    /// checks; returns its member index. A target registered `before_the_run` starts `healthy`
    /// (with health checks enabled); any other starts `initial` and needs one passing check.
    /// The caller reports the new host counts.
    pub(super) fn register_target(
        &mut self,
        g: TargetGroupId,
        instance: InstanceId,
        before_the_run: bool,
    ) -> MemberId {
        let spec = &self.sc.target_groups[g.index()];
        let az = &self.fleet[instance].spec.availability_zone;
        // Every instance's zone is one of the load balancer's (the model checks it).
        let zone = self.sc.zones.iter().position(|z| z == az).unwrap_or(0) as u8;
        let group = &mut self.lb.groups[g.index()];
        let m = group.register(instance, zone, spec);
        if before_the_run && spec.health.enabled {
            group.members[m.index()].health.set(
                HealthState::Healthy,
                "",
                "registered before the run",
            );
            group.refresh(spec);
        }
        self.start_checks(g, m);
        if !before_the_run && self.lb.dns.zonal {
            self.update_dns();
        }
        m
    }

    /// Starts the health checks of a member (one checker per load balancer node).
    pub(super) fn start_checks(&mut self, g: TargetGroupId, m: MemberId) {
        let spec = &self.sc.target_groups[g.index()];
        if !spec.health.enabled {
            return;
        }
        let generation = self.lb.groups[g.index()].members[m.index()].generation;
        for node in 0..spec.health.nodes {
            let first = match spec.health.first_check_delay {
                Some(d) if node == 0 => d,
                // Assumption: each node's first check is at a random time within one interval.
                _ => SimDuration(
                    (self.health.rngs[g.index()].uniform() * spec.health.interval.0 as f64) as u64,
                ),
            };
            let checker = CheckerId(self.health.checkers.len() as u32);
            self.health.checkers.push(Checker {
                group: g,
                member: m,
                node,
                generation,
                seq: 0,
                pending: false,
            });
            self.queue
                .schedule(self.now + first, Event::HealthCheckStarts { checker });
        }
    }

    pub(super) fn on_health_check_starts(&mut self, checker: CheckerId) {
        let c = self.health.checkers[checker.index()].clone();
        let spec = &self.sc.target_groups[c.group.index()];
        let member = &self.lb.groups[c.group.index()].members[c.member.index()];
        let active = member.generation == c.generation
            && !matches!(
                member.health.state,
                HealthState::Draining | HealthState::Unused
            );
        if !active {
            return;
        }
        self.queue.schedule(
            self.now + spec.health.interval,
            Event::HealthCheckStarts { checker },
        );
        let seq = c.seq.wrapping_add(1);
        {
            let ch = &mut self.health.checkers[checker.index()];
            ch.seq = seq;
            ch.pending = true;
        }
        self.queue.schedule(
            self.now + spec.health.timeout,
            Event::HealthCheckTimesOut { checker, seq },
        );
        let instance = member.instance;
        let inst = &self.fleet[instance].state;
        if inst.blocked > 0 {
            return; // the check's SYN is dropped: it will time out
        }
        if inst.crashed > 0 {
            self.check_result(checker, seq, Err(CheckFailure::ConnectionRefused));
            return;
        }
        let mut work = spec
            .health
            .service_time
            .sample(&mut self.health.rngs[c.group.index()]);
        if inst.slow_factor != 1.0 {
            work = SimDuration::from_nanos_f64(work.0 as f64 * inst.slow_factor);
        }
        let check = self.health.in_flight.insert(InFlightCheck {
            checker,
            seq,
            instance,
        });
        if self
            .dispatch(Job::health_check(check), instance, work)
            .is_none()
        {
            self.health.in_flight.remove(check);
            self.check_result(checker, seq, Err(CheckFailure::ConnectionRefused));
        }
    }

    pub(super) fn on_health_check_times_out(&mut self, checker: CheckerId, seq: u32) {
        self.check_result(checker, seq, Err(CheckFailure::Timeout));
    }

    /// The instance finished a health check request.
    pub(super) fn health_check_answered(&mut self, check: u32) {
        let r = self.health.in_flight[check];
        self.health.in_flight.remove(check);
        let inst = &self.fleet[r.instance].state;
        if inst.blocked > 0 {
            return; // the answer cannot reach the node: the check times out
        }
        let status = inst.health_status.unwrap_or(200);
        let c = &self.health.checkers[r.checker.index()];
        let result = if self.sc.target_groups[c.group.index()]
            .health
            .matches(status)
        {
            Ok(())
        } else {
            Err(CheckFailure::ResponseCodeMismatch(status))
        };
        self.check_result(r.checker, r.seq, result);
    }

    /// A check's outcome (the first one to arrive of answer and timeout counts).
    pub(super) fn check_result(
        &mut self,
        checker: CheckerId,
        seq: u32,
        result: Result<(), CheckFailure>,
    ) {
        let c = &mut self.health.checkers[checker.index()];
        if !c.pending || c.seq != seq {
            return;
        }
        c.pending = false;
        if c.node != 0 {
            return; // assumption: the first node's view is the target's state
        }
        let (g, m) = (c.group, c.member);
        let spec = &self.sc.target_groups[g.index()];
        let member = &mut self.lb.groups[g.index()].members[m.index()];
        if member.generation != c.generation {
            return;
        }
        if let Some(t) = member.health.on_check(result, &spec.health) {
            self.transition(g, m, t);
        }
    }

    /// Logs a target state change and updates routing and host counts.
    fn transition(&mut self, g: TargetGroupId, m: MemberId, t: Transition) {
        let spec = &self.sc.target_groups[g.index()];
        let instance = self.lb.groups[g.index()].members[m.index()].instance;
        let subject = format!("{}/{}", spec.name, self.fleet[instance].spec.id);
        let was_open = self.lb.groups[g.index()].failing_open;
        let group = &self.lb.groups[g.index()];
        // One bit per zone failing open (a load balancer has at most 16 zones).
        let zones_were: u32 = (0..group.zone_count())
            .filter(|&z| group.zone_fail_open(z).is_some())
            .fold(0, |bits, z| bits | 1 << z);
        self.lb.groups[g.index()].refresh(spec);
        let slow = self.lb.groups[g.index()].slow_start_after_transition(m, self.now, spec);
        let transition = crate::recorder::Transition {
            from: t.from,
            to: t.to,
            reason: t.reason,
            detail: t.detail,
        };
        let kind = ActivityKind::TargetHealth(TargetHealth::Transition(transition));
        self.rec.activity(self.now, subject, kind);
        if slow {
            let seconds = spec.slow_start.as_secs_f64();
            let subject = format!("{}/{}", spec.name, self.fleet[instance].spec.id);
            let kind = ActivityKind::TargetHealth(TargetHealth::SlowStart { seconds });
            self.rec.activity(self.now, subject, kind);
        }
        let group = &self.lb.groups[g.index()];
        if !group.zonal() && group.failing_open != was_open {
            let change =
                fail_open_change(spec, group.fail_open_cause, group.healthy_of_registered());
            let kind = ActivityKind::TargetGroup(change);
            self.rec.activity(self.now, spec.name.clone(), kind);
        }
        if self.lb.dns.zonal {
            self.update_dns();
        }
        // Cross-zone off: each zone's node fails open on its own.
        for z in 0..self.lb.groups[g.index()].zone_count() {
            let group = &self.lb.groups[g.index()];
            let cause = group.zone_fail_open(z);
            if cause.is_some() != (zones_were & 1 << z != 0) {
                let change = fail_open_change(spec, cause, group.healthy_of_registered_in(z));
                let subject = format!("{} ({})", spec.name, self.sc.zones[z]);
                self.rec
                    .activity(self.now, subject, ActivityKind::TargetGroup(change));
            }
        }
        self.host_counts_changed(g);
    }

    /// DNS failover: a zone's node is in DNS while every target group that routes by zone
    /// (cross-zone off) has enough healthy targets there (`dns_failover.minimum_healthy_targets`);
    /// if no zone passes, DNS returns every node. Connections already open stay on their node.
    pub(super) fn update_dns(&mut self) {
        let lb_name = &self.sc.load_balancer;
        for z in 0..self.sc.zones.len() {
            let below = (self.sc.target_groups.iter().enumerate())
                .filter(|(_, spec)| !spec.cross_zone)
                .find_map(|(g, spec)| {
                    let (healthy, registered) = self.lb.groups[g].healthy_of_registered_in(z);
                    let threshold = spec.dns_threshold_breached(healthy, registered)?;
                    let cause = FailOpenCause {
                        healthy,
                        registered,
                        threshold,
                    };
                    Some((g, cause))
                });
            let healthy = below.is_none();
            if healthy != self.lb.dns.healthy[z] {
                self.lb.dns.healthy[z] = healthy;
                let change = match below {
                    Some((g, cause)) => NodeDns::Removed {
                        group: self.sc.target_groups[g].name.clone(),
                        cause,
                    },
                    None => NodeDns::Restored,
                };
                let subject = format!("{lb_name} ({})", self.sc.zones[z]);
                self.rec
                    .activity(self.now, subject, ActivityKind::LoadBalancer(change));
            }
        }
        // The node list is rebuilt in place: health transitions must not allocate.
        let mut nodes = std::mem::take(&mut self.lb.dns.nodes);
        nodes.clear();
        let zones = 0..self.sc.zones.len() as u8;
        nodes.extend(
            zones
                .clone()
                .filter(|&z| self.lb.dns.healthy[usize::from(z)]),
        );
        let all_unhealthy = nodes.is_empty();
        if all_unhealthy {
            nodes.extend(zones);
            if !self.lb.dns.all_unhealthy {
                let kind = ActivityKind::LoadBalancer(NodeDns::AllZonesUnhealthy);
                self.rec.activity(self.now, lb_name.clone(), kind);
            }
        }
        self.lb.dns.all_unhealthy = all_unhealthy;
        self.lb.dns.nodes = nodes;
    }

    /// Tells the recorder a group's healthy and unhealthy counts (`HealthyHostCount`).
    pub(super) fn host_counts_changed(&mut self, g: TargetGroupId) {
        let (healthy, unhealthy) = self.lb.groups[g.index()].host_counts();
        self.rec
            .host_counts(g.index(), self.now, healthy, unhealthy);
    }

    /// A scheduled register/deregister operation.
    pub(super) fn on_operation_runs(&mut self, operation: OperationId) {
        let op = self.sc.operations[operation.index()].clone();
        let g = op.group;
        let spec = &self.sc.target_groups[g.index()];
        let id = &self.fleet[op.instance].spec.id;
        match op.kind {
            OperationKind::Register => {
                let existing = self.lb.groups[g.index()]
                    .members
                    .iter()
                    .position(|m| m.instance == op.instance);
                if existing.is_some_and(|m| {
                    !matches!(
                        self.lb.groups[g.index()].members[m].health.state,
                        HealthState::Unused
                    )
                }) {
                    let kind = Registration::AlreadyRegistered {
                        instance: id.clone(),
                    };
                    self.rec.activity(
                        self.now,
                        spec.name.clone(),
                        ActivityKind::Registration(kind),
                    );
                    return;
                }
                let subject = format!("{}/{id}", spec.name);
                let m = self.register_target(g, op.instance, false);
                let state = self.lb.groups[g.index()].members[m.index()].health.state;
                let kind = Registration::Registered {
                    health_checks: state == HealthState::Initial,
                };
                self.rec
                    .activity(self.now, subject, ActivityKind::Registration(kind));
                self.host_counts_changed(g);
            }
            OperationKind::Deregister => {
                let Some(m) = self.lb.groups[g.index()].members.iter().position(|m| {
                    m.instance == op.instance
                        && !matches!(m.health.state, HealthState::Unused | HealthState::Draining)
                }) else {
                    let kind = Registration::NotRegistered {
                        instance: id.clone(),
                    };
                    self.rec.activity(
                        self.now,
                        spec.name.clone(),
                        ActivityKind::Registration(kind),
                    );
                    return;
                };
                self.deregister(g, MemberId(m as u32));
            }
        }
    }

    /// Starts draining a member: no new requests; in-flight ones may finish until the delay ends.
    pub(super) fn deregister(&mut self, g: TargetGroupId, m: MemberId) {
        let spec = &self.sc.target_groups[g.index()];
        let member = &mut self.lb.groups[g.index()].members[m.index()];
        member.generation = member.generation.wrapping_add(1);
        let generation = member.generation;
        let delay = spec.deregistration_delay;
        let detail = format!(
            "DeregisterTargets: no new requests; in-flight requests may finish for up to {} s (deregistration_delay.timeout_seconds)",
            delay.as_secs_f64()
        );
        if let Some(t) = member.health.set(
            HealthState::Draining,
            "Target.DeregistrationInProgress",
            detail,
        ) {
            self.transition(g, m, t);
        }
        self.queue.schedule(
            self.now + delay,
            Event::DeregistrationDelayEnds {
                group: g,
                member: m,
                generation,
            },
        );
        if self.lb.groups[g.index()].members[m.index()].in_flight == 0 {
            self.drained(g, m);
        }
    }

    /// A draining member has no request in flight any more: deregistration is complete (AWS keeps
    /// showing `draining` until the delay ends).
    pub(super) fn drained(&mut self, g: TargetGroupId, m: MemberId) {
        let spec = &self.sc.target_groups[g.index()];
        let instance = self.lb.groups[g.index()].members[m.index()].instance;
        self.asg_member_drained(instance);
        let subject = format!("{}/{}", spec.name, self.fleet[instance].spec.id);
        let kind = ActivityKind::Registration(Registration::Drained);
        self.rec.activity(self.now, subject, kind);
    }

    /// The deregistration delay ended: requests still in flight are cut off (502) and the target
    /// becomes `unused`.
    pub(super) fn on_deregistration_delay_ends(
        &mut self,
        g: TargetGroupId,
        m: MemberId,
        generation: u32,
    ) {
        let member = &self.lb.groups[g.index()].members[m.index()];
        if member.generation != generation || member.health.state != HealthState::Draining {
            return;
        }
        // Unused first, so that cutting the last requests off does not read as "drained".
        let member = &mut self.lb.groups[g.index()].members[m.index()];
        let Some(mut t) = member
            .health
            .set(HealthState::Unused, "Target.NotRegistered", "")
        else {
            return;
        };
        let cut = self.cut_off(|r| r.group == g && r.member == m);
        let closed = self.close_websockets(WsClose::Deregistration, |group, member, _| {
            group == g && member == m
        });
        let mut parts = vec!["deregistration delay elapsed".to_string()];
        if cut > 0 {
            parts.push(format!("{cut} request(s) still in flight cut off (502)"));
        }
        if closed > 0 {
            parts.push(format!("{closed} WebSocket connection(s) closed"));
        }
        t.detail = parts.join(": ");
        self.transition(g, m, t);
    }

    /// Answers 502 to every forwarded request in flight that matches `which`; returns how many.
    pub(super) fn cut_off(&mut self, which: impl Fn(&Request) -> bool) -> u32 {
        let mut n = 0;
        for slot in 0..self.lb.requests.capacity() {
            if !self.lb.requests.is_occupied(slot) {
                continue;
            }
            let r = self.lb.requests[slot];
            let waiting = matches!(r.stage, Stage::AtTarget | Stage::Lost | Stage::Connecting);
            if r.group == TargetGroupId::NONE || !waiting || !which(&r) {
                continue;
            }
            n += 1;
            if r.stage != Stage::Connecting {
                self.release_target(slot);
            }
            if r.stage == Stage::AtTarget {
                // The instance may still be working on it: keep the slot until it is done.
                self.lb.requests[slot].stage = Stage::Abandoned;
                self.respond_keep_slot(slot, 502, crate::recorder::Origin::LoadBalancer, None, 0);
                self.wake_unless_retried(slot, 502);
            } else {
                self.respond_and_wake(slot, 502, crate::recorder::Origin::LoadBalancer, None, 0);
            }
        }
        n
    }
}

/// How a group (or, cross-zone off, one zone of it) changed its fail-open state: `cause` is its
/// new one; `(healthy, registered)` its targets now.
fn fail_open_change(
    spec: &crate::model::target_group::TargetGroupSpec,
    cause: Option<crate::recorder::FailOpenCause>,
    (healthy, registered): (u32, u32),
) -> FailOpen {
    match cause {
        Some(cause) => FailOpen::Started(cause),
        None if spec
            .routing_threshold_breached(healthy, registered)
            .is_none() =>
        {
            FailOpen::EndedHealthyAgain
        }
        None => FailOpen::EndedNoTargetLeft,
    }
}
