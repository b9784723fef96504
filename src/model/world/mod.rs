//! The world: one run of a scenario. It keeps the clock, the event queue, the recorder and the
//! dispatch of events; each subsystem owns its state in a file of its own, and its handlers beside
//! it.
//!
//! | file | owns | handles |
//! | --- | --- | --- |
//! | `traffic.rs` | clients' random streams and connections, users | — |
//! | `request_path.rs` | — | arrival, connection, listener route, forward, response, think |
//! | `replay.rs` | — | replayed access-log requests: each at its logged time, class and session |
//! | `load_balancer.rs` | requests in flight, target groups, sessions, idle deadlines | — |
//! | `idle_timeout.rs` | — | the ALB idle timeout at targets (504) |
//! | `sessions.rs` | cookie jars | `lb_cookie` / `app_cookie` stickiness |
//! | `websocket.rs` | — | WebSocket upgrades, frames, idle closes |
//! | `fleet.rs` | every EC2 instance: spec, state, lifetime, counters | — |
//! | `jobs.rs` | — | work at instances (a request or a health check): admission, completion |
//! | `slab.rs` | recycled slots with generations | — |
//! | `health.rs` | health checkers, checks in flight | checks, target states, registration, draining |
//! | `faults.rs` | faults in progress | crash, hang, slow, network, AZ outage, stop |
//! | `autoscaling/` | Auto Scaling groups, their members and policies | launches, terminations, hooks, policies (one file each) |
//! | `cloudwatch/` | metrics published per period, alarms | alarm evaluation, metric sources |
//! | `sqs/` | SQS queues, SNS topics, producers, pollers | send, receive, visibility, delete, DLQ, fan-out |
//! | `stall.rs` | — | detecting simulated time that stops advancing |
//!
//! Hot-path rules: no allocation (request slots, connections and queues are recycled), no string
//! lookups (everything is an index), no formatting. Memory is bounded by what is alive: requests in
//! flight, idle connections, users.

mod anomaly;
mod autoscaling;
mod cloudwatch;
mod faults;
mod fleet;
mod health;
mod idle_timeout;
mod jobs;
mod load_balancer;
mod replay;
mod request_path;
mod retry;
pub mod run;
mod sessions;
mod slab;
mod sqs;
mod stall;
mod traffic;
mod websocket;

use super::client::Load;
use super::connection::Conn;
use super::event::Event;
use super::ids::{ClientId, UserId};
use crate::engine::{EventQueue, SimDuration, SimTime};
use crate::model::resolved::Scenario;
use crate::recorder::{Origin, Recorder, RunEnd, RunResult};
use load_balancer::{Request, Stage};
use traffic::User;

/// How long the ALB waits for a TCP connection to a target (`aws-behavior.md` §6.5).
const CONNECT_TIMEOUT: SimDuration = SimDuration::from_secs(10);

/// One run of a scenario.
#[derive(Debug)]
pub struct World<'s> {
    sc: &'s Scenario,
    queue: EventQueue<Event>,
    now: SimTime,
    end: SimTime,
    /// Clients, users and their connections.
    traffic: traffic::Traffic,
    /// Requests in flight, target groups, sessions, idle timeouts.
    lb: load_balancer::LoadBalancer,
    /// Every EC2 instance: the model's, then those the Auto Scaling groups launch.
    fleet: fleet::Fleet,
    /// Health checkers and the checks in flight.
    health: health::HealthChecks,
    /// Injected faults in progress.
    faults: faults::Faults,
    /// CloudWatch: metrics published per period, and the alarms reading them.
    cloudwatch: cloudwatch::CloudWatch,
    /// Auto Scaling groups and their policies.
    scaling: autoscaling::Scaling,
    /// SQS queues, SNS topics, producers and worker programs.
    sqs: sqs::Messaging,
    rec: Recorder,
    next_period_end: SimTime,
    events: u64,
    /// `events` when the last metric period closed (a partial last period is closed only if
    /// something happened since).
    events_at_period_close: u64,
    /// The access log being written (`--access-log`), if any: the hot path only checks this.
    access_log: Option<Box<crate::access_log::write::AccessLog>>,
}

impl<'s> World<'s> {
    /// Builds the initial state of a run of `sc` and schedules the first events.
    pub fn new(sc: &'s Scenario) -> World<'s> {
        let mut world = World {
            sc,
            queue: EventQueue::with_capacity(1024),
            now: SimTime::ZERO,
            end: SimTime::ZERO + sc.duration,
            traffic: traffic::Traffic::new(sc),
            lb: load_balancer::LoadBalancer::new(sc),
            fleet: fleet::Fleet::new(&sc.instances),
            health: health::HealthChecks::new(sc),
            faults: faults::Faults::new(sc),
            cloudwatch: cloudwatch::CloudWatch::new(sc),
            scaling: autoscaling::Scaling::default(),
            sqs: sqs::Messaging::new(sc),
            rec: Recorder::new(sc.target_groups.len(), sc.period, sc.duration),
            next_period_end: SimTime::ZERO + sc.period.min(sc.duration),
            events: 0,
            events_at_period_close: 0,
            access_log: None,
        };
        let quantiles = world.cloudwatch.quantiles();
        world.rec.set_period_quantiles(quantiles);
        world.rec.attempts = crate::recorder::Attempts::new(
            (sc.clients.iter()).map(|c| (c.name.as_str(), c.counts_attempts)),
        );
        world.schedule_start();
        world
    }

    fn schedule_start(&mut self) {
        for (ci, c) in self.sc.clients.iter().enumerate() {
            let client = ClientId(ci as u32);
            match &c.load {
                Load::Open(process) => {
                    let st = &mut self.traffic.clients[ci];
                    if let Some(t) =
                        process.next_after(SimTime::ZERO, &mut st.cursor, &mut st.arrivals)
                    {
                        self.queue.schedule(t, Event::RequestArrives { client });
                    }
                }
                Load::Replay(replay) => self.schedule_first_replayed(client, replay),
                load => {
                    let (count, spawn_interval) = load.population().expect("closed-loop load");
                    for k in 0..count {
                        let user = UserId(self.traffic.users.len() as u32);
                        self.traffic.users.push(User { client });
                        self.traffic.ws.push(websocket::WsConn::default());
                        self.traffic.user_conns.extend(std::iter::repeat_n(
                            Conn::default(),
                            self.sc.listeners.len(),
                        ));
                        // Saturates: a tiny spawn rate puts later users beyond the end.
                        let t = SimTime(u64::from(k).saturating_mul(spawn_interval.0));
                        if t < self.end {
                            self.queue.schedule(t, Event::UserWakes { user });
                        }
                    }
                }
            }
        }
        self.queue
            .schedule_first(self.next_period_end, Event::PeriodEnds);
        self.lb.sessions = sessions::Sessions::new(self.sc, self.traffic.users.len() as u32);
        self.register_initial_targets();
        self.schedule_faults_and_operations();
        self.start_messaging();
        self.start_autoscaling();
        self.start_anomaly_detection();
        if self.lb.dns.zonal {
            // The nodes' DNS state with every target of the start registered.
            self.update_dns();
        }
    }

    /// Runs to the end of the scenario and returns what was recorded.
    ///
    /// # Panics
    /// If the run stalls (see [`run::RunError`]); the command line uses [`World::run_with`].
    pub fn run(self) -> RunResult {
        match self.run_with(&mut run::RunOptions::default()) {
            Ok(result) => result,
            Err(e) => panic!("{e}"),
        }
    }

    /// Runs to the end of the scenario, or until a guard in `opts` stops it (the result then says
    /// so in [`RunResult::end`] and covers only the simulated time reached), reporting progress
    /// every [`run::PROGRESS_EVERY`] events.
    ///
    /// # Errors
    /// [`run::RunError::Stalled`] when simulated time stops advancing (see `world/stall.rs`):
    /// the message names the client that keeps it still and how to fix the model.
    pub fn run_with(mut self, opts: &mut run::RunOptions<'_>) -> Result<RunResult, run::RunError> {
        let started = std::time::Instant::now();
        self.access_log = opts.access_log.take();
        let max_events = opts.max_events.unwrap_or(u64::MAX);
        let mut end = RunEnd::Completed;
        let targets = self.sc.instances.len()
            + (self.sc.auto_scaling_groups.iter())
                .map(|g| g.max as usize)
                .sum::<usize>();
        let mut watch = stall::StallWatch::new(self.traffic.users.len() + targets);
        while let Some((t, event)) = self.queue.pop() {
            if t > self.end {
                break;
            }
            self.now = t;
            self.events += 1;
            if self.handle(event) {
                break;
            }
            // Guards are checked every few thousand events: reading the clock per event would cost
            // more than many events do.
            if self.events % run::PROGRESS_EVERY == 0 || self.events >= max_events {
                if self.events % run::PROGRESS_EVERY == 0 {
                    if let Some(stall) = watch.stalled(self.now, run::PROGRESS_EVERY) {
                        return Err(self.stall_error(stall));
                    }
                }
                let wall = started.elapsed();
                if let Some(report) = opts.progress.as_mut() {
                    report(&run::Progress {
                        now: self.now,
                        end: self.end,
                        events: self.events,
                        wall,
                    });
                }
                if self.events >= max_events {
                    end = RunEnd::MaxEvents;
                    break;
                }
                if opts.max_wall.is_some_and(|limit| wall >= limit) {
                    end = RunEnd::MaxWall;
                    break;
                }
            }
        }
        if end != RunEnd::Completed {
            self.stop_early();
        }
        opts.access_log = self.access_log.take();
        let mut result = self.finish();
        result.end = end;
        // Measured after `finish`: the end-of-run work (per-instance results, Auto Scaling
        // averages, cost) is part of the wall time the summary reports.
        result.wall_seconds = started.elapsed().as_secs_f64();
        Ok(result)
    }

    /// A guard stopped the run at `now`: it ends here. The metric period in progress is closed
    /// at `now` (a short last row, so per-period counts still sum to the totals), and instance
    /// lifetimes, averages and cost end at `now` (see [`World::finish`]).
    fn stop_early(&mut self) {
        self.end = self.now;
        if self.events > self.events_at_period_close {
            let cpu = self.period_cpu();
            self.rec.close_period(self.now, cpu);
            self.close_messaging_period();
            if self.cloudwatch.counting {
                self.record_scaling_row();
            }
        }
    }

    /// Applies one event; returns true when the run is over.
    #[inline(always)]
    fn handle(&mut self, event: Event) -> bool {
        match event {
            Event::RequestArrives { client } => self.on_request_arrives(client),
            Event::UserWakes { user } => {
                let client = self.traffic.users[user.index()].client;
                self.start_request(client, user);
            }
            Event::HandshakeCompletes { slot, generation } => {
                if self.lb.requests.is_live(slot, generation) {
                    self.route(slot);
                }
            }
            Event::ServiceCompletes {
                instance,
                generation,
            } => self.on_service_completes(instance, generation),
            Event::JobCompletes {
                job,
                generation,
                epoch,
            } => self.on_job_completes(job, generation, epoch),
            Event::ConnectTimesOut { slot, generation } => {
                if self.lb.requests.is_live(slot, generation) {
                    // Nothing answered the SYN within 10 s: the ALB gives up with 504.
                    self.respond_and_wake(slot, 504, Origin::LoadBalancer, None, 0);
                }
            }
            Event::ClientGivesUp { slot, generation } => self.on_client_gives_up(slot, generation),
            Event::RetryDue { slot, generation } => self.on_retry_due(slot, generation),
            Event::HealthCheckStarts { checker } => self.on_health_check_starts(checker),
            Event::HealthCheckTimesOut { checker, seq } => {
                self.on_health_check_times_out(checker, seq)
            }
            Event::DeregistrationDelayEnds {
                group,
                member,
                generation,
            } => self.on_deregistration_delay_ends(group, member, generation),
            Event::FaultStarts { fault } => self.on_fault_starts(fault),
            Event::FaultEnds { fault } => self.on_fault_ends(fault),
            Event::OperationRuns { operation } => self.on_operation_runs(operation),
            Event::AsgLaunchCompletes { asg, member } => self.on_asg_launch_completes(asg, member),
            Event::LifecycleHookEnds { asg, member } => self.on_lifecycle_hook_ends(asg, member),
            Event::AsgDrainEnds { asg, member } => self.on_asg_drain_ends(asg, member),
            Event::AsgHealthCheckRuns { asg } => self.on_asg_health_check_runs(asg),
            Event::ScheduledActionRuns { asg, action } => {
                self.on_scheduled_action_runs(asg, action)
            }
            Event::WebsocketTimerFires { user, generation } => {
                self.on_websocket_timer_fires(user, generation)
            }
            Event::IdleTimeoutExpires { generation } => self.on_idle_timeout_expires(generation),
            Event::MessageProduced { producer } => self.on_message_produced(producer),
            Event::PollerActs { poller, generation } => self.on_poller_acts(poller, generation),
            Event::LongPollEnds { poller, generation } => {
                self.on_long_poll_ends(poller, generation)
            }
            Event::HeartbeatFires { poller, generation } => {
                self.on_heartbeat_fires(poller, generation)
            }
            Event::QueueTimerFires { queue, generation } => {
                self.on_queue_timer_fires(queue, generation)
            }
            Event::ResendDue { generation } => self.on_resend_due(generation),
            Event::AnomalyDetectionRuns => self.on_anomaly_detection_runs(),
            Event::PeriodEnds => return self.on_period_ends(),
        }
        false
    }

    /// Closes a metric period; returns true at the end of the run. Once per period, not per
    /// request: kept out of line so the event loop stays small.
    #[inline(never)]
    fn on_period_ends(&mut self) -> bool {
        let cpu = self.period_cpu();
        self.events_at_period_close = self.events;
        self.rec.close_period(self.now, cpu.clone());
        self.close_messaging_period();
        self.close_metric_period(&cpu);
        self.fleet.clear_network();
        self.cloudwatch.start_period();
        if self.now >= self.end {
            return true;
        }
        self.next_period_end = (self.now + self.sc.period).min(self.end);
        self.queue
            .schedule_first(self.next_period_end, Event::PeriodEnds);
        false
    }

    /// Records the period row's Auto Scaling capacity and alarm columns.
    fn record_scaling_row(&mut self) {
        let groups = self.scaling.capacity_row();
        let alarms = self.cloudwatch.alarm_row();
        self.rec.scaling_row(groups, alarms);
    }

    /// `CPUUtilization` \[%\] of each instance over the period ending now: busy vCPU time over the
    /// part of the period the instance was running; `None` if it was not running at all.
    fn period_cpu(&mut self) -> Vec<Option<f64>> {
        let start = SimTime(
            self.now
                .0
                .saturating_sub(self.sc.period.0)
                .max(self.rec.periods_closed() as u64 * self.sc.period.0),
        );
        self.fleet.period_cpu(start, self.now)
    }

    fn finish(mut self) -> RunResult {
        let sc = self.sc;
        let totals = self.scaling.totals();
        // The model's duration, or the time reached when a guard stopped the run early.
        let end = self.end;
        let secs = end.as_secs_f64();
        let instances = self.fleet.results(end);
        let owners: Vec<_> = (self.fleet.iter())
            .map(|(_, x)| x.owner.map(|o| o.asg))
            .collect();
        let names: Vec<String> = sc.target_groups.iter().map(|g| g.name.clone()).collect();
        let mut result = self.rec.finish(&names, instances);
        result.model = sc.name.clone();
        result.description = sc.description.clone();
        result.seed = sc.seed;
        result.duration_seconds = secs;
        result.events_processed = self.events;
        result.alarms = cloudwatch::alarm_results(sc);
        result.load_ends_seconds = sc.load_ends.map(SimDuration::as_secs_f64);
        let facts = autoscaling::RunFacts {
            periods: &result.periods,
            instances: &result.instances,
            owners: &owners,
            end,
        };
        result.auto_scaling_groups = autoscaling::results(sc, totals, &facts);
        let (queues, topics, consumers) = sqs::messaging_results(sc, &mut self.sqs, end);
        result.queues = queues;
        result.topics = topics;
        result.consumers = consumers;
        result.has_load_balancer = !sc.listeners.is_empty();
        result.cost = crate::recorder::cost(&result);
        result
    }
}
