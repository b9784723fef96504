//! Livelock detection: simulated time that stops advancing, or crawls.
//!
//! A closed-loop user whose think time is 0 and whose requests the ALB answers at once
//! (`fixed-response`, no healthy target → 503, a crashed target → 502, or a target whose service
//! time is 0) sends request after request at one instant: the clock never moves and the run
//! would spin for ever. A think time of a fraction of a nanosecond does the same in all but name:
//! the clock moves, but a 10-minute run would take years. Making such cycles impossible would need
//! a minimum response time, and AWS documents none (a fixed response is answered by the ALB
//! without any target), so albsim does not invent one. Instead the loop watches how far simulated
//! time moves over a window of events and stops with [`super::run::RunError::Stalled`] when it moves
//! less than a bound no working model comes near.
//!
//! The watch costs nothing per event: it is taken at the loop's guard checks (every
//! [`super::run::PROGRESS_EVERY`] events).

use super::World;
use crate::engine::{SimDuration, SimTime};
use crate::model::client::Load;
use crate::model::distribution::Distribution;
use crate::model::ids::{MemberId, RouteId, TargetGroupId};

/// Events per window: 2^24, about 16.8 million, plus [`STALL_EVENTS_PER_USER`] per user and
/// target. What legitimately shares an instant is bounded by the model's size: at most one
/// arrival per open-loop client (arrivals are at least 1 ns apart), one health check per checker,
/// the faults, operations and scaling actions due then, a handful of events per closed-loop user
/// (its wake-up, a handshake, a completion, a WebSocket frame) and per target (its health checks,
/// a launch or termination).
pub(super) const STALL_EVENTS_BASE: u64 = 1 << 24;

/// Extra events per window per closed-loop user, WebSocket connection or target (instance of the
/// model, or Auto Scaling `MaxSize`): 64, ten times the few one can legitimately contribute at
/// one instant.
pub(super) const STALL_EVENTS_PER_USER: u64 = 64;

/// Least simulated time a window of events must cover: 1 µs.
///
/// No working model comes near it. Open-loop arrivals are capped at
/// [`crate::model::client::MAX_RATE`] (10^7 per second) per client and at most
/// [`crate::scenario::limits::MAX_CLIENTS`] (1,000) clients: 10^10 requests per second, 10^4 per
/// µs, each a handful of events, so at most about 10^5 events per µs, over 160 times fewer than
/// the 2^24 of a window. Users, WebSocket connections and targets each add
/// [`STALL_EVENTS_PER_USER`] events to the window, ten times what one contributes at one instant.
/// A model that still packs a window into less than 1 µs processes more than 1.6·10^13 events
/// per simulated second: even at 10^8 events per wall-clock second, one simulated second takes
/// two days, so stopping it with an explanation loses nothing a user could wait for.
pub(super) const STALL_MIN_ADVANCE: SimDuration = SimDuration(1_000);

/// A window of events over which simulated time advanced less than [`STALL_MIN_ADVANCE`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct Stall {
    /// Simulated time at the start of the window.
    pub(super) from: SimTime,
    /// Simulated time at its end.
    pub(super) to: SimTime,
    /// Events in the window.
    pub(super) events: u64,
}

/// Watches how far simulated time moves per window of events, sampled at the loop's guard
/// checks.
#[derive(Debug)]
pub(super) struct StallWatch {
    /// Simulated time at the start of the current window.
    from: SimTime,
    /// Events in the current window so far.
    events: u64,
    /// Events per window.
    window: u64,
}

impl StallWatch {
    /// A watch for a world of `entities` closed-loop users, WebSocket connections and targets.
    pub(super) fn new(entities: usize) -> StallWatch {
        StallWatch {
            from: SimTime::ZERO,
            events: 0,
            window: STALL_EVENTS_BASE + STALL_EVENTS_PER_USER * entities as u64,
        }
    }

    /// At a guard check, `every` events after the previous one, at simulated time `now`: the
    /// stall, if the window just completed moved the clock less than [`STALL_MIN_ADVANCE`].
    /// A crawl that starts inside a window is caught by the next one, within two windows.
    #[inline]
    pub(super) fn stalled(&mut self, now: SimTime, every: u64) -> Option<Stall> {
        self.events += every;
        if self.events < self.window {
            return None;
        }
        if now.since(self.from) < STALL_MIN_ADVANCE {
            return Some(Stall {
                from: self.from,
                to: now,
                events: self.events,
            });
        }
        self.from = now;
        self.events = 0;
        None
    }

    /// Events per window.
    #[cfg(test)]
    pub(super) fn window(&self) -> u64 {
        self.window
    }
}

/// The pause suggested to a client that keeps the clock still.
const EXAMPLE_PAUSE: &str = r#"{"distribution": "exponential", "mean_ms": 1000}"#;

/// `d`, below [`STALL_MIN_ADVANCE`], in nanoseconds.
fn nanoseconds(d: SimDuration) -> String {
    match d.0 {
        0 => "0 ns".to_string(),
        ns => format!("{ns} ns"),
    }
}

/// A think time or reconnect delay `d` in a user's words, for a pause that is 0 or tiny.
fn pause_words(d: &Distribution) -> String {
    let mean = d.mean_ns();
    if mean == 0.0 {
        return "0".to_string();
    }
    let kind = match d {
        Distribution::Constant { .. } => "",
        _ => " on average",
    };
    if mean < 1.0 {
        format!("under 1 ns{kind}")
    } else {
        format!("{mean:.0} ns{kind}")
    }
}

impl World<'_> {
    /// Says who keeps the clock still, from the events pending in the next [`STALL_MIN_ADVANCE`]
    /// (a scan of the queue that changes nothing: the event loop's own code is left alone, so
    /// this costs it nothing).
    #[cold]
    #[inline(never)]
    pub(super) fn stall_error(&self, stall: Stall) -> super::run::RunError {
        let mut wakes = vec![0u64; self.sc.clients.len()];
        let mut other: Option<&'static str> = None;
        let horizon = SimTime(stall.to.0.saturating_add(STALL_MIN_ADVANCE.0));
        for event in self.queue.pending_between(stall.to, horizon) {
            match *event {
                super::Event::UserWakes { user } => {
                    wakes[self.traffic.users[user.index()].client.index()] += 1
                }
                super::Event::RequestArrives { client } => wakes[client.index()] += 1,
                e => other = Some(e.describe()),
            }
        }
        let busiest = (0..wakes.len())
            .filter(|&c| wakes[c] > 0)
            .max_by_key(|&c| wakes[c]);
        let crawl = format!(
            "simulated time advanced only {} over {} events from {}",
            nanoseconds(stall.to.since(stall.from)),
            stall.events,
            stall.from,
        );
        let message = match busiest {
            Some(c) => self.client_stall_message(c, &crawl),
            None => format!(
                "{crawl}{}; this is a bug in albsim, please report it with the model",
                other.map_or(String::new(), |e| format!(" (one event pending then: {e})"))
            ),
        };
        super::run::RunError::Stalled { message }
    }

    fn client_stall_message(&self, c: usize, crawl: &str) -> String {
        let spec = &self.sc.clients[c];
        let mut answers: Vec<String> = Vec::new();
        for t in &spec.types {
            let a = self.instant_answer(t.route);
            if !answers.contains(&a) {
                answers.push(a);
            }
        }
        let answers = answers.join("; ");
        // A pause of 0 needs one above 0; a tiny one, a longer one.
        let fix = |d: &Distribution, what: &str| {
            if d.mean_ns() == 0.0 {
                format!("a {what} above 0")
            } else {
                format!("a longer {what}")
            }
        };
        let (who, fix) = match &spec.load {
            Load::Users { think, .. } => (
                format!(
                    "its users send a new request the moment the previous one is answered (think time {})",
                    pause_words(think)
                ),
                format!(
                    "Give it {} (clients[{c}].arrival.think_time), e.g. {EXAMPLE_PAUSE}",
                    fix(think, "think time")
                ),
            ),
            Load::Websocket(w) => (
                format!(
                    "its WebSocket clients reconnect the moment the upgrade is answered (reconnect_delay {})",
                    pause_words(&w.reconnect)
                ),
                format!(
                    "Give it {} (clients[{c}].arrival.reconnect_delay), e.g. {EXAMPLE_PAUSE}",
                    fix(&w.reconnect, "reconnect delay")
                ),
            ),
            Load::Open(_) => (
                "its requests arrive faster than simulated time can resolve".to_string(),
                format!("Give it a lower rate (clients[{c}].arrival.rate_per_second)"),
            ),
            Load::Replay(_) => (
                "its replayed requests arrive faster than simulated time can resolve".to_string(),
                format!("Replay it more slowly (clients[{c}].arrival.speed)"),
            ),
        };
        format!(
            "client {:?} (clients[{c}]): {who} and the ALB answers them instantly ({answers}), so {crawl}. {fix}",
            spec.name
        )
    }

    /// How the ALB answers a request on `route` right now, in a user's words.
    fn instant_answer(&self, route: RouteId) -> String {
        self.sc
            .routes
            .describe_answer(route, &mut |g| Some(self.group_answer(g)), &mut |_| ())
            .unwrap_or_else(|| "a redirect chain too long to describe".to_string())
    }

    fn group_answer(&self, g: TargetGroupId) -> String {
        let name = &self.sc.target_groups[g.index()].name;
        let group = &self.lb.groups[g.index()];
        let routable: Vec<usize> = (0..group.members.len())
            .filter(|&m| group.is_routable_from_any(MemberId(m as u32)))
            .collect();
        if routable.is_empty() {
            return format!("target group {name:?} has no healthy target: 503");
        }
        let down = |m: &usize| {
            let i = &self.fleet[group.members[*m].instance].state;
            i.crashed > 0
        };
        if routable.iter().all(down) {
            return format!("every routable target of {name:?} has crashed: 502");
        }
        format!("the targets of {name:?} answer within nanoseconds (service time about 0)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const EVERY: u64 = 1 << 16;

    #[test]
    fn time_standing_still_for_a_window_is_a_stall() {
        let mut w = StallWatch::new(0);
        assert_eq!(w.window(), STALL_EVENTS_BASE);
        for _ in 1..STALL_EVENTS_BASE / EVERY {
            assert_eq!(w.stalled(SimTime(5), EVERY), None);
        }
        assert_eq!(
            w.stalled(SimTime(5), EVERY),
            Some(Stall {
                from: SimTime::ZERO,
                to: SimTime(5),
                events: STALL_EVENTS_BASE
            }),
            "2^24 events in 5 ns"
        );
    }

    #[test]
    fn a_crawling_clock_is_a_stall() {
        // See: issue 7, defect 2
        // 1 ns every check: the clock moves, but only 256 ns per window of 2^24 events.
        let mut w = StallWatch::new(0);
        let stall = (1..=2 * STALL_EVENTS_BASE / EVERY)
            .find_map(|k| w.stalled(SimTime(k), EVERY))
            .expect("a crawl is a stall");
        assert_eq!(stall.to.since(stall.from), SimDuration(256));
        assert_eq!(stall.events, STALL_EVENTS_BASE);
    }

    #[test]
    fn a_crawl_after_normal_progress_is_caught_within_two_windows() {
        let mut w = StallWatch::new(0);
        let checks = STALL_EVENTS_BASE / EVERY;
        // Half a window moving 1 ms per check, then the clock stands still.
        let mut now = SimTime::ZERO;
        let mut found = None;
        for k in 0..3 * checks {
            if k < checks / 2 {
                now = SimTime(now.0 + 1_000_000);
            }
            if let Some(s) = w.stalled(now, EVERY) {
                found = Some(k);
                assert_eq!(s.from, now);
                break;
            }
        }
        assert_eq!(found, Some(2 * checks - 1));
    }

    #[test]
    fn time_moving_a_microsecond_per_window_is_no_stall() {
        let mut w = StallWatch::new(10);
        assert_eq!(w.window(), STALL_EVENTS_BASE + 640);
        // 4 ns per check: 1,028 ns per window (257 checks, since the window is 2^24 + 640).
        for k in 0..10 * STALL_EVENTS_BASE / EVERY {
            assert_eq!(w.stalled(SimTime(4 * k), EVERY), None);
        }
    }

    #[test]
    fn pauses_are_described_in_nanoseconds() {
        assert_eq!(pause_words(&Distribution::Constant { ns: 0.0 }), "0");
        assert_eq!(
            pause_words(&Distribution::Exponential { mean_ns: 0.1 }),
            "under 1 ns on average"
        );
        assert_eq!(pause_words(&Distribution::Constant { ns: 20.0 }), "20 ns");
        assert_eq!(nanoseconds(SimDuration(153)), "153 ns");
    }
}
