//! SQS and SNS at run time: queues with their messages and timers, topics fanning out, producers
//! sending, and the pollers of worker programs receiving, processing (on their instance's CPU)
//! and deleting (`aws-behavior.md` §12–13).
//!
//! | file | owns | handles |
//! | --- | --- | --- |
//! | `queue.rs` | one queue's messages: delayed, visible, in flight; FIFO groups; timers | send, receive, delete, visibility, expiry, retention |
//! | `send.rs` | producers, repeated sends | `SendMessage`, `Publish` (fan-out, filter policies), request-path messages |
//! | `poller.rs` | pollers | `ReceiveMessage` (short and long polling), processing, `DeleteMessage`, heartbeats, lost work |
//! | `results.rs` | — | period rows, metrics for alarms, end-of-run results |
//!
//! API calls take effect at SQS the moment they are made; the caller continues one
//! `api_latency` later. Every API call is billed (per 64 KiB chunk), empty receives included.

mod poller;
mod queue;
mod results;
mod send;

pub(super) use results::messaging_results;
pub(super) use results::{QueueMetric, TopicMetric};

use super::World;
use super::slab::Slab;
use crate::engine::{RngStream, SimDuration, SimTime};
use crate::model::arrival::ArrivalCursor;
use crate::model::ids::InstanceId;
use crate::model::resolved::Scenario;
use crate::model::sqs::{
    ConsumerId, Destination, MessageGroups, MessageTemplate, Placement, QueueId,
};
use crate::recorder::LatencyHistogram;
use poller::Poller;
use queue::QueueState;
use send::Resend;
use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};

/// Moves to the dead-letter queue told in the activity history, per queue (later ones are
/// counted): a flood of them would push everything else out of the history.
const DEAD_LETTER_MOVES_TOLD: u64 = 5;

/// One queue's run state: its messages, its timer, the long polls waiting at it, and its totals.
#[derive(Debug)]
struct QueueRun {
    state: QueueState,
    /// When the pending `QueueTimerFires` is due (`NEVER`: none), and its generation.
    timer_at: SimTime,
    timer_gen: u32,
    /// Long polls waiting for a message: (poller, its slot generation, its timer generation
    /// when it started waiting).
    waiting: VecDeque<(u32, u32, u32)>,
    /// FIFO throttling: per action (send, receive, delete) the current second and its calls.
    calls: [(u64, u32); 3],
    totals: QueueTotals,
    /// Enqueue-to-delete times of deleted messages.
    latency: LatencyHistogram,
    /// Activity lines said once per queue.
    told: Told,
}

/// A queue's counts over the run (see `recorder::QueueResult` for their meaning).
#[derive(Clone, Copy, Debug, Default)]
struct QueueTotals {
    sent: u64,
    deduplicated: u64,
    received: u64,
    redelivered: u64,
    deleted: u64,
    empty_receives: u64,
    receive_calls: u64,
    moved_to_dlq: u64,
    expired: u64,
    lost_by_workers: u64,
    duplicate_processings: u64,
    stale_deletes: u64,
    rejected_visibility_changes: u64,
    throttled_calls: u64,
    failed_sends: u64,
    moved_in: u64,
    billed_requests: u64,
    max_visible: u64,
    max_age_seconds: f64,
}

/// Which once-per-queue activity lines were written.
#[derive(Clone, Copy, Debug, Default)]
struct Told {
    redelivery: bool,
    retention: bool,
    stale_delete: bool,
    rejected_change: bool,
    duplicate: bool,
    throttled: [bool; 3],
}

/// A FIFO API action, for throttling.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Action {
    Send = 0,
    Receive = 1,
    Delete = 2,
}

impl Action {
    fn name(self) -> &'static str {
        match self {
            Action::Send => "SendMessage",
            Action::Receive => "ReceiveMessage",
            Action::Delete => "DeleteMessage",
        }
    }
}

/// One topic's counts.
#[derive(Clone, Debug, Default)]
struct TopicRun {
    published: u64,
    billed_requests: u64,
    /// Per subscription: (delivered, filtered out).
    subscriptions: Vec<(u64, u64)>,
    period: results::TopicCounts,
}

/// An open-loop producer's run state.
#[derive(Debug)]
struct ProducerRun {
    cursor: ArrivalCursor,
    arrivals: RngStream,
    /// Message groups and repeated sends.
    draws: RngStream,
}

/// A worker program's run state.
#[derive(Debug)]
struct ConsumerRun {
    /// Processing times, failures, short-poll samples.
    rng: RngStream,
    /// Pollers running now, and processing now.
    pollers: u32,
    busy: u32,
    /// ∫ busy pollers dt: over the run, and at the last period boundary \[poller·ns\].
    busy_ns: u128,
    busy_mark: u128,
    /// Poller-time available over the run \[poller·ns\].
    poller_ns: u128,
    since: SimTime,
    processed: u64,
    period_processed: u64,
    failed: u64,
    deleted: u64,
    wasted_ns: u128,
}

impl ConsumerRun {
    /// Brings the busy integrals up to `now`.
    fn advance(&mut self, now: SimTime) {
        let dt = u128::from(now.since(self.since).0);
        self.busy_ns += dt * u128::from(self.busy);
        self.poller_ns += dt * u128::from(self.pollers);
        self.since = now;
    }
}

/// The run state of every queue, topic, producer and worker program.
#[derive(Debug)]
pub(super) struct Messaging {
    queues: Vec<QueueRun>,
    topics: Vec<TopicRun>,
    producers: Vec<ProducerRun>,
    consumers: Vec<ConsumerRun>,
    pollers: Slab<Poller>,
    /// Per Auto Scaling group: the worker programs its instances run.
    group_consumers: Vec<Vec<ConsumerId>>,
    /// Repeated sends due: (time, order, what).
    resends: BinaryHeap<Reverse<(SimTime, u64, Resend)>>,
    resend_at: SimTime,
    resend_gen: u32,
    /// Numbers messages across the run: a repeated send reuses its number (the FIFO
    /// deduplication id).
    next_content: u64,
    /// Draws of request-path messages (groups, repeated sends) and of standard queues'
    /// duplicate deliveries.
    shared: RngStream,
    /// The values of the last closed metric period (what alarms read).
    closed: results::ClosedPeriod,
    /// Per instance: pollers holding messages with scale-in protection on.
    protection: Vec<u32>,
}

impl Messaging {
    /// The messaging state of a run of `sc`.
    pub fn new(sc: &Scenario) -> Messaging {
        let m = &sc.messaging;
        let seed = sc.seed;
        let mut groups = vec![0u32; m.queues.len()];
        let mut note_groups = |dest: Destination, t: &MessageTemplate| {
            let MessageGroups::Random { count } = t.groups else {
                return;
            };
            let mut bump = |q: QueueId| groups[q.index()] = groups[q.index()].max(count);
            match dest {
                Destination::Queue(q) => bump(q),
                Destination::Topic(t) => {
                    for s in &m.topics[t.index()].subscriptions {
                        if let crate::model::sqs::Endpoint::Queue(q) = s.endpoint {
                            bump(q);
                        }
                    }
                }
            }
        };
        for p in &m.producers {
            note_groups(p.destination, &p.message);
        }
        for c in &sc.clients {
            for t in &c.types {
                for msg in &t.messages {
                    note_groups(msg.destination, &msg.message);
                }
            }
        }
        let queues = (m.queues.iter().zip(&groups))
            .map(|(q, &g)| QueueRun {
                state: QueueState::new(q, g),
                timer_at: SimTime::NEVER,
                timer_gen: 0,
                waiting: VecDeque::new(),
                calls: [(u64::MAX, 0); 3],
                totals: QueueTotals::default(),
                latency: LatencyHistogram::new(),
                told: Told::default(),
            })
            .collect();
        let topics = (m.topics.iter())
            .map(|t| TopicRun {
                subscriptions: vec![(0, 0); t.subscriptions.len()],
                ..TopicRun::default()
            })
            .collect();
        let producers = (m.producers.iter())
            .map(|p| ProducerRun {
                cursor: ArrivalCursor::default(),
                arrivals: RngStream::derive(seed, &format!("producer/{}/arrivals", p.name)),
                draws: RngStream::derive(seed, &format!("producer/{}/messages", p.name)),
            })
            .collect();
        let consumers = (m.consumers.iter())
            .map(|c| ConsumerRun {
                rng: RngStream::derive(seed, &format!("consumer/{}", c.name)),
                pollers: 0,
                busy: 0,
                busy_ns: 0,
                busy_mark: 0,
                poller_ns: 0,
                since: SimTime::ZERO,
                processed: 0,
                period_processed: 0,
                failed: 0,
                deleted: 0,
                wasted_ns: 0,
            })
            .collect();
        let mut group_consumers = vec![Vec::new(); sc.auto_scaling_groups.len()];
        for (k, c) in m.consumers.iter().enumerate() {
            if let Placement::Group(a) = c.placement {
                group_consumers[a.index()].push(ConsumerId(k as u32));
            }
        }
        Messaging {
            queues,
            topics,
            producers,
            consumers,
            pollers: Slab::default(),
            group_consumers,
            resends: BinaryHeap::new(),
            resend_at: SimTime::NEVER,
            resend_gen: 0,
            next_content: 0,
            shared: RngStream::derive(seed, "sqs/shared"),
            closed: results::ClosedPeriod::default(),
            protection: Vec::new(),
        }
    }

    /// Pollers an instance of Auto Scaling group `a` runs (all its worker programs together).
    pub fn group_pollers(&self, sc: &Scenario, a: crate::model::ids::AsgId) -> u32 {
        (self.group_consumers[a.index()].iter())
            .map(|c| sc.messaging.consumers[c.index()].pollers_per_instance)
            .sum()
    }
}

impl World<'_> {
    /// Starts the model's producers and the worker programs on the model's instances (at time 0);
    /// tells every instance how many pollers it runs.
    pub(super) fn start_messaging(&mut self) {
        let sc = self.sc;
        for (k, p) in sc.messaging.producers.iter().enumerate() {
            let run = &mut self.sqs.producers[k];
            if let Some(t) = p
                .arrival
                .next_after(SimTime::ZERO, &mut run.cursor, &mut run.arrivals)
            {
                let producer = crate::model::sqs::ProducerId(k as u32);
                self.queue
                    .schedule(t, crate::model::event::Event::MessageProduced { producer });
            }
        }
        for (k, c) in sc.messaging.consumers.iter().enumerate() {
            if let Placement::Instances(ids) = &c.placement {
                for &i in ids {
                    self.fleet[i].spec.pollers += c.pollers_per_instance;
                }
                for &i in ids {
                    self.start_pollers(ConsumerId(k as u32), i);
                }
            }
        }
    }

    /// An Auto Scaling instance entered service: its launch template's worker programs start.
    pub(super) fn start_group_workers(&mut self, a: crate::model::ids::AsgId, i: InstanceId) {
        for k in 0..self.sqs.group_consumers[a.index()].len() {
            let c = self.sqs.group_consumers[a.index()][k];
            self.start_pollers(c, i);
        }
    }

    /// A poller on instance `i` starts (`on`) or stops holding messages with scale-in
    /// protection: the instance is protected while any does (`SetInstanceProtection`).
    fn worker_protection(&mut self, i: InstanceId, on: bool) {
        let k = i.index();
        if self.sqs.protection.len() <= k {
            self.sqs.protection.resize(k + 1, 0);
        }
        let count = &mut self.sqs.protection[k];
        if on {
            *count += 1;
            if *count == 1 {
                self.set_worker_protection(i, true);
            }
        } else {
            *count -= 1;
            if *count == 0 {
                self.set_worker_protection(i, false);
            }
        }
    }

    /// Re-arms queue `q`'s timer if its earliest due time moved earlier.
    fn arm_queue_timer(&mut self, q: QueueId) {
        let run = &mut self.sqs.queues[q.index()];
        let due = run.state.next_due();
        if due < run.timer_at {
            run.timer_at = due;
            run.timer_gen = run.timer_gen.wrapping_add(1);
            let generation = run.timer_gen;
            self.queue.schedule(
                due,
                crate::model::event::Event::QueueTimerFires {
                    queue: q,
                    generation,
                },
            );
        }
    }

    /// A queue's timer: delayed messages become visible, expired visibility timeouts make
    /// messages visible again (or move them to the dead-letter queue), old messages expire.
    pub(in crate::model::world) fn on_queue_timer_fires(&mut self, q: QueueId, generation: u32) {
        let run = &mut self.sqs.queues[q.index()];
        if generation != run.timer_gen {
            return;
        }
        run.timer_at = SimTime::NEVER;
        let mut to_dead_letter = Vec::new();
        let mut expired = 0;
        run.state.fire(self.now, |f| match f {
            queue::Fired::ToDeadLetter { slot } => to_dead_letter.push(slot),
            queue::Fired::Expired { messages } => expired += messages,
            queue::Fired::Visible { .. } => {}
        });
        if expired > 0 && !run.told.retention {
            run.told.retention = true;
            run.totals.expired += expired;
            let retention = self.sc.messaging.queues[q.index()].retention;
            self.queue_log(
                q,
                crate::recorder::QueueActivity::RetentionExpired {
                    messages: expired,
                    retention_seconds: retention.as_secs_f64(),
                },
            );
        } else {
            run.totals.expired += expired;
        }
        for slot in to_dead_letter {
            self.move_to_dead_letter(q, slot);
        }
        self.serve_waiting(q);
        self.arm_queue_timer(q);
    }

    /// A message reached `maxReceiveCount`: it moves to the queue's dead-letter queue.
    fn move_to_dead_letter(&mut self, q: QueueId, slot: u32) {
        let spec = &self.sc.messaging.queues[q.index()];
        let Some(redrive) = spec.redrive else { return };
        let dlq = redrive.dead_letter_queue;
        let run = &mut self.sqs.queues[q.index()];
        let m = run.state.take(slot);
        run.state.period.moved_to_dlq += 1;
        run.totals.moved_to_dlq += 1;
        let total = run.totals.moved_to_dlq;
        let told = total <= DEAD_LETTER_MOVES_TOLD;
        let target = &mut self.sqs.queues[dlq.index()];
        target.state.receive_moved(self.now, m);
        // A move is not `NumberOfMessagesSent` of the dead-letter queue (only sends are).
        target.totals.moved_in += 1;
        if told {
            let name = self.sc.messaging.queues[dlq.index()].name.clone();
            self.queue_log(
                q,
                crate::recorder::QueueActivity::MovedToDeadLetterQueue {
                    message: m.id,
                    receive_count: m.receive_count,
                    dead_letter_queue: name,
                    total,
                    last_told: total == DEAD_LETTER_MOVES_TOLD,
                },
            );
        }
        self.serve_waiting(dlq);
        self.arm_queue_timer(dlq);
    }

    /// FIFO queues: whether one more call of `action` this second is throttled (300 per second
    /// per action); counts the call otherwise.
    fn throttled(&mut self, q: QueueId, action: Action) -> bool {
        if !self.sc.messaging.queues[q.index()].fifo {
            return false;
        }
        let second = self.now.0 / 1_000_000_000;
        let run = &mut self.sqs.queues[q.index()];
        let window = &mut run.calls[action as usize];
        if window.0 != second {
            *window = (second, 0);
        }
        if window.1 < crate::model::sqs::FIFO_CALLS_PER_SECOND {
            window.1 += 1;
            return false;
        }
        // Throttled calls are not billed (albsim assumption).
        run.totals.throttled_calls += 1;
        if !run.told.throttled[action as usize] {
            run.told.throttled[action as usize] = true;
            self.queue_log(
                q,
                crate::recorder::QueueActivity::Throttled {
                    action: action.name(),
                    limit: crate::model::sqs::FIFO_CALLS_PER_SECOND,
                },
            );
        }
        true
    }

    /// An activity line about queue `q`.
    fn queue_log(&mut self, q: QueueId, activity: crate::recorder::QueueActivity) {
        let name = self.sc.messaging.queues[q.index()].name.clone();
        self.rec.activity(
            self.now,
            name,
            crate::recorder::ActivityKind::Queue(activity),
        );
    }
}

/// Bytes a message of `size` costs in billed requests, per call carrying it.
fn chunks(size: u64) -> u64 {
    crate::model::sqs::billed_requests(size)
}

/// `SimDuration` × a slow factor.
fn scaled(d: SimDuration, factor: f64) -> SimDuration {
    if factor == 1.0 {
        d
    } else {
        SimDuration::from_nanos_f64(d.0 as f64 * factor)
    }
}
