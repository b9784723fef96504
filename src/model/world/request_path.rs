//! The request path through the load balancer: a client's request arrives, finds or opens a
//! connection, is routed by its listener's rules, forwarded to a target (or answered by the ALB
//! itself), and its response goes back to the client, whose user then thinks.
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
//! A request type's `timeout` can end any of these first: the client closes its connection (460,
//! `world/retry.rs`), and a client with `retry` may send the request again after its backoff.

use super::load_balancer::{Attempt, Request, Stage};
use super::{CONNECT_TIMEOUT, World, sessions};
use crate::engine::SimDuration;
use crate::model::client::Load;
use crate::model::connection::{NO_H2, reuse_or_open};
use crate::model::event::Event;
use crate::model::health::HealthState;
use crate::model::ids::{
    ClientId, InstanceId, ListenerId, MemberId, RouteId, TargetGroupId, UserId,
};
use crate::model::instance::Job;
use crate::model::replay::{NO_LOGGED_SERVICE, NOT_REPLAYED, Provenance};
use crate::model::retry::CLIENT_GAVE_UP;
use crate::model::route::Route;
use crate::recorder::Origin;

impl World<'_> {
    pub(super) fn on_request_arrives(&mut self, client: ClientId) {
        let sc = self.sc;
        if let Load::Replay(replay) = &sc.clients[client.index()].load {
            self.replay_next(client, replay);
            return;
        }
        if let Load::Open(process) = &sc.clients[client.index()].load {
            let st = &mut self.traffic.clients[client.index()];
            if let Some(t) = process.next_after(self.now, &mut st.cursor, &mut st.arrivals) {
                if t <= self.end {
                    self.queue.schedule(t, Event::RequestArrives { client });
                }
            }
        }
        self.start_request(client, UserId::NONE);
    }

    /// A client (or one of its users) sends a new request of a random type.
    #[inline(always)]
    pub(super) fn start_request(&mut self, client: ClientId, user: UserId) {
        let spec = &self.sc.clients[client.index()];
        // A single request type needs no draw (the mix stream is the client's own, so skipping it
        // changes no other stream).
        let rtype = if spec.types.len() == 1 {
            0
        } else {
            spec.pick_type(self.traffic.clients[client.index()].mix.uniform())
        };
        let t = &spec.types[rtype];
        let session = if user != UserId::NONE {
            user.0
        } else if spec.sessions > 0 {
            let k = self.traffic.clients[client.index()]
                .sessions
                .below(spec.sessions as usize) as u32;
            self.lb.sessions.client_base[client.index()] + k
        } else {
            sessions::NO_SESSION
        };
        let (listener, route) = (t.listener, t.route);
        self.send(
            client,
            rtype as u32,
            user,
            session,
            listener,
            route,
            Provenance::GENERATED,
            Attempt::first(self.now),
        );
    }

    /// Sends a request on `listener` (opening a connection if needed) and routes it
    /// (`from`: the model's own request, or a replayed one; `attempt`: which of the client's
    /// attempts it is).
    #[inline(always)]
    #[allow(clippy::too_many_arguments)]
    pub(super) fn send(
        &mut self,
        client: ClientId,
        rtype: u32,
        user: UserId,
        session: u32,
        listener: ListenerId,
        route: RouteId,
        from: Provenance,
        attempt: Attempt,
    ) {
        let spec = &self.sc.clients[client.index()];
        // A new connection goes to the node its DNS lookup returns: only nodes that route by
        // zone (some target group with cross-zone off) make the choice matter.
        let state = &mut self.traffic.clients[client.index()];
        let nodes = if self.lb.dns.zonal {
            // The client's cached answer: DNS changes reach it when its TTL runs out.
            if self.now >= state.dns_expires {
                state.dns_answer.clear();
                state.dns_answer.extend_from_slice(&self.lb.dns.nodes);
                state.dns_expires = self.now + spec.dns_ttl;
            }
            &state.dns_answer
        } else {
            &self.lb.dns.nodes
        };
        let dns = &mut state.dns;
        let weights = spec.zone_weights.as_deref();
        let new_node = || match weights {
            _ if nodes.len() == 1 => nodes[0],
            None => nodes[dns.below(nodes.len())],
            Some(w) => super::load_balancer::weighted_node(nodes, w, dns.uniform()),
        };
        let (conn, fresh, h2) = if user == UserId::NONE
            && from.http2
            && spec.http2
            && spec.keep_alive
            && self.sc.listeners[listener.index()].http2
        {
            let pool = &mut state.h2_pools[listener.index()];
            let (slot, conn, fresh) = pool.open_stream(
                self.now,
                &self.lb.conn_rules,
                &mut self.rec.connections,
                new_node,
            );
            (conn, fresh, slot)
        } else {
            let idle = if user == UserId::NONE {
                state.pools[listener.index()].take(self.now)
            } else {
                Some(
                    self.traffic.user_conns
                        [user.index() * self.sc.listeners.len() + listener.index()],
                )
            };
            let (conn, fresh) = reuse_or_open(idle, self.now, &mut self.rec.connections, new_node);
            (conn, fresh, NO_H2)
        };
        let rt = &spec.types[rtype as usize];
        self.rec.request_received(rt.request_bytes);
        if spec.counts_attempts {
            self.rec.attempts.sent(client.index());
        }
        let handshake = if fresh {
            self.sc.listeners[listener.index()].tls_handshake
        } else {
            SimDuration::ZERO
        };
        let slot = self.lb.requests.insert(Request {
            client,
            rtype,
            user,
            listener,
            route,
            arrived: self.now,
            dispatched: self.now,
            conn,
            group: TargetGroupId::NONE,
            member: MemberId(0),
            instance: InstanceId(0),
            session,
            h2,
            logged_service_us: from.logged_service_us,
            replay_class: from.class,
            stage: Stage::Handshake,
            attempt,
        });
        if let Some(timeout) = rt.timeout {
            self.arm_client_timeout(slot, timeout);
        }
        if handshake.0 > 0 {
            let generation = self.lb.requests.generation(slot);
            self.queue.schedule(
                self.now + handshake,
                Event::HandshakeCompletes { slot, generation },
            );
        } else {
            self.route(slot);
        }
    }

    /// Applies the listener's (precomputed) route to a request.
    #[inline(always)]
    pub(super) fn route(&mut self, slot: u32) {
        let r = self.lb.requests[slot];
        match self.sc.routes.get(r.route) {
            Route::Forward(g) => self.forward(slot, *g),
            Route::Weighted { groups, total, .. } => {
                let g = self.sticky_group(r.session, r.route.index(), |w| {
                    let x = w.lb.forward_weights.below(*total as usize) as u32;
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
                let (follow, status) = (*follow, *status);
                match follow {
                    // A replayed log holds the follow-up request as an entry of its own.
                    Some((listener, route)) if !self.is_replayed(r.client) => {
                        self.respond(slot, status, Origin::LoadBalancer, None, 0);
                        // The follow-up is the same end-user request: it keeps its attempt.
                        self.send(
                            r.client,
                            r.rtype,
                            r.user,
                            r.session,
                            listener,
                            route,
                            Provenance::GENERATED,
                            r.attempt,
                        );
                    }
                    _ => self.respond_and_wake(slot, status, Origin::LoadBalancer, None, 0),
                }
            }
        }
    }

    /// Forwards a request to a target of group `g`.
    #[inline(always)]
    pub(super) fn forward(&mut self, slot: u32, g: TargetGroupId) {
        let spec = &self.sc.target_groups[g.index()];
        let (session, node) = (
            self.lb.requests[slot].session,
            self.lb.requests[slot].conn.node,
        );
        self.lb.requests[slot].group = g;
        let picked = match self.sticky_member(session, g, node) {
            Some(Ok(member)) => Some(member),
            _ => {
                let fleet = &self.fleet;
                self.lb.groups[g.index()].pick(spec, node, self.now, |i| fleet[i].state.outstanding)
            }
        };
        let Some(member) = picked else {
            // No target to route to (none registered, or all still `initial` or `draining`; with
            // cross-zone off, none of those in the node's zone): the ALB answers 503 itself.
            self.respond_and_wake(slot, 503, Origin::LoadBalancer, None, 0);
            return;
        };
        self.set_sticky_member(session, g, member);
        let target = self.lb.groups[g.index()].members[member.index()].instance;
        let r = &mut self.lb.requests[slot];
        r.member = member;
        r.instance = target;
        r.dispatched = self.now;
        let (client, rtype) = (r.client.index(), r.rtype as usize);
        let inst = &self.fleet[target].state;
        if inst.blocked > 0 {
            // The SYN is dropped (security group, AZ outage): 504 after the connect timeout.
            r.stage = Stage::Connecting;
            let generation = self.lb.requests.generation(slot);
            self.target_connection_failed(g, member);
            self.queue.schedule(
                self.now + CONNECT_TIMEOUT,
                Event::ConnectTimesOut { slot, generation },
            );
            return;
        }
        if inst.crashed > 0 {
            // Nothing listens: the connection is reset and the ALB answers 502.
            self.target_connection_failed(g, member);
            self.respond_and_wake(slot, 502, Origin::LoadBalancer, None, 0);
            return;
        }
        let logged = self.lb.requests[slot].logged_service_us;
        let mut work = if logged != NO_LOGGED_SERVICE {
            SimDuration(u64::from(logged) * 1000)
        } else {
            self.sc.clients[client].types[rtype]
                .service_time
                .sample(&mut self.traffic.clients[client].service[rtype])
        };
        if inst.slow_factor != 1.0 {
            work = SimDuration::from_nanos_f64(work.0 as f64 * inst.slow_factor);
        }
        self.lb.requests[slot].stage = Stage::AtTarget;
        if let Some(finish_known) = self.dispatch(Job::request(slot), target, work) {
            self.lb.groups[g.index()].members[member.index()].in_flight += 1;
            if self.cloudwatch.counting {
                self.cloudwatch.request_forwarded(g);
                self.fleet[target].network.received +=
                    self.sc.clients[client].types[rtype].request_bytes;
            }
            // A request that started on a fixed-speed instance finishes at now + work; if that is
            // within the idle timeout and no fault can freeze the instance or lose its answer, it
            // cannot time out, and needs no deadline.
            if !(finish_known && work < self.sc.idle_timeout && !self.faults.freezable) {
                self.push_deadline(slot);
            }
        } else {
            // Backlog full: the target refuses the connection and the ALB answers 502.
            self.lb.requests[slot].stage = Stage::Handshake;
            self.target_connection_failed(g, member);
            self.respond_and_wake(slot, 502, Origin::LoadBalancer, None, 0);
        }
    }

    /// The ALB stops waiting for the target of a forwarded request: it no longer counts as
    /// outstanding (routing) or in flight (draining).
    #[inline(always)]
    pub(super) fn release_target(&mut self, slot: u32) {
        self.release_target_answered(slot, None);
    }

    /// [`Self::release_target`] for a request its target answered: `error` (a 5xx) is
    /// counted for anomaly detection, on the member the release touches anyway.
    #[inline(always)]
    pub(super) fn release_target_answered(&mut self, slot: u32, error: Option<bool>) {
        let r = &self.lb.requests[slot];
        let (instance, group, member) = (r.instance, r.group, r.member);
        let inst = &mut self.fleet[instance].state;
        inst.outstanding = inst.outstanding.saturating_sub(1);
        let m = &mut self.lb.groups[group.index()].members[member.index()];
        m.in_flight -= 1;
        if let Some(error) = error {
            m.responses.count(error);
        }
        if m.in_flight == 0 && m.health.state == HealthState::Draining {
            self.drained(group, member);
        }
    }

    /// Answers a request, frees its slot, and lets its user think.
    #[inline(always)]
    pub(super) fn respond_and_wake(
        &mut self,
        slot: u32,
        status: u16,
        origin: Origin,
        target_time: Option<SimDuration>,
        bytes: u64,
    ) {
        let r = &self.lb.requests[slot];
        let (user, client) = (r.user, r.client.index());
        self.respond_keep_slot(slot, status, origin, target_time, bytes);
        let retries = self.sc.clients[client].counts_attempts && self.retries(slot, status);
        self.lb.requests.remove(slot);
        if !retries {
            self.user_done(user);
        }
    }

    /// Answers a request and frees its slot.
    #[inline(always)]
    pub(super) fn respond(
        &mut self,
        slot: u32,
        status: u16,
        origin: Origin,
        target_time: Option<SimDuration>,
        bytes: u64,
    ) {
        self.respond_keep_slot(slot, status, origin, target_time, bytes);
        self.lb.requests.remove(slot);
    }

    /// Records the response and releases the client connection; the slot stays allocated.
    #[inline(always)]
    pub(super) fn respond_keep_slot(
        &mut self,
        slot: u32,
        status: u16,
        origin: Origin,
        target_time: Option<SimDuration>,
        bytes: u64,
    ) {
        let r = &self.lb.requests[slot];
        let (group, arrived, h2, client, listener, conn, user) = (
            r.group,
            r.arrived,
            r.h2,
            r.client.index(),
            r.listener.index(),
            r.conn,
            r.user,
        );
        let group = (group != TargetGroupId::NONE).then_some(group.index());
        self.rec.response(
            status,
            origin,
            self.now.since(arrived),
            group,
            target_time,
            bytes,
        );
        if self.access_log.is_some() {
            self.log_response(slot, status, target_time, bytes);
        }
        if h2 != NO_H2 {
            let pool = &mut self.traffic.clients[client].h2_pools[listener];
            pool.close_stream(h2, self.now, &self.lb.conn_rules, &mut self.rec.connections);
            return;
        }
        // A client that gave up closes its connection.
        let keep_alive = self.sc.clients[client].keep_alive && status != CLIENT_GAVE_UP;
        let back =
            self.lb
                .conn_rules
                .release(conn, self.now, keep_alive, &mut self.rec.connections);
        if user == UserId::NONE {
            if let Some(c) = back {
                self.traffic.clients[client].pools[listener].put(c);
            }
        } else {
            let k = user.index() * self.sc.listeners.len() + listener;
            self.traffic.user_conns[k] = back.unwrap_or_default();
        }
    }

    /// Writes the access-log line of the request in `slot`, answered now with `status`
    /// (`target_time`: the target's answer took that long; `None`: the load balancer answered).
    /// Out of line: only runs with `--access-log` get here.
    #[inline(never)]
    fn log_response(
        &mut self,
        slot: u32,
        status: u16,
        target_time: Option<SimDuration>,
        bytes: u64,
    ) {
        use crate::access_log::write::{Entry, Outcome, Replayed};
        let r = &self.lb.requests[slot];
        let forwarded = r.group != TargetGroupId::NONE;
        let outcome = match target_time {
            Some(t) => Outcome::Answered {
                request_ns: r.dispatched.since(r.arrived).0,
                target_ns: t.0,
            },
            // The client closed the connection while the ALB waited for the target.
            None if status == CLIENT_GAVE_UP && forwarded => Outcome::ClientClosed {
                request_ns: r.dispatched.since(r.arrived).0,
            },
            None => Outcome::NoTargetResponse,
        };
        // A 503 of a forward is "no target to route to": nothing was picked. Every other
        // answer of a forwarded request (the target's, or 502/504 when it refused the
        // connection, reset it or never answered) names the target it was sent to.
        let picked = forwarded && !(target_time.is_none() && status == 503);
        let entry = Entry {
            client: r.client.0,
            rtype: r.rtype,
            user: r.user.0,
            listener: r.listener,
            route: r.route,
            arrived_ns: r.arrived.0,
            answered_ns: self.now.0,
            group: forwarded.then_some(r.group.0),
            target: picked.then_some(r.instance.0),
            outcome,
            elb_status: status,
            target_status: target_time.map(|_| status),
            received_bytes: self.sc.clients[r.client.index()].types[r.rtype as usize].request_bytes,
            sent_bytes: bytes,
            h2: r.h2 != NO_H2,
            websocket: false,
            conn: crate::access_log::write::conn_id(r.conn.born.0, r.conn.booking),
        };
        // A replayed request is logged as it was replayed: its class and its client IP's session.
        let replayed = (r.replay_class != NOT_REPLAYED).then(|| Replayed {
            class: r.replay_class,
            session: r.session - self.lb.sessions.client_base[r.client.index()],
        });
        if let Some(log) = self.access_log.as_mut() {
            log.log_as(&entry, replayed);
        }
    }

    /// A user's request got its final answer: think, then send the next one.
    #[inline(always)]
    pub(super) fn user_done(&mut self, user: UserId) {
        if user == UserId::NONE {
            return;
        }
        let client = self.traffic.users[user.index()].client;
        let pause = match &self.sc.clients[client.index()].load {
            Load::Users { think, .. } => {
                think.sample(&mut self.traffic.clients[client.index()].think)
            }
            // A WebSocket client whose connection ended (or never opened) reconnects.
            Load::Websocket(w) => w
                .reconnect
                .sample(&mut self.traffic.clients[client.index()].websocket.reconnect),
            Load::Open(_) | Load::Replay(_) => return,
        };
        let t = self.now + pause;
        if t < self.end {
            self.queue.schedule(t, Event::UserWakes { user });
        }
    }
}
