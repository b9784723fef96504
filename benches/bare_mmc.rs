//! Bare M/M/c event loop: the speed yardstick for `albsim`'s engine.
//!
//! This is the least an event-driven simulator of a queueing system can do:
//! a [`BinaryHeap`] of events keyed by integer-nanosecond time (ties broken by
//! an insertion sequence number, so runs are deterministic), Poisson arrivals,
//! `c` identical exponential servers and one FIFO queue ([`VecDeque`]). No
//! routing, no statistics beyond a running sum, no allocation once warm.
//! The full simulator does strictly more work per request, so the request rate
//! measured here is the ceiling it is compared against.
//!
//! Include it from a bench target with `mod bare_mmc;`.
//!
//! The result is checked against the analytic M/M/c (Erlang C) mean response
//! time, [`erlang_c_mean_response`]: at ρ = 0.8 with 10⁶ requests the
//! simulated mean lands within a few percent of it.

// Bench targets include this file and typically use only part of it.
#![allow(dead_code)]

use std::cmp::Ordering;
use std::collections::binary_heap::PeekMut;
use std::collections::{BinaryHeap, VecDeque};

use rand_distr::{Distribution, Exp};
use rand_xoshiro::Xoshiro256PlusPlus;
use rand_xoshiro::rand_core::SeedableRng;

/// Nanoseconds per second.
const NANOS_PER_SEC: f64 = 1e9;

/// What a run of [`run_bare_mmc`] produced.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BareMmcResult {
    /// Requests that finished service (equals the `requests` argument).
    pub completed: u64,
    /// Mean response time (queueing wait plus service), in seconds.
    pub mean_response_s: f64,
}

/// The two things that can happen.
#[derive(Debug, Clone, Copy)]
enum Event {
    /// A request arrives.
    Arrival,
    /// A server finishes the request that arrived at `arrived_ns`.
    Departure { arrived_ns: u64 },
}

/// A scheduled event. Ordered so that [`BinaryHeap`] (a max-heap) yields the
/// earliest `(time, seq)` first; `event` does not take part in the order.
///
/// `(time, seq)` is stored pre-packed in one `u128` (time in the high half),
/// so each heap comparison is a single integer compare.
#[derive(Debug, Clone, Copy)]
struct Scheduled {
    key: u128,
    event: Event,
}

impl Scheduled {
    #[inline(always)]
    fn new(time_ns: u64, seq: u64, event: Event) -> Self {
        Self {
            key: (u128::from(time_ns) << 64) | u128::from(seq),
            event,
        }
    }

    #[inline(always)]
    fn time_ns(&self) -> u64 {
        (self.key >> 64) as u64
    }
}

impl PartialEq for Scheduled {
    fn eq(&self, other: &Self) -> bool {
        self.key == other.key
    }
}

impl Eq for Scheduled {}

impl PartialOrd for Scheduled {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Scheduled {
    #[inline(always)]
    fn cmp(&self, other: &Self) -> Ordering {
        // Reversed: the smallest key is the "greatest" element.
        other.key.cmp(&self.key)
    }
}

/// Draws an exponential duration and rounds it to whole nanoseconds.
#[inline(always)]
fn draw_ns(dist: &Exp<f64>, rng: &mut Xoshiro256PlusPlus) -> u64 {
    // `as` saturates; adding 0.5 rounds to nearest for non-negative values.
    (dist.sample(rng) + 0.5) as u64
}

/// Simulates an M/M/c queue until `requests` requests have completed.
///
/// * `arrival_rate` — Poisson arrival rate λ, requests per second.
/// * `service_mean` — mean exponential service time 1/μ, seconds.
/// * `servers` — number of servers c (at least 1).
/// * `requests` — stop once this many requests have finished service.
/// * `seed` — seeds [`Xoshiro256PlusPlus`] via [`SeedableRng::seed_from_u64`];
///   the same arguments always give the same result.
///
/// Time is integer nanoseconds; simultaneous events run in the order they
/// were scheduled. Arrivals and departures both go through the heap, as in a
/// general-purpose engine; the only shortcut is the standard replace-top
/// (the handled event's slot is reused for the event it schedules).
///
/// # Panics
///
/// If `arrival_rate` or `service_mean` is not positive and finite, or
/// `servers` is zero.
pub fn run_bare_mmc(
    arrival_rate: f64,
    service_mean: f64,
    servers: usize,
    requests: u64,
    seed: u64,
) -> BareMmcResult {
    assert!(
        arrival_rate.is_finite() && arrival_rate > 0.0,
        "arrival_rate must be positive and finite"
    );
    assert!(
        service_mean.is_finite() && service_mean > 0.0,
        "service_mean must be positive and finite"
    );
    assert!(servers > 0, "servers must be at least 1");

    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    // Rates per nanosecond, so draws come out in nanoseconds directly.
    let interarrival = Exp::new(arrival_rate / NANOS_PER_SEC).expect("valid rate");
    let service = Exp::new(1.0 / (service_mean * NANOS_PER_SEC)).expect("valid rate");

    // At most one pending arrival plus one departure per busy server.
    let mut heap: BinaryHeap<Scheduled> = BinaryHeap::with_capacity(servers + 1);
    // Arrival times of waiting requests.
    let mut queue: VecDeque<u64> = VecDeque::with_capacity(1024);
    let mut idle = servers;
    let mut seq: u64 = 0;
    let mut completed: u64 = 0;
    let mut response_sum_ns: u128 = 0;

    heap.push(Scheduled::new(
        draw_ns(&interarrival, &mut rng),
        seq,
        Event::Arrival,
    ));
    seq += 1;

    while completed < requests {
        // Handle the earliest event in place: when it schedules a follow-up,
        // that overwrites the top slot and the heap sifts once, instead of a
        // pop plus a push. Order and results are the same as pop-then-push.
        let mut top = heap.peek_mut().expect("an arrival is always pending");
        let now = top.time_ns();
        match top.event {
            Event::Arrival => {
                *top = Scheduled::new(now + draw_ns(&interarrival, &mut rng), seq, Event::Arrival);
                seq += 1;
                drop(top);
                if idle > 0 {
                    idle -= 1;
                    heap.push(Scheduled::new(
                        now + draw_ns(&service, &mut rng),
                        seq,
                        Event::Departure { arrived_ns: now },
                    ));
                    seq += 1;
                } else {
                    queue.push_back(now);
                }
            }
            Event::Departure { arrived_ns } => {
                completed += 1;
                response_sum_ns += u128::from(now - arrived_ns);
                if let Some(next_arrived_ns) = queue.pop_front() {
                    *top = Scheduled::new(
                        now + draw_ns(&service, &mut rng),
                        seq,
                        Event::Departure {
                            arrived_ns: next_arrived_ns,
                        },
                    );
                    seq += 1;
                } else {
                    PeekMut::pop(top);
                    idle += 1;
                }
            }
        }
    }

    let mean_response_s = if completed == 0 {
        0.0
    } else {
        response_sum_ns as f64 / completed as f64 / NANOS_PER_SEC
    };
    BareMmcResult {
        completed,
        mean_response_s,
    }
}

/// Analytic mean response time (seconds) of a stable M/M/c queue:
/// `W = C(c, λ/μ) / (cμ − λ) + 1/μ`, with the Erlang C probability of waiting
/// computed through the numerically stable Erlang B recurrence.
///
/// * `lambda` — arrival rate, per second.
/// * `mu` — service rate of one server, per second (`1 / service_mean`).
/// * `c` — number of servers.
///
/// Returns `f64::INFINITY` when the queue is unstable (`λ ≥ cμ`).
pub fn erlang_c_mean_response(lambda: f64, mu: f64, c: usize) -> f64 {
    let servers = c as f64;
    if lambda >= servers * mu {
        return f64::INFINITY;
    }
    let offered = lambda / mu;
    let rho = offered / servers;
    // Erlang B: B(0) = 1, B(k) = a·B(k−1) / (k + a·B(k−1)).
    let erlang_b = (1..=c).fold(1.0, |b, k| offered * b / (k as f64 + offered * b));
    let erlang_c = erlang_b / (1.0 - rho * (1.0 - erlang_b));
    erlang_c / (servers * mu - lambda) + 1.0 / mu
}
