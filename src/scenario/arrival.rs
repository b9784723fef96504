//! Arrival patterns as written (`constant`, `poisson`, `schedule`, `spike`, `diurnal`, `users`,
//! `websocket`, `access_log`) and their resolution into a client's [`Load`]. Replayed access logs
//! are read and interned in [`replay`].

pub(super) mod replay;

use super::FieldError;
use super::distribution::{RawDistribution, RawDistributionConstant, resolve_distribution};
use super::number::readable;
use super::path::JsonPath;
use super::ranges::message_size;
use super::tagged::tagged_deserialize;
use super::timing;
use super::values::DurationValue;
use crate::engine::SimDuration;
use crate::model::arrival::{ArrivalProcess, Spacing};
use crate::model::client::{
    Load, MAX_DIURNAL_POINTS, MAX_RATE, MAX_USERS, MAX_WEBSOCKET_MESSAGE_RATE, WebsocketLoad,
};
use crate::model::distribution::Distribution;
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

    /// Requests replayed from ALB access logs, each at its logged time.
    AccessLog(RawArrivalAccessLog),
}

tagged_deserialize!(RawArrival, "type", {
    "constant" => Constant,
    "poisson" => Poisson,
    "schedule" => Schedule,
    "spike" => Spike,
    "diurnal" => Diurnal,
    "users" => Users,
    "websocket" => Websocket,
    "access_log" => AccessLog,
});

/// Requests replayed from ALB access logs (plain or gzip'd, several files merged by time).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawArrivalAccessLog {
    /// Log files, relative to the model file's folder.
    pub files: Vec<String>,
    /// Replay speed (default 1; 2 replays an hour of log in 30 minutes).
    #[serde(default)]
    pub speed: Option<f64>,
    /// Start of the replayed window, after the earliest logged request (default 0).
    #[serde(default)]
    pub from: Option<DurationValue>,
    /// End of the replayed window, after the earliest logged request (default: the whole log).
    #[serde(default)]
    pub to: Option<DurationValue>,
    /// `model` (default): each request type's `service_time`; `logged`: each request's logged
    /// `target_processing_time` (a `-1` falls back to the model's).
    #[serde(default)]
    pub service_time: Option<RawServiceTimeSource>,
    /// Whether a malformed line stops the model from loading (default false: it is skipped,
    /// counted and reported).
    #[serde(default)]
    pub strict: Option<bool>,
    /// The model file's folder, which `files` are relative to (set when the model is loaded).
    #[serde(skip)]
    pub base_dir: std::path::PathBuf,
}

/// Where a replayed request's service time comes from.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum RawServiceTimeSource {
    /// The request type's `service_time` distribution.
    Model,
    /// The logged `target_processing_time`.
    Logged,
}

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

/// How to model more than a limit allows, for error messages.
pub(super) const SCALE_HINT: &str = "to study more, simulate a fraction of the traffic against the same fraction of the fleet and scale the results";

/// An arrival rate at `path.key`, at most [`MAX_RATE`]; 0 is allowed where `allow_zero`.
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
            readable(value)
        )))
    }
}

/// `process`: evenly spaced (`constant`) or Poisson arrivals (the default).
fn spacing(p: Option<RawProcess>) -> Spacing {
    match p {
        Some(RawProcess::Constant) => Spacing::Even,
        _ => Spacing::Poisson,
    }
}

/// Resolves the `arrival` object at `path` of a run of `run_secs` seconds.
pub(super) fn resolve_load(
    raw: &RawArrival,
    path: &JsonPath,
    run_secs: f64,
) -> Result<Load, FieldError> {
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
                think: resolve_distribution(think_time, &path.key("think_time"))?,
            }
        }
        // Resolved with the client's listeners and request types (see `replay`); here only a
        // placeholder, replaced by `resolve_client`.
        RawArrival::AccessLog(_) => Load::Replay(Default::default()),
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
                let resolved = resolve_distribution(d, &path.key(key))?;
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
                reconnect: resolve_distribution(
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
