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

use super::arrival::{ArrivalProcess, Spacing};
use super::distribution::Distribution;
use super::ids::{ListenerId, RouteId};
use super::listener::{ListenerSpec, RequestView};
use super::route::RouteTable;
use crate::engine::SimDuration;
use crate::scenario::FieldError;
use crate::scenario::path::JsonPath;
use crate::scenario::raw::*;
use crate::scenario::timing;
use std::collections::BTreeSet;
use std::net::IpAddr;

/// Default client address: from TEST-NET-3 (RFC 5737), reserved for documentation.
pub const DEFAULT_SOURCE_IP: &str = "203.0.113.10";

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
            Load::Open(_) => None,
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
}

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

    /// Resolves a client written at `path`; routes are added to `routes`.
    pub fn resolve(
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
                    crate::scenario::number::readable(weight)
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
                service_time: Distribution::resolve(&r.service_time, &at.key("service_time"))?,
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
        let sessions = match (raw.sessions, &load) {
            (None, _) => 0,
            (Some(_), Load::Users { .. } | Load::Websocket(_)) => {
                return Err(path.key("sessions").error(
                    "users carry their own sessions; sessions applies to open-loop clients",
                ));
            }
            (Some(n), _) if (1..=10_000_000).contains(&n) => n,
            (Some(n), _) => {
                return Err(path
                    .key("sessions")
                    .error(format!("expected 1–10000000 sessions, got {n}")));
            }
        };
        let spec = ClientSpec {
            name: raw.name.clone(),
            load,
            types,
            cumulative_weights,
            keep_alive: raw.keep_alive.unwrap_or(true),
            sessions,
            http2: raw.http2.unwrap_or(true),
        };
        if let Some(answers) = spec.certain_livelock(listeners, routes) {
            return Err(path.key("arrival").key("think_time").error(format!(
                "client {:?}: its think time is 0 and the ALB answers every one of its requests itself, at once ({answers}), so its users would send request after request at one instant and simulated time could never advance; expected a think time above 0, e.g. {{\"distribution\": \"exponential\", \"mean_ms\": 1000}}",
                spec.name
            )));
        }
        Ok(spec)
    }

    /// When it is certain before the run that this client stops simulated time: closed-loop
    /// users with a think time that is always 0, every one of whose request types the load balancer
    /// answers by itself (a fixed response, a redirect that leaves it, or a redirect chain ending
    /// in one of those) with no TLS handshake in between that takes time. Returns how the ALB
    /// answers them, in a user's words. A forward to a target group is never certain (the targets
    /// may take time); the run's stall watch catches those cases (`world/stall.rs`).
    fn certain_livelock(&self, listeners: &[ListenerSpec], routes: &RouteTable) -> Option<String> {
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

/// A size in bytes written at `path` (`default` when absent), at most [`MAX_MESSAGE_BYTES`].
fn message_size(value: Option<u64>, default: u64, path: &JsonPath) -> Result<u64, FieldError> {
    match value.unwrap_or(default) {
        v if v <= MAX_MESSAGE_BYTES => Ok(v),
        v => Err(path.error(format!(
            "expected a size in bytes from 0 to {MAX_MESSAGE_BYTES} (1 GiB), got {v}"
        ))),
    }
}

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

/// How to model more than a limit allows, for error messages.
const SCALE_HINT: &str = "to study more, simulate a fraction of the traffic against the same fraction of the fleet and scale the results";

/// Checks what no single client can see: the users and WebSocket connections of all clients
/// together are at most [`MAX_USERS`]. `clients` are the resolved clients of the model, written at
/// `clients[i]`; the error names the client that crosses the limit.
pub fn check_population(clients: &[ClientSpec], path: &JsonPath) -> Result<(), FieldError> {
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

fn rate(value: f64, path: &JsonPath, key: &str, allow_zero: bool) -> Result<f64, FieldError> {
    let low_ok = if allow_zero {
        value >= 0.0
    } else {
        value > 0.0
    };
    if value.is_finite() && low_ok && value <= MAX_RATE {
        Ok(value)
    } else {
        let low = if allow_zero { "0" } else { "above 0" };
        Err(path.key(key).error(format!(
            "expected requests per second, {low} up to {MAX_RATE} per client, got {} ({SCALE_HINT})",
            crate::scenario::number::readable(value)
        )))
    }
}

fn spacing(p: Option<RawProcess>) -> Spacing {
    match p {
        Some(RawProcess::Constant) => Spacing::Even,
        _ => Spacing::Poisson,
    }
}

fn resolve_load(raw: &RawArrival, path: &JsonPath, run_secs: f64) -> Result<Load, FieldError> {
    Ok(match raw {
        RawArrival::Constant(RawArrivalConstant { rate_per_second }) => {
            Load::Open(ArrivalProcess::steady(
                Spacing::Even,
                rate(*rate_per_second, path, "rate_per_second", false)?,
            ))
        }
        RawArrival::Poisson(RawArrivalPoisson { rate_per_second }) => {
            Load::Open(ArrivalProcess::steady(
                Spacing::Poisson,
                rate(*rate_per_second, path, "rate_per_second", false)?,
            ))
        }
        RawArrival::Schedule(RawArrivalSchedule { process, steps }) => {
            if steps.is_empty() {
                return Err(path.key("steps").error("expected at least one step"));
            }
            let mut points = vec![(0.0, 0.0)];
            let mut prev_rate = 0.0;
            let mut free_from = 0.0;
            for (i, s) in steps.iter().enumerate() {
                let at = path.key("steps").index(i);
                let r = rate(s.rate_per_second, &at, "rate_per_second", true)?;
                let start = timing::time_secs(s.at.0, &at.key("at"))?;
                if start < free_from {
                    return Err(at.key("at").error(format!(
                        "expected steps in time order, each after the previous step's ramp ends ({free_from} s), got {start} s"
                    )));
                }
                let ramp = match s.ramp {
                    None => 0.0,
                    Some(d) => timing::time_secs(d.0, &at.key("ramp"))?,
                };
                points.push((start, prev_rate));
                points.push((start + ramp, r));
                prev_rate = r;
                free_from = start + ramp;
            }
            Load::Open(ArrivalProcess::piecewise(spacing(*process), &points))
        }
        RawArrival::Spike(RawArrivalSpike {
            process,
            base_rate_per_second,
            spike_rate_per_second,
            at,
            duration,
            ramp,
        }) => {
            let base = rate(*base_rate_per_second, path, "base_rate_per_second", true)?;
            let peak = rate(*spike_rate_per_second, path, "spike_rate_per_second", true)?;
            let t0 = timing::time_secs(at.0, &path.key("at"))?;
            let len = timing::time_secs(duration.0, &path.key("duration"))?;
            let ramp = match ramp {
                None => 0.0,
                Some(d) => timing::time_secs(d.0, &path.key("ramp"))?,
            };
            if len <= 0.0 {
                return Err(path
                    .key("duration")
                    .error("expected a spike duration above 0"));
            }
            if 2.0 * ramp > len {
                return Err(path.key("ramp").error(format!(
                    "expected a ramp of at most half the spike's duration ({} s), got {ramp} s",
                    len / 2.0
                )));
            }
            let points = [
                (0.0, base),
                (t0, base),
                (t0 + ramp, peak),
                (t0 + len - ramp, peak),
                (t0 + len, base),
            ];
            Load::Open(ArrivalProcess::piecewise(spacing(*process), &points))
        }
        RawArrival::Diurnal(RawArrivalDiurnal {
            process,
            min_rate_per_second,
            max_rate_per_second,
            period,
            peak_at,
        }) => {
            let lo = rate(*min_rate_per_second, path, "min_rate_per_second", true)?;
            let hi = rate(*max_rate_per_second, path, "max_rate_per_second", false)?;
            if hi < lo {
                return Err(path.key("max_rate_per_second").error(format!(
                    "expected max_rate_per_second ≥ min_rate_per_second ({lo}), got {hi}"
                )));
            }
            let period = match period {
                None => 86_400.0,
                Some(d) => timing::time_secs(d.0, &path.key("period"))?,
            };
            if period < 60.0 {
                return Err(path
                    .key("period")
                    .error("expected a period of at least 60 s"));
            }
            let points = diurnal_pieces(period, run_secs) as f64 + 1.0;
            if points > MAX_DIURNAL_POINTS {
                return Err(path.key("period").error(format!(
                    "a {period} s period over a {run_secs} s run needs {points} rate points (1440 a period), more than {MAX_DIURNAL_POINTS}: use a period of at least {:.0} s or a shorter run",
                    (run_secs * 1440.0 / (MAX_DIURNAL_POINTS - 2.0)).ceil()
                )));
            }
            let peak = match peak_at {
                None => 14.0 * 3600.0,
                Some(d) => timing::time_secs(d.0, &path.key("peak_at"))?,
            };
            Load::Open(ArrivalProcess::piecewise(
                spacing(*process),
                &diurnal_points(lo, hi, period, peak, run_secs),
            ))
        }
        RawArrival::Users(RawArrivalUsers {
            count,
            spawn_rate_per_second,
            think_time,
        }) => {
            if *count == 0 || *count > MAX_USERS {
                return Err(path.key("count").error(format!(
                    "expected 1–{MAX_USERS} users per client, got {count} ({SCALE_HINT})"
                )));
            }
            let spawn_interval = match spawn_rate_per_second {
                None => SimDuration::ZERO,
                Some(r) => SimDuration::from_secs_f64(
                    1.0 / rate(*r, path, "spawn_rate_per_second", false)?,
                ),
            };
            Load::Users {
                count: *count,
                spawn_interval,
                think: Distribution::resolve(think_time, &path.key("think_time"))?,
            }
        }
        RawArrival::Websocket(w) => {
            if w.connections == 0 || w.connections > MAX_USERS {
                return Err(path.key("connections").error(format!(
                    "expected 1–{MAX_USERS} connections per client, got {} ({SCALE_HINT})",
                    w.connections
                )));
            }
            let spawn_interval = match w.spawn_rate_per_second {
                None => SimDuration::ZERO,
                Some(r) => {
                    SimDuration::from_secs_f64(1.0 / rate(r, path, "spawn_rate_per_second", false)?)
                }
            };
            // A message interval of mean 0 would send messages at one instant for ever; the rate
            // over all connections is bounded like an arrival rate.
            let mut message_rate = 0.0;
            let mut dist = |d: &Option<RawDistribution>,
                            key: &str|
             -> Result<Option<Distribution>, FieldError> {
                let Some(d) = d else { return Ok(None) };
                let resolved = Distribution::resolve(d, &path.key(key))?;
                let mean_s = resolved.mean_ns() / 1e9;
                if mean_s.is_nan() || mean_s <= 0.0 {
                    return Err(path.key(key).error(
                        "expected a message interval with a mean above 0 ms (messages would never stop at one instant)",
                    ));
                }
                message_rate += f64::from(w.connections) / mean_s;
                if message_rate > MAX_WEBSOCKET_MESSAGE_RATE {
                    return Err(path.key(key).error(format!(
                        "expected at most {MAX_WEBSOCKET_MESSAGE_RATE} messages per second over the client's {} connections, got {message_rate:.0} (a mean interval of {:.6} ms); use a longer interval or fewer connections",
                        w.connections,
                        mean_s * 1e3
                    )));
                }
                Ok(Some(resolved))
            };
            let ping = match w.ping_interval {
                None => None,
                Some(p) if p.0.as_secs_f64() >= 1.0 => {
                    Some(timing::time_value(p.0, &path.key("ping_interval"))?)
                }
                Some(_) => {
                    return Err(path
                        .key("ping_interval")
                        .error("expected a ping interval of at least 1 s"));
                }
            };
            let default_reconnect =
                RawDistribution::Constant(RawDistributionConstant { ms: 1000.0 });
            Load::Websocket(WebsocketLoad {
                count: w.connections,
                spawn_interval,
                client_messages: dist(&w.client_message_interval, "client_message_interval")?,
                server_messages: dist(&w.server_message_interval, "server_message_interval")?,
                ping,
                reconnect: Distribution::resolve(
                    w.reconnect_delay.as_ref().unwrap_or(&default_reconnect),
                    &path.key("reconnect_delay"),
                )?,
                message_bytes: message_size(w.message_bytes, 200, &path.key("message_bytes"))?,
            })
        }
    })
}

/// The day curve `mid + amp·cos(2π(t − peak)/period)` as a piecewise-linear profile: 1440 pieces a
/// period (one a minute for a day), so the linearisation error in the rate is below 3·10⁻⁶ of the
/// amplitude. Points cover the run (`run_secs`) and one piece beyond it.
fn diurnal_points(lo: f64, hi: f64, period: f64, peak: f64, run_secs: f64) -> Vec<(f64, f64)> {
    let (mid, amp) = ((hi + lo) / 2.0, (hi - lo) / 2.0);
    let step = period / 1440.0;
    let pieces = diurnal_pieces(period, run_secs);
    (0..=pieces)
        .map(|k| {
            let t = k as f64 * step;
            (
                t,
                (mid + amp * (std::f64::consts::TAU * (t - peak) / period).cos()).max(0.0),
            )
        })
        .collect()
}

/// Pieces of a diurnal profile: enough 1/1440-period pieces to cover the run, and one beyond.
fn diurnal_pieces(period: f64, run_secs: f64) -> usize {
    (run_secs / (period / 1440.0)).ceil() as usize + 1
}

#[cfg(test)]
mod tests {
    use super::*;

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
