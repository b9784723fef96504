//! Work at instances: handing a job (a request or a health check) to an instance, its completion
//! (fixed-speed or processor-shared), and where its answer goes.

use super::World;
use super::fleet;
use super::load_balancer::Stage;
use crate::engine::{SimDuration, SimTime};
use crate::model::event::Event;
use crate::model::ids::{InstanceId, UserId};
use crate::model::instance::{Admission, Job, JobKind};
use crate::recorder::Origin;

impl World<'_> {
    /// Hands work to an instance (a request or a health check): `None` if it refused it, else
    /// whether its completion time is already fixed (started at once at full speed).
    #[inline(always)]
    pub(super) fn dispatch(
        &mut self,
        job: Job,
        target: InstanceId,
        work: SimDuration,
    ) -> Option<bool> {
        let fleet::Instance {
            spec: ispec,
            state: inst,
            ..
        } = &mut self.fleet[target];
        if ispec.fixed_speed() {
            match inst.admit_fixed(self.now, ispec, job, work) {
                Admission::Refused => None,
                admission => {
                    inst.outstanding += 1;
                    if admission == Admission::Started {
                        let epoch = inst.epoch;
                        let generation = self.job_generation(job);
                        let done = Event::JobCompletes {
                            job,
                            generation,
                            epoch,
                        };
                        self.queue.schedule(self.now + work, done);
                    }
                    Some(admission == Admission::Started)
                }
            }
        } else {
            match inst.admit(self.now, ispec, job, work) {
                Admission::Refused => None,
                admission => {
                    inst.outstanding += 1;
                    if admission == Admission::Started {
                        self.reschedule_completion(target);
                    }
                    Some(false)
                }
            }
        }
    }

    /// The generation of a job's slot (a stale completion event names an older one).
    #[inline(always)]
    pub(super) fn job_generation(&self, job: Job) -> u32 {
        match job.kind() {
            JobKind::Request(slot) => self.lb.requests.generation(slot),
            JobKind::HealthCheck(slot) => self.health.in_flight.generation(slot),
            JobKind::Message(poller) => self.poller_generation(poller),
        }
    }

    /// The instance a job is at, unless its slot was freed since (a crash dropped it).
    #[inline(always)]
    pub(super) fn job_instance(&self, job: Job, generation: u32) -> Option<InstanceId> {
        match job.kind() {
            JobKind::Request(slot) => (self.lb.requests.is_live(slot, generation))
                .then(|| self.lb.requests[slot].instance),
            JobKind::HealthCheck(slot) => (self.health.in_flight.is_live(slot, generation))
                .then(|| self.health.in_flight[slot].instance),
            JobKind::Message(poller) => self.poller_instance(poller, generation),
        }
    }

    pub(super) fn reschedule_completion(&mut self, i: InstanceId) {
        let fleet::Instance {
            spec, state: inst, ..
        } = &mut self.fleet[i];
        let at = inst.next_finish(self.now, spec.vcpus);
        if at != inst.completion_at {
            inst.completion_gen = inst.completion_gen.wrapping_add(1);
            inst.completion_at = at;
            if at != SimTime::NEVER {
                let generation = inst.completion_gen;
                self.queue.schedule(
                    at,
                    Event::ServiceCompletes {
                        instance: i,
                        generation,
                    },
                );
            }
        }
    }

    #[inline(always)]
    pub(super) fn on_job_completes(&mut self, job: Job, generation: u32, epoch: u32) {
        let Some(i) = self.job_instance(job, generation) else {
            return; // the instance crashed: the slot was freed, and may hold another job now
        };
        let fleet::Instance { spec, state, .. } = &mut self.fleet[i];
        if state.epoch != epoch {
            return; // the instance hung or restarted since this job started
        }
        if job.is_message() {
            state.finish_fixed_message(self.now, spec.vcpus);
            return self.message_job_done(job);
        }
        if let Some((next, work)) = state.finish_fixed(self.now, spec.vcpus) {
            let generation = self.job_generation(next);
            let done = Event::JobCompletes {
                job: next,
                generation,
                epoch,
            };
            self.queue.schedule(self.now + SimDuration(work), done);
        }
        self.done_at_target(i, job);
    }

    pub(super) fn on_service_completes(&mut self, i: InstanceId, generation: u32) {
        {
            let fleet::Instance { spec, state, .. } = &mut self.fleet[i];
            if generation != state.completion_gen {
                return;
            }
            state.completion_at = SimTime::NEVER;
            state.advance(self.now, spec.vcpus);
        }
        while let Some(job) = self.fleet[i].state.pop_finished() {
            self.done_at_target(i, job);
        }
        self.reschedule_completion(i);
    }

    /// A poller's message finished processing (out of line: the request path stays small).
    #[cold]
    #[inline(never)]
    fn message_job_done(&mut self, job: Job) {
        if let JobKind::Message(poller) = job.kind() {
            self.message_processed(poller);
        }
    }

    /// The instance finished a job: a health check's answer goes to its checker, a request's
    /// response back through the load balancer.
    #[inline(always)]
    pub(super) fn done_at_target(&mut self, i: InstanceId, job: Job) {
        let slot = match job.kind() {
            JobKind::Request(slot) => slot,
            JobKind::HealthCheck(check) => {
                self.fleet[i].state.outstanding -= 1;
                self.health_check_answered(check);
                return;
            }
            JobKind::Message(_) => return self.message_job_done(job),
        };
        let r = &self.lb.requests[slot];
        let (stage, user, client, rtype, dispatched) = (
            r.stage,
            r.user,
            r.client.index(),
            r.rtype as usize,
            r.dispatched,
        );
        self.fleet[i].completed += 1;
        match stage {
            Stage::Abandoned => {
                // The ALB already answered 504; the target's late answer goes nowhere.
                self.lb.requests.remove(slot);
            }
            Stage::AtTarget if self.fleet[i].state.blocked > 0 => {
                // The response cannot get back through the network: the ALB keeps waiting.
                self.lb.requests[slot].stage = Stage::Lost;
            }
            _ if user != UserId::NONE && self.is_websocket_user(user) => {
                self.websocket_established(slot)
            }
            _ => {
                let status = self.application_status(i);
                self.release_target_answered(slot, Some(status >= 500));
                let rt = &self.sc.clients[client].types[rtype];
                if self.cloudwatch.counting {
                    self.fleet[i].network.sent += rt.response_bytes;
                }
                let target_time = self.now.since(dispatched);
                if status == 200 && !rt.messages.is_empty() {
                    self.send_request_messages(crate::model::ids::ClientId(client as u32), rtype);
                }
                self.respond_and_wake(
                    slot,
                    status,
                    Origin::Target,
                    Some(target_time),
                    rt.response_bytes,
                );
            }
        }
    }
}
