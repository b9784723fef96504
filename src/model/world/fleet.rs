//! The fleet: every EC2 instance of a run, the model's and those Auto Scaling launched.
//!
//! An instance is never removed: a terminated one keeps its results (requests completed, CPU over
//! its lifetime, launch and termination times) for the summary.

use crate::engine::SimTime;
use crate::model::ids::{AsgId, AsgMemberId, InstanceId};
use crate::model::instance::{InstanceSpec, InstanceState};
use crate::recorder::InstanceResult;
use std::ops::{Index, IndexMut};

/// Which Auto Scaling group launched an instance, and as which of its members.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Owner {
    /// The group.
    pub asg: AsgId,
    /// The member of that group.
    pub member: AsgMemberId,
}

/// Bytes an instance received and sent this metric period (EC2 `NetworkIn`, `NetworkOut`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) struct NetworkBytes {
    /// Request bytes received.
    pub received: u64,
    /// Response bytes sent.
    pub sent: u64,
}

/// One EC2 instance: what it is, what it is doing, and what it has done.
#[derive(Debug)]
pub(super) struct Instance {
    /// Its id, type, Availability Zone and capacity.
    pub spec: InstanceSpec,
    /// Its workers, backlog, CPU sharing and fault state.
    pub state: InstanceState,
    /// When it was launched (`ZERO` for the model's instances).
    pub launched: SimTime,
    /// When it was terminated (`NEVER` while it runs).
    pub terminated: SimTime,
    /// ∫ busy vCPUs dt at the last metric period boundary.
    pub cpu_mark: u128,
    /// Network bytes this period (kept only when something reads them).
    pub network: NetworkBytes,
    /// Requests it completed.
    pub completed: u64,
    /// The Auto Scaling group that owns it, if any.
    pub owner: Option<Owner>,
}

impl Instance {
    /// Whether it runs at `now` (launched, not yet terminated).
    pub fn running_at(&self, now: SimTime) -> bool {
        self.terminated == SimTime::NEVER && self.launched <= now
    }
}

/// Every instance of the run, indexed by [`InstanceId`].
#[derive(Debug, Default)]
pub(super) struct Fleet {
    instances: Vec<Instance>,
}

impl Fleet {
    /// The model's instances, running from time 0.
    pub fn new(specs: &[InstanceSpec]) -> Fleet {
        let mut fleet = Fleet::default();
        for spec in specs {
            fleet.launch(spec.clone(), SimTime::ZERO, None);
        }
        fleet
    }

    /// Adds an instance launched at `now`; returns its id.
    pub fn launch(&mut self, spec: InstanceSpec, now: SimTime, owner: Option<Owner>) -> InstanceId {
        let id = InstanceId(self.instances.len() as u32);
        let mut state = InstanceState::new(&spec);
        state.advance(now, spec.vcpus);
        self.instances.push(Instance {
            spec,
            state,
            launched: now,
            terminated: SimTime::NEVER,
            cpu_mark: 0,
            network: NetworkBytes::default(),
            completed: 0,
            owner,
        });
        id
    }

    /// Every instance, in launch order, with its id.
    pub fn iter(&self) -> impl Iterator<Item = (InstanceId, &Instance)> {
        (self.instances.iter().enumerate()).map(|(i, x)| (InstanceId(i as u32), x))
    }

    /// Starts a new metric period of the network counters.
    pub fn clear_network(&mut self) {
        self.instances
            .iter_mut()
            .for_each(|x| x.network = NetworkBytes::default());
    }

    /// `CPUUtilization` \[%\] of each instance over `[start, now]`: busy vCPU time over the part of
    /// the period it was running; `None` if it was not running at all.
    pub fn period_cpu(&mut self, start: SimTime, now: SimTime) -> Vec<Option<f64>> {
        self.instances
            .iter_mut()
            .map(|x| {
                let (from, to) = (x.launched.max(start), x.terminated.min(now));
                let vcpus = x.spec.vcpus;
                // Never back in time: a terminated instance's clock may have moved past its
                // death (a completion handled after it), and the integral cannot run backwards.
                let at = to.max(from).max(x.state.updated());
                x.state.advance(at, vcpus);
                let busy = x.state.busy_vcpu_ns();
                let used = busy - x.cpu_mark;
                x.cpu_mark = busy;
                (to > from)
                    .then(|| 100.0 * used as f64 / (to.since(from).0 as f64 * f64::from(vcpus)))
            })
            .collect()
    }

    /// Per-instance results of a run that ended at `end`.
    pub fn results(&self, end: SimTime) -> Vec<InstanceResult> {
        self.instances
            .iter()
            .map(|x| {
                let (spec, born, died) = (&x.spec, x.launched, x.terminated);
                let alive = died.min(end).since(born).as_secs_f64();
                InstanceResult {
                    id: spec.id.clone(),
                    instance_type: spec.instance_type.clone(),
                    availability_zone: spec.availability_zone.clone(),
                    cpu_utilization: if alive > 0.0 {
                        100.0 * x.state.busy_vcpu_ns() as f64
                            / (alive * 1e9 * f64::from(spec.vcpus))
                    } else {
                        0.0
                    },
                    requests_completed: x.completed,
                    launched_seconds: born.as_secs_f64(),
                    terminated_seconds: (died <= end).then(|| died.as_secs_f64()),
                    price_per_hour: spec.price_per_hour,
                }
            })
            .collect()
    }
}

impl Index<InstanceId> for Fleet {
    type Output = Instance;

    #[inline(always)]
    fn index(&self, i: InstanceId) -> &Instance {
        &self.instances[i.index()]
    }
}

impl IndexMut<InstanceId> for Fleet {
    #[inline(always)]
    fn index_mut(&mut self, i: InstanceId) -> &mut Instance {
        &mut self.instances[i.index()]
    }
}
