//! Arrival patterns as written (`constant`, `poisson`, `schedule`, `spike`, `diurnal`, `users`,
//! `websocket`) and their resolution into a client's [`Load`].

use super::distribution::RawDistribution;
use super::tagged::tagged_deserialize;
use super::values::DurationValue;
use serde::Deserialize;

/// Arrival processes.
#[derive(Debug)]
pub enum RawArrival {
    /// Evenly spaced requests.
    Constant(RawArrivalConstant),

    /// Poisson process (exponential gaps).
    Poisson(RawArrivalPoisson),

    /// Piecewise rate: steps and linear ramps.
    Schedule(RawArrivalSchedule),

    /// A base rate with one burst.
    Spike(RawArrivalSpike),

    /// A sinusoidal day curve between a minimum and a maximum rate.
    Diurnal(RawArrivalDiurnal),

    /// Closed loop: a population of users who send, wait for the answer, think, and repeat.
    Users(RawArrivalUsers),

    /// WebSocket clients: each upgrades one long-lived connection, exchanges messages on it, and
    /// reconnects when it is closed.
    Websocket(RawArrivalWebsocket),
}

tagged_deserialize!(RawArrival, "type", {
    "constant" => Constant,
    "poisson" => Poisson,
    "schedule" => Schedule,
    "spike" => Spike,
    "diurnal" => Diurnal,
    "users" => Users,
    "websocket" => Websocket,
});

/// Evenly spaced requests.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawArrivalConstant {
    /// Requests per second.
    pub rate_per_second: f64,
}

/// Poisson process (exponential gaps).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawArrivalPoisson {
    /// Requests per second.
    pub rate_per_second: f64,
}

/// Piecewise rate: steps and linear ramps.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawArrivalSchedule {
    /// `poisson` (default) or `constant` spacing.
    #[serde(default)]
    pub process: Option<RawProcess>,
    /// Rate changes in time order.
    pub steps: Vec<RawStep>,
}

/// A base rate with one burst.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawArrivalSpike {
    /// `poisson` (default) or `constant` spacing.
    #[serde(default)]
    pub process: Option<RawProcess>,
    /// Rate outside the spike [req/s].
    pub base_rate_per_second: f64,
    /// Rate during the spike [req/s].
    pub spike_rate_per_second: f64,
    /// When the spike starts.
    pub at: DurationValue,
    /// How long the spike lasts.
    pub duration: DurationValue,
    /// Ramp time up to and down from the spike (default 0: a step).
    #[serde(default)]
    pub ramp: Option<DurationValue>,
}

/// A sinusoidal day curve between a minimum and a maximum rate.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawArrivalDiurnal {
    /// `poisson` (default) or `constant` spacing.
    #[serde(default)]
    pub process: Option<RawProcess>,
    /// Lowest rate [req/s], reached half a period from the peak.
    pub min_rate_per_second: f64,
    /// Highest rate [req/s], reached at `peak_at`.
    pub max_rate_per_second: f64,
    /// Length of one cycle (default 24 h).
    #[serde(default)]
    pub period: Option<DurationValue>,
    /// Time of the peak within the cycle (default 14 h).
    #[serde(default)]
    pub peak_at: Option<DurationValue>,
}

/// Closed loop: a population of users who send, wait for the answer, think, and repeat.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawArrivalUsers {
    /// Number of users.
    pub count: u32,
    /// Users started per second (default: all at time 0).
    #[serde(default)]
    pub spawn_rate_per_second: Option<f64>,
    /// Pause between a response and the user's next request.
    pub think_time: RawDistribution,
}

/// WebSocket clients.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawArrivalWebsocket {
    /// Number of WebSocket clients (each keeps one connection open).
    pub connections: u32,
    /// Clients started per second (default: all at time 0).
    #[serde(default)]
    pub spawn_rate_per_second: Option<f64>,
    /// Gap between messages the client sends (default: none).
    #[serde(default)]
    pub client_message_interval: Option<RawDistribution>,
    /// Gap between messages the server pushes (default: none).
    #[serde(default)]
    pub server_message_interval: Option<RawDistribution>,
    /// Client ping interval: a ping/pong is data, so it keeps the connection out of the idle
    /// timeout (default: no pings).
    #[serde(default)]
    pub ping_interval: Option<DurationValue>,
    /// Pause before reconnecting after the connection is closed (default constant 1 s).
    #[serde(default)]
    pub reconnect_delay: Option<RawDistribution>,
    /// Size of each message \[bytes\] (default 200).
    #[serde(default)]
    pub message_bytes: Option<u64>,
}

/// Spacing of arrivals for time-varying rates.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum RawProcess {
    /// Exponential gaps (non-homogeneous Poisson process).
    Poisson,
    /// Deterministic gaps of one unit of integrated rate.
    Constant,
}

/// One rate change of a `schedule`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawStep {
    /// When the change starts.
    pub at: DurationValue,
    /// The new rate [req/s].
    pub rate_per_second: f64,
    /// Ramp linearly from the previous rate over this long (default 0: a step).
    #[serde(default)]
    pub ramp: Option<DurationValue>,
}
