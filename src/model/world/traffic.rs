//! The traffic side of a run: each client's random streams, arrival cursor and idle connections,
//! the closed-loop users with their connections, and WebSocket clients.

use super::websocket::WsConn;
use crate::engine::{RngStream, SimTime};
use crate::model::arrival::ArrivalCursor;
use crate::model::connection::{Conn, H2Pool, Pool};
use crate::model::ids::ClientId;
use crate::model::resolved::Scenario;
use crate::model::retry::Quota;

/// Per-client run state: its random streams and connections.
#[derive(Debug)]
pub(super) struct ClientState {
    /// When its open-loop requests arrive.
    pub arrivals: RngStream,
    /// Which request type each request is.
    pub mix: RngStream,
    /// Its users' think times.
    pub think: RngStream,
    /// Service times, per request type.
    pub service: Vec<RngStream>,
    /// Where its arrival process is.
    pub cursor: ArrivalCursor,
    /// Idle connections per listener (open loop, HTTP/1.1).
    pub pools: Vec<Pool>,
    /// HTTP/2 connections per listener (open loop).
    pub h2_pools: Vec<H2Pool>,
    /// Which session an open-loop request belongs to.
    pub sessions: RngStream,
    /// Its WebSocket users' message and reconnect draws.
    pub websocket: WebsocketStreams,
    /// Replay: the next logged request to send (an index into its events).
    pub replay_next: usize,
    /// Its retries' jitter.
    pub retry: RngStream,
    /// Which load balancer node each new connection's DNS lookup returns.
    pub dns: RngStream,
    /// Its cached DNS answer (the nodes in DNS when it last looked; filled at its first lookup)
    /// and when that expires (`dns_ttl`).
    pub dns_answer: Vec<u8>,
    /// When [`Self::dns_answer`] expires.
    pub dns_expires: SimTime,
    /// Its retry quota (SDK token bucket), if it retries with one.
    pub quota: Option<Quota>,
}

/// A WebSocket client's random streams.
#[derive(Debug)]
pub(super) struct WebsocketStreams {
    /// When a user sends its next message.
    pub client_messages: RngStream,
    /// When the target sends its next message.
    pub server_messages: RngStream,
    /// How long a user waits before reconnecting.
    pub reconnect: RngStream,
}

/// A closed-loop user.
#[derive(Clone, Debug)]
pub(super) struct User {
    /// The client it belongs to.
    pub client: ClientId,
}

/// Every client and user of a run.
#[derive(Debug)]
pub(super) struct Traffic {
    /// Per client.
    pub clients: Vec<ClientState>,
    /// Closed-loop users (created at the start of the run).
    pub users: Vec<User>,
    /// Per (user, listener) connection.
    pub user_conns: Vec<Conn>,
    /// Per user: its WebSocket connection (unused for other users).
    pub ws: Vec<WsConn>,
}

impl Traffic {
    /// The clients of `sc`, with their named random streams; users are added by the world.
    pub fn new(sc: &Scenario) -> Traffic {
        let seed = sc.seed;
        let listeners = sc.listeners.len();
        let stream = |c: &str, what: &str| RngStream::derive(seed, &format!("client/{c}/{what}"));
        let clients = (sc.clients.iter())
            .map(|c| ClientState {
                arrivals: stream(&c.name, "arrivals"),
                mix: stream(&c.name, "mix"),
                think: stream(&c.name, "think"),
                service: (c.types.iter())
                    .map(|t| stream(&c.name, &format!("request/{}/service", t.name)))
                    .collect(),
                cursor: ArrivalCursor::default(),
                pools: vec![Pool::default(); listeners],
                h2_pools: vec![H2Pool::default(); listeners],
                sessions: stream(&c.name, "sessions"),
                websocket: WebsocketStreams {
                    client_messages: stream(&c.name, "websocket/client_messages"),
                    server_messages: stream(&c.name, "websocket/server_messages"),
                    reconnect: stream(&c.name, "websocket/reconnect"),
                },
                replay_next: 0,
                retry: stream(&c.name, "retry"),
                dns: stream(&c.name, "dns"),
                dns_answer: Vec::new(),
                dns_expires: SimTime::ZERO,
                quota: c.retry.as_ref().and_then(|r| r.quota).map(Quota::new),
            })
            .collect();
        Traffic {
            clients,
            users: Vec::new(),
            user_conns: Vec::new(),
            ws: Vec::new(),
        }
    }
}
