//! WebSocket connections: upgraded once, kept open, closed by the ALB idle timeout, by the end of
//! a target's deregistration delay, or by the target failing — then the client reconnects.
//!
//! As AWS documents it (`aws-behavior.md` §2, §4, §6): the upgrade request is routed like any
//! request (LOR counts an open WebSocket as an outstanding request), the target that answers 101
//! keeps the connection, and the idle timeout (`idle_timeout.timeout_seconds`) still applies: a
//! connection without a frame in either direction for that long is closed. Ping/pong frames are
//! data, so pings keep it open. When a target is deregistered, open connections continue until the
//! deregistration delay ends; that they are then closed is an assumption (AWS does not document it).

use super::World;
use crate::engine::SimTime;
use crate::model::client::Load;
use crate::model::connection::Conn;
use crate::model::event::Event;
use crate::model::health::HealthState;
use crate::model::ids::{InstanceId, ListenerId, MemberId, RouteId, TargetGroupId, UserId};
use crate::recorder::{Origin, WsClose};

/// One WebSocket client's connection.
#[derive(Clone, Copy, Debug)]
pub(super) struct WsConn {
    open: bool,
    generation: u32,
    group: TargetGroupId,
    member: MemberId,
    instance: InstanceId,
    last: SimTime,
    next_client: SimTime,
    next_server: SimTime,
    next_ping: SimTime,
    /// What the access log writes when the connection closes (AWS logs a WebSocket then).
    log: WsLog,
}

/// The upgrade request of an open WebSocket connection and the bytes it carried, for its
/// access-log line (`type` ws/wss, written when it closes).
#[derive(Clone, Copy, Debug)]
struct WsLog {
    client: u32,
    rtype: u32,
    listener: ListenerId,
    route: RouteId,
    arrived: SimTime,
    dispatched: SimTime,
    upgraded: SimTime,
    conn: u64,
    /// Bytes from the client: the upgrade request and its messages.
    received: u64,
    /// Bytes to the client: its messages.
    sent: u64,
}

impl Default for WsLog {
    /// No upgrade yet.
    fn default() -> Self {
        WsLog {
            client: 0,
            rtype: 0,
            listener: ListenerId(0),
            route: RouteId(0),
            arrived: SimTime::ZERO,
            dispatched: SimTime::ZERO,
            upgraded: SimTime::ZERO,
            conn: 0,
            received: 0,
            sent: 0,
        }
    }
}

impl Default for WsConn {
    /// Not open (yet).
    fn default() -> Self {
        WsConn {
            open: false,
            generation: 0,
            group: TargetGroupId::NONE,
            member: MemberId(0),
            instance: InstanceId(0),
            last: SimTime::ZERO,
            next_client: SimTime::ZERO,
            next_server: SimTime::ZERO,
            next_ping: SimTime::ZERO,
            log: WsLog::default(),
        }
    }
}

impl World<'_> {
    /// Whether `user` is a WebSocket client.
    pub(super) fn is_websocket_user(&self, user: UserId) -> bool {
        user != UserId::NONE
            && matches!(
                self.sc.clients[self.traffic.users[user.index()].client.index()].load,
                Load::Websocket(_)
            )
    }

    /// The target answered the upgrade (101): the connection stays open, pinned to it.
    pub(super) fn websocket_established(&mut self, slot: u32) {
        let r = self.lb.requests[slot];
        let latency = self.now.since(r.arrived);
        let target_time = self.now.since(r.dispatched);
        self.rec.response(
            101,
            Origin::Target,
            latency,
            Some(r.group.index()),
            Some(target_time),
            0,
        );
        self.rec.websocket_opened();
        self.lb.requests.remove(slot);
        let user = r.user.index();
        let ws = &mut self.traffic.ws[user];
        ws.open = true;
        ws.generation = ws.generation.wrapping_add(1);
        ws.group = r.group;
        ws.member = r.member;
        ws.instance = r.instance;
        ws.last = self.now;
        ws.log = WsLog {
            client: r.client.0,
            rtype: r.rtype,
            listener: r.listener,
            route: r.route,
            arrived: r.arrived,
            dispatched: r.dispatched,
            upgraded: self.now,
            conn: crate::access_log::write::conn_id(r.conn.born.0, r.conn.booking),
            received: self.sc.clients[r.client.index()].types[r.rtype as usize].request_bytes,
            sent: 0,
        };
        let client = self.traffic.users[user].client.index();
        let Load::Websocket(w) = &self.sc.clients[client].load else {
            return;
        };
        let rngs = &mut self.traffic.clients[client].websocket;
        ws.next_client = w.client_messages.as_ref().map_or(SimTime::NEVER, |d| {
            self.now + d.sample(&mut rngs.client_messages)
        });
        ws.next_server = w.server_messages.as_ref().map_or(SimTime::NEVER, |d| {
            self.now + d.sample(&mut rngs.server_messages)
        });
        ws.next_ping = w.ping.map_or(SimTime::NEVER, |p| self.now + p);
        self.schedule_websocket(r.user);
    }

    /// Schedules the connection's next happening: a frame, or its idle timeout.
    fn schedule_websocket(&mut self, user: UserId) {
        let ws = &self.traffic.ws[user.index()];
        let idle = ws.last + self.sc.idle_timeout;
        let next = ws
            .next_client
            .min(ws.next_server)
            .min(ws.next_ping)
            .min(idle);
        if next <= self.end {
            let generation = ws.generation;
            self.queue
                .schedule(next, Event::WebsocketTimerFires { user, generation });
        }
    }

    pub(super) fn on_websocket_timer_fires(&mut self, user: UserId, generation: u32) {
        let ws = self.traffic.ws[user.index()];
        if !ws.open || ws.generation != generation {
            return;
        }
        if self.now >= ws.last + self.sc.idle_timeout {
            // No frame either way for idle_timeout.timeout_seconds: the ALB closes it.
            self.close_websocket(user, WsClose::IdleTimeout);
            return;
        }
        let client = self.traffic.users[user.index()].client.index();
        let Load::Websocket(w) = &self.sc.clients[client].load else {
            return;
        };
        let rngs = &mut self.traffic.clients[client].websocket;
        let now = self.now;
        let ws = &mut self.traffic.ws[user.index()];
        let mut frames = 0u64;
        if ws.next_client == now {
            frames += 1;
            ws.log.received += w.message_bytes;
            ws.next_client = w.client_messages.as_ref().map_or(SimTime::NEVER, |d| {
                now + d.sample(&mut rngs.client_messages)
            });
        }
        if ws.next_server == now {
            frames += 1;
            ws.log.sent += w.message_bytes;
            ws.next_server = w.server_messages.as_ref().map_or(SimTime::NEVER, |d| {
                now + d.sample(&mut rngs.server_messages)
            });
        }
        let ping = ws.next_ping == now;
        if ping {
            ws.next_ping = w.ping.map_or(SimTime::NEVER, |p| now + p);
        }
        ws.last = now;
        self.rec
            .websocket_frames(frames, u64::from(ping), frames * w.message_bytes);
        self.schedule_websocket(user);
    }

    /// Closes a WebSocket connection and lets its client reconnect after its delay.
    pub(super) fn close_websocket(&mut self, user: UserId, why: WsClose) {
        let ws = &mut self.traffic.ws[user.index()];
        if !ws.open {
            return;
        }
        ws.open = false;
        ws.generation = ws.generation.wrapping_add(1);
        let (g, m, i) = (ws.group, ws.member, ws.instance);
        if self.access_log.is_some() {
            self.log_websocket(user);
        }
        self.rec.websocket_closed(why);
        self.rec.connections.will_close(self.now);
        let inst = &mut self.fleet[i].state;
        inst.outstanding = inst.outstanding.saturating_sub(1);
        let member = &mut self.lb.groups[g.index()].members[m.index()];
        member.in_flight -= 1;
        if member.in_flight == 0 && member.health.state == HealthState::Draining {
            self.drained(g, m);
        }
        self.traffic.user_conns[user.index() * self.sc.listeners.len()..]
            [..self.sc.listeners.len()]
            .fill(Conn::default());
        self.user_done(user);
    }

    /// Writes the access-log line of `user`'s WebSocket connection, closing now. Out of line:
    /// only runs with `--access-log` get here.
    #[inline(never)]
    fn log_websocket(&mut self, user: UserId) {
        use crate::access_log::write::{Entry, Outcome};
        let ws = &self.traffic.ws[user.index()];
        let l = ws.log;
        let entry = Entry {
            client: l.client,
            rtype: l.rtype,
            user: user.0,
            listener: l.listener,
            route: l.route,
            arrived_ns: l.arrived.0,
            answered_ns: self.now.0,
            group: Some(ws.group.0),
            target: Some(ws.instance.0),
            outcome: Outcome::Answered {
                request_ns: l.dispatched.since(l.arrived).0,
                target_ns: l.upgraded.since(l.dispatched).0,
            },
            elb_status: 101,
            target_status: Some(101),
            received_bytes: l.received,
            sent_bytes: l.sent,
            h2: false,
            websocket: true,
            conn: l.conn,
        };
        if let Some(log) = self.access_log.as_mut() {
            log.log(&entry);
        }
    }

    /// Closes every open WebSocket that `which(group, member, instance)` selects; returns how many.
    pub(super) fn close_websockets(
        &mut self,
        why: WsClose,
        which: impl Fn(TargetGroupId, MemberId, InstanceId) -> bool,
    ) -> u32 {
        let mut n = 0;
        for user in (0..self.traffic.ws.len() as u32).map(UserId) {
            let ws = self.traffic.ws[user.index()];
            if ws.open && which(ws.group, ws.member, ws.instance) {
                self.close_websocket(user, why);
                n += 1;
            }
        }
        n
    }
}
