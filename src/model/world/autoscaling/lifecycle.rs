//! An Auto Scaling instance's way through its lifecycle: launch (`Pending`), launch hook
//! (`Pending:Wait`), registration with the group's target groups (`InService`), deregistration and
//! draining (`Terminating`), termination hook (`Terminating:Wait`), `Terminated`.

use super::member::{Lifecycle, Member};
use crate::engine::{SimDuration, SimTime};
use crate::model::event::Event;
use crate::model::health::HealthState;
use crate::model::ids::{AsgId, AsgMemberId, InstanceId, MemberId, TargetGroupId};
use crate::model::instance::InstanceSpec;
use crate::model::world::World;
use crate::model::world::fleet::Owner;
use crate::recorder::{ScalingActivity, ScalingCause};

impl World<'_> {
    /// Launches one instance in the Availability Zone with the fewest instances, among the zones
    /// not in an `az_outage` (AWS: "launches new instances in an unaffected Availability Zone";
    /// if every zone is out, among all); returns it.
    pub(super) fn launch(&mut self, a: AsgId) -> AsgMemberId {
        let spec = &self.sc.auto_scaling_groups[a.index()];
        let per_zone = self.zone_counts(a);
        let up: Vec<usize> = (0..spec.zones.len())
            .filter(|&z| !self.zone_down(&spec.zones[z]))
            .collect();
        let zones = if up.is_empty() {
            (0..spec.zones.len()).collect()
        } else {
            up
        };
        let zone = (zones.into_iter())
            .min_by_key(|&z| (per_zone[z], z))
            .unwrap_or(0);
        let run = &mut self.scaling.groups[a.index()];
        run.launches += 1;
        let id = format!("{}-{:04}", spec.name, run.launches);
        let t = &spec.template;
        let ispec = InstanceSpec {
            id,
            instance_type: t.instance_type.name.clone(),
            availability_zone: spec.zones[zone].clone(),
            vcpus: t.instance_type.vcpus,
            workers: t.workers,
            backlog: t.backlog,
            price_per_hour: t.instance_type.price_per_hour,
            pollers: self.sqs.group_pollers(self.sc, a),
        };
        let member = AsgMemberId(run.members.len() as u32);
        let owner = Owner { asg: a, member };
        let instance = self.fleet.launch(ispec, self.now, Some(owner));
        run.members.push(Member {
            instance,
            zone,
            state: Lifecycle::Pending,
            launched: self.now,
            in_service: SimTime::NEVER,
            protected: spec.protected,
            worker_protected: false,
            initial: false,
            rebalancing: false,
        });
        member
    }

    /// Launches `n` instances now (they boot, then enter service).
    pub(super) fn launch_some(
        &mut self,
        a: AsgId,
        n: u32,
        cause: &ScalingCause,
    ) -> Vec<InstanceId> {
        let mut launched = Vec::new();
        for _ in 0..n {
            let m = self.launch(a);
            let run = &mut self.scaling.groups[a.index()];
            let boot = self.sc.auto_scaling_groups[a.index()]
                .template
                .launch_time
                .sample(&mut run.rng);
            let instance = run.members[m.index()].instance;
            launched.push(instance);
            self.queue.schedule(
                self.now + boot,
                Event::AsgLaunchCompletes { asg: a, member: m },
            );
            let id = self.fleet[instance].spec.id.clone();
            let az = self.fleet[instance].spec.availability_zone.clone();
            let cause = cause.clone();
            let launching = ScalingActivity::Launching {
                instance: id,
                zone: az,
                cause,
            };
            self.group_log(a, launching);
        }
        launched
    }

    /// An instance finished booting: a launch hook holds it, or it enters service.
    pub(in crate::model::world) fn on_asg_launch_completes(&mut self, a: AsgId, m: AsgMemberId) {
        if self.scaling.groups[a.index()].members[m.index()].state != Lifecycle::Pending {
            return;
        }
        if !self.hold_for_hook(a, m, true) {
            self.enter_service(a, m, false);
        }
    }

    /// A lifecycle hook's wait is over: the transition it held proceeds.
    pub(in crate::model::world) fn on_lifecycle_hook_ends(&mut self, a: AsgId, m: AsgMemberId) {
        match self.scaling.groups[a.index()].members[m.index()].state {
            Lifecycle::PendingWait => self.enter_service(a, m, false),
            Lifecycle::TerminatingWait => self.terminated(a, m),
            _ => {}
        }
    }

    /// Registers the instance with the group's target groups and puts it in service.
    pub(super) fn enter_service(&mut self, a: AsgId, m: AsgMemberId, initial: bool) {
        let spec = &self.sc.auto_scaling_groups[a.index()];
        let instance = self.scaling.groups[a.index()].members[m.index()].instance;
        for &g in &spec.groups {
            self.register_target(g, instance, initial);
            self.host_counts_changed(g);
        }
        let run = &mut self.scaling.groups[a.index()];
        run.members[m.index()].state = Lifecycle::InService;
        run.members[m.index()].in_service = self.now;
        run.members[m.index()].initial = initial;
        if !initial {
            let id = self.member_id(a, m);
            let registered = !self.sc.auto_scaling_groups[a.index()].groups.is_empty();
            self.group_log(
                a,
                ScalingActivity::InService {
                    instance: id,
                    registered,
                },
            );
        }
        self.activity_finished(a, instance);
        self.start_group_workers(a, instance);
        if std::mem::take(&mut self.scaling.groups[a.index()].members[m.index()].rebalancing) {
            self.rebalancing_in_service(a);
        }
    }

    /// Starts terminating a member: deregister from the target groups, then wait for draining.
    pub(super) fn begin_terminate(&mut self, a: AsgId, m: AsgMemberId, cause: &ScalingCause) {
        let spec = &self.sc.auto_scaling_groups[a.index()];
        let instance = self.scaling.groups[a.index()].members[m.index()].instance;
        let was = self.scaling.groups[a.index()].members[m.index()].state;
        let member = &mut self.scaling.groups[a.index()].members[m.index()];
        // A rebalancing launch that goes before it is in service balances nothing.
        member.rebalancing = false;
        member.state = Lifecycle::Terminating;
        let id = self.member_id(a, m);
        let cause = cause.clone();
        self.group_log(
            a,
            ScalingActivity::Terminating {
                instance: id,
                cause,
            },
        );
        let mut longest = SimDuration::ZERO;
        for &g in &spec.groups {
            let gm = self.lb.groups[g.index()].members.iter().position(|x| {
                x.instance == instance
                    && !matches!(x.health.state, HealthState::Unused | HealthState::Draining)
            });
            if let Some(gm) = gm {
                longest = longest.max(self.sc.target_groups[g.index()].deregistration_delay);
                self.deregister(g, MemberId(gm as u32));
            }
        }
        let state = self.scaling.groups[a.index()].members[m.index()].state;
        if state != Lifecycle::Terminating {
            // Draining finished at once (nothing in flight) and termination already proceeded.
        } else if was != Lifecycle::InService || self.all_drained(a, instance) {
            self.proceed_terminate(a, m);
        } else {
            self.queue.schedule(
                self.now + longest,
                Event::AsgDrainEnds { asg: a, member: m },
            );
        }
    }

    fn all_drained(&self, a: AsgId, instance: InstanceId) -> bool {
        self.sc.auto_scaling_groups[a.index()]
            .groups
            .iter()
            .all(|g: &TargetGroupId| {
                self.lb.groups[g.index()]
                    .members
                    .iter()
                    .filter(|x| x.instance == instance)
                    .all(|x| x.in_flight == 0)
            })
    }

    /// Called when a target finishes draining: a terminating instance may now go.
    pub(in crate::model::world) fn asg_member_drained(&mut self, instance: InstanceId) {
        let Some(Owner { asg: a, member: m }) = self.fleet[instance].owner else {
            return;
        };
        if self.scaling.groups[a.index()].members[m.index()].state == Lifecycle::Terminating
            && self.all_drained(a, instance)
        {
            self.proceed_terminate(a, m);
        }
    }

    /// The deregistration delay is over: termination proceeds, drained or not.
    pub(in crate::model::world) fn on_asg_drain_ends(&mut self, a: AsgId, m: AsgMemberId) {
        if self.scaling.groups[a.index()].members[m.index()].state == Lifecycle::Terminating {
            self.proceed_terminate(a, m);
        }
    }

    fn proceed_terminate(&mut self, a: AsgId, m: AsgMemberId) {
        if !self.hold_for_hook(a, m, false) {
            self.terminated(a, m);
        }
    }

    /// Holds a member in `Pending:Wait` (launching) or `Terminating:Wait` for the group's lifecycle
    /// hook of that transition; returns false if there is none.
    fn hold_for_hook(&mut self, a: AsgId, m: AsgMemberId, launching: bool) -> bool {
        let spec = &self.sc.auto_scaling_groups[a.index()];
        let Some(hook) = spec.hooks.iter().find(|h| h.launching == launching) else {
            return false;
        };
        let (wait, name) = (hook.wait, hook.name.clone());
        let (from, to) = if launching {
            (Lifecycle::Pending, Lifecycle::PendingWait)
        } else {
            (Lifecycle::Terminating, Lifecycle::TerminatingWait)
        };
        self.scaling.groups[a.index()].members[m.index()].state = to;
        let id = self.member_id(a, m);
        let hold = ScalingActivity::LifecycleHook {
            instance: id,
            from: from.as_str(),
            to: to.as_str(),
            hook: name,
            seconds: wait.as_secs_f64(),
        };
        self.group_log(a, hold);
        self.queue.schedule(
            self.now + wait,
            Event::LifecycleHookEnds { asg: a, member: m },
        );
        true
    }

    fn terminated(&mut self, a: AsgId, m: AsgMemberId) {
        let member = &mut self.scaling.groups[a.index()].members[m.index()];
        if member.state == Lifecycle::Terminated {
            return;
        }
        member.state = Lifecycle::Terminated;
        let instance = member.instance;
        let born = member.launched;
        self.fleet[instance].terminated = self.now;
        // The instance is gone: nothing reaches it any more, and it computes nothing more (its CPU
        // stops at its end: what it still held is never answered, as on a hung instance).
        let vcpus = self.fleet[instance].spec.vcpus;
        let inst = &mut self.fleet[instance].state;
        inst.crashed += 1;
        inst.blocked += 1;
        inst.freeze(self.now, vcpus);
        self.pollers_lose_work(instance, "terminated", true);
        let id = self.member_id(a, m);
        let billed = self.now.since(born).as_secs_f64().max(60.0);
        let terminated = ScalingActivity::Terminated {
            instance: id,
            billed_seconds: billed,
        };
        self.group_log(a, terminated);
        self.activity_finished(a, instance);
    }
}
