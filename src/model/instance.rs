//! EC2 instances as targets: workers, a FIFO backlog, and CPU shared among running requests.
//!
//! An instance runs at most `workers` requests at once; later ones wait in a FIFO backlog of at
//! most `backlog` requests, and beyond that the instance refuses the connection (the ALB answers
//! 502). Each running request needs one vCPU for its service time. While no more requests run than
//! there are vCPUs, each finishes after exactly its drawn time; with more, the vCPUs are shared
//! equally (egalitarian processor sharing), so every running request slows by `vCPUs / running`.
//!
//! Processor sharing is simulated exactly with a *virtual clock*: the attained service of every
//! running request, advancing at rate `min(1, vCPUs / running)`. A request started at virtual time
//! `V` with work `w` finishes when the clock reaches `V + w`, so only the smallest finish needs an
//! event. The clock is kept in integer nanoseconds with an exact rational remainder, so there is
//! no drift.

use crate::engine::{SimDuration, SimTime};
use crate::model::ids::FaultId;
use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};

/// A resolved instance.
#[derive(Clone, Debug)]
pub struct InstanceSpec {
    /// Instance id.
    pub id: String,
    /// Instance type name, e.g. `t3.micro`.
    pub instance_type: String,
    /// Availability Zone.
    pub availability_zone: String,
    /// vCPUs of the type.
    pub vcpus: u32,
    /// Requests processed at once.
    pub workers: u32,
    /// Requests that may wait for a worker.
    pub backlog: u32,
    /// On-demand price [USD/h].
    pub price_per_hour: f64,
    /// SQS pollers of worker programs running here (0 without any): each processes one message
    /// at a time on the same vCPUs, outside the request workers and backlog.
    pub pollers: u32,
}

impl InstanceSpec {
    /// Whether every job runs at full speed: at most as many run at once (request workers and
    /// pollers) as there are vCPUs, so no processor sharing is needed.
    #[inline(always)]
    pub fn fixed_speed(&self) -> bool {
        self.workers + self.pollers <= self.vcpus
    }
}

/// Work handed to an instance: a client request, a health check or an SQS message, each by its
/// slot in its own table. A health check is real work: it queues behind requests and uses CPU. A
/// message is processed by a poller of a worker program: it uses CPU beside the requests but
/// never waits for a request worker (the poller received it only when idle).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Job(u32);

/// What a [`Job`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JobKind {
    /// A client request, by its slot among the requests in flight.
    Request(u32),
    /// A health check, by its slot among the checks in flight.
    HealthCheck(u32),
    /// An SQS message being processed, by its poller.
    Message(u32),
}

impl Job {
    const HEALTH_CHECK: u32 = 1 << 31;
    const MESSAGE: u32 = 1 << 30;
    const SLOT: u32 = Self::MESSAGE - 1;

    /// The client request in slot `slot`.
    #[inline(always)]
    pub fn request(slot: u32) -> Job {
        debug_assert!(slot <= Self::SLOT);
        Job(slot)
    }

    /// The health check in slot `slot`.
    #[inline(always)]
    pub fn health_check(slot: u32) -> Job {
        debug_assert!(slot <= Self::SLOT);
        Job(slot | Self::HEALTH_CHECK)
    }

    /// The message poller `poller` is processing.
    #[inline(always)]
    pub fn message(poller: u32) -> Job {
        debug_assert!(poller <= Self::SLOT);
        Job(poller | Self::MESSAGE)
    }

    /// What the job is.
    #[inline(always)]
    pub fn kind(self) -> JobKind {
        if self.0 & (Self::HEALTH_CHECK | Self::MESSAGE) == 0 {
            JobKind::Request(self.0)
        } else if self.0 & Self::HEALTH_CHECK != 0 {
            JobKind::HealthCheck(self.0 & Self::SLOT)
        } else {
            JobKind::Message(self.0 & Self::SLOT)
        }
    }

    /// Whether it is a message (which holds no request worker).
    #[inline(always)]
    pub fn is_message(self) -> bool {
        self.0 & Self::MESSAGE != 0
    }
}

/// What happened to a request handed to an instance.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Admission {
    /// A worker took it.
    Started,
    /// It waits in the backlog.
    Queued,
    /// The backlog is full: the connection is refused.
    Refused,
}

/// An instance's state during a run.
#[derive(Clone, Debug)]
pub struct InstanceState {
    /// Running jobs: `(virtual finish time, job)`.
    running: BinaryHeap<Reverse<(u64, Job)>>,
    /// Waiting jobs: `(job, work \[ns\])`.
    backlog: VecDeque<(Job, u64)>,
    /// Attained service per running request \[ns\].
    vclock: u64,
    /// Fractional part of `vclock`, in units of 1/running ns.
    vrem: u64,
    /// When `vclock` was last advanced.
    updated: SimTime,
    /// ∫ busy vCPUs dt [vCPU·ns].
    busy: u128,
    /// Requests running on a fixed-speed instance (workers ≤ vCPUs): each has its own completion
    /// event, no virtual clock.
    pub fixed_running: u32,
    /// Messages being processed: on a fixed-speed instance each has its own completion event; on
    /// a shared one they are in `running` too (but hold no request worker).
    messages: u32,
    /// Those of `messages` running on a fixed-speed instance (not in `running`): 0 on a shared
    /// one, so the busy count is one sum without a branch.
    fixed_messages: u32,
    /// Generation of the pending completion event; older ones are stale.
    pub completion_gen: u32,
    /// Time of the pending completion event (`NEVER` if none).
    pub completion_at: SimTime,
    /// Requests sent here and not yet answered by it (least-outstanding-requests routing).
    pub outstanding: u32,
    /// Bumped whenever pending completions become moot (hang, restart).
    pub epoch: u32,
    /// Active `crash` faults (the process is down while > 0).
    pub crashed: u32,
    /// Active `hang` faults (no progress while > 0).
    pub hung: u32,
    /// Active `network_blocked` faults (unreachable from the ALB while > 0).
    pub blocked: u32,
    /// Active `instance_stop` faults (EC2 status: not running, while > 0).
    pub stopped: u32,
    /// Product of active `slow` factors.
    pub slow_factor: f64,
    /// Status the health path answers while a `health_path_broken` fault is active.
    pub health_status: Option<u16>,
    /// Active `application_errors` faults (fault, share, status); the last one started applies.
    pub app_errors: Vec<(FaultId, f64, u16)>,
}

impl InstanceState {
    /// An idle instance.
    pub fn new(spec: &InstanceSpec) -> Self {
        InstanceState {
            running: BinaryHeap::with_capacity(spec.workers as usize),
            backlog: VecDeque::with_capacity((spec.backlog as usize).min(1024)),
            vclock: 0,
            vrem: 0,
            updated: SimTime::ZERO,
            busy: 0,
            fixed_running: 0,
            messages: 0,
            fixed_messages: 0,
            completion_gen: 0,
            completion_at: SimTime::NEVER,
            outstanding: 0,
            epoch: 0,
            crashed: 0,
            hung: 0,
            blocked: 0,
            stopped: 0,
            slow_factor: 1.0,
            health_status: None,
            app_errors: Vec::new(),
        }
    }

    /// The application stops making progress (a `hang`): running requests freeze and pending
    /// completion events become moot.
    pub fn freeze(&mut self, now: SimTime, vcpus: u32) {
        self.advance(now, vcpus);
        self.hung += 1;
        self.epoch = self.epoch.wrapping_add(1);
        self.completion_gen = self.completion_gen.wrapping_add(1);
        self.completion_at = SimTime::NEVER;
    }

    /// The application restarts (or dies): every request it held is dropped. The caller answers
    /// the requests it dropped.
    pub fn reset(&mut self, now: SimTime, vcpus: u32) {
        self.advance(now, vcpus);
        self.running.clear();
        self.backlog.clear();
        self.fixed_running = 0;
        self.messages = 0;
        self.fixed_messages = 0;
        self.vclock = 0;
        self.vrem = 0;
        self.outstanding = 0;
        self.epoch = self.epoch.wrapping_add(1);
        self.completion_gen = self.completion_gen.wrapping_add(1);
        self.completion_at = SimTime::NEVER;
    }

    /// Jobs running now on a processor-shared instance (requests, checks and messages).
    pub fn running(&self) -> usize {
        self.running.len()
    }

    /// Messages being processed now.
    pub fn messages(&self) -> u32 {
        self.messages
    }

    /// Jobs that hold a request worker on a processor-shared instance.
    #[inline(always)]
    fn worker_jobs(&self) -> usize {
        self.running.len() - self.messages as usize
    }

    /// Requests waiting in the backlog.
    pub fn queued(&self) -> usize {
        self.backlog.len()
    }

    /// ∫ busy vCPUs dt up to the last update [vCPU·ns]; call [`Self::advance`] first for "now".
    pub fn busy_vcpu_ns(&self) -> u128 {
        self.busy
    }

    /// Time the virtual clock and the CPU integral were last brought up to.
    pub fn updated(&self) -> SimTime {
        self.updated
    }

    /// Brings the virtual clock and the CPU integral up to `now`.
    #[inline(always)]
    pub fn advance(&mut self, now: SimTime, vcpus: u32) {
        let dt = now.0 - self.updated.0;
        self.updated = now;
        let n = self.running.len() as u64
            + u64::from(self.fixed_running)
            + u64::from(self.fixed_messages);
        if n == 0 || dt == 0 || self.hung > 0 {
            return;
        }
        let v = u64::from(vcpus);
        if n <= v {
            self.vclock += dt;
            self.vrem = 0;
            self.busy += u128::from(dt) * u128::from(n);
        } else {
            let num = u128::from(dt) * u128::from(v) + u128::from(self.vrem);
            self.vclock += (num / u128::from(n)) as u64;
            self.vrem = (num % u128::from(n)) as u64;
            self.busy += u128::from(dt) * u128::from(v);
        }
    }

    /// Hands a job (`work` of CPU time) to the instance at `now`.
    #[inline(always)]
    pub fn admit(
        &mut self,
        now: SimTime,
        spec: &InstanceSpec,
        slot: Job,
        work: SimDuration,
    ) -> Admission {
        if self.worker_jobs() < spec.workers as usize && self.hung == 0 {
            self.advance(now, spec.vcpus);
            self.start(slot, work.0);
            Admission::Started
        } else if self.backlog.len() < spec.backlog as usize {
            self.backlog.push_back((slot, work.0));
            Admission::Queued
        } else {
            Admission::Refused
        }
    }

    #[inline]
    fn start(&mut self, slot: Job, work: u64) {
        if self.running.is_empty() {
            // Idle: restart the virtual clock so it never grows without bound.
            self.vclock = 0;
            self.vrem = 0;
        }
        // Saturating: a request with an enormous (sampled) work simply never finishes.
        self.running
            .push(Reverse((self.vclock.saturating_add(work), slot)));
    }

    /// A poller starts processing a message (`work` of CPU time) at `now`: it never waits for a
    /// request worker. On a fixed-speed instance (see [`InstanceSpec::fixed_speed`]) it runs
    /// until `now + work` and the caller schedules its completion; on a shared one it joins the
    /// processor sharing and the caller reschedules the next completion.
    pub fn start_message(
        &mut self,
        now: SimTime,
        spec: &InstanceSpec,
        job: Job,
        work: SimDuration,
    ) {
        debug_assert!(job.is_message());
        self.advance(now, spec.vcpus);
        self.messages += 1;
        if spec.fixed_speed() {
            self.fixed_messages += 1;
        } else {
            self.start(job, work.0);
        }
    }

    /// Fixed-speed instances: a message finished processing at `now`.
    pub fn finish_fixed_message(&mut self, now: SimTime, vcpus: u32) {
        self.advance(now, vcpus);
        self.messages -= 1;
        self.fixed_messages -= 1;
    }

    /// Fixed-speed instances: hands a request over; `Started` means it runs until `now + work`.
    #[inline(always)]
    pub fn admit_fixed(
        &mut self,
        now: SimTime,
        spec: &InstanceSpec,
        slot: Job,
        work: SimDuration,
    ) -> Admission {
        if self.fixed_running < spec.workers && self.hung == 0 {
            self.advance(now, spec.vcpus);
            self.fixed_running += 1;
            Admission::Started
        } else if self.backlog.len() < spec.backlog as usize {
            self.backlog.push_back((slot, work.0));
            Admission::Queued
        } else {
            Admission::Refused
        }
    }

    /// Fixed-speed instances: a running request finished at `now`; returns the backlog request
    /// that starts in its place, with its work.
    #[inline(always)]
    pub fn finish_fixed(&mut self, now: SimTime, vcpus: u32) -> Option<(Job, u64)> {
        self.advance(now, vcpus);
        let next = self.backlog.pop_front();
        if next.is_none() {
            self.fixed_running -= 1;
        }
        next
    }

    /// Removes and returns one request whose work is done by `now` (call repeatedly until `None`),
    /// starting the next backlog request in its place. The clock must be advanced to `now` first.
    #[inline]
    pub fn pop_finished(&mut self) -> Option<Job> {
        let &Reverse((finish, slot)) = self.running.peek()?;
        if finish > self.vclock {
            return None;
        }
        if slot.is_message() {
            // A poller's message holds no request worker: nothing from the backlog takes its
            // place.
            self.messages -= 1;
            self.running.pop();
        } else if let Some((next, work)) = self.backlog.pop_front() {
            // Replace the finished request in place: one sift instead of a pop and a push. (The
            // instance is busy, so `start`'s idle-clock reset does not apply.)
            if let Some(mut top) = self.running.peek_mut() {
                *top = Reverse((self.vclock.saturating_add(work), next));
            }
        } else {
            self.running.pop();
        }
        Some(slot)
    }

    /// When the earliest running request will finish, if none starts or ends before then.
    #[inline]
    pub fn next_finish(&self, now: SimTime, vcpus: u32) -> SimTime {
        let Some(&Reverse((finish, _))) = self.running.peek() else {
            return SimTime::NEVER;
        };
        if self.hung > 0 {
            return SimTime::NEVER;
        }
        let remaining = finish.saturating_sub(self.vclock);
        let n = self.running.len() as u64;
        let v = u64::from(vcpus);
        let dt = if n <= v {
            remaining
        } else {
            // Smallest dt with dt·v + vrem ≥ remaining·n.
            let need = u128::from(remaining) * u128::from(n);
            let have = u128::from(self.vrem);
            if need <= have {
                0
            } else {
                u64::try_from((need - have).div_ceil(u128::from(v))).unwrap_or(u64::MAX)
            }
        };
        now + SimDuration(dt)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(vcpus: u32, workers: u32, backlog: u32) -> InstanceSpec {
        InstanceSpec {
            id: "i".into(),
            instance_type: "t".into(),
            availability_zone: "a".into(),
            vcpus,
            workers,
            backlog,
            price_per_hour: 0.0,
            pollers: 0,
        }
    }

    /// Runs the instance alone: `jobs` are (arrival ns, work ns); returns finish times by slot.
    fn simulate(s: &InstanceSpec, jobs: &[(u64, u64)]) -> Vec<Option<u64>> {
        let mut st = InstanceState::new(s);
        let mut done = vec![None; jobs.len()];
        let mut next_job = 0;
        loop {
            let t_arr = jobs.get(next_job).map_or(u64::MAX, |j| j.0);
            let t_fin = st.next_finish(st.updated, s.vcpus).0;
            if t_arr == u64::MAX && t_fin == u64::MAX {
                break;
            }
            if t_arr <= t_fin {
                st.advance(SimTime(t_arr), s.vcpus);
                st.admit(
                    SimTime(t_arr),
                    s,
                    Job::request(next_job as u32),
                    SimDuration(jobs[next_job].1),
                );
                next_job += 1;
            } else {
                st.advance(SimTime(t_fin), s.vcpus);
                while let Some(job) = st.pop_finished() {
                    let JobKind::Request(slot) = job.kind() else {
                        unreachable!("only requests were admitted")
                    };
                    done[slot as usize] = Some(t_fin);
                }
            }
        }
        done
    }

    #[test]
    fn a_job_knows_whether_it_is_a_request_or_a_health_check() {
        assert_eq!(Job::request(7).kind(), JobKind::Request(7));
        assert_eq!(Job::health_check(7).kind(), JobKind::HealthCheck(7));
        assert_ne!(Job::request(7), Job::health_check(7));
    }

    #[test]
    fn with_enough_vcpus_service_is_exact() {
        let s = spec(2, 2, 10);
        let done = simulate(&s, &[(0, 100), (10, 50), (20, 30)]);
        // Third waits for the second worker (free at 60), then runs 30.
        assert_eq!(done, vec![Some(100), Some(60), Some(90)]);
    }

    #[test]
    fn more_runners_than_vcpus_share_the_cpu() {
        // 1 vCPU, 2 workers: two equal jobs of 100 ns started together finish together at 200.
        let s = spec(1, 2, 10);
        assert_eq!(
            simulate(&s, &[(0, 100), (0, 100)]),
            vec![Some(200), Some(200)]
        );
        // Job A (100) alone for 50 ns, then B (30) joins: both at half speed; B needs 60 ns → 110;
        // A then has 100 − 50 − 30 = 20 left alone → 130.
        assert_eq!(
            simulate(&s, &[(0, 100), (50, 30)]),
            vec![Some(130), Some(110)]
        );
    }

    #[test]
    fn processor_sharing_with_three_on_two_vcpus_is_exact() {
        // 3 jobs of 90 ns on 2 vCPUs: rate 2/3 each → all finish at 135.
        let s = spec(2, 3, 0);
        assert_eq!(
            simulate(&s, &[(0, 90), (0, 90), (0, 90)]),
            vec![Some(135); 3]
        );
    }

    #[test]
    fn full_backlog_refuses() {
        let s = spec(1, 1, 1);
        let mut st = InstanceState::new(&s);
        assert_eq!(
            st.admit(SimTime(0), &s, Job::request(0), SimDuration(10)),
            Admission::Started
        );
        assert_eq!(
            st.admit(SimTime(0), &s, Job::request(1), SimDuration(10)),
            Admission::Queued
        );
        assert_eq!(
            st.admit(SimTime(0), &s, Job::request(2), SimDuration(10)),
            Admission::Refused
        );
    }

    #[test]
    fn cpu_integral_counts_busy_vcpus() {
        let s = spec(2, 4, 0);
        let mut st = InstanceState::new(&s);
        st.admit(SimTime(0), &s, Job::request(0), SimDuration(1000));
        st.advance(SimTime(100), 2);
        assert_eq!(st.busy_vcpu_ns(), 100);
        for k in 1..4 {
            st.admit(SimTime(100), &s, Job::request(k), SimDuration(1000));
        }
        st.advance(SimTime(200), 2);
        assert_eq!(
            st.busy_vcpu_ns(),
            100 + 200,
            "4 runners on 2 vCPUs keep both busy"
        );
    }
}
