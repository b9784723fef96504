//! Livelock detection: simulated time that stops advancing.
//!
//! A closed-loop user whose think time is 0 and whose requests the ALB answers at once
//! (`fixed-response`, no healthy target → 503, a crashed target → 502, or a target whose service
//! time is 0) sends request after request at one instant: the clock never moves and the run
//! would spin for ever. Making such cycles impossible would need a minimum response time, and
//! AWS documents none (a fixed response is answered by the ALB without any target), so albsim
//! does not invent one. Instead the loop counts events at one instant and stops with
//! [`crate::RunError::Stalled`] beyond a bound no model whose time advances can reach.
//!
//! The count costs nothing per event: it is taken at the loop's guard checks (every
//! [`crate::PROGRESS_EVERY`] events). Simulated time never goes back, so if it is the same at two
//! consecutive checks, every event in between happened at that instant.

use super::World;
use crate::engine::SimTime;
use crate::model::client::Load;
use crate::model::event::Event;
use crate::model::ids::{RouteId, TargetGroupId};
use crate::model::route::Route;

/// Events at one instant that any model may produce: 2^24, about 16.8 million. What legitimately
/// shares an instant is bounded by the model's size: at most one arrival per open-loop client
/// (arrivals are at least 1 ns apart), one health check per checker, the faults, operations and
/// scaling actions due then, a handful of events per closed-loop user (its wake-up, a
/// handshake, a completion, a WebSocket frame) and per target (its health checks, a launch or
/// termination). Models big enough to approach 16.8 million of those get
/// [`STALL_EVENTS_PER_USER`] more per user and per target.
pub(super) const STALL_EVENTS_BASE: u64 = 1 << 24;

/// Extra events allowed at one instant per closed-loop user, WebSocket connection or target
/// (instance of the model, or Auto Scaling `MaxSize`): 64, ten times the few one can
/// legitimately contribute.
pub(super) const STALL_EVENTS_PER_USER: u64 = 64;

/// Counts events at one simulated instant, sampled at the loop's guard checks.
#[derive(Debug)]
pub(super) struct StallWatch {
    /// Simulated time at the previous guard check.
    instant: SimTime,
    /// Events known to have happened at `instant` (a lower bound).
    events: u64,
    /// The bound: beyond it the run has stalled.
    bound: u64,
}

impl StallWatch {
    /// A watch for a world of `entities` closed-loop users, WebSocket connections and targets.
    pub(super) fn new(entities: usize) -> StallWatch {
        StallWatch {
            instant: SimTime::NEVER,
            events: 0,
            bound: STALL_EVENTS_BASE + STALL_EVENTS_PER_USER * entities as u64,
        }
    }

    /// At a guard check, `every` events after the previous one: whether simulated time has stood
    /// still at `now` for more than the bound.
    #[inline]
    pub(super) fn stalled(&mut self, now: SimTime, every: u64) -> bool {
        if now == self.instant {
            self.events += every;
            self.events > self.bound
        } else {
            self.instant = now;
            self.events = 0;
            false
        }
    }

    /// The bound, in events at one instant.
    pub(super) fn bound(&self) -> u64 {
        self.bound
    }
}

impl World<'_> {
    /// Says who keeps the clock still, from the events pending at the stuck instant (a scan of the
    /// queue: the event loop's own code is left alone, so this costs it nothing).
    #[cold]
    #[inline(never)]
    pub(super) fn stall_error(&self, bound: u64) -> crate::RunError {
        let mut wakes = vec![0u64; self.sc.clients.len()];
        let mut other: Option<Event> = None;
        for event in self.queue.pending_at(self.now) {
            match *event {
                Event::UserWakes { user } => wakes[self.users[user as usize].client.index()] += 1,
                Event::RequestArrives { client } => wakes[client.index()] += 1,
                e => other = Some(e),
            }
        }
        let at = self.now;
        let busiest = (0..wakes.len())
            .filter(|&c| wakes[c] > 0)
            .max_by_key(|&c| wakes[c]);
        let message = match busiest {
            Some(c) => self.client_stall_message(c, at, bound),
            None => format!(
                "simulated time stopped advancing at {at}: more than {bound} events happened at that instant (one pending then: {other:?}); this is a bug in albsim, please report it with the model"
            ),
        };
        crate::RunError::Stalled { message }
    }

    fn client_stall_message(&self, c: usize, at: SimTime, bound: u64) -> String {
        let spec = &self.sc.clients[c];
        let mut answers: Vec<String> = Vec::new();
        for t in &spec.types {
            let a = self.instant_answer(t.route, 0);
            if !answers.contains(&a) {
                answers.push(a);
            }
        }
        let answers = answers.join("; ");
        let (who, pause, key) = match &spec.load {
            Load::Users { .. } => (
                "its users send a new request the moment the previous one is answered (think time 0)",
                "think time",
                "think_time",
            ),
            Load::Websocket(_) => (
                "its WebSocket clients reconnect the moment the upgrade is answered (reconnect_delay 0)",
                "reconnect delay",
                "reconnect_delay",
            ),
            Load::Open(_) => (
                "its requests arrive faster than simulated time can resolve",
                "lower rate",
                "rate_per_second",
            ),
        };
        format!(
            "client {:?} (clients[{c}]): {who} and the ALB answers them instantly ({answers}), so simulated time cannot advance past {at} (more than {bound} events at that instant). Give it a {pause} above 0 (clients[{c}].arrival.{key}), e.g. {{\"distribution\": \"exponential\", \"mean_ms\": 1000}}",
            spec.name
        )
    }

    /// How the ALB answers a request on `route` right now, in a user's words.
    fn instant_answer(&self, route: RouteId, depth: usize) -> String {
        match self.sc.routes.get(route) {
            Route::Fixed { status, .. } => format!("a fixed-response action answers {status}"),
            Route::Redirect {
                follow: Some((_, next)),
                status,
            } if depth < 10 => format!(
                "a redirect answers {status}, then {}",
                self.instant_answer(*next, depth + 1)
            ),
            Route::Redirect { status, .. } => format!("a redirect answers {status}"),
            Route::Forward(g) => self.group_answer(*g),
            Route::Weighted { groups, .. } => groups
                .iter()
                .map(|&(g, _)| self.group_answer(g))
                .collect::<Vec<_>>()
                .join(" or "),
        }
    }

    fn group_answer(&self, g: TargetGroupId) -> String {
        let name = &self.sc.target_groups[g.index()].name;
        let group = &self.groups[g.index()];
        let routable: Vec<usize> = (0..group.members.len())
            .filter(|&m| group.is_routable(m as u32))
            .collect();
        if routable.is_empty() {
            return format!("target group {name:?} has no healthy target: 503");
        }
        let down = |m: &usize| {
            let i = &self.instances[group.members[*m].instance.index()];
            i.crashed > 0
        };
        if routable.iter().all(down) {
            return format!("every routable target of {name:?} has crashed: 502");
        }
        format!("the targets of {name:?} answer in 0 ms (service time 0) or refuse at once: 502")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_standing_still_beyond_the_bound_is_a_stall() {
        let mut w = StallWatch::new(0);
        assert_eq!(w.bound(), STALL_EVENTS_BASE);
        let every = 1 << 16;
        assert!(
            !w.stalled(SimTime(5), every),
            "the first check only notes the time"
        );
        for _ in 0..STALL_EVENTS_BASE / every {
            assert!(!w.stalled(SimTime(5), every));
        }
        assert!(
            w.stalled(SimTime(5), every),
            "beyond 2^24 events at one instant"
        );
    }

    #[test]
    fn time_moving_resets_the_count() {
        let mut w = StallWatch::new(10);
        assert_eq!(w.bound(), STALL_EVENTS_BASE + 640);
        let every = 1 << 16;
        for k in 0..10 * STALL_EVENTS_BASE / every {
            // Time advances every other check: never a stall.
            assert!(!w.stalled(SimTime(k / 2), every));
        }
    }
}
