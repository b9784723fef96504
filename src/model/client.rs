//! Clients: who sends traffic, how often, and what.
//!
//! Two load shapes, as load generators offer them:
//! - **open loop** (`constant`, `poisson`, `schedule`, `spike`, `diurnal`): requests arrive on a
//!   clock whatever the system does (the way real internet traffic and k6/Gatling arrival-rate
//!   executors behave), so overload shows as queueing and errors;
//! - **closed loop** (`users`): a fixed population, each user sending a request, waiting for the
//!   answer, thinking, and repeating (the way Locust and JMeter thread groups behave), so overload
//!   shows as lower throughput.
//!
//! Each request is one of the client's request types, picked by weight.

use super::arrival::ArrivalProcess;
use super::distribution::Distribution;
use super::ids::{ListenerId, RouteId};
use super::listener::{ListenerSpec, RequestView};
use super::route::RouteTable;
use crate::engine::SimDuration;

/// How a client generates load.
#[derive(Clone, Debug)]
pub enum Load {
    /// Requests arrive by an arrival process, independent of responses.
    Open(ArrivalProcess),
    /// A population of users: send, wait, think, repeat.
    Users {
        /// Number of users.
        count: u32,
        /// Gap between user starts (zero: all start at time 0).
        spawn_interval: SimDuration,
        /// Pause after each response.
        think: Distribution,
    },
    /// WebSocket clients: each upgrades one connection (a request of the client's types, answered
    /// 101 by the target), keeps it open exchanging messages, and reconnects when it is closed.
    Websocket(WebsocketLoad),
    /// Requests replayed from ALB access logs, each at its logged time (open loop).
    Replay(std::sync::Arc<super::replay::ReplayLoad>),
}

/// WebSocket client settings.
#[derive(Clone, Debug)]
pub struct WebsocketLoad {
    /// Number of clients.
    pub count: u32,
    /// Gap between client starts (zero: all at time 0).
    pub spawn_interval: SimDuration,
    /// Gap between client → server messages.
    pub client_messages: Option<Distribution>,
    /// Gap between server → client messages.
    pub server_messages: Option<Distribution>,
    /// Client ping interval (data frames: they reset the ALB idle timeout).
    pub ping: Option<SimDuration>,
    /// Pause before reconnecting.
    pub reconnect: Distribution,
    /// Bytes per message.
    pub message_bytes: u64,
}

impl Load {
    /// For closed-loop kinds (users, WebSocket clients): how many and how far apart they start.
    pub fn population(&self) -> Option<(u32, SimDuration)> {
        match self {
            Load::Open(_) | Load::Replay(_) => None,
            Load::Users {
                count,
                spawn_interval,
                ..
            } => Some((*count, *spawn_interval)),
            Load::Websocket(w) => Some((w.count, w.spawn_interval)),
        }
    }
}

/// A kind of request, with its route already resolved.
#[derive(Clone, Debug)]
pub struct RequestTypeSpec {
    /// Name, for reports.
    pub name: String,
    /// What listener rules see.
    pub view: RequestView,
    /// Listener the request is sent to.
    pub listener: ListenerId,
    /// What the rules do with it.
    pub route: RouteId,
    /// Request size \[bytes\].
    pub request_bytes: u64,
    /// Response size \[bytes\].
    pub response_bytes: u64,
    /// CPU time on the target.
    pub service_time: Distribution,
    /// Messages the target sends (SQS) or publishes (SNS) once it has served the request.
    pub messages: Vec<crate::model::sqs::RequestMessage>,
    /// How long the client waits for the answer before closing the connection (the ALB logs 460);
    /// `None`: as long as it takes.
    pub timeout: Option<SimDuration>,
}

/// A resolved client.
#[derive(Clone, Debug)]
pub struct ClientSpec {
    /// Name (unique).
    pub name: String,
    /// Open or closed loop.
    pub load: Load,
    /// Request types.
    pub types: Vec<RequestTypeSpec>,
    /// Cumulative weights, normalised so the last is 1.
    pub cumulative_weights: Vec<f64>,
    /// HTTP keep-alive: reuse connections between requests.
    pub keep_alive: bool,
    /// Open loop: browser sessions (cookie jars) requests are spread over (0: no cookies).
    pub sessions: u32,
    /// Speaks HTTP/2 where the listener offers it (open loop: requests share connections as
    /// concurrent streams).
    pub http2: bool,
    /// How it retries errors and timeouts (`None`: it does not).
    pub retry: Option<super::retry::RetryPolicy>,
    /// Whether the run follows its end users' requests across attempts: it retries, or one of
    /// its request types has a `timeout`.
    pub counts_attempts: bool,
    /// `zone_shares`: per load balancer zone, its relative share of this client's new
    /// connections (`None`: equal shares).
    pub zone_weights: Option<Vec<f64>>,
    /// `dns_ttl`: how long the client keeps a DNS answer (the nodes in DNS when it looked the
    /// load balancer up) before it looks again; AWS's records have a 60 s TTL.
    pub dns_ttl: SimDuration,
}

/// The TTL of an ALB's DNS records, 60 s: the default of `dns_ttl`.
pub const DNS_TTL: SimDuration = SimDuration::from_secs(60);

impl ClientSpec {
    /// Picks a request type index for a uniform draw `u` in [0, 1).
    #[inline]
    pub fn pick_type(&self, u: f64) -> usize {
        // Request mixes are short: a linear scan is faster than a binary search or alias table.
        self.cumulative_weights
            .iter()
            .position(|&c| u < c)
            .unwrap_or(self.types.len() - 1)
    }

    /// What the listener rules see of each kind of request this client sends, with its
    /// listener: its request types, or for a replay the distinct logged requests.
    pub fn request_views(&self) -> Vec<(ListenerId, &RequestView)> {
        match &self.load {
            Load::Replay(r) => r.classes.iter().map(|c| (c.listener, &c.view)).collect(),
            _ => self.types.iter().map(|t| (t.listener, &t.view)).collect(),
        }
    }

    /// When it is certain before the run that this client stops simulated time: closed-loop
    /// users with a think time that is always 0, every one of whose request types the load balancer
    /// answers by itself (a fixed response, a redirect that leaves it, or a redirect chain ending
    /// in one of those) with no TLS handshake in between that takes time. Returns how the ALB
    /// answers them, in a user's words. A forward to a target group is never certain (the targets
    /// may take time); the run's stall watch catches those cases (`world/stall.rs`).
    pub(crate) fn certain_livelock(
        &self,
        listeners: &[ListenerSpec],
        routes: &RouteTable,
    ) -> Option<String> {
        let Load::Users { think, .. } = &self.load else {
            return None;
        };
        // Draws are never negative, so a mean of 0 is a think time that is always 0 (a constant
        // 0, a uniform from 0 to 0, a table of zeros).
        if think.mean_ns() != 0.0 {
            return None;
        }
        // Without keep-alive every request opens a connection: an HTTPS listener's handshake
        // then takes time on each. With keep-alive the handshake happens once per connection.
        let instant = |l: ListenerId| self.keep_alive || listeners[l.index()].tls_handshake.0 == 0;
        let mut answers: Vec<String> = Vec::new();
        for t in &self.types {
            let mut handshakes_free = instant(t.listener);
            let a = routes.describe_answer(t.route, &mut |_| None, &mut |l| {
                handshakes_free &= instant(l)
            })?;
            if !handshakes_free {
                return None;
            }
            if !answers.contains(&a) {
                answers.push(a);
            }
        }
        Some(answers.join("; "))
    }
}

/// Largest request, response or WebSocket message: 1 GiB. Far above any HTTP body a load
/// balancer test sends, and small enough that the `ProcessedBytes` sums of a period stay within
/// 64 bits (2^64 bytes is 1.7·10^10 requests of 1 GiB each).
pub const MAX_MESSAGE_BYTES: u64 = 1 << 30;

/// Largest accepted arrival rate of one client, and of a client's user spawns [req/s]: 10
/// million. The simulator handles roughly ten million events a wall-clock second, so a client at
/// this rate already runs slower than real time; beyond it a model is almost certainly a typo (a
/// rate of 1e300/s) and could never finish.
pub const MAX_RATE: f64 = 10_000_000.0;

/// Most closed-loop users (or WebSocket connections) of one client, and of all clients together:
/// 10 million. Each costs memory for the whole run (its connections and cookie jar, about 100
/// bytes), and a population this large already needs gigabytes.
pub const MAX_USERS: u32 = 10_000_000;

/// Largest WebSocket message rate of one client [messages/s over all its connections, both
/// directions]: 10 million, the same bound as [`MAX_RATE`] (each message is an event).
pub const MAX_WEBSOCKET_MESSAGE_RATE: f64 = 10_000_000.0;

/// Most rate points a `diurnal` profile may need over the run (1440 a period): 10 million
/// (240 MB). A short period over a long run needs more; the error says so.
pub const MAX_DIURNAL_POINTS: f64 = 10_000_000.0;
