//! When a model's load ends: the time `summary.json` reports as `load_ends_seconds`, from which
//! an Auto Scaling group's return to its starting capacity is measured.

use super::arrival::RawArrival;
use crate::engine::SimDuration;
use crate::model::client::Load;

/// When the model's load ends (`summary.json`'s `load_ends_seconds`): the earliest time after
/// which every open-loop client's offered rate stays at or below its final rate, i.e. when the
/// last `schedule` step or ramp down, or the last `spike`, came down. Clients at a steady rate
/// (`constant`, `poisson`), closed-loop `users` and `websocket` clients are background load that
/// never ends: they do not move it. `None` when no client's rate ever comes down (nothing but
/// background, or only rising schedules), or when a `diurnal` client keeps rising and falling.
/// `raw[k]` is the arrival that `loads[k]` was resolved from.
pub(super) fn load_ends(raw: &[&RawArrival], loads: &[&Load]) -> Option<SimDuration> {
    let mut end: Option<f64> = None;
    for (arrival, load) in raw.iter().zip(loads) {
        match (arrival, load) {
            (RawArrival::Diurnal(_), _) => return None,
            (RawArrival::Schedule(_) | RawArrival::Spike(_), Load::Open(process)) => {
                if let Some(t) = process.settles_at() {
                    end = Some(end.map_or(t, |e: f64| e.max(t)));
                }
            }
            _ => {}
        }
    }
    end.map(SimDuration::from_secs_f64)
}
