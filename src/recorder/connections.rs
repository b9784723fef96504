//! Counting client connections per period: CloudWatch `NewConnectionCount` and
//! `ActiveConnectionCount`.
//!
//! A connection is active in a period if it was open at any time during it: open at the period's
//! start, or opened during it. Opening is known when it happens; closing by idle timeout is known
//! in advance (last use + `idle_timeout.timeout_seconds`) and is *cancelled* if the connection is
//! reused first. Both events therefore land in the current or a future period, never in one that
//! was already reported, and the count is exact without a timer per connection.

use crate::engine::{SimDuration, SimTime};

/// Client connection counts per period.
#[derive(Debug, Clone)]
pub struct ConnectionCounter {
    period: u64,
    open_at_start: u64,
    opened: u64,
    /// Connections closing in each period (index = period).
    closes: Vec<u64>,
}

impl ConnectionCounter {
    /// A counter for `periods` periods of length `period`.
    pub fn new(period: SimDuration, periods: usize) -> Self {
        ConnectionCounter {
            period: period.0,
            open_at_start: 0,
            opened: 0,
            closes: vec![0; periods + 1],
        }
    }

    fn slot(&self, at: SimTime) -> u32 {
        // A connection closing at exactly a boundary was open only before it.
        let i = (at.0.saturating_sub(1) / self.period) as usize;
        i.min(self.closes.len() - 1) as u32
    }

    /// A connection opened now.
    #[inline(always)]
    pub fn opened(&mut self) {
        self.opened += 1;
    }

    /// A connection will close at `at` (≥ now) unless cancelled; returns the booking to cancel.
    #[inline(always)]
    pub fn will_close(&mut self, at: SimTime) -> u32 {
        let i = self.slot(at);
        self.closes[i as usize] += 1;
        i
    }

    /// A connection booked (by [`Self::will_close`]) to close was reused before then.
    #[inline(always)]
    pub fn cancel_close(&mut self, booking: u32) {
        self.closes[booking as usize] -= 1;
    }

    /// Closes period `index`: returns `(ActiveConnectionCount, NewConnectionCount)`.
    pub fn close_period(&mut self, index: usize) -> (u64, u64) {
        let active = self.open_at_start + self.opened;
        let new = self.opened;
        let closed = self.closes.get(index).copied().unwrap_or(0);
        self.open_at_start = active - closed;
        self.opened = 0;
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
}
