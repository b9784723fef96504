//! Replayed access-log requests: each logged request arrives at its logged time (after the
//! window and speed), as its interned class, in its client IP's session, and with its logged
//! service time when the model asks for it. One event is scheduled at a time: the next request
//! is scheduled when the previous one arrives, so the event queue stays small.

use super::World;
use super::load_balancer::Attempt;
use crate::model::event::Event;
use crate::model::ids::{ClientId, UserId};
use crate::model::replay::{Provenance, ReplayLoad};

impl World<'_> {
    /// Schedules the first replayed request of `client`.
    pub(super) fn schedule_first_replayed(&mut self, client: ClientId, replay: &ReplayLoad) {
        if let Some(first) = replay.events.first() {
            if first.at <= self.end {
                self.queue
                    .schedule(first.at, Event::RequestArrives { client });
            }
        }
    }

    /// The next logged request of `client` arrives: schedule the one after it, then send it.
    #[inline(always)]
    pub(super) fn replay_next(&mut self, client: ClientId, replay: &ReplayLoad) {
        let ci = client.index();
        let st = &mut self.traffic.clients[ci];
        let i = st.replay_next;
        st.replay_next += 1;
        let Some(&e) = replay.events.get(i) else {
            return;
        };
        if let Some(next) = replay.events.get(i + 1) {
            if next.at <= self.end {
                self.queue
                    .schedule(next.at, Event::RequestArrives { client });
            }
        }
        let class = &replay.classes[e.class as usize];
        let session = self.lb.sessions.client_base[ci] + e.session;
        self.send(
            client,
            class.request_type,
            UserId::NONE,
            session,
            class.listener,
            class.route,
            Provenance::replayed(&e),
            Attempt::first(self.now),
        );
    }

    /// Whether `client` replays access logs.
    #[inline(always)]
    pub(super) fn is_replayed(&self, client: ClientId) -> bool {
        matches!(
            self.sc.clients[client.index()].load,
            crate::model::client::Load::Replay(_)
        )
    }
}
