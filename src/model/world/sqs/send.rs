//! Sending: open-loop producers, messages a request's target sends once it has served it, SNS
//! `Publish` fanning out to every subscription whose filter policy matches, and repeated sends
//! (a producer retrying with the same deduplication id).

use super::{Action, Messaging, chunks};
use crate::engine::{SimDuration, SimTime};
use crate::model::event::Event;
use crate::model::ids::ClientId;
use crate::model::sqs::{
    Destination, Endpoint, MessageGroups, MessageTemplate, ProducerId, QueueId, SNS_ENVELOPE_BYTES,
    TopicId, filter_matches,
};
use crate::model::world::World;
use std::cmp::Reverse;

/// A throttled `SendMessage` is retried as the AWS SDKs' standard retry mode does: at most 3
/// attempts in all, each retry after a random wait up to `SEND_RETRY_BASE × 2^retry` (full
/// jitter), capped at 20 s; after the third throttled attempt the producer gets the error.
const SEND_ATTEMPTS: u8 = 3;
const SEND_RETRY_BASE: SimDuration = SimDuration::from_millis(100);
const SEND_RETRY_CAP: SimDuration = SimDuration::from_secs(20);

/// Which template a message was made from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Source {
    /// An open-loop producer.
    Producer(u32),
    /// A request type's `messages[index]`.
    Request {
        /// The client.
        client: u32,
        /// Its request type.
        rtype: u32,
        /// Which of the type's messages.
        index: u32,
    },
}

/// A send to do again later (a producer retry or a throttled call).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct Resend {
    /// Its template.
    source: Source,
    /// Where to (a topic's subscription queue for a throttled delivery).
    destination: Destination,
    /// Its message group (FIFO).
    group: u32,
    /// Its content number (FIFO deduplication id).
    content: u64,
    /// When the message was first created.
    created: SimTime,
    /// Whether it may repeat again (a producer retry is drawn once).
    may_repeat: bool,
    /// Throttled attempts so far.
    attempts: u8,
}

impl Messaging {
    fn template(sc: &crate::model::resolved::Scenario, source: Source) -> &MessageTemplate {
        match source {
            Source::Producer(p) => &sc.messaging.producers[p as usize].message,
            Source::Request {
                client,
                rtype,
                index,
            } => {
                &sc.clients[client as usize].types[rtype as usize].messages[index as usize].message
            }
        }
    }
}

impl World<'_> {
    /// A producer sends its next message, and schedules the one after.
    pub(in crate::model::world) fn on_message_produced(&mut self, producer: ProducerId) {
        let spec = &self.sc.messaging.producers[producer.index()];
        let run = &mut self.sqs.producers[producer.index()];
        if let Some(t) = spec
            .arrival
            .next_after(self.now, &mut run.cursor, &mut run.arrivals)
        {
            self.queue.schedule(t, Event::MessageProduced { producer });
        }
        let group = draw_group(&spec.message, &mut run.draws);
        self.new_message(Source::Producer(producer.0), spec.destination, group);
    }

    /// A request of `client`'s type `rtype` was served: its target sends the type's messages.
    #[inline(never)]
    pub(in crate::model::world) fn send_request_messages(
        &mut self,
        client: ClientId,
        rtype: usize,
    ) {
        let sc = self.sc;
        for (k, m) in sc.clients[client.index()].types[rtype]
            .messages
            .iter()
            .enumerate()
        {
            let group = draw_group(&m.message, &mut self.sqs.shared);
            let source = Source::Request {
                client: client.0,
                rtype: rtype as u32,
                index: k as u32,
            };
            self.new_message(source, m.destination, group);
        }
    }

    /// A new message from `source` to `destination`; a producer retry may repeat it.
    fn new_message(&mut self, source: Source, destination: Destination, group: u32) {
        let content = self.sqs.next_content;
        self.sqs.next_content += 1;
        let resend = Resend {
            source,
            destination,
            group,
            content,
            created: self.now,
            may_repeat: true,
            attempts: 0,
        };
        self.deliver(resend);
    }

    /// Sends (or publishes) `m` now.
    fn deliver(&mut self, m: Resend) {
        match m.destination {
            Destination::Queue(q) => {
                let size = Messaging::template(self.sc, m.source).size_bytes;
                self.send_to_queue(q, m, size);
            }
            Destination::Topic(t) => self.publish(t, m),
        }
        if m.may_repeat {
            let t = Messaging::template(self.sc, m.source);
            if t.resend_probability > 0.0 {
                let draw = match m.source {
                    Source::Producer(p) => self.sqs.producers[p as usize].draws.uniform(),
                    Source::Request { .. } => self.sqs.shared.uniform(),
                };
                if draw < t.resend_probability {
                    let again = Resend {
                        may_repeat: false,
                        attempts: 0,
                        ..m
                    };
                    self.resend_later(self.now + t.resend_after, again);
                }
            }
        }
    }

    /// `SendMessage` of `m` (`size` bytes) to queue `q`.
    fn send_to_queue(&mut self, q: QueueId, m: Resend, size: u64) {
        if self.throttled(q, Action::Send) {
            let attempts = m.attempts + 1;
            if attempts >= SEND_ATTEMPTS {
                self.sqs.queues[q.index()].totals.failed_sends += 1;
                return;
            }
            let ceiling = SEND_RETRY_BASE
                .0
                .saturating_mul(1 << attempts)
                .min(SEND_RETRY_CAP.0);
            let wait = SimDuration((self.sqs.shared.uniform() * ceiling as f64) as u64);
            self.resend_later(
                self.now + wait,
                Resend {
                    may_repeat: false,
                    destination: Destination::Queue(q),
                    attempts,
                    ..m
                },
            );
            return;
        }
        let run = &mut self.sqs.queues[q.index()];
        run.totals.billed_requests += chunks(size);
        let accepted = run
            .state
            .send(self.now, m.created, size as u32, m.group, Some(m.content));
        if accepted {
            run.totals.sent += 1;
        } else {
            run.totals.deduplicated += 1;
        }
        self.serve_waiting(q);
        self.arm_queue_timer(q);
    }

    /// `Publish` of `m` to topic `t`: one copy to every subscription whose filter matches.
    fn publish(&mut self, t: TopicId, m: Resend) {
        let sc = self.sc;
        let template = Messaging::template(sc, m.source);
        let topic = &sc.messaging.topics[t.index()];
        let run = &mut self.sqs.topics[t.index()];
        run.published += 1;
        run.period.published += 1;
        run.billed_requests += chunks(template.size_bytes);
        for (k, s) in topic.subscriptions.iter().enumerate() {
            if let Some(f) = &s.filter {
                if !filter_matches(f, &template.attributes) {
                    self.sqs.topics[t.index()].subscriptions[k].1 += 1;
                    self.sqs.topics[t.index()].period.filtered_out += 1;
                    continue;
                }
            }
            let run = &mut self.sqs.topics[t.index()];
            run.subscriptions[k].0 += 1;
            run.period.delivered += 1;
            if let Endpoint::Queue(q) = s.endpoint {
                let size = template.size_bytes
                    + if s.raw_message_delivery {
                        0
                    } else {
                        SNS_ENVELOPE_BYTES
                    };
                self.send_to_queue(q, m, size);
            }
        }
    }

    /// Schedules `m` to be sent again at `at`.
    fn resend_later(&mut self, at: SimTime, m: Resend) {
        let order = self.sqs.next_content;
        self.sqs.next_content += 1;
        self.sqs.resends.push(Reverse((at, order, m)));
        if at < self.sqs.resend_at {
            self.sqs.resend_at = at;
            self.sqs.resend_gen = self.sqs.resend_gen.wrapping_add(1);
            let generation = self.sqs.resend_gen;
            self.queue.schedule(at, Event::ResendDue { generation });
        }
    }

    /// Repeated sends are due.
    pub(in crate::model::world) fn on_resend_due(&mut self, generation: u32) {
        if generation != self.sqs.resend_gen {
            return;
        }
        self.sqs.resend_at = SimTime::NEVER;
        while let Some(&Reverse((at, _, m))) = self.sqs.resends.peek() {
            if at > self.now {
                break;
            }
            self.sqs.resends.pop();
            match m.destination {
                Destination::Queue(q) => {
                    let size = Messaging::template(self.sc, m.source).size_bytes;
                    self.send_to_queue(q, m, size);
                }
                Destination::Topic(t) => self.publish(t, m),
            }
        }
        if let Some(&Reverse((at, ..))) = self.sqs.resends.peek() {
            self.sqs.resend_at = at;
            self.sqs.resend_gen = self.sqs.resend_gen.wrapping_add(1);
            let generation = self.sqs.resend_gen;
            self.queue.schedule(at, Event::ResendDue { generation });
        }
    }
}

/// The message group of a new message.
fn draw_group(t: &MessageTemplate, rng: &mut crate::engine::RngStream) -> u32 {
    match t.groups {
        MessageGroups::None => super::queue::NO_GROUP,
        MessageGroups::Random { count } => rng.below(count as usize) as u32,
    }
}
