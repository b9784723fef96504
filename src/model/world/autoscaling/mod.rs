//! EC2 Auto Scaling at run time: groups keep their capacity between `MinSize` and `MaxSize`,
//! launch and terminate instances through their lifecycle, replace unhealthy ones, and run their
//! scaling policies when a CloudWatch alarm acts on them — with an AWS-style activity history that
//! says why something happened, or why it did not.
//!
//! One file per job (the concept table in `src/model/mod.rs` lists them): the group and its
//! members' lifecycle, the group as a metric source, the policy seam, and one file per policy type.
//!
//! Metrics and alarms are CloudWatch's (`world/cloudwatch/`): Auto Scaling publishes its groups'
//! metrics there and only reacts to alarm actions.

mod group;
mod lifecycle;
mod member;
mod metrics;
mod policy;
mod scheduled;
mod simple;
mod step;
mod target_tracking;
mod trigger;

use super::World;
use crate::engine::{RngStream, SimDuration, SimTime};
use crate::model::event::Event;
use crate::model::ids::{AsgId, AsgMemberId, ScheduledActionId};
use crate::model::resolved::Scenario;
use crate::recorder::{ActivityKind, AsgResult, InstanceResult, ScalingActivity};
use group::GroupRun;
use member::Lifecycle;
use policy::PolicyRun;
use std::collections::VecDeque;

/// All Auto Scaling state of a run.
#[derive(Clone, Debug, Default)]
pub(super) struct Scaling {
    /// The groups, indexed by [`AsgId`].
    groups: Vec<GroupRun>,
    /// Per alarm: the warmed-up InService instances of the group it acts on when its latest
    /// datapoint was taken — the N that datapoint describes (target tracking's
    /// `ceil(N · metric / target)`).
    alarm_basis: Vec<u32>,
}

/// A group's instances that count toward its capacity.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct InstanceCounts {
    /// `InService` and past the instance warm-up.
    ready: u32,
    /// `InService`, still warming up.
    warming: u32,
    /// Still launching (`Pending`, `Pending:Wait`).
    pending: u32,
}

/// What a group did over the run, for the summary.
#[derive(Clone, Copy, Debug)]
pub(super) struct GroupTotals {
    scale_outs: u64,
    scale_ins: u64,
    replacements: u64,
    launches: u32,
    /// Since when the desired capacity has been the starting one, if it is at the end.
    at_start_since: Option<SimTime>,
}

impl Scaling {
    /// Each group's capacity now, for the period row: desired, `InService`, pending (incl.
    /// `Pending:Wait`) and terminating (incl. `Terminating:Wait`) instances.
    pub fn capacity_row(&self) -> Vec<(u32, u32, u32, u32)> {
        (self.groups.iter())
            .map(|run| {
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
            .collect()
    }

    /// Per-group totals for the summary.
    pub fn totals(&self) -> Vec<GroupTotals> {
        (self.groups.iter())
            .map(|g| GroupTotals {
                scale_outs: g.scale_outs,
                scale_ins: g.scale_ins,
                replacements: g.replacements,
                launches: g.launches,
                at_start_since: g.at_start_since,
            })
            .collect()
    }
}

impl World<'_> {
    /// Creates the groups' initial instances (already `InService` at time 0, like targets listed in
    /// a target group) and schedules health polls and scheduled actions.
    pub(super) fn start_autoscaling(&mut self) {
        let sc = self.sc;
        self.scaling.alarm_basis = vec![0; sc.alarms.len()];
        for (a, spec) in sc.auto_scaling_groups.iter().enumerate() {
            let a = AsgId(a as u32);
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
                at_start_since: Some(SimTime::ZERO),
                cpu_minutes: VecDeque::new(),
            });
            for _ in 0..spec.desired {
                let m = self.launch(a);
                // Instances of the initial capacity are up before the run starts.
                self.enter_service(a, m, true);
            }
            self.queue.schedule(
                SimTime::ZERO + spec.health_poll,
                Event::AsgHealthCheckRuns { asg: a },
            );
            for (k, action) in spec.scheduled.iter().enumerate() {
                if SimTime::ZERO + action.at <= self.end {
                    self.queue.schedule(
                        SimTime::ZERO + action.at,
                        Event::ScheduledActionRuns {
                            asg: a,
                            action: ScheduledActionId(k as u32),
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

    fn group_log(&mut self, a: AsgId, activity: ScalingActivity) {
        let name = self.sc.auto_scaling_groups[a.index()].name.clone();
        self.rec
            .activity(self.now, name, ActivityKind::Scaling(activity));
    }

    fn member_id(&self, a: AsgId, m: AsgMemberId) -> String {
        let i = self.scaling.groups[a.index()].members[m.index()].instance;
        self.fleet[i].spec.id.clone()
    }

    /// The group's instance warm-up: the first policy's (they usually agree), else the group's.
    fn warmup(&self, a: AsgId) -> SimDuration {
        let spec = &self.sc.auto_scaling_groups[a.index()];
        spec.policies
            .first()
            .map_or(spec.default_warmup.unwrap_or(spec.default_cooldown), |p| {
                p.warmup
            })
    }

    /// A group's instances that count toward its capacity, by how far along they are.
    fn instance_counts(&self, a: AsgId) -> InstanceCounts {
        let warm = self.warmup(a);
        let mut out = InstanceCounts::default();
        for x in &self.scaling.groups[a.index()].members {
            match x.state {
                Lifecycle::InService if x.served(self.now) >= warm => out.ready += 1,
                Lifecycle::InService => out.warming += 1,
                Lifecycle::Pending | Lifecycle::PendingWait => out.pending += 1,
                _ => {}
            }
        }
        out
    }
}

/// What the summary's Auto Scaling part is made from, besides the groups' own totals.
pub(super) struct RunFacts<'r> {
    /// The period rows recorded.
    pub periods: &'r [crate::recorder::PeriodRow],
    /// Every instance's results, in fleet order.
    pub instances: &'r [InstanceResult],
    /// For each instance (fleet order), the group that launched it, if any.
    pub owners: &'r [Option<AsgId>],
    /// When the run ended (the model's duration, or where a guard stopped it).
    pub end: SimTime,
}

/// The summary's Auto Scaling part: the run's totals per group, capacity averaged over the
/// recorded periods, the group's instance-hours, and when it returned to its starting capacity
/// after the load's end ([`returned_to_start`]).
pub(super) fn results(sc: &Scenario, totals: Vec<GroupTotals>, run: &RunFacts) -> Vec<AsgResult> {
    let run_secs = run.end.as_secs_f64();
    totals
        .into_iter()
        .enumerate()
        .map(|(a, t)| {
            let rows: Vec<_> = run.periods.iter().filter_map(|p| p.groups.get(a)).collect();
            let n = rows.len().max(1) as f64;
            let own = AsgId(a as u32);
            let instance_hours = (run.instances.iter().zip(run.owners))
                .filter(|(_, o)| **o == Some(own))
                .filter_map(|(i, _)| crate::recorder::billed_hours(i, run_secs))
                .sum();
            let returned = returned_to_start(t.at_start_since, sc.load_ends, run.end);
            let load_ends = sc.load_ends.map(SimDuration::as_secs_f64);
            AsgResult {
                name: sc.auto_scaling_groups[a].name.clone(),
                starting_capacity: sc.auto_scaling_groups[a].desired,
                instance_hours,
                returned_to_starting_capacity_seconds: returned,
                seconds_from_load_end_to_starting_capacity: returned
                    .zip(load_ends)
                    .map(|(r, l)| r - l),
                scale_out_activities: t.scale_outs,
                scale_in_activities: t.scale_ins,
                unhealthy_replacements: t.replacements,
                instances_launched: t.launches,
                average_desired_capacity: rows.iter().map(|g| f64::from(g.desired)).sum::<f64>()
                    / n,
                average_in_service: rows.iter().map(|g| f64::from(g.in_service)).sum::<f64>() / n,
                max_in_service: rows.iter().map(|g| g.in_service).max().unwrap_or(0),
            }
        })
        .collect()
}

/// When a group was back at its starting capacity for good \[s\]: the first time at or after
/// the load's end (`load_ends`; the run's start when the load never ends) from which its desired
/// capacity stays at the starting value until the run's `end` — the load's end itself if it is
/// there already. `at_start_since` is since when it has been there at the end (`None`: it is
/// not). `None` also when the run ends before the load does (nothing is known after it).
fn returned_to_start(
    at_start_since: Option<SimTime>,
    load_ends: Option<SimDuration>,
    end: SimTime,
) -> Option<f64> {
    let from = SimTime::ZERO + load_ends.unwrap_or(SimDuration::ZERO);
    let since = at_start_since?;
    (from <= end).then(|| since.max(from).as_secs_f64())
}
