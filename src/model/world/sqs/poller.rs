//! Pollers: the threads of a worker program, each looping `ReceiveMessage` → process each message
//! on the instance's CPU → `DeleteMessage`, with optional heartbeats (`ChangeMessageVisibility`)
//! and instance scale-in protection while it holds messages.
//!
//! - **Short polling** (`WaitTimeSeconds` 0) samples the queue's servers: it may come back empty
//!   with messages in the queue, and an empty answer is billed like any receive.
//! - **Long polling** returns as soon as a message is visible (the poller waits at the queue), or
//!   empty when `WaitTimeSeconds` pass.
//! - A poller whose instance is terminated, or whose process crashes or restarts, loses what it
//!   held: those messages stay in flight until their visibility timeout expires, then reappear.

use super::queue::{Deleted, Receipt};
use super::{Action, scaled};
use crate::engine::{SimDuration, SimTime};
use crate::model::event::Event;
use crate::model::ids::InstanceId;
use crate::model::instance::Job;
use crate::model::sqs::{ConsumerId, QueueId, StaleDelete};
use crate::model::world::World;
use crate::recorder::QueueActivity;

/// How often a poller whose instance cannot run it (crashed, hung, stopped) checks again.
const RECHECK: SimDuration = SimDuration::from_secs(1);

/// What a poller is doing, and so what its next timer means.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Step {
    /// About to call `ReceiveMessage` (after a pause or an empty answer).
    Idle,
    /// Its `ReceiveMessage` answer with messages is on the way.
    Receiving,
    /// A long poll waits at the queue.
    LongPolling,
    /// Processing `held[next]` on the instance (no timer: the job's completion moves it on).
    Processing,
    /// Its `DeleteMessage` answer is on the way.
    Deleting,
    /// A throttled `DeleteMessage` waits to be tried again.
    RetryDelete,
    /// The instance cannot run work now: check again later.
    Stalled,
}

/// One poller.
#[derive(Clone, Copy, Debug)]
pub(super) struct Poller {
    consumer: ConsumerId,
    pub instance: InstanceId,
    queue: QueueId,
    step: Step,
    /// Generation of its `PollerActs` timer.
    timer: u32,
    /// Generation of its heartbeat (`NEVER`-like: `heartbeat_on` false when none runs).
    heartbeat: u32,
    heartbeat_on: bool,
    /// The messages of its last receive, and the one it is on.
    held: [Receipt; 10],
    held_len: u8,
    next: u8,
    /// CPU time of the message being processed.
    work: SimDuration,
    /// Whether it counts towards its instance's scale-in protection.
    protecting: bool,
    /// When its current long poll ends (`WaitTimeSeconds` after it began).
    wait_deadline: SimTime,
    /// When its pending `LongPollEnds` is due (`NEVER`: none pending).
    wake_at: SimTime,
}

impl World<'_> {
    /// Starts consumer `c`'s pollers on instance `i`; each polls at once.
    pub(super) fn start_pollers(&mut self, c: ConsumerId, i: InstanceId) {
        let spec = &self.sc.messaging.consumers[c.index()];
        let run = &mut self.sqs.consumers[c.index()];
        run.advance(self.now);
        run.pollers += spec.pollers_per_instance;
        for _ in 0..spec.pollers_per_instance {
            let p = self.sqs.pollers.insert(Poller {
                consumer: c,
                instance: i,
                queue: spec.queue,
                step: Step::Idle,
                timer: 0,
                heartbeat: 0,
                heartbeat_on: false,
                held: [Receipt::default(); 10],
                held_len: 0,
                next: 0,
                work: SimDuration::ZERO,
                protecting: false,
                wait_deadline: SimTime::NEVER,
                wake_at: SimTime::NEVER,
            });
            self.poll(p);
        }
    }

    /// The generation of poller `p`'s slot (a message job's generation).
    pub(in crate::model::world) fn poller_generation(&self, p: u32) -> u32 {
        self.sqs.pollers.generation(p)
    }

    /// The instance poller `p` runs on, unless it stopped since `generation`.
    pub(in crate::model::world) fn poller_instance(
        &self,
        p: u32,
        generation: u32,
    ) -> Option<InstanceId> {
        (self.sqs.pollers.is_live(p, generation)).then(|| self.sqs.pollers[p].instance)
    }

    /// Whether instance `i` can run work (its process is up and making progress).
    fn runs_work(&self, i: InstanceId) -> bool {
        let x = &self.fleet[i];
        x.terminated == SimTime::NEVER && x.state.crashed == 0 && x.state.hung == 0
    }

    /// Schedules poller `p`'s next step at `at`.
    fn poller_timer(&mut self, p: u32, step: Step, at: SimTime) {
        let pl = &mut self.sqs.pollers[p];
        pl.step = step;
        pl.timer = pl.timer.wrapping_add(1);
        let generation = pl.timer;
        self.queue.schedule(
            at,
            Event::PollerActs {
                poller: p,
                generation,
            },
        );
    }

    /// Poller `p`'s timer.
    pub(in crate::model::world) fn on_poller_acts(&mut self, p: u32, generation: u32) {
        if !self.sqs.pollers.is_occupied(p) || self.sqs.pollers[p].timer != generation {
            return;
        }
        match self.sqs.pollers[p].step {
            Step::Idle => self.poll(p),
            Step::LongPolling => {}
            Step::Receiving | Step::Stalled => self.process_next(p),
            Step::Deleting => {
                self.sqs.pollers[p].next += 1;
                self.process_next(p);
            }
            Step::RetryDelete => self.delete_current(p),
            Step::Processing => {}
        }
    }

    /// A long poll's wake-up: if the poller still waits and its wait is over, `WaitTimeSeconds`
    /// passed with nothing (an empty receive); if a later poll is waiting, wake up at its end.
    pub(in crate::model::world) fn on_long_poll_ends(&mut self, p: u32, generation: u32) {
        if !self.sqs.pollers.is_live(p, generation) {
            return;
        }
        let pl = &mut self.sqs.pollers[p];
        pl.wake_at = SimTime::NEVER;
        if pl.step != Step::LongPolling {
            return;
        }
        if pl.wait_deadline > self.now {
            let at = pl.wait_deadline;
            self.long_poll_wake(p, at);
            return;
        }
        let q = pl.queue;
        self.sqs.queues[q.index()].totals.billed_requests += 1;
        self.empty_receive(q);
        self.after_empty(p);
    }

    /// Makes sure poller `p` wakes up by `at`.
    fn long_poll_wake(&mut self, p: u32, at: SimTime) {
        let pl = &mut self.sqs.pollers[p];
        if pl.wake_at <= at {
            return;
        }
        pl.wake_at = at;
        let generation = self.sqs.pollers.generation(p);
        self.queue.schedule(
            at,
            Event::LongPollEnds {
                poller: p,
                generation,
            },
        );
    }

    /// `ReceiveMessage` now.
    fn poll(&mut self, p: u32) {
        let pl = self.sqs.pollers[p];
        let spec = &self.sc.messaging.consumers[pl.consumer.index()];
        if !self.runs_work(pl.instance) {
            self.poller_timer(p, Step::Idle, self.now + RECHECK);
            return;
        }
        let q = pl.queue;
        if self.throttled(q, Action::Receive) {
            self.poller_timer(p, Step::Idle, self.now + spec.throttle_backoff);
            return;
        }
        let long = spec.wait > SimDuration::ZERO;
        let sample = self.sc.messaging.queues[q.index()].short_poll_sample;
        let (max, wait) = (spec.max_messages as usize, spec.wait);
        let mut out = [Receipt::default(); 10];
        let n = {
            let run = &mut self.sqs.queues[q.index()];
            let rng = &mut self.sqs.consumers[pl.consumer.index()].rng;
            let sample = (!long && sample < 1.0).then_some((sample, rng));
            run.state.receive(self.now, max, sample, &mut out)
        };
        self.sqs.queues[q.index()].totals.receive_calls += 1;
        if n > 0 {
            self.received(p, &out[..n]);
        } else if long {
            // Billed when it returns: empty at the wait's end, or with what it got. Its timer
            // generation moves on (a waiting-list entry names it) but no `PollerActs` is due:
            // the wake-up is `LongPollEnds`.
            let deadline = self.now + wait;
            let pl = &mut self.sqs.pollers[p];
            pl.step = Step::LongPolling;
            pl.timer = pl.timer.wrapping_add(1);
            pl.wait_deadline = deadline;
            self.long_poll_wake(p, deadline);
            let pl = &self.sqs.pollers[p];
            let token = (p, self.sqs.pollers.generation(p), pl.timer);
            let waiting = &mut self.sqs.queues[q.index()].waiting;
            waiting.push_back(token);
            if waiting.len() > 2 * self.sqs.pollers.capacity() as usize + 64 {
                let pollers = &self.sqs.pollers;
                waiting.retain(|&(p, generation, timer)| {
                    pollers.is_live(p, generation)
                        && pollers[p].step == Step::LongPolling
                        && pollers[p].timer == timer
                });
            }
        } else {
            self.sqs.queues[q.index()].totals.billed_requests += 1;
            self.empty_receive(q);
            self.after_empty(p);
        }
    }

    /// An empty `ReceiveMessage` answer.
    fn empty_receive(&mut self, q: QueueId) {
        let run = &mut self.sqs.queues[q.index()];
        run.state.period.empty_receives += 1;
        run.totals.empty_receives += 1;
    }

    /// After an empty answer: poll again once it is back, and after the program's pause.
    fn after_empty(&mut self, p: u32) {
        let spec = &self.sc.messaging.consumers[self.sqs.pollers[p].consumer.index()];
        let at = self.now + spec.api_latency + spec.empty_receive_pause;
        self.poller_timer(p, Step::Idle, at);
    }

    /// Poller `p` received `got`: the answer is back after one API latency.
    fn received(&mut self, p: u32, got: &[Receipt]) {
        let pl = self.sqs.pollers[p];
        let q = pl.queue;
        let spec = &self.sc.messaging.consumers[pl.consumer.index()];
        let mut bytes = 0u64;
        for r in got {
            let m = *self.sqs.queues[q.index()].state.message(r.slot);
            bytes += u64::from(m.size);
            if m.receive_count > 1 {
                let run = &mut self.sqs.queues[q.index()];
                run.totals.redelivered += 1;
                if !run.told.redelivery {
                    run.told.redelivery = true;
                    let visibility = self.sc.messaging.queues[q.index()].visibility_timeout;
                    self.queue_log(
                        q,
                        QueueActivity::FirstRedelivery {
                            message: m.id,
                            receive_count: m.receive_count,
                            visibility_timeout_seconds: visibility.as_secs_f64(),
                            since_previous_receive_seconds: self
                                .now
                                .since(m.previous_receive)
                                .as_secs_f64(),
                        },
                    );
                }
            }
        }
        let run = &mut self.sqs.queues[q.index()];
        run.totals.received += got.len() as u64;
        run.totals.billed_requests += super::chunks(bytes);
        let pl = &mut self.sqs.pollers[p];
        pl.held[..got.len()].copy_from_slice(got);
        pl.held_len = got.len() as u8;
        pl.next = 0;
        if spec.scale_in_protection && !pl.protecting {
            pl.protecting = true;
            let i = pl.instance;
            self.worker_protection(i, true);
        }
        if let Some(h) = spec.heartbeat {
            let pl = &mut self.sqs.pollers[p];
            if !pl.heartbeat_on {
                pl.heartbeat_on = true;
                pl.heartbeat = pl.heartbeat.wrapping_add(1);
                let generation = pl.heartbeat;
                self.queue.schedule(
                    self.now + h.interval,
                    Event::HeartbeatFires {
                        poller: p,
                        generation,
                    },
                );
            }
        }
        self.arm_queue_timer(q);
        self.poller_timer(p, Step::Receiving, self.now + spec.api_latency);
    }

    /// Starts processing the next held message, or polls again when the batch is done.
    fn process_next(&mut self, p: u32) {
        let pl = self.sqs.pollers[p];
        if pl.next >= pl.held_len {
            self.batch_done(p);
            self.poll(p);
            return;
        }
        if !self.runs_work(pl.instance) {
            self.poller_timer(p, Step::Stalled, self.now + RECHECK);
            return;
        }
        let c = pl.consumer.index();
        let spec = &self.sc.messaging.consumers[c];
        let run = &mut self.sqs.consumers[c];
        let drawn = spec.processing_time.sample(&mut run.rng);
        let i = pl.instance;
        let work = scaled(drawn, self.fleet[i].state.slow_factor);
        run.advance(self.now);
        run.busy += 1;
        let pl = &mut self.sqs.pollers[p];
        pl.step = Step::Processing;
        pl.work = work;
        let job = Job::message(p);
        let crate::model::world::fleet::Instance { spec, state, .. } = &mut self.fleet[i];
        state.start_message(self.now, spec, job, work);
        if spec.fixed_speed() {
            let done = Event::JobCompletes {
                job,
                generation: self.sqs.pollers.generation(p),
                epoch: state.epoch,
            };
            self.queue.schedule(self.now + work, done);
        } else {
            self.reschedule_completion(i);
        }
    }

    /// The instance finished processing poller `p`'s message.
    pub(in crate::model::world) fn message_processed(&mut self, p: u32) {
        let pl = self.sqs.pollers[p];
        let c = pl.consumer.index();
        let q = pl.queue;
        let receipt = pl.held[pl.next as usize];
        let run = &mut self.sqs.consumers[c];
        run.advance(self.now);
        run.busy -= 1;
        run.processed += 1;
        run.period_processed += 1;
        if self.sqs.queues[q.index()].state.processed(receipt) {
            self.sqs.queues[q.index()].totals.duplicate_processings += 1;
            self.sqs.consumers[c].wasted_ns += u128::from(pl.work.0);
        }
        let spec = &self.sc.messaging.consumers[c];
        let run = &mut self.sqs.consumers[c];
        if spec.failure_probability > 0.0 && run.rng.uniform() < spec.failure_probability {
            // Processing failed: the message is not deleted and reappears after its timeout.
            run.failed += 1;
            self.sqs.pollers[p].next += 1;
            self.process_next(p);
            return;
        }
        self.delete_current(p);
    }

    /// `DeleteMessage` of the message poller `p` is on.
    fn delete_current(&mut self, p: u32) {
        let pl = self.sqs.pollers[p];
        let c = pl.consumer.index();
        let q = pl.queue;
        let spec = &self.sc.messaging.consumers[c];
        if self.throttled(q, Action::Delete) {
            self.poller_timer(p, Step::RetryDelete, self.now + spec.throttle_backoff);
            return;
        }
        let receipt = pl.held[pl.next as usize];
        let qspec = &self.sc.messaging.queues[q.index()];
        let run = &mut self.sqs.queues[q.index()];
        run.totals.billed_requests += 1;
        let survives = qspec.duplicate_probability > 0.0
            && run.state.is_live(receipt)
            && self.sqs.shared.uniform() < qspec.duplicate_probability;
        let outcome = if survives {
            let run = &mut self.sqs.queues[q.index()];
            if !run.told.duplicate {
                run.told.duplicate = true;
                let id = run.state.message(receipt.slot).id;
                self.queue_log(q, QueueActivity::DuplicateDelivery { message: id });
            }
            None
        } else {
            let stale_deletes = spec.stale_delete == StaleDelete::Deleted;
            Some(run.state.delete(self.now, receipt, stale_deletes))
        };
        let run = &mut self.sqs.queues[q.index()];
        match outcome {
            Some(Deleted::Removed { latency }) => {
                run.totals.deleted += 1;
                run.latency.record(latency);
                self.sqs.consumers[c].deleted += 1;
            }
            Some(d @ (Deleted::Stale | Deleted::StaleRemoved { .. })) => {
                run.totals.stale_deletes += 1;
                let removed = matches!(d, Deleted::StaleRemoved { .. });
                if let Deleted::StaleRemoved { latency } = d {
                    run.totals.deleted += 1;
                    run.latency.record(latency);
                    self.sqs.consumers[c].deleted += 1;
                }
                if !run.told.stale_delete {
                    run.told.stale_delete = true;
                    let id = run.state.message(receipt.slot).id;
                    self.queue_log(
                        q,
                        QueueActivity::StaleDelete {
                            message: id,
                            deleted: removed,
                        },
                    );
                }
            }
            Some(Deleted::Gone) | None => {}
        }
        self.poller_timer(p, Step::Deleting, self.now + spec.api_latency);
    }

    /// Poller `p` holds nothing any more: its heartbeat stops, its protection ends.
    fn batch_done(&mut self, p: u32) {
        let pl = &mut self.sqs.pollers[p];
        pl.held_len = 0;
        pl.next = 0;
        pl.heartbeat_on = false;
        pl.heartbeat = pl.heartbeat.wrapping_add(1);
        if pl.protecting {
            pl.protecting = false;
            let i = pl.instance;
            self.worker_protection(i, false);
        }
    }

    /// A heartbeat: `ChangeMessageVisibility` on every message poller `p` still holds.
    pub(in crate::model::world) fn on_heartbeat_fires(&mut self, p: u32, generation: u32) {
        if !self.sqs.pollers.is_occupied(p) {
            return;
        }
        let pl = self.sqs.pollers[p];
        if !pl.heartbeat_on || pl.heartbeat != generation || pl.next >= pl.held_len {
            return;
        }
        let spec = &self.sc.messaging.consumers[pl.consumer.index()];
        let Some(h) = spec.heartbeat else { return };
        let q = pl.queue;
        for k in pl.next..pl.held_len {
            let receipt = pl.held[k as usize];
            let run = &mut self.sqs.queues[q.index()];
            if !run.state.is_live(receipt) {
                continue;
            }
            run.totals.billed_requests += 1;
            let current = run.state.message(receipt.slot).receive_count == receipt.receive;
            if !run
                .state
                .change_visibility(self.now, receipt, h.visibility_timeout)
                && current
            {
                run.totals.rejected_visibility_changes += 1;
                if !run.told.rejected_change {
                    run.told.rejected_change = true;
                    let id = run.state.message(receipt.slot).id;
                    self.queue_log(q, QueueActivity::VisibilityChangeRejected { message: id });
                }
            }
        }
        self.arm_queue_timer(q);
        self.queue.schedule(
            self.now + h.interval,
            Event::HeartbeatFires {
                poller: p,
                generation,
            },
        );
    }

    /// Messages became visible at queue `q`: long polls waiting there return with them.
    pub(super) fn serve_waiting(&mut self, q: QueueId) {
        while self.sqs.queues[q.index()].state.has_visible() {
            let Some((p, generation, timer)) = self.sqs.queues[q.index()].waiting.pop_front()
            else {
                return;
            };
            let pollers = &self.sqs.pollers;
            if !(pollers.is_live(p, generation)
                && pollers[p].step == Step::LongPolling
                && pollers[p].timer == timer)
            {
                continue;
            }
            let pl = pollers[p];
            let max = self.sc.messaging.consumers[pl.consumer.index()].max_messages as usize;
            let mut out = [Receipt::default(); 10];
            let n = self.sqs.queues[q.index()]
                .state
                .receive(self.now, max, None, &mut out);
            if n == 0 {
                // The in-flight limit: the poll keeps waiting.
                self.sqs.queues[q.index()]
                    .waiting
                    .push_front((p, generation, timer));
                return;
            }
            self.received(p, &out[..n]);
        }
    }

    /// Instance `i`'s worker processes died (`why`): every poller there loses what it held; if
    /// `stop`, the pollers end too (the instance is gone).
    pub(in crate::model::world) fn pollers_lose_work(
        &mut self,
        i: InstanceId,
        why: &'static str,
        stop: bool,
    ) {
        let on_instance: Vec<u32> = (self.sqs.pollers.occupied())
            .filter(|(_, pl)| pl.instance == i)
            .map(|(p, _)| p)
            .collect();
        let mut lost = vec![0u32; self.sqs.queues.len()];
        for p in on_instance {
            let pl = self.sqs.pollers[p];
            let c = pl.consumer.index();
            let run = &mut self.sqs.consumers[c];
            run.advance(self.now);
            if pl.step == Step::Processing {
                run.busy -= 1;
            }
            if pl.step == Step::LongPolling {
                // The long poll was already at SQS: it ends empty there, billed as AWS bills it.
                let q = &mut self.sqs.queues[pl.queue.index()];
                q.totals.billed_requests += 1;
                q.totals.empty_receives += 1;
                q.state.period.empty_receives += 1;
            }
            // What it held and had not deleted stays in flight until its visibility timeout.
            let first = if pl.step == Step::Deleting {
                pl.next + 1
            } else {
                pl.next
            };
            for k in first..pl.held_len {
                let receipt = pl.held[k as usize];
                if self.sqs.queues[pl.queue.index()].state.is_live(receipt) {
                    lost[pl.queue.index()] += 1;
                }
            }
            self.batch_done(p);
            if stop {
                self.sqs.consumers[c].pollers -= 1;
                self.sqs.pollers.remove(p);
            } else {
                self.poller_timer(p, Step::Idle, self.now + RECHECK);
            }
        }
        let instance = self.fleet[i].spec.id.clone();
        for (q, n) in lost.into_iter().enumerate() {
            if n == 0 {
                continue;
            }
            let q = QueueId(q as u32);
            self.sqs.queues[q.index()].totals.lost_by_workers += u64::from(n);
            self.queue_log(
                q,
                QueueActivity::LostByWorker {
                    instance: instance.clone(),
                    messages: n,
                    why,
                },
            );
        }
    }
}
