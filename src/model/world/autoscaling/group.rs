//! An Auto Scaling group's members and capacity: the desired capacity stays within
//! `[MinSize, MaxSize]`, the group launches or terminates to match it (scale-in picks its victim
//! by AZ balance, then `TerminationPolicies`, then at random), and its health check loop replaces
//! unhealthy instances (`HealthCheckType`, `HealthCheckGracePeriod`).
//!
//! Lifecycle (`aws-behavior.md` §10.6): `Pending` (boot + application start) → `Pending:Wait`
//! (launch hooks) → registered with the target groups → `InService` (warming up for the policy's
//! warm-up) … → `Terminating` (deregistered; the group waits for in-flight requests or the
//! deregistration delay) → `Terminating:Wait` (termination hooks) → `Terminated`. Billing runs from
//! launch to termination. The transitions are in `lifecycle.rs`.

use super::member::{Lifecycle, Member};
use super::policy::PolicyRun;
use crate::engine::{RngStream, SimTime};
use crate::model::autoscaling::{HealthCheckType, TerminationPolicy};
use crate::model::event::Event;
use crate::model::health::HealthState;
use crate::model::ids::{AsgId, AsgMemberId};
use crate::model::world::World;
use crate::recorder::{ChangedBy, ScalingActivity, ScalingCause};
use std::collections::VecDeque;

/// Run state of a group.
#[derive(Clone, Debug)]
pub(super) struct GroupRun {
    /// `MinSize` (scheduled actions change it).
    pub min: u32,
    /// `MaxSize`.
    pub max: u32,
    /// `DesiredCapacity`.
    pub desired: u32,
    /// Every instance it launched, indexed by [`AsgMemberId`].
    pub members: Vec<Member>,
    /// Instances launched so far (names the next one).
    pub launches: u32,
    /// Run state of its policies, indexed by [`crate::model::ids::PolicyId`].
    pub policies: Vec<PolicyRun>,
    /// Launch times.
    pub rng: RngStream,
    /// The termination policies' final random choice.
    pub termination_rng: RngStream,
    /// Scale-out activities.
    pub scale_outs: u64,
    /// Scale-in activities.
    pub scale_ins: u64,
    /// Unhealthy instances replaced.
    pub replacements: u64,
    /// Since when `desired` has been the group's starting `DesiredCapacity` (`None` while it
    /// differs): the exact time of its last return, for the summary.
    pub at_start_since: Option<SimTime>,
    /// Per-minute values of the group's CPU (all InService, ready only), for 5-minute basic
    /// monitoring.
    pub cpu_minutes: VecDeque<(Option<f64>, Option<f64>)>,
}

impl GroupRun {
    /// Instances that count against the desired capacity: launching or in service, but not the
    /// `AZRebalance` launches still on their way (they are extra until their partner goes).
    pub fn alive(&self) -> u32 {
        let counted = |m: &&Member| m.state.counts() && !m.rebalancing;
        self.members.iter().filter(counted).count() as u32
    }
}

impl World<'_> {
    /// Brings the number of instances to the desired capacity.
    pub(super) fn reconcile(&mut self, a: AsgId, cause: &ScalingCause) {
        let run = &self.scaling.groups[a.index()];
        let alive = run.alive();
        let desired = run.desired;
        if alive < desired {
            self.launch_some(a, desired - alive, cause);
        } else if alive > desired {
            loop {
                let run = &self.scaling.groups[a.index()];
                if run.alive() <= run.desired {
                    break;
                }
                match self.choose_victim(a) {
                    Some(m) => self.begin_terminate(a, m, cause),
                    None => {
                        self.group_log(a, ScalingActivity::AllProtected);
                        break;
                    }
                }
            }
        }
    }

    /// The instance to terminate on scale-in: the AZ with the most instances first, then the
    /// termination policies in order, then (as AWS) a random one among ties.
    fn choose_victim(&mut self, a: AsgId) -> Option<AsgMemberId> {
        let spec = &self.sc.auto_scaling_groups[a.index()];
        let run = &self.scaling.groups[a.index()];
        let candidates: Vec<u32> = (0..run.members.len() as u32)
            .filter(|&m| {
                let x = &run.members[m as usize];
                x.state.counts() && !x.protected && !x.worker_protected
            })
            .collect();
        if candidates.is_empty() {
            return None;
        }
        let per_zone = self.zone_counts(a);
        let busiest = candidates
            .iter()
            .map(|&m| per_zone[run.members[m as usize].zone])
            .max()?;
        let mut pool: Vec<u32> = candidates
            .into_iter()
            .filter(|&m| per_zone[run.members[m as usize].zone] == busiest)
            .collect();
        // Pending instances go before InService ones.
        if pool
            .iter()
            .any(|&m| run.members[m as usize].state != Lifecycle::InService)
        {
            pool.retain(|&m| run.members[m as usize].state != Lifecycle::InService);
        }
        for policy in &spec.termination {
            let key = |m: &u32| -> i128 {
                let x = &run.members[*m as usize];
                match policy {
                    TerminationPolicy::OldestInstance => i128::from(x.launched.0),
                    TerminationPolicy::NewestInstance => -i128::from(x.launched.0),
                    TerminationPolicy::Default | TerminationPolicy::ClosestToNextInstanceHour => {
                        // Time left in the current instance-hour.
                        let hour = 3_600_000_000_000u64;
                        i128::from(hour - self.now.since(x.launched).0 % hour)
                    }
                    TerminationPolicy::OldestLaunchTemplate => 0,
                }
            };
            if let Some(best) = pool.iter().map(key).min() {
                pool.retain(|m| key(m) == best);
            }
            if pool.len() == 1 {
                break;
            }
        }
        // AWS's last criterion is random: a draw from the group's own stream.
        match pool.len() {
            0 => None,
            1 => Some(AsgMemberId(pool[0])),
            n => {
                let k = self.scaling.groups[a.index()].termination_rng.below(n);
                Some(AsgMemberId(pool[k]))
            }
        }
    }

    /// A worker program on instance `i` sets (`on`) or removes its scale-in protection
    /// (`SetInstanceProtection`); removing it lets a scale-in that found every instance protected
    /// proceed.
    pub(in crate::model::world) fn set_worker_protection(
        &mut self,
        i: crate::model::ids::InstanceId,
        on: bool,
    ) {
        let Some(owner) = self.fleet[i].owner else {
            return;
        };
        let run = &mut self.scaling.groups[owner.asg.index()];
        run.members[owner.member.index()].worker_protected = on;
        if !on && run.alive() > run.desired {
            let cause = ScalingCause::ProtectionRemoved { at: self.now };
            self.reconcile(owner.asg, &cause);
        }
    }

    /// Sets the desired capacity (clamped to [MinSize, MaxSize]) and acts on it.
    pub(super) fn set_desired(&mut self, a: AsgId, wanted: i64, cause: ChangedBy) -> bool {
        let starting = self.sc.auto_scaling_groups[a.index()].desired;
        let now = self.now;
        let run = &mut self.scaling.groups[a.index()];
        let new = wanted.clamp(i64::from(run.min), i64::from(run.max)) as u32;
        let old = run.desired;
        if new == old {
            return false;
        }
        run.desired = new;
        run.at_start_since = (new == starting).then_some(now);
        if new > old {
            run.scale_outs += 1;
        } else {
            run.scale_ins += 1;
        }
        let cause = ScalingCause::DesiredCapacity {
            at: now,
            by: cause,
            from: old,
            to: new,
            wanted,
        };
        self.reconcile(a, &cause);
        true
    }

    /// The group's health check loop: replaces unhealthy instances (`HealthCheckType`,
    /// `HealthCheckGracePeriod`). Replacement does not wait for any cooldown.
    pub(in crate::model::world) fn on_asg_health_check_runs(&mut self, a: AsgId) {
        let spec = &self.sc.auto_scaling_groups[a.index()];
        self.queue.schedule(
            self.now + spec.health_poll,
            Event::AsgHealthCheckRuns { asg: a },
        );
        let mut unhealthy = Vec::new();
        for (m, x) in self.scaling.groups[a.index()].members.iter().enumerate() {
            if x.state != Lifecycle::InService {
                continue;
            }
            let inst = &self.fleet[x.instance].state;
            let ec2 = inst.stopped > 0;
            let past_grace = x.served(self.now) >= spec.grace_period;
            let elb = spec.health_check_type == HealthCheckType::Elb
                && past_grace
                && spec.groups.iter().any(|g| {
                    self.lb.groups[g.index()].members.iter().any(|t| {
                        t.instance == x.instance && t.health.state == HealthState::Unhealthy
                    })
                });
            let m = AsgMemberId(m as u32);
            if ec2 {
                unhealthy.push((
                    m,
                    "an EC2 health check indicated the instance is not running (status: stopped)",
                ));
            } else if elb {
                unhealthy.push((m, "an ELB system health check failure (the load balancer marked the target unhealthy)"));
            }
        }
        for (m, why) in unhealthy {
            self.scaling.groups[a.index()].replacements += 1;
            let id = self.member_id(a, m);
            self.group_log(a, ScalingActivity::MarkedUnhealthy { instance: id, why });
            let cause = ScalingCause::UnhealthyInstance { at: self.now, why };
            self.begin_terminate(a, m, &cause);
            let cause = ScalingCause::ReplacingUnhealthy { at: self.now };
            self.reconcile(a, &cause);
        }
        self.rebalance_zones(a);
    }

    /// Instances launching or in service per zone of the group (its `AvailabilityZones` order).
    pub(super) fn zone_counts(&self, a: AsgId) -> Vec<u32> {
        let spec = &self.sc.auto_scaling_groups[a.index()];
        let mut per_zone = vec![0u32; spec.zones.len()];
        for m in self.scaling.groups[a.index()].members.iter() {
            if m.state.counts() {
                per_zone[m.zone] += 1;
            }
        }
        per_zone
    }

    /// `AZRebalance`, at the group's health poll: when every zone is up and the zones' instance
    /// counts differ by more than one, the group launches in the least populated zones first —
    /// at most `MaxSize` + its margin (10 % of `MaxSize` or one instance, whichever is greater)
    /// in all — and terminates one in the most populated zone as each is in service.
    fn rebalance_zones(&mut self, a: AsgId) {
        let spec = &self.sc.auto_scaling_groups[a.index()];
        let run = &self.scaling.groups[a.index()];
        if spec.zones.len() < 2
            || run.members.iter().any(|m| m.rebalancing)
            || spec.zones.iter().any(|z| self.zone_down(z))
        {
            return;
        }
        let per_zone = self.zone_counts(a);
        let (lo, hi) = (per_zone.iter().min(), per_zone.iter().max());
        let (Some(&lo), Some(&hi)) = (lo, hi) else {
            return;
        };
        if hi - lo <= 1 {
            return;
        }
        // Balanced: every zone holds ⌊n/z⌋ or ⌈n/z⌉; the zones below ⌊n/z⌋ need these launches.
        let n: u32 = per_zone.iter().sum();
        let floor = n / per_zone.len() as u32;
        let moves: u32 = per_zone.iter().map(|&c| floor.saturating_sub(c)).sum();
        let margin = (run.max / 10).max(1);
        let room = (run.max + margin).saturating_sub(n);
        let launches = moves.min(room);
        if launches == 0 {
            return;
        }
        let cause = ScalingCause::AzRebalance {
            at: self.now,
            launch: true,
        };
        for instance in self.launch_some(a, launches, &cause) {
            let Some(owner) = self.fleet[instance].owner else {
                continue;
            };
            self.scaling.groups[a.index()].members[owner.member.index()].rebalancing = true;
        }
    }

    /// A rebalancing launch is in service: the group terminates one instance in its most
    /// populated zone (the scale-in choice), keeping the capacity it had.
    pub(super) fn rebalancing_in_service(&mut self, a: AsgId) {
        if let Some(victim) = self.choose_victim(a) {
            let cause = ScalingCause::AzRebalance {
                at: self.now,
                launch: false,
            };
            self.begin_terminate(a, victim, &cause);
        }
    }
}
