//! Clients that give up and retry: a request's `timeout` closes the client's connection (the ALB
//! logs 460, and a target already working on it carries on: wasted capacity), and a client with
//! `retry` sends an errored or abandoned request again after its backoff delay, while its retry
//! quota lasts. Each retry is a new request to the ALB; the end user waits for the last answer.
//!
//! The ALB itself retries nothing: once it has sent a request to a target, that target's answer,
//! or the ALB's own 502/504, goes back to the client (`../shared/aws-behavior.md` §7).

use super::World;
use super::load_balancer::{Attempt, Stage};
use crate::engine::SimDuration;
use crate::model::connection::NO_H2;
use crate::model::event::Event;
use crate::model::replay::Provenance;
use crate::model::retry::CLIENT_GAVE_UP;
use crate::recorder::Origin;

impl World<'_> {
    /// Arms the client's `timeout` for the request just sent in `slot`.
    #[inline(never)]
    pub(super) fn arm_client_timeout(&mut self, slot: u32, timeout: SimDuration) {
        let generation = self.lb.requests.generation(slot);
        self.queue.schedule(
            self.now + timeout,
            Event::ClientGivesUp { slot, generation },
        );
    }

    /// The request's `timeout` passed: if it is still waiting, the client closes its connection.
    pub(super) fn on_client_gives_up(&mut self, slot: u32, generation: u32) {
        if !self.lb.requests.is_live(slot, generation) {
            return;
        }
        let r = self.lb.requests[slot];
        match r.stage {
            // Answered already (the ALB's 504 or 502 while the target still works on it).
            Stage::Abandoned | Stage::Backoff => return,
            Stage::AtTarget => {
                // The ALB stops waiting; the target does not know and finishes the work.
                self.release_target(slot);
                self.lb.requests[slot].stage = Stage::Abandoned;
                self.rec.attempts.gave_up(r.client.index());
                self.respond_keep_slot(slot, CLIENT_GAVE_UP, Origin::LoadBalancer, None, 0);
                self.wake_unless_retried(slot, CLIENT_GAVE_UP);
                return;
            }
            Stage::Lost => self.release_target(slot),
            Stage::Handshake | Stage::Connecting => {}
        }
        self.rec.attempts.gave_up(r.client.index());
        self.respond_and_wake(slot, CLIENT_GAVE_UP, Origin::LoadBalancer, None, 0);
    }

    /// The request in `slot` was answered `status` while a target still holds it (the slot
    /// stays): its user thinks, unless the client retries.
    pub(super) fn wake_unless_retried(&mut self, slot: u32, status: u16) {
        let r = &self.lb.requests[slot];
        let (user, client) = (r.user, r.client.index());
        if !(self.sc.clients[client].counts_attempts && self.retries(slot, status)) {
            self.user_done(user);
        }
    }

    /// The client of the request in `slot` got `status` as its answer (already recorded): if it
    /// retries, a new slot waits out the backoff delay and this returns true (its user keeps
    /// waiting); otherwise the end user's request is finished. The caller frees `slot`.
    #[inline(never)]
    pub(super) fn retries(&mut self, slot: u32, status: u16) -> bool {
        let r = self.lb.requests[slot];
        let ci = r.client.index();
        let spec = &self.sc.clients[ci];
        if let Some(policy) = spec.retry.as_ref().filter(|p| p.retries(status)) {
            if r.attempt.number < policy.max_attempts {
                let state = &mut self.traffic.clients[ci];
                let cost = match state.quota.as_mut() {
                    None => Some(0),
                    Some(q) => q.acquire(status),
                };
                if let Some(cost) = cost {
                    let previous = match r.attempt.backoff_us {
                        0 => policy.base,
                        us => SimDuration(u64::from(us) * 1000),
                    };
                    let delay = policy.delay(r.attempt.number, previous, &mut state.retry);
                    let due = self.now + delay;
                    if due > self.end {
                        // The retry would be sent after the run ends: the end user is still
                        // waiting at the end (counted unfinished, like any request in flight),
                        // so no event is scheduled past the horizon.
                        self.rec.attempts.not_retried(ci, false);
                        return true;
                    }
                    let waiting = self.lb.requests.insert(super::load_balancer::Request {
                        stage: Stage::Backoff,
                        attempt: Attempt {
                            first_sent: r.attempt.first_sent,
                            number: r.attempt.number + 1,
                            cost,
                            backoff_us: u32::try_from(delay.0 / 1000).unwrap_or(u32::MAX).max(1),
                        },
                        ..r
                    });
                    let generation = self.lb.requests.generation(waiting);
                    self.queue.schedule(
                        due,
                        Event::RetryDue {
                            slot: waiting,
                            generation,
                        },
                    );
                    return true;
                }
                self.rec.attempts.not_retried(ci, true);
            }
        }
        let succeeded = status < 400;
        if succeeded {
            if let Some(q) = self.traffic.clients[ci].quota.as_mut() {
                q.succeeded(r.attempt.cost);
            }
        }
        let latency = self.now.since(r.attempt.first_sent);
        self.rec.attempts.finished(ci, latency, succeeded);
        false
    }

    /// A backoff delay ended: the client sends the request again.
    pub(super) fn on_retry_due(&mut self, slot: u32, generation: u32) {
        if !self.lb.requests.is_live(slot, generation) {
            return;
        }
        let r = self.lb.requests[slot];
        self.lb.requests.remove(slot);
        self.rec.attempts.retried(r.client.index());
        let from = Provenance {
            class: r.replay_class,
            http2: r.h2 != NO_H2,
            logged_service_us: r.logged_service_us,
        };
        self.send(
            r.client, r.rtype, r.user, r.session, r.listener, r.route, from, r.attempt,
        );
    }
}
