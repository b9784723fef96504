//! Clients and their request types as written, and their resolution into [`ClientSpec`]s: each
//! request type's route is computed through the listeners' rules here.

use super::FieldError;
use super::arrival::RawArrival;
use super::arrival::replay::{ReplayContext, TypeMatcher, resolve_replay};
use super::arrival::{SCALE_HINT, resolve_load};
use super::distribution::RawDistribution;
use super::distribution::resolve_distribution;
use super::number::readable;
use super::path::JsonPath;
use super::ranges::{count_in, message_size};
use crate::engine::SimDuration;
use crate::model::client::{ClientSpec, Load, MAX_USERS, RequestTypeSpec};
use crate::model::ids::ListenerId;
use crate::model::listener::{ListenerSpec, RequestView};
use crate::model::route::RouteTable;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::collections::BTreeSet;
use std::net::IpAddr;

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
    /// How the client retries an error or a request it gave up on (default: it does not).
    #[serde(default)]
    pub retry: Option<super::retry::RawRetry>,
    /// Relative shares of the load balancer's nodes (by zone) in this client's DNS answers
    /// (default: equal).
    #[serde(default)]
    pub zone_shares: Option<BTreeMap<String, f64>>,
    /// How long the client keeps a DNS answer before it looks the load balancer up again (0 s –
    /// 1 day, default 60 s: the TTL of an ALB's records).
    #[serde(default)]
    pub dns_ttl: Option<super::values::DurationValue>,
    /// The timeout of every request type that does not set its own (`requests[i].timeout`),
    /// from 1 ms to 1 h; default: none.
    #[serde(default)]
    pub timeout: Option<super::values::DurationValue>,
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
    /// HTTP method (default `GET`). For a replayed client: the method its logged requests must
    /// have to be of this type (default: any).
    #[serde(default)]
    pub method: Option<String>,
    /// `Host` header (default `example.com`). For a replayed client: a host wildcard (default:
    /// any).
    #[serde(default)]
    pub host: Option<String>,
    /// URL path (default `/`). For a replayed client: a path wildcard such as `/api/*` (default:
    /// any); its logged requests take the first type that matches.
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
    /// Messages the target sends to SQS queues or publishes to SNS topics once it has served
    /// the request (at most 10; default none).
    #[serde(default)]
    pub messages: Vec<super::sqs::RawRequestMessage>,
    /// How long the client waits for the answer before it closes the connection (the ALB logs
    /// 460), from 1 ms to 1 h; default: it waits as long as it takes.
    #[serde(default)]
    pub timeout: Option<super::values::DurationValue>,
}

/// Default client address: from TEST-NET-3 (RFC 5737), reserved for documentation.
const DEFAULT_SOURCE_IP: &str = "203.0.113.10";

/// Resolves the client at `path`; the routes of its request types are added to `routes`.
pub(super) fn resolve_client(
    raw: &RawClient,
    path: &JsonPath,
    listeners: &[ListenerSpec],
    routes: &mut RouteTable,
    run_length: SimDuration,
) -> Result<ClientSpec, FieldError> {
    let load = resolve_load(&raw.arrival, &path.key("arrival"), run_length.as_secs_f64())?;
    let source_ip: IpAddr = raw
        .source_ip
        .as_deref()
        .unwrap_or(DEFAULT_SOURCE_IP)
        .parse()
        .map_err(|_| {
            path.key("source_ip")
                .error("expected an IPv4 or IPv6 address such as \"203.0.113.10\"")
        })?;
    let client_port = match raw.port {
        Some(p) => p,
        None => listeners[0].port,
    };
    if raw.requests.is_empty() {
        return Err(path
            .key("requests")
            .error("expected at least one request type"));
    }
    let mut names = BTreeSet::new();
    let mut types = Vec::with_capacity(raw.requests.len());
    let mut weights = Vec::with_capacity(raw.requests.len());
    for (i, r) in raw.requests.iter().enumerate() {
        let at = path.key("requests").index(i);
        if !names.insert(r.name.as_str()) {
            return Err(at
                .key("name")
                .error(format!("duplicate request type name {:?}", r.name)));
        }
        let weight = r.weight.unwrap_or(1.0);
        if !(weight.is_finite() && weight > 0.0) {
            return Err(at.key("weight").error(format!(
                "expected a positive weight, got {}",
                readable(weight)
            )));
        }
        weights.push(weight);
        let port = r.port.unwrap_or(client_port);
        let listener = listeners
            .iter()
            .position(|l| l.port == port)
            .ok_or_else(|| {
                let ports: Vec<String> = listeners.iter().map(|l| l.port.to_string()).collect();
                let key = if r.port.is_some() {
                    at.key("port")
                } else {
                    path.key("port")
                };
                key.error(format!(
                    "no listener on port {port} (listeners: {})",
                    ports.join(", ")
                ))
            })?;
        let listener = ListenerId(listener as u32);
        let method = r.method.clone().unwrap_or_else(|| "GET".into());
        if method.is_empty() || !method.bytes().all(|b| b.is_ascii_uppercase()) {
            return Err(at.key("method").error(format!(
                "expected an upper-case HTTP method such as \"GET\", got {method:?}"
            )));
        }
        let req_path = r.path.clone().unwrap_or_else(|| "/".into());
        if !req_path.starts_with('/') {
            return Err(at.key("path").error(format!(
                "expected a path starting with '/', got {req_path:?}"
            )));
        }
        let view = RequestView {
            method,
            host: r.host.clone().unwrap_or_else(|| "example.com".into()),
            path: req_path,
            headers: r.headers.clone(),
            query: r.query.clone(),
            source_ip,
        };
        let route = routes
            .add(listeners, listener, &view)
            .map_err(|m| at.error(m))?;
        types.push(RequestTypeSpec {
            name: r.name.clone(),
            view,
            listener,
            route,
            request_bytes: message_size(r.request_bytes, 500, &at.key("request_bytes"))?,
            response_bytes: message_size(r.response_bytes, 5000, &at.key("response_bytes"))?,
            service_time: resolve_distribution(&r.service_time, &at.key("service_time"))?,
            messages: Vec::new(),
            timeout: match r.timeout {
                Some(own) => super::retry::resolve_timeout(Some(own), &at.key("timeout"))?,
                None => super::retry::resolve_timeout(raw.timeout, &path.key("timeout"))?,
            },
        });
    }
    let total: f64 = weights.iter().sum();
    let mut acc = 0.0;
    let mut cumulative_weights: Vec<f64> = weights
        .iter()
        .map(|w| {
            acc += w;
            acc / total
        })
        .collect();
    *cumulative_weights
        .last_mut()
        .expect("at least one request type") = 1.0;
    let (load, replay_sessions) = match &raw.arrival {
        RawArrival::AccessLog(a) => {
            let replay = replay_load(raw, a, path, listeners, routes)?;
            let ips = replay.client_ips;
            (Load::Replay(std::sync::Arc::new(replay)), Some(ips))
        }
        _ => (load, None),
    };
    let sessions = match (raw.sessions, &load) {
        (Some(_), Load::Replay(_)) => {
            return Err(path.key("sessions").error(
                "replayed requests carry their own sessions (one per logged client IP); leave sessions out",
            ));
        }
        (None, Load::Replay(_)) => replay_sessions.unwrap_or(0),
        (None, _) => 0,
        (Some(_), Load::Users { .. } | Load::Websocket(_)) => {
            return Err(path
                .key("sessions")
                .error("users carry their own sessions; sessions applies to open-loop clients"));
        }
        (Some(n), _) => count_in(n, &path.key("sessions"), 1, 10_000_000, "sessions")?,
    };
    let counts_attempts = raw.retry.is_some() || types.iter().any(|t| t.timeout.is_some());
    let spec = ClientSpec {
        zone_weights: None,
        dns_ttl: super::sqs::checks::duration_in(
            raw.dns_ttl,
            &path.key("dns_ttl"),
            std::time::Duration::ZERO,
            std::time::Duration::from_secs(86_400),
            std::time::Duration::from_nanos(crate::model::client::DNS_TTL.0),
            false,
        )?,
        counts_attempts,
        name: raw.name.clone(),
        load,
        types,
        cumulative_weights,
        keep_alive: raw.keep_alive.unwrap_or(true),
        sessions,
        http2: raw.http2.unwrap_or(true),
        retry: match &raw.retry {
            None => None,
            Some(r) => Some(super::retry::resolve_retry(r, &path.key("retry"))?),
        },
    };
    if matches!(spec.load, Load::Websocket(_)) {
        if raw.retry.is_some() {
            return Err(path.key("retry").error(
                "a WebSocket client reconnects after its reconnect pause; retry applies to HTTP requests",
            ));
        }
        if raw.timeout.is_some() {
            return Err(path.key("timeout").error(
                "a WebSocket connection stays open until it is closed; timeout applies to HTTP requests",
            ));
        }
        if let Some(i) = raw.requests.iter().position(|r| r.timeout.is_some()) {
            return Err(path.key("requests").index(i).key("timeout").error(
                "a WebSocket connection stays open until it is closed; timeout applies to HTTP requests",
            ));
        }
    }
    if let Some(answers) = spec.certain_livelock(listeners, routes) {
        return Err(path.key("arrival").key("think_time").error(format!(
            "client {:?}: its think time is 0 and the ALB answers every one of its requests itself, at once ({answers}), so its users would send request after request at one instant and simulated time could never advance; expected a think time above 0, e.g. {{\"distribution\": \"exponential\", \"mean_ms\": 1000}}",
            spec.name
        )));
    }
    Ok(spec)
}

/// The replay of a client whose arrival is `access_log` (`a`): its request types are patterns
/// that sort the logged requests (first match wins) and give them their service times.
fn replay_load(
    raw: &RawClient,
    a: &super::arrival::RawArrivalAccessLog,
    path: &JsonPath,
    listeners: &[ListenerSpec],
    routes: &mut RouteTable,
) -> Result<crate::model::replay::ReplayLoad, FieldError> {
    let mut types = Vec::with_capacity(raw.requests.len());
    for (i, r) in raw.requests.iter().enumerate() {
        let at = path.key("requests").index(i);
        if r.weight.is_some() {
            return Err(at.key("weight").error(
                "a replayed client sends the logged requests, not a weighted mix: leave weight out (method, host and path patterns pick a request's type)",
            ));
        }
        types.push(TypeMatcher {
            method: r.method.clone(),
            host: r.host.clone(),
            path: r.path.clone(),
        });
    }
    let cx = ReplayContext {
        port: raw.port,
        listeners,
        routes,
        types: &types,
    };
    resolve_replay(a, &path.key("arrival"), cx)
}

/// A client's `zone_shares` (at `path`) as a weight per zone of `zones` (the load balancer's):
/// every key one of them, every share 0 or more, at least one above 0; zones left out weigh 0.
pub(super) fn zone_weights(
    shares: &BTreeMap<String, f64>,
    zones: &[String],
    path: &JsonPath,
) -> Result<Vec<f64>, FieldError> {
    let mut weights = vec![0.0; zones.len()];
    for (zone, &share) in shares {
        let at = path.key(zone);
        let Some(z) = zones.iter().position(|z| z == zone) else {
            return Err(at.error(format!(
                "{zone:?} is not one of the load balancer's Availability Zones ({})",
                zones.join(", ")
            )));
        };
        if !(share.is_finite() && share >= 0.0) {
            return Err(at.error(format!(
                "expected a share of 0 or more, got {}",
                readable(share)
            )));
        }
        weights[z] = share;
    }
    if !weights.iter().any(|&w| w > 0.0) {
        return Err(path.error("expected at least one zone with a share above 0"));
    }
    Ok(weights)
}

/// Checks what no single client can see: the users and WebSocket connections of all clients
/// together are at most [`MAX_USERS`]. `clients` are the resolved clients of the model, written at
/// `clients[i]`; the error names the client that crosses the limit.
pub(super) fn check_population(clients: &[ClientSpec], path: &JsonPath) -> Result<(), FieldError> {
    let mut total = 0u64;
    for (i, c) in clients.iter().enumerate() {
        let Some((count, _)) = c.load.population() else {
            continue;
        };
        total += u64::from(count);
        if total > u64::from(MAX_USERS) {
            let key = if matches!(c.load, Load::Websocket(_)) {
                "connections"
            } else {
                "count"
            };
            return Err(path.index(i).key("arrival").key(key).error(format!(
                "expected at most {MAX_USERS} users and WebSocket connections over all clients, got {total} up to this client ({SCALE_HINT})"
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::distribution::Distribution;

    fn users(count: u32) -> ClientSpec {
        ClientSpec {
            name: format!("u{count}"),
            load: Load::Users {
                count,
                spawn_interval: SimDuration::ZERO,
                think: Distribution::Constant { ns: 1e9 },
            },
            types: Vec::new(),
            cumulative_weights: Vec::new(),
            keep_alive: true,
            sessions: 0,
            http2: false,
            retry: None,
            counts_attempts: false,
            zone_weights: None,
            dns_ttl: crate::model::client::DNS_TTL,
        }
    }

    // See: issue 7, defect 7
    #[test]
    fn unbounded_input_total_population_is_capped() {
        let clients = JsonPath::root().key("clients");
        assert!(check_population(&[users(MAX_USERS / 2), users(MAX_USERS / 2)], &clients).is_ok());
        let e = check_population(&[users(MAX_USERS / 2), users(MAX_USERS / 2 + 1)], &clients)
            .unwrap_err();
        assert_eq!(e.path, "clients[1].arrival.count");
        assert!(
            e.message.contains("at most 10000000 users"),
            "{}",
            e.message
        );
    }
}
