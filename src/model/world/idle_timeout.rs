//! The ALB idle timeout at targets (`idle_timeout.timeout_seconds`): a target that sends nothing
//! for that long gets its request answered 504 by the ALB. One timer event is armed for the
//! earliest deadline of the requests at targets, kept in dispatch order.

use super::World;
use super::load_balancer::Stage;
use crate::engine::SimTime;
use crate::model::event::Event;
use crate::recorder::Origin;

impl World<'_> {
    /// Tracks the ALB idle timeout of a request just handed to a target.
    #[inline(always)]
    pub(super) fn push_deadline(&mut self, slot: u32) {
        // Drop answered requests from the head so the queue holds little beyond those in flight.
        while let Some(&(_, s, g)) = self.lb.deadlines.queue.front() {
            if self.lb.requests.is_live(s, g)
                && matches!(self.lb.requests[s].stage, Stage::AtTarget | Stage::Lost)
            {
                break;
            }
            self.lb.deadlines.queue.pop_front();
        }
        let due = self.now + self.sc.idle_timeout;
        let generation = self.lb.requests.generation(slot);
        self.lb.deadlines.queue.push_back((due, slot, generation));
        if !self.lb.deadlines.armed {
            self.arm_deadline(due);
        }
    }

    pub(super) fn arm_deadline(&mut self, at: SimTime) {
        self.lb.deadlines.generation = self.lb.deadlines.generation.wrapping_add(1);
        self.lb.deadlines.armed = true;
        self.queue.schedule(
            at,
            Event::IdleTimeoutExpires {
                generation: self.lb.deadlines.generation,
            },
        );
    }

    pub(super) fn on_idle_timeout_expires(&mut self, generation: u32) {
        if generation != self.lb.deadlines.generation {
            return;
        }
        self.lb.deadlines.armed = false;
        while let Some(&(due, slot, g)) = self.lb.deadlines.queue.front() {
            let stage = self.lb.requests[slot].stage;
            let live =
                self.lb.requests.is_live(slot, g) && matches!(stage, Stage::AtTarget | Stage::Lost);
            if live && due > self.now {
                self.arm_deadline(due);
                return;
            }
            self.lb.deadlines.queue.pop_front();
            if live {
                // The target sent nothing within the idle timeout: the ALB answers 504 and closes
                // its target connection.
                self.release_target(slot);
                if stage == Stage::Lost {
                    self.respond_and_wake(slot, 504, Origin::LoadBalancer, None, 0);
                } else {
                    // The target keeps working on it unknowingly; the slot is freed when it is done.
                    self.lb.requests[slot].stage = Stage::Abandoned;
                    self.respond_keep_slot(slot, 504, Origin::LoadBalancer, None, 0);
                    self.wake_unless_retried(slot, 504);
                }
            }
        }
    }
}
