//! Clients and their request types as written, and their resolution into [`ClientSpec`]s: each
//! request type's route is computed through the listeners' rules here.

use super::arrival::RawArrival;
use super::distribution::RawDistribution;
use serde::Deserialize;
use std::collections::BTreeMap;

/// One traffic source: an arrival process and a weighted mix of request types.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawClient {
    /// Client name (unique); also names its random streams.
    pub name: String,
    /// How requests (open loop) or users (closed loop) arrive.
    pub arrival: RawArrival,
    /// The request types this client sends, picked by weight.
    pub requests: Vec<RawRequestType>,
    /// Listener port the client connects to (default: the first listener's).
    #[serde(default)]
    pub port: Option<u16>,
    /// The client's source address, matched by `source-ip` rule conditions.
    #[serde(default)]
    pub source_ip: Option<String>,
    /// Whether the client reuses connections (HTTP keep-alive); default true.
    #[serde(default)]
    pub keep_alive: Option<bool>,
    /// Whether the client speaks HTTP/2 on HTTPS listeners (default true, as browsers do).
    #[serde(default)]
    pub http2: Option<bool>,
    /// Open loop: number of browser sessions (cookie jars) the requests are spread over; each
    /// request belongs to one at random. Default: none (every request comes without cookies).
    /// Closed-loop users always carry their own session.
    #[serde(default)]
    pub sessions: Option<u32>,
}

/// A kind of request a client sends.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRequestType {
    /// Name, unique within the client.
    pub name: String,
    /// Relative frequency (default 1).
    #[serde(default)]
    pub weight: Option<f64>,
    /// HTTP method (default `GET`).
    #[serde(default)]
    pub method: Option<String>,
    /// `Host` header (default `example.com`).
    #[serde(default)]
    pub host: Option<String>,
    /// URL path (default `/`).
    #[serde(default)]
    pub path: Option<String>,
    /// Request headers.
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
    /// Query-string parameters.
    #[serde(default)]
    pub query: BTreeMap<String, String>,
    /// Listener port (default: the client's).
    #[serde(default)]
    pub port: Option<u16>,
    /// Request size \[bytes\] (default 500).
    #[serde(default)]
    pub request_bytes: Option<u64>,
    /// Response size \[bytes\] (default 5000).
    #[serde(default)]
    pub response_bytes: Option<u64>,
    /// CPU time the target spends on the request.
    pub service_time: RawDistribution,
}
