//! Faults and scheduled operations: what the world does when an instance crashes, hangs, slows
//! down, loses its health path or its network, or a whole AZ goes away — and when it recovers.

use super::{Stage, World};
use crate::engine::{RngStream, SimDuration, SimTime};
use crate::model::event::Event;
use crate::model::fault::{FaultKind, FaultTarget, FaultTiming};
use crate::model::health::CheckFailure;
use crate::model::ids::{CheckerId, FaultId, InstanceId, OperationId};
use crate::model::resolved::Scenario;
use crate::recorder::{ActivityKind, Fault, Origin, WsClose};

/// Faults during a run: each fault's random stream and the instances its current occurrence hit.
#[derive(Debug)]
pub(super) struct Faults {
    /// Per fault: draws of random fault times.
    pub rngs: Vec<RngStream>,
    /// Per fault: which completed requests an `application_errors` fault answers with its status.
    pub errors: Vec<RngStream>,
    /// Per fault: the instances its current occurrence hit (recovery undoes exactly these).
    pub hits: Vec<Vec<InstanceId>>,
    /// Whether a fault can freeze an instance or lose its answers (hang, network, AZ outage).
    pub freezable: bool,
    /// Availability Zones in an `az_outage` now (one entry per fault in progress): Auto Scaling
    /// launches elsewhere.
    pub zones_down: Vec<(FaultId, String)>,
}

impl Faults {
    /// The faults of `sc`, none in progress.
    pub fn new(sc: &Scenario) -> Faults {
        Faults {
            rngs: (0..sc.faults.len())
                .map(|i| RngStream::derive(sc.seed, &format!("fault/{i}")))
                .collect(),
            errors: (0..sc.faults.len())
                .map(|i| RngStream::derive(sc.seed, &format!("fault/{i}/errors")))
                .collect(),
            hits: vec![Vec::new(); sc.faults.len()],
            zones_down: Vec::new(),
            freezable: sc.faults.iter().any(|f| {
                matches!(
                    f.kind,
                    FaultKind::Hang | FaultKind::NetworkBlocked | FaultKind::AzOutage
                )
            }),
        }
    }
}

impl World<'_> {
    /// The status instance `i`'s application answers a completed request with: 200, or an
    /// active `application_errors` fault's status for its share of the requests.
    #[inline]
    pub(super) fn application_status(&mut self, i: InstanceId) -> u16 {
        match self.fleet[i].state.app_errors.last() {
            Some(&(fault, share, status))
                if self.faults.errors[fault.index()].uniform() < share =>
            {
                status
            }
            _ => 200,
        }
    }

    /// Whether Availability Zone `az` is in an `az_outage` now.
    pub(super) fn zone_down(&self, az: &str) -> bool {
        self.faults.zones_down.iter().any(|(_, z)| z == az)
    }

    /// Schedules the first occurrence of every fault and every operation.
    pub(super) fn schedule_faults_and_operations(&mut self) {
        for (f, spec) in self.sc.faults.iter().enumerate() {
            let start = match spec.timing {
                FaultTiming::Once { at, .. } => at,
                FaultTiming::Random { mtbf, .. } => self.exponential(f, mtbf),
            };
            if SimTime::ZERO + start < self.end {
                self.queue.schedule(
                    SimTime::ZERO + start,
                    Event::FaultStarts {
                        fault: FaultId(f as u32),
                    },
                );
            }
        }
        for (o, op) in self.sc.operations.iter().enumerate() {
            if SimTime::ZERO + op.at <= self.end {
                self.queue.schedule(
                    SimTime::ZERO + op.at,
                    Event::OperationRuns {
                        operation: OperationId(o as u32),
                    },
                );
            }
        }
    }

    fn exponential(&mut self, fault: usize, mean: SimDuration) -> SimDuration {
        SimDuration::from_nanos_f64(self.faults.rngs[fault].exp1() * mean.0 as f64)
    }

    pub(super) fn on_fault_starts(&mut self, fault: FaultId) {
        let spec = &self.sc.faults[fault.index()];
        let recovery = match spec.timing {
            FaultTiming::Once { duration, .. } => duration,
            FaultTiming::Random { mttr, .. } => mttr.map(|m| self.exponential(fault.index(), m)),
        };
        let (fault_name, effect) = match spec.kind {
            FaultKind::Crash => (
                "crash",
                "in-flight requests are reset, new connections refused".to_string(),
            ),
            FaultKind::Hang => ("hang", "connections accepted, nothing answered".to_string()),
            FaultKind::Slow(f) => ("slow", format!("service times x{f}")),
            FaultKind::HealthPathBroken(code) => (
                "health path broken",
                format!("answers {code}, traffic still served"),
            ),
            FaultKind::NetworkBlocked => (
                "network blocked",
                "the ALB cannot reach the target".to_string(),
            ),
            FaultKind::AzOutage => (
                "AZ outage",
                "instances hang and are unreachable".to_string(),
            ),
            FaultKind::InstanceStop => (
                "instance stopped",
                "down and unreachable; its EC2 status check fails".to_string(),
            ),
            FaultKind::ApplicationErrors { share, status } => (
                "application errors",
                format!(
                    "answers {status} to {}% of requests; health checks still pass",
                    (share * 1000.0).round() / 10.0
                ),
            ),
        };
        let starts = Fault::Starts {
            fault: fault_name,
            effect,
            recovery_seconds: recovery.map(|d| d.as_secs_f64()),
        };
        self.rec
            .activity(self.now, spec.subject.clone(), ActivityKind::Fault(starts));
        let now = self.now;
        let hits: Vec<InstanceId> = (self.fleet.iter())
            .filter(|(_, x)| x.running_at(now))
            .filter(|(_, x)| match &spec.target {
                FaultTarget::Instance(id) => x.spec.id == *id,
                FaultTarget::Zone(az) => x.spec.availability_zone == *az,
            })
            .map(|(i, _)| i)
            .collect();
        if hits.is_empty() {
            let kind = ActivityKind::Fault(Fault::HitsNothing);
            self.rec.activity(self.now, spec.subject.clone(), kind);
        }
        for &i in &hits {
            self.fault_begins(i, fault, spec.kind);
        }
        self.faults.hits[fault.index()] = hits;
        if let (FaultKind::AzOutage, FaultTarget::Zone(az)) = (spec.kind, &spec.target) {
            self.faults.zones_down.push((fault, az.clone()));
        }
        if let Some(d) = recovery {
            self.queue
                .schedule(self.now + d, Event::FaultEnds { fault });
        }
    }

    pub(super) fn on_fault_ends(&mut self, fault: FaultId) {
        let spec = &self.sc.faults[fault.index()];
        let ends = Fault::Ends {
            fault: spec.kind.as_str(),
        };
        self.rec
            .activity(self.now, spec.subject.clone(), ActivityKind::Fault(ends));
        let hits = std::mem::take(&mut self.faults.hits[fault.index()]);
        for &i in &hits {
            self.fault_ends(i, fault, spec.kind);
        }
        self.faults.zones_down.retain(|(f, _)| *f != fault);
        if let FaultTiming::Random { mtbf, .. } = spec.timing {
            let next = self.now + self.exponential(fault.index(), mtbf);
            if next < self.end {
                self.queue.schedule(next, Event::FaultStarts { fault });
            }
        }
    }

    fn fault_begins(&mut self, i: InstanceId, fault: FaultId, kind: FaultKind) {
        let vcpus = self.fleet[i].spec.vcpus;
        let inst = &mut self.fleet[i].state;
        match kind {
            FaultKind::Crash => {
                inst.crashed += 1;
                if inst.crashed == 1 {
                    self.drop_everything(i);
                }
            }
            FaultKind::Hang => inst.freeze(self.now, vcpus),
            FaultKind::Slow(f) => inst.slow_factor *= f,
            FaultKind::HealthPathBroken(code) => inst.health_status = Some(code),
            FaultKind::ApplicationErrors { share, status } => {
                inst.app_errors.push((fault, share, status));
            }
            FaultKind::NetworkBlocked => inst.blocked += 1,
            FaultKind::AzOutage => {
                inst.blocked += 1;
                inst.freeze(self.now, vcpus);
            }
            FaultKind::InstanceStop => {
                inst.stopped += 1;
                inst.blocked += 1;
                inst.crashed += 1;
                if inst.crashed == 1 {
                    self.drop_everything(i);
                }
            }
        }
    }

    fn fault_ends(&mut self, i: InstanceId, fault: FaultId, kind: FaultKind) {
        let inst = &mut self.fleet[i].state;
        match kind {
            FaultKind::Crash => inst.crashed -= 1,
            FaultKind::Hang => {
                inst.hung -= 1;
                if inst.hung == 0 {
                    // The application is restarted: whatever it held is reset.
                    self.drop_everything(i);
                }
            }
            FaultKind::Slow(f) => inst.slow_factor /= f,
            FaultKind::HealthPathBroken(_) => inst.health_status = None,
            FaultKind::ApplicationErrors { .. } => inst.app_errors.retain(|e| e.0 != fault),
            FaultKind::NetworkBlocked => inst.blocked -= 1,
            FaultKind::AzOutage => {
                inst.blocked -= 1;
                inst.hung -= 1;
                if inst.hung == 0 {
                    self.drop_everything(i);
                }
            }
            FaultKind::InstanceStop => {
                inst.stopped -= 1;
                inst.blocked -= 1;
                inst.crashed -= 1;
            }
        }
    }

    /// The application on instance `i` dies or restarts: every request and health check it held is
    /// reset (the ALB answers 502 to those still waiting) and its queues are emptied.
    fn drop_everything(&mut self, i: InstanceId) {
        self.close_websockets(WsClose::TargetFailure, |_, _, instance| instance == i);
        for slot in 0..self.lb.requests.capacity() {
            if !self.lb.requests.is_occupied(slot) {
                continue;
            }
            let r = self.lb.requests[slot];
            let held = r.instance == i && matches!(r.stage, Stage::AtTarget | Stage::Abandoned);
            if !held {
                continue;
            }
            if r.stage == Stage::Abandoned {
                self.lb.requests.remove(slot);
            } else if self.fleet[i].state.blocked > 0 {
                // The reset cannot reach the ALB either: it keeps waiting until its idle timeout.
                self.lb.requests[slot].stage = Stage::Lost;
            } else {
                self.release_target(slot);
                self.respond_and_wake(slot, 502, Origin::LoadBalancer, None, 0);
            }
        }
        // Then the health checks it held fail (`Target.FailedHealthChecks`). All requests are
        // answered before any check fails: a reply only lets a user think (its draws come from
        // its own client's stream, in slot order as before), and a failed check only changes
        // target states, so the two orders differ at most in the order of activity lines of this
        // one instant (a drain completed by a reply, a target marked unhealthy by a check).
        let checks: Vec<(u32, CheckerId, u32)> = (self.health.in_flight.occupied())
            .filter(|(_, c)| c.instance == i)
            .map(|(slot, c)| (slot, c.checker, c.seq))
            .collect();
        for (slot, checker, seq) in checks {
            self.health.in_flight.remove(slot);
            self.check_result(checker, seq, Err(CheckFailure::ConnectionRefused));
        }
        self.pollers_lose_work(i, "its process died or restarted", false);
        let vcpus = self.fleet[i].spec.vcpus;
        self.fleet[i].state.reset(self.now, vcpus);
    }
}
