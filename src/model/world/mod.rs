//! The world: all entities of one run, and what each event does to them.
//!
//! A request's path:
//!
//! ```text
//! client ─arrival─▶ connection (reuse, or open + TLS handshake) ─▶ listener route
//!   ├─ forward ─▶ target group picks a routable target ─▶ instance: worker or backlog
//!   │     │  no routable target: 503           crashed or backlog full: 502 │
//!   │     └─ unreachable target: 504 after the 10 s connect timeout         │
//!   │            ALB idle timeout at the target: 504 ◀──────────────────────┤
//!   │                                          target response: 2XX ◀───────┘
//!   ├─ redirect ─▶ 301/302, then the client sends the follow-up request
//!   └─ fixed-response ─▶ the configured status
//! ```
//!
//! Health checks, registration and draining live in `world/health.rs`; faults in `world/faults.rs`.
//!
//! Hot-path rules: no allocation (request slots, connections and queues are recycled), no string
//! lookups (everything is an index), no formatting. Memory is bounded by what is alive: requests in
//! flight, idle connections, users.

mod autoscaling;
mod cloudwatch;
mod faults;
mod fleet;
mod health;
mod sessions;
mod stall;
mod websocket;

use super::arrival::ArrivalCursor;
use super::client::Load;
use super::connection::{Conn, ConnRules, H2Pool, NO_H2, Pool, reuse_or_open};
use super::event::Event;
use super::fault::FaultKind;
use super::health::HealthState;
use super::ids::{ClientId, InstanceId, ListenerId, RouteId, TargetGroupId};
use super::instance::Admission;
use super::route::Route;
use super::target_group::TargetGroupState;
use crate::engine::{EventQueue, RngStream, SimDuration, SimTime};
use crate::recorder::{Origin, Recorder, RunResult};
use crate::scenario::Scenario;
use std::collections::VecDeque;

/// No user: an open-loop request.
const NO_USER: u32 = u32::MAX;
/// Not forwarded to a target group (yet).
const NO_GROUP: u32 = u32::MAX;
/// Not a health check: a client request.
const NO_CHECK: u32 = u32::MAX;
/// How long the ALB waits for a TCP connection to a target (`aws-behavior.md` §6.5).
const CONNECT_TIMEOUT: SimDuration = SimDuration::from_secs(10);

/// Where a request is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Stage {
    /// Waiting for its connection's TLS handshake.
    Handshake,
    /// At a target (running or in its backlog).
    AtTarget,
    /// Waiting for the 10 s connect timeout to an unreachable target.
    Connecting,
    /// Answered by the ALB (504) while the target still holds it; freed when the target is done.
    Abandoned,
    /// Done at the target, but the response cannot reach the ALB (network blocked): the ALB's idle
    /// timeout will answer 504.
    Lost,
    /// The slot is free.
    Free,
}

/// A request in flight.
#[derive(Clone, Copy, Debug)]
struct Request {
    client: u32,
    rtype: u32,
    user: u32,
    listener: ListenerId,
    route: RouteId,
    arrived: SimTime,
    dispatched: SimTime,
    conn: Conn,
    group: u32,
    member: u32,
    instance: u32,
    /// Health checker index, or `NO_CHECK` for client requests.
    check: u32,
    /// Which check of that checker.
    check_seq: u32,
    /// Cookie jar, or `NO_SESSION`.
    session: u32,
    /// HTTP/2 connection slot in the client's pool, or `NO_H2`.
    h2: u32,
    stage: Stage,
    generation: u32,
}

/// Request slots, recycled through a free list: memory follows requests in flight.
#[derive(Debug, Default)]
struct Slab {
    slots: Vec<Request>,
    free: Vec<u32>,
}

impl Slab {
    #[inline]
    fn insert(&mut self, mut r: Request) -> u32 {
        if let Some(i) = self.free.pop() {
            r.generation = self.slots[i as usize].generation;
            self.slots[i as usize] = r;
            i
        } else {
            r.generation = 0;
            self.slots.push(r);
            (self.slots.len() - 1) as u32
        }
    }

    #[inline]
    fn remove(&mut self, i: u32) {
        let s = &mut self.slots[i as usize];
        s.generation = s.generation.wrapping_add(1);
        s.stage = Stage::Free;
        self.free.push(i);
    }

    #[inline]
    fn is_live(&self, i: u32, generation: u32) -> bool {
        self.slots[i as usize].generation == generation
    }
}

/// Per-client run state: its random streams and connections.
#[derive(Debug)]
struct ClientState {
    arrivals: RngStream,
    mix: RngStream,
    think: RngStream,
    service: Vec<RngStream>,
    cursor: ArrivalCursor,
    /// Idle connections per listener (open loop, HTTP/1.1).
    pools: Vec<Pool>,
    /// HTTP/2 connections per listener (open loop).
    h2_pools: Vec<H2Pool>,
}

/// A closed-loop user.
#[derive(Clone, Debug)]
struct User {
    client: ClientId,
}

/// One run of a scenario.
#[derive(Debug)]
pub struct World<'s> {
    sc: &'s Scenario,
    queue: EventQueue<Event>,
    now: SimTime,
    end: SimTime,
    conn_rules: ConnRules,
    clients: Vec<ClientState>,
    users: Vec<User>,
    /// Per (user, listener) connection.
    user_conns: Vec<Conn>,
    groups: Vec<TargetGroupState>,
    /// Every EC2 instance: the model's, then those the Auto Scaling groups launch.
    fleet: fleet::Fleet,
    /// CloudWatch: metrics published per period, and the alarms reading them.
    cloudwatch: cloudwatch::CloudWatch,
    /// Auto Scaling groups and their policies.
    scaling: autoscaling::Scaling,
    requests: Slab,
    /// ALB idle-timeout deadlines of requests at targets, in dispatch (= deadline) order.
    deadlines: VecDeque<(SimTime, u32, u32)>,
    deadline_gen: u32,
    deadline_armed: bool,
    forward_weights: RngStream,
    /// Whether a fault can freeze an instance or lose its answers (hang, network, AZ outage).
    freezable: bool,
    /// Health checkers: one per (target group, member, load balancer node).
    checkers: Vec<health::Checker>,
    /// Per target group: draws of first-check times.
    health_rngs: Vec<RngStream>,
    /// Per fault: draws of random fault times.
    fault_rngs: Vec<RngStream>,
    /// Per fault: the instances its current occurrence hit (recovery undoes exactly these).
    fault_hits: Vec<Vec<InstanceId>>,
    /// Per user: its WebSocket connection (unused for other users).
    ws: Vec<websocket::WsConn>,
    /// Per client: WebSocket client-message, server-message and reconnect draws.
    ws_rngs: Vec<(RngStream, RngStream, RngStream)>,
    /// Cookie jars for sticky sessions.
    sessions: sessions::Sessions,
    /// Per client: which session an open-loop request belongs to.
    session_rngs: Vec<RngStream>,
    rec: Recorder,
    next_period_end: SimTime,
    events: u64,
    /// `events` when the last metric period closed (a partial last period is closed only if
    /// something happened since).
    events_at_period_close: u64,
}

impl<'s> World<'s> {
    /// Builds the initial state of a run of `sc` and schedules the first events.
    pub fn new(sc: &'s Scenario) -> World<'s> {
        let seed = sc.seed;
        let listeners = sc.listeners.len();
        let clients: Vec<ClientState> = sc
            .clients
            .iter()
            .map(|c| ClientState {
                arrivals: RngStream::derive(seed, &format!("client/{}/arrivals", c.name)),
                mix: RngStream::derive(seed, &format!("client/{}/mix", c.name)),
                think: RngStream::derive(seed, &format!("client/{}/think", c.name)),
                service: c
                    .types
                    .iter()
                    .map(|t| {
                        RngStream::derive(
                            seed,
                            &format!("client/{}/request/{}/service", c.name, t.name),
                        )
                    })
                    .collect(),
                cursor: ArrivalCursor::default(),
                pools: vec![Pool::default(); listeners],
                h2_pools: vec![H2Pool::default(); listeners],
            })
            .collect();
        let groups = sc
            .target_groups
            .iter()
            .map(|g| {
                TargetGroupState::new(RngStream::derive(seed, &format!("target_group/{}", g.name)))
            })
            .collect();
        let mut world = World {
            sc,
            queue: EventQueue::with_capacity(1024),
            now: SimTime::ZERO,
            end: SimTime::ZERO + sc.duration,
            conn_rules: ConnRules {
                idle_timeout: sc.idle_timeout,
                max_lifetime: sc.client_keep_alive,
            },
            clients,
            users: Vec::new(),
            user_conns: Vec::new(),
            groups,
            fleet: fleet::Fleet::new(&sc.instances),
            cloudwatch: cloudwatch::CloudWatch::new(sc),
            scaling: autoscaling::Scaling::default(),
            requests: Slab::default(),
            deadlines: VecDeque::new(),
            deadline_gen: 0,
            deadline_armed: false,
            forward_weights: RngStream::derive(seed, "load_balancer/forward_weights"),
            freezable: sc.faults.iter().any(|f| {
                matches!(
                    f.kind,
                    FaultKind::Hang | FaultKind::NetworkBlocked | FaultKind::AzOutage
                )
            }),
            checkers: Vec::new(),
            health_rngs: sc
                .target_groups
                .iter()
                .map(|g| RngStream::derive(seed, &format!("target_group/{}/health", g.name)))
                .collect(),
            sessions: sessions::Sessions::default(),
            ws: Vec::new(),
            ws_rngs: sc
                .clients
                .iter()
                .map(|c| {
                    let d = |what: &str| {
                        RngStream::derive(seed, &format!("client/{}/websocket/{what}", c.name))
                    };
                    (d("client_messages"), d("server_messages"), d("reconnect"))
                })
                .collect(),
            session_rngs: sc
                .clients
                .iter()
                .map(|c| RngStream::derive(seed, &format!("client/{}/sessions", c.name)))
                .collect(),
            fault_hits: vec![Vec::new(); sc.faults.len()],
            fault_rngs: (0..sc.faults.len())
                .map(|i| RngStream::derive(seed, &format!("fault/{i}")))
                .collect(),
            rec: Recorder::new(sc.target_groups.len(), sc.period, sc.duration),
            next_period_end: SimTime::ZERO + sc.period.min(sc.duration),
            events: 0,
            events_at_period_close: 0,
        };
        let quantiles = world.cloudwatch.quantiles();
        world.rec.set_period_quantiles(quantiles);
        world.schedule_start();
        world
    }

    fn schedule_start(&mut self) {
        for (ci, c) in self.sc.clients.iter().enumerate() {
            let client = ClientId(ci as u32);
            match &c.load {
                Load::Open(process) => {
                    let st = &mut self.clients[ci];
                    if let Some(t) =
                        process.next_after(SimTime::ZERO, &mut st.cursor, &mut st.arrivals)
                    {
                        self.queue.schedule(t, Event::RequestArrives { client });
                    }
                }
                load => {
                    let (count, spawn_interval) = load.population().expect("closed-loop load");
                    for k in 0..count {
                        let user = self.users.len() as u32;
                        self.users.push(User { client });
                        self.ws.push(websocket::WsConn::default());
                        self.user_conns.extend(std::iter::repeat_n(
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
        self.sessions = sessions::Sessions::new(self.sc, self.users.len() as u32);
        self.register_initial_targets();
        self.schedule_faults_and_operations();
        self.start_autoscaling();
    }

    /// Runs to the end of the scenario and returns what was recorded.
    ///
    /// # Panics
    /// If the run stalls (see [`crate::RunError`]); the command line uses [`World::run_with`].
    pub fn run(self) -> RunResult {
        match self.run_with(&mut crate::RunOptions::default()) {
            Ok(result) => result,
            Err(e) => panic!("{e}"),
        }
    }

    /// Runs to the end of the scenario, or until a guard in `opts` stops it (the result then says
    /// so in [`RunResult::end`] and covers only the simulated time reached), reporting progress
    /// every [`crate::PROGRESS_EVERY`] events.
    ///
    /// # Errors
    /// [`crate::RunError::Stalled`] when simulated time stops advancing (see `world/stall.rs`):
    /// the message names the client that keeps it still and how to fix the model.
    pub fn run_with(
        mut self,
        opts: &mut crate::RunOptions<'_>,
    ) -> Result<RunResult, crate::RunError> {
        let started = std::time::Instant::now();
        let max_events = opts.max_events.unwrap_or(u64::MAX);
        let mut end = crate::RunEnd::Completed;
        let targets = self.sc.instances.len()
            + (self.sc.auto_scaling_groups.iter())
                .map(|g| g.max as usize)
                .sum::<usize>();
        let mut watch = stall::StallWatch::new(self.users.len() + targets);
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
            if self.events % crate::PROGRESS_EVERY == 0 || self.events >= max_events {
                if self.events % crate::PROGRESS_EVERY == 0 {
                    if let Some(stall) = watch.stalled(self.now, crate::PROGRESS_EVERY) {
                        return Err(self.stall_error(stall));
                    }
                }
                let wall = started.elapsed();
                if let Some(report) = opts.progress.as_mut() {
                    report(&crate::Progress {
                        now: self.now,
                        end: self.end,
                        events: self.events,
                        wall,
                    });
                }
                if self.events >= max_events {
                    end = crate::RunEnd::MaxEvents;
                    break;
                }
                if opts.max_wall.is_some_and(|limit| wall >= limit) {
                    end = crate::RunEnd::MaxWall;
                    break;
                }
            }
        }
        if end != crate::RunEnd::Completed {
            self.stop_early();
        }
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
                let client = self.users[user as usize].client;
                self.start_request(client, user);
            }
            Event::HandshakeDone { slot, generation } => {
                if self.requests.is_live(slot, generation) {
                    self.route(slot);
                }
            }
            Event::ServiceCompletes {
                instance,
                generation,
            } => self.on_service_completes(instance, generation),
            Event::RequestCompletes {
                slot,
                generation,
                epoch,
            } => self.on_request_completes(slot, generation, epoch),
            Event::ConnectTimeout { slot, generation } => {
                if self.requests.is_live(slot, generation) {
                    // Nothing answered the SYN within 10 s: the ALB gives up with 504.
                    self.respond_and_wake(slot, 504, Origin::LoadBalancer, None, 0);
                }
            }
            Event::HealthCheckDue { checker } => self.on_health_check_due(checker),
            Event::HealthCheckTimeout { checker, seq } => {
                self.on_health_check_timeout(checker, seq)
            }
            Event::DrainTimeout {
                group,
                member,
                generation,
            } => self.on_drain_timeout(group, member, generation),
            Event::FaultStarts { fault } => self.on_fault_starts(fault),
            Event::FaultEnds { fault } => self.on_fault_ends(fault),
            Event::OperationDue { operation } => self.on_operation(operation),
            Event::AsgLaunched { asg, member } => self.on_asg_launched(asg, member),
            Event::AsgHookDone { asg, member } => self.on_asg_hook_done(asg, member),
            Event::AsgDrainOver { asg, member } => self.on_asg_drain_over(asg, member),
            Event::AsgHealthPoll { asg } => self.on_asg_health_poll(asg),
            Event::AsgScheduled { asg, action } => self.on_asg_scheduled(asg, action),
            Event::WebsocketDue { user, generation } => self.on_websocket_due(user, generation),
            Event::IdleTimeoutDue { generation } => self.on_idle_timeout(generation),
            Event::PeriodEnds => return self.on_period_ends(),
        }
        false
    }

    fn on_request_arrives(&mut self, client: ClientId) {
        let sc = self.sc;
        if let Load::Open(process) = &sc.clients[client.index()].load {
            let st = &mut self.clients[client.index()];
            if let Some(t) = process.next_after(self.now, &mut st.cursor, &mut st.arrivals) {
                if t <= self.end {
                    self.queue.schedule(t, Event::RequestArrives { client });
                }
            }
        }
        self.start_request(client, NO_USER);
    }

    /// A client (or one of its users) sends a new request of a random type.
    #[inline(always)]
    fn start_request(&mut self, client: ClientId, user: u32) {
        let spec = &self.sc.clients[client.index()];
        // A single request type needs no draw (the mix stream is the client's own, so skipping it
        // changes no other stream).
        let rtype = if spec.types.len() == 1 {
            0
        } else {
            spec.pick_type(self.clients[client.index()].mix.uniform())
        };
        let t = &spec.types[rtype];
        let session = if user != NO_USER {
            user
        } else if spec.sessions > 0 {
            let k = self.session_rngs[client.index()].below(spec.sessions as usize) as u32;
            self.sessions.client_base[client.index()] + k
        } else {
            sessions::NO_SESSION
        };
        self.send(client, rtype as u32, user, session, t.listener, t.route);
    }

    /// Sends a request on `listener` (opening a connection if needed) and routes it.
    #[inline(always)]
    fn send(
        &mut self,
        client: ClientId,
        rtype: u32,
        user: u32,
        session: u32,
        listener: ListenerId,
        route: RouteId,
    ) {
        let spec = &self.sc.clients[client.index()];
        let (conn, fresh, h2) = if user == NO_USER
            && spec.http2
            && spec.keep_alive
            && self.sc.listeners[listener.index()].http2
        {
            let pool = &mut self.clients[client.index()].h2_pools[listener.index()];
            let (slot, conn, fresh) =
                pool.open_stream(self.now, &self.conn_rules, &mut self.rec.connections);
            (conn, fresh, slot)
        } else {
            let idle = if user == NO_USER {
                self.clients[client.index()].pools[listener.index()].take(self.now)
            } else {
                Some(self.user_conns[user as usize * self.sc.listeners.len() + listener.index()])
            };
            let (conn, fresh) = reuse_or_open(idle, self.now, &mut self.rec.connections);
            (conn, fresh, NO_H2)
        };
        let rt = &spec.types[rtype as usize];
        self.rec.request_received(rt.request_bytes);
        let handshake = if fresh {
            self.sc.listeners[listener.index()].tls_handshake
        } else {
            SimDuration::ZERO
        };
        let slot = self.requests.insert(Request {
            client: client.0,
            rtype,
            user,
            listener,
            route,
            arrived: self.now,
            dispatched: self.now,
            conn,
            group: NO_GROUP,
            member: 0,
            instance: 0,
            check: NO_CHECK,
            check_seq: 0,
            session,
            h2,
            stage: Stage::Handshake,
            generation: 0,
        });
        if handshake.0 > 0 {
            let generation = self.requests.slots[slot as usize].generation;
            self.queue.schedule(
                self.now + handshake,
                Event::HandshakeDone { slot, generation },
            );
        } else {
            self.route(slot);
        }
    }

    /// Applies the listener's (precomputed) route to a request.
    #[inline(always)]
    fn route(&mut self, slot: u32) {
        let r = self.requests.slots[slot as usize];
        match self.sc.routes.get(r.route) {
            Route::Forward(g) => self.forward(slot, *g),
            Route::Weighted { groups, total, .. } => {
                let g = self.sticky_group(r.session, r.route.index(), |w| {
                    let x = w.forward_weights.below(*total as usize) as u32;
                    groups
                        .iter()
                        .find(|&&(_, c)| x < c)
                        .map_or(groups[groups.len() - 1].0, |&(g, _)| g)
                });
                self.forward(slot, g);
            }
            Route::Fixed { status, body_bytes } => {
                self.rec.fixed_response();
                self.respond_and_wake(slot, *status, Origin::LoadBalancer, None, *body_bytes);
            }
            Route::Redirect { status, follow } => {
                self.rec.redirect();
                let follow = *follow;
                self.respond(slot, *status, Origin::LoadBalancer, None, 0);
                match follow {
                    Some((listener, route)) => self.send(
                        ClientId(r.client),
                        r.rtype,
                        r.user,
                        r.session,
                        listener,
                        route,
                    ),
                    None => self.user_done(r.user),
                }
            }
        }
    }

    /// Forwards a request to a target of group `g`.
    #[inline(always)]
    fn forward(&mut self, slot: u32, g: TargetGroupId) {
        let spec = &self.sc.target_groups[g.index()];
        let session = self.requests.slots[slot as usize].session;
        self.requests.slots[slot as usize].group = g.0;
        let picked = match self.sticky_member(session, g) {
            Some(Ok(member)) => Some(member),
            _ => {
                let fleet = &self.fleet;
                self.groups[g.index()].pick(spec, self.now, |i| fleet[i].state.outstanding)
            }
        };
        let Some(member) = picked else {
            // No target to route to (none registered, or all still `initial` or `draining`): the
            // ALB answers 503 itself.
            self.respond_and_wake(slot, 503, Origin::LoadBalancer, None, 0);
            return;
        };
        self.set_sticky_member(session, g, member);
        let target = self.groups[g.index()].members[member as usize].instance;
        let r = &mut self.requests.slots[slot as usize];
        r.member = member;
        r.instance = target.0;
        r.dispatched = self.now;
        let (client, rtype) = (r.client as usize, r.rtype as usize);
        let inst = &self.fleet[target].state;
        if inst.blocked > 0 {
            // The SYN is dropped (security group, AZ outage): 504 after the connect timeout.
            r.stage = Stage::Connecting;
            let generation = r.generation;
            self.rec.target_connection_error();
            self.queue.schedule(
                self.now + CONNECT_TIMEOUT,
                Event::ConnectTimeout { slot, generation },
            );
            return;
        }
        if inst.crashed > 0 {
            // Nothing listens: the connection is reset and the ALB answers 502.
            self.rec.target_connection_error();
            self.respond_and_wake(slot, 502, Origin::LoadBalancer, None, 0);
            return;
        }
        let mut work = self.sc.clients[client].types[rtype]
            .service_time
            .sample(&mut self.clients[client].service[rtype]);
        if inst.slow_factor != 1.0 {
            work = SimDuration::from_nanos_f64(work.0 as f64 * inst.slow_factor);
        }
        self.requests.slots[slot as usize].stage = Stage::AtTarget;
        if let Some(finish_known) = self.dispatch(slot, target, work) {
            self.groups[g.index()].members[member as usize].in_flight += 1;
            if self.cloudwatch.counting {
                self.cloudwatch.requests[g.index()] += 1;
                self.fleet[target].network.received +=
                    self.sc.clients[client].types[rtype].request_bytes;
            }
            // A request that started on a fixed-speed instance finishes at now + work; if that is
            // within the idle timeout and no fault can freeze the instance or lose its answer, it
            // cannot time out, and needs no deadline.
            if !(finish_known && work < self.sc.idle_timeout && !self.freezable) {
                self.push_deadline(slot);
            }
        } else {
            // Backlog full: the target refuses the connection and the ALB answers 502.
            self.requests.slots[slot as usize].stage = Stage::Handshake;
            self.rec.target_connection_error();
            self.respond_and_wake(slot, 502, Origin::LoadBalancer, None, 0);
        }
    }

    /// Hands work to an instance (a request or a health check): `None` if it refused it, else
    /// whether its completion time is already fixed (started at once at full speed).
    #[inline(always)]
    fn dispatch(&mut self, slot: u32, target: InstanceId, work: SimDuration) -> Option<bool> {
        let fleet::Instance {
            spec: ispec,
            state: inst,
            ..
        } = &mut self.fleet[target];
        if ispec.workers <= ispec.vcpus {
            match inst.admit_fixed(self.now, ispec, slot, work) {
                Admission::Refused => None,
                admission => {
                    inst.outstanding += 1;
                    if admission == Admission::Started {
                        let epoch = inst.epoch;
                        let generation = self.requests.slots[slot as usize].generation;
                        let done = Event::RequestCompletes {
                            slot,
                            generation,
                            epoch,
                        };
                        self.queue.schedule(self.now + work, done);
                    }
                    Some(admission == Admission::Started)
                }
            }
        } else {
            match inst.admit(self.now, ispec, slot, work) {
                Admission::Refused => None,
                admission => {
                    inst.outstanding += 1;
                    if admission == Admission::Started {
                        self.reschedule_completion(target);
                    }
                    Some(false)
                }
            }
        }
    }

    fn reschedule_completion(&mut self, i: InstanceId) {
        let fleet::Instance {
            spec, state: inst, ..
        } = &mut self.fleet[i];
        let at = inst.next_finish(self.now, spec.vcpus);
        if at != inst.completion_at {
            inst.completion_gen = inst.completion_gen.wrapping_add(1);
            inst.completion_at = at;
            if at != SimTime::NEVER {
                let generation = inst.completion_gen;
                self.queue.schedule(
                    at,
                    Event::ServiceCompletes {
                        instance: i,
                        generation,
                    },
                );
            }
        }
    }

    #[inline(always)]
    fn on_request_completes(&mut self, slot: u32, generation: u32, epoch: u32) {
        if !self.requests.is_live(slot, generation) {
            return; // the instance crashed: the slot was freed, and may hold another request now
        }
        let i = InstanceId(self.requests.slots[slot as usize].instance);
        let fleet::Instance { spec, state, .. } = &mut self.fleet[i];
        if state.epoch != epoch {
            return; // the instance hung or restarted since this request started
        }
        if let Some((next, work)) = state.finish_fixed(self.now, spec.vcpus) {
            let generation = self.requests.slots[next as usize].generation;
            let done = Event::RequestCompletes {
                slot: next,
                generation,
                epoch,
            };
            self.queue.schedule(self.now + SimDuration(work), done);
        }
        self.done_at_target(i, slot);
    }

    fn on_service_completes(&mut self, i: InstanceId, generation: u32) {
        {
            let fleet::Instance { spec, state, .. } = &mut self.fleet[i];
            if generation != state.completion_gen {
                return;
            }
            state.completion_at = SimTime::NEVER;
            state.advance(self.now, spec.vcpus);
        }
        while let Some(slot) = self.fleet[i].state.pop_finished() {
            self.done_at_target(i, slot);
        }
        self.reschedule_completion(i);
    }

    /// The instance finished working on a request or health check.
    #[inline(always)]
    fn done_at_target(&mut self, i: InstanceId, slot: u32) {
        let r = &self.requests.slots[slot as usize];
        let (check, stage, user, client, rtype, dispatched) = (
            r.check,
            r.stage,
            r.user,
            r.client as usize,
            r.rtype as usize,
            r.dispatched,
        );
        if check != NO_CHECK {
            self.fleet[i].state.outstanding -= 1;
            self.health_check_answered(slot);
            return;
        }
        self.fleet[i].completed += 1;
        match stage {
            Stage::Abandoned => {
                // The ALB already answered 504; the target's late answer goes nowhere.
                self.requests.remove(slot);
            }
            Stage::AtTarget if self.fleet[i].state.blocked > 0 => {
                // The response cannot get back through the network: the ALB keeps waiting.
                self.requests.slots[slot as usize].stage = Stage::Lost;
            }
            _ if user != NO_USER && self.is_websocket_user(user) => {
                self.websocket_established(slot)
            }
            _ => {
                self.release_target(slot);
                let rt = &self.sc.clients[client].types[rtype];
                if self.cloudwatch.counting {
                    self.fleet[i].network.sent += rt.response_bytes;
                }
                let target_time = self.now.since(dispatched);
                self.respond_and_wake(
                    slot,
                    200,
                    Origin::Target,
                    Some(target_time),
                    rt.response_bytes,
                );
            }
        }
    }

    /// The ALB stops waiting for the target of a forwarded request: it no longer counts as
    /// outstanding (routing) or in flight (draining).
    #[inline(always)]
    fn release_target(&mut self, slot: u32) {
        let r = &self.requests.slots[slot as usize];
        let (instance, group, member) = (InstanceId(r.instance), r.group, r.member);
        let inst = &mut self.fleet[instance].state;
        inst.outstanding = inst.outstanding.saturating_sub(1);
        let m = &mut self.groups[group as usize].members[member as usize];
        m.in_flight -= 1;
        if m.in_flight == 0 && m.health.state == HealthState::Draining {
            self.drained(group, member);
        }
    }

    /// Tracks the ALB idle timeout of a request just handed to a target.
    #[inline(always)]
    fn push_deadline(&mut self, slot: u32) {
        // Drop answered requests from the head so the queue holds little beyond those in flight.
        while let Some(&(_, s, g)) = self.deadlines.front() {
            if self.requests.is_live(s, g)
                && matches!(
                    self.requests.slots[s as usize].stage,
                    Stage::AtTarget | Stage::Lost
                )
            {
                break;
            }
            self.deadlines.pop_front();
        }
        let due = self.now + self.sc.idle_timeout;
        let generation = self.requests.slots[slot as usize].generation;
        self.deadlines.push_back((due, slot, generation));
        if !self.deadline_armed {
            self.arm_deadline(due);
        }
    }

    fn arm_deadline(&mut self, at: SimTime) {
        self.deadline_gen = self.deadline_gen.wrapping_add(1);
        self.deadline_armed = true;
        self.queue.schedule(
            at,
            Event::IdleTimeoutDue {
                generation: self.deadline_gen,
            },
        );
    }

    fn on_idle_timeout(&mut self, generation: u32) {
        if generation != self.deadline_gen {
            return;
        }
        self.deadline_armed = false;
        while let Some(&(due, slot, g)) = self.deadlines.front() {
            let stage = self.requests.slots[slot as usize].stage;
            let live =
                self.requests.is_live(slot, g) && matches!(stage, Stage::AtTarget | Stage::Lost);
            if live && due > self.now {
                self.arm_deadline(due);
                return;
            }
            self.deadlines.pop_front();
            if live {
                // The target sent nothing within the idle timeout: the ALB answers 504 and closes
                // its target connection.
                self.release_target(slot);
                if stage == Stage::Lost {
                    self.respond_and_wake(slot, 504, Origin::LoadBalancer, None, 0);
                } else {
                    // The target keeps working on it unknowingly; the slot is freed when it is done.
                    self.requests.slots[slot as usize].stage = Stage::Abandoned;
                    self.respond_keep_slot(slot, 504, Origin::LoadBalancer, None, 0);
                    self.user_done(self.requests.slots[slot as usize].user);
                }
            }
        }
    }

    /// Answers a request, frees its slot, and lets its user think.
    #[inline(always)]
    fn respond_and_wake(
        &mut self,
        slot: u32,
        status: u16,
        origin: Origin,
        target_time: Option<SimDuration>,
        bytes: u64,
    ) {
        let user = self.requests.slots[slot as usize].user;
        self.respond(slot, status, origin, target_time, bytes);
        self.user_done(user);
    }

    /// Answers a request and frees its slot.
    #[inline(always)]
    fn respond(
        &mut self,
        slot: u32,
        status: u16,
        origin: Origin,
        target_time: Option<SimDuration>,
        bytes: u64,
    ) {
        self.respond_keep_slot(slot, status, origin, target_time, bytes);
        self.requests.remove(slot);
    }

    /// Records the response and releases the client connection; the slot stays allocated.
    #[inline(always)]
    fn respond_keep_slot(
        &mut self,
        slot: u32,
        status: u16,
        origin: Origin,
        target_time: Option<SimDuration>,
        bytes: u64,
    ) {
        let r = &self.requests.slots[slot as usize];
        let (group, arrived, h2, client, listener, conn, user) = (
            r.group,
            r.arrived,
            r.h2,
            r.client as usize,
            r.listener.index(),
            r.conn,
            r.user,
        );
        let group = (group != NO_GROUP).then_some(group as usize);
        self.rec.response(
            status,
            origin,
            self.now.since(arrived),
            group,
            target_time,
            bytes,
        );
        if h2 != NO_H2 {
            let pool = &mut self.clients[client].h2_pools[listener];
            pool.close_stream(h2, self.now, &self.conn_rules, &mut self.rec.connections);
            return;
        }
        let keep_alive = self.sc.clients[client].keep_alive;
        let back = self
            .conn_rules
            .release(conn, self.now, keep_alive, &mut self.rec.connections);
        if user == NO_USER {
            if let Some(c) = back {
                self.clients[client].pools[listener].put(c);
            }
        } else {
            let k = user as usize * self.sc.listeners.len() + listener;
            self.user_conns[k] = back.unwrap_or_default();
        }
    }

    /// A user's request got its final answer: think, then send the next one.
    #[inline(always)]
    fn user_done(&mut self, user: u32) {
        if user == NO_USER {
            return;
        }
        let client = self.users[user as usize].client;
        let pause = match &self.sc.clients[client.index()].load {
            Load::Users { think, .. } => think.sample(&mut self.clients[client.index()].think),
            // A WebSocket client whose connection ended (or never opened) reconnects.
            Load::Websocket(w) => w.reconnect.sample(&mut self.ws_rngs[client.index()].2),
            Load::Open(_) => return,
        };
        let t = self.now + pause;
        if t < self.end {
            self.queue.schedule(t, Event::UserWakes { user });
        }
    }

    /// Closes a metric period; returns true at the end of the run.
    fn on_period_ends(&mut self) -> bool {
        let cpu = self.period_cpu();
        self.events_at_period_close = self.events;
        self.rec.close_period(self.now, cpu.clone());
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

    fn finish(self) -> RunResult {
        let sc = self.sc;
        let totals = self.scaling.totals();
        // The model's duration, or the time reached when a guard stopped the run early.
        let end = self.end;
        let secs = end.as_secs_f64();
        let instances = self.fleet.results(end);
        let names: Vec<String> = sc.target_groups.iter().map(|g| g.name.clone()).collect();
        let mut result = self.rec.finish(&names, instances);
        result.model = sc.name.clone();
        result.description = sc.description.clone();
        result.seed = sc.seed;
        result.duration_seconds = secs;
        result.events_processed = self.events;
        result.alarm_names = sc.alarms.iter().map(|a| a.name.clone()).collect();
        result.alarm_thresholds = sc.alarms.iter().map(|a| a.rule.threshold).collect();
        result.auto_scaling_groups = autoscaling::results(sc, totals, &result.periods);
        result.cost = crate::model::cost::cost(&result);
        result
    }
}
