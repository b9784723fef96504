//! Client connections to the load balancer: HTTP keep-alive, the ALB idle timeout
//! (`idle_timeout.timeout_seconds`) and the maximum connection lifetime (`client_keep_alive.seconds`).
//!
//! An idle connection closes `idle_timeout` after its last use unless a request reuses it first; a
//! connection older than `client_keep_alive` is closed after its current response. Closing needs no
//! timer: the expected close is booked with the [`ConnectionCounter`] when the connection goes idle,
//! and cancelled if it is reused (see `recorder::connections`).

use crate::engine::{SimDuration, SimTime};
use crate::recorder::ConnectionCounter;

/// An open client connection.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Conn {
    /// When it was opened.
    pub born: SimTime,
    /// When it closes if not reused (meaningful while idle; `ZERO` = closed).
    pub closes_at: SimTime,
    /// Its close booking with the [`ConnectionCounter`], cancelled on reuse.
    pub booking: u32,
    /// The load balancer node it reached (an index into the load balancer's zones): the one
    /// its client's DNS lookup returned when it was opened.
    pub node: u8,
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
    #[inline(always)]
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
            node: conn.node,
        })
    }
}

/// Reuses `idle` if still open at `now` (cancelling its booked close), else opens a new connection
/// to the node `new_node()` picks. Returns the connection and whether it is new.
#[inline(always)]
pub fn reuse_or_open(
    idle: Option<Conn>,
    now: SimTime,
    counter: &mut ConnectionCounter,
    new_node: impl FnOnce() -> u8,
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
                    node: new_node(),
                },
                true,
            )
        }
    }
}

/// Most concurrent requests (streams) on one client HTTP/2 connection (`aws-behavior.md` §6.3).
pub const H2_MAX_STREAMS: u32 = 128;
/// Requests after which the ALB ends an HTTP/2 connection with GOAWAY (`aws-behavior.md` §6.3).
pub const H2_MAX_REQUESTS: u32 = 10_000;
const NONE: u32 = u32::MAX;

/// One client HTTP/2 connection: requests share it as concurrent streams.
#[derive(Clone, Copy, Debug, Default)]
struct H2Conn {
    conn: Conn,
    streams: u32,
    served: u32,
}

/// The HTTP/2 connections an open-loop client has to one listener: new streams go on the current
/// connection while it has fewer than 128 streams, has served fewer than 10,000 requests (then the
/// ALB sends GOAWAY) and is younger than `client_keep_alive.seconds`; otherwise a new connection
/// becomes current and the old one closes when its last stream ends.
#[derive(Clone, Debug, Default)]
pub struct H2Pool {
    conns: Vec<H2Conn>,
    free: Vec<u32>,
    current: Option<u32>,
}

impl H2Pool {
    /// Opens a stream for a new request: returns the connection slot, the connection and whether
    /// it is new (needs a TLS handshake; it goes to the node `new_node()` picks).
    #[inline]
    pub fn open_stream(
        &mut self,
        now: SimTime,
        rules: &ConnRules,
        counter: &mut ConnectionCounter,
        new_node: impl FnOnce() -> u8,
    ) -> (u32, Conn, bool) {
        if let Some(cur) = self.current {
            let c = &mut self.conns[cur as usize];
            let open = c.streams > 0 || c.conn.closes_at > now;
            let usable = open
                && c.streams < H2_MAX_STREAMS
                && c.served < H2_MAX_REQUESTS
                && now.since(c.conn.born) < rules.max_lifetime;
            if usable {
                if c.streams == 0 {
                    counter.cancel_close(c.conn.booking);
                }
                c.streams += 1;
                c.served += 1;
                return (cur, c.conn, false);
            }
            // Retire it: an idle one closes now (or closed already), a busy one when drained.
            if c.streams == 0 {
                if c.conn.closes_at > now {
                    counter.cancel_close(c.conn.booking);
                    counter.will_close(now);
                }
                self.free.push(cur);
            }
            self.current = None;
        }
        counter.opened();
        let conn = Conn {
            born: now,
            closes_at: SimTime::ZERO,
            booking: 0,
            node: new_node(),
        };
        let fresh = H2Conn {
            conn,
            streams: 1,
            served: 1,
        };
        let slot = match self.free.pop() {
            Some(i) => {
                self.conns[i as usize] = fresh;
                i
            }
            None => {
                self.conns.push(fresh);
                (self.conns.len() - 1) as u32
            }
        };
        self.current = Some(slot);
        (slot, conn, true)
    }

    /// A request's stream ended.
    #[inline]
    pub fn close_stream(
        &mut self,
        slot: u32,
        now: SimTime,
        rules: &ConnRules,
        counter: &mut ConnectionCounter,
    ) {
        let is_current = self.current == Some(slot);
        let c = &mut self.conns[slot as usize];
        c.streams -= 1;
        if c.streams > 0 {
            return;
        }
        let keep =
            is_current && c.served < H2_MAX_REQUESTS && now.since(c.conn.born) < rules.max_lifetime;
        if keep {
            c.conn.closes_at = now + rules.idle_timeout;
            c.conn.booking = counter.will_close(c.conn.closes_at);
        } else {
            counter.will_close(now);
            self.free.push(slot);
            if is_current {
                self.current = None;
            }
        }
    }
}

/// Marks a request that does not use an HTTP/2 connection.
pub const NO_H2: u32 = NONE;

/// The idle connections an open-loop client keeps to one listener: a stack, most recently used on
/// top. Connections below the top are older, so when the top has expired all of them have.
#[derive(Clone, Debug, Default)]
pub struct Pool {
    idle: Vec<Conn>,
}

impl Pool {
    /// The most recently used idle connection if it is still open; expired ones are dropped
    /// (their close was booked when they went idle).
    #[inline(always)]
    pub fn take(&mut self, now: SimTime) -> Option<Conn> {
        match self.idle.last() {
            Some(c) if c.closes_at > now => self.idle.pop(),
            Some(_) => {
                self.idle.clear();
                None
            }
            None => None,
        }
    }

    /// Puts an idle connection back.
    #[inline(always)]
    pub fn put(&mut self, conn: Conn) {
        self.idle.push(conn);
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

#[cfg(test)]
mod tests {
    use super::*;

    fn rules() -> ConnRules {
        ConnRules {
            idle_timeout: SimDuration::from_secs(60),
            max_lifetime: SimDuration::from_secs(3600),
        }
    }

    #[test]
    fn http2_multiplexes_up_to_128_streams_per_connection() {
        let (r, mut counter) = (
            rules(),
            ConnectionCounter::new(SimDuration::from_secs(60), 10),
        );
        let mut pool = H2Pool::default();
        let t = SimTime(1);
        let slots: Vec<(u32, bool)> = (0..129)
            .map(|_| pool.open_stream(t, &r, &mut counter, || 0))
            .map(|(s, _, fresh)| (s, fresh))
            .collect();
        assert!(slots[0].1, "the first stream opens a connection");
        assert!(
            slots[1..128]
                .iter()
                .all(|&(s, fresh)| s == slots[0].0 && !fresh)
        );
        assert!(
            slots[128].1 && slots[128].0 != slots[0].0,
            "the 129th stream needs a second connection"
        );
        assert_eq!(counter.close_period(0).1, 2, "two new connections");
    }

    #[test]
    fn goaway_after_10000_requests_and_idle_reuse_before() {
        let (r, mut counter) = (
            rules(),
            ConnectionCounter::new(SimDuration::from_secs(60), 10),
        );
        let mut pool = H2Pool::default();
        let mut opened = 0;
        for k in 0..(H2_MAX_REQUESTS as u64 + 1) {
            let now = SimTime(k * 1000);
            let (slot, _, fresh) = pool.open_stream(now, &r, &mut counter, || 0);
            opened += u32::from(fresh);
            pool.close_stream(slot, now, &r, &mut counter);
        }
        assert_eq!(
            opened, 2,
            "one connection for 10,000 sequential requests, then GOAWAY"
        );
    }
}
