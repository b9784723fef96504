//! Replayed traffic: the requests of ALB access logs (`"arrival": {"type": "access_log"}`), as a
//! compact, time-ordered list the world walks through.
//!
//! Access-log lines repeat the same few strings (method, host, path, query, user agent) many
//! times. They are interned once, when the model is built, into [`ReplayClass`]es — one per
//! distinct request as the listener rules see it — whose route through the rules is computed
//! then, as for a model's own request types. Each logged request is then an [`ReplayEvent`] of 24
//! bytes: when it arrives, its class, its session (one per client IP: a browser keeps its cookies)
//! and its logged `target_processing_time`. The event loop reads one event per arrival and
//! allocates nothing.

use super::ids::{ListenerId, RouteId};
use super::listener::RequestView;
use crate::engine::SimTime;

/// A logged service time that is absent: the request's `target_processing_time` was `-1`, or
/// the model's service times were asked for.
pub const NO_LOGGED_SERVICE: u32 = u32::MAX;

/// Most requests one replayed client may hold (24 bytes each: 480 MB). A larger log is best
/// replayed through a time window (`from`/`to`) or split over several runs.
pub const MAX_REPLAYED_REQUESTS: usize = 20_000_000;

/// The class of a request that was not replayed (a model's own request type).
pub const NOT_REPLAYED: u32 = u32::MAX;

/// Where a request being sent came from: the model's own request types, or a logged request
/// replayed with its class, protocol and logged service time. Passed by value to the request
/// path, which copies what it keeps into the request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Provenance {
    /// The replayed request's class, or [`NOT_REPLAYED`].
    pub class: u32,
    /// Whether it may go over HTTP/2 where the client and the listener offer it (for a replayed
    /// request: whether it was logged as `h2`).
    pub http2: bool,
    /// Its logged service time \[µs\], or [`NO_LOGGED_SERVICE`] (drawn from the model instead).
    pub logged_service_us: u32,
}

impl Provenance {
    /// A request of the model's own: HTTP/2 wherever the client's `http2` setting allows it.
    pub const GENERATED: Provenance = Provenance {
        class: NOT_REPLAYED,
        http2: true,
        logged_service_us: NO_LOGGED_SERVICE,
    };

    /// The logged request `e`, replayed.
    pub fn replayed(e: &ReplayEvent) -> Provenance {
        Provenance {
            class: e.class,
            http2: e.http2,
            logged_service_us: e.logged_service_us,
        }
    }
}

/// One logged request, in replay order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReplayEvent {
    /// When it arrives in the run (its `request_creation_time` after the window and speed).
    pub at: SimTime,
    /// Its [`ReplayClass`] index.
    pub class: u32,
    /// Its client IP's session index within the client (0-based; one cookie jar per IP).
    pub session: u32,
    /// Its logged `target_processing_time` \[µs\], or [`NO_LOGGED_SERVICE`].
    pub logged_service_us: u32,
    /// Whether it came over HTTP/2 (`type` `h2`).
    pub http2: bool,
}

/// A distinct request as the listener rules see it, with its precomputed route.
#[derive(Clone, Debug)]
pub struct ReplayClass {
    /// What the rules see (method, host, path, User-Agent header, query, a client address).
    pub view: RequestView,
    /// The query string as logged, without `?` (empty when none): the access log writes it back
    /// in its logged order, which the view's sorted pairs lose.
    pub query: Box<str>,
    /// The listener it arrived on (by the port in the logged URL).
    pub listener: ListenerId,
    /// What the rules do with it.
    pub route: RouteId,
    /// The model's request type it belongs to (its service time, sizes and messages).
    pub request_type: u32,
}

/// Malformed lines skipped while reading the logs.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MalformedLines {
    /// How many.
    pub count: u64,
    /// The first few, as `FILE:LINE: what is wrong`.
    pub first: Vec<String>,
}

/// A replayed client's requests (AWS: the entries of ALB access logs).
#[derive(Clone, Debug, Default)]
pub struct ReplayLoad {
    /// Requests in arrival order (ties keep file, then line, order).
    pub events: Box<[ReplayEvent]>,
    /// Distinct requests, by first appearance.
    pub classes: Vec<ReplayClass>,
    /// Distinct client IPs (the client's sessions).
    pub client_ips: u32,
    /// The client IP of each session, by session index (`client_ips` of them).
    pub ips: Vec<std::net::IpAddr>,
    /// Lines read (every line of every file, malformed or not).
    pub lines: u64,
    /// Requests left out by the time window.
    pub outside_window: u64,
    /// Malformed lines skipped.
    pub malformed: MalformedLines,
    /// WebSocket entries (`ws`, `wss`): replayed as their upgrade request only.
    pub websocket_entries: u64,
    /// Whether service times are the logged `target_processing_time`s (`service_time: logged`).
    pub logged_service: bool,
}

impl ReplayLoad {
    /// When the last replayed request arrives (`None`: no request).
    pub fn last_arrival(&self) -> Option<SimTime> {
        self.events.last().map(|e| e.at)
    }
}

/// Builds the time-ordered events of a replay from requests in any order.
#[derive(Debug, Default)]
pub struct EventsBuilder {
    /// `(created \[ns since the Unix epoch\], event)`; `event.at` is filled in by `finish`.
    pending: Vec<(i64, ReplayEvent)>,
}

/// How logged times map to the run: the window (relative to the earliest request) and the speed.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TimeMap {
    /// Requests created this long after the earliest one or later are kept \[ns\].
    pub from_ns: u64,
    /// Requests created this long after the earliest one or later are left out \[ns\].
    pub to_ns: Option<u64>,
    /// Replay speed: 2 replays an hour of log in 30 simulated minutes.
    pub speed: f64,
}

impl EventsBuilder {
    /// Number of requests added so far.
    pub fn len(&self) -> usize {
        self.pending.len()
    }

    /// Whether no request was added.
    pub fn is_empty(&self) -> bool {
        self.pending.is_empty()
    }

    /// Adds a request created at `created_ns` (ns since the Unix epoch).
    pub fn push(
        &mut self,
        created_ns: i64,
        class: u32,
        session: u32,
        logged_service_us: u32,
        http2: bool,
    ) {
        self.pending.push((
            created_ns,
            ReplayEvent {
                at: SimTime::ZERO,
                class,
                session,
                logged_service_us,
                http2,
            },
        ));
    }

    /// The events in arrival order: the earliest request is t = 0, those outside the window are
    /// left out (their number is returned too), the window's start becomes t = 0 and times are
    /// divided by the speed. Ties keep the order of `push`.
    pub fn finish(mut self, map: TimeMap) -> (Box<[ReplayEvent]>, u64) {
        let Some(first) = self.pending.iter().map(|p| p.0).min() else {
            return (Box::new([]), 0);
        };
        // A stable sort: requests created at the same microsecond keep file and line order.
        self.pending.sort_by_key(|p| p.0);
        let total = self.pending.len() as u64;
        let events: Box<[ReplayEvent]> = self
            .pending
            .into_iter()
            .filter_map(|(created, mut e)| {
                let since_first = (created - first) as u64;
                let inside =
                    since_first >= map.from_ns && map.to_ns.is_none_or(|to| since_first < to);
                inside.then(|| {
                    let scaled = (since_first - map.from_ns) as f64 / map.speed;
                    e.at = SimTime(scaled.round() as u64);
                    e
                })
            })
            .collect();
        let outside = total - events.len() as u64;
        (events, outside)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn times(events: &[ReplayEvent]) -> Vec<(u64, u32)> {
        events.iter().map(|e| (e.at.0, e.class)).collect()
    }

    fn builder() -> EventsBuilder {
        let mut b = EventsBuilder::default();
        // Out of order, as `time`-ordered log files hold requests (by response time).
        b.push(
            1_000_000_000_000 + 3_000_000_000,
            3,
            0,
            NO_LOGGED_SERVICE,
            false,
        );
        b.push(1_000_000_000_000, 0, 0, NO_LOGGED_SERVICE, false);
        b.push(
            1_000_000_000_000 + 1_000_000_000,
            1,
            0,
            NO_LOGGED_SERVICE,
            false,
        );
        b.push(
            1_000_000_000_000 + 1_000_000_000,
            2,
            0,
            NO_LOGGED_SERVICE,
            false,
        );
        b
    }

    const ALL: TimeMap = TimeMap {
        from_ns: 0,
        to_ns: None,
        speed: 1.0,
    };

    #[test]
    fn the_earliest_request_is_time_zero_and_ties_keep_their_order() {
        let (events, outside) = builder().finish(ALL);
        assert_eq!(outside, 0);
        assert_eq!(
            times(&events),
            [
                (0, 0),
                (1_000_000_000, 1),
                (1_000_000_000, 2),
                (3_000_000_000, 3)
            ]
        );
    }

    #[test]
    fn speed_divides_times_and_the_window_starts_at_zero() {
        let (events, _) = builder().finish(TimeMap { speed: 2.0, ..ALL });
        assert_eq!(
            times(&events),
            [
                (0, 0),
                (500_000_000, 1),
                (500_000_000, 2),
                (1_500_000_000, 3)
            ]
        );
        let (events, outside) = builder().finish(TimeMap {
            from_ns: 1_000_000_000,
            to_ns: Some(3_000_000_000),
            speed: 1.0,
        });
        assert_eq!(times(&events), [(0, 1), (0, 2)]);
        assert_eq!(outside, 2);
    }

    #[test]
    fn no_requests_make_no_events() {
        let (events, outside) = EventsBuilder::default().finish(ALL);
        assert!(events.is_empty());
        assert_eq!(outside, 0);
    }
}
