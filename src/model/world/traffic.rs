//! The traffic side of a run: each client's random streams, arrival cursor and idle connections,
//! the closed-loop users with their connections, and WebSocket clients.

use super::websocket::WsConn;
use crate::engine::RngStream;
use crate::model::arrival::ArrivalCursor;
use crate::model::connection::{Conn, H2Pool, Pool};
use crate::model::ids::ClientId;
use crate::scenario::Scenario;

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
    /// Per client: WebSocket client-message, server-message and reconnect draws.
    pub ws_rngs: Vec<(RngStream, RngStream, RngStream)>,
    /// Per client: which session an open-loop request belongs to.
    pub session_rngs: Vec<RngStream>,
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
            })
            .collect();
        Traffic {
            clients,
            users: Vec::new(),
            user_conns: Vec::new(),
            ws: Vec::new(),
            ws_rngs: (sc.clients.iter())
                .map(|c| {
                    let d = |what: &str| stream(&c.name, &format!("websocket/{what}"));
                    (d("client_messages"), d("server_messages"), d("reconnect"))
                })
                .collect(),
            session_rngs: (sc.clients.iter())
                .map(|c| stream(&c.name, "sessions"))
                .collect(),
        }
    }
}
