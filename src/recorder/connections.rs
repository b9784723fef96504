//! Counting client connections per period: CloudWatch `NewConnectionCount` and
//! `ActiveConnectionCount`.
//!
//! A connection is active in a period if it was open at any time during it: open at the period's
//! start, or opened during it. Opening is known when it happens; closing by idle timeout is known
//! in advance (last use + `idle_timeout.timeout_seconds`) and is *cancelled* if the connection is
//! reused first. Both events therefore land in the current or a future period, never in one that
//! was already reported, and the count is exact without a timer per connection.

//!
//! Bookings are kept only for the periods from the current one to the furthest booked close (at
//! most `idle_timeout.timeout_seconds` ahead), so memory does not grow with the run's length.

use crate::engine::{SimDuration, SimTime};
use std::collections::VecDeque;

/// Client connection counts per period.
#[derive(Debug, Clone)]
pub struct ConnectionCounter {
    period: u64,
    /// Index of the run's last period: closes booked after the run's end are counted there.
    last: u64,
    /// Index of the period being counted.
    current: u64,
    open_at_start: u64,
    opened: u64,
    /// Connections closing in each period from the current one on (`closes[0]` = current).
    closes: VecDeque<u64>,
}

impl ConnectionCounter {
    /// A counter for a run of `periods` periods of length `period`.
    pub fn new(period: SimDuration, periods: usize) -> Self {
        ConnectionCounter {
            period: period.0.max(1),
            last: (periods as u64).saturating_sub(1),
            current: 0,
            open_at_start: 0,
            opened: 0,
            closes: VecDeque::new(),
        }
    }

    /// The period a close at `at` counts in. A connection closing at exactly a boundary was open
    /// only before it; one closing at a boundary whose period was already reported (it closed at
    /// the instant the period ended) counts in the current period, so it is never lost.
    fn slot(&self, at: SimTime) -> u64 {
        (at.0.saturating_sub(1) / self.period)
            .min(self.last)
            .max(self.current)
    }

    /// A connection opened now.
    #[inline(always)]
    pub fn opened(&mut self) {
        self.opened += 1;
    }

    /// A connection will close at `at` (≥ now) unless cancelled; returns the booking to cancel.
    #[inline(always)]
    pub fn will_close(&mut self, at: SimTime) -> u32 {
        let slot = self.slot(at);
        let offset = (slot - self.current) as usize;
        if offset >= self.closes.len() {
            self.closes.resize(offset + 1, 0);
        }
        self.closes[offset] += 1;
        // Bookings lie within a few thousand periods of the current one: the low 32 bits name
        // the period unambiguously (see `cancel_close`).
        slot as u32
    }

    /// A connection booked (by [`Self::will_close`]) to close was reused before then.
    #[inline(always)]
    pub fn cancel_close(&mut self, booking: u32) {
        let offset = booking.wrapping_sub(self.current as u32) as usize;
        debug_assert!(offset < self.closes.len(), "cancelled a close never booked");
        if let Some(n) = self.closes.get_mut(offset) {
            *n -= 1;
        }
    }

    /// Closes period `index` (the periods are closed in order from 0): returns
    /// `(ActiveConnectionCount, NewConnectionCount)`.
    pub fn close_period(&mut self, index: usize) -> (u64, u64) {
        debug_assert_eq!(index as u64, self.current, "periods close in order");
        let active = self.open_at_start + self.opened;
        let new = self.opened;
        let closed = self.closes.pop_front().unwrap_or(0);
        self.open_at_start = active - closed;
        self.opened = 0;
        self.current += 1;
        (active, new)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reuse_cancels_the_idle_close() {
        let p = SimDuration::from_secs(60);
        let mut c = ConnectionCounter::new(p, 3);
        // Period 0: open one, release at 10 s (closes at 70 s unless reused), reuse at 50 s.
        c.opened();
        let booking = c.will_close(SimTime(70_000_000_000));
        c.cancel_close(booking);
        c.will_close(SimTime(110_000_000_000)); // released again at 50 s
        assert_eq!(c.close_period(0), (1, 1));
        // Period 1: still open at the start, closes at 110 s.
        assert_eq!(c.close_period(1), (1, 0));
        // Period 2: gone.
        assert_eq!(c.close_period(2), (0, 0));
    }

    /// A year in 1 s periods: the bookings span the idle timeout, not the run.
    #[test]
    fn memory_follows_the_idle_timeout_not_the_run_length() {
        // See: issue 7, defect 4
        let p = SimDuration::from_secs(1);
        let year = 366 * 24 * 3600;
        let mut c = ConnectionCounter::new(p, year);
        for k in 0..100_000u64 {
            c.opened();
            c.will_close(SimTime((k + 60) * 1_000_000_000));
            assert_eq!(c.close_period(k as usize).1, 1);
        }
        assert!(c.closes.len() <= 61, "{} slots", c.closes.len());
        assert!(
            c.closes.capacity() < 1_000,
            "{} slots reserved",
            c.closes.capacity()
        );
    }

    /// A connection that closes at the very instant a period was reported is counted in the next
    /// period and then gone, not kept open for ever.
    #[test]
    fn a_close_at_a_reported_boundary_is_not_lost() {
        let p = SimDuration::from_secs(60);
        let mut c = ConnectionCounter::new(p, 4);
        c.opened();
        assert_eq!(c.close_period(0), (1, 1));
        // At 60 s, after period 0 was closed, the connection closes now.
        c.will_close(SimTime(60_000_000_000));
        assert_eq!(c.close_period(1), (1, 0));
        assert_eq!(c.close_period(2), (0, 0));
    }

    #[test]
    fn closes_after_the_run_count_in_its_last_period() {
        let p = SimDuration::from_secs(60);
        let mut c = ConnectionCounter::new(p, 2);
        c.opened();
        let booking = c.will_close(SimTime(10_000_000_000_000));
        assert_eq!(booking, 1);
        assert_eq!(c.close_period(0), (1, 1));
        assert_eq!(c.close_period(1), (1, 0));
        assert_eq!(c.closes.len(), 0);
    }
}
