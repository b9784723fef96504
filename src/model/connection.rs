//! Client connections to the load balancer: HTTP keep-alive, the ALB idle timeout
//! (`idle_timeout.timeout_seconds`) and the maximum connection lifetime (`client_keep_alive.seconds`).
//!
//! An idle connection closes `idle_timeout` after its last use unless a request reuses it first; a
//! connection older than `client_keep_alive` is closed after its current response. Closing needs no
//! timer: the expected close is booked with the [`ConnectionCounter`] when the connection goes idle,
//! and cancelled if it is reused (see `recorder::connections`).

use crate::engine::{SimDuration, SimTime};
use crate::recorder::ConnectionCounter;
use std::collections::VecDeque;

/// An open client connection.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Conn {
    /// When it was opened.
    pub born: SimTime,
    /// When it closes if not reused (meaningful while idle; `ZERO` = closed).
    pub closes_at: SimTime,
    /// Its close booking with the [`ConnectionCounter`], cancelled on reuse.
    pub booking: u32,
}

/// Connection timing rules of the load balancer.
#[derive(Clone, Copy, Debug)]
pub struct ConnRules {
    /// `idle_timeout.timeout_seconds`.
    pub idle_timeout: SimDuration,
    /// `client_keep_alive.seconds`.
    pub max_lifetime: SimDuration,
}

impl ConnRules {
    /// Returns a connection after a response: it goes idle (and is returned), or is closed now
    /// because it outlived `client_keep_alive` or keep-alive is off (`None`).
    #[inline]
    pub fn release(
        &self,
        conn: Conn,
        now: SimTime,
        keep_alive: bool,
        counter: &mut ConnectionCounter,
    ) -> Option<Conn> {
        if !keep_alive || now.since(conn.born) >= self.max_lifetime {
            counter.will_close(now);
            return None;
        }
        let closes_at = now + self.idle_timeout;
        let booking = counter.will_close(closes_at);
        Some(Conn {
            born: conn.born,
            closes_at,
            booking,
        })
    }
}

/// Reuses `idle` if still open at `now` (cancelling its booked close), else opens a new connection.
/// Returns the connection and whether it is new.
#[inline]
pub fn reuse_or_open(
    idle: Option<Conn>,
    now: SimTime,
    counter: &mut ConnectionCounter,
) -> (Conn, bool) {
    match idle {
        Some(c) if c.closes_at > now => {
            counter.cancel_close(c.booking);
            (c, false)
        }
        _ => {
            counter.opened();
            (
                Conn {
                    born: now,
                    closes_at: SimTime::ZERO,
                    booking: 0,
                },
                true,
            )
        }
    }
}

/// The idle connections an open-loop client keeps to one listener, most recently used last.
#[derive(Clone, Debug, Default)]
pub struct Pool {
    idle: VecDeque<Conn>,
}

impl Pool {
    /// The most recently used idle connection that is still open, if any; expired ones are
    /// dropped (their close was booked when they went idle).
    #[inline]
    pub fn take(&mut self, now: SimTime) -> Option<Conn> {
        while self.idle.front().is_some_and(|c| c.closes_at <= now) {
            self.idle.pop_front();
        }
        self.idle.pop_back()
    }

    /// Puts an idle connection back.
    #[inline]
    pub fn put(&mut self, conn: Conn) {
        self.idle.push_back(conn);
    }

    /// Idle connections held (open or not yet dropped).
    pub fn len(&self) -> usize {
        self.idle.len()
    }

    /// Whether no idle connection is held.
    pub fn is_empty(&self) -> bool {
        self.idle.is_empty()
    }
}
