//! Auto Scaling groups at run time: capacity, instance lifecycle, health replacement, alarms and
//! scaling policies, with an AWS-style activity history that says why something happened — or
//! why it did not.
//!
//! Lifecycle (`aws-behavior.md` §10.6): `Pending` (boot + application start) → `Pending:Wait`
//! (launch hooks) → registered with the target groups → `InService` (warming up for the policy's
//! warm-up) … → `Terminating` (deregistered; the group waits for in-flight requests or the
//! deregistration delay) → `Terminating:Wait` (termination hooks) → `Terminated`. Billing runs from
//! launch to termination.
//!
//! Every metric period (60 s) the group's metrics are computed, each alarm gets its datapoint (or,
//! for longer periods, every few metric periods), is evaluated, and while an alarm is in `ALARM` its
//! policies run (AWS re-invokes Auto Scaling actions on every evaluation).

use super::World;
use super::fleet::Owner;
use crate::engine::{RngStream, SimDuration, SimTime};
use crate::model::autoscaling::{
    HealthCheckType, MetricRef, PolicyKind, TerminationPolicy, find_step, target_tracking_capacity,
};
use crate::model::cloudwatch::AlarmState;
use crate::model::event::Event;
use crate::model::health::HealthState;
use crate::model::ids::{InstanceId, TargetGroupId};
use crate::model::instance::InstanceSpec;
use crate::recorder::{
    ActivityKind, AlarmChange, PolicyNote, ScalingActivity, SizeLimit, TwoDecimals,
};
use std::collections::VecDeque;

/// AWS lifecycle state of a group's instance.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Lifecycle {
    /// Booting.
    Pending,
    /// Held by a launch hook.
    PendingWait,
    /// Serving.
    InService,
    /// Deregistering (draining).
    Terminating,
    /// Held by a termination hook.
    TerminatingWait,
    /// Gone.
    Terminated,
}

impl Lifecycle {
    fn as_str(self) -> &'static str {
        match self {
            Lifecycle::Pending => "Pending",
            Lifecycle::PendingWait => "Pending:Wait",
            Lifecycle::InService => "InService",
            Lifecycle::Terminating => "Terminating",
            Lifecycle::TerminatingWait => "Terminating:Wait",
            Lifecycle::Terminated => "Terminated",
        }
    }

    /// Counts toward the group's capacity (not on its way out).
    fn counts(self) -> bool {
        matches!(
            self,
            Lifecycle::Pending | Lifecycle::PendingWait | Lifecycle::InService
        )
    }
}

/// One instance of a group.
#[derive(Clone, Debug)]
pub(super) struct Member {
    instance: InstanceId,
    zone: usize,
    state: Lifecycle,
    launched: SimTime,
    in_service: SimTime,
    /// Protected from scale-in (`NewInstancesProtectedFromScaleIn`).
    protected: bool,
    /// Part of the initial capacity: in service since before the run, so warmed up and past its
    /// grace period.
    initial: bool,
}

impl Member {
    /// How long it has been in service (for warm-up and the grace period).
    fn served(&self, now: SimTime) -> SimDuration {
        if self.initial {
            SimDuration(u64::MAX)
        } else {
            now.since(self.in_service)
        }
    }
}

/// Run state of a policy.
#[derive(Clone, Debug, Default)]
struct PolicyRun {
    /// Simple scaling: no new activity before this.
    cooldown_until: SimTime,
    /// Simple scaling: instances of its last activity still launching or terminating.
    in_progress: Vec<InstanceId>,
    /// Last "why not" note, so the history says it once, not every minute.
    last_note: Option<PolicyNote>,
}

/// Run state of a group.
#[derive(Clone, Debug)]
pub(super) struct GroupRun {
    min: u32,
    max: u32,
    desired: u32,
    members: Vec<Member>,
    launches: u32,
    policies: Vec<PolicyRun>,
    /// Launch times.
    rng: RngStream,
    /// The termination policies' final random choice.
    termination_rng: RngStream,
    scale_outs: u64,
    scale_ins: u64,
    replacements: u64,
    /// Per-minute values of the group's CPU (all InService, ready only), for 5-minute basic
    /// monitoring.
    cpu_minutes: VecDeque<(Option<f64>, Option<f64>)>,
}

/// Run state of an alarm.
#[derive(Clone, Debug)]
struct AlarmRun {
    state: AlarmState,
    /// Metric values of recent metric periods (oldest first).
    minutes: VecDeque<Option<f64>>,
    /// Recent datapoints of the alarm's own period (oldest first).
    datapoints: VecDeque<Option<f64>>,
    /// Latest datapoint.
    last: Option<f64>,
    /// Warmed-up InService instances of the alarm's group when the latest datapoint was taken:
    /// the N the datapoint describes (target tracking's `ceil(N · metric / target)`).
    basis: u32,
}

/// All scaling state of a run.
#[derive(Clone, Debug, Default)]
pub(super) struct Scaling {
    pub(super) groups: Vec<GroupRun>,
    alarms: Vec<AlarmRun>,
}

impl World<'_> {
    /// Creates the groups' initial instances (already `InService` at time 0, like targets listed in
    /// a target group) and schedules health polls and scheduled actions.
    pub(super) fn start_autoscaling(&mut self) {
        let sc = self.sc;
        self.scaling.alarms = sc
            .alarms
            .iter()
            .map(|_| AlarmRun {
                state: AlarmState::InsufficientData,
                minutes: VecDeque::new(),
                datapoints: VecDeque::new(),
                last: None,
                basis: 0,
            })
            .collect();
        for (a, spec) in sc.auto_scaling_groups.iter().enumerate() {
            self.scaling.groups.push(GroupRun {
                min: spec.min,
                max: spec.max,
                desired: spec.desired,
                members: Vec::new(),
                launches: 0,
                policies: vec![PolicyRun::default(); spec.policies.len()],
                rng: RngStream::derive(
                    sc.seed,
                    &format!("auto_scaling_group/{}/launch", spec.name),
                ),
                termination_rng: RngStream::derive(
                    sc.seed,
                    &format!("auto_scaling_group/{}/termination", spec.name),
                ),
                scale_outs: 0,
                scale_ins: 0,
                replacements: 0,
                cpu_minutes: VecDeque::new(),
            });
            for _ in 0..spec.desired {
                let m = self.launch(a as u32);
                // Instances of the initial capacity are up before the run starts.
                self.enter_service(a as u32, m, true);
            }
            self.queue.schedule(
                SimTime::ZERO + spec.health_poll,
                Event::AsgHealthPoll { asg: a as u32 },
            );
            for (k, action) in spec.scheduled.iter().enumerate() {
                if SimTime::ZERO + action.at <= self.end {
                    self.queue.schedule(
                        SimTime::ZERO + action.at,
                        Event::AsgScheduled {
                            asg: a as u32,
                            action: k as u32,
                        },
                    );
                }
            }
            let name = spec.name.clone();
            let starts = ScalingActivity::GroupStarts {
                desired: spec.desired,
                min: spec.min,
                max: spec.max,
            };
            self.rec
                .activity(self.now, name, ActivityKind::Scaling(starts));
        }
    }

    fn group_log(&mut self, a: u32, activity: ScalingActivity) {
        let name = self.sc.auto_scaling_groups[a as usize].name.clone();
        self.rec
            .activity(self.now, name, ActivityKind::Scaling(activity));
    }

    /// Launches one instance in the Availability Zone with the fewest instances; returns its member
    /// index.
    fn launch(&mut self, a: u32) -> u32 {
        let spec = &self.sc.auto_scaling_groups[a as usize];
        let run = &mut self.scaling.groups[a as usize];
        let mut per_zone = vec![0u32; spec.zones.len()];
        for m in run.members.iter().filter(|m| m.state.counts()) {
            per_zone[m.zone] += 1;
        }
        let zone = (0..spec.zones.len())
            .min_by_key(|&z| (per_zone[z], z))
            .unwrap_or(0);
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
        };
        let member = run.members.len() as u32;
        let owner = Owner { asg: a, member };
        let instance = self.fleet.launch(ispec, self.now, Some(owner));
        run.members.push(Member {
            instance,
            zone,
            state: Lifecycle::Pending,
            launched: self.now,
            in_service: SimTime::NEVER,
            protected: spec.protected,
            initial: false,
        });
        member
    }

    /// Launches `n` instances now (they boot, then enter service).
    fn launch_some(&mut self, a: u32, n: u32, cause: &str) -> Vec<InstanceId> {
        let mut launched = Vec::new();
        for _ in 0..n {
            let m = self.launch(a);
            let run = &mut self.scaling.groups[a as usize];
            let boot = self.sc.auto_scaling_groups[a as usize]
                .template
                .launch_time
                .sample(&mut run.rng);
            let instance = run.members[m as usize].instance;
            launched.push(instance);
            self.queue
                .schedule(self.now + boot, Event::AsgLaunched { asg: a, member: m });
            let id = self.fleet[instance].spec.id.clone();
            let az = self.fleet[instance].spec.availability_zone.clone();
            let cause = cause.to_string();
            let launching = ScalingActivity::Launching {
                instance: id,
                zone: az,
                cause,
            };
            self.group_log(a, launching);
        }
        launched
    }

    pub(super) fn on_asg_launched(&mut self, a: u32, m: u32) {
        if self.scaling.groups[a as usize].members[m as usize].state != Lifecycle::Pending {
            return;
        }
        if !self.hold_for_hook(a, m, true) {
            self.enter_service(a, m, false);
        }
    }

    pub(super) fn on_asg_hook_done(&mut self, a: u32, m: u32) {
        match self.scaling.groups[a as usize].members[m as usize].state {
            Lifecycle::PendingWait => self.enter_service(a, m, false),
            Lifecycle::TerminatingWait => self.terminated(a, m),
            _ => {}
        }
    }

    fn member_id(&self, a: u32, m: u32) -> String {
        let i = self.scaling.groups[a as usize].members[m as usize].instance;
        self.fleet[i].spec.id.clone()
    }

    /// Registers the instance with the group's target groups and puts it in service.
    fn enter_service(&mut self, a: u32, m: u32, initial: bool) {
        let spec = &self.sc.auto_scaling_groups[a as usize];
        let instance = self.scaling.groups[a as usize].members[m as usize].instance;
        for &g in &spec.groups {
            let gspec = &self.sc.target_groups[g.index()];
            let member = self.lb.groups[g.index()].register(instance, gspec);
            if initial && gspec.health.enabled {
                self.lb.groups[g.index()].members[member as usize]
                    .health
                    .set(HealthState::Healthy, "", "registered before the run");
                self.lb.groups[g.index()].refresh(gspec);
            }
            self.start_checks(g, member);
            self.host_counts_changed(g);
        }
        let run = &mut self.scaling.groups[a as usize];
        run.members[m as usize].state = Lifecycle::InService;
        run.members[m as usize].in_service = self.now;
        run.members[m as usize].initial = initial;
        if !initial {
            let id = self.member_id(a, m);
            self.group_log(a, ScalingActivity::InService { instance: id });
        }
        self.activity_finished(a, instance);
    }

    /// A simple-scaling activity's instance finished launching or terminating: once all have, the
    /// policy's cooldown starts.
    fn activity_finished(&mut self, a: u32, instance: InstanceId) {
        let now = self.now;
        let spec = &self.sc.auto_scaling_groups[a as usize];
        let mut notes = Vec::new();
        for (p, run) in self.scaling.groups[a as usize]
            .policies
            .iter_mut()
            .enumerate()
        {
            let before = run.in_progress.len();
            run.in_progress.retain(|&i| i != instance);
            if before > 0 && run.in_progress.is_empty() {
                if let PolicyKind::Simple { cooldown, .. } = spec.policies[p].kind {
                    run.cooldown_until = now + cooldown;
                    notes.push(ScalingActivity::CooldownStarts {
                        policy: spec.policies[p].name.clone(),
                        seconds: cooldown.as_secs_f64(),
                    });
                }
            }
        }
        for n in notes {
            self.group_log(a, n);
        }
    }

    /// Starts terminating a member: deregister from the target groups, then wait for draining.
    fn begin_terminate(&mut self, a: u32, m: u32, cause: &str) {
        let spec = &self.sc.auto_scaling_groups[a as usize];
        let instance = self.scaling.groups[a as usize].members[m as usize].instance;
        let was = self.scaling.groups[a as usize].members[m as usize].state;
        self.scaling.groups[a as usize].members[m as usize].state = Lifecycle::Terminating;
        let id = self.member_id(a, m);
        let cause = cause.to_string();
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
                self.deregister(g, gm as u32);
            }
        }
        let state = self.scaling.groups[a as usize].members[m as usize].state;
        if state != Lifecycle::Terminating {
            // Draining finished at once (nothing in flight) and termination already proceeded.
        } else if was != Lifecycle::InService || self.all_drained(a, instance) {
            self.proceed_terminate(a, m);
        } else {
            self.queue.schedule(
                self.now + longest,
                Event::AsgDrainOver { asg: a, member: m },
            );
        }
    }

    fn all_drained(&self, a: u32, instance: InstanceId) -> bool {
        self.sc.auto_scaling_groups[a as usize]
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
    pub(super) fn asg_member_drained(&mut self, instance: InstanceId) {
        let Some(Owner { asg: a, member: m }) = self.fleet[instance].owner else {
            return;
        };
        if self.scaling.groups[a as usize].members[m as usize].state == Lifecycle::Terminating
            && self.all_drained(a, instance)
        {
            self.proceed_terminate(a, m);
        }
    }

    pub(super) fn on_asg_drain_over(&mut self, a: u32, m: u32) {
        if self.scaling.groups[a as usize].members[m as usize].state == Lifecycle::Terminating {
            self.proceed_terminate(a, m);
        }
    }

    fn proceed_terminate(&mut self, a: u32, m: u32) {
        if !self.hold_for_hook(a, m, false) {
            self.terminated(a, m);
        }
    }

    /// Holds a member in `Pending:Wait` (launching) or `Terminating:Wait` for the group's lifecycle
    /// hook of that transition; returns false if there is none.
    fn hold_for_hook(&mut self, a: u32, m: u32, launching: bool) -> bool {
        let spec = &self.sc.auto_scaling_groups[a as usize];
        let Some(hook) = spec.hooks.iter().find(|h| h.launching == launching) else {
            return false;
        };
        let (wait, name) = (hook.wait, hook.name.clone());
        let (from, to) = if launching {
            (Lifecycle::Pending, Lifecycle::PendingWait)
        } else {
            (Lifecycle::Terminating, Lifecycle::TerminatingWait)
        };
        self.scaling.groups[a as usize].members[m as usize].state = to;
        let id = self.member_id(a, m);
        let hold = ScalingActivity::LifecycleHook {
            instance: id,
            from: from.as_str(),
            to: to.as_str(),
            hook: name,
            seconds: wait.as_secs_f64(),
        };
        self.group_log(a, hold);
        self.queue
            .schedule(self.now + wait, Event::AsgHookDone { asg: a, member: m });
        true
    }

    fn terminated(&mut self, a: u32, m: u32) {
        let member = &mut self.scaling.groups[a as usize].members[m as usize];
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
        let id = self.member_id(a, m);
        let billed = self.now.since(born).as_secs_f64().max(60.0);
        let terminated = ScalingActivity::Terminated {
            instance: id,
            billed_seconds: billed,
        };
        self.group_log(a, terminated);
        self.activity_finished(a, instance);
    }

    /// Brings the number of instances to the desired capacity.
    fn reconcile(&mut self, a: u32, cause: &str) {
        let run = &self.scaling.groups[a as usize];
        let alive = run.members.iter().filter(|m| m.state.counts()).count() as u32;
        let desired = run.desired;
        if alive < desired {
            self.launch_some(a, desired - alive, cause);
        } else if alive > desired {
            loop {
                let run = &self.scaling.groups[a as usize];
                let alive = run.members.iter().filter(|m| m.state.counts()).count() as u32;
                if alive <= run.desired {
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
    fn choose_victim(&mut self, a: u32) -> Option<u32> {
        let spec = &self.sc.auto_scaling_groups[a as usize];
        let run = &self.scaling.groups[a as usize];
        let candidates: Vec<u32> = (0..run.members.len() as u32)
            .filter(|&m| {
                let x = &run.members[m as usize];
                x.state.counts() && !x.protected
            })
            .collect();
        if candidates.is_empty() {
            return None;
        }
        let mut per_zone = vec![0u32; spec.zones.len()];
        for x in run.members.iter().filter(|x| x.state.counts()) {
            per_zone[x.zone] += 1;
        }
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
            1 => Some(pool[0]),
            n => {
                let k = self.scaling.groups[a as usize].termination_rng.below(n);
                Some(pool[k])
            }
        }
    }

    /// Sets the desired capacity (clamped to [MinSize, MaxSize]) and acts on it.
    fn set_desired(&mut self, a: u32, wanted: i64, cause: String) -> bool {
        let run = &mut self.scaling.groups[a as usize];
        let new = wanted.clamp(i64::from(run.min), i64::from(run.max)) as u32;
        let old = run.desired;
        if new == old {
            return false;
        }
        run.desired = new;
        if new > old {
            run.scale_outs += 1;
        } else {
            run.scale_ins += 1;
        }
        self.reconcile(
            a,
            &format!("{cause} changing the desired capacity from {old} to {new}."),
        );
        true
    }

    pub(super) fn on_asg_scheduled(&mut self, a: u32, k: u32) {
        let action = self.sc.auto_scaling_groups[a as usize].scheduled[k as usize].clone();
        let run = &mut self.scaling.groups[a as usize];
        if let Some(min) = action.min {
            run.min = min;
        }
        if let Some(max) = action.max {
            run.max = max.max(run.min);
        }
        let desired = action.desired.unwrap_or(run.desired);
        let (min, max) = (run.min, run.max);
        let limits = ScalingActivity::ScheduledAction {
            action: action.name.clone(),
            min,
            max,
        };
        self.group_log(a, limits);
        let cause = format!(
            "At {} scheduled action {} was executed,",
            self.now, action.name
        );
        if !self.set_desired(a, i64::from(desired), cause) {
            // The limits may have moved the clamp.
            let run = &self.scaling.groups[a as usize];
            let clamped = i64::from(run.desired.clamp(run.min, run.max));
            self.set_desired(
                a,
                clamped,
                format!(
                    "At {} scheduled action {} changed the limits,",
                    self.now, action.name
                ),
            );
        }
    }

    /// The group's health check loop: replaces unhealthy instances (`HealthCheckType`,
    /// `HealthCheckGracePeriod`). Replacement does not wait for any cooldown.
    pub(super) fn on_asg_health_poll(&mut self, a: u32) {
        let spec = &self.sc.auto_scaling_groups[a as usize];
        self.queue
            .schedule(self.now + spec.health_poll, Event::AsgHealthPoll { asg: a });
        let mut unhealthy = Vec::new();
        for (m, x) in self.scaling.groups[a as usize].members.iter().enumerate() {
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
            if ec2 {
                unhealthy.push((
                    m as u32,
                    "an EC2 health check indicated the instance is not running (status: stopped)",
                ));
            } else if elb {
                unhealthy.push((m as u32, "an ELB system health check failure (the load balancer marked the target unhealthy)"));
            }
        }
        for (m, why) in unhealthy {
            self.scaling.groups[a as usize].replacements += 1;
            let id = self.member_id(a, m);
            self.group_log(a, ScalingActivity::MarkedUnhealthy { instance: id, why });
            let cause = format!(
                "At {} an instance was taken out of service in response to {why}.",
                self.now
            );
            self.begin_terminate(a, m, &cause);
            self.reconcile(a, &format!("At {} an instance was started in response to a difference between desired and actual capacity, replacing an unhealthy instance.", self.now));
        }
    }

    /// Metrics, alarms and policies at the end of a metric period.
    pub(super) fn evaluate_scaling(&mut self, cpu: &[Option<f64>]) {
        if self.sc.alarms.is_empty() && self.sc.auto_scaling_groups.is_empty() {
            return;
        }
        self.record_group_cpu(cpu);
        let period_index = self.rec.periods_closed() as u64;
        for k in 0..self.sc.alarms.len() {
            let spec = &self.sc.alarms[k];
            let value = self.metric_value(spec.metric);
            let run = &mut self.scaling.alarms[k];
            run.minutes.push_back(value);
            while run.minutes.len() > spec.period_multiple as usize {
                run.minutes.pop_front();
            }
            if period_index % u64::from(spec.period_multiple) != 0 {
                continue;
            }
            let present: Vec<f64> = run.minutes.iter().flatten().copied().collect();
            let datapoint = spec.statistic.combine(&present);
            run.last = datapoint;
            if let Some(&(a, _)) = spec.actions.first() {
                let basis = self.counts(a as u32).0;
                self.scaling.alarms[k].basis = basis;
            }
            let run = &mut self.scaling.alarms[k];
            run.datapoints.push_back(datapoint);
            while run.datapoints.len() > spec.rule.evaluation_periods as usize {
                run.datapoints.pop_front();
            }
            let points: Vec<Option<f64>> = run.datapoints.iter().copied().collect();
            let e = spec.rule.evaluate(&points, run.state);
            let before = run.state;
            run.state = e.state;
            if e.state != before {
                let change = AlarmChange {
                    alarm: spec.name.clone(),
                    from: before.as_str(),
                    to: e.state.as_str(),
                    breaching: e.breaching,
                    evaluation_periods: spec.rule.evaluation_periods,
                    comparison: spec.rule.comparison.symbol(),
                    threshold: spec.rule.threshold,
                    needed: spec.rule.datapoints_to_alarm,
                };
                self.rec.activity(
                    self.now,
                    spec.metric_name.clone(),
                    ActivityKind::Alarm(change),
                );
            }
        }
        self.record_scaling_row();
        // Policies: for every alarm in ALARM, its actions; target tracking once per policy.
        for k in 0..self.sc.alarms.len() {
            if self.scaling.alarms[k].state != AlarmState::Alarm {
                continue;
            }
            for &(a, p) in &self.sc.alarms[k].actions {
                self.run_policy(a as u32, p, k);
            }
        }
        self.note_waiting_scale_in();
    }

    /// Keeps 5 minutes of the groups' per-minute CPU averages (basic monitoring publishes their
    /// mean every 5 minutes).
    fn record_group_cpu(&mut self, cpu: &[Option<f64>]) {
        for a in 0..self.scaling.groups.len() {
            let warm = self.warmup(a as u32);
            let run = &self.scaling.groups[a];
            let mut all = Vec::new();
            let mut ready = Vec::new();
            for x in run
                .members
                .iter()
                .filter(|x| x.state == Lifecycle::InService)
            {
                if let Some(c) = cpu.get(x.instance.index()).copied().flatten() {
                    all.push(c);
                    if x.served(self.now) >= warm {
                        ready.push(c);
                    }
                }
            }
            let mean = |v: &[f64]| (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64);
            let entry = (mean(&all), mean(&ready));
            let run = &mut self.scaling.groups[a];
            run.cpu_minutes.push_back(entry);
            while run.cpu_minutes.len() > 5 {
                run.cpu_minutes.pop_front();
            }
        }
    }

    /// The group's instance warm-up: the first policy's (they usually agree), else the group's.
    fn warmup(&self, a: u32) -> SimDuration {
        let spec = &self.sc.auto_scaling_groups[a as usize];
        spec.policies
            .first()
            .map_or(spec.default_warmup.unwrap_or(spec.default_cooldown), |p| {
                p.warmup
            })
    }

    fn metric_value(&self, metric: MetricRef) -> Option<f64> {
        let minute_of_five =
            (self.rec.periods_closed() as u64 * self.sc.period.0 / 1_000_000_000 / 60) % 5 == 0;
        match metric {
            MetricRef::AsgCpu(a) | MetricRef::AsgCpuReady(a) => {
                let spec = &self.sc.auto_scaling_groups[a];
                let run = &self.scaling.groups[a];
                let pick = |e: &(Option<f64>, Option<f64>)| {
                    if matches!(metric, MetricRef::AsgCpu(_)) {
                        e.0
                    } else {
                        e.1
                    }
                };
                if spec.template.detailed_monitoring {
                    run.cpu_minutes.back().and_then(pick)
                } else if minute_of_five {
                    let v: Vec<f64> = run.cpu_minutes.iter().filter_map(pick).collect();
                    (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64)
                } else {
                    None
                }
            }
            MetricRef::AsgNetworkIn(a) | MetricRef::AsgNetworkOut(a) => {
                let warm = self.warmup(a as u32);
                let ready: Vec<&Member> = self.scaling.groups[a]
                    .members
                    .iter()
                    .filter(|x| x.state == Lifecycle::InService && x.served(self.now) >= warm)
                    .collect();
                if ready.is_empty() {
                    return None;
                }
                let total: u64 = ready
                    .iter()
                    .map(|x| {
                        let b = self.fleet[x.instance].network;
                        if matches!(metric, MetricRef::AsgNetworkIn(_)) {
                            b.received
                        } else {
                            b.sent
                        }
                    })
                    .sum();
                Some(total as f64 / ready.len() as f64)
            }
            MetricRef::AsgInService(a) => Some(
                self.scaling.groups[a]
                    .members
                    .iter()
                    .filter(|x| x.state == Lifecycle::InService)
                    .count() as f64,
            ),
            MetricRef::TgRequestCount(g) => {
                let n = self.group_requests[g.index()];
                (n > 0).then_some(n as f64)
            }
            MetricRef::TgRequestCountPerTarget(g) => {
                let (healthy, _) = self.lb.groups[g.index()].host_counts();
                Some(self.group_requests[g.index()] as f64 / f64::from(healthy.max(1)))
            }
            MetricRef::LbTargetResponseTimePercentile(q) => {
                // Quantiles the recorder computes each period, in the order of the alarms asking.
                let index = self.percentiles.iter().position(|&x| x == q)?;
                self.rec.last_row().and_then(|r| {
                    r.target_response_time_quantiles
                        .get(index)
                        .copied()
                        .flatten()
                })
            }
            MetricRef::LbTargetResponseTime => {
                self.rec.last_row().and_then(|r| r.target_response_time_avg)
            }
            MetricRef::LbElb5xx => self
                .rec
                .last_row()
                .and_then(|r| (r.elb.c5xx > 0).then_some(r.elb.c5xx as f64)),
        }
    }

    /// Instances of a group: (in service and warmed up, warming up, pending).
    fn counts(&self, a: u32) -> (u32, u32, u32) {
        let warm = self.warmup(a);
        let mut out = (0, 0, 0);
        for x in &self.scaling.groups[a as usize].members {
            match x.state {
                Lifecycle::InService if x.served(self.now) >= warm => out.0 += 1,
                Lifecycle::InService => out.1 += 1,
                Lifecycle::Pending | Lifecycle::PendingWait => out.2 += 1,
                _ => {}
            }
        }
        out
    }

    fn note(&mut self, a: u32, p: usize, note: PolicyNote) {
        if self.scaling.groups[a as usize].policies[p]
            .last_note
            .as_ref()
            != Some(&note)
        {
            self.scaling.groups[a as usize].policies[p].last_note = Some(note.clone());
            let name = self.sc.auto_scaling_groups[a as usize].policies[p]
                .name
                .clone();
            self.group_log(a, ScalingActivity::Policy { policy: name, note });
        }
    }

    fn run_policy(&mut self, a: u32, p: usize, alarm: usize) {
        let spec = &self.sc.auto_scaling_groups[a as usize];
        let policy = &spec.policies[p];
        let alarm_spec = &self.sc.alarms[alarm];
        let Some(value) = self.scaling.alarms[alarm].last else {
            return;
        };
        let basis = self.scaling.alarms[alarm].basis;
        let desired = self.scaling.groups[a as usize].desired;
        let (ready, warming, pending) = self.counts(a);
        let cause = format!(
            "At {} a monitor alarm {} in state ALARM triggered policy {}",
            self.now, alarm_spec.name, policy.name
        );
        let (max, min) = (
            self.scaling.groups[a as usize].max,
            self.scaling.groups[a as usize].min,
        );
        match &policy.kind {
            PolicyKind::TargetTracking {
                target,
                disable_scale_in,
                high_alarm,
                ..
            } => {
                let high = alarm == *high_alarm;
                if ready == 0 {
                    self.note(a, p, PolicyNote::NoWarmedUpInstance);
                    return;
                }
                // The datapoint describes the `basis` instances it was measured on; with 5-minute
                // data the alarm keeps acting on the same datapoint, which must not be applied to
                // capacity added since.
                let wanted = target_tracking_capacity(basis.max(1), value, *target);
                if high {
                    if i64::from(wanted) > i64::from(desired) {
                        if desired >= max {
                            self.note(a, p, PolicyNote::WantsAboveMaxSize { wanted, max });
                        } else if self.set_desired(a, i64::from(wanted), cause) {
                            self.scaling.groups[a as usize].policies[p].last_note = None;
                        }
                    }
                } else if let Some(other) = self.tt_policy_against_scale_in(a, p) {
                    self.note(a, p, PolicyNote::OtherPolicyDisagrees { policy: other });
                } else if *disable_scale_in {
                    self.note(a, p, PolicyNote::ScaleInDisabled);
                } else if warming + pending > 0 {
                    self.note(
                        a,
                        p,
                        PolicyNote::ScaleInBlockedByWarmup {
                            instances: warming + pending,
                        },
                    );
                } else if wanted < desired {
                    if desired <= min {
                        self.note(a, p, PolicyNote::WouldScaleInBelowMinSize { min });
                    } else if self.set_desired(a, i64::from(wanted), cause) {
                        self.scaling.groups[a as usize].policies[p].last_note = None;
                    }
                }
            }
            PolicyKind::Simple {
                adjustment_type,
                adjustment,
                ..
            } => {
                let run = &self.scaling.groups[a as usize].policies[p];
                if !run.in_progress.is_empty() {
                    self.note(
                        a,
                        p,
                        PolicyNote::ActivityInProgress {
                            instances: run.in_progress.len(),
                        },
                    );
                    return;
                }
                if self.now < run.cooldown_until {
                    let until = run.cooldown_until;
                    self.note(a, p, PolicyNote::CooldownUntil { until });
                    return;
                }
                let wanted = adjustment_type.apply(desired, *adjustment, 0);
                let before: Vec<InstanceId> = self.scaling.groups[a as usize]
                    .members
                    .iter()
                    .map(|m| m.instance)
                    .collect();
                if self.set_desired(a, wanted, cause) {
                    let run_members = &self.scaling.groups[a as usize].members;
                    let changed: Vec<InstanceId> = run_members
                        .iter()
                        .filter(|m| {
                            !before.contains(&m.instance) || m.state == Lifecycle::Terminating
                        })
                        .map(|m| m.instance)
                        .collect();
                    let pr = &mut self.scaling.groups[a as usize].policies[p];
                    pr.in_progress = changed;
                    pr.last_note = None;
                } else if (wanted > i64::from(desired) && desired >= max)
                    || (wanted < i64::from(desired) && desired <= min)
                {
                    self.note(
                        a,
                        p,
                        PolicyNote::AtLimit {
                            limit: if wanted > i64::from(desired) {
                                SizeLimit::MaxSize
                            } else {
                                SizeLimit::MinSize
                            },
                            desired,
                        },
                    );
                }
            }
            PolicyKind::Step {
                adjustment_type,
                steps,
                min_magnitude,
            } => {
                let diff = value - alarm_spec.rule.threshold;
                let Some(step) = find_step(steps, diff, alarm_spec.rule.comparison) else {
                    self.note(
                        a,
                        p,
                        PolicyNote::NoStepCovers {
                            value: TwoDecimals(value),
                            threshold: alarm_spec.rule.threshold,
                        },
                    );
                    return;
                };
                if step.adjustment > 0
                    || *adjustment_type == crate::model::autoscaling::AdjustmentType::ExactCapacity
                {
                    // Warming capacity counts, so the same step does not add twice.
                    let base = desired.saturating_sub(warming + pending);
                    let wanted = adjustment_type
                        .apply(base, step.adjustment, *min_magnitude)
                        .max(i64::from(desired));
                    if wanted > i64::from(desired) && desired >= max {
                        self.note(a, p, PolicyNote::AtMaxSize { max });
                    } else {
                        self.set_desired(a, wanted, cause);
                    }
                } else if warming + pending > 0 {
                    self.note(
                        a,
                        p,
                        PolicyNote::StepScaleInWaits {
                            instances: warming + pending,
                        },
                    );
                } else {
                    let wanted = adjustment_type.apply(desired, step.adjustment, *min_magnitude);
                    self.set_desired(a, wanted.min(i64::from(desired)), cause);
                }
            }
        }
    }

    /// With several target tracking policies the group scales in only if all of them (those with
    /// scale-in enabled) would (`aws-behavior.md` §10.2): the name of one whose low alarm is not in
    /// ALARM, if any.
    fn tt_policy_against_scale_in(&self, a: u32, p: usize) -> Option<String> {
        let spec = &self.sc.auto_scaling_groups[a as usize];
        spec.policies
            .iter()
            .enumerate()
            .find_map(|(q, other)| match other.kind {
                PolicyKind::TargetTracking {
                    disable_scale_in: false,
                    low_alarm,
                    ..
                } if q != p && self.scaling.alarms[low_alarm].state != AlarmState::Alarm => {
                    Some(other.name.clone())
                }
                _ => None,
            })
    }

    /// Target tracking's low alarm still counting datapoints: say so once, with the count, so the
    /// history explains why the group has not scaled in yet.
    fn note_waiting_scale_in(&mut self) {
        for a in 0..self.sc.auto_scaling_groups.len() {
            for p in 0..self.sc.auto_scaling_groups[a].policies.len() {
                let PolicyKind::TargetTracking { low_alarm, .. } =
                    self.sc.auto_scaling_groups[a].policies[p].kind
                else {
                    continue;
                };
                let alarm = &self.sc.alarms[low_alarm];
                let run = &self.scaling.alarms[low_alarm];
                if run.state == AlarmState::Alarm {
                    continue;
                }
                // The trailing run of breaching datapoints: how far the alarm has counted.
                let streak = run
                    .datapoints
                    .iter()
                    .rev()
                    .take_while(|d| {
                        d.is_some_and(|v| alarm.rule.comparison.breaches(v, alarm.rule.threshold))
                    })
                    .count();
                let desired = self.scaling.groups[a].desired;
                if streak > 0 && desired > self.scaling.groups[a].min {
                    let note = PolicyNote::WaitingForLowAlarm {
                        streak,
                        comparison: alarm.rule.comparison.symbol(),
                        threshold: alarm.rule.threshold,
                        needed: alarm.rule.datapoints_to_alarm,
                        every_seconds: alarm.period_multiple as u64 * self.sc.period.0
                            / 1_000_000_000,
                    };
                    // Once when counting starts (the count itself changes every minute).
                    if !matches!(
                        self.scaling.groups[a].policies[p].last_note,
                        Some(PolicyNote::WaitingForLowAlarm { .. })
                    ) {
                        self.note(a as u32, p, note);
                    }
                } else if matches!(
                    self.scaling.groups[a].policies[p].last_note,
                    Some(PolicyNote::WaitingForLowAlarm { .. })
                ) {
                    self.scaling.groups[a].policies[p].last_note = None;
                }
            }
        }
    }

    /// The capacity and alarm columns of the period just closed.
    pub(super) fn record_scaling_row(&mut self) {
        let groups: Vec<(u32, u32, u32, u32)> = (0..self.scaling.groups.len())
            .map(|a| {
                let run = &self.scaling.groups[a];
                let count = |f: &dyn Fn(Lifecycle) -> bool| {
                    run.members.iter().filter(|m| f(m.state)).count() as u32
                };
                (
                    run.desired,
                    count(&|s| s == Lifecycle::InService),
                    count(&|s| matches!(s, Lifecycle::Pending | Lifecycle::PendingWait)),
                    count(&|s| matches!(s, Lifecycle::Terminating | Lifecycle::TerminatingWait)),
                )
            })
            .collect();
        let alarms: Vec<(i32, Option<f64>)> = self
            .scaling
            .alarms
            .iter()
            .map(|r| (r.state.code(), r.last))
            .collect();
        self.rec.scaling_row(groups, alarms);
    }

    /// Per-group totals for the summary.
    pub(super) fn scaling_totals(&self) -> Vec<(u64, u64, u64, u32)> {
        self.scaling
            .groups
            .iter()
            .map(|g| (g.scale_outs, g.scale_ins, g.replacements, g.launches))
            .collect()
    }
}
