//! Target groups and their routing algorithms (AWS `load_balancing.algorithm.type`).
//!
//! - `round_robin` (the AWS default): targets in sequential order;
//! - `least_outstanding_requests`: the target with the fewest requests in progress; ties go to the
//!   next target in round-robin order, so equal targets share evenly;
//! - `weighted_random`: a random target, each with its Automatic Target Weight (all equal
//!   unless anomaly mitigation cuts a target's: [`super::anomaly`]).

use super::anomaly::{AnomalySpec, AnomalyState, Bucket};
use super::health::{HealthCheckSpec, HealthState, HealthTracker};
use super::ids::{InstanceId, MemberId};
use crate::engine::{RngStream, SimDuration, SimTime};
use crate::recorder::{AnomalyChange, FailOpenCause, RoutingThreshold};

/// AWS `load_balancing.algorithm.type`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Algorithm {
    /// `round_robin`.
    RoundRobin,
    /// `least_outstanding_requests`.
    LeastOutstandingRequests,
    /// `weighted_random`.
    WeightedRandom,
}

impl Algorithm {
    /// AWS spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Algorithm::RoundRobin => "round_robin",
            Algorithm::LeastOutstandingRequests => "least_outstanding_requests",
            Algorithm::WeightedRandom => "weighted_random",
        }
    }
}

/// A resolved target group.
#[derive(Clone, Debug)]
pub struct TargetGroupSpec {
    /// Name (unique).
    pub name: String,
    /// Traffic port.
    pub port: u16,
    /// Routing algorithm.
    pub algorithm: Algorithm,
    /// Targets registered at the start.
    pub targets: Vec<InstanceId>,
    /// Health check settings.
    pub health: HealthCheckSpec,
    /// `deregistration_delay.timeout_seconds`.
    pub deregistration_delay: SimDuration,
    /// `target_group_health.unhealthy_state_routing.minimum_healthy_targets.count`.
    pub minimum_healthy_targets: u32,
    /// `target_group_health.unhealthy_state_routing.minimum_healthy_targets.percentage`
    /// (`None`: `off`).
    pub minimum_healthy_percentage: Option<u32>,
    /// `slow_start.duration_seconds` (zero: off).
    pub slow_start: SimDuration,
    /// `stickiness.*`, when enabled.
    pub stickiness: Option<Stickiness>,
    /// `load_balancing.cross_zone.enabled`: each node may route to targets in every zone
    /// (`false`: only to those in its own zone).
    pub cross_zone: bool,
    /// `target_group_health.dns_failover.minimum_healthy_targets.count` (`None`: `off`).
    pub dns_minimum_healthy_targets: Option<u32>,
    /// `target_group_health.dns_failover.minimum_healthy_targets.percentage` (`None`: `off`).
    pub dns_minimum_healthy_percentage: Option<u32>,
    /// Automatic Target Weights: `load_balancing.algorithm.anomaly_mitigation` and albsim's
    /// detection settings (`anomaly_detection`).
    pub anomaly: AnomalySpec,
}

impl TargetGroupSpec {
    /// The `unhealthy_state_routing` threshold that `healthy` of `registered` targets breach, if
    /// any: "the load balancer takes the action when either threshold is breached" (the count
    /// is named when both are).
    pub fn routing_threshold_breached(
        &self,
        healthy: u32,
        registered: u32,
    ) -> Option<RoutingThreshold> {
        if healthy < self.minimum_healthy_targets {
            return Some(RoutingThreshold::Count(self.minimum_healthy_targets));
        }
        let p = self.minimum_healthy_percentage?;
        (u64::from(healthy) * 100 < u64::from(p) * u64::from(registered))
            .then_some(RoutingThreshold::Percentage(p))
    }
}

impl TargetGroupSpec {
    /// The `dns_failover` threshold that `healthy` of `registered` targets (in one zone) breach,
    /// if any (the count is named when both are).
    pub fn dns_threshold_breached(
        &self,
        healthy: u32,
        registered: u32,
    ) -> Option<RoutingThreshold> {
        if let Some(n) = self.dns_minimum_healthy_targets
            && healthy < n
        {
            return Some(RoutingThreshold::Count(n));
        }
        let p = self.dns_minimum_healthy_percentage?;
        (u64::from(healthy) * 100 < u64::from(p) * u64::from(registered))
            .then_some(RoutingThreshold::Percentage(p))
    }
}

/// Sticky sessions of a target group (`stickiness.type`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StickinessKind {
    /// `lb_cookie`: the load balancer's `AWSALB` cookie; its expiry is reset on every request.
    LbCookie,
    /// `app_cookie`: follows the application's cookie (`stickiness.app_cookie.cookie_name`); the
    /// application is assumed to set it on every response, so it behaves like `lb_cookie`.
    AppCookie {
        /// The application's cookie name.
        cookie_name: String,
    },
}

/// Resolved stickiness settings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stickiness {
    /// `lb_cookie` or `app_cookie`.
    pub kind: StickinessKind,
    /// Cookie duration (`stickiness.*.duration_seconds`).
    pub duration: SimDuration,
}

impl Rotation {
    /// Recomputes the members routable through this rotation: those `in_scope` (by member
    /// index), healthy, or all of them in scope but `initial`/`draining` below a threshold.
    fn refresh(
        &mut self,
        members: &[Member],
        in_scope: impl Fn(usize) -> bool,
        spec: &TargetGroupSpec,
    ) {
        self.routable.clear();
        self.flag.clear();
        self.flag.resize(members.len(), false);
        let scoped = || {
            members
                .iter()
                .enumerate()
                .filter(|(i, _)| in_scope(*i))
                .map(|(_, m)| m)
        };
        let (healthy, registered) = healthy_of_registered(scoped());
        let breached = spec.routing_threshold_breached(healthy, registered);
        let any_unhealthy = scoped().any(|m| m.health.state == HealthState::Unhealthy);
        self.cause = breached
            .filter(|_| any_unhealthy)
            .map(|threshold| FailOpenCause {
                healthy,
                registered,
                threshold,
            });
        let failing_open = self.cause.is_some();
        for (i, m) in members.iter().enumerate() {
            let take = in_scope(i)
                && (m.healthy() || (failing_open && m.health.state == HealthState::Unhealthy));
            if take {
                self.routable.push(MemberId(i as u32));
                self.flag[i] = true;
            }
        }
    }

    /// Round robin while some targets are in slow start: a target `f` of the way through its slow
    /// start takes its turn with the probability that gives it `f` times its fair share, so its
    /// share grows linearly from 0 to the full share (assumption: AWS documents a linear increase,
    /// not its exact form).
    fn pick_slow_start(
        &mut self,
        members: &mut [Member],
        slow_starting: &mut u32,
        rng: &mut RngStream,
        spec: &TargetGroupSpec,
        now: SimTime,
    ) -> usize {
        let n = self.routable.len();
        let mut k = if self.cursor >= n { 0 } else { self.cursor };
        for _ in 0..n {
            let i = self.routable[k].index();
            let take = match members[i].slow_start_since {
                None => true,
                Some(since) => {
                    let f = now.since(since).0 as f64 / spec.slow_start.0 as f64;
                    if f >= 1.0 {
                        members[i].slow_start_since = None;
                        *slow_starting -= 1;
                        true
                    } else {
                        // Accepting with p = f(n−1)/(n−f) gives a share of exactly f/n: the fair
                        // share, scaled linearly by the elapsed fraction.
                        let n = n as f64;
                        rng.uniform() < f * (n - 1.0) / (n - f)
                    }
                }
            };
            if take {
                break;
            }
            k = if k + 1 >= n { 0 } else { k + 1 };
        }
        self.cursor = k + 1;
        k
    }
}

/// Targets healthy (or `unavailable`), and registered (`initial`, `healthy`, `unhealthy`,
/// `unavailable`: not `draining` or `unused`), of `members`.
fn healthy_of_registered<'a>(members: impl Iterator<Item = &'a Member>) -> (u32, u32) {
    let (mut healthy, mut registered) = (0, 0);
    for m in members {
        healthy += u32::from(m.healthy());
        registered += u32::from(!matches!(
            m.health.state,
            HealthState::Draining | HealthState::Unused
        ));
    }
    (healthy, registered)
}

/// A target registered (or once registered) with a group.
#[derive(Clone, Debug)]
pub struct Member {
    /// The instance.
    pub instance: InstanceId,
    /// Its health as this group sees it.
    pub health: HealthTracker,
    /// Requests forwarded to it through this group and not yet answered.
    pub in_flight: u32,
    /// Generation of its health checks and drain timer; bumped on (de)registration.
    pub generation: u32,
    /// When its slow start began, while it lasts.
    pub slow_start_since: Option<SimTime>,
    /// Its responses since the last anomaly detection step (Automatic Target Weights).
    pub responses: Bucket,
}

impl Member {
    /// Whether the group may route to it when healthy targets suffice.
    fn healthy(&self) -> bool {
        matches!(
            self.health.state,
            HealthState::Healthy | HealthState::Unavailable
        )
    }
}

/// The members one load balancer node may route to, and its rotation over them: the whole
/// group's (cross-zone on: every node sees every target, modelled as one rotation) or one zone's
/// (cross-zone off: that zone's node sees only that zone's targets).
#[derive(Clone, Debug, Default)]
struct Rotation {
    /// Members requests may go to now: the healthy ones, or, below a
    /// `minimum_healthy_targets` threshold, the unhealthy ones too (fail open).
    routable: Vec<MemberId>,
    /// Per member: whether it is in `routable`.
    flag: Vec<bool>,
    /// Next round-robin position.
    cursor: usize,
    /// Why it fails open, while it does.
    cause: Option<FailOpenCause>,
}

/// Routing state of a target group during a run.
#[derive(Clone, Debug)]
pub struct TargetGroupState {
    /// Registered targets, in registration order (deregistered ones stay, `unused`).
    pub members: Vec<Member>,
    /// Per member: the index of its zone among the load balancer's.
    zone_of: Vec<u8>,
    /// Cross-zone on: the one rotation over all members.
    whole: Rotation,
    /// Cross-zone off: one rotation per load balancer zone.
    zones: Vec<Rotation>,
    /// Whether the group currently fails open (anywhere: cross-zone off, in some zone).
    pub failing_open: bool,
    /// Why it fails open, while it does (cross-zone on).
    pub fail_open_cause: Option<FailOpenCause>,
    /// Members in slow start.
    slow_starting: u32,
    /// Draws of `weighted_random`.
    rng: RngStream,
    /// Automatic Target Weights: each member's detection result and weight.
    pub anomaly: AnomalyState,
}

impl TargetGroupState {
    /// Fresh state for a group behind `zones` load balancer nodes; `rng` is the group's own
    /// stream. Members are added with [`Self::register`].
    pub fn new(rng: RngStream, spec: &TargetGroupSpec, zones: usize) -> Self {
        let rotations = if spec.cross_zone { 0 } else { zones };
        TargetGroupState {
            members: Vec::new(),
            zone_of: Vec::new(),
            whole: Rotation::default(),
            zones: vec![Rotation::default(); rotations],
            failing_open: false,
            fail_open_cause: None,
            slow_starting: 0,
            rng,
            anomaly: AnomalyState::default(),
        }
    }

    /// Registers `instance` (again, if it was deregistered); returns its member index.
    /// `zone` is the index of the instance's zone among the load balancer's.
    pub fn register(&mut self, instance: InstanceId, zone: u8, spec: &TargetGroupSpec) -> MemberId {
        let health = HealthTracker::registered(&spec.health);
        let index = match self.members.iter().position(|m| m.instance == instance) {
            Some(i) => {
                let m = &mut self.members[i];
                m.health = health;
                m.generation = m.generation.wrapping_add(1);
                m.responses = Bucket::default();
                i
            }
            None => {
                self.members.push(Member {
                    instance,
                    health,
                    in_flight: 0,
                    generation: 0,
                    slow_start_since: None,
                    responses: Bucket::default(),
                });
                self.zone_of.push(zone);
                self.members.len() - 1
            }
        };
        self.anomaly.register(index);
        self.refresh(spec);
        MemberId(index as u32)
    }

    /// Recomputes the routable sets after a health or registration change.
    pub fn refresh(&mut self, spec: &TargetGroupSpec) {
        if self.zones.is_empty() {
            self.whole.refresh(&self.members, |_| true, spec);
            self.fail_open_cause = self.whole.cause;
            self.failing_open = self.fail_open_cause.is_some();
        } else {
            for (z, rotation) in self.zones.iter_mut().enumerate() {
                let zone_of = &self.zone_of;
                rotation.refresh(&self.members, |i| usize::from(zone_of[i]) == z, spec);
            }
            self.fail_open_cause = None;
            self.failing_open = self.zones.iter().any(|r| r.cause.is_some());
        }
    }

    /// Cross-zone off: why zone `z`'s node fails open, while it does.
    pub fn zone_fail_open(&self, z: usize) -> Option<FailOpenCause> {
        self.zones.get(z).and_then(|r| r.cause)
    }

    /// Whether each node routes only within its zone (cross-zone off).
    pub fn zonal(&self) -> bool {
        !self.zones.is_empty()
    }

    /// How many zones route on their own: the load balancer's zone count with cross-zone off,
    /// 0 with cross-zone on.
    pub fn zone_count(&self) -> usize {
        self.zones.len()
    }

    /// Targets healthy (or `unavailable`), and registered (`initial`, `healthy`, `unhealthy`,
    /// `unavailable`: not `draining` or `unused`), the base of the percentage thresholds.
    pub fn healthy_of_registered(&self) -> (u32, u32) {
        healthy_of_registered(self.members.iter())
    }

    /// [`Self::healthy_of_registered`] of the targets in zone `z`.
    pub fn healthy_of_registered_in(&self, z: usize) -> (u32, u32) {
        let zone_of = &self.zone_of;
        healthy_of_registered(
            (self.members.iter().enumerate())
                .filter(|(i, _)| usize::from(zone_of[*i]) == z)
                .map(|(_, m)| m),
        )
    }

    /// Whether member `m` may receive requests from some node now.
    pub fn is_routable_from_any(&self, m: MemberId) -> bool {
        (0..self.zones.len().max(1)).any(|z| self.is_routable(m, z as u8))
    }

    /// Whether member `m` may receive requests from the node in zone `node` now.
    #[inline]
    pub fn is_routable(&self, m: MemberId, node: u8) -> bool {
        let rotation = if self.zones.is_empty() {
            &self.whole
        } else {
            &self.zones[usize::from(node)]
        };
        rotation.flag.get(m.index()).copied().unwrap_or(false)
    }

    /// Automatic Target Weights' evaluation, every 5 seconds: detection over the healthy
    /// targets, then mitigation; `changed` hears each change, with the member's instance.
    pub fn evaluate_anomalies(
        &mut self,
        spec: &TargetGroupSpec,
        mut changed: impl FnMut(InstanceId, AnomalyChange),
    ) {
        for (m, member) in self.members.iter_mut().enumerate() {
            self.anomaly
                .close_bucket(m, std::mem::take(&mut member.responses));
        }
        let members = &self.members;
        self.anomaly.evaluate(
            &spec.anomaly,
            |m| members[m].healthy(),
            |m, change| changed(members[m].instance, change),
        );
    }

    /// Members in `healthy` (or `unavailable`) and `unhealthy` state.
    pub fn host_counts(&self) -> (u32, u32) {
        let healthy = self.members.iter().filter(|m| m.healthy()).count() as u32;
        let unhealthy = self
            .members
            .iter()
            .filter(|m| m.health.state == HealthState::Unhealthy)
            .count() as u32;
        (healthy, unhealthy)
    }

    /// Applies AWS's slow-start rules after member `m` changed state; returns true if it entered
    /// slow start. A target enters slow start when it becomes healthy, but only if at least one
    /// other healthy target is not in slow start (targets registered together into an empty group
    /// all start at full share); becoming unhealthy or deregistered ends it.
    pub fn slow_start_after_transition(
        &mut self,
        m: MemberId,
        now: SimTime,
        spec: &TargetGroupSpec,
    ) -> bool {
        let i = m.index();
        let healthy_now = self.members[i].health.state == HealthState::Healthy;
        if !healthy_now {
            if self.members[i].slow_start_since.take().is_some() {
                self.slow_starting -= 1;
            }
            return false;
        }
        if spec.slow_start.0 == 0 || self.members[i].slow_start_since.is_some() {
            return false;
        }
        let full_share_peer = self
            .members
            .iter()
            .enumerate()
            .any(|(j, o)| j != i && o.healthy() && o.slow_start_since.is_none());
        if full_share_peer {
            self.members[i].slow_start_since = Some(now);
            self.slow_starting += 1;
        }
        full_share_peer
    }

    /// Chooses a member for the next request through the node in zone `node`, or `None` if
    /// none is routable from it. `outstanding(i)` is the number of requests instance `i` is
    /// working on or holding.
    #[inline(always)]
    pub fn pick(
        &mut self,
        spec: &TargetGroupSpec,
        node: u8,
        now: SimTime,
        outstanding: impl Fn(InstanceId) -> u32,
    ) -> Option<MemberId> {
        let rotation = if self.zones.is_empty() {
            &mut self.whole
        } else {
            &mut self.zones[usize::from(node)]
        };
        let n = rotation.routable.len();
        if n == 0 {
            return None;
        }
        let k = match spec.algorithm {
            Algorithm::RoundRobin if self.slow_starting > 0 => rotation.pick_slow_start(
                &mut self.members,
                &mut self.slow_starting,
                &mut self.rng,
                spec,
                now,
            ),
            Algorithm::RoundRobin => {
                let k = if rotation.cursor >= n {
                    0
                } else {
                    rotation.cursor
                };
                rotation.cursor = k + 1;
                k
            }
            Algorithm::LeastOutstandingRequests => {
                let start = if rotation.cursor >= n {
                    0
                } else {
                    rotation.cursor
                };
                let members = &self.members;
                let routable = &rotation.routable;
                let load = |k: usize| outstanding(members[routable[k].index()].instance);
                let mut best = start;
                let mut best_load = load(start);
                for step in 1..n {
                    let k = if start + step >= n {
                        start + step - n
                    } else {
                        start + step
                    };
                    let l = load(k);
                    if l < best_load {
                        best = k;
                        best_load = l;
                    }
                }
                rotation.cursor = best + 1;
                best
            }
            Algorithm::WeightedRandom if self.anomaly.mitigated == 0 => self.rng.below(n),
            Algorithm::WeightedRandom => {
                let anomaly = &self.anomaly;
                let weight = |k: usize| anomaly.weight(rotation.routable[k].index());
                let total: f64 = (0..n).map(weight).sum();
                let mut u = self.rng.uniform() * total;
                let mut k = 0;
                while k + 1 < n {
                    u -= weight(k);
                    if u < 0.0 {
                        break;
                    }
                    k += 1;
                }
                k
            }
        };
        Some(rotation.routable[k])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::health::CheckFailure;

    fn group(algorithm: Algorithm, n: u32) -> (TargetGroupSpec, TargetGroupState) {
        let spec = TargetGroupSpec {
            name: "g".into(),
            port: 80,
            algorithm,
            targets: (0..n).map(InstanceId).collect(),
            health: HealthCheckSpec {
                enabled: false,
                ..HealthCheckSpec::aws_defaults()
            },
            deregistration_delay: SimDuration::from_secs(300),
            minimum_healthy_targets: 1,
            minimum_healthy_percentage: None,
            slow_start: SimDuration::ZERO,
            stickiness: None,
            cross_zone: true,
            dns_minimum_healthy_targets: Some(1),
            dns_minimum_healthy_percentage: None,
            anomaly: AnomalySpec::DEFAULT,
        };
        let mut st = TargetGroupState::new(RngStream::derive(1, "g"), &spec, 1);
        for i in 0..n {
            st.register(InstanceId(i), 0, &spec);
        }
        (spec, st)
    }

    #[test]
    fn round_robin_is_sequential() {
        let (g, mut s) = group(Algorithm::RoundRobin, 3);
        let picks: Vec<u32> = (0..7)
            .map(|_| s.pick(&g, 0, SimTime::ZERO, |_| 0).unwrap().0)
            .collect();
        assert_eq!(picks, vec![0, 1, 2, 0, 1, 2, 0]);
    }

    #[test]
    fn least_outstanding_prefers_the_idle_target_and_rotates_ties() {
        let (g, mut s) = group(Algorithm::LeastOutstandingRequests, 3);
        let loads = [5, 0, 5];
        assert_eq!(
            s.pick(&g, 0, SimTime::ZERO, |i| loads[i.index()]),
            Some(MemberId(1))
        );
        let picks: Vec<u32> = (0..6)
            .map(|_| s.pick(&g, 0, SimTime::ZERO, |_| 0).unwrap().0)
            .collect();
        assert_eq!(picks, vec![2, 0, 1, 2, 0, 1]);
    }

    /// 30 000 uniform picks over 3 targets: each count is Binomial(30 000, 1/3), sd ≈ 81.6, so
    /// ±408 is a 5-sigma band.
    #[test]
    fn weighted_random_is_uniform() {
        let (g, mut s) = group(Algorithm::WeightedRandom, 3);
        let mut counts = [0i64; 3];
        for _ in 0..30_000 {
            counts[s.pick(&g, 0, SimTime::ZERO, |_| 0).unwrap().index()] += 1;
        }
        assert!(
            counts.iter().all(|&c| (c - 10_000).abs() < 408),
            "{counts:?}"
        );
    }

    #[test]
    fn empty_group_has_no_target() {
        let (g, mut s) = group(Algorithm::RoundRobin, 0);
        assert_eq!(s.pick(&g, 0, SimTime::ZERO, |_| 0), None);
    }

    #[test]
    fn unhealthy_targets_are_skipped_until_all_are_unhealthy_then_the_group_fails_open() {
        let (mut g, mut s) = group(Algorithm::RoundRobin, 2);
        g.health.enabled = true;
        for m in &mut s.members {
            m.health = HealthTracker::registered(&g.health);
            m.health.on_check(Ok(()), &g.health);
        }
        let fail = |s: &mut TargetGroupState, g: &TargetGroupSpec, i: usize| {
            for _ in 0..g.health.unhealthy_threshold {
                s.members[i]
                    .health
                    .on_check(Err(CheckFailure::Timeout), &g.health);
            }
            s.refresh(g);
        };
        fail(&mut s, &g, 0);
        assert!((0..4).all(|_| s.pick(&g, 0, SimTime::ZERO, |_| 0) == Some(MemberId(1))));
        assert!(!s.failing_open);
        fail(&mut s, &g, 1);
        assert!(s.failing_open, "no healthy target left: fail open");
        let picks: Vec<u32> = (0..4)
            .map(|_| s.pick(&g, 0, SimTime::ZERO, |_| 0).unwrap().0)
            .collect();
        assert!(picks.contains(&0) && picks.contains(&1));
    }
}
